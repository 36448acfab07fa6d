#include "tests/security/security_fixture.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/strings.h"

namespace dossier::testing::security {
namespace json = boost::json;

namespace {

void Expect(const HttpResult& r, int status, const std::string& what) {
  if (r.status != status) {
    throw std::runtime_error(what + ": expected " + std::to_string(status) + ", got " +
                             std::to_string(r.status) + " " + r.body.substr(0, 400));
  }
}

std::string Hex(const std::string& digest) {  // "sha256:<hex>" -> "<hex>"
  return digest.substr(digest.find(':') + 1);
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Commit(HttpClient& http, const Actor& a, const std::string& collection, const std::string& id,
                   uint64_t n, const std::string& parent, const std::string& content,
                   const std::string& media) {
  const std::string digest = UploadBlob(http, a, content);
  auto r =
      http.Request("POST", "/v1/tenants/" + a.tenant + "/" + collection + "/" + id + "/versions",
                   CommitBody(a, collection + "/" + id, n, parent, digest, a.key, media), JsonAuth(a.token));
  Expect(r, 201, "commit " + collection + "/" + id + " v" + std::to_string(n));
  return digest;
}

}  // namespace

std::string SourceFile(const std::string& relative) {
  const char* root = std::getenv("DOSSIER_SOURCE_DIR");
  if (root == nullptr)
    throw std::runtime_error("DOSSIER_SOURCE_DIR is not set (run the tests through ctest)");
  std::string text = ReadFile(std::filesystem::path(root) / relative);
  if (text.empty()) throw std::runtime_error("cannot read " + relative);
  return text;
}

std::vector<Operation> FetchOperations(HttpClient& http) {
  auto r = http.Request("GET", "/openapi.json");
  Expect(r, 200, "GET /openapi.json");
  const json::value doc = r.Json();
  const json::object& paths = doc.at("paths").as_object();
  std::vector<Operation> ops;
  for (const auto& [pattern, item] : paths) {
    for (const auto& [method, raw] : item.as_object()) {
      const json::object& op = raw.as_object();
      Operation o;
      o.method = AsciiUpper(std::string(method));
      o.pattern = std::string(pattern);
      const std::string description =
          op.contains("description") ? std::string(op.at("description").as_string()) : "";
      const size_t at = description.rfind("Access: ");
      if (at == std::string::npos)
        throw std::runtime_error(o.Name() + " has no \"Access:\" phrase in its description");
      o.access = description.substr(at + 8);
      while (!o.access.empty() && (o.access.back() == '.' || o.access.back() == ' ')) o.access.pop_back();
      if (const json::value* body = op.if_contains("requestBody")) {
        for (const auto& [media, content] : body->at("content").as_object()) {
          if (const json::value* ex = content.as_object().if_contains("example")) o.example = *ex;
        }
      }
      ops.push_back(std::move(o));
    }
  }
  if (ops.size() < 20)
    throw std::runtime_error("openapi.json lists only " + std::to_string(ops.size()) + " operations");
  return ops;
}

const char* CallerName(Caller caller) {
  switch (caller) {
    case Caller::kNone:
      return "no credential";
    case Caller::kViewer:
      return "VIEWER";
    case Caller::kReviewer:
      return "REVIEWER";
    case Caller::kEditor:
      return "EDITOR";
    case Caller::kAdmin:
      return "ADMIN";
    case Caller::kOperator:
      return "operator";
  }
  return "?";
}

std::optional<std::set<Caller>> AllowedCallers(const std::string& access) {
  using C = Caller;
  if (access == "public")
    return std::set<C>{C::kNone, C::kViewer, C::kReviewer, C::kEditor, C::kAdmin, C::kOperator};
  if (access == "authenticated")
    return std::set<C>{C::kViewer, C::kReviewer, C::kEditor, C::kAdmin, C::kOperator};
  if (access == "operator") return std::set<C>{C::kOperator};
  if (access == "operator or tenant ADMIN") return std::set<C>{C::kOperator, C::kAdmin};
  if (access == "tenant VIEWER" || access == "tenant VIEWER or reliance peer")
    return std::set<C>{C::kViewer, C::kReviewer, C::kEditor, C::kAdmin};
  if (access == "tenant REVIEWER") return std::set<C>{C::kReviewer, C::kAdmin};
  if (access == "tenant EDITOR") return std::set<C>{C::kEditor, C::kAdmin};
  if (access == "tenant EDITOR or REVIEWER") return std::set<C>{C::kReviewer, C::kEditor, C::kAdmin};
  if (access == "tenant ADMIN") return std::set<C>{C::kAdmin};
  return std::nullopt;
}

std::string FillPath(const std::string& pattern, const ParamValues& values, std::string* missing) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = pattern.find('{', pos);
    if (open == std::string::npos) break;
    const size_t close = pattern.find('}', open);
    const std::string name = pattern.substr(open + 1, close - open - 1);
    // The literal segment before the one holding this parameter.
    const size_t seg_start = pattern.rfind('/', open);
    const size_t prev_start = seg_start == 0 ? std::string::npos : pattern.rfind('/', seg_start - 1);
    const std::string previous =
        prev_start == std::string::npos ? "" : pattern.substr(prev_start + 1, seg_start - prev_start - 1);
    auto it = values.find(previous + "/{" + name + "}");
    if (it == values.end()) it = values.find("{" + name + "}");
    if (it == values.end()) {
      *missing = "{" + name + "} in " + pattern;
      return "";
    }
    out += pattern.substr(pos, open - pos) + it->second;
    pos = close + 1;
  }
  return out + pattern.substr(pos);
}

Actor CreateTenant(HttpClient& http, const std::string& operator_token, const std::string& id,
                   const std::string& kind, const std::string& jurisdiction) {
  json::object tenant{{"id", id}, {"displayName", id}, {"kind", kind}};
  if (!jurisdiction.empty()) tenant["jurisdiction"] = jurisdiction;
  Expect(http.Request("POST", "/v1/tenants", json::serialize(tenant), JsonAuth(operator_token)), 201,
         "create tenant " + id);
  auto [token_id, secret] = IssueToken(http, operator_token, id, "ADMIN");
  Actor actor{id, secret, trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value(), ""};
  json::object key{{"publicKeyPem", actor.key.public_key().Pem()}, {"label", "release"}};
  auto reg = http.Request("POST", "/v1/tenants/" + id + "/keys", json::serialize(key), JsonAuth(actor.token));
  Expect(reg, 201, "register key of " + id);
  actor.key_id = std::string(reg.Json().at("keyId").as_string());
  return actor;
}

std::pair<std::string, std::string> IssueToken(HttpClient& http, const std::string& issuer_token,
                                               const std::string& tenant, const std::string& role) {
  auto r = http.Request("POST", "/v1/tenants/" + tenant + "/tokens",
                        R"({"role":")" + role + R"(","label":"security test )" + role + "\"}",
                        JsonAuth(issuer_token));
  Expect(r, 201, "issue " + role + " token in " + tenant);
  return {std::string(r.Json().at("id").as_string()), std::string(r.Json().at("token").as_string())};
}

World BuildWorld(HttpClient& http, const std::string& operator_token) {
  // Braced initialisation: the tenants are created in this order.
  World w{CreateTenant(http, operator_token, "acme", "MANUFACTURER", "US"),
          CreateTenant(http, operator_token, "globex", "MANUFACTURER", "US"),
          CreateTenant(http, operator_token, "fda", "REGULATOR", "US"),
          CreateTenant(http, operator_token, "hsa", "REGULATOR", "SG"), operator_token};
  const Actor& a = w.acme;

  w.doc_common = UploadBlob(http, a, "%PDF-1.7 software description");
  w.doc_v1 = UploadBlob(http, a, "%PDF-1.7 first risk analysis");
  w.doc_v2 = UploadBlob(http, a, "%PDF-1.7 submitted risk analysis");
  w.doc_v3 = UploadBlob(http, a, "%PDF-1.7 risk analysis after submitting");
  w.doc_secret = UploadBlob(http, a, "%PDF-1.7 unrelated confidential document");
  w.planted_bytes = "planted by another tenant";

  Expect(http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr","title":"CXR triage"})",
                      JsonAuth(a.token)),
         201, "create dossier");
  const std::string media = "application/vnd.dossier.v1+json";
  w.content[1] = Commit(http, a, "dossiers", "cxr", 1, "",
                        MinimalDossierJson("CXR v1", {w.doc_common, w.doc_v1}), media);
  w.content[2] = Commit(http, a, "dossiers", "cxr", 2, w.content[1],
                        MinimalDossierJson("CXR v2", {w.doc_common, w.doc_v2}), media);

  Expect(http.Request("POST", "/v1/tenants/acme/change-plans", R"({"id":"cxr-pccp","dossier":"cxr"})",
                      JsonAuth(a.token)),
         201, "create change plan");
  w.plan_content = Commit(http, a, "change-plans", "cxr-pccp", 1, "",
                          SourceFile("schema/pccp/testdata/thoraxtriage.pccp.json"),
                          "application/vnd.dossier.change-plan.v1+json");
  json::value record = json::parse(SourceFile("schema/pccp/testdata/retrain-within-plan.json"));
  record.as_object()["planVersion"] = 1;
  Expect(http.Request("POST", "/v1/tenants/acme/change-plans/cxr-pccp/modifications", json::serialize(record),
                      JsonAuth(a.token)),
         201, "record a modification");

  auto submitted = http.Request(
      "POST", "/v1/tenants/acme/submissions",
      R"({"dossier":"cxr","version":2,"agency":"fda","pathway":"510k-traditional","changePlan":"cxr-pccp","changePlanVersion":1})",
      JsonAuth(a.token));
  Expect(submitted, 201, "submit");
  w.submission = std::string(submitted.Json().at("id").as_string());
  // A reviewer's comment thread on the submission (server/comment_routes.cc).
  auto thread = http.Request("POST", "/v1/tenants/fda/submissions/" + w.submission + "/comments",
                             R"({"heading":"2.04.01","text":"Describe the input image constraints."})",
                             JsonAuth(w.fda.token));
  Expect(thread, 201, "open a comment thread");
  w.comment_thread = std::string(thread.Json().at("id").as_string());
  // Committed after submitting: not part of what fda may read.
  w.content[3] = Commit(http, a, "dossiers", "cxr", 3, w.content[2],
                        MinimalDossierJson("CXR v3", {w.doc_common, w.doc_v3}), media);

  std::tie(w.spare_token_id, w.spare_token_secret) = IssueToken(http, a.token, "acme", "VIEWER");
  auto spare_key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  auto reg = http.Request(
      "POST", "/v1/tenants/acme/keys",
      json::serialize(json::object{{"publicKeyPem", spare_key.public_key().Pem()}, {"label", "spare"}}),
      JsonAuth(a.token));
  Expect(reg, 201, "register the spare key");
  w.spare_key_id = std::string(reg.Json().at("keyId").as_string());

  w.decision_digest = UploadBlob(
      http, w.fda,
      R"({"submission":")" + w.submission +
          R"(","outcome":"CLEARED","number":"K269999","date":"2026-11-29","sections":[{"code":"2.04.01","outcome":"ACCEPTABLE","notes":"adequate"}]})");

  // A reliance peer of fda, when this server pulls peers: an address where
  // nobody listens, so it only ever records failures.
  bool has_peers = false;
  for (const auto& op : FetchOperations(http))
    has_peers = has_peers || op.Name() == "POST /v1/tenants/{t}/peers";
  if (has_peers) {
    auto log_key = http.Request("GET", "/v1/log/public-key", "", Auth(w.fda.token));
    Expect(log_key, 200, "GET /v1/log/public-key");
    json::object peer{{"url", "http://127.0.0.1:9"},
                      {"tenant", "hsa"},
                      {"token", "dxt_not-a-real-token-of-the-peer"},
                      {"logPublicKeyPem", log_key.Json().at("publicKeyPem")}};
    auto added = http.Request("POST", "/v1/tenants/fda/peers", json::serialize(peer), JsonAuth(w.fda.token));
    Expect(added, 201, "add a peer to fda");
    w.peer_id = std::string(added.Json().at("id").as_string());
  }
  return w;
}

ParamValues ValuesFor(const World& w, const std::string& owner) {
  const Actor& o = owner == "fda" ? w.fda : w.acme;
  return {
      {"{t}", owner},
      {"{d}", w.dossier},
      {"dossiers/{d}", w.dossier},
      {"change-plans/{d}", w.plan},
      {"change-plans/{p}", w.plan},
      {"{n}", "2"},
      {"{hex}", Hex(w.doc_common)},
      {"{k}", owner == "fda" ? o.key_id : w.spare_key_id},
      {"tokens/{id}", w.spare_token_id},
      {"{s}", w.submission},
      {"{c}", w.comment_thread},
      {"peers/{p}", w.peer_id},
      {"reliance-agreements/{p}", "hsa"},
  };
}

Call MakeCall(const World& w, const Operation& op, const std::string& path, const std::string& token) {
  Call call;
  call.method = op.method;
  call.target = path;
  if (!token.empty()) call.headers["Authorization"] = "Bearer " + token;
  const std::string& p = op.pattern;
  // The query a route needs to do its work.
  if (EndsWith(p, "/export")) call.target += "?format=fhir-r5";
  if (EndsWith(p, "/readiness")) call.target += "?agency=FDA&pathway=510k-traditional";
  if (EndsWith(p, "/diff")) call.target += "?from=1&to=2";
  if (EndsWith(p, "/imports")) call.target += "?format=fhir-r5";
  if (EndsWith(p, "/proofs/inclusion")) call.target += "?leafIndex=0&treeSize=1";
  if (EndsWith(p, "/proofs/consistency")) call.target += "?from=1&to=2";
  if (op.method != "POST" && op.method != "PUT") return call;

  call.headers["Content-Type"] = "application/json";
  const Actor& a = w.acme;
  if (op.method == "PUT" && p.find("/blobs/") != std::string::npos) {
    // An upload whose name matches its bytes: it would be stored if allowed.
    call.headers["Content-Type"] = "application/octet-stream";
    call.body = w.planted_bytes;
    call.target = path.substr(0, path.rfind("sha256:")) + DigestOf(w.planted_bytes);
  } else if (op.method == "POST" && EndsWith(p, "/blobs")) {
    // An upload named by the server after its bytes.
    call.headers["Content-Type"] = "application/octet-stream";
    call.body = w.planted_bytes;
  } else if (p == "/v1/tenants") {
    call.body = R"({"id":"planted-tenant","displayName":"planted","kind":"MANUFACTURER"})";
  } else if (EndsWith(p, "/tokens")) {
    call.body = R"({"role":"ADMIN","label":"planted"})";
  } else if (EndsWith(p, "/client-certificates")) {
    call.body = R"({"spkiSha256":")" + std::string(64, 'a') + R"(","role":"ADMIN","label":"planted"})";
  } else if (EndsWith(p, "/keys")) {
    auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
    call.body = json::serialize(json::object{{"publicKeyPem", key.public_key().Pem()}, {"label", "planted"}});
  } else if (EndsWith(p, ":revoke")) {
    call.body = R"({"revokedAt":"2020-01-01T00:00:00Z"})";
  } else if (EndsWith(p, "/dossiers")) {
    call.body = R"({"id":"planted"})";
  } else if (EndsWith(p, "/change-plans")) {
    call.body = R"({"id":"planted-plan","dossier":"cxr"})";
  } else if (EndsWith(p, "dossiers/{d}/versions")) {
    // A correctly signed next version of acme's dossier.
    call.body = CommitBody(a, "dossiers/" + w.dossier, 4, w.content[3], w.content[1], a.key);
  } else if (EndsWith(p, "change-plans/{d}/versions")) {
    call.body = CommitBody(a, "change-plans/" + w.plan, 2, w.plan_content, w.plan_content, a.key,
                           "application/vnd.dossier.change-plan.v1+json");
  } else if (EndsWith(p, "/submissions")) {
    call.body = R"({"dossier":"cxr","version":3,"agency":"fda","pathway":"510k-traditional"})";
  } else if (EndsWith(p, "/decisions")) {
    call.body = CommitBody(w.fda, "submissions/" + w.submission + "/decisions", 1, "", w.decision_digest,
                           w.fda.key, "application/vnd.dossier.decision.v1+json");
  } else if (EndsWith(p, "/modifications")) {
    json::value record = json::parse(SourceFile("schema/pccp/testdata/retrain-within-plan.json"));
    record.as_object()["planVersion"] = 1;
    call.body = json::serialize(record);
  } else if (EndsWith(p, "/imports")) {
    call.body = R"({"resourceType":"Bundle","type":"collection","entry":[]})";
  } else if (EndsWith(p, ":withdraw") || EndsWith(p, ":start-review")) {
    call.body = "";
  } else if (!op.example.is_null()) {
    call.body = json::serialize(op.example);
  } else {
    call.body = "{}";
  }
  return call;
}

std::vector<json::object> ReadAudit(HttpClient& http, const std::string& path, const std::string& token) {
  std::vector<json::object> entries;
  std::string page_token;
  for (int page = 0; page < 1000; ++page) {
    std::string target = path + "?pageSize=500";
    if (!page_token.empty()) target += "&pageToken=" + page_token;
    auto r = http.Request("GET", target, "", Auth(token));
    Expect(r, 200, "GET " + target);
    json::value v = r.Json();
    for (auto& e : v.at("entries").as_array()) entries.push_back(e.as_object());
    const json::value* next = v.as_object().if_contains("nextPageToken");
    if (!next || !next->is_string() || next->as_string().empty()) break;
    page_token = std::string(next->as_string());
  }
  return entries;
}

bool RegulatorRoute(const std::string& pattern) {
  for (const char* part : {"/reliance-agreements", "/peers", "/decisions", ":start-review",
                           "/review-timelines", ":draft-ai-request"}) {
    if (pattern.find(part) != std::string::npos) return true;
  }
  return false;
}

std::vector<ExampleRequest> ExampleRequests(const json::value& openapi, const World& w) {
  std::vector<ExampleRequest> out;
  for (const auto& [path, item] : openapi.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      const json::value* body = op.as_object().if_contains("requestBody");
      const json::value* media =
          body ? body->at("content").as_object().if_contains("application/json") : nullptr;
      const json::value* example = media ? media->as_object().if_contains("example") : nullptr;
      if (example == nullptr) continue;
      ExampleRequest request;
      const std::string pattern(path);
      request.name = std::string(method) + " " + pattern;
      request.method = AsciiUpper(std::string(method));
      const std::string owner = RegulatorRoute(pattern) ? "fda" : "acme";
      std::string missing;
      request.target = FillPath(pattern, ValuesFor(w, owner), &missing);
      if (!missing.empty()) throw std::runtime_error(request.name + ": no value for " + missing);
      const std::string description(op.at("description").as_string());
      request.token = description.find("Access: operator.") != std::string::npos ? w.operator_token
                      : owner == "fda"                                           ? w.fda.token
                                                                                 : w.acme.token;
      request.body = *example;
      // An example that names an uploaded document (a reply letter) gets one
      // the world uploaded: a static example cannot know a digest in this store.
      if (request.body.is_object()) {
        if (json::value* letter = request.body.as_object().if_contains("replyLetter")) *letter = w.doc_common;
      }
      const std::string ref(media->at("schema").at("$ref").as_string());
      request.schema = ref.substr(ref.rfind('/') + 1);
      request.operation = &op;
      out.push_back(std::move(request));
    }
  }
  return out;
}

}  // namespace dossier::testing::security
