// A forged peer node for the reliance security tests: a transparency log
// built leaf by leaf with every proof and checkpoint signature valid, so that
// a forged entry fails only the check it targets, and a plain HTTP server on
// 127.0.0.1 that serves such logs as feed pages to the real puller of a
// dossierd under test.
#pragma once

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "trust/bundle.h"
#include "trust/keys.h"
#include "trust/merkle.h"
#include "trust/statement.h"

namespace dossier::testing::security {

// One regulator's log on the forged node, with decisions it can serve in a
// feed and as offline bundles.
class ForgedLog {
 public:
  explicit ForgedLog(std::string origin);

  // Appends the registration (or revocation) of `key` by `tenant`, effective at `at_ms`.
  uint64_t AddKeyLeaf(std::string_view kind, const std::string& tenant, const trust::PublicKey& key,
                      int64_t at_ms);
  // Appends a decision of `tenant` on submission `submission`, signed by
  // `signer` under `payload_type`, committed at `at_ms`. The entry's signer
  // evidence names the key leaf at `key_index` and, when given, the
  // revocation leaf at `revocation_index`.
  void AddDecision(const std::string& tenant, const std::string& submission, const trust::PrivateKey& signer,
                   int64_t at_ms, uint64_t key_index, std::optional<uint64_t> revocation_index = std::nullopt,
                   std::string_view payload_type = trust::kStatementPayloadType);

  // The decisions as bundles with proofs against a checkpoint of the whole log.
  std::vector<trust::Bundle> Bundles() const;
  // A feed page holding every decision, in the wire format of the feed route
  // (server/log_evidence.h), seq 1, 2, ...
  std::string FeedPage() const;
  std::string LogKeyPem() const { return log_key_.public_key().Pem(); }

 private:
  struct Decision {
    trust::Bundle bundle;  // without proofs and checkpoint
    uint64_t key_index = 0;
    std::optional<uint64_t> revocation_index;
  };
  std::string origin_;
  trust::PrivateKey log_key_;
  trust::MemoryMerkleTree tree_;
  std::vector<trust::LogLeaf> leaves_;
  std::vector<Decision> decisions_;
};

// Serves GET /v1/tenants/{t}/feed from the page set for tenant t (404 for
// anything else) on 127.0.0.1, one request per connection.
class ForgedPeerServer {
 public:
  ForgedPeerServer();
  ~ForgedPeerServer();
  ForgedPeerServer(const ForgedPeerServer&) = delete;
  ForgedPeerServer& operator=(const ForgedPeerServer&) = delete;

  void SetFeed(const std::string& tenant, std::string page_json);
  // Answers `tenant`'s feed with "302 Found" to `location` instead (the
  // request still counts in FeedRequests).
  void SetRedirect(const std::string& tenant, std::string location);
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Feed requests for `tenant` answered so far, to show the puller asked
  // (and that it stopped asking).
  int FeedRequests(const std::string& tenant);
  // Holds every answer this long before sending it (default 0).
  void SetHold(std::chrono::milliseconds hold) { hold_ms_ = static_cast<int>(hold.count()); }
  // Answers during whose hold another client was already waiting to be
  // accepted: how often two pullers asked at once.
  int Overlaps() const { return overlaps_.load(); }

 private:
  void Serve();
  std::string Answer(const std::string& request_head);

  int listen_fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> hold_ms_{0};
  std::atomic<int> overlaps_{0};
  std::mutex mu_;
  std::map<std::string, std::string> pages_;      // tenant -> page JSON
  std::map<std::string, std::string> redirects_;  // tenant -> Location
  std::map<std::string, int> feed_requests_;      // tenant -> count
  std::thread thread_;
};

}  // namespace dossier::testing::security
