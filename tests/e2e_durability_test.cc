// Acknowledged writes survive kill -9: concurrent writers commit versions while
// the server is killed with SIGKILL, again and again. After each restart every
// acknowledged version is present, byte-identical, and its parent chain intact.
// Run once on each store: RocksDB, and PostgreSQL (a server the test starts).
#define BOOST_TEST_MODULE e2e_durability
#include <signal.h>

#include <atomic>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "tests/support/harness.h"
#include "tests/support/postgres.h"

using namespace dossier;
using namespace dossier::testing;

BOOST_DATA_TEST_CASE(acknowledged_commits_survive_sigkill, boost::unit_test::data::make(kStoreBackends),
                     backend) {
  const auto store = StoreFlags(backend);
  if (!store) return;  // skipped: PostgreSQL is not installed
  std::vector<std::string> flags = {"--rate-limit", "0"};
  flags.insert(flags.end(), store->begin(), store->end());
  constexpr int kWriters = 4;
  constexpr int kCycles = 10;
  TempDir dir;
  const auto data = dir.path() / "data";
  std::vector<Actor> actors;
  std::string op;
  {
    Server server(data, flags);
    HttpClient http(server.port());
    op = server.operator_token();
    Actor acme = CreateActor(http, op, "acme");
    for (int w = 0; w < kWriters; ++w) {
      auto r = http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d)" + std::to_string(w) + "\"}",
                            JsonAuth(acme.token));
      BOOST_REQUIRE_EQUAL(r.status, 201);
    }
    actors.push_back(std::move(acme));
    server.Stop(SIGKILL);
  }
  const Actor& acme = actors[0];

  // What each writer was told is durable: version -> content.
  std::vector<std::map<uint64_t, std::string>> acknowledged(kWriters);
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    Server server(data, flags);
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        HttpClient http(server.port());
        const std::string d = "d" + std::to_string(w);
        while (!stop.load()) {
          try {
            // Learn the head from the server: a commit may have landed unacknowledged.
            auto head = http.Request("GET", "/v1/tenants/acme/dossiers/" + d, "", Auth(acme.token));
            if (head.status != 200) return;
            const boost::json::value head_json = head.Json();
            const uint64_t n = head_json.at("headVersion").to_number<uint64_t>() + 1;
            const auto* parent_v = head_json.as_object().if_contains("headDigest");
            const std::string parent = parent_v ? std::string(parent_v->as_string()) : "";
            const std::string content =
                MinimalDossierJson(d + " v" + std::to_string(n) + " c" + std::to_string(cycle), {});
            const std::string digest = UploadBlob(http, acme, content);
            auto r = http.Request("POST", "/v1/tenants/acme/dossiers/" + d + "/versions",
                                  CommitBody(acme, "dossiers/" + d, n, parent, digest, acme.key),
                                  JsonAuth(acme.token));
            if (r.status == 201) acknowledged[w][n] = content;
          } catch (const std::exception&) {
            return;  // the server was killed mid-request: that commit was not acknowledged
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + 70 * cycle));
    server.Stop(SIGKILL);
    stop = true;
    for (auto& t : writers) t.join();
  }

  // Restart once more and check everything acknowledged.
  Server server(data, flags);
  HttpClient http(server.port());
  size_t total = 0;
  for (int w = 0; w < kWriters; ++w) {
    const std::string d = "d" + std::to_string(w);
    std::string parent;
    auto head = http.Request("GET", "/v1/tenants/acme/dossiers/" + d, "", Auth(acme.token));
    const uint64_t head_version = head.Json().at("headVersion").to_number<uint64_t>();
    for (uint64_t n = 1; n <= head_version; ++n) {
      auto v = http.Request("GET", "/v1/tenants/acme/dossiers/" + d + "/versions/" + std::to_string(n), "",
                            Auth(acme.token));
      BOOST_REQUIRE_EQUAL(v.status, 200);
      BOOST_TEST(std::string(v.Json().at("parentDigest").as_string()) == parent);
      parent = std::string(v.Json().at("digest").as_string());
      auto content = http.Request(
          "GET", "/v1/tenants/acme/dossiers/" + d + "/versions/" + std::to_string(n) + "/content", "",
          Auth(acme.token));
      if (auto it = acknowledged[w].find(n); it != acknowledged[w].end()) {
        BOOST_TEST(content.body == it->second);
        ++total;
      }
    }
    for (const auto& [n, content] : acknowledged[w]) BOOST_TEST(n <= head_version);
  }
  BOOST_TEST_MESSAGE("acknowledged commits checked: " << total);
  BOOST_TEST(total > 0u);
  auto scrub_note = http.Request("GET", "/v1/log/checkpoint", "", Auth(acme.token));
  BOOST_TEST(scrub_note.status == 200);
}
