// The API contract against a real dossierd (issue 15): every request example
// of /openapi.json is valid for its schema (server_openapi_test) and is
// answered by the server without a 5xx — with a 2xx, except the signed
// commits, whose signature a static example cannot hold — and every JSON
// answer the server serves, to those examples and to every read, is what its
// declared response schema says, read as a closed contract (no member the
// schema does not declare, every required one present). And the public
// transparency routes answer without a credential and say nothing about any
// tenant.
#define BOOST_TEST_MODULE security_contract
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "tests/security/security_fixture.h"
#include "tests/support/json_schema.h"

using namespace dossier::testing;
using namespace dossier::testing::security;
namespace json = boost::json;

namespace {

// The schema /openapi.json declares for `op`'s JSON success answer, or null.
const json::value* DeclaredAnswerSchema(const json::value& op) {
  for (const auto& [status, answer] : op.at("responses").as_object()) {
    if (status.size() != 3 || status[0] != '2') continue;
    const json::value* content = answer.as_object().if_contains("content");
    const json::value* media = content ? content->as_object().if_contains("application/json") : nullptr;
    if (media) return &media->at("schema");
  }
  return nullptr;
}

// Checks a served JSON answer against the schema `op` declares for it.
void CheckAnswer(const std::string& name, const json::value& doc, const json::value& op,
                 const HttpResult& r) {
  const json::value* schema = DeclaredAnswerSchema(op);
  if (schema == nullptr || r.status / 100 != 2) return;
  boost::system::error_code ec;
  const json::value body = json::parse(r.body, ec);
  BOOST_TEST_REQUIRE(!ec, name << ": the answer is not JSON: " << r.body.substr(0, 200));
  // One line per place in the shape, not per array item.
  std::set<std::string> places;
  for (const auto& e : ValidateServedJson(body, *schema, doc))
    places.insert(std::regex_replace(e, std::regex(R"(\[[0-9]+\])"), "[]"));
  for (const auto& place : places)
    BOOST_ERROR(name << ": the answer does not match " << json::serialize(*schema) << " at " << place);
  BOOST_TEST_MESSAGE(name << " served: " << r.body.substr(0, 4000));
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_request_example_is_answered_by_a_real_server) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "0"});
  HttpClient http(server.port());
  World w = BuildWorld(http, server.operator_token());
  const json::value doc = json::parse(http.Request("GET", "/openapi.json").body);
  size_t sent = 0;
  for (const ExampleRequest& example : ExampleRequests(doc, w)) {
    const auto r =
        http.Request(example.method, example.target, json::serialize(example.body), JsonAuth(example.token));
    ++sent;
    BOOST_TEST_CONTEXT(example.name << " -> " << r.status << " " << r.body.substr(0, 300)) {
      BOOST_TEST(r.status < 500);
      if (example.schema == "CommitRequest") {
        // The shape is right; the signature over a statement naming the
        // current head cannot be: refused as unsigned or unknown content.
        BOOST_TEST(r.status / 100 == 4);
      } else {
        BOOST_TEST(r.status / 100 == 2);
      }
      CheckAnswer(example.name, doc, *example.operation, r);
    }
  }
  BOOST_TEST(sent >= 15u);
}

// Adds to the security tests' world what makes every list hold items: fda's
// signed decision, an agreement with hsa, a review timeline, and a released
// software version (dossier v4, submitted to fda) with a performance report
// that drifts, so that reports and drift alerts exist. Waits until the
// decision is in fda's feed (it enters with the next checkpoint).
namespace {

// What AddFollowUps adds that the world does not name.
struct FollowUps {
  std::string hsa_submission;  // acme's dossier v2 at hsa, which relies on fda's decision
};

FollowUps AddFollowUps(HttpClient& http, const World& w, unsigned short port) {
  FollowUps out;
  const auto require = [](const HttpResult& r, int status, const char* what) {
    BOOST_TEST_REQUIRE(r.status == status, what << ": " << r.status << " " << r.body.substr(0, 400));
  };
  require(http.Request("POST", "/v1/tenants/fda/submissions/" + w.submission + "/decisions",
                       CommitBody(w.fda, "submissions/" + w.submission + "/decisions", 1, "",
                                  w.decision_digest, w.fda.key, "application/vnd.dossier.decision.v1+json"),
                       JsonAuth(w.fda.token)),
          201, "fda decides");
  require(
      http.Request("POST", "/v1/tenants/fda/reliance-agreements", R"({"peer":"hsa"})", JsonAuth(w.fda.token)),
      201, "fda lets hsa rely on it");
  require(
      http.Request("POST", "/v1/tenants/fda/review-timelines",
                   R"({"pathway":"510k-traditional","reviewDays":90,"dayKind":"calendar","source":"test"})",
                   JsonAuth(w.fda.token)),
      201, "a review timeline");

  json::value v4 = json::parse(MinimalDossierJson("CXR v4", {w.doc_common, w.doc_v3}));
  v4.at("device").as_object()["softwareVersion"] = "2.4.0";
  require(http.Request("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                       CommitBody(w.acme, "dossiers/cxr", 4, w.content[3],
                                  UploadBlob(http, w.acme, json::serialize(v4)), w.acme.key),
                       JsonAuth(w.acme.token)),
          201, "dossier v4 with a software version");
  require(
      http.Request(
          "POST", "/v1/tenants/acme/submissions",
          R"({"dossier":"cxr","version":4,"agency":"fda","pathway":"510k-traditional","changePlan":"cxr-pccp","changePlanVersion":1})",
          JsonAuth(w.acme.token)),
      201, "submit v4");
  // East Asian sensitivity below the plan's bound: drift.
  const std::string report =
      R"({"softwareVersion":"2.4.0","periodStart":"2026-01-01","periodEnd":"2026-03-31",
    "results":[{"metric":"sensitivity","value":0.921,"sampleSize":880},
               {"metric":"sensitivity","subgroup":"ethnicity=east-asian","value":0.80,"sampleSize":161}]})";
  const auto posted = http.Request(
      "POST", "/v1/tenants/acme/change-plans/cxr-pccp/performance-reports",
      CommitBody(w.acme, "change-plans/cxr-pccp/performance-reports", 1, "", UploadBlob(http, w.acme, report),
                 w.acme.key, "application/vnd.dossier.performance-report.v1+json"),
      JsonAuth(w.acme.token));
  require(posted, 201, "a performance report");
  BOOST_TEST_REQUIRE(posted.Json().at("evaluation").at("drift").as_bool(), posted.body);

  // hsa received the same device and pulls fda's decisions from this very
  // node (its own reader token, the node's log key), so that its reliance
  // view holds a foreign decision.
  const auto to_hsa = http.Request("POST", "/v1/tenants/acme/submissions",
                                   R"({"dossier":"cxr","version":2,"agency":"hsa","pathway":"abridged"})",
                                   JsonAuth(w.acme.token));
  require(to_hsa, 201, "submit v2 to hsa");
  out.hsa_submission = std::string(to_hsa.Json().at("id").as_string());
  const std::string reader = IssueToken(http, w.hsa.token, "hsa", "VIEWER").second;
  const auto log_key = http.Request("GET", "/v1/log/public-key");
  require(log_key, 200, "the node's log key");
  const json::object peer{{"url", "http://127.0.0.1:" + std::to_string(port)},
                          {"tenant", "fda"},
                          {"token", reader},
                          {"logPublicKeyPem", log_key.Json().at("publicKeyPem")}};
  const auto added =
      http.Request("POST", "/v1/tenants/hsa/peers", json::serialize(peer), JsonAuth(w.hsa.token));
  require(added, 201, "hsa pulls fda");
  const std::string peer_id(added.Json().at("id").as_string());

  for (int i = 0; i < 150; ++i) {
    const auto feed = http.Request("GET", "/v1/tenants/fda/feed", "", Auth(w.fda.token));
    const auto pulled = http.Request("GET", "/v1/tenants/hsa/peers/" + peer_id, "", Auth(w.hsa.token));
    if (feed.status == 200 && !feed.Json().at("entries").as_array().empty() && pulled.status == 200 &&
        pulled.Json().at("entries").to_number<int64_t>() >= 1)
      return out;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_FAIL("fda's decision never reached its feed and hsa's node");
  return out;
}

}  // namespace

// Every read with a JSON answer, against that world: the answer matches the
// declared schema. An answer whose lists are empty would check little of
// them, so the lists below must hold items.
BOOST_AUTO_TEST_CASE(every_json_answer_is_what_its_schema_declares) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "0", "--peer-poll-ms", "200"});
  HttpClient http(server.port());
  World w = BuildWorld(http, server.operator_token());
  const FollowUps more = AddFollowUps(http, w, server.port());
  const std::map<std::string, std::string> must_hold_items = {
      {"/v1/tenants/{t}/inbox", "submissions"},
      {"/v1/tenants/{t}/feed", "entries"},
      {"/v1/tenants/{t}/ledger", "submissions"},
      {"/v1/tenants/{t}/submissions/{s}/ledger", "events"},
      {"/v1/tenants/{t}/submissions/{s}/clock", "rules"},
      {"/v1/clock-rules", "rules"},
      {"/v1/tenants/{t}/audit", "entries"},
      {"/v1/tenants/{t}/reliance-agreements", "agreements"},
      {"/v1/tenants/{t}/peers", "peers"},
      {"/v1/tenants/{t}/review-timelines", "timelines"},
      {"/v1/tenants/{t}/change-plans/{p}/modifications", "modifications"},
      {"/v1/tenants/{t}/change-plans/{p}/performance-reports", "reports"},
      {"/v1/tenants/{t}/alerts", "alerts"},
      {"/v1/tenants/{t}/submissions/{s}/decisions", "decisions"},
      {"/v1/export-profiles", "profiles"},
      {"/v1/tenants/{t}/submissions/{s}/reliance", "decisions"},
  };
  const json::value doc = json::parse(http.Request("GET", "/openapi.json").body);
  size_t checked = 0;
  for (const Operation& op : FetchOperations(http)) {
    if (op.method != "GET") continue;
    const json::value& declared = doc.at("paths").at(op.pattern).at("get");
    if (DeclaredAnswerSchema(declared) == nullptr) continue;
    // The manufacturer's view first, then the regulator's: some reads are
    // one party's only ("the receiving regulator only"); the inbox and the
    // feed are the regulator's.
    std::vector<std::string> owners = {"acme", "fda"};
    if (RegulatorRoute(op.pattern) || op.pattern.ends_with("/inbox") || op.pattern.ends_with("/feed"))
      owners = {"fda"};
    if (op.pattern.ends_with("/reliance")) owners = {"hsa"};  // the regulator relying on fda
    HttpResult answer;
    std::string tried;
    for (const std::string& owner : owners) {
      ParamValues values = ValuesFor(w, owner == "hsa" ? "fda" : owner);
      if (op.pattern.find("/change-plans/") != std::string::npos)
        values["versions/{n}"] = "1";  // its only one
      if (owner == "hsa") values["{t}"] = "hsa", values["{s}"] = more.hsa_submission;
      std::string missing;
      const std::string path = FillPath(op.pattern, values, &missing);
      BOOST_TEST_REQUIRE(missing.empty(), op.Name() << ": no value for " << missing);
      const Actor& actor = owner == "fda" ? w.fda : owner == "hsa" ? w.hsa : w.acme;
      const std::string token = op.access == "operator" ? w.operator_token : actor.token;
      const Call call = MakeCall(w, op, path, token);
      answer = http.Request(call.method, call.target, call.body, call.headers);
      tried += " " + call.target + " -> " + std::to_string(answer.status);
      if (answer.status / 100 == 2 || !op.tenant_scoped()) break;
    }
    BOOST_TEST_CONTEXT(op.Name() << ":" << tried << " " << answer.body.substr(0, 300)) {
      BOOST_TEST(answer.status / 100 == 2);
      if (answer.status / 100 != 2) continue;
      ++checked;
      CheckAnswer(op.Name(), doc, declared, answer);
      if (auto list = must_hold_items.find(op.pattern); list != must_hold_items.end()) {
        const json::value body = json::parse(answer.body);
        BOOST_TEST(!body.at(list->second).as_array().empty(), "no " << list->second << " to check");
      }
    }
  }
  BOOST_TEST(checked >= 45u);
}

BOOST_AUTO_TEST_CASE(public_transparency_routes_need_no_token_and_name_no_tenant) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "0"});
  HttpClient http(server.port());
  const std::string contract_before = http.Request("GET", "/openapi.json").body;
  World w = BuildWorld(http, server.operator_token());
  const uint64_t size = LogSize(http, w.acme.token);
  BOOST_TEST_REQUIRE(size > 4u);

  // What no public answer may contain: tenant ids, object ids, digests of
  // content and documents, token ids and secrets, key ids.
  std::vector<std::string> needles = {"acme",
                                      "globex",
                                      w.dossier,
                                      w.plan,
                                      w.submission,
                                      w.spare_token_id,
                                      w.spare_token_secret,
                                      w.acme.token,
                                      w.fda.token,
                                      w.spare_key_id,
                                      w.acme.key_id};
  for (const std::string& digest : {w.doc_common, w.doc_v1, w.doc_v2, w.doc_v3, w.doc_secret, w.content[1],
                                    w.content[2], w.content[3], w.plan_content}) {
    needles.push_back(digest);
    needles.push_back(digest.substr(7));  // the bare hex
  }

  const json::value doc = json::parse(contract_before);
  size_t checked = 0;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      const json::value* security = op.as_object().if_contains("security");
      if (security == nullptr || !security->as_array().empty()) continue;
      BOOST_TEST_REQUIRE(method == "get", path << ": a public route that is not a read");
      std::string target(path);
      if (target == "/openapi.json") continue;  // compared whole below
      if (target == "/v1/log/proofs/inclusion") target += "?leafIndex=2&treeSize=" + std::to_string(size);
      if (target == "/v1/log/proofs/consistency") target += "?from=2&to=" + std::to_string(size);
      const auto r = http.Request("GET", target, "", {});
      ++checked;
      BOOST_TEST_CONTEXT(target << " -> " << r.status << " " << r.body.substr(0, 200)) {
        BOOST_TEST(r.status == 200);
        for (const auto& needle : needles) {
          if (!needle.empty())
            BOOST_TEST(r.body.find(needle) == std::string::npos, "leaks \"" << needle << "\"");
        }
      }
    }
  }
  BOOST_TEST(checked >= 7u);  // healthz, readyz, metrics and the four log routes
  // The contract is built from the route table alone: no tenant's data in it.
  BOOST_TEST(http.Request("GET", "/openapi.json").body == contract_before);
  // Tenant routes still refuse a caller without a credential.
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers", "", {}).status == 401);
}
