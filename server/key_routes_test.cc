// Signing keys through the real Api: registration and revocation each append
// a log leaf; bad keys and bad revocation times are refused with their reason.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "server/in_process_api.h"
#include "trust/keys.h"

using namespace dossier;
using namespace dossier::server;
namespace json = boost::json;

namespace {

json::object Body(const Response& r) { return json::parse(r.body).as_object(); }

struct KeyWorld {
  InProcessApi server;
  std::string admin, viewer;
  trust::PrivateKey signer = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();

  KeyWorld() {
    server.CreateTenant("acme");
    admin = server.IssueToken("acme", "ADMIN");
    viewer = server.IssueToken("acme", "VIEWER");
  }

  Response Register(const std::string& pem, const std::string& token) {
    json::object body{{"publicKeyPem", pem}, {"label", "release"}};
    return server.Call("POST", "/v1/tenants/acme/keys", json::serialize(body), token);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(key_routes)

BOOST_AUTO_TEST_CASE(a_registered_key_is_listed_logged_and_revocable_once_logged_again) {
  KeyWorld w;
  const uint64_t log_before = w.server.store().LogSize();
  Response registered = w.Register(w.signer.public_key().Pem(), w.admin);
  BOOST_TEST_REQUIRE(registered.status == 201, registered.body);
  const json::object key = Body(registered);
  const std::string key_id = w.signer.public_key().KeyId();
  BOOST_TEST(key.at("keyId").as_string() == key_id);
  BOOST_TEST(key.at("algorithm").as_string() == "ed25519");
  BOOST_TEST(key.at("label").as_string() == "release");
  BOOST_TEST(key.at("logIndex").to_number<uint64_t>() == log_before);
  BOOST_TEST(w.server.store().LogSize() == log_before + 1);

  Response again = w.Register(w.signer.public_key().Pem(), w.admin);
  BOOST_TEST(again.status == 409);
  BOOST_TEST(ProblemCode(again) == "key-exists");

  Response listed = w.server.Call("GET", "/v1/tenants/acme/keys", "", w.viewer);
  BOOST_TEST_REQUIRE(listed.status == 200);
  BOOST_TEST(Body(listed).at("keys").as_array().size() == 1u);
  Response one = w.server.Call("GET", "/v1/tenants/acme/keys/" + key_id, "", w.viewer);
  BOOST_TEST(one.status == 200);
  BOOST_TEST(!Body(one).contains("revokedAt"));

  // A VIEWER may read keys but not revoke them.
  BOOST_TEST(w.server.Call("POST", "/v1/tenants/acme/keys/" + key_id + ":revoke", "", w.viewer).status ==
             403);

  Response revoked = w.server.Call("POST", "/v1/tenants/acme/keys/" + key_id + ":revoke",
                                   R"({"revokedAt":"2026-11-29T08:00:00Z"})", w.admin);
  BOOST_TEST_REQUIRE(revoked.status == 200, revoked.body);
  BOOST_TEST(Body(revoked).at("revokedAt").as_string() == "2026-11-29T08:00:00.000Z");
  BOOST_TEST(Body(revoked).at("revokedLogIndex").to_number<uint64_t>() == log_before + 1);
  BOOST_TEST(w.server.store().LogSize() == log_before + 2);
}

BOOST_AUTO_TEST_CASE(revoking_without_a_body_revokes_from_now) {
  KeyWorld w;
  BOOST_TEST_REQUIRE(w.Register(w.signer.public_key().Pem(), w.admin).status == 201);
  Response revoked = w.server.Call(
      "POST", "/v1/tenants/acme/keys/" + w.signer.public_key().KeyId() + ":revoke", "", w.admin);
  BOOST_TEST_REQUIRE(revoked.status == 200, revoked.body);
  BOOST_TEST(Body(revoked).contains("revokedAt"));
}

BOOST_AUTO_TEST_CASE(bad_keys_and_revocations_are_refused_with_their_reason) {
  KeyWorld w;
  Response garbage = w.Register("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", w.admin);
  BOOST_TEST(garbage.status / 100 == 4, garbage.body);
  BOOST_TEST(ProblemField(garbage).rfind("publicKeyPem", 0) == 0u, garbage.body);

  Response missing = w.server.Call("POST", "/v1/tenants/acme/keys", R"({"label":"x"})", w.admin);
  BOOST_TEST(missing.status == 422);
  BOOST_TEST(ProblemCode(missing) == "missing-field");
  BOOST_TEST(ProblemField(missing) == "publicKeyPem");

  Response extra =
      w.server.Call("POST", "/v1/tenants/acme/keys", R"({"publicKeyPem":"x","owner":"me"})", w.admin);
  BOOST_TEST(extra.status == 400);
  BOOST_TEST(ProblemCode(extra) == "unknown-field");

  BOOST_TEST(w.server.Call("GET", "/v1/tenants/acme/keys/" + std::string(64, '0'), "", w.viewer).status ==
             404);
  BOOST_TEST(w.server.Call("POST", "/v1/tenants/acme/keys/" + std::string(64, '0') + ":revoke", "", w.admin)
                 .status == 404);

  BOOST_TEST_REQUIRE(w.Register(w.signer.public_key().Pem(), w.admin).status == 201);
  const std::string revoke = "/v1/tenants/acme/keys/" + w.signer.public_key().KeyId() + ":revoke";
  Response bad_time = w.server.Call("POST", revoke, R"({"revokedAt":"next week"})", w.admin);
  BOOST_TEST(bad_time.status == 400);
  BOOST_TEST(ProblemCode(bad_time) == "bad-time");
  BOOST_TEST(ProblemField(bad_time) == "revokedAt");
  Response bad_member = w.server.Call("POST", revoke, R"({"reason":"lost"})", w.admin);
  BOOST_TEST(bad_member.status == 400);
  BOOST_TEST(ProblemCode(bad_member) == "unknown-field");
  // None of the refused revocations revoked the key.
  Response key = w.server.Call("GET", "/v1/tenants/acme/keys/" + w.signer.public_key().KeyId(), "", w.viewer);
  BOOST_TEST(!Body(key).contains("revokedAt"));
}

BOOST_AUTO_TEST_CASE(another_tenants_keys_are_not_found) {
  KeyWorld w;
  BOOST_TEST_REQUIRE(w.Register(w.signer.public_key().Pem(), w.admin).status == 201);
  w.server.CreateTenant("other");
  const std::string stranger = w.server.IssueToken("other", "ADMIN");
  BOOST_TEST(w.server.Call("GET", "/v1/tenants/acme/keys", "", stranger).status == 404);
  BOOST_TEST(w.Register(w.signer.public_key().Pem(), stranger).status == 404);
}

BOOST_AUTO_TEST_SUITE_END()
