// Key compromise through the real routes and `dossier verify` (threat model,
// docs/SECURITY.md): what revoking a manufacturer's signing key does to the
// signatures it made and to those it would make.
// - Revoked from now (the key is retired or lost): every version it signed
//   before still verifies offline; a commit it signs afterwards is refused
//   (422 key-revoked) and writes nothing; another key of the tenant goes on.
// - Revoked from a past time (the key was found stolen): every version it
//   signed since that time no longer verifies (`dossier verify` exit 5,
//   signer-key-revoked-retroactively), while versions other keys signed do.
// - A revocation is logged once: revoking again answers the first one and
//   changes nothing.
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <fstream>

#include "tests/security/security_fixture.h"

using namespace dossier::testing;
using namespace dossier::testing::security;
namespace json = boost::json;

namespace {

struct CompromiseWorld {
  TempDir dir;
  Server server{dir.path() / "data", {"--rate-limit", "0"}};
  HttpClient http{server.port()};
  Actor acme = CreateTenant(http, server.operator_token(), "acme", "MANUFACTURER", "US");
  std::filesystem::path log_key_file = dir.path() / "log-key.pem";
  std::string head;  // content digest of the latest version
  uint64_t versions = 0;

  CompromiseWorld() {
    auto key = http.Request("GET", "/v1/log/public-key");
    BOOST_REQUIRE_EQUAL(key.status, 200);
    std::ofstream(log_key_file) << std::string(key.Json().at("publicKeyPem").as_string());
    auto created = http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr","title":"CXR triage"})",
                                JsonAuth(acme.token));
    BOOST_REQUIRE_EQUAL(created.status, 201);
  }

  // Registers another signing key of acme; returns {key, key id}.
  std::pair<dossier::trust::PrivateKey, std::string> NewKey() {
    auto key = dossier::trust::PrivateKey::Generate(dossier::trust::KeyAlgorithm::kEd25519).value();
    json::object body{{"publicKeyPem", key.public_key().Pem()}, {"label", "release"}};
    auto r = http.Request("POST", "/v1/tenants/acme/keys", json::serialize(body), JsonAuth(acme.token));
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
    return {std::move(key), std::string(r.Json().at("keyId").as_string())};
  }

  // Commits the next version signed by `signer`; returns the HTTP status.
  int Commit(const dossier::trust::PrivateKey& signer, std::string* answer = nullptr) {
    const std::string digest =
        UploadBlob(http, acme, MinimalDossierJson("CXR triage " + std::to_string(versions + 1), {}));
    auto r = http.Request("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                          CommitBody(acme, "dossiers/cxr", versions + 1, head, digest, signer),
                          JsonAuth(acme.token));
    if (answer) *answer = r.body;
    if (r.status == 201) {
      head = digest;
      ++versions;
    }
    return r.status;
  }

  int Revoke(const std::string& key_id, const std::string& body) {
    return http.Request("POST", "/v1/tenants/acme/keys/" + key_id + ":revoke", body, JsonAuth(acme.token))
        .status;
  }

  // `dossier verify` of version `n`'s bundle: {exit code, output}.
  std::pair<int, std::string> VerifyOffline(uint64_t n) {
    auto bundle =
        http.Request("GET", "/v1/tenants/acme/dossiers/cxr/versions/" + std::to_string(n) + "/bundle", "",
                     Auth(acme.token));
    BOOST_REQUIRE_EQUAL(bundle.status, 200);
    const auto file = dir.path() / ("v" + std::to_string(n) + ".bundle.json");
    const auto out = dir.path() / ("v" + std::to_string(n) + ".out");
    std::ofstream(file) << bundle.body;
    const int status = std::system(((BinDir() / "dossier").string() + " verify " + file.string() +
                                    " --log-key " + log_key_file.string() + " > " + out.string() + " 2>&1")
                                       .c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFile(out)};
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(revoking_a_key_from_now_keeps_its_past_and_refuses_its_future) {
  CompromiseWorld w;
  auto [retired, retired_id] = w.NewKey();
  auto [successor, successor_id] = w.NewKey();
  BOOST_REQUIRE_EQUAL(w.Commit(retired), 201);
  BOOST_REQUIRE_EQUAL(w.Commit(retired), 201);

  BOOST_REQUIRE_EQUAL(w.Revoke(retired_id, ""), 200);
  const uint64_t log_after_revoke = LogSize(w.http, w.acme.token);
  std::string answer;
  BOOST_TEST(w.Commit(retired, &answer) == 422);
  BOOST_TEST(answer.find("\"key-revoked\"") != std::string::npos, answer);
  BOOST_TEST(LogSize(w.http, w.acme.token) == log_after_revoke);  // the refused commit wrote nothing
  BOOST_TEST(w.Commit(successor) == 201);

  for (uint64_t n : {1u, 2u, 3u}) {
    const auto [code, text] = w.VerifyOffline(n);
    BOOST_TEST(code == 0, "v" << n << ": " << text);
  }
}

BOOST_AUTO_TEST_CASE(revoking_a_stolen_key_from_the_past_disowns_what_it_signed_since) {
  CompromiseWorld w;
  auto [honest, honest_id] = w.NewKey();
  auto [stolen, stolen_id] = w.NewKey();
  BOOST_REQUIRE_EQUAL(w.Commit(honest), 201);  // v1
  BOOST_REQUIRE_EQUAL(w.Commit(stolen), 201);  // v2: signed after the theft
  BOOST_REQUIRE_EQUAL(w.Commit(honest), 201);  // v3
  BOOST_TEST(w.VerifyOffline(2).first == 0);

  // The key was found stolen; it is revoked from before it signed v2.
  BOOST_REQUIRE_EQUAL(w.Revoke(stolen_id, R"({"revokedAt":"2020-01-01T00:00:00Z"})"), 200);
  const auto [code, text] = w.VerifyOffline(2);
  BOOST_TEST(code == 5, text);
  BOOST_TEST(text.find("[signer-key-revoked-retroactively]") != std::string::npos, text);
  BOOST_TEST(w.VerifyOffline(1).first == 0);
  BOOST_TEST(w.VerifyOffline(3).first == 0);

  // Revoked once: revoking again (even to another time) is answered with the
  // first revocation, idempotently, and logs nothing.
  const uint64_t log_before = LogSize(w.http, w.acme.token);
  auto again = w.http.Request("POST", "/v1/tenants/acme/keys/" + stolen_id + ":revoke",
                              R"({"revokedAt":"2021-01-01T00:00:00Z"})", JsonAuth(w.acme.token));
  BOOST_TEST(again.status == 200, again.body);
  BOOST_TEST(again.Json().at("revokedAt").as_string() == "2020-01-01T00:00:00.000Z", again.body);
  BOOST_TEST(LogSize(w.http, w.acme.token) == log_before);
  BOOST_TEST(w.VerifyOffline(2).first == 5);
}
