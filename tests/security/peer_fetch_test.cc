// Server-side request forgery through reliance peer URLs (OWASP API7:2023):
// a REGULATOR registers a peer by URL and the node then fetches it from
// inside the operator's network. The real dossierd must refuse URLs that are
// not http(s) or that reach what is never a peer (cloud metadata, link-local,
// numeric aliases of loopback, embedded credentials) and store nothing; must
// not follow a peer's redirect to another host; and must apply --peer-allow
// both when a peer is registered and before every pull, so narrowing it stops
// pulls from peers registered earlier. The rules themselves are unit-tested
// in server/peer_url_test.cc.
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

#include "tests/security/forged_peer.h"
#include "tests/security/security_fixture.h"
#include "tests/support/harness.h"
#include "trust/log_leaf.h"

using namespace dossier;
using namespace dossier::testing;
using namespace dossier::testing::security;
namespace json = boost::json;

namespace {

constexpr int64_t kT0 = 1795000000000;  // 2026-11-18

// An honest one-decision log of regulator `tenant`.
ForgedLog HonestLog(const std::string& tenant) {
  ForgedLog log(tenant + ".peer-fetch.test/log");
  auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  const uint64_t key_index = log.AddKeyLeaf(trust::kLeafKindKeyRegistered, tenant, key.public_key(), kT0);
  log.AddDecision(tenant, "s-1", key, kT0 + 10, key_index);
  return log;
}

HttpResult AddPeer(HttpClient& http, const Actor& reg, const std::string& url, const ForgedLog& log) {
  json::object body{
      {"url", url}, {"tenant", "fda"}, {"token", "dxt_peer"}, {"logPublicKeyPem", log.LogKeyPem()}};
  return http.Request("POST", "/v1/tenants/" + reg.tenant + "/peers", json::serialize(body),
                      JsonAuth(reg.token));
}

// Polls the peer until `done` holds (30 s at most) and returns its last view.
template <typename Done>
json::object WaitForPeer(HttpClient& http, const Actor& reg, const std::string& id, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  json::object last;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = http.Request("GET", "/v1/tenants/" + reg.tenant + "/peers/" + id, "", Auth(reg.token));
    if (r.status == 200) {
      last = r.Json().as_object();
      if (done(last)) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_FAIL("peer never reached the expected state: " << json::serialize(last));
  return last;
}

std::string ErrorOf(const json::object& peer) {
  const json::value* e = peer.if_contains("error");
  return e && e->is_string() ? std::string(e->as_string()) : "";
}

std::string PortOf(const std::string& url) { return url.substr(url.rfind(':') + 1); }

}  // namespace

BOOST_AUTO_TEST_SUITE(peer_fetch)

BOOST_AUTO_TEST_CASE(peer_urls_that_reach_what_is_not_a_peer_are_refused_and_nothing_is_stored) {
  TempDir dir;
  Server node(dir.path() / "node", {"--rate-limit", "0"});
  HttpClient http(node.port());
  const Actor reg = CreateActor(http, node.operator_token(), "hsa", "REGULATOR", "SG");
  const ForgedLog log = HonestLog("fda");
  const std::string port = std::to_string(node.port());
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"file:///etc/passwd", "bad-url"},
      {"gopher://127.0.0.1:" + port + "/_GET", "bad-url"},
      {"http://operator:secret@127.0.0.1:" + port, "bad-url"},
      {"http://2130706433:" + port, "bad-url"},  // 127.0.0.1 as one number
      {"http://127.1:" + port, "bad-url"},
      {"http://169.254.169.254/latest/meta-data/", "peer-url-not-allowed"},
      {"http://[::ffff:169.254.169.254]/", "peer-url-not-allowed"},
      {"http://0.0.0.0:" + port, "peer-url-not-allowed"},
      {"http://224.0.0.251:5353", "peer-url-not-allowed"},
  };
  for (const auto& [url, reason] : refused) {
    BOOST_TEST_CONTEXT(url) {
      auto r = AddPeer(http, reg, url, log);
      BOOST_TEST(r.status == 400);
      BOOST_TEST(r.Header("content-type") == "application/problem+json");
      const json::object problem = r.Json().as_object();
      BOOST_TEST(problem.at("code").as_string() == reason, r.body);
      BOOST_TEST(problem.at("field").as_string() == "url", r.body);
    }
  }
  auto peers = http.Request("GET", "/v1/tenants/hsa/peers", "", Auth(reg.token));
  BOOST_REQUIRE(peers.status == 200);
  BOOST_TEST(peers.Json().at("peers").as_array().empty(), peers.body);
}

BOOST_AUTO_TEST_CASE(a_peer_that_redirects_elsewhere_is_not_followed) {
  TempDir dir;
  Server node(dir.path() / "node", {"--rate-limit", "0", "--peer-poll-ms", "200"});
  HttpClient http(node.port());
  const Actor reg = CreateActor(http, node.operator_token(), "hsa", "REGULATOR", "SG");
  const ForgedLog log = HonestLog("fda");
  ForgedPeerServer bouncer, target;
  target.SetFeed("fda", log.FeedPage());  // a valid feed, so following would succeed
  bouncer.SetRedirect("fda", target.Url() + "/v1/tenants/fda/feed?since=0&limit=500");

  auto added = AddPeer(http, reg, bouncer.Url(), log);
  BOOST_REQUIRE_MESSAGE(added.status == 201, added.body);
  const std::string id(added.Json().at("id").as_string());
  const json::object peer =
      WaitForPeer(http, reg, id, [](const json::object& p) { return !ErrorOf(p).empty(); });
  BOOST_TEST_MESSAGE("redirecting peer: " << ErrorOf(peer));
  BOOST_TEST(peer.at("status").as_string() == "RETRYING");
  BOOST_TEST(ErrorOf(peer).find("302") != std::string::npos, ErrorOf(peer));
  BOOST_TEST(peer.at("entries").to_number<uint64_t>() == 0u);
  BOOST_TEST(bouncer.FeedRequests("fda") >= 1);
  BOOST_TEST(target.FeedRequests("fda") == 0);
}

BOOST_AUTO_TEST_CASE(the_allow_list_holds_at_registration_and_before_every_pull) {
  TempDir dir;
  const ForgedLog log = HonestLog("fda");
  ForgedPeerServer peer_node;
  peer_node.SetFeed("fda", log.FeedPage());
  const std::string allowed = "127.0.0.1:" + PortOf(peer_node.Url());
  std::string id;
  {
    Server node(dir.path() / "node", {"--rate-limit", "0", "--peer-poll-ms", "200", "--peer-allow", allowed});
    HttpClient http(node.port());
    const Actor reg = CreateActor(http, node.operator_token(), "hsa", "REGULATOR", "SG");
    for (const std::string& url : std::vector<std::string>{
             "http://127.0.0.1:1", "http://localhost:" + PortOf(peer_node.Url()), "https://fda.example"}) {
      BOOST_TEST_CONTEXT(url) {
        auto r = AddPeer(http, reg, url, log);
        BOOST_TEST(r.status == 400);
        BOOST_TEST(r.ProblemCode() == "peer-url-not-allowed", r.body);
      }
    }
    auto added = AddPeer(http, reg, peer_node.Url(), log);
    BOOST_REQUIRE_MESSAGE(added.status == 201, added.body);
    id = std::string(added.Json().at("id").as_string());
    WaitForPeer(http, reg, id, [](const json::object& p) { return p.at("status").as_string() == "OK"; });
  }
  // The operator narrows the allow-list: the stored peer is not pulled again.
  Server node(dir.path() / "node",
              {"--rate-limit", "0", "--peer-poll-ms", "200", "--peer-allow", "fda.example"});
  HttpClient http(node.port());
  const int before = peer_node.FeedRequests("fda");
  const Actor reg{"hsa", IssueToken(http, node.operator_token(), "hsa", "ADMIN").second,
                  trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value(), ""};
  const json::object peer = WaitForPeer(http, reg, id, [](const json::object& p) {
    return ErrorOf(p).find("allow-list") != std::string::npos;
  });
  BOOST_TEST(peer.at("status").as_string() == "RETRYING");
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  BOOST_TEST(peer_node.FeedRequests("fda") == before);
}

BOOST_AUTO_TEST_CASE(a_malformed_allow_list_stops_the_server) {
  TempDir dir;
  const auto err = dir.path() / "stderr";
  const std::string command =
      (BinDir() / "dossierd").string() + " serve --data " + (dir.path() / "d").string() +
      " --listen 127.0.0.1:0 --peer-allow fda.example --peer-allow 127.1 2> " + err.string();
  const int status = std::system(command.c_str());
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 2), "status " << status);
  const std::string said = ReadFile(err);
  BOOST_TEST(said.find("'127.1'") != std::string::npos, said);
}

BOOST_AUTO_TEST_SUITE_END()
