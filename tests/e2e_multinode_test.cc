// Several dossierd nodes on one PostgreSQL database: writers spread over two
// nodes while one is killed with SIGKILL and restarted; afterwards every
// acknowledged version is there, and every checkpoint either node served is a
// prefix of one log (consistency proofs between them verify). Also: the
// database restarted under load answers 503 while it is down and writes
// resume without restarting dossierd. And a reliance peer registered on
// either node is pulled once per deployment, not once per node.
#define BOOST_TEST_MODULE e2e_multinode
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "tests/security/forged_peer.h"
#include "tests/support/harness.h"
#include "tests/support/postgres.h"
#include "trust/checkpoint.h"
#include "trust/encoding.h"
#include "trust/log_leaf.h"
#include "trust/merkle.h"

using namespace dossier;
using namespace dossier::testing;

namespace {

// One commit of the next version of `d` through `http`; the version number
// when acknowledged (201), 0 otherwise. Throws when the node is gone.
uint64_t CommitNext(HttpClient& http, const Actor& actor, const std::string& d, const std::string& label,
                    std::string* content_out) {
  auto head = http.Request("GET", "/v1/tenants/" + actor.tenant + "/dossiers/" + d, "", Auth(actor.token));
  if (head.status != 200) return 0;
  const boost::json::value head_json = head.Json();
  const uint64_t n = head_json.at("headVersion").to_number<uint64_t>() + 1;
  const auto* parent_v = head_json.as_object().if_contains("headDigest");
  const std::string parent = parent_v ? std::string(parent_v->as_string()) : "";
  const std::string content = MinimalDossierJson(d + " v" + std::to_string(n) + " " + label, {});
  const std::string digest = UploadBlob(http, actor, content);
  auto r =
      http.Request("POST", "/v1/tenants/" + actor.tenant + "/dossiers/" + d + "/versions",
                   CommitBody(actor, "dossiers/" + d, n, parent, digest, actor.key), JsonAuth(actor.token));
  if (r.status != 201) return 0;
  *content_out = content;
  return n;
}

// The checkpoint a node serves now, verified against the deployment's log
// key; nullopt when the node does not answer 200. A checkpoint that does not
// verify is a failure, noted in `bad` (collected off the test's thread, where
// Boost.Test assertions are not safe).
std::optional<trust::Checkpoint> FetchCheckpoint(HttpClient& http, const std::string& token,
                                                 const std::string& origin, const trust::PublicKey& log_key,
                                                 std::string* bad) {
  auto r = http.Request("GET", "/v1/log/checkpoint", "", Auth(token));
  if (r.status != 200) return std::nullopt;
  auto checkpoint = trust::OpenCheckpoint(r.body, origin, log_key);
  if (!checkpoint.ok()) {
    *bad = checkpoint.status().ToString() + "\n" + r.body;
    return std::nullopt;
  }
  return *checkpoint;
}

struct Deployment {
  std::string url;
  TempDir dir;
  std::vector<std::string> flags;
  std::unique_ptr<Server> a, b;

  bool Start(const std::vector<std::string>& extra = {}) {
    PostgresServer* pg = SharedPostgres();
    if (pg == nullptr) return false;
    auto created = pg->CreateDatabase();
    BOOST_REQUIRE_MESSAGE(created.ok(), created.status().ToString());
    url = *created;
    flags = {"--rate-limit", "0", "--store", url};
    flags.insert(flags.end(), extra.begin(), extra.end());
    a = std::make_unique<Server>(dir.path() / "a", flags);
    // The deployment's one log key: every node signs checkpoints with it.
    std::filesystem::create_directories(dir.path() / "b");
    std::filesystem::copy_file(dir.path() / "a" / "log-key.pem", dir.path() / "b" / "log-key.pem");
    b = std::make_unique<Server>(dir.path() / "b", flags);
    return true;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(two_nodes_one_log_survive_a_node_killed_mid_load) {
  Deployment deployment;
  if (!deployment.Start()) return;  // skipped: PostgreSQL is not installed
  HttpClient admin(deployment.a->port());
  const std::string op = deployment.a->operator_token();
  Actor acme = CreateActor(admin, op, "acme");
  constexpr int kWriters = 4;
  for (int w = 0; w < kWriters; ++w) {
    auto r = admin.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d)" + std::to_string(w) + "\"}",
                           JsonAuth(acme.token));
    BOOST_REQUIRE_EQUAL(r.status, 201);
  }
  auto key_json = admin.Request("GET", "/v1/log/public-key", "", Auth(acme.token));
  BOOST_REQUIRE_EQUAL(key_json.status, 200);
  const std::string origin(key_json.Json().at("origin").as_string());
  auto log_key = trust::PublicKey::FromPem(std::string(key_json.Json().at("publicKeyPem").as_string()));
  BOOST_REQUIRE(log_key.ok());

  // Writers alternate between the nodes; the ports of the nodes may change
  // when one restarts.
  std::atomic<unsigned short> ports[2] = {deployment.a->port(), deployment.b->port()};
  std::mutex mu;
  std::vector<std::map<uint64_t, std::string>> acknowledged(kWriters);
  std::vector<trust::Checkpoint> checkpoints;
  std::string bad_checkpoint;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      const std::string d = "d" + std::to_string(w);
      int attempt = 0;
      while (!stop.load()) {
        const int node = (w + attempt++) % 2;
        try {
          HttpClient http(ports[node].load());
          std::string content;
          const uint64_t n = CommitNext(http, acme, d, "node " + std::to_string(node), &content);
          if (n > 0) {
            std::lock_guard lock(mu);
            acknowledged[w][n] = content;
          }
        } catch (const std::exception&) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));  // that node is down: try the other
        }
      }
    });
  }
  threads.emplace_back([&] {
    while (!stop.load()) {
      for (int node = 0; node < 2; ++node) {
        try {
          HttpClient http(ports[node].load());
          std::string bad;
          auto c = FetchCheckpoint(http, acme.token, origin, *log_key, &bad);
          std::lock_guard lock(mu);
          if (c) checkpoints.push_back(*c);
          if (!bad.empty()) bad_checkpoint = bad;
        } catch (const std::exception&) {
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });

  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  deployment.b->Stop(SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  deployment.b = std::make_unique<Server>(deployment.dir.path() / "b", deployment.flags);
  ports[1] = deployment.b->port();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop = true;
  for (auto& t : threads) t.join();

  // Every acknowledged version is there, whichever node acknowledged it, on either node.
  size_t checked = 0;
  for (int node = 0; node < 2; ++node) {
    HttpClient http(ports[node].load());
    for (int w = 0; w < kWriters; ++w) {
      const std::string d = "d" + std::to_string(w);
      for (const auto& [n, content] : acknowledged[w]) {
        auto got = http.Request(
            "GET", "/v1/tenants/acme/dossiers/" + d + "/versions/" + std::to_string(n) + "/content", "",
            Auth(acme.token));
        BOOST_TEST(got.status == 200);
        BOOST_TEST(got.body == content, d << " version " << n << " on node " << node);
        ++checked;
      }
    }
  }
  BOOST_TEST_MESSAGE("acknowledged versions checked on both nodes: " << checked / 2 << ", checkpoints: "
                                                                     << checkpoints.size());
  BOOST_TEST(checked > 0u);
  for (int w = 0; w < kWriters; ++w)
    BOOST_TEST(acknowledged[w].size() > 1u, "writer " << w << " made progress");

  // One log: every checkpoint either node served is consistent with the latest.
  HttpClient http(ports[0].load());
  BOOST_TEST(bad_checkpoint.empty(), "a node served a checkpoint that does not verify: " << bad_checkpoint);
  std::string bad;
  auto latest = FetchCheckpoint(http, acme.token, origin, *log_key, &bad);
  BOOST_REQUIRE_MESSAGE(latest, bad);
  std::sort(checkpoints.begin(), checkpoints.end(),
            [](const auto& x, const auto& y) { return x.tree_size < y.tree_size; });
  BOOST_REQUIRE(!checkpoints.empty());
  for (size_t i = 0; i < checkpoints.size(); ++i) {
    const trust::Checkpoint& c = checkpoints[i];
    if (c.tree_size == 0 || (i > 0 && c.tree_size == checkpoints[i - 1].tree_size)) {
      if (i > 0 && c.tree_size == checkpoints[i - 1].tree_size) {
        BOOST_TEST(c.root_hash == checkpoints[i - 1].root_hash, "two roots for size " << c.tree_size);
      }
      continue;
    }
    auto proof = http.Request("GET",
                              "/v1/log/proofs/consistency?from=" + std::to_string(c.tree_size) +
                                  "&to=" + std::to_string(latest->tree_size),
                              "", Auth(acme.token));
    BOOST_REQUIRE_EQUAL(proof.status, 200);
    std::vector<std::string> hashes;
    const boost::json::value proof_json = proof.Json();
    for (const auto& h : proof_json.at("hashes").as_array()) {
      hashes.push_back(*trust::Base64Decode(std::string(h.as_string())));
    }
    BOOST_TEST(
        trust::VerifyConsistency(c.tree_size, latest->tree_size, hashes, c.root_hash, latest->root_hash).ok(),
        "checkpoint of size " << c.tree_size << " is not a prefix of the log");
  }
  // The log has no hole: its size is every logged event (4 versions' worth of
  // writers plus the key registration), each leaf readable.
  size_t versions = 0;
  for (const auto& a : acknowledged) versions += a.size();
  BOOST_TEST(latest->tree_size >= versions + 1);
}

BOOST_AUTO_TEST_CASE(writes_answer_503_while_the_database_is_down_and_resume_after) {
  Deployment deployment;
  if (!deployment.Start()) return;  // skipped: PostgreSQL is not installed
  HttpClient http(deployment.a->port());
  Actor acme = CreateActor(http, deployment.a->operator_token(), "acme");
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d"})", JsonAuth(acme.token)).status, 201);
  std::string content;
  BOOST_REQUIRE(CommitNext(http, acme, "d", "before", &content) == 1u);

  PostgresServer* pg = SharedPostgres();
  BOOST_REQUIRE(pg->Stop().ok());
  auto down = http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"e"})", JsonAuth(acme.token));
  BOOST_TEST(down.status == 503, down.body);
  auto ready = http.Request("GET", "/readyz");
  BOOST_TEST(ready.status == 503, ready.body);

  BOOST_REQUIRE(pg->Restart().ok());
  // The same dossierd writes again: no restart, at most a few retries while it reconnects.
  int status = 0;
  for (int i = 0; i < 50 && status != 201; ++i) {
    status = http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"e"})", JsonAuth(acme.token)).status;
    if (status != 201) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_TEST(status == 201);
  BOOST_TEST(CommitNext(http, acme, "d", "after", &content) == 2u);
  int ready_status = 0;
  for (int i = 0; i < 30 && ready_status != 200; ++i) {
    ready_status = http.Request("GET", "/readyz").status;
    if (ready_status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_TEST(ready_status == 200);
}

namespace {

// Polls `path` through `http` until the peer's status is `status` (30 s).
boost::json::object WaitForPeerStatus(HttpClient& http, const std::string& token, const std::string& path,
                                      const std::string& status) {
  boost::json::object last;
  for (int i = 0; i < 300; ++i) {
    auto r = http.Request("GET", path, "", Auth(token));
    if (r.status == 200) {
      last = r.Json().as_object();
      if (last.at("status").as_string() == status) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_FAIL("peer never reached " << status << ": " << boost::json::serialize(last));
  return last;
}

std::string AddPeer(HttpClient& http, const Actor& reg, const std::string& url,
                    const std::string& log_key_pem) {
  boost::json::object body{
      {"url", url}, {"tenant", "fda"}, {"token", "dxt_peer"}, {"logPublicKeyPem", log_key_pem}};
  auto r = http.Request("POST", "/v1/tenants/" + reg.tenant + "/peers", boost::json::serialize(body),
                        JsonAuth(reg.token));
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  return "/v1/tenants/" + reg.tenant + "/peers/" + std::string(r.Json().at("id").as_string());
}

}  // namespace

// Every node of a deployment would pull every peer any node registered, but
// only the holder of the store's "reliance-puller" lease does. The peer holds
// each answer 300 ms and counts the answers during which another request was
// already waiting: two pullers polling every 100 ms cannot avoid that for
// seconds, one puller (which waits for each answer, then the poll interval)
// never causes it. A second deployment pulling the same peer is the control
// that shows the count can rise.
BOOST_AUTO_TEST_CASE(a_reliance_peer_is_pulled_once_per_deployment) {
  Deployment deployment;
  if (!deployment.Start({"--peer-poll-ms", "100"})) return;  // skipped: PostgreSQL is not installed
  security::ForgedLog log("fda.multinode.test/log");
  const auto signer = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  constexpr int64_t kT0 = 1795000000000;  // 2026-11-18
  const uint64_t key_index = log.AddKeyLeaf(trust::kLeafKindKeyRegistered, "fda", signer.public_key(), kT0);
  log.AddDecision("fda", "s-1", signer, kT0 + 10, key_index);
  security::ForgedPeerServer peer_node;
  peer_node.SetFeed("fda", log.FeedPage());
  peer_node.SetHold(std::chrono::milliseconds(300));

  HttpClient a(deployment.a->port()), b(deployment.b->port());
  const Actor hsa = CreateActor(a, deployment.a->operator_token(), "hsa", "REGULATOR", "SG");
  const std::string path = AddPeer(a, hsa, peer_node.Url(), log.LogKeyPem());
  // Registered on node a, pulled and seen through node b: one database.
  const boost::json::object pulled = WaitForPeerStatus(b, hsa.token, path, "OK");
  BOOST_TEST(pulled.at("entries").to_number<uint64_t>() == 1u);

  const int before = peer_node.FeedRequests("fda");
  std::this_thread::sleep_for(std::chrono::seconds(4));
  const int polled = peer_node.FeedRequests("fda") - before;
  BOOST_TEST_MESSAGE("one deployment, two nodes: " << polled << " feed requests in 4 s, "
                                                   << peer_node.Overlaps() << " overlapping");
  BOOST_TEST(polled >= 4);
  BOOST_TEST(peer_node.Overlaps() == 0);

  // Control: another deployment (its own store) pulls the same peer too.
  TempDir other;
  Server c(other.path() / "c", {"--rate-limit", "0", "--peer-poll-ms", "100"});
  HttpClient hc(c.port());
  const Actor hsa2 = CreateActor(hc, c.operator_token(), "hsa", "REGULATOR", "SG");
  WaitForPeerStatus(hc, hsa2.token, AddPeer(hc, hsa2, peer_node.Url(), log.LogKeyPem()), "OK");
  std::this_thread::sleep_for(std::chrono::seconds(4));
  BOOST_TEST_MESSAGE("two deployments: " << peer_node.Overlaps() << " overlapping");
  BOOST_TEST(peer_node.Overlaps() >= 1);
}
