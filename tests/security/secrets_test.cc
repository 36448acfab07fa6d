// Secrets never reach logs: after a full flow with the operator, ADMIN,
// EDITOR and VIEWER tokens (one revoked, one forged, one sent in a query
// string) and a client's private key (once sent by mistake as a public key),
// no token secret and no private-key material is in the server's stderr, in
// any audit entry, or in plain form in the store's files; the audit has
// entries for the requests and its hash chain verifies.
#define BOOST_TEST_MODULE security_secrets
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <sstream>
#include <thread>

#include "tests/security/security_fixture.h"

using namespace dossier::testing;
using namespace dossier::testing::security;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// What must never appear: the secrets themselves, and the base64 lines of the
// private key's PEM (and, in logs, any PEM private key at all).
std::vector<std::string> Needles(const std::vector<std::string>& secrets, const std::string& private_pem,
                                 bool any_private_key = true) {
  std::vector<std::string> needles = secrets;
  std::istringstream lines(private_pem);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("-----") == std::string::npos && line.size() >= 16) needles.push_back(line);
  }
  if (any_private_key) needles.push_back("PRIVATE KEY");
  return needles;
}

void ExpectClean(const std::string& where, const std::string& text, const std::vector<std::string>& needles) {
  for (const auto& needle : needles) {
    BOOST_TEST(text.find(needle) == std::string::npos,
               where << " contains \"" << needle.substr(0, 12) << "…\"");
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_token_or_private_key_in_logs_or_audit) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "0"});
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  BOOST_REQUIRE(op.rfind("dxt_", 0) == 0);

  Actor acme = CreateTenant(http, op, "acme", "MANUFACTURER", "US");
  auto [editor_id, editor] = IssueToken(http, acme.token, "acme", "EDITOR");
  auto [viewer_id, viewer] = IssueToken(http, op, "acme", "VIEWER");
  const std::string private_pem = acme.key.Pem();
  BOOST_REQUIRE(private_pem.find("PRIVATE KEY") != std::string::npos);

  // Real work with the EDITOR token, signed with the private key.
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", JsonAuth(editor)).status, 201);
  Actor as_editor = acme;
  as_editor.token = editor;
  const std::string doc = UploadBlob(http, as_editor, "%PDF-1.7 document");
  const std::string content = UploadBlob(http, as_editor, MinimalDossierJson("CXR", {doc}));
  auto commit = http.Request("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                             CommitBody(acme, "dossiers/cxr", 1, "", content, acme.key), JsonAuth(editor));
  BOOST_REQUIRE_MESSAGE(commit.status == 201, commit.body);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers/cxr/versions/1", "", Auth(viewer)).status == 200);

  // Mistakes and attacks that carry secrets: the private key posted as a
  // public key, a token in the query string, a revoked token, a forged one,
  // a token in a malformed Authorization header.
  auto mistake = http.Request("POST", "/v1/tenants/acme/keys",
                              json::serialize(json::object{{"publicKeyPem", private_pem}, {"label", "oops"}}),
                              JsonAuth(acme.token));
  BOOST_TEST(mistake.status >= 400);
  BOOST_TEST(mistake.status < 500);
  ExpectClean("the answer to a private key posted as public", mistake.body, Needles({}, private_pem));
  http.Request("GET", "/v1/tenants/acme/dossiers?access_token=" + editor + "&token=" + editor, "",
               Auth(editor));
  BOOST_REQUIRE_EQUAL(
      http.Request("DELETE", "/v1/tenants/acme/tokens/" + viewer_id, "", Auth(acme.token)).status, 200);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme", "", Auth(viewer)).status == 401);
  const std::string forged = "dxt_" + std::string(43, 'Q');
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme", "", Auth(forged)).status == 401);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme", "", {{"Authorization", "Token " + editor}}).status ==
             401);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme", "", {{"Authorization", "Bearer  " + editor}}).status ==
             401);

  // A regulator's reliance peer holds a credential for the remote node: it is
  // stored (the puller needs it) but never shown, and its failures (nobody
  // listens at the address) do not log it.
  const std::string peer_token = "dxt_peer-credential-" + std::string(24, 'Z');
  Actor fda = CreateTenant(http, op, "fda", "REGULATOR", "US");
  bool has_peers = false;
  for (const auto& o : FetchOperations(http))
    has_peers = has_peers || o.Name() == "POST /v1/tenants/{t}/peers";
  if (has_peers) {
    auto log_key = http.Request("GET", "/v1/log/public-key", "", Auth(fda.token));
    json::object peer{{"url", "http://127.0.0.1:9"},
                      {"tenant", "hsa"},
                      {"token", peer_token},
                      {"logPublicKeyPem", log_key.Json().at("publicKeyPem")}};
    auto added = http.Request("POST", "/v1/tenants/fda/peers", json::serialize(peer), JsonAuth(fda.token));
    BOOST_REQUIRE_MESSAGE(added.status == 201, added.body);
    ExpectClean("the answer to adding a peer", added.body, {peer_token});
    const std::string id(added.Json().at("id").as_string());
    std::this_thread::sleep_for(std::chrono::seconds(2));  // let the puller fail at least once
    ExpectClean("a peer's status",
                http.Request("GET", "/v1/tenants/fda/peers/" + id, "", Auth(fda.token)).body, {peer_token});
    ExpectClean("the peer list", http.Request("GET", "/v1/tenants/fda/peers", "", Auth(fda.token)).body,
                {peer_token});
  }

  const auto needles =
      Needles({op, acme.token, editor, viewer, forged, fda.token, peer_token, "dxt_"}, private_pem);

  // The audit log: entries exist for the work above, with no secret in them.
  std::vector<json::object> tenant_audit;
  bool found_commit = false, found_token = false, found_revoke = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    tenant_audit = ReadAudit(http, "/v1/tenants/acme/audit", acme.token);
    for (const auto& e : tenant_audit) {
      const std::string route(e.at("route").as_string());
      const int status = e.at("status").to_number<int>();
      if (route == "/v1/tenants/{t}/dossiers/{d}/versions" && status == 201 &&
          e.at("principal").as_string() == editor_id)
        found_commit = true;
      if (route == "/v1/tenants/{t}/tokens" && status == 201) found_token = true;
      if (route == "/v1/tenants/{t}/tokens/{id}" && e.at("method").as_string() == "DELETE")
        found_revoke = true;
    }
    if (found_commit && found_token && found_revoke) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  BOOST_TEST(found_commit);
  BOOST_TEST(found_token);
  BOOST_TEST(found_revoke);
  auto operator_audit = ReadAudit(http, "/v1/audit", op);
  bool found_tenant_creation = false;
  for (const auto& e : operator_audit) {
    if (e.at("route").as_string() == "/v1/tenants" && e.at("method").as_string() == "POST" &&
        e.at("status").to_number<int>() == 201)
      found_tenant_creation = true;
  }
  BOOST_TEST(found_tenant_creation);
  for (const auto& e : tenant_audit)
    ExpectClean("tenant audit entry " + json::serialize(e).substr(0, 80), json::serialize(e), needles);
  for (const auto& e : operator_audit)
    ExpectClean("operator audit entry " + json::serialize(e).substr(0, 80), json::serialize(e), needles);
  auto verify = http.Request("GET", "/v1/tenants/acme/audit/verify", "", Auth(acme.token));
  BOOST_TEST(verify.status == 200);
  BOOST_TEST(verify.Json().at("verified").as_bool());

  // The server's stderr, after a clean shutdown (everything flushed).
  server.Stop(SIGTERM);
  const std::string log = ReadFile(server.stderr_path());
  BOOST_TEST(log.find("/v1/tenants/acme/dossiers/cxr/versions") !=
             std::string::npos);  // the access log is there
  ExpectClean("the server's stderr", log, needles);

  // The store keeps hashes of token secrets, never the secrets (the operator
  // token file is the one deliberate exception), nor the client's key (the
  // server's own log key is its business).
  for (const auto& entry : fs::recursive_directory_iterator(server.data_dir())) {
    if (!entry.is_regular_file() || entry.path().filename() == "operator.token" ||
        entry.path() == server.stderr_path()) {
      continue;
    }
    const std::string bytes = ReadFile(entry.path());
    for (const std::string& secret : {op, acme.token, editor, viewer}) {
      BOOST_TEST(bytes.find(secret.substr(4)) == std::string::npos, entry.path().filename().string()
                                                                        << " holds a token secret");
    }
    ExpectClean(entry.path().filename().string(), bytes, Needles({}, private_pem, /*any_private_key=*/false));
  }
}
