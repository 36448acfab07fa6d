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
#include <set>
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

// Acknowledged ledger events and comment messages survive kill -9: while the
// server is killed again and again, the manufacturer records signed "sent"
// events and a reviewer posts comment messages; after each restart every
// acknowledged event (same content digest, same place in the ledger) and every
// acknowledged message is there.
BOOST_AUTO_TEST_CASE(acknowledged_ledger_events_and_comments_survive_sigkill) {
  constexpr int kCycles = 4;
  TempDir dir;
  const auto data = dir.path() / "data";
  std::vector<Actor> actors;
  std::string submission, thread;
  {
    Server server(data, {"--rate-limit", "0"});
    HttpClient http(server.port());
    const std::string op = server.operator_token();
    Actor acme = CreateActor(http, op, "acme");
    Actor fda = CreateActor(http, op, "fda", "REGULATOR", "US");
    BOOST_REQUIRE_EQUAL(http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", JsonAuth(acme.token)).status, 201);
    const std::string d1 = UploadBlob(http, acme, MinimalDossierJson("CXR", {}));
    BOOST_REQUIRE_EQUAL(http.Request("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                                     CommitBody(acme, "dossiers/cxr", 1, "", d1, acme.key), JsonAuth(acme.token))
                            .status,
                        201);
    auto s = http.Request("POST", "/v1/tenants/acme/submissions",
                          R"({"dossier":"cxr","version":1,"agency":"fda","pathway":"510k-traditional"})", JsonAuth(acme.token));
    BOOST_REQUIRE_EQUAL(s.status, 201);
    submission = std::string(s.Json().at("id").as_string());
    auto c = http.Request("POST", "/v1/tenants/fda/submissions/" + submission + "/comments",
                          R"({"heading":"2.04.01","text":"first"})", JsonAuth(fda.token));
    BOOST_REQUIRE_EQUAL(c.status, 201);
    thread = std::string(c.Json().at("id").as_string());
    actors.push_back(std::move(acme));
    actors.push_back(std::move(fda));
    server.Stop(SIGKILL);
  }
  const Actor& acme = actors[0];
  const Actor& fda = actors[1];
  const std::string ledger_url = "/v1/tenants/acme/submissions/" + submission + "/ledger";
  const std::string messages_url = "/v1/tenants/fda/submissions/" + submission + "/comments/" + thread + "/messages";

  std::map<uint64_t, std::string> events;  // acknowledged: ledger version -> content digest
  std::mutex messages_mu;
  std::vector<std::string> messages;  // acknowledged message texts
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    Server server(data, {"--rate-limit", "0"});
    std::atomic<bool> stop{false};
    std::thread recorder([&] {
      HttpClient http(server.port());
      while (!stop.load()) {
        try {
          // The manufacturer's last signed event, from the server (one may have landed unacknowledged).
          auto view = http.Request("GET", ledger_url, "", Auth(acme.token));
          if (view.status != 200) return;
          uint64_t n = 1;
          std::string parent;
          const boost::json::value view_json = view.Json();
          for (const auto& e : view_json.at("events").as_array()) {
            if (e.at("party").as_string() == "manufacturer" && e.at("signed").as_bool()) {
              n = e.at("version").to_number<uint64_t>() + 1;
              parent = std::string(e.at("digest").as_string());
            }
          }
          boost::json::object event{{"submission", submission},
                                    {"type", "sent"},
                                    {"occurredOn", "2026-01-05"},
                                    {"note", "copy " + std::to_string(n) + " cycle " + std::to_string(cycle)}};
          const std::string digest = UploadBlob(http, acme, boost::json::serialize(event));
          auto r = http.Request("POST", ledger_url,
                                CommitBody(acme, "submissions/" + submission + "/ledger", n, parent, digest, acme.key,
                                           "application/vnd.dossier.ledger-event.v1+json"),
                                JsonAuth(acme.token));
          if (r.status == 201) events[n] = digest;
        } catch (const std::exception&) {
          return;
        }
      }
    });
    std::thread commenter([&] {
      HttpClient http(server.port());
      for (int i = 0; !stop.load(); ++i) {
        try {
          const std::string text = "reply " + std::to_string(cycle) + "." + std::to_string(i);
          auto r = http.Request("POST", messages_url, R"({"text":")" + text + "\"}", JsonAuth(fda.token));
          if (r.status == 201) {
            std::lock_guard<std::mutex> lock(messages_mu);
            messages.push_back(text);
          }
        } catch (const std::exception&) {
          return;
        }
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(250 + 60 * cycle));
    server.Stop(SIGKILL);
    stop = true;
    recorder.join();
    commenter.join();
  }

  Server server(data, {"--rate-limit", "0"});
  HttpClient http(server.port());
  auto view = http.Request("GET", ledger_url, "", Auth(acme.token));
  BOOST_REQUIRE_EQUAL(view.status, 200);
  std::map<uint64_t, std::string> stored;
  const boost::json::value view_json = view.Json();
  for (const auto& e : view_json.at("events").as_array()) {
    if (e.at("party").as_string() == "manufacturer" && e.at("signed").as_bool())
      stored[e.at("version").to_number<uint64_t>()] = std::string(e.at("digest").as_string());
  }
  for (const auto& [n, digest] : events) BOOST_TEST(stored[n] == digest, "ledger event " << n);
  auto threads = http.Request("GET", "/v1/tenants/acme/submissions/" + submission + "/comments", "", Auth(acme.token));
  BOOST_REQUIRE_EQUAL(threads.status, 200);
  std::set<std::string> texts;
  const boost::json::value threads_json = threads.Json();
  for (const auto& m : threads_json.at("threads").at(0).at("messages").as_array())
    texts.insert(std::string(m.at("text").as_string()));
  for (const auto& text : messages) BOOST_TEST(texts.count(text) == 1u, text);
  BOOST_TEST_MESSAGE("acknowledged ledger events: " << events.size() << ", messages: " << messages.size());
  BOOST_TEST(events.size() > 0u);
  BOOST_TEST(messages.size() > 0u);
}
