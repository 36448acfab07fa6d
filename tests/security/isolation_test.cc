// Object-level authorisation (OWASP API1), generated from the route table:
// for every route of /openapi.json, credentials of another tenant against a
// tenant's real objects answer 404 — never 403, never 2xx — change nothing,
// and are audited under the caller's tenant. A regulator that received a
// submission reads exactly what was submitted, nothing older or newer.
#define BOOST_TEST_MODULE security_isolation
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

#include "tests/security/security_fixture.h"

using namespace dossier::testing;
using namespace dossier::testing::security;
namespace json = boost::json;

namespace {

// What an owner's own credentials see of its state, by request target.
// The peers a tenant configured, without what its own puller records as it
// runs (status, error, updatedAt, ... change by themselves while the fixture's
// peer at 127.0.0.1:9 keeps failing): another tenant must not change which
// peers exist or where they point.
std::string PeerConfiguration(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("peers") || !v.at("peers").is_array()) return body;
  json::array kept;
  for (const json::value& peer : v.at("peers").as_array()) {
    if (!peer.is_object()) return body;
    json::object k;
    for (const char* member : {"id", "url", "tenant"}) {
      if (const json::value* m = peer.as_object().if_contains(member)) k[member] = *m;
    }
    kept.push_back(std::move(k));
  }
  return json::serialize(kept);
}

std::map<std::string, std::string> Snapshot(HttpClient& http, const World& w) {
  const std::string s = "/submissions/" + w.submission;
  const std::vector<std::pair<const Actor*, std::vector<std::string>>> views = {
      {&w.acme,
       {"", "/dossiers", "/dossiers/cxr", "/dossiers/cxr/versions", "/change-plans", "/change-plans/cxr-pccp",
        "/change-plans/cxr-pccp/versions", "/change-plans/cxr-pccp/modifications", "/keys", "/tokens",
        "/submissions", s, s + "/decisions"}},
      {&w.fda,
       {"", "/inbox", s, s + "/decisions", "/keys", "/tokens", "/dossiers", "/submissions",
        "/reliance-agreements", "/peers"}},
      {&w.globex, {"/dossiers", "/change-plans", "/keys", "/tokens", "/submissions"}},
      {&w.hsa, {"/dossiers", "/keys", "/tokens", "/inbox"}},
  };
  std::map<std::string, std::string> out;
  for (const auto& [actor, suffixes] : views) {
    for (const auto& suffix : suffixes) {
      const std::string target = "/v1/tenants/" + actor->tenant + suffix;
      auto r = http.Request("GET", target, "", Auth(actor->token));
      out[target] =
          std::to_string(r.status) + " " + (suffix == "/peers" ? PeerConfiguration(r.body) : r.body);
    }
  }
  out["log size"] = std::to_string(LogSize(http, w.acme.token));
  // The blob another tenant tried to plant is in nobody's store.
  for (const Actor* a : {&w.acme, &w.fda}) {
    const std::string target = "/v1/tenants/" + a->tenant + "/blobs/" + DigestOf(w.planted_bytes);
    out[target] = std::to_string(http.Request("GET", target, "", Auth(a->token)).status);
  }
  return out;
}

struct Attempt {
  std::string caller_tenant, method, route, path;
};

// Waits (the audit log is written in batches) until every attempt is in its
// caller's audit log with status 404; returns those still missing.
std::vector<Attempt> MissingFromAudit(HttpClient& http, const World& w,
                                      const std::vector<Attempt>& attempts) {
  std::vector<Attempt> missing;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    missing.clear();
    std::map<std::string, std::set<std::string>> seen;  // tenant -> "METHOD route path status"
    for (const Actor* a : {&w.acme, &w.globex, &w.fda, &w.hsa}) {
      for (const auto& e : ReadAudit(http, "/v1/tenants/" + a->tenant + "/audit", a->token)) {
        seen[a->tenant].insert(
            std::string(e.at("method").as_string()) + " " + std::string(e.at("route").as_string()) + " " +
            std::string(e.at("object").as_string()) + " " + std::to_string(e.at("status").to_number<int>()));
      }
    }
    for (const auto& at : attempts) {
      if (!seen[at.caller_tenant].count(at.method + " " + at.route + " " + at.path + " 404"))
        missing.push_back(at);
    }
    if (missing.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  } while (std::chrono::steady_clock::now() < deadline);
  return missing;
}

std::string PathOf(const std::string& target) { return target.substr(0, target.find('?')); }

}  // namespace

BOOST_AUTO_TEST_CASE(other_tenants_get_404_for_every_route_and_change_nothing) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "0"});
  HttpClient http(server.port());
  World w = BuildWorld(http, server.operator_token());
  const auto ops = FetchOperations(http);
  const auto before = Snapshot(http, w);

  std::vector<Attempt> attempts;
  size_t checked = 0;
  auto attempt = [&](const Operation& op, const Actor& caller, const std::string& path) {
    Call call = MakeCall(w, op, path, caller.token);
    auto r = http.Request(call.method, call.target, call.body, call.headers);
    ++checked;
    BOOST_TEST(r.status == 404, caller.tenant << " → " << op.method << " " << call.target << " ("
                                              << op.pattern << "): expected 404, got " << r.status << " "
                                              << r.body.substr(0, 200));
    attempts.push_back({caller.tenant, op.method, op.pattern, PathOf(call.target)});
  };

  for (const Operation& op : ops) {
    if (op.access == "public" || op.access == "operator") continue;
    if (!op.tenant_scoped()) {
      // Not scoped to a tenant: only routes every credential may call belong here.
      BOOST_TEST(
          op.access == "authenticated",
          op.Name()
              << " is neither tenant-scoped nor public/operator/authenticated: the isolation matrix cannot "
                 "place it");
      continue;
    }
    // Another tenant's credentials against the owner's path.
    for (const std::string owner : {"acme", "fda"}) {
      std::string missing;
      const std::string path = FillPath(op.pattern, ValuesFor(w, owner), &missing);
      if (!missing.empty()) {
        BOOST_ERROR("no value for path parameter " << missing
                                                   << ": add one to ValuesFor in security_fixture.cc");
        break;
      }
      for (const Actor* caller : {&w.globex, &w.hsa, owner == "acme" ? &w.fda : &w.acme})
        attempt(op, *caller, path);
    }
    // The caller's own path naming the owner's objects (ids, digests, token
    // and key ids, submission ids): they do not exist there either. A PUT
    // names a new object of the caller's own, so it is not an attempt.
    if (op.method == "PUT" || op.pattern.find('{', op.pattern.find("{t}") + 3) == std::string::npos) continue;
    for (const Actor* caller : {&w.globex, &w.hsa}) {
      ParamValues values = ValuesFor(w, "acme");
      values["{t}"] = caller->tenant;
      std::string missing;
      attempt(op, *caller, FillPath(op.pattern, values, &missing));
    }
  }
  BOOST_TEST_MESSAGE("cross-tenant requests checked: " << checked);
  BOOST_TEST(checked > 100u);

  const auto after = Snapshot(http, w);
  for (const auto& [target, body] : before) {
    BOOST_TEST(after.at(target) == body, "changed by another tenant's requests: " << target);
  }
  // The spare token of acme (which the matrix tried to revoke) still works.
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme", "", Auth(w.spare_token_secret)).status == 200);

  // Every attempt is in the caller's audit log.
  for (const auto& m : MissingFromAudit(http, w, attempts)) {
    BOOST_ERROR("not audited under " << m.caller_tenant << ": " << m.method << " " << m.path << " ("
                                     << m.route << ")");
  }
  for (const Actor* a : {&w.acme, &w.globex, &w.fda, &w.hsa}) {
    auto verify = http.Request("GET", "/v1/tenants/" + a->tenant + "/audit/verify", "", Auth(a->token));
    BOOST_TEST(verify.status == 200, a->tenant << " audit verify: " << verify.body);
  }
}

BOOST_AUTO_TEST_CASE(regulator_reads_exactly_what_was_submitted) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "0"});
  HttpClient http(server.port());
  World w = BuildWorld(http, server.operator_token());
  const auto ops = FetchOperations(http);
  const std::string base = "/v1/tenants/fda/submissions/" + w.submission;

  // Every read route of a received submission, from the table: the receiving
  // regulator may; another regulator, another manufacturer may not, neither
  // under their own tenant nor under the receiver's.
  size_t reads = 0;
  for (const Operation& op : ops) {
    if (op.method != "GET" || op.pattern.rfind("/v1/tenants/{t}/submissions/{s}", 0) != 0) continue;
    ParamValues values = ValuesFor(w, "fda");
    values["{hex}"] = w.doc_v2.substr(7);
    std::string missing;
    const std::string path = FillPath(op.pattern, values, &missing);
    BOOST_REQUIRE_MESSAGE(missing.empty(), "no value for " << missing);
    Call own = MakeCall(w, op, path, w.fda.token);
    auto r = http.Request(own.method, own.target, own.body, own.headers);
    BOOST_TEST(r.status == 200, "fda " << own.target << ": " << r.status << " " << r.body.substr(0, 200));
    ++reads;
    for (const Actor* other : {&w.hsa, &w.globex}) {
      for (const std::string& tenant : {std::string("fda"), other->tenant}) {
        values["{t}"] = tenant;
        Call call = MakeCall(w, op, FillPath(op.pattern, values, &missing), other->token);
        auto denied = http.Request(call.method, call.target, call.body, call.headers);
        BOOST_TEST(denied.status == 404, other->tenant << " " << call.target << ": " << denied.status);
      }
    }
  }
  BOOST_TEST(reads >= 6u);

  // The content is version 2 exactly as signed.
  auto content = http.Request("GET", base + "/content", "", Auth(w.fda.token));
  BOOST_REQUIRE_EQUAL(content.status, 200);
  BOOST_TEST(content.Json().at("content").at("device").at("tradeName").as_string() == "CXR v2");
  BOOST_TEST(content.Json().at("version").to_number<int>() == 2);
  auto exact = http.Request(
      "GET", base + "/content", "",
      {{"Authorization", "Bearer " + w.fda.token}, {"Accept", "application/vnd.dossier.v1+json"}});
  BOOST_TEST(DigestOf(exact.body) == w.content[2]);
  auto plan = http.Request("GET", base + "/change-plan", "", Auth(w.fda.token));
  BOOST_TEST(plan.status == 200);
  BOOST_TEST(plan.Json().at("version").to_number<int>() == 1);

  // The documents of the submitted version, and nothing else of acme's.
  for (const std::string& granted : {w.doc_common, w.doc_v2, w.content[2], w.plan_content}) {
    BOOST_TEST(http.Request("GET", base + "/blobs/" + granted, "", Auth(w.fda.token)).status == 200, granted);
  }
  for (const std::string& outside : {w.doc_v1, w.doc_v3, w.doc_secret, w.content[1], w.content[3]}) {
    BOOST_TEST(http.Request("GET", base + "/blobs/" + outside, "", Auth(w.fda.token)).status == 404, outside);
    BOOST_TEST(http.Request("GET", "/v1/tenants/acme/blobs/" + outside, "", Auth(w.fda.token)).status == 404,
               outside);
  }
  // The agency views are built from version 2, not the newer version 3.
  auto fhir = http.Request("GET", base + "/export?format=fhir-r5", "", Auth(w.fda.token));
  BOOST_REQUIRE_EQUAL(fhir.status, 200);
  BOOST_TEST(fhir.body.find("CXR v2") != std::string::npos);
  BOOST_TEST(fhir.body.find("CXR v3") == std::string::npos);
  BOOST_TEST(fhir.body.find("CXR v1") == std::string::npos);
  auto zip = http.Request("GET", base + "/export?format=imdrf-toc", "", Auth(w.fda.token));
  BOOST_TEST(zip.status == 200);
  BOOST_TEST(zip.body.substr(0, 2) == "PK");
  auto readiness = http.Request("GET", base + "/readiness", "", Auth(w.fda.token));
  BOOST_TEST(readiness.status == 200, readiness.body.substr(0, 200));
  BOOST_TEST(readiness.body.find("CXR v3") == std::string::npos);

  // Through acme's own routes the regulator reads no version at all, older or newer.
  for (int n = 1; n <= 3; ++n) {
    for (const char* suffix : {"", "/content", "/bundle", "/export?format=fhir-r5"}) {
      const std::string target = "/v1/tenants/acme/dossiers/cxr/versions/" + std::to_string(n) + suffix;
      BOOST_TEST(http.Request("GET", target, "", Auth(w.fda.token)).status == 404, target);
    }
  }
  // Withdrawn, the submission stays readable as submitted (no newer content appears).
  BOOST_TEST(http.Request("POST", "/v1/tenants/acme/submissions/" + w.submission + ":withdraw", "",
                          Auth(w.acme.token))
                 .status == 200);
  auto after = http.Request("GET", base + "/content", "", Auth(w.fda.token));
  if (after.status == 200) {
    BOOST_TEST(after.Json().at("content").at("device").at("tradeName").as_string() == "CXR v2");
  }
}
