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
