// Mass assignment (OWASP API3:2023, property-level authorisation): a caller
// must not set what the server owns — a record's status, who created it and
// when, its tenant, its place in the log — by adding members to a request
// body. Every route with a request example in /openapi.json gets its example
// plus, one at a time, each server-owned member its schema does not declare;
// the real dossierd must refuse each with 400 unknown-field naming the member
// and write nothing (the log and the records a refused call would have added
// are unchanged).
#include <boost/test/unit_test.hpp>

#include "tests/security/security_fixture.h"

using namespace dossier::testing;
using namespace dossier::testing::security;
namespace json = boost::json;

namespace {

// Members that name state only the server may set.
const std::vector<std::string> kServerOwned = {"status", "createdAt", "createdBy", "tenant",    "logIndex",
                                               "signer", "owner",     "decidedAt", "receivedBy"};

size_t CountOf(HttpClient& http, const std::string& path, const std::string& member,
               const std::string& token) {
  auto r = http.Request("GET", path, "", Auth(token));
  if (r.status != 200) throw std::runtime_error(path + " answered " + std::to_string(r.status));
  return r.Json().at(member).as_array().size();
}

}  // namespace

BOOST_AUTO_TEST_CASE(server_owned_members_in_any_request_body_are_refused_and_change_nothing) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "0"});
  HttpClient http(server.port());
  World w = BuildWorld(http, server.operator_token());
  const json::value doc = json::parse(http.Request("GET", "/openapi.json").body);
  const json::object& schemas = doc.at("components").at("schemas").as_object();

  const uint64_t log_before = LogSize(http, w.acme.token);
  const size_t peers_before = CountOf(http, "/v1/tenants/fda/peers", "peers", w.fda.token);
  size_t sent = 0, routes = 0;
  for (const ExampleRequest& example : ExampleRequests(doc, w)) {
    if (!example.body.is_object()) continue;
    const json::object& schema = schemas.at(example.schema).as_object();
    const json::value* declared = schema.if_contains("properties");
    ++routes;
    for (const std::string& member : kServerOwned) {
      if (declared && declared->as_object().contains(member)) continue;
      json::object body = example.body.as_object();
      body[member] = member == "logIndex" ? json::value(0) : json::value("assigned-by-caller");
      const auto r =
          http.Request(example.method, example.target, json::serialize(body), JsonAuth(example.token));
      ++sent;
      BOOST_TEST_CONTEXT(example.name << " + \"" << member << "\" -> " << r.status << " "
                                      << r.body.substr(0, 300)) {
        BOOST_TEST(r.status == 400);
        BOOST_TEST(r.Header("content-type") == "application/problem+json");
        BOOST_TEST(r.ProblemCode() == "unknown-field");
        const json::value problem = r.Json();
        const json::value* field = problem.is_object() ? problem.as_object().if_contains("field") : nullptr;
        BOOST_TEST((field && field->is_string() && field->as_string() == member));
      }
    }
  }
  BOOST_TEST(routes >= 15u);
  BOOST_TEST(sent >= routes * 5);
  // Nothing of any refused call was written.
  BOOST_TEST(LogSize(http, w.acme.token) == log_before);
  BOOST_TEST(CountOf(http, "/v1/tenants/fda/peers", "peers", w.fda.token) == peers_before);
}
