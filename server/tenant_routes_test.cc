// Tenants, tokens and client certificates through the real Api.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "server/in_process_api.h"

using namespace dossier::server;
namespace json = boost::json;

namespace {

json::object Body(const Response& r) { return json::parse(r.body).as_object(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(tenant_routes)

BOOST_AUTO_TEST_CASE(operator_creates_lists_and_reads_tenants) {
  InProcessApi server;
  Response created = server.Call("POST", "/v1/tenants",
                                 R"({"id":"acme","displayName":"Acme Medical","kind":"MANUFACTURER"})",
                                 server.operator_token());
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  BOOST_TEST(Body(created).at("displayName").as_string() == "Acme Medical");
  BOOST_TEST(Body(created).at("createdAt").as_string().size() > 0u);
  bool has_location = false;
  for (const auto& [name, value] : created.headers)
    has_location |= name == "Location" && value == "/v1/tenants/acme";
  BOOST_TEST(has_location);

  Response again =
      server.Call("POST", "/v1/tenants", R"({"id":"acme","kind":"REGULATOR"})", server.operator_token());
  BOOST_TEST(again.status == 409);
  BOOST_TEST(ProblemCode(again) == "tenant-exists");

  Response list = server.Call("GET", "/v1/tenants", "", server.operator_token());
  BOOST_TEST_REQUIRE(list.status == 200);
  BOOST_TEST(Body(list).at("tenants").as_array().size() == 1u);

  const std::string viewer = server.IssueToken("acme", "VIEWER");
  Response own = server.Call("GET", "/v1/tenants/acme", "", viewer);
  BOOST_TEST(own.status == 200);
  BOOST_TEST(Body(own).at("kind").as_string() == "MANUFACTURER");
  BOOST_TEST(!Body(own).contains("jurisdiction"));
}

BOOST_AUTO_TEST_CASE(bad_tenant_requests_are_refused_with_their_reason) {
  InProcessApi server;
  const std::string& op = server.operator_token();
  BOOST_TEST(
      server.RefusalMismatches(
          op, {
                  {"POST", "/v1/tenants", R"({"id":"Acme","kind":"MANUFACTURER"})", 400, "bad-id", "id"},
                  {"POST", "/v1/tenants", R"({"id":"acme","kind":"HOSPITAL"})", 400, "bad-enum", "kind"},
                  {"POST", "/v1/tenants", R"({"id":"acme","kind":"MANUFACTURER","colour":"red"})", 400,
                   "unknown-field", "colour"},
                  {"POST", "/v1/tenants", R"({"kind":"MANUFACTURER"})", 422, "missing-field", "id"},
                  {"POST", "/v1/tenants", R"({"id":7,"kind":"MANUFACTURER"})", 400, "bad-field-type", "id"},
                  {"POST", "/v1/tenants", R"(["acme"])", 400, "bad-json", ""},
                  {"POST", "/v1/tenants", R"({"id":"acme",)", 400, "bad-json", ""},
              }) == "");
  Response form = server.Call("POST", "/v1/tenants", R"({"id":"acme","kind":"MANUFACTURER"})", op,
                              {{"content-type", "application/x-www-form-urlencoded"}});
  BOOST_TEST(form.status == 415);
  BOOST_TEST(ProblemCode(form) == "unsupported-media-type");
  // Nothing above created a tenant.
  BOOST_TEST(json::parse(server.Call("GET", "/v1/tenants", "", op).body).at("tenants").as_array().empty());
}

BOOST_AUTO_TEST_CASE(only_the_operator_manages_tenants) {
  InProcessApi server;
  server.CreateTenant("acme");
  const std::string admin = server.IssueToken("acme", "ADMIN");
  Response anonymous = server.Call("POST", "/v1/tenants", R"({"id":"b","kind":"MANUFACTURER"})");
  BOOST_TEST(anonymous.status == 401);
  Response by_admin = server.Call("POST", "/v1/tenants", R"({"id":"b","kind":"MANUFACTURER"})", admin);
  BOOST_TEST(by_admin.status == 403);
  Response bad_token = server.Call("GET", "/v1/tenants", "", "dxt_not-a-token");
  BOOST_TEST(bad_token.status == 401);
  BOOST_TEST(ProblemCode(bad_token) == "bad-credentials");
}

BOOST_AUTO_TEST_CASE(tokens_authenticate_until_revoked_and_never_show_their_secret_again) {
  InProcessApi server;
  server.CreateTenant("acme");
  Response issued =
      server.Call("POST", "/v1/tenants/acme/tokens", R"({"role":"EDITOR","label":"ci","ttlSeconds":3600})",
                  server.operator_token());
  BOOST_TEST_REQUIRE(issued.status == 201, issued.body);
  const json::object token = Body(issued);
  const std::string secret(token.at("token").as_string());
  const std::string id(token.at("id").as_string());
  BOOST_TEST(secret.rfind("dxt_", 0) == 0u);
  BOOST_TEST(id.rfind("tok_", 0) == 0u);
  BOOST_TEST(token.at("role").as_string() == "EDITOR");
  BOOST_TEST(token.contains("expiresAt"));

  BOOST_TEST(server.Call("GET", "/v1/tenants/acme", "", secret).status == 200);

  Response list = server.Call("GET", "/v1/tenants/acme/tokens", "", server.operator_token());
  BOOST_TEST_REQUIRE(list.status == 200);
  BOOST_TEST(list.body.find(secret) == std::string::npos);
  BOOST_TEST(Body(list).at("tokens").as_array().size() == 1u);

  // An EDITOR is not a tenant ADMIN: it cannot manage tokens.
  BOOST_TEST(server.Call("GET", "/v1/tenants/acme/tokens", "", secret).status == 403);

  Response revoked = server.Call("DELETE", "/v1/tenants/acme/tokens/" + id, "", server.operator_token());
  BOOST_TEST_REQUIRE(revoked.status == 200, revoked.body);
  BOOST_TEST(Body(revoked).contains("revokedAt"));
  Response after = server.Call("GET", "/v1/tenants/acme", "", secret);
  BOOST_TEST(after.status == 401);
  BOOST_TEST(ProblemCode(after) == "token-revoked");
}

BOOST_AUTO_TEST_CASE(bad_token_requests_are_refused_with_their_reason) {
  InProcessApi server;
  server.CreateTenant("acme");
  const std::string& op = server.operator_token();
  BOOST_TEST(
      server.RefusalMismatches(
          op, {
                  {"POST", "/v1/tenants/acme/tokens", R"({"role":"OWNER"})", 400, "bad-role", "role"},
                  {"POST", "/v1/tenants/acme/tokens", R"({"role":"VIEWER","ttlSeconds":0})", 400,
                   "bad-parameter", "ttlSeconds"},
                  {"POST", "/v1/tenants/acme/tokens", R"({"role":"VIEWER","ttlSeconds":999999999999})", 400,
                   "bad-parameter", "ttlSeconds"},
                  {"POST", "/v1/tenants/acme/tokens",
                   R"({"role":"VIEWER","expiresAt":"2001-01-01T00:00:00Z"})", 400, "bad-time", "expiresAt"},
                  {"POST", "/v1/tenants/acme/tokens", R"({"role":"VIEWER","expiresAt":"tomorrow"})", 400,
                   "bad-time", "expiresAt"},
                  {"POST", "/v1/tenants/acme/tokens", R"({"role":"VIEWER","scope":"all"})", 400,
                   "unknown-field", "scope"},
              }) == "");
  Response no_tenant = server.Call("POST", "/v1/tenants/nobody/tokens", R"({"role":"VIEWER"})", op);
  BOOST_TEST(no_tenant.status == 404);
  Response unknown = server.Call("DELETE", "/v1/tenants/acme/tokens/tok_0000", "", op);
  BOOST_TEST(unknown.status == 404);
}

BOOST_AUTO_TEST_CASE(a_registered_client_certificate_authenticates_with_its_role) {
  InProcessApi server;
  server.CreateTenant("acme");
  const std::string spki(64, 'a');
  Response registered =
      server.Call("POST", "/v1/tenants/acme/client-certificates",
                  R"({"spkiSha256":")" + spki + R"(","role":"VIEWER"})", server.operator_token());
  BOOST_TEST_REQUIRE(registered.status == 201, registered.body);
  BOOST_TEST(Body(registered).at("id").as_string() == "cert_" + spki.substr(0, 16));
  BOOST_TEST(Body(registered).at("spkiSha256").as_string() == spki);

  BOOST_TEST(server.CallWithClientCertificate("GET", "/v1/tenants/acme", spki).status == 200);
  Response stranger = server.CallWithClientCertificate("GET", "/v1/tenants/acme", std::string(64, 'b'));
  BOOST_TEST(stranger.status == 401);
  BOOST_TEST(ProblemCode(stranger) == "bad-credentials");

  const std::string certificates = "/v1/tenants/acme/client-certificates";
  BOOST_TEST(server.RefusalMismatches(
                 server.operator_token(),
                 {
                     {"POST", certificates, R"({"spkiSha256":"abcd","role":"VIEWER"})", 400, "bad-digest",
                      "spkiSha256"},
                     {"POST", certificates, R"({"role":"VIEWER"})", 422, "missing-field", "certificatePem"},
                     {"POST", certificates, R"({"certificatePem":"hello","role":"VIEWER"})", 400,
                      "bad-certificate", "certificatePem"},
                     {"POST", certificates, R"({"spkiSha256":")" + spki + R"(","role":"OWNER"})", 400,
                      "bad-role", "role"},
                 }) == "");
}

BOOST_AUTO_TEST_SUITE_END()
