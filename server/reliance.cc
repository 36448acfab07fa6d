// Reliance between regulators: agreements, the change feed, verified peer
// pulls, and section-by-section sameness of a submission with what a peer
// regulator decided.
//
// Trust model. A peer node is never trusted blindly: every feed page carries
// the peer's signed checkpoint, and every entry its DSSE envelope, the signer's
// key with its registration leaf, and inclusion proofs against that
// checkpoint. The puller checks the checkpoint signature against the log key
// configured for the peer, a consistency proof from the last checkpoint it
// verified, every signature and every inclusion proof, and stores an entry
// only when all hold. A peer whose log is inconsistent with what it showed
// before is marked REJECTED and not polled again. The peer's position
// (last sequence, verified tree size and root) is written in the same atomic
// write as the entries it covers, so a crash resumes without gaps or
// duplicates, and applying an entry twice changes nothing.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "dossier/client/client.h"
#include "schema/dossier_codec.h"
#include "server/api_services.h"
#include "server/bounded_cache.h"
#include "server/json_util.h"
#include "server/regional.h"
#include "trust/checkpoint.h"
#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/encoding.h"
#include "trust/log_leaf.h"
#include "trust/merkle.h"
#include "trust/statement.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

constexpr std::string_view kAgreements = "reliance-agreements";  // in the grantor's space, id = peer tenant
constexpr std::string_view kPeers = "peers";                     // in the pulling regulator's space
constexpr std::string_view kForeign = "foreign-decisions";       // verified entries pulled from peers
// Entries per feed page, the most a page may hold (API.md caps page sizes at
// 500). A page costs a round trip, a checkpoint verification, a consistency
// proof and one durable write on the pulling node, so fewer, larger pages
// sync faster; 500 entries with review reports are ≈2 MB.
constexpr size_t kFeedPage = 500;

uint64_t Uint(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_string()) {
    const auto& s = v->as_string();
    return s.empty() || s.size() > 19 ||
                   std::string_view(s).find_first_not_of("0123456789") != std::string_view::npos
               ? 0
               : std::stoull(std::string(s));
  }
  return v->is_number() ? v->to_number<uint64_t>() : 0;
}

StatusOr<json::object> ParseObject(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return InvalidArgument(std::string(what) + " is not a JSON object", "bad-json");
  return std::move(v.as_object());
}

// The seq-ordered id of a stored foreign entry: peer id + zero-padded seq.
std::string ForeignId(const std::string& peer_id, uint64_t seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(seq));
  return peer_id + "-" + buf;
}

json::array Base64List(const std::vector<std::string>& hashes) {
  json::array a;
  for (const auto& h : hashes) a.emplace_back(trust::Base64Encode(h));
  return a;
}

StatusOr<std::vector<std::string>> DecodeHashes(const json::value* v, std::string_view field) {
  std::vector<std::string> out;
  if (!v || !v->is_array()) return InvalidArgument("missing proof", "feed-invalid", std::string(field));
  for (const auto& h : v->as_array()) {
    if (!h.is_string())
      return InvalidArgument("proof hash is not a string", "feed-invalid", std::string(field));
    auto raw = trust::Base64Decode(h.as_string());
    if (!raw.ok() || raw->size() != 32)
      return InvalidArgument("bad proof hash", "feed-invalid", std::string(field));
    out.push_back(std::move(raw).value());
  }
  return out;
}

// Device identifiers as "TYPE:value" strings, for matching foreign decisions
// to a local submission of the same device.
std::set<std::string> IdentifierKeys(const json::value& device) {
  std::set<std::string> keys;
  if (!device.is_object()) return keys;
  const json::value* ids = device.as_object().if_contains("identifiers");
  if (!ids || !ids->is_array()) return keys;
  for (const auto& id : ids->as_array()) {
    if (!id.is_object()) continue;
    const std::string type = StringMember(id.as_object(), "type"),
                      value = StringMember(id.as_object(), "value");
    if (!type.empty() && !value.empty()) keys.insert(type + ":" + value);
  }
  return keys;
}

}  // namespace

bool HasRelianceAgreement(storage::Store& store, const std::string& grantor, const std::string& peer) {
  auto record = store.GetRecord(grantor, kAgreements, peer);
  if (!record.ok()) return false;
  auto agreement = ParseObject(*record, "agreement");
  if (!agreement.ok()) return false;
  const std::string until = StringMember(*agreement, "validUntil");
  if (!until.empty()) {
    auto ms = ParseTime(until, "validUntil");
    if (ms.ok() && *ms <= NowMs()) return false;
  }
  return true;
}

namespace {

// ----------------------------------------------------------------- puller

// Pulls every registered peer in the background. Uses only the store and its
// own copy of the options (never the API core), so it can outlive requests.
class PeerPuller {
 public:
  PeerPuller(storage::Store& store, const ServerOptions& options)
      : store_(store), poll_(options.peer_poll_interval), max_backoff_(options.peer_max_backoff) {}

  ~PeerPuller() { Stop(); }

  void Start() {
    // Resume every peer recorded before a restart.
    auto tenants = store_.ListTenants();
    if (tenants.ok()) {
      for (const auto& t : *tenants) {
        auto peers = store_.ListRecords(t.id(), kPeers, "", 1000);
        if (!peers.ok()) continue;
        for (auto& [id, text] : peers->items) Add(t.id(), id);
      }
    }
    thread_ = std::thread([this] { Run(); });
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  void Add(const std::string& tenant, const std::string& peer_id) {
    {
      std::lock_guard lock(mu_);
      peers_[tenant + "/" + peer_id] =
          Schedule{tenant, peer_id, std::chrono::steady_clock::now(), std::chrono::milliseconds(0)};
    }
    cv_.notify_all();
  }

 private:
  struct Schedule {
    std::string tenant, peer_id;
    std::chrono::steady_clock::time_point next;
    std::chrono::milliseconds backoff;
  };

  void Run() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
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
          peers_.erase(it);  // a peer caught rewriting history is not trusted further
        } else {
          auto b = it->second.backoff.count() == 0 ? poll_ : it->second.backoff * 2;
          it->second.backoff = std::min(b, max_backoff_);
          it->second.next = std::chrono::steady_clock::now() + it->second.backoff;
        }
      }
    }
  }

  Status SaveState(const std::string& tenant, json::object peer, const std::string& status,
                   const std::string& error, std::vector<storage::RecordWrite> writes = {}) {
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
  Status PullPeer(const std::string& tenant, const std::string& peer_id) {
    auto text = store_.GetRecord(tenant, kPeers, peer_id);
    if (!text.ok()) return text.status();
    DOSSIER_ASSIGN_OR_RETURN(json::object peer, ParseObject(*text, "peer"));
    if (StringMember(peer, "status") == "REJECTED")
      return Status(StatusCode::kFailedPrecondition, "rejected", "peer-rejected");
    client::ClientOptions options;
    options.base_url = StringMember(peer, "url");
    options.token = StringMember(peer, "token");
    options.connect_timeout = std::chrono::milliseconds(3000);
    options.io_timeout = std::chrono::milliseconds(15000);
    options.max_retries = 0;  // the puller has its own back-off
    auto client = client::Client::Create(options);
    if (!client.ok()) return Fail(tenant, peer, client.status());
    auto key = ParsePem(StringMember(peer, "logPublicKeyPem"));
    if (!key.ok()) return Fail(tenant, peer, key.status());
    while (true) {
      const uint64_t since = Uint(peer, "lastSeq");
      auto page = (*client)->Call("GET", "/v1/tenants/" + StringMember(peer, "tenant") + "/feed?since=" +
                                             std::to_string(since) + "&limit=" + std::to_string(kFeedPage));
      if (!page.ok()) return Fail(tenant, peer, page.status().Annotate("fetching the feed"));
      auto body = ParseObject(page->body, "feed page");
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
      DOSSIER_RETURN_IF_ERROR(SaveState(tenant, peer, "OK", "", std::move(writes)));
      if (!again || Uint(peer, "lastSeq") <= since) return Status::Ok();
    }
  }

  // A PEM public key parsed once per puller. OpenSSL 3's PEM decoding was
  // two thirds of the CPU of verifying an entry (docs/PERFORMANCE.md), and
  // every entry of a peer names the same few signer keys. The cache key is
  // the SHA-256 of the PEM text, so an entry can never be stale: the same
  // bytes always parse to the same key. Whether the key is registered in the
  // peer's log is still checked for every entry (inclusion proof).
  StatusOr<trust::PublicKey> ParsePem(const std::string& pem) {
    return keys_.GetOrCompute(trust::Sha256(pem), [&] { return trust::PublicKey::FromPem(pem); });
  }

  Status Fail(const std::string& tenant, json::object& peer, const Status& error) {
    Status saved = SaveState(tenant, peer, "RETRYING", error.message());
    (void)saved;
    return error;
  }

  // Verifies one feed page and, when everything holds, appends the writes that
  // store its entries and advance the peer's position (`peer` is updated).
  Status VerifyPage(const std::string& tenant, json::object& peer, const json::object& page,
                    const trust::PublicKey& log_key, client::Client& client,
                    std::vector<storage::RecordWrite>* writes) {
    const std::string note = StringMember(page, "checkpoint");
    const std::string origin = note.substr(0, note.find('\n'));
    auto checkpoint = trust::OpenCheckpoint(note, origin, log_key);
    if (!checkpoint.ok()) {
      return Status(
          StatusCode::kFailedPrecondition,
          "the peer's checkpoint does not verify with its log key: " + checkpoint.status().message(),
          "peer-rejected");
    }
    const std::string known_origin = StringMember(peer, "origin");
    if (!known_origin.empty() && known_origin != origin) {
      return Status(StatusCode::kFailedPrecondition, "the peer's log origin changed", "peer-rejected");
    }
    // The new checkpoint must extend the last one verified.
    const uint64_t old_size = Uint(peer, "verifiedTreeSize");
    std::string old_root;
    if (old_size > 0) {
      auto decoded = trust::Base64Decode(StringMember(peer, "verifiedRoot"));
      if (!decoded.ok()) return DataLoss("stored peer root is corrupt", "corruption");
      old_root = *decoded;
      if (checkpoint->tree_size < old_size) {
        return Status(StatusCode::kFailedPrecondition,
                      "the peer's log shrank from " + std::to_string(old_size) + " to " +
                          std::to_string(checkpoint->tree_size) + " entries",
                      "peer-rejected");
      }
      if (checkpoint->tree_size == old_size) {
        if (checkpoint->root_hash != old_root) {
          return Status(StatusCode::kFailedPrecondition, "the peer shows two different roots at one size",
                        "peer-rejected");
        }
      } else {
        auto proof = client.GetConsistencyProof(old_size, checkpoint->tree_size);
        if (!proof.ok()) return proof.status().Annotate("fetching a consistency proof");
        if (!trust::VerifyConsistency(old_size, checkpoint->tree_size, *proof, old_root,
                                      checkpoint->root_hash)
                 .ok()) {
          return Status(StatusCode::kFailedPrecondition,
                        "the peer's log is not consistent with the checkpoint verified before (size " +
                            std::to_string(old_size) + "): it rewrote history",
                        "peer-rejected");
        }
      }
    }

    uint64_t last_seq = Uint(peer, "lastSeq");
    const json::value* entries = page.if_contains("entries");
    if (entries && entries->is_array()) {
      for (const auto& value : entries->as_array()) {
        if (!value.is_object()) return InvalidArgument("feed entry is not an object", "feed-invalid");
        const json::object& entry = value.as_object();
        const uint64_t seq = Uint(entry, "seq");
        if (seq <= last_seq) continue;  // already applied: applying twice changes nothing
        Status s = VerifyEntry(entry, *checkpoint);
        if (!s.ok()) {
          return Status(StatusCode::kFailedPrecondition,
                        "feed entry " + std::to_string(seq) + " does not verify: " + s.message(),
                        "peer-rejected");
        }
        json::object stored = entry;
        stored["peer"] = StringMember(peer, "id");
        stored["peerTenant"] = StringMember(peer, "tenant");
        stored["peerOrigin"] = origin;
        stored["verifiedAt"] = FormatTime(NowMs());
        stored["verifiedAgainstTreeSize"] = checkpoint->tree_size;
        writes->push_back({tenant, std::string(kForeign), ForeignId(StringMember(peer, "id"), seq),
                           json::serialize(stored)});
        last_seq = seq;
      }
    }
    // Entries up to nextSince that were not sent are outside the agreement's
    // scope (or not decisions): skip past them, or a page of them would be
    // fetched again forever.
    if (const uint64_t next = Uint(page, "nextSince"); next > last_seq) last_seq = next;
    peer["lastSeq"] = last_seq;
    peer["verifiedTreeSize"] = checkpoint->tree_size;
    peer["verifiedRoot"] = trust::Base64Encode(checkpoint->root_hash);
    peer["origin"] = origin;
    peer["entries"] = Uint(peer, "entries") + writes->size();
    return Status::Ok();
  }

  // One entry: signer key registered in the peer's log, envelope signed by it,
  // statement and leaf agree, leaf included in the checkpoint, content (when
  // sent) hashes to the signed digest.
  Status VerifyEntry(const json::object& entry, const trust::Checkpoint& checkpoint) {
    const json::value* signer_v = entry.if_contains("signer");
    if (!signer_v || !signer_v->is_object()) return InvalidArgument("no signer", "feed-invalid");
    const json::object& signer = signer_v->as_object();
    DOSSIER_ASSIGN_OR_RETURN(trust::PublicKey key, ParsePem(StringMember(signer, "publicKeyPem")));
    DOSSIER_ASSIGN_OR_RETURN(std::string key_leaf, trust::Base64Decode(StringMember(signer, "leafData")));
    DOSSIER_ASSIGN_OR_RETURN(trust::LogLeaf key_record, trust::DecodeLogLeaf(key_leaf));
    if (key_record.kind != trust::kLeafKindKeyRegistered ||
        key_record.envelope_digest != trust::DigestRef(trust::Sha256(key.SpkiDer()))) {
      return InvalidArgument("the signer's registration leaf does not name this key", "feed-invalid");
    }
    DOSSIER_ASSIGN_OR_RETURN(auto key_proof, DecodeHashes(signer.if_contains("inclusionProof"), "signer"));
    DOSSIER_RETURN_IF_ERROR(trust::VerifyInclusion(trust::LeafHash(key_leaf), Uint(signer, "logIndex"),
                                                   checkpoint.tree_size, key_proof, checkpoint.root_hash));

    const json::value* envelope_v = entry.if_contains("envelope");
    if (!envelope_v) return InvalidArgument("no envelope", "feed-invalid");
    DOSSIER_ASSIGN_OR_RETURN(trust::DsseEnvelope envelope, trust::EnvelopeFromJson(*envelope_v));
    DOSSIER_RETURN_IF_ERROR(trust::VerifyEnvelope(envelope, key));
    DOSSIER_ASSIGN_OR_RETURN(trust::Statement statement, trust::ParseStatement(envelope.payload));
    if (statement.content_digest != StringMember(entry, "contentDigest") ||
        statement.object != StringMember(entry, "object") || statement.version != Uint(entry, "version")) {
      return InvalidArgument("the entry does not match its signed statement", "feed-invalid");
    }
    if (key_record.tenant != statement.tenant) {
      return InvalidArgument("the signer key belongs to another tenant", "feed-invalid");
    }
    DOSSIER_ASSIGN_OR_RETURN(std::string leaf_data, trust::Base64Decode(StringMember(entry, "leafData")));
    DOSSIER_ASSIGN_OR_RETURN(trust::LogLeaf leaf, trust::DecodeLogLeaf(leaf_data));
    if (leaf.tenant != statement.tenant || leaf.object != statement.object ||
        leaf.version != statement.version || leaf.content_digest != statement.content_digest ||
        leaf.envelope_digest != trust::DigestRef(trust::Sha256(trust::SerializeEnvelope(envelope)))) {
      return InvalidArgument("the log leaf does not match the envelope", "feed-invalid");
    }
    DOSSIER_ASSIGN_OR_RETURN(auto proof, DecodeHashes(entry.if_contains("inclusionProof"), "inclusionProof"));
    DOSSIER_RETURN_IF_ERROR(trust::VerifyInclusion(trust::LeafHash(leaf_data), Uint(entry, "logIndex"),
                                                   checkpoint.tree_size, proof, checkpoint.root_hash));
    if (const json::value* content = entry.if_contains("content"); content && content->is_string()) {
      DOSSIER_ASSIGN_OR_RETURN(std::string bytes, trust::Base64Decode(content->as_string()));
      if (trust::DigestRef(trust::Sha256(bytes)) != statement.content_digest) {
        return InvalidArgument("the content does not hash to the signed digest", "feed-invalid");
      }
    }
    return Status::Ok();
  }

  storage::Store& store_;
  const std::chrono::milliseconds poll_, max_backoff_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Schedule> peers_;
  bool stopping_ = false;
  // SHA-256 of PEM text -> parsed key (ParsePem). 1024 keys of a few hundred
  // bytes each: peers sign with a handful of keys each.
  BoundedCache<trust::PublicKey> keys_{1024};
  std::thread thread_;
};

// ----------------------------------------------------------------- routes

class RelianceRoutes {
 public:
  explicit RelianceRoutes(ApiServices& api) : api_(api), puller_(api.store(), api.options()) {}

  void Register(const std::shared_ptr<RelianceRoutes>& self) {
    auto route = [&](std::string method, std::string pattern, Access access, std::string summary,
                     StatusOr<Response> (RelianceRoutes::*fn)(RouteContext&), std::string example = {}) {
      Route r;
      r.method = std::move(method);
      r.pattern = std::move(pattern);
      r.access = access;
      r.summary = std::move(summary);
      r.tag = "reliance";
      r.handler = [self, fn](RouteContext& c) { return ((*self).*fn)(c); };
      r.request_example = std::move(example);
      api_.AddRoute(std::move(r));
    };
    route("POST", "/v1/tenants/{t}/reliance-agreements", Access::kTenantAdmin,
          "Let a peer regulator read this regulator's decisions (and review reports)",
          &RelianceRoutes::CreateAgreement, R"({"peer":"hsa","includeReviewReports":true})");
    route("GET", "/v1/tenants/{t}/reliance-agreements", Access::kTenantViewer, "This regulator's agreements",
          &RelianceRoutes::ListAgreements);
    route("GET", "/v1/tenants/{t}/feed", Access::kTenantViewerOrReliancePeer,
          "Ordered change feed of decisions, each with envelope, signer key and inclusion proofs",
          &RelianceRoutes::Feed);
    route(
        "POST", "/v1/tenants/{t}/peers", Access::kTenantAdmin, "Start pulling a remote regulator's feed",
        &RelianceRoutes::AddPeer,
        R"({"url":"https://fda.example","tenant":"fda","token":"dxt_...","logPublicKeyPem":"-----BEGIN PUBLIC KEY-----..."})");
    route("GET", "/v1/tenants/{t}/peers", Access::kTenantViewer, "Peers and their sync status",
          &RelianceRoutes::ListPeers);
    route("GET", "/v1/tenants/{t}/peers/{p}", Access::kTenantViewer, "One peer's sync status",
          &RelianceRoutes::GetPeer);
    route("GET", "/v1/tenants/{t}/submissions/{s}/reliance", Access::kTenantViewer,
          "Foreign decisions on the same device, section by section identical or not",
          &RelianceRoutes::Sameness);
    puller_.Start();
  }

 private:
  StatusOr<Response> CreateAgreement(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    auto& store = api_.store();
    DOSSIER_ASSIGN_OR_RETURN(auto self, store.GetTenant(tenant));
    if (self.kind() == "MANUFACTURER")
      return PermissionDenied("only regulators share reviews", "not-a-regulator");
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(
        body,
        {"peer", "includeReviewReports", "include_review_reports", "outcomes", "validUntil", "valid_until"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string peer, RequiredString(body, {"peer"}));
    DOSSIER_RETURN_IF_ERROR(ValidateId(peer, "peer"));
    auto peer_tenant = store.GetTenant(peer);
    if (!peer_tenant.ok() || peer_tenant->kind() == "MANUFACTURER" || peer == tenant) {
      return InvalidArgument("no other regulator tenant \"" + peer + "\" on this node", "unknown-peer",
                             "peer");
    }
    DOSSIER_ASSIGN_OR_RETURN(auto reports,
                             OptionalBool(body, {"includeReviewReports", "include_review_reports"}));
    DOSSIER_ASSIGN_OR_RETURN(auto until, OptionalString(body, {"validUntil", "valid_until"}));
    if (until) DOSSIER_RETURN_IF_ERROR(ParseTime(*until, "validUntil").status());
    json::object agreement{{"peer", peer},
                           {"grantor", tenant},
                           {"includeReviewReports", reports.value_or(true)},
                           {"createdAt", FormatTime(NowMs())}};
    if (until) agreement["validUntil"] = *until;
    if (const json::value* outcomes = body.if_contains("outcomes")) {
      if (!outcomes->is_array()) return InvalidArgument("must be a list", "bad-field-type", "outcomes");
      agreement["outcomes"] = *outcomes;
    }
    DOSSIER_RETURN_IF_ERROR(
        store.WriteRecords({{tenant, std::string(kAgreements), peer, json::serialize(agreement)}}));
    return Response::Json(201, json::serialize(agreement));
  }

  StatusOr<Response> ListAgreements(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto page, api_.store().ListRecords(c.Param("t"), kAgreements, "", 1000));
    json::array items;
    for (auto& [id, text] : page.items) {
      auto o = ParseObject(text, "agreement");
      if (o.ok()) items.push_back(std::move(*o));
    }
    return Response::Json(200, json::serialize(json::object{{"agreements", std::move(items)}}));
  }

  // ------------------------------------------------------------------ feed
  StatusOr<Response> Feed(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    auto& store = api_.store();
    uint64_t since = 0;
    if (auto s = c.request.Query("since")) {
      if (s->empty() || s->size() > 19 || s->find_first_not_of("0123456789") != std::string::npos) {
        return InvalidArgument("must be a sequence number", "bad-parameter", "since");
      }
      since = std::stoull(*s);
    }
    size_t limit = std::min<size_t>(api_.PageSize(c.request), kFeedPage);
    if (auto l = c.request.Query("limit");
        l && !l->empty() && l->size() < 6 && l->find_first_not_of("0123456789") == std::string::npos) {
      limit = std::clamp<size_t>(std::stoull(*l), 1, kFeedPage);
    }
    // What the caller may see: everything for the tenant's own members, the
    // agreement's scope for a peer.
    bool include_reports = true;
    std::set<std::string> outcomes;
    if (c.principal && c.principal->tenant != tenant) {
      DOSSIER_ASSIGN_OR_RETURN(std::string text, store.GetRecord(tenant, kAgreements, c.principal->tenant));
      DOSSIER_ASSIGN_OR_RETURN(json::object agreement, ParseObject(text, "agreement"));
      include_reports =
          !agreement.contains("includeReviewReports") || agreement.at("includeReviewReports").as_bool();
      if (const json::value* o = agreement.if_contains("outcomes"); o && o->is_array()) {
        for (const auto& v : o->as_array()) {
          if (v.is_string()) outcomes.insert(std::string(v.as_string()));
        }
      }
    }
    // One checkpoint for the page; every proof is against it.
    DOSSIER_ASSIGN_OR_RETURN(std::string note, api_.CurrentCheckpoint());
    const size_t first_nl = note.find('\n');
    const uint64_t tree_size =
        std::stoull(note.substr(first_nl + 1, note.find('\n', first_nl + 1) - first_nl - 1));

    json::array entries;
    uint64_t next = since;
    DOSSIER_ASSIGN_OR_RETURN(auto feed, store.ReadFeed(tenant, since, limit));
    // Every entry of a page is usually signed by the same few keys: their
    // records and inclusion proofs (against this page's checkpoint) once each.
    std::map<std::string, json::object> signers;
    for (const auto& f : feed) {
      // Feed entries are in log order: one committed after the checkpoint
      // ends the page, and is sent with the next checkpoint.
      if (f.log_index() >= tree_size) break;
      next = f.seq();
      if (f.kind() != "decisions") continue;
      DOSSIER_ASSIGN_OR_RETURN(auto v, store.GetVersion(tenant, f.kind(), f.id(), f.version()));
      std::string content;
      if (include_reports) {
        DOSSIER_ASSIGN_OR_RETURN(content, api_.LoadContent(tenant, v));
      }
      DOSSIER_ASSIGN_OR_RETURN(DecisionFacts decision, Facts(tenant, v, content));
      if (!outcomes.empty() && !outcomes.count(decision.outcome)) continue;

      json::object entry;
      entry["seq"] = f.seq();
      entry["object"] = "submissions/" + f.id() + "/decisions";
      entry["version"] = v.version();
      entry["contentDigest"] = v.content_digest();
      entry["mediaType"] = v.media_type();
      entry["logIndex"] = v.log_index();
      entry["leafData"] = trust::Base64Encode(v.leaf_data());
      entry["envelope"] = json::parse(v.envelope_json());
      DOSSIER_ASSIGN_OR_RETURN(auto proof, store.LogInclusionProof(v.log_index(), tree_size));
      entry["inclusionProof"] = Base64List(proof);
      auto signer = signers.find(v.signer_key_id());
      if (signer == signers.end()) {
        DOSSIER_ASSIGN_OR_RETURN(auto key, store.GetKey(tenant, v.signer_key_id()));
        DOSSIER_ASSIGN_OR_RETURN(auto key_proof, store.LogInclusionProof(key.log_index(), tree_size));
        signer =
            signers
                .emplace(v.signer_key_id(), json::object{{"keyId", key.key_id()},
                                                         {"publicKeyPem", key.public_key_pem()},
                                                         {"logIndex", key.log_index()},
                                                         {"leafData", trust::Base64Encode(key.leaf_data())},
                                                         {"inclusionProof", Base64List(key_proof)}})
                .first;
      }
      entry["signer"] = signer->second;
      entry["outcome"] = decision.outcome;
      entry["number"] = decision.number;
      entry["date"] = decision.date;
      if (include_reports) entry["content"] = trust::Base64Encode(content);
      // What was reviewed, as this node recorded it at submission time:
      // device identity and section digests (not the content).
      auto submission = store.GetRecord(tenant, "inbox", f.id());
      if (submission.ok()) {
        auto record = ParseObject(*submission, "submission");
        if (record.ok()) {
          json::object reviewed{{"manufacturer", StringMember(*record, "manufacturer")},
                                {"dossierContentDigest", StringMember(*record, "contentDigest")},
                                {"tocEdition", StringMember(*record, "tocEdition")},
                                {"pathway", StringMember(*record, "pathway")}};
          if (const json::value* d = record->if_contains("sectionDigests")) reviewed["sectionDigests"] = *d;
          auto identity = DeviceIdentity(StringMember(*record, "manufacturer"),
                                         StringMember(*record, "dossier"), Uint(*record, "version"));
          if (identity.ok() && *identity) reviewed["device"] = **identity;
          entry["reviewed"] = std::move(reviewed);
        }
      }
      entries.push_back(std::move(entry));
    }
    // "more": the page was full, ask again from nextSince (entries outside
    // the agreement's scope are not sent, so the entry count does not tell).
    json::object out{{"entries", std::move(entries)},
                     {"checkpoint", note},
                     {"treeSize", tree_size},
                     {"nextSince", next},
                     {"more", feed.size() >= limit && next > since}};
    return Response::Json(200, json::serialize(out));
  }

  // What the feed reports of a decision, parsed once per content: the cache
  // key is the version's content digest (and media type), and the facts are a
  // function of those bytes alone, so an entry can never be stale.
  struct DecisionFacts {
    std::string outcome, number, date;
  };
  // `content` is the version's bytes when the caller has them, else empty.
  StatusOr<DecisionFacts> Facts(const std::string& tenant, const storage::VersionRecord& v,
                                const std::string& content) {
    return decisions_.GetOrCompute(
        v.media_type() + " " + v.content_digest(), [&]() -> StatusOr<DecisionFacts> {
          std::string loaded;
          if (content.empty()) {
            DOSSIER_ASSIGN_OR_RETURN(loaded, api_.LoadContent(tenant, v));
          }
          const std::string& bytes = content.empty() ? loaded : content;
          DOSSIER_ASSIGN_OR_RETURN(
              auto format, schema::FormatOfMediaType(v.media_type(), "application/vnd.dossier.decision.v1"));
          DOSSIER_ASSIGN_OR_RETURN(v1::Decision decision, schema::ParseDecision(bytes, format));
          return DecisionFacts{v1::Decision::Outcome_Name(decision.outcome()), decision.number(),
                               decision.date()};
        });
  }

  // The reviewed device's identity ({tradeName, identifiers}; nullopt when the
  // dossier names no device), loaded and parsed once per dossier version. A
  // committed version is immutable (never rewritten, and there is no route
  // that deletes one), so an entry keyed by (tenant, dossier, version) can
  // never be stale. Loading and parsing the dossier was about half of the
  // feed's CPU (docs/PERFORMANCE.md).
  StatusOr<std::optional<json::object>> DeviceIdentity(const std::string& tenant, const std::string& dossier,
                                                       uint64_t version) {
    const std::string key = tenant + "/" + dossier + "/" + std::to_string(version);
    return devices_.GetOrCompute(key, [&]() -> StatusOr<std::optional<json::object>> {
      DOSSIER_ASSIGN_OR_RETURN(v1::Dossier loaded, LoadDossierVersion(api_, tenant, dossier, version));
      if (!loaded.has_device()) return std::optional<json::object>();
      boost::system::error_code ec;
      json::value parsed = json::parse(schema::DossierToJson(loaded), ec);
      if (ec || !parsed.is_object() || !parsed.as_object().contains("device"))
        return std::optional<json::object>();
      json::object identity;
      const json::object& d = parsed.at("device").as_object();
      if (d.contains("tradeName")) identity["tradeName"] = d.at("tradeName");
      if (d.contains("identifiers")) identity["identifiers"] = d.at("identifiers");
      return std::optional<json::object>(std::move(identity));
    });
  }

  // ----------------------------------------------------------------- peers
  static json::object PeerView(json::object peer) {
    peer.erase("token");  // a credential for the remote node: never shown again
    peer.erase("logPublicKeyPem");
    return peer;
  }

  StatusOr<Response> AddPeer(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    DOSSIER_ASSIGN_OR_RETURN(auto self, api_.store().GetTenant(tenant));
    if (self.kind() == "MANUFACTURER")
      return PermissionDenied("only regulators pull peers", "not-a-regulator");
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(
        RejectUnknownMembers(body, {"url", "tenant", "token", "logPublicKeyPem", "log_public_key_pem"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string url, RequiredString(body, {"url"}));
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      return InvalidArgument("must start with http:// or https://", "bad-url", "url");
    }
    DOSSIER_ASSIGN_OR_RETURN(std::string remote_tenant, RequiredString(body, {"tenant"}));
    DOSSIER_RETURN_IF_ERROR(ValidateId(remote_tenant, "tenant"));
    DOSSIER_ASSIGN_OR_RETURN(std::string token, RequiredString(body, {"token"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string pem,
                             RequiredString(body, {"logPublicKeyPem", "log_public_key_pem"}));
    auto key = trust::PublicKey::FromPem(pem);
    if (!key.ok()) return key.status().WithFieldPrefix("logPublicKeyPem");
    if (key->algorithm() != trust::KeyAlgorithm::kEd25519) {
      return InvalidArgument("a log key is Ed25519", "unsupported-key", "logPublicKeyPem");
    }
    const std::string id = "p-" + RandomHex(6);
    json::object peer{{"id", id},
                      {"url", url},
                      {"tenant", remote_tenant},
                      {"token", token},
                      {"logPublicKeyPem", key->Pem()},
                      {"logKeyId", key->KeyId()},
                      {"status", "PENDING"},
                      {"lastSeq", 0},
                      {"verifiedTreeSize", 0},
                      {"entries", 0},
                      {"createdAt", FormatTime(NowMs())}};
    DOSSIER_RETURN_IF_ERROR(api_.store().WriteRecords(
        {{tenant, std::string(kPeers), id, json::serialize(peer), storage::RecordWrite::Mode::kCreate}}));
    puller_.Add(tenant, id);
    Response r = Response::Json(201, json::serialize(PeerView(peer)));
    r.headers.emplace_back("Location", "/v1/tenants/" + tenant + "/peers/" + id);
    return r;
  }

  StatusOr<Response> GetPeer(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(std::string text, api_.store().GetRecord(c.Param("t"), kPeers, c.Param("p")));
    DOSSIER_ASSIGN_OR_RETURN(json::object peer, ParseObject(text, "peer"));
    return Response::Json(200, json::serialize(PeerView(std::move(peer))));
  }

  StatusOr<Response> ListPeers(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto page, api_.store().ListRecords(c.Param("t"), kPeers, "", 1000));
    json::array items;
    for (auto& [id, text] : page.items) {
      auto o = ParseObject(text, "peer");
      if (o.ok()) items.push_back(PeerView(std::move(*o)));
    }
    return Response::Json(200, json::serialize(json::object{{"peers", std::move(items)}}));
  }

  // -------------------------------------------------------------- sameness
  StatusOr<Response> Sameness(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    auto& store = api_.store();
    auto text = store.GetRecord(tenant, "inbox", c.Param("s"));
    if (!text.ok()) return NotFound("submission " + c.Param("s") + " was not received by this tenant");
    DOSSIER_ASSIGN_OR_RETURN(json::object submission, ParseObject(*text, "submission"));
    DOSSIER_ASSIGN_OR_RETURN(
        v1::Dossier dossier,
        LoadDossierVersion(api_, StringMember(submission, "manufacturer"),
                           StringMember(submission, "dossier"), Uint(submission, "version")));
    const json::value own_json = json::parse(schema::DossierToJson(dossier));
    const std::set<std::string> own_ids = own_json.as_object().contains("device")
                                              ? IdentifierKeys(own_json.at("device"))
                                              : std::set<std::string>{};
    std::map<std::string, std::string> ours;
    if (const json::value* d = submission.if_contains("sectionDigests"); d && d->is_object()) {
      for (const auto& [code, digest] : d->as_object()) {
        if (digest.is_string()) ours[std::string(code)] = std::string(digest.as_string());
      }
    }

    json::array decisions;
    std::string token;
    do {
      DOSSIER_ASSIGN_OR_RETURN(auto page, store.ListRecords(tenant, kForeign, token, 500));
      for (auto& [id, entry_text] : page.items) {
        auto entry = ParseObject(entry_text, "foreign decision");
        if (!entry.ok()) continue;
        const json::value* reviewed = entry->if_contains("reviewed");
        if (!reviewed || !reviewed->is_object()) continue;
        const json::object& r = reviewed->as_object();
        // The same device: a shared identifier, or the very same signed content.
        bool same_device =
            StringMember(r, "dossierContentDigest") == StringMember(submission, "contentDigest");
        if (const json::value* device = r.if_contains("device")) {
          for (const auto& k : IdentifierKeys(*device)) same_device = same_device || own_ids.count(k);
        }
        if (!same_device) continue;
        // Their digests: those the regulator signed in its decision when it
        // did, else those its node recorded at submission time.
        std::map<std::string, std::string> theirs;
        std::string attestation = "node";
        if (const json::value* content = entry->if_contains("content"); content && content->is_string()) {
          auto bytes = trust::Base64Decode(content->as_string());
          auto decision = bytes.ok() ? schema::ParseDecision(*bytes, schema::ContentFormat::kJson)
                                     : StatusOr<v1::Decision>(bytes.status());
          if (decision.ok()) {
            for (const auto& s : decision->sections()) {
              if (!s.digest().empty()) theirs[s.code()] = s.digest();
            }
            if (!theirs.empty()) attestation = "regulator-signed";
          }
        }
        if (theirs.empty()) {
          if (const json::value* d = r.if_contains("sectionDigests"); d && d->is_object()) {
            for (const auto& [code, digest] : d->as_object()) {
              if (digest.is_string()) theirs[std::string(code)] = std::string(digest.as_string());
            }
          }
        }
        std::set<std::string> codes;
        for (const auto& [code, d] : ours) codes.insert(code);
        for (const auto& [code, d] : theirs) codes.insert(code);
        json::array sections;
        size_t identical = 0;
        for (const auto& code : codes) {
          auto a = ours.find(code), b = theirs.find(code);
          const bool same = a != ours.end() && b != theirs.end() && a->second == b->second;
          identical += same;
          json::object s{{"code", code}, {"identical", same}};
          if (a == ours.end()) s["onlyIn"] = "peer";
          if (b == theirs.end()) s["onlyIn"] = "this submission";
          sections.push_back(std::move(s));
        }
        decisions.push_back(json::object{{"peer", StringMember(*entry, "peer")},
                                         {"peerTenant", StringMember(*entry, "peerTenant")},
                                         {"peerOrigin", StringMember(*entry, "peerOrigin")},
                                         {"outcome", StringMember(*entry, "outcome")},
                                         {"number", StringMember(*entry, "number")},
                                         {"date", StringMember(*entry, "date")},
                                         {"logIndex", Uint(*entry, "logIndex")},
                                         {"attestation", attestation},
                                         {"identicalSections", identical},
                                         {"differentSections", codes.size() - identical},
                                         {"sections", std::move(sections)}});
      }
      token = page.next_page_token;
    } while (!token.empty());
    return Response::Json(200, json::serialize(json::object{{"submission", c.Param("s")},
                                                            {"decisions", std::move(decisions)}}));
  }

  ApiServices& api_;
  PeerPuller puller_;
  // Bounded (server/bounded_cache.h): 4096 decisions (three short strings
  // each) and 4096 device identities (a trade name and a few identifiers).
  BoundedCache<DecisionFacts> decisions_{4096};
  BoundedCache<std::optional<json::object>> devices_{4096};
};

}  // namespace

void AddRelianceRoutes(ApiServices& services) {
  auto routes = std::make_shared<RelianceRoutes>(services);
  routes->Register(routes);
}

}  // namespace dossier::server
