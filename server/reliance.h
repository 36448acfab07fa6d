// Shared by the reliance route module (server/reliance_routes.cc) and the
// peer puller (server/peer_puller.cc): where reliance records live, and the
// puller's interface.
//
// Trust model. A peer node is never trusted blindly: every feed page carries
// the peer's signed checkpoint, and every entry its DSSE envelope, the
// signer's key with its registration leaf (and revocation leaf, when the key
// was revoked), and inclusion proofs against that checkpoint
// (server/log_evidence.h). The puller checks the checkpoint signature against
// the log key configured for the peer and a consistency proof from the last
// checkpoint it verified, then each entry with trust::VerifyBundle (the same
// verification as the SDK's and `dossier verify`), and stores a page's
// entries only when all hold. A peer whose log is inconsistent with what it
// showed before, or that serves an entry that does not verify, is marked
// REJECTED and not polled again. The peer's position (last sequence, verified
// tree size and root) is written in the same atomic write as the entries it
// covers, so a crash resumes without gaps or duplicates, and applying an entry
// twice changes nothing.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/status.h"
#include "server/options.h"
#include "storage/store.h"

namespace dossier::client {
class Client;
}  // namespace dossier::client

namespace dossier::trust {
class PublicKey;
class BundleVerifier;
}  // namespace dossier::trust

namespace dossier::server::reliance {

inline constexpr std::string_view kAgreements = "reliance-agreements";  // grantor's space, id = peer tenant
inline constexpr std::string_view kPeers = "peers";                     // the pulling regulator's space
inline constexpr std::string_view kForeign = "foreign-decisions";       // verified entries pulled from peers
// Entries per feed page, the most a page may hold (API.md caps page sizes at
// 500). A page costs a round trip, a checkpoint verification, a consistency
// proof and one durable write on the pulling node, so fewer, larger pages
// sync faster; 500 entries with review reports are ≈2 MB.
inline constexpr size_t kFeedPage = 500;

// A record this node wrote itself (agreement, peer, submission) as a JSON
// object; reason "bad-json" when it is not one.
StatusOr<boost::json::object> ParseStoredObject(std::string_view text, std::string_view what);
// An unsigned member of a record this node wrote (a number or a decimal
// string); 0 when absent or malformed.
uint64_t StoredUint(const boost::json::object& o, std::string_view key);

// Pulls every registered peer in the background. Uses only the store and its
// own copy of the options (never the API core), so it can outlive requests.
// Add is thread-safe; Start and Stop are called once each, by the owner.
// Several nodes may share one store (PostgreSQL): only the node holding the
// store's "reliance-puller" lease pulls, so each peer is pulled once per
// deployment; the holder renews it every poll and reloads the peers any node
// registered. When the holder dies, another node takes over once it expires.
class PeerPuller {
 public:
  PeerPuller(storage::Store& store, const ServerOptions& options);
  ~PeerPuller();
  PeerPuller(const PeerPuller&) = delete;
  PeerPuller& operator=(const PeerPuller&) = delete;

  // Resumes every peer recorded before a restart and starts the thread.
  void Start();
  void Stop();
  // Schedules `peer_id` of `tenant` for an immediate pull.
  void Add(const std::string& tenant, const std::string& peer_id);

 private:
  struct Schedule {
    std::string tenant, peer_id;
    std::chrono::steady_clock::time_point next;
    std::chrono::milliseconds backoff;
  };

  void Run();
  // Schedules every recorded peer not scheduled yet.
  void LoadPeers();
  // Whether this node holds (takes or renews) the puller lease.
  bool HoldsLease();
  Status SaveState(const std::string& tenant, boost::json::object peer, const std::string& status,
                   const std::string& error, std::vector<storage::RecordWrite> writes = {});
  Status PullPeer(const std::string& tenant, const std::string& peer_id);
  Status Fail(const std::string& tenant, boost::json::object& peer, const Status& error);
  Status VerifyPage(const std::string& tenant, boost::json::object& peer, const boost::json::object& page,
                    const trust::PublicKey& log_key, client::Client& client,
                    std::vector<storage::RecordWrite>* writes);
  Status VerifyAlerts(const std::string& tenant, boost::json::object& peer, const boost::json::object& page,
                      trust::BundleVerifier& verifier, const std::string& note,
                      std::vector<storage::RecordWrite>* writes);

  storage::Store& store_;
  const std::chrono::milliseconds poll_, max_backoff_;
  const std::vector<std::string> allowed_hosts_;  // ServerOptions::peer_allowed_hosts
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Schedule> peers_;
  bool stopping_ = false;
  std::string lease_holder_;  // this process's id for the lease, random
  bool held_lease_ = false;   // Run's thread only
  std::thread thread_;
};

}  // namespace dossier::server::reliance
