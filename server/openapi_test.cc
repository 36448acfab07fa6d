// /openapi.json from the real Api must equal the committed copy
// server/testdata/openapi.json byte for byte. The document is built from the
// route table, so this catches any route that appears, disappears, changes its
// access, summary or example, or moves in the table (the router tries routes in
// registration order). When a route change is intended, regenerate the copy
// and commit it with the change:
//
//   DOSSIER_UPDATE_OPENAPI=1 ctest --test-dir build -R server_openapi_test
#define BOOST_TEST_MODULE server_openapi
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "server/in_process_api.h"
#include "tests/support/json_schema.h"

using namespace dossier::server;
namespace fs = std::filesystem;

namespace {

fs::path GoldenPath() {
  const char* source_dir = std::getenv("DOSSIER_SOURCE_DIR");
  BOOST_TEST_REQUIRE(source_dir != nullptr, "DOSSIER_SOURCE_DIR is not set; run this test through ctest");
  return fs::path(source_dir) / "server" / "testdata" / "openapi.json";
}

std::set<std::string> Operations(const std::string& document) {
  std::set<std::string> operations;
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(document, ec);
  if (ec || !doc.is_object() || !doc.as_object().contains("paths")) return operations;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    if (!item.is_object()) continue;
    for (const auto& [method, op] : item.as_object())
      operations.insert(std::string(method) + " " + std::string(path));
  }
  return operations;
}

// Where the two documents part, and which operations only one of them has.
std::string DescribeDifference(const std::string& golden, const std::string& served) {
  size_t at = 0;
  while (at < golden.size() && at < served.size() && golden[at] == served[at]) ++at;
  const size_t from = at < 80 ? 0 : at - 80;
  std::ostringstream out;
  out << "first difference at byte " << at << "\n  committed: …" << golden.substr(from, 160)
      << "…\n  served:    …" << served.substr(from, 160) << "…\n";
  const auto golden_ops = Operations(golden), served_ops = Operations(served);
  for (const auto& op : golden_ops) {
    if (!served_ops.count(op)) out << "  no longer served: " << op << "\n";
  }
  for (const auto& op : served_ops) {
    if (!golden_ops.count(op)) out << "  new: " << op << "\n";
  }
  return out.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(openapi_document_matches_the_committed_copy) {
  InProcessApi server;
  Response response = server.Call("GET", "/openapi.json");
  BOOST_TEST_REQUIRE(response.status == 200);
  BOOST_TEST(response.content_type == "application/json");
  const fs::path golden_path = GoldenPath();

  if (std::getenv("DOSSIER_UPDATE_OPENAPI") != nullptr) {
    BOOST_TEST_REQUIRE(std::getenv("CI") == nullptr, "DOSSIER_UPDATE_OPENAPI is refused in CI");
    fs::create_directories(golden_path.parent_path());
    std::ofstream out(golden_path, std::ios::binary | std::ios::trunc);
    out << response.body;
    out.close();
    BOOST_TEST_REQUIRE(out.good(), "cannot write " << golden_path);
    BOOST_TEST_MESSAGE("rewrote " << golden_path << "; review and commit it with the route change");
    return;
  }

  std::ifstream in(golden_path, std::ios::binary);
  BOOST_TEST_REQUIRE(in.good(), "cannot read " << golden_path);
  const std::string golden((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(response.body == golden,
             "/openapi.json differs from "
                 << golden_path << ":\n"
                 << DescribeDifference(golden, response.body)
                 << "If the route change is intended, regenerate the copy with\n"
                    "  DOSSIER_UPDATE_OPENAPI=1 ctest --test-dir build -R server_openapi_test\n"
                    "and commit server/testdata/openapi.json with the change.");
}

BOOST_AUTO_TEST_CASE(openapi_document_is_public_and_lists_every_route_once) {
  InProcessApi server;
  Response response = server.Call("GET", "/openapi.json");
  BOOST_TEST_REQUIRE(response.status == 200);
  size_t route_count = server.api().router().routes().size();
  BOOST_TEST(Operations(response.body).size() == route_count);
}

namespace {

namespace json = boost::json;

json::value Document() {
  InProcessApi server;
  Response response = server.Call("GET", "/openapi.json");
  BOOST_TEST_REQUIRE(response.status == 200);
  return json::parse(response.body);
}

void CollectRefs(const json::value& v, std::set<std::string>& refs) {
  if (v.is_object()) {
    for (const auto& [k, member] : v.as_object()) {
      if (k == "$ref" && member.is_string()) refs.insert(std::string(member.as_string()));
      CollectRefs(member, refs);
    }
  } else if (v.is_array()) {
    for (const auto& e : v.as_array()) CollectRefs(e, refs);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_schema_reference_resolves) {
  const json::value doc = Document();
  std::set<std::string> refs;
  CollectRefs(doc, refs);
  BOOST_TEST(refs.size() > 20u);
  const json::object& schemas = doc.at("components").at("schemas").as_object();
  for (const auto& ref : refs) {
    const std::string prefix = "#/components/schemas/";
    BOOST_TEST_REQUIRE(ref.rfind(prefix, 0) == 0u, ref);
    BOOST_TEST(schemas.contains(ref.substr(prefix.size())), "dangling $ref " << ref);
  }
}

BOOST_AUTO_TEST_CASE(every_json_body_has_a_schema_and_every_example_is_valid) {
  const json::value doc = Document();
  size_t examples = 0;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      const std::string name = std::string(method) + " " + std::string(path);
      const json::value* body = op.as_object().if_contains("requestBody");
      // Only an action (":withdraw", ":start-review") may take no body.
      if ((method == "post" || method == "put") && path.find(':', path.rfind('/')) == std::string::npos)
        BOOST_TEST(body != nullptr, name << ": no request body described");
      if (body != nullptr) {
        const json::object& content = body->at("content").as_object();
        if (const json::value* media = content.if_contains("application/json")) {
          const json::value& schema = media->at("schema");
          BOOST_TEST(schema.as_object().contains("$ref"),
                     name << ": the JSON request body has no named schema");
          if (const json::value* example = media->as_object().if_contains("example")) {
            ++examples;
            const auto errors = dossier::testing::ValidateJsonSchema(*example, schema, doc);
            for (const auto& e : errors) BOOST_ERROR(name << ": example invalid at " << e);
          }
        }
      }
      // A success answer says what it holds, unless it is empty.
      const json::object& responses = op.at("responses").as_object();
      for (const auto& [status, answer] : responses) {
        if (status.size() == 3 && status[0] == '2' && method != "delete")
          BOOST_TEST(answer.as_object().contains("content"),
                     name << ": success answer " << status << " has no content");
      }
    }
  }
  BOOST_TEST(examples >= 14u);
}

BOOST_AUTO_TEST_CASE(content_schemas_come_from_the_protos) {
  const json::value doc = Document();
  const json::object& schemas = doc.at("components").at("schemas").as_object();
  for (const char* message : {"dossier.v1.Dossier", "dossier.v1.ChangePlan", "dossier.v1.Decision"})
    BOOST_TEST(schemas.contains(message), message);
  const json::value& dossier = schemas.at("dossier.v1.Dossier");
  BOOST_TEST(dossier.at("properties").as_object().contains("tocEdition"));
  BOOST_TEST(dossier.at("properties").at("sections").at("items").at("$ref").as_string() ==
             "#/components/schemas/dossier.v1.Section");
  // An enum lists its names, so an error can list the valid values.
  const json::value& decision = schemas.at("dossier.v1.Decision");
  BOOST_TEST(decision.at("properties").at("outcome").as_object().contains("enum"));
}

BOOST_AUTO_TEST_CASE(the_validator_refuses_what_the_schemas_refuse) {
  const json::value doc = Document();
  const json::value record = doc.at("components").at("schemas").at("ModificationRecord");
  auto errors = [&](const char* text) {
    return dossier::testing::ValidateJsonSchema(json::parse(text), record, doc);
  };
  BOOST_TEST(errors(R"({"planVersion":1,"results":[{"metric":"auc","value":0.9,"sampleSize":10}]})").empty());
  BOOST_TEST(!errors(R"({"planVersion":1,"results":[{"metric":"auc","value":0.9,"n":10}]})").empty());
  BOOST_TEST(!errors(R"({"planVersion":1,"results":[{"metric":"auc"}]})").empty());
  BOOST_TEST(!errors(R"({"planVersion":1,"results":[{"metric":"auc","value":"high"}]})").empty());
  const json::value submission = doc.at("components").at("schemas").at("SubmissionCreate");
  BOOST_TEST(!dossier::testing::ValidateJsonSchema(
                  json::parse(R"({"dossier":"d","version":0,"agency":"fda","pathway":"p"})"), submission, doc)
                  .empty());
}

BOOST_AUTO_TEST_CASE(transparency_data_is_public_and_documented_so) {
  const json::value doc = Document();
  for (const char* path : {"/v1/log/checkpoint", "/v1/log/public-key", "/v1/log/proofs/inclusion",
                           "/v1/log/proofs/consistency"}) {
    const json::value& op = doc.at("paths").at(path).at("get");
    BOOST_TEST(op.at("security").as_array().empty(), path);
    BOOST_TEST(!op.at("responses").as_object().contains("401"), path);
  }
  InProcessApi server;
  BOOST_TEST(server.Call("GET", "/v1/log/public-key").status == 200);
  BOOST_TEST(server.Call("GET", "/v1/log/checkpoint").status == 200);
  // Tenant routes still need a credential.
  BOOST_TEST(server.Call("GET", "/v1/tenants/acme/dossiers").status == 401);
}
