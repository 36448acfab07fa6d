// Function-level authorisation (OWASP API5): each role × each route of
// /openapi.json answers as its "Access:" phrase says — allowed (neither 401
// nor the authorisation 403) or 403 — and the operator manages tenants and
// tokens but gets 403 on tenant content.
#define BOOST_TEST_MODULE security_role_matrix
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

#include "tests/security/security_fixture.h"

using namespace dossier::testing;
using namespace dossier::testing::security;
namespace json = boost::json;

namespace {

// A refusal by the role check itself (router.cc Authorize), as opposed to a
// handler's own refusal such as "only a manufacturer submits" (its own code).
bool RoleRefused(const HttpResult& r) { return r.status == 403 && r.ProblemCode() == "permission-denied"; }

}  // namespace

BOOST_AUTO_TEST_CASE(each_role_on_each_route_is_allowed_or_403_as_documented) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "0"});
  HttpClient http(server.port());
  World w = BuildWorld(http, server.operator_token());
  const auto ops = FetchOperations(http);

  // Tokens of every role in both the manufacturer and the regulator tenant.
  std::map<std::string, std::map<Caller, std::string>> tokens;
  for (const Actor* a : {&w.acme, &w.fda}) {
    for (auto [caller, role] :
         {std::pair{Caller::kViewer, "VIEWER"}, std::pair{Caller::kReviewer, "REVIEWER"},
          std::pair{Caller::kEditor, "EDITOR"}}) {
      tokens[a->tenant][caller] = IssueToken(http, a->token, a->tenant, role).second;
    }
    tokens[a->tenant][Caller::kAdmin] = a->token;
    tokens[a->tenant][Caller::kOperator] = w.operator_token;
    tokens[a->tenant][Caller::kNone] = "";
  }

  // Weakest first, so that what ADMIN and the operator change (revoking the
  // spare token and key, withdrawing) comes after the others' calls.
  const Caller order[] = {Caller::kNone,   Caller::kViewer, Caller::kReviewer,
                          Caller::kEditor, Caller::kAdmin,  Caller::kOperator};
  size_t cells = 0;
  for (const Operation& op : ops) {
    const auto allowed = AllowedCallers(op.access);
    if (!allowed) {
      BOOST_ERROR(op.Name() << ": unknown access phrase \"" << op.access << "\"");
      continue;
    }
    for (const std::string tenant : {"acme", "fda"}) {
      if (!op.tenant_scoped() && tenant == "fda") continue;  // one tenant suffices for global routes
      std::string missing;
      const std::string path = FillPath(op.pattern, ValuesFor(w, tenant), &missing);
      if (!missing.empty()) {
        BOOST_ERROR("no value for path parameter " << missing
                                                   << ": add one to ValuesFor in security_fixture.cc");
        break;
      }
      for (Caller caller : order) {
        Call call = MakeCall(w, op, path, tokens[tenant][caller]);
        auto r = http.Request(call.method, call.target, call.body, call.headers);
        ++cells;
        BOOST_TEST_CONTEXT(CallerName(caller)
                           << " of " << tenant << " → " << call.method << " " << call.target << " ["
                           << op.access << "] answered " << r.status << " " << r.body.substr(0, 160)) {
          if (allowed->count(caller)) {
            BOOST_TEST(r.status != 401);
            BOOST_TEST(!RoleRefused(r));
            BOOST_TEST(r.status < 500);
          } else if (caller == Caller::kNone) {
            BOOST_TEST(r.status == 401);
            BOOST_TEST(r.Header("www-authenticate").find("Bearer") == 0);
          } else {
            BOOST_TEST(r.status == 403);
            BOOST_TEST(r.ProblemCode() == "permission-denied");
          }
        }
      }
    }
  }
  BOOST_TEST_MESSAGE("role × route cells checked: " << cells);
  BOOST_TEST(cells > 300u);
}

BOOST_AUTO_TEST_CASE(operator_manages_tenants_and_tokens_but_not_content) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "0"});
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  Actor acme = CreateTenant(http, op, "acme", "MANUFACTURER", "US");
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", JsonAuth(acme.token)).status, 201);

  // Allowed: tenants, tokens, client certificates, the node's audit log.
  BOOST_TEST(http.Request("POST", "/v1/tenants",
                          R"({"id":"beta","displayName":"Beta","kind":"MANUFACTURER"})", JsonAuth(op))
                 .status == 201);
  BOOST_TEST(http.Request("GET", "/v1/tenants", "", Auth(op)).status == 200);
  auto token = http.Request("POST", "/v1/tenants/acme/tokens", R"({"role":"EDITOR","label":"by operator"})",
                            JsonAuth(op));
  BOOST_REQUIRE_EQUAL(token.status, 201);
  const std::string editor(token.Json().at("token").as_string());
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/tokens", "", Auth(op)).status == 200);
  BOOST_TEST(http.Request("GET", "/v1/audit", "", Auth(op)).status == 200);
  // The token the operator issued works for its tenant's content.
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers/cxr", "", Auth(editor)).status == 200);

  // Refused with 403: the tenant's content, in both directions.
  for (auto [method, target] :
       {std::pair{"GET", "/v1/tenants/acme/dossiers"}, std::pair{"GET", "/v1/tenants/acme/dossiers/cxr"},
        std::pair{"GET", "/v1/tenants/acme/keys"}, std::pair{"GET", "/v1/tenants/acme/audit"},
        std::pair{"GET", "/v1/tenants/acme"}, std::pair{"POST", "/v1/tenants/acme/dossiers"}}) {
    auto r = http.Request(method, target, method == std::string("POST") ? R"({"id":"by-operator"})" : "",
                          JsonAuth(op));
    BOOST_TEST(r.status == 403, method << " " << target << ": " << r.status);
  }
  // Tenant credentials, even ADMIN, cannot do the operator's work.
  BOOST_TEST(http.Request("POST", "/v1/tenants", R"({"id":"gamma","displayName":"G","kind":"MANUFACTURER"})",
                          JsonAuth(acme.token))
                 .status == 403);
  BOOST_TEST(http.Request("GET", "/v1/tenants", "", Auth(acme.token)).status == 403);
  BOOST_TEST(http.Request("GET", "/v1/audit", "", Auth(acme.token)).status == 403);
  // A tenant ADMIN issues tokens only in its own tenant.
  BOOST_TEST(
      http.Request("POST", "/v1/tenants/beta/tokens", R"({"role":"ADMIN"})", JsonAuth(acme.token)).status ==
      404);
  // A token cannot escalate its own role: an EDITOR may not issue tokens.
  BOOST_TEST(
      http.Request("POST", "/v1/tenants/acme/tokens", R"({"role":"ADMIN"})", JsonAuth(editor)).status == 403);
  // Wrong or malformed credentials are 401, never a fallback to anonymous.
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme", "", Auth("dxt_not-a-real-token")).status == 401);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme", "", {{"Authorization", "Basic YTpi"}}).status == 401);
  BOOST_TEST(http.Request("GET", "/v1/log/checkpoint", "", Auth("dxt_not-a-real-token")).status == 401);

  // Tokens expire and are revoked: then 401 with a reason.
  auto short_lived = http.Request("POST", "/v1/tenants/acme/tokens", R"({"role":"VIEWER","ttlSeconds":1})",
                                  JsonAuth(acme.token));
  BOOST_REQUIRE_EQUAL(short_lived.status, 201);
  const std::string expiring(short_lived.Json().at("token").as_string());
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme", "", Auth(expiring)).status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto expired = http.Request("GET", "/v1/tenants/acme", "", Auth(expiring));
  BOOST_TEST(expired.status == 401);
  BOOST_TEST(expired.ProblemCode() == "token-expired");
  const std::string editor_id(token.Json().at("id").as_string());
  BOOST_TEST(http.Request("DELETE", "/v1/tenants/acme/tokens/" + editor_id, "", Auth(acme.token)).status ==
             200);
  auto revoked = http.Request("GET", "/v1/tenants/acme/dossiers/cxr", "", Auth(editor));
  BOOST_TEST(revoked.status == 401);
  BOOST_TEST(revoked.ProblemCode() == "token-revoked");
}

// Reads a server answers on its network threads from memory (version content
// and metadata, objects: Route::answers_inline) still authenticate every
// request against the token's record: a token revoked between two requests of
// one keep-alive connection, after hundreds of reads, is refused on the next.
BOOST_AUTO_TEST_CASE(a_revoked_token_is_refused_at_once_on_the_fast_read_paths) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "0"});
  HttpClient http(server.port());
  Actor acme = CreateActor(http, server.operator_token(), "acme");
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d1"})", JsonAuth(acme.token)).status, 201);
  const std::string digest = UploadBlob(http, acme, MinimalDossierJson("Revocation", {}));
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers/d1/versions",
                   CommitBody(acme, "dossiers/d1", 1, "", digest, acme.key), JsonAuth(acme.token))
          .status,
      201);
  const auto [viewer_id, viewer] = IssueToken(http, acme.token, "acme", "VIEWER");
  const std::vector<std::string> paths = {"/v1/tenants/acme/dossiers/d1/versions/1/content",
                                          "/v1/tenants/acme/dossiers/d1/versions/1",
                                          "/v1/tenants/acme/dossiers/d1"};
  for (int i = 0; i < 100; ++i) {
    for (const auto& p : paths) BOOST_REQUIRE_EQUAL(http.Request("GET", p, "", Auth(viewer)).status, 200);
  }
  BOOST_REQUIRE_EQUAL(
      http.Request("DELETE", "/v1/tenants/acme/tokens/" + viewer_id, "", Auth(acme.token)).status, 200);
  for (const auto& p : paths) {
    auto r = http.Request("GET", p, "", Auth(viewer));
    BOOST_TEST(r.status == 401, p << ": " << r.status);
    BOOST_TEST(r.ProblemCode() == "token-revoked", p);
  }
}
