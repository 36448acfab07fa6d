// Reliance between regulators, the routes: agreements, the change feed,
// peers and their sync status, and section-by-section sameness of a
// submission with what a peer regulator decided. The puller that verifies and
// stores a peer's feed is server/peer_puller.cc; server/reliance.h has the
// trust model.

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "common/decimal.h"
#include "common/ordered_parallel_map.h"
#include "common/random.h"
#include "schema/dossier_codec.h"
#include "schema/sameness.h"
#include "server/api_services.h"
#include "server/bounded_cache.h"
#include "server/drift_alerts.h"
#include "server/json_util.h"
#include "server/log_evidence.h"
#include "server/openapi_schemas.h"
#include "server/peer_url.h"
#include "server/regional.h"
#include "server/reliance.h"
#include "trust/checkpoint.h"
#include "trust/encoding.h"

namespace dossier::server {
namespace json = boost::json;
using reliance::kAgreements;
using reliance::kFeedPage;
using reliance::kForeign;
using reliance::kPeers;
using reliance::ParseStoredObject;
using reliance::StoredUint;

bool HasRelianceAgreement(storage::Store& store, const std::string& grantor, const std::string& peer) {
  auto record = store.GetRecord(grantor, kAgreements, peer);
  if (!record.ok()) return false;
  auto agreement = ParseStoredObject(*record, "agreement");
  if (!agreement.ok()) return false;
  const std::string until = StringMember(*agreement, "validUntil");
  if (!until.empty()) {
    auto ms = ParseTime(until, "validUntil");
    if (ms.ok() && *ms <= NowMs()) return false;
  }
  return true;
}

namespace {

// Threads that build a feed page's entries (at most the machine's cores); two,
// as the pulling node verifies a page on two (server/peer_puller.cc).
constexpr size_t kFeedBuildThreads = 2;

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

// ----------------------------------------------------------------- routes

class RelianceRoutes {
 public:
  explicit RelianceRoutes(ApiServices& api) : api_(api), puller_(api.store(), api.options()) {}

  void Register(const std::shared_ptr<RelianceRoutes>& self) {
    AddRelianceSchemas(api_);
    api_.AddRoute({.method = "POST",
                   .pattern = "/v1/tenants/{t}/reliance-agreements",
                   .access = Access::kTenantAdmin,
                   .summary = "Let a peer regulator read this regulator's decisions (and review reports)",
                   .tag = "reliance",
                   .handler = Bind(self, &RelianceRoutes::CreateAgreement),
                   .request_example = R"({"peer":"hsa","includeReviewReports":true})",
                   .request_schema = "AgreementCreate",
                   .response_schema = "Agreement"});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/reliance-agreements",
                   .access = Access::kTenantViewer,
                   .summary = "This regulator's agreements",
                   .tag = "reliance",
                   .handler = Bind(self, &RelianceRoutes::ListAgreements),
                   .response_schema = "AgreementList"});
    api_.AddRoute({.method = "POST",
                   .pattern = "/v1/tenants/{t}/reliance-agreements/{p}:revoke",
                   .access = Access::kTenantAdmin,
                   .summary = "End the agreement with a peer now (its scope and creation stay on record)",
                   .tag = "reliance",
                   .handler = Bind(self, &RelianceRoutes::RevokeAgreement),
                   .response_schema = "Agreement"});
    api_.AddRoute(
        {.method = "GET",
         .pattern = "/v1/tenants/{t}/feed",
         .access = Access::kTenantViewerOrReliancePeer,
         .summary = "Ordered change feed of decisions, each with envelope, signer key and inclusion proofs",
         .tag = "reliance",
         .handler = Bind(self, &RelianceRoutes::Feed),
         .response_schema = "FeedPage",
         .query = {{.name = "since",
                    .description = "feed sequence to continue after (nextSince)",
                    .type = "integer"}}});
    api_.AddRoute(
        {.method = "POST",
         .pattern = "/v1/tenants/{t}/peers",
         .access = Access::kTenantAdmin,
         .summary = "Start pulling a remote regulator's feed",
         .tag = "reliance",
         .handler = Bind(self, &RelianceRoutes::AddPeer),
         .request_example =
             R"({"url":"https://fda.example","tenant":"fda","token":"dxt_reliance_feed_token","logPublicKeyPem":"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAT343DkaxYKLdfD9RMnMdf2pMKyId4D1Ap1ODdIi6WRk=\n-----END PUBLIC KEY-----\n"})",
         .request_schema = "PeerCreate",
         .response_schema = "Peer"});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/peers",
                   .access = Access::kTenantViewer,
                   .summary = "Peers and their sync status",
                   .tag = "reliance",
                   .handler = Bind(self, &RelianceRoutes::ListPeers),
                   .response_schema = "PeerList"});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/peers/{p}",
                   .access = Access::kTenantViewer,
                   .summary = "One peer's sync status",
                   .tag = "reliance",
                   .handler = Bind(self, &RelianceRoutes::GetPeer),
                   .response_schema = "Peer"});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/submissions/{s}/reliance",
                   .access = Access::kTenantViewer,
                   .summary = "Foreign decisions on the same device, section by section identical or not",
                   .tag = "reliance",
                   .handler = Bind(self, &RelianceRoutes::Sameness),
                   .response_schema = "RelianceView"});
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
    // A revocation reads and rewrites the record: never between its two steps.
    std::lock_guard<std::mutex> one_change(api_.RecordLock(kAgreements, tenant + "/" + peer));
    DOSSIER_RETURN_IF_ERROR(
        store.WriteRecords({{tenant, std::string(kAgreements), peer, json::serialize(agreement)}}));
    return Response::Json(201, json::serialize(agreement));
  }

  // The peer's reads stop now (HasRelianceAgreement compares validUntil
  // with the clock); the record keeps its scope, createdAt and the moment it
  // was revoked. An agreement already ended stays as it is.
  StatusOr<Response> RevokeAgreement(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    auto& store = api_.store();
    std::lock_guard<std::mutex> one_change(api_.RecordLock(kAgreements, tenant + "/" + c.Param("p")));
    auto text = store.GetRecord(tenant, kAgreements, c.Param("p"));
    if (!text.ok()) return NotFound("no reliance agreement with " + c.Param("p"));
    // No member is meaningful: a revocation is always "now".
    if (!c.request.body.empty()) {
      DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
      DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(body, {}));
    }
    DOSSIER_ASSIGN_OR_RETURN(json::object agreement, ParseStoredObject(*text, "agreement"));
    if (!HasRelianceAgreement(store, tenant, c.Param("p")))
      return Response::Json(200, json::serialize(agreement));
    const std::string now = FormatTime(NowMs());
    agreement["validUntil"] = now;
    agreement["revokedAt"] = now;
    DOSSIER_RETURN_IF_ERROR(
        store.WriteRecords({{tenant, std::string(kAgreements), c.Param("p"), json::serialize(agreement)}}));
    return Response::Json(200, json::serialize(agreement));
  }

  StatusOr<Response> ListAgreements(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto page, api_.store().ListRecords(c.Param("t"), kAgreements, "", 1000));
    json::array items;
    for (auto& [id, text] : page.items) {
      auto o = ParseStoredObject(text, "agreement");
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
      auto parsed = ParseUint64(*s, "since");
      if (!parsed.ok()) return InvalidArgument("must be a sequence number", "bad-parameter", "since");
      since = *parsed;
    }
    size_t limit = std::min<size_t>(api_.PageSize(c.request), kFeedPage);
    if (auto l = c.request.Query("limit")) {
      // A malformed limit is ignored, as before: the page size applies.
      if (auto parsed = ParseUint64(*l, "limit"); parsed.ok())
        limit = static_cast<size_t>(std::clamp<uint64_t>(*parsed, 1, kFeedPage));
    }
    // What the caller may see: everything for the tenant's own members, the
    // agreement's scope for a peer.
    bool include_reports = true;
    std::set<std::string> outcomes;
    if (c.principal && c.principal->tenant != tenant) {
      DOSSIER_ASSIGN_OR_RETURN(std::string text, store.GetRecord(tenant, kAgreements, c.principal->tenant));
      DOSSIER_ASSIGN_OR_RETURN(json::object agreement, ParseStoredObject(text, "agreement"));
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
    // This node's own note, just signed: parsed, not sliced, and not re-verified.
    DOSSIER_ASSIGN_OR_RETURN(trust::Checkpoint checkpoint, trust::ParseUnverifiedCheckpoint(note));
    const uint64_t tree_size = checkpoint.tree_size;

    uint64_t next = since;
    DOSSIER_ASSIGN_OR_RETURN(auto feed, store.ReadFeed(tenant, since, limit));
    // The page's decisions, in log order. Feed entries are in log order: one
    // committed after the checkpoint ends the page, and is sent with the next
    // checkpoint.
    std::vector<const storage::FeedEntry*> decisions;
    for (const auto& f : feed) {
      if (f.log_index() >= tree_size) break;
      next = f.seq();
      if (f.kind() == "decisions") decisions.push_back(&f);
    }
    // Building an entry (reading the version, its content and inbox record,
    // parsing the decision on its first serving, the inclusion proof) is
    // independent of the others and was a third of a sync's wall time on the
    // serving node: a page is built on up to kFeedBuildThreads threads (the
    // store and the caches are thread-safe), then assembled in log order, so
    // the first entry that fails is still the error answered.
    // Every entry of a page is usually signed by the same few keys: their
    // records and inclusion proofs (against this page's checkpoint) once each.
    SignerEvidence signers(store, tenant, tree_size);
    const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, kFeedBuildThreads);
    std::vector<StatusOr<std::optional<json::object>>> built = OrderedParallelMap(
        decisions.size(), threads,
        [this, &decisions, &tenant, include_reports, &outcomes, &signers, tree_size] {
          return [this, &decisions, &tenant, include_reports, &outcomes, &signers, tree_size](size_t i) {
            return FeedEntryJson(tenant, *decisions[i], include_reports, outcomes, signers, tree_size);
          };
        });
    json::array entries;
    entries.reserve(built.size());
    for (auto& entry : built) {
      if (!entry.ok()) return entry.status();
      if (*entry) entries.push_back(std::move(**entry));
    }
    // "more": the page was full, ask again from nextSince (entries outside
    // the agreement's scope are not sent, so the entry count does not tell).
    json::object out{{"entries", std::move(entries)},
                     {"checkpoint", note},
                     {"treeSize", tree_size},
                     {"nextSince", next},
                     {"more", feed.size() >= limit && next > since}};
    // Drift alerts this regulator raised, after the caller's alert cursor
    // (server/drift_alerts.h); an addition older pullers ignore.
    const std::string alerts_after = c.request.Query("alertsAfter").value_or("");
    if (alerts_after.size() > 64)
      return InvalidArgument("is not an alert id", "bad-parameter", "alertsAfter");
    DOSSIER_ASSIGN_OR_RETURN(json::object alerts,
                             AlertFeedPage(api_, tenant, alerts_after, tree_size, limit));
    for (auto& [key, value] : alerts) out[key] = std::move(value);
    return Response::Json(200, json::serialize(out));
  }

  // The signer key evidence of a page (record, registration and revocation
  // leaves, inclusion proofs against the page's checkpoint), computed once per
  // key and shared by the threads that build the page.
  class SignerEvidence {
   public:
    SignerEvidence(const storage::Store& store, const std::string& tenant, uint64_t tree_size)
        : store_(store), tenant_(tenant), tree_size_(tree_size) {}
    StatusOr<json::object> For(const std::string& key_id) {
      std::lock_guard lock(mu_);
      if (auto found = by_key_id_.find(key_id); found != by_key_id_.end()) return found->second;
      DOSSIER_ASSIGN_OR_RETURN(auto key, store_.GetKey(tenant_, key_id));
      trust::Bundle evidence;
      DOSSIER_RETURN_IF_ERROR(AddSignerKeyEvidence(store_, key, tree_size_, evidence));
      return by_key_id_.emplace(key_id, SignerFeedJson(evidence, key.key_id())).first->second;
    }

   private:
    const storage::Store& store_;
    const std::string& tenant_;
    const uint64_t tree_size_;
    std::mutex mu_;
    std::map<std::string, json::object> by_key_id_;
  };

  // One decision of a feed page as the feed sends it, or nullopt when the
  // agreement's outcomes leave it out. Called from several threads at once:
  // reads the store and the thread-safe caches only.
  StatusOr<std::optional<json::object>> FeedEntryJson(const std::string& tenant, const storage::FeedEntry& f,
                                                      bool include_reports,
                                                      const std::set<std::string>& outcomes,
                                                      SignerEvidence& signers, uint64_t tree_size) {
    auto& store = api_.store();
    DOSSIER_ASSIGN_OR_RETURN(auto v, store.GetVersion(tenant, f.kind(), f.id(), f.version()));
    std::string content;
    if (include_reports) {
      DOSSIER_ASSIGN_OR_RETURN(content, api_.LoadContent(tenant, v));
    }
    DOSSIER_ASSIGN_OR_RETURN(DecisionFacts decision, Facts(tenant, v, content));
    if (!outcomes.empty() && !outcomes.count(decision.outcome)) return std::optional<json::object>();

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
    entry["inclusionProof"] = Base64HashList(proof);
    DOSSIER_ASSIGN_OR_RETURN(entry["signer"], signers.For(v.signer_key_id()));
    entry["outcome"] = decision.outcome;
    entry["number"] = decision.number;
    entry["date"] = decision.date;
    if (include_reports) entry["content"] = trust::Base64Encode(content);
    // What was reviewed, as this node recorded it at submission time:
    // device identity and section digests (not the content).
    auto submission = store.GetRecord(tenant, "inbox", f.id());
    if (submission.ok()) {
      auto record = ParseStoredObject(*submission, "submission");
      if (record.ok()) {
        json::object reviewed{{"manufacturer", StringMember(*record, "manufacturer")},
                              {"dossierContentDigest", StringMember(*record, "contentDigest")},
                              {"tocEdition", StringMember(*record, "tocEdition")},
                              {"pathway", StringMember(*record, "pathway")}};
        if (const json::value* d = record->if_contains("sectionDigests")) reviewed["sectionDigests"] = *d;
        auto identity = DeviceIdentity(StringMember(*record, "manufacturer"),
                                       StringMember(*record, "dossier"), StoredUint(*record, "version"));
        if (identity.ok() && *identity) {
          // The structured facts reliance is about (intended use,
          // indications, population, class) travel beside the identity.
          json::object device = **identity;
          if (const json::value* facts = device.if_contains("facts")) {
            reviewed["facts"] = *facts;
            device.erase("facts");
          }
          reviewed["device"] = std::move(device);
        }
        entry["reviewed"] = std::move(reviewed);
      }
    }
    return std::optional<json::object>(std::move(entry));
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
      identity["facts"] = schema::RelianceFactsToJson(schema::RelianceFactsOf(loaded));
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
    DOSSIER_RETURN_IF_ERROR(CheckPeerUrl(url, api_.options().peer_allowed_hosts));
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
    DOSSIER_ASSIGN_OR_RETURN(const std::string suffix, ::dossier::RandomHex(6));
    const std::string id = "p-" + suffix;
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
    DOSSIER_ASSIGN_OR_RETURN(json::object peer, ParseStoredObject(text, "peer"));
    return Response::Json(200, json::serialize(PeerView(std::move(peer))));
  }

  StatusOr<Response> ListPeers(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto page, api_.store().ListRecords(c.Param("t"), kPeers, "", 1000));
    json::array items;
    for (auto& [id, text] : page.items) {
      auto o = ParseStoredObject(text, "peer");
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
    DOSSIER_ASSIGN_OR_RETURN(json::object submission, ParseStoredObject(*text, "submission"));
    DOSSIER_ASSIGN_OR_RETURN(
        v1::Dossier dossier,
        LoadDossierVersion(api_, StringMember(submission, "manufacturer"),
                           StringMember(submission, "dossier"), StoredUint(submission, "version")));
    const json::value own_json = json::parse(schema::DossierToJson(dossier));
    const std::set<std::string> own_ids = own_json.as_object().contains("device")
                                              ? IdentifierKeys(own_json.at("device"))
                                              : std::set<std::string>{};
    const schema::RelianceFacts own_facts = schema::RelianceFactsOf(dossier);
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
        auto entry = ParseStoredObject(entry_text, "foreign decision");
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
        // The peer's facts as its node recorded them; absent (an older node)
        // or unreadable facts are unknown, never "the same".
        std::optional<schema::RelianceFacts> their_facts;
        if (const json::value* f = r.if_contains("facts")) {
          auto parsed = schema::RelianceFactsFromJson(*f);
          if (parsed.ok()) their_facts = std::move(*parsed);
        }
        // The decision itself travels only when the agreement includes
        // review reports: then its per-section outcomes, notes and
        // conditions are shown too.
        std::optional<v1::Decision> review;
        if (const json::value* content = entry->if_contains("content"); content && content->is_string()) {
          auto bytes = trust::Base64Decode(content->as_string());
          auto decision = bytes.ok() ? schema::ParseDecision(*bytes, schema::ContentFormat::kJson)
                                     : StatusOr<v1::Decision>(bytes.status());
          if (decision.ok()) {
            review = *decision;
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
        json::object view =
            schema::SamenessView({own_facts, their_facts, ours, theirs, review ? &*review : nullptr});
        view["peer"] = StringMember(*entry, "peer");
        view["peerTenant"] = StringMember(*entry, "peerTenant");
        view["peerOrigin"] = StringMember(*entry, "peerOrigin");
        view["outcome"] = StringMember(*entry, "outcome");
        view["number"] = StringMember(*entry, "number");
        view["date"] = StringMember(*entry, "date");
        view["logIndex"] = StoredUint(*entry, "logIndex");
        view["attestation"] = attestation;
        decisions.push_back(std::move(view));
      }
      token = page.next_page_token;
    } while (!token.empty());
    return Response::Json(200, json::serialize(json::object{{"submission", c.Param("s")},
                                                            {"decisions", std::move(decisions)}}));
  }

  ApiServices& api_;
  reliance::PeerPuller puller_;
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
