// Forged reliance feeds (issue 13): a peer node serves decisions whose every
// signature and inclusion proof is valid but whose signer key history or
// envelope is wrong. The real puller of a real dossierd must verify each
// entry with trust::VerifyBundle, mark the peer REJECTED and store nothing of
// the page (not even its valid first entry); `dossier verify` must refuse the
// same entries as offline bundles with exit code 5. An honest log served the
// same way is accepted by both, so the forged peer itself is sound.
#define BOOST_TEST_MODULE security_forged_feed
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "tests/security/forged_peer.h"
#include "tests/support/harness.h"
#include "trust/json_forms.h"
#include "trust/log_leaf.h"

using namespace dossier;
using namespace dossier::testing;
using namespace dossier::testing::security;
namespace json = boost::json;

namespace {

constexpr int64_t kT0 = 1795000000000;  // 2026-11-18

struct Scenario {
  std::string tenant;  // the regulator whose feed the peer serves
  std::string expect;  // the reason in the peer's error ("" for the honest log)
  ForgedLog log;
  // The reason `dossier verify` gives for the forged entry's bundle; differs
  // from `expect` only where the bundle is sound on its own.
  std::string expect_offline = expect;
};

trust::PrivateKey NewKey() { return trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value(); }

// Every forged log starts like an honest one: the regulator's key, then a
// valid decision signed by it (feed seq 1). The forged entry is seq 2.
Scenario Start(const std::string& tenant, std::string expect, const trust::PrivateKey& key) {
  Scenario s{tenant, expect, ForgedLog(tenant + ".forged.test/log"), expect};
  const uint64_t key_index = s.log.AddKeyLeaf(trust::kLeafKindKeyRegistered, tenant, key.public_key(), kT0);
  s.log.AddDecision(tenant, "s-1", key, kT0 + 10, key_index);
  return s;
}

std::vector<Scenario> Scenarios() {
  std::vector<Scenario> out;
  {  // Control: a second valid decision.
    auto key = NewKey();
    Scenario s = Start("reg-honest", "", key);
    s.log.AddDecision(s.tenant, "s-2", key, kT0 + 20, 0);
    out.push_back(std::move(s));
  }
  {  // Signed by a key the log registers only after the decision.
    auto key = NewKey(), later = NewKey();
    Scenario s = Start("reg-key-later", "signer-key-not-before-leaf", key);
    s.log.AddDecision(s.tenant, "s-2", later, kT0 + 20, 3);
    s.log.AddKeyLeaf(trust::kLeafKindKeyRegistered, s.tenant, later.public_key(), kT0 + 30);
    out.push_back(std::move(s));
  }
  {  // Signed by a key revoked (effective at once) before the decision.
    auto key = NewKey();
    Scenario s = Start("reg-revoked", "signer-key-revoked", key);
    const uint64_t revoked =
        s.log.AddKeyLeaf(trust::kLeafKindKeyRevoked, s.tenant, key.public_key(), kT0 + 20);
    s.log.AddDecision(s.tenant, "s-2", key, kT0 + 30, 0, revoked);
    out.push_back(std::move(s));
  }
  {  // The statement under another DSSE payload type, validly signed.
    auto key = NewKey();
    Scenario s = Start("reg-payload", "wrong-payload-type", key);
    s.log.AddDecision(s.tenant, "s-2", key, kT0 + 20, 0, std::nullopt, "application/vnd.in-toto+json");
    out.push_back(std::move(s));
  }
  {  // Signed by a key that another tenant registered.
    auto key = NewKey(), theirs = NewKey();
    Scenario s = Start("reg-other-key", "signer-key-mismatch", key);
    const uint64_t other =
        s.log.AddKeyLeaf(trust::kLeafKindKeyRegistered, "other-reg", theirs.public_key(), kT0 + 20);
    s.log.AddDecision(s.tenant, "s-2", theirs, kT0 + 30, other);
    out.push_back(std::move(s));
  }
  {  // Another tenant's own decision, sound as a bundle, passed off in this
     // regulator's feed.
    auto key = NewKey(), theirs = NewKey();
    Scenario s = Start("reg-masquerade", "foreign-tenant", key);
    const uint64_t other =
        s.log.AddKeyLeaf(trust::kLeafKindKeyRegistered, "other-reg", theirs.public_key(), kT0 + 20);
    s.log.AddDecision("other-reg", "s-2", theirs, kT0 + 30, other);
    s.expect_offline = "";
    out.push_back(std::move(s));
  }
  return out;
}

json::object WaitForPeer(HttpClient& http, const std::string& token, const std::string& path,
                         const std::string& status) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  json::object last;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = http.Request("GET", path, "", Auth(token));
    if (r.status == 200) {
      last = r.Json().as_object();
      if (last.at("status").as_string() == status) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_FAIL("peer did not reach " << status << ": " << json::serialize(last));
  return last;
}

int ExitCodeOf(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Serves scenario `s`'s feed from `peer_node` and registers it as a peer of
// the regulator `reg`; returns the peer's path.
std::string AddForgedPeer(HttpClient& http, const Actor& reg, ForgedPeerServer& peer_node,
                          const Scenario& s) {
  peer_node.SetFeed(s.tenant, s.log.FeedPage());
  json::object body{{"url", peer_node.Url()},
                    {"tenant", s.tenant},
                    {"token", "dxt_forged"},
                    {"logPublicKeyPem", s.log.LogKeyPem()}};
  auto added = http.Request("POST", "/v1/tenants/hsa/peers", json::serialize(body), JsonAuth(reg.token));
  BOOST_REQUIRE_MESSAGE(added.status == 201, added.body);
  return "/v1/tenants/hsa/peers/" + std::string(added.Json().at("id").as_string());
}

}  // namespace

BOOST_AUTO_TEST_CASE(forged_feeds_reject_the_peer_store_nothing_and_fail_dossier_verify) {
  TempDir dir;
  Server node(dir.path() / "node", {"--rate-limit", "0", "--peer-poll-ms", "200"});
  HttpClient http(node.port());
  const Actor reg = CreateActor(http, node.operator_token(), "hsa", "REGULATOR");
  ForgedPeerServer peer_node;
  std::vector<Scenario> scenarios = Scenarios();

  // Every scenario is one regulator on the forged node, pulled as one peer.
  std::map<std::string, std::string> peer_paths;
  for (const Scenario& s : scenarios) peer_paths[s.tenant] = AddForgedPeer(http, reg, peer_node, s);

  for (const Scenario& s : scenarios) {
    BOOST_TEST_CONTEXT(s.tenant) {
      if (s.expect.empty()) {
        const json::object ok = WaitForPeer(http, reg.token, peer_paths[s.tenant], "OK");
        BOOST_TEST(ok.at("entries").to_number<uint64_t>() == 2u);
        BOOST_TEST(ok.at("lastSeq").to_number<uint64_t>() == 2u);
        continue;
      }
      const json::object rejected = WaitForPeer(http, reg.token, peer_paths[s.tenant], "REJECTED");
      const std::string error(rejected.at("error").as_string());
      BOOST_TEST_MESSAGE(s.tenant << ": " << error);
      BOOST_TEST(error.find("feed entry 2 does not verify") != std::string::npos, error);
      BOOST_TEST(error.find("[" + s.expect) != std::string::npos, error);
      // Nothing of the page is stored, not even its valid entry 1: the
      // position and the entries are written together or not at all.
      BOOST_TEST(rejected.at("entries").to_number<uint64_t>() == 0u);
      BOOST_TEST(rejected.at("lastSeq").to_number<uint64_t>() == 0u);
      BOOST_TEST(rejected.at("verifiedTreeSize").to_number<uint64_t>() == 0u);
    }
  }

  // A REJECTED peer is not polled again; the honest one goes on being polled.
  std::map<std::string, int> requests;
  for (const Scenario& s : scenarios) requests[s.tenant] = peer_node.FeedRequests(s.tenant);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  for (const Scenario& s : scenarios) {
    BOOST_TEST_CONTEXT(s.tenant) {
      BOOST_TEST(requests[s.tenant] >= 1);
      if (s.expect.empty()) {
        BOOST_TEST(peer_node.FeedRequests(s.tenant) > requests[s.tenant]);
      } else {
        BOOST_TEST(peer_node.FeedRequests(s.tenant) == requests[s.tenant]);
      }
    }
  }
}

// The puller verifies a page on two threads (entries 1-2 on one, 3-4 on the
// other here) and applies the results in feed order: with forged entries on
// both threads, the first forged one in feed order is reported, and nothing of
// the page is stored.
BOOST_AUTO_TEST_CASE(with_several_forged_entries_the_first_in_feed_order_is_reported) {
  auto key = NewKey(), theirs = NewKey();
  Scenario s = Start("reg-two-forged", "wrong-payload-type", key);
  s.log.AddDecision(s.tenant, "s-2", key, kT0 + 20, 0, std::nullopt, "application/vnd.in-toto+json");
  const uint64_t other =
      s.log.AddKeyLeaf(trust::kLeafKindKeyRegistered, "other-reg", theirs.public_key(), kT0 + 30);
  s.log.AddDecision(s.tenant, "s-3", theirs, kT0 + 40, other);  // signer-key-mismatch
  s.log.AddDecision(s.tenant, "s-4", key, kT0 + 50, 0);         // valid

  TempDir dir;
  Server node(dir.path() / "node", {"--rate-limit", "0", "--peer-poll-ms", "200"});
  HttpClient http(node.port());
  const Actor reg = CreateActor(http, node.operator_token(), "hsa", "REGULATOR");
  ForgedPeerServer peer_node;
  const json::object rejected =
      WaitForPeer(http, reg.token, AddForgedPeer(http, reg, peer_node, s), "REJECTED");
  const std::string error(rejected.at("error").as_string());
  BOOST_TEST(error.find("feed entry 2 does not verify") != std::string::npos, error);
  BOOST_TEST(error.find("[wrong-payload-type") != std::string::npos, error);
  BOOST_TEST(rejected.at("entries").to_number<uint64_t>() == 0u);
  BOOST_TEST(rejected.at("lastSeq").to_number<uint64_t>() == 0u);
}

BOOST_AUTO_TEST_CASE(the_same_forged_entries_fail_dossier_verify_with_exit_5) {
  TempDir dir;
  const std::string cli = (BinDir() / "dossier").string();
  for (Scenario& s : Scenarios()) {
    BOOST_TEST_CONTEXT(s.tenant) {
      const auto key_file = dir.path() / (s.tenant + "-log-key.pem");
      WriteFile(key_file, s.log.LogKeyPem());
      const std::vector<trust::Bundle> bundles = s.log.Bundles();
      BOOST_REQUIRE_EQUAL(bundles.size(), 2u);
      for (size_t i = 0; i < bundles.size(); ++i) {
        const auto bundle_file = dir.path() / (s.tenant + "-" + std::to_string(i + 1) + ".bundle.json");
        const auto out_file = dir.path() / (s.tenant + "-" + std::to_string(i + 1) + ".out");
        WriteFile(bundle_file, json::serialize(trust::BundleToJson(bundles[i])));
        const int code = ExitCodeOf(cli + " verify " + bundle_file.string() + " --log-key " +
                                    key_file.string() + " > " + out_file.string() + " 2>&1");
        const std::string output = ReadFile(out_file);
        const bool forged = i == 1 && !s.expect_offline.empty();
        BOOST_TEST(code == (forged ? 5 : 0), "entry " << i + 1 << ": " << output);
        if (forged) BOOST_TEST(output.find("[" + s.expect_offline + "]") != std::string::npos, output);
      }
    }
  }
}
