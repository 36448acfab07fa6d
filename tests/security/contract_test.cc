// The API contract against a real dossierd (issue 15): every request example
// of /openapi.json is valid for its schema (server_openapi_test) and is
// answered by the server without a 5xx — with a 2xx, except the signed
// commits, whose signature a static example cannot hold. And the public
// transparency routes answer without a credential and say nothing about any
// tenant.
#define BOOST_TEST_MODULE security_contract
#include <boost/test/unit_test.hpp>

#include "tests/security/security_fixture.h"
#include "tests/support/json_schema.h"

using namespace dossier::testing;
using namespace dossier::testing::security;
namespace json = boost::json;

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
    }
  }
  BOOST_TEST(sent >= 15u);
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
