// The peer puller: fetches a remote regulator's feed page by page, verifies
// every page (server/reliance.h has the trust model) and stores what holds.

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <thread>

#include "common/decimal.h"
#include "common/ordered_parallel_map.h"
#include "common/random.h"
#include "common/time.h"
#include "dossier/client/client.h"
#include "server/drift_alerts.h"
#include "server/json_util.h"
#include "server/log_evidence.h"
#include "server/peer_url.h"
#include "server/reliance.h"
#include "trust/bundle.h"
#include "trust/checkpoint.h"
#include "trust/encoding.h"
#include "trust/merkle.h"

namespace dossier::server::reliance {
namespace json = boost::json;

namespace {

// Threads that verify a page's entries (at most the machine's cores): two
// halve a page's verification time on the two-core machines of
// docs/PERFORMANCE.md without taking every core of a bigger server from the
// requests it serves.
constexpr size_t kVerifyThreads = 2;

// The seq-ordered id of a stored foreign entry: peer id + zero-padded seq.
std::string ForeignId(const std::string& peer_id, uint64_t seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(seq));
  return peer_id + "-" + buf;
}

// What makes the puller stop trusting a peer: a forged, rewritten or
// inconsistent log. Distinct from failures worth a retry (network, 5xx).
Status PeerRejected(std::string message) {
  return Status(StatusCode::kFailedPrecondition, std::move(message), "peer-rejected");
}

// Verifies one feed entry with the one bundle verification, then what the
// bundle cannot know: the entry belongs to the regulator being pulled, and
// the members stored beside the evidence name the signed object.
StatusOr<trust::BundleVerification> VerifyEntry(trust::BundleVerifier& verifier, const json::object& entry,
                                                const std::string& note, const std::string& peer_tenant) {
  DOSSIER_ASSIGN_OR_RETURN(trust::Bundle bundle, BundleFromFeedEntry(entry, note));
  DOSSIER_ASSIGN_OR_RETURN(std::optional<std::string> content, FeedEntryContent(entry));
  DOSSIER_ASSIGN_OR_RETURN(trust::BundleVerification verified,
                           verifier.Verify(bundle, content ? &*content : nullptr));
  if (verified.statement.tenant != peer_tenant) {
    return InvalidArgument("the entry is signed for tenant \"" + verified.statement.tenant + "\", not \"" +
                               peer_tenant + "\" whose feed this is",
                           "foreign-tenant");
  }
  if (verified.statement.object != StringMember(entry, "object") ||
      verified.statement.version != StoredUint(entry, "version")) {
    return InvalidArgument("the entry does not match its signed statement", "feed-invalid");
  }
  return verified;
}

}  // namespace

StatusOr<json::object> ParseStoredObject(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return InvalidArgument(std::string(what) + " is not a JSON object", "bad-json");
  return std::move(v.as_object());
}

uint64_t StoredUint(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_string()) {
    auto parsed = ParseUint64(std::string_view(v->as_string()), key);
    return parsed.ok() ? *parsed : 0;
  }
  return v->is_number() ? v->to_number<uint64_t>() : 0;
}

PeerPuller::PeerPuller(storage::Store& store, const ServerOptions& options)
    : store_(store),
      poll_(options.peer_poll_interval),
      max_backoff_(options.peer_max_backoff),
      allowed_hosts_(options.peer_allowed_hosts) {
  StatusOr<std::string> id = dossier::RandomHex(16);
  lease_holder_ = id.ok() ? *id : "node-" + std::to_string(NowMs());
}

PeerPuller::~PeerPuller() { Stop(); }

void PeerPuller::Start() {
  LoadPeers();
  thread_ = std::thread([this] { Run(); });
}

void PeerPuller::LoadPeers() {
  auto tenants = store_.ListTenants();
  if (!tenants.ok()) return;
  for (const auto& t : *tenants) {
    auto peers = store_.ListRecords(t.id(), kPeers, "", 1000);
    if (!peers.ok()) continue;
    for (auto& [id, text] : peers->items) {
      std::lock_guard lock(mu_);
      peers_.try_emplace(t.id() + "/" + id, Schedule{t.id(), id, std::chrono::steady_clock::now(),
                                                     std::chrono::milliseconds(0)});
    }
  }
}

bool PeerPuller::HoldsLease() {
  // Long enough to outlast a slow pull, short enough for a quick takeover.
  const int64_t ttl_ms = std::max<int64_t>(15000, 3 * poll_.count());
  auto held = store_.AcquireLease("reliance-puller", lease_holder_, NowMs(), ttl_ms);
  const bool holds = held.ok() && *held;
  // Peers registered through other nodes while another node pulled.
  if (holds) LoadPeers();
  held_lease_ = holds;
  return holds;
}

void PeerPuller::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeerPuller::Add(const std::string& tenant, const std::string& peer_id) {
  {
    std::lock_guard lock(mu_);
    peers_[tenant + "/" + peer_id] =
        Schedule{tenant, peer_id, std::chrono::steady_clock::now(), std::chrono::milliseconds(0)};
  }
  cv_.notify_all();
}

void PeerPuller::Run() {
  std::unique_lock lock(mu_);
  auto lease_checked = std::chrono::steady_clock::time_point();
  while (!stopping_) {
    if (std::chrono::steady_clock::now() - lease_checked >= poll_) {
      lock.unlock();
      HoldsLease();
      lock.lock();
      lease_checked = std::chrono::steady_clock::now();
      if (stopping_) return;
    }
    if (!held_lease_) {
      cv_.wait_for(lock, poll_);
      continue;
    }
    auto now = std::chrono::steady_clock::now();
    auto next_wake = now + poll_;
    std::vector<std::string> due;
    for (auto& [key, s] : peers_) {
      if (s.next <= now)
        due.push_back(key);
      else
        next_wake = std::min(next_wake, s.next);
    }
    if (due.empty()) {
      cv_.wait_until(lock, next_wake);
      continue;
    }
    for (const auto& key : due) {
      Schedule s = peers_[key];
      lock.unlock();
      Status result = PullPeer(s.tenant, s.peer_id);
      lock.lock();
      if (stopping_) return;
      auto it = peers_.find(key);
      if (it == peers_.end()) continue;
      if (result.ok()) {
        it->second.backoff = std::chrono::milliseconds(0);
        it->second.next = std::chrono::steady_clock::now() + poll_;
      } else if (result.reason() == "peer-rejected") {
        peers_.erase(it);  // a peer caught forging or rewriting history is not trusted further
      } else {
        auto b = it->second.backoff.count() == 0 ? poll_ : it->second.backoff * 2;
        it->second.backoff = std::min(b, max_backoff_);
        it->second.next = std::chrono::steady_clock::now() + it->second.backoff;
      }
    }
  }
}

Status PeerPuller::SaveState(const std::string& tenant, json::object peer, const std::string& status,
                             const std::string& error, std::vector<storage::RecordWrite> writes) {
  peer["status"] = status;
  if (error.empty()) {
    peer.erase("error");
  } else {
    peer["error"] = error;
  }
  peer["updatedAt"] = FormatTime(NowMs());
  writes.push_back({tenant, std::string(kPeers), StringMember(peer, "id"), json::serialize(peer)});
  return store_.WriteRecords(writes);
}

// Pulls until the peer has nothing new. Errors are recorded in the peer's
// status; the caller backs off.
Status PeerPuller::PullPeer(const std::string& tenant, const std::string& peer_id) {
  auto text = store_.GetRecord(tenant, kPeers, peer_id);
  if (!text.ok()) return text.status();
  DOSSIER_ASSIGN_OR_RETURN(json::object peer, ParseStoredObject(*text, "peer"));
  if (StringMember(peer, "status") == "REJECTED") return PeerRejected("rejected");
  // Checked before every pull, not only at registration: the operator may
  // have narrowed --peer-allow since, and a stored record is not trusted
  // because it was once accepted.
  if (Status allowed = CheckPeerUrl(StringMember(peer, "url"), allowed_hosts_); !allowed.ok()) {
    return Fail(tenant, peer, allowed);
  }
  client::ClientOptions options;
  options.base_url = StringMember(peer, "url");
  options.token = StringMember(peer, "token");
  options.connect_timeout = std::chrono::milliseconds(3000);
  options.io_timeout = std::chrono::milliseconds(15000);
  options.max_retries = 0;  // the puller has its own back-off
  auto client = client::Client::Create(options);
  if (!client.ok()) return Fail(tenant, peer, client.status());
  auto key = trust::PublicKey::FromPem(StringMember(peer, "logPublicKeyPem"));
  if (!key.ok()) return Fail(tenant, peer, key.status());
  while (true) {
    const uint64_t since = StoredUint(peer, "lastSeq");
    auto page = (*client)->Call("GET", "/v1/tenants/" + StringMember(peer, "tenant") + "/feed?since=" +
                                           std::to_string(since) + "&limit=" + std::to_string(kFeedPage) +
                                           "&alertsAfter=" + StringMember(peer, "alertsAfter"));
    if (!page.ok()) return Fail(tenant, peer, page.status().Annotate("fetching the feed"));
    auto body = ParseStoredObject(page->body, "feed page");
    if (!body.ok()) return Fail(tenant, peer, body.status());
    std::vector<storage::RecordWrite> writes;
    Status verified = VerifyPage(tenant, peer, *body, *key, **client, &writes);
    if (!verified.ok()) {
      if (verified.reason() == "peer-rejected") {
        Status saved = SaveState(tenant, peer, "REJECTED", verified.message());
        (void)saved;
        return verified;
      }
      return Fail(tenant, peer, verified);
    }
    // "more": the peer's feed had a full page after `since`. Entries the
    // agreement filters out are not sent, so a short page does not mean the
    // end (servers before "more" existed: a full page of entries does).
    const json::value* entries = body->if_contains("entries");
    const size_t n = entries && entries->is_array() ? entries->as_array().size() : 0;
    const json::value* more = body->if_contains("more");
    const bool again = more && more->is_bool() ? more->as_bool() : n >= kFeedPage;
    const json::value* alerts_more = body->if_contains("alertsMore");
    const bool more_alerts = alerts_more && alerts_more->is_bool() && alerts_more->as_bool();
    const std::string alerts_before = StringMember(peer, "alertsAfter");
    DOSSIER_RETURN_IF_ERROR(SaveState(tenant, peer, "OK", "", std::move(writes)));
    const bool entries_moved = again && StoredUint(peer, "lastSeq") > since;
    const bool alerts_moved = more_alerts && StringMember(peer, "alertsAfter") != alerts_before;
    if (!entries_moved && !alerts_moved) return Status::Ok();
  }
}

Status PeerPuller::Fail(const std::string& tenant, json::object& peer, const Status& error) {
  Status saved = SaveState(tenant, peer, "RETRYING", error.message());
  (void)saved;
  return error;
}

// Verifies one feed page and, when everything holds, appends the writes that
// store its entries and advance the peer's position (`peer` is updated).
Status PeerPuller::VerifyPage(const std::string& tenant, json::object& peer, const json::object& page,
                              const trust::PublicKey& log_key, client::Client& client,
                              std::vector<storage::RecordWrite>* writes) {
  const std::string note = StringMember(page, "checkpoint");
  // The log's name, which is also its note key name: the one verified before,
  // else the one this note claims (its signature by the configured key is
  // what makes the claim trustworthy).
  std::string origin = StringMember(peer, "origin");
  if (origin.empty()) {
    auto claimed = trust::ParseUnverifiedCheckpoint(note);
    if (!claimed.ok()) {
      return PeerRejected("the peer's checkpoint is not a signed checkpoint: " + claimed.status().message());
    }
    origin = claimed->origin;
  }
  trust::BundleVerifier verifier(origin, log_key);
  auto checkpoint = verifier.VerifyCheckpoint(note);
  if (!checkpoint.ok()) {
    return PeerRejected("the peer's checkpoint does not verify with its log key under origin \"" + origin +
                        "\": " + checkpoint.status().message());
  }
  // The new checkpoint must extend the last one verified.
  const uint64_t old_size = StoredUint(peer, "verifiedTreeSize");
  if (old_size > 0) {
    auto old_root = trust::Base64Decode(StringMember(peer, "verifiedRoot"));
    if (!old_root.ok()) return DataLoss("stored peer root is corrupt", "corruption");
    if (checkpoint->tree_size < old_size) {
      return PeerRejected("the peer's log shrank from " + std::to_string(old_size) + " to " +
                          std::to_string(checkpoint->tree_size) + " entries");
    }
    if (checkpoint->tree_size == old_size) {
      if (checkpoint->root_hash != *old_root)
        return PeerRejected("the peer shows two different roots at one size");
    } else {
      auto proof = client.GetConsistencyProof(old_size, checkpoint->tree_size);
      if (!proof.ok()) return proof.status().Annotate("fetching a consistency proof");
      if (!trust::VerifyConsistency(old_size, checkpoint->tree_size, *proof, *old_root, checkpoint->root_hash)
               .ok()) {
        return PeerRejected("the peer's log is not consistent with the checkpoint verified before (size " +
                            std::to_string(old_size) + "): it rewrote history");
      }
    }
  }

  const std::string peer_tenant = StringMember(peer, "tenant");
  uint64_t last_seq = StoredUint(peer, "lastSeq");
  size_t stored = 0;
  // The entries to verify, in feed order: those after the peer's position
  // (applying one twice changes nothing), up to the first that is not an
  // object. The page is rejected there, but only after the entries before it,
  // so that an earlier entry that does not verify is still the one reported.
  std::vector<const json::object*> to_verify;
  bool malformed_entry = false;
  const json::value* entries = page.if_contains("entries");
  if (entries && entries->is_array()) {
    uint64_t seen_seq = last_seq;
    for (const auto& value : entries->as_array()) {
      if (!value.is_object()) {
        malformed_entry = true;
        break;
      }
      const uint64_t seq = StoredUint(value.as_object(), "seq");
      if (seq <= seen_seq) continue;
      to_verify.push_back(&value.as_object());
      seen_seq = seq;
    }
  }
  // The signature checks are 70 % of a pulled entry's CPU and independent of
  // each other: they run on up to kVerifyThreads threads, each with its own
  // copy of the verifier (its key cache is not thread-safe; the copy already
  // holds this page's verified checkpoint). Nothing is stored from here: the
  // results are applied below in feed order, as one thread would.
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, kVerifyThreads);
  const std::vector<StatusOr<trust::BundleVerification>> verifications =
      OrderedParallelMap(to_verify.size(), threads, [&verifier, &to_verify, &note, &peer_tenant] {
        return [entry_verifier = verifier, &to_verify, &note, &peer_tenant](size_t i) mutable {
          return VerifyEntry(entry_verifier, *to_verify[i], note, peer_tenant);
        };
      });
  for (size_t i = 0; i < to_verify.size(); ++i) {
    const json::object& entry = *to_verify[i];
    const uint64_t seq = StoredUint(entry, "seq");
    const auto& verified = verifications[i];
    if (!verified.ok() && verified.status().reason() == "signer-key-revoked-retroactively") {
      // The peer's log is sound (it accepted the signature while the key
      // was valid); the key's holder has since disowned it. Not stored.
      last_seq = seq;
      continue;
    }
    if (!verified.ok()) {
      const Status& s = verified.status();
      return PeerRejected("feed entry " + std::to_string(seq) + " does not verify: " + s.message() + " [" +
                          s.reason() + (s.field().empty() ? "" : " at " + s.field()) + "]");
    }
    json::object record = entry;
    record["peer"] = StringMember(peer, "id");
    record["peerTenant"] = peer_tenant;
    record["peerOrigin"] = origin;
    record["verifiedAt"] = FormatTime(NowMs());
    record["verifiedAgainstTreeSize"] = checkpoint->tree_size;
    writes->push_back(
        {tenant, std::string(kForeign), ForeignId(StringMember(peer, "id"), seq), json::serialize(record)});
    ++stored;
    last_seq = seq;
  }
  if (malformed_entry) return PeerRejected("a feed entry is not a JSON object");
  DOSSIER_RETURN_IF_ERROR(VerifyAlerts(tenant, peer, page, verifier, note, writes));
  // Entries up to nextSince that were not sent are outside the agreement's
  // scope (or not decisions): skip past them, or a page of them would be
  // fetched again forever.
  if (const uint64_t next = StoredUint(page, "nextSince"); next > last_seq) last_seq = next;
  peer["lastSeq"] = last_seq;
  peer["verifiedTreeSize"] = checkpoint->tree_size;
  peer["verifiedRoot"] = trust::Base64Encode(checkpoint->root_hash);
  peer["origin"] = origin;
  peer["entries"] = StoredUint(peer, "entries") + stored;
  return Status::Ok();
}

// The page's relayed drift alerts (server/drift_alerts.h): each verified and
// evaluated here, stored with the duties of this regulator's jurisdiction.
// One that does not verify rejects the peer, as an entry does.
Status PeerPuller::VerifyAlerts(const std::string& tenant, json::object& peer, const json::object& page,
                                trust::BundleVerifier& verifier, const std::string& note,
                                std::vector<storage::RecordWrite>* writes) {
  const json::value* alerts = page.if_contains("alerts");
  if (!alerts || !alerts->is_array() || alerts->as_array().empty()) return Status::Ok();
  DOSSIER_ASSIGN_OR_RETURN(auto self, store_.GetTenant(tenant));
  std::string cursor = StringMember(peer, "alertsAfter");
  for (const auto& value : alerts->as_array()) {
    if (!value.is_object()) return PeerRejected("a relayed alert is not a JSON object");
    const json::object& item = value.as_object();
    const std::string id = StringMember(item, "id");
    if (id.empty() || id.size() > 64) return PeerRejected("a relayed alert has no usable id");
    if (!cursor.empty() && id <= cursor) continue;  // already stored
    auto verified = VerifyRelayedAlert(verifier, item, note, self.jurisdiction());
    if (!verified.ok()) {
      const Status& s = verified.status();
      return PeerRejected("relayed alert " + id + " does not verify: " + s.message() + " [" + s.reason() +
                          "]");
    }
    json::object record = std::move(*verified);
    record["id"] = StringMember(peer, "id") + "-" + id;
    record["origin"] = "relayed";
    record["peer"] = StringMember(peer, "id");
    record["peerTenant"] = StringMember(peer, "tenant");
    record["peerAlert"] = id;
    record["verifiedAt"] = FormatTime(NowMs());
    writes->push_back(
        {tenant, std::string(kRelayedAlerts), StringMember(record, "id"), json::serialize(record)});
    cursor = id;
  }
  peer["alertsAfter"] = cursor;
  return Status::Ok();
}

}  // namespace dossier::server::reliance
