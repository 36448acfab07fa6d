// Client (synchronous) and AsyncClient: thin fronts over ClientCore's
// coroutines. Client runs them on a private io_context, one call at a time.
#include "dossier/client/client.h"

#include <boost/asio/io_context.hpp>
#include <mutex>

#include "core.h"
#include "dossier/client/async_client.h"
#include "trust/digest.h"

namespace dossier::client {
namespace json = boost::json;

namespace {

using internal::Enc;
using internal::Str;
using internal::U64;

Tenant ToTenant(json::object o) {
  return Tenant{Str(o, "id"), Str(o, "displayName"), Str(o, "kind"), Str(o, "jurisdiction"), std::move(o)};
}

TokenInfo ToToken(json::object o) {
  TokenInfo t{Str(o, "id"), Str(o, "role"), Str(o, "label"), Str(o, "token"), o.contains("revokedAt"), {}};
  t.json = std::move(o);
  return t;
}

KeyInfo ToKey(json::object o) {
  KeyInfo k{Str(o, "keyId"),
            Str(o, "algorithm"),
            Str(o, "label"),
            Str(o, "publicKeyPem"),
            U64(o, "logIndex"),
            o.contains("revokedAt"),
            {}};
  k.json = std::move(o);
  return k;
}

bool Bool(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_bool() && it->value().as_bool();
}

Submission ToSubmission(json::object o) {
  Submission s;
  s.id = Str(o, "id");
  s.manufacturer = Str(o, "manufacturer");
  s.agency = Str(o, "agency");
  s.dossier = Str(o, "dossier");
  s.version = U64(o, "version");
  s.pathway = Str(o, "pathway");
  s.status = Str(o, "status");
  s.content_digest = Str(o, "contentDigest");
  if (auto it = o.find("sectionDigests"); it != o.end() && it->value().is_object()) {
    for (const auto& [code, digest] : it->value().as_object()) {
      if (digest.is_string()) s.section_digests[std::string(code)] = std::string(digest.as_string());
    }
  }
  s.json = std::move(o);
  return s;
}

Peer ToPeer(json::object o) {
  Peer p;
  p.id = Str(o, "id");
  p.url = Str(o, "url");
  p.tenant = Str(o, "tenant");
  p.status = Str(o, "status");
  p.error = Str(o, "error");
  p.origin = Str(o, "origin");
  p.last_seq = U64(o, "lastSeq");
  p.verified_tree_size = U64(o, "verifiedTreeSize");
  p.entries = U64(o, "entries");
  p.json = std::move(o);
  return p;
}

ForeignDecision ToForeignDecision(json::object o) {
  ForeignDecision d;
  d.peer = Str(o, "peer");
  d.peer_tenant = Str(o, "peerTenant");
  d.peer_origin = Str(o, "peerOrigin");
  d.outcome = Str(o, "outcome");
  d.number = Str(o, "number");
  d.date = Str(o, "date");
  d.log_index = U64(o, "logIndex");
  d.attestation = Str(o, "attestation");
  d.identical_sections = U64(o, "identicalSections");
  d.different_sections = U64(o, "differentSections");
  if (auto it = o.find("sections"); it != o.end() && it->value().is_array()) {
    for (const auto& v : it->value().as_array()) {
      if (!v.is_object()) continue;
      const auto& so = v.as_object();
      d.sections.push_back(SectionComparison{Str(so, "code"), Bool(so, "identical"), Str(so, "onlyIn")});
    }
  }
  d.json = std::move(o);
  return d;
}

template <typename T, typename F>
StatusOr<std::vector<T>> ListOf(StatusOr<json::object> o, std::string_view member, F convert) {
  if (!o.ok()) return o.status();
  std::vector<T> out;
  if (auto it = o->find(member); it != o->end() && it->value().is_array()) {
    for (auto& v : it->value().as_array()) {
      if (v.is_object()) out.push_back(convert(std::move(v.as_object())));
    }
  }
  return out;
}

}  // namespace

// -------------------------------------------------------------------- Client

struct Client::Sync {
  std::mutex mu;  // one call at a time drives the io_context
  boost::asio::io_context ioc{1};

  template <typename T>
  StatusOr<T> Run(const std::shared_ptr<ClientCore>& core, boost::asio::awaitable<StatusOr<T>> task) {
    std::lock_guard lock(mu);
    std::optional<StatusOr<T>> result;
    Spawn<T>(core, std::move(task), [&result](StatusOr<T> r) { result.emplace(std::move(r)); });
    ioc.restart();
    ioc.run();
    if (!result) return Internal("the request did not complete", "internal");
    return std::move(*result);
  }
};

StatusOr<std::unique_ptr<Client>> Client::Create(ClientOptions options) {
  auto sync = std::make_unique<Sync>();
  DOSSIER_ASSIGN_OR_RETURN(auto core, ClientCore::Create(sync->ioc.get_executor(), std::move(options)));
  std::unique_ptr<Client> client(new Client(std::move(core)));
  client->sync_ = std::move(sync);
  return client;
}

Client::Client(std::shared_ptr<ClientCore> core) : core_(std::move(core)) {}
Client::~Client() = default;
const ClientOptions& Client::options() const { return core_->options(); }

Status Client::Ready() { return sync_->Run(core_, core_->CallJson("GET", "/readyz", {}, true)).status(); }

StatusOr<Tenant> Client::CreateTenant(const NewTenant& t) {
  json::object body{
      {"id", t.id}, {"displayName", t.display_name.empty() ? t.id : t.display_name}, {"kind", t.kind}};
  if (!t.jurisdiction.empty()) body["jurisdiction"] = t.jurisdiction;
  DOSSIER_ASSIGN_OR_RETURN(
      auto o, sync_->Run(core_, core_->CallJson("POST", "/v1/tenants", json::serialize(body), false)));
  return ToTenant(std::move(o));
}

StatusOr<Tenant> Client::GetTenant(const std::string& tenant) {
  DOSSIER_ASSIGN_OR_RETURN(auto o,
                           sync_->Run(core_, core_->CallJson("GET", "/v1/tenants/" + Enc(tenant), {}, true)));
  return ToTenant(std::move(o));
}

StatusOr<std::vector<Tenant>> Client::ListTenants() {
  return ListOf<Tenant>(sync_->Run(core_, core_->CallJson("GET", "/v1/tenants", {}, true)), "tenants",
                        ToTenant);
}

StatusOr<TokenInfo> Client::CreateToken(const std::string& tenant, const std::string& role,
                                        const std::string& label) {
  json::object body{{"role", role}, {"label", label}};
  DOSSIER_ASSIGN_OR_RETURN(auto o,
                           sync_->Run(core_, core_->CallJson("POST", "/v1/tenants/" + Enc(tenant) + "/tokens",
                                                             json::serialize(body), false)));
  return ToToken(std::move(o));
}

StatusOr<std::vector<TokenInfo>> Client::ListTokens(const std::string& tenant) {
  return ListOf<TokenInfo>(
      sync_->Run(core_, core_->CallJson("GET", "/v1/tenants/" + Enc(tenant) + "/tokens", {}, true)), "tokens",
      ToToken);
}

Status Client::RevokeToken(const std::string& tenant, const std::string& token_id) {
  return sync_
      ->Run(core_,
            core_->CallJson("DELETE", "/v1/tenants/" + Enc(tenant) + "/tokens/" + Enc(token_id), {}, true))
      .status();
}

StatusOr<KeyInfo> Client::RegisterKey(const std::string& tenant, const trust::PublicKey& key,
                                      const std::string& label) {
  json::object body{{"publicKeyPem", key.Pem()}, {"label", label}};
  DOSSIER_ASSIGN_OR_RETURN(auto o,
                           sync_->Run(core_, core_->CallJson("POST", "/v1/tenants/" + Enc(tenant) + "/keys",
                                                             json::serialize(body), false)));
  return ToKey(std::move(o));
}

StatusOr<std::vector<KeyInfo>> Client::ListKeys(const std::string& tenant) {
  return ListOf<KeyInfo>(
      sync_->Run(core_, core_->CallJson("GET", "/v1/tenants/" + Enc(tenant) + "/keys", {}, true)), "keys",
      ToKey);
}

StatusOr<KeyInfo> Client::GetKey(const std::string& tenant, const std::string& key_id) {
  DOSSIER_ASSIGN_OR_RETURN(
      auto o, sync_->Run(core_, core_->CallJson("GET", "/v1/tenants/" + Enc(tenant) + "/keys/" + Enc(key_id),
                                                {}, true)));
  return ToKey(std::move(o));
}

StatusOr<KeyInfo> Client::RevokeKey(const std::string& tenant, const std::string& key_id,
                                    const std::string& revoked_at) {
  std::string body =
      revoked_at.empty() ? std::string() : json::serialize(json::object{{"revokedAt", revoked_at}});
  DOSSIER_ASSIGN_OR_RETURN(
      auto o, sync_->Run(core_, core_->CallJson(
                                    "POST", "/v1/tenants/" + Enc(tenant) + "/keys/" + Enc(key_id) + ":revoke",
                                    body, true)));
  return ToKey(std::move(o));
}

StatusOr<std::optional<BlobInfo>> Client::StatBlob(const std::string& tenant, const std::string& digest) {
  return sync_->Run(core_, core_->StatBlob(tenant, digest));
}

StatusOr<BlobInfo> Client::UploadFile(const std::string& tenant, const std::filesystem::path& path,
                                      ProgressFn progress) {
  return sync_->Run(core_, core_->UploadFile(tenant, path, false, std::move(progress)));
}

StatusOr<BlobInfo> Client::UploadFileIfMissing(const std::string& tenant, const std::filesystem::path& path,
                                               ProgressFn progress) {
  return sync_->Run(core_, core_->UploadFile(tenant, path, true, std::move(progress)));
}

StatusOr<BlobInfo> Client::UploadBytes(const std::string& tenant, const std::string& bytes) {
  return sync_->Run(core_, core_->UploadBytes(tenant, bytes));
}

StatusOr<BlobInfo> Client::DownloadToFile(const std::string& tenant, const std::string& digest,
                                          const std::filesystem::path& path, ProgressFn progress) {
  return sync_->Run(core_, core_->DownloadToFile(tenant, digest, path, std::move(progress)));
}

StatusOr<std::string> Client::DownloadBytes(const std::string& tenant, const std::string& digest) {
  if (!trust::IsDigestRef(digest))
    return InvalidArgument("not a sha256:<hex> digest: " + digest, "bad-digest");
  DOSSIER_ASSIGN_OR_RETURN(auto raw, Call("GET", "/v1/tenants/" + Enc(tenant) + "/blobs/" + digest));
  if (trust::DigestRef(trust::Sha256(raw.body)) != digest) {
    return DataLoss("downloaded bytes do not hash to " + digest, "digest-mismatch");
  }
  return std::move(raw.body);
}

StatusOr<ObjectInfo> Client::CreateDossier(const std::string& tenant, const std::string& id,
                                           const std::string& title) {
  json::object body{{"id", id}};
  if (!title.empty()) body["title"] = title;
  DOSSIER_ASSIGN_OR_RETURN(
      auto o, sync_->Run(core_, core_->CallJson("POST", "/v1/tenants/" + Enc(tenant) + "/dossiers",
                                                json::serialize(body), false)));
  return ObjectInfo{Str(o, "id"), Str(o, "title"), U64(o, "headVersion"), Str(o, "headDigest"),
                    {},           std::move(o)};
}

StatusOr<ObjectInfo> Client::CreateChangePlan(const std::string& tenant, const std::string& id,
                                              const std::string& dossier, const std::string& title) {
  json::object body{{"id", id}, {"dossier", dossier}};
  if (!title.empty()) body["title"] = title;
  DOSSIER_ASSIGN_OR_RETURN(
      auto o, sync_->Run(core_, core_->CallJson("POST", "/v1/tenants/" + Enc(tenant) + "/change-plans",
                                                json::serialize(body), false)));
  return ObjectInfo{Str(o, "id"), Str(o, "title"), U64(o, "headVersion"), Str(o, "headDigest"),
                    {},           std::move(o)};
}

StatusOr<ObjectInfo> Client::GetObject(const std::string& tenant, ObjectKind kind, const std::string& id) {
  return sync_->Run(core_, core_->GetObject(tenant, kind, id));
}

StatusOr<ObjectPage> Client::ListObjects(const std::string& tenant, ObjectKind kind,
                                         const std::string& page_token, int page_size) {
  std::string target = "/v1/tenants/" + Enc(tenant) + "/" + std::string(CollectionName(kind)) +
                       "?page_size=" + std::to_string(page_size > 0 ? page_size : 100);
  if (!page_token.empty()) target += "&page_token=" + Enc(page_token);
  DOSSIER_ASSIGN_OR_RETURN(auto o, sync_->Run(core_, core_->CallJson("GET", target, {}, true)));
  ObjectPage page;
  page.next_page_token = Str(o, "nextPageToken");
  for (auto& [k, v] : o) {
    if (!v.is_array()) continue;
    for (auto& item : v.as_array()) {
      if (!item.is_object()) continue;
      auto& io = item.as_object();
      page.items.push_back(
          ObjectInfo{Str(io, "id"), Str(io, "title"), U64(io, "headVersion"), Str(io, "headDigest"), {}, io});
    }
  }
  return page;
}

StatusOr<CommitResult> Client::Commit(const CommitRequest& request, const trust::PrivateKey& signer) {
  return sync_->Run(core_, core_->Commit(request, signer));
}

StatusOr<VersionPage> Client::ListVersions(const std::string& tenant, ObjectKind kind, const std::string& id,
                                           const std::string& page_token, int page_size) {
  return sync_->Run(core_, core_->ListVersions(tenant, kind, id, page_token, page_size));
}

StatusOr<std::vector<VersionInfo>> Client::AllVersions(const std::string& tenant, ObjectKind kind,
                                                       const std::string& id) {
  std::vector<VersionInfo> all;
  std::string token;
  do {
    DOSSIER_ASSIGN_OR_RETURN(auto page, ListVersions(tenant, kind, id, token, 500));
    for (auto& v : page.versions) all.push_back(std::move(v));
    token = page.next_page_token;
  } while (!token.empty());
  return all;
}

StatusOr<Version> Client::GetVersion(const std::string& tenant, ObjectKind kind, const std::string& id,
                                     uint64_t version) {
  return sync_->Run(core_, core_->GetVersion(tenant, kind, id, version));
}

StatusOr<std::string> Client::GetVersionContent(const std::string& tenant, ObjectKind kind,
                                                const std::string& id, uint64_t version) {
  return sync_->Run(core_, core_->GetVersionContent(tenant, kind, id, version));
}

StatusOr<json::object> Client::Diff(const std::string& tenant, const std::string& dossier, uint64_t from,
                                    uint64_t to) {
  return sync_->Run(core_,
                    core_->CallJson("GET",
                                    "/v1/tenants/" + Enc(tenant) + "/dossiers/" + Enc(dossier) +
                                        "/diff?from=" + std::to_string(from) + "&to=" + std::to_string(to),
                                    {}, true));
}

StatusOr<trust::Bundle> Client::GetBundle(const std::string& tenant, ObjectKind kind, const std::string& id,
                                          uint64_t version, std::string* raw_json) {
  return sync_->Run(core_, core_->GetBundle(tenant, kind, id, version, raw_json));
}

StatusOr<trust::BundleVerification> Client::VerifyVersion(const std::string& tenant, ObjectKind kind,
                                                          const std::string& id, uint64_t version) {
  return sync_->Run(core_, core_->VerifyVersion(tenant, kind, id, version));
}

StatusOr<LogPublicKey> Client::GetLogPublicKey() { return sync_->Run(core_, core_->GetLogPublicKey()); }
StatusOr<trust::Checkpoint> Client::GetCheckpoint() { return sync_->Run(core_, core_->GetCheckpoint()); }

Status Client::CheckAndRememberCheckpoint(const trust::Checkpoint& checkpoint) {
  return sync_->Run(core_, core_->Remember(checkpoint)).status();
}

StatusOr<std::vector<std::string>> Client::GetInclusionProof(uint64_t leaf_index, uint64_t tree_size) {
  return sync_->Run(core_, core_->Proof("/v1/log/proofs/inclusion?leafIndex=" + std::to_string(leaf_index) +
                                        "&treeSize=" + std::to_string(tree_size)));
}

StatusOr<std::vector<std::string>> Client::GetConsistencyProof(uint64_t from_size, uint64_t to_size) {
  return sync_->Run(core_, core_->Proof("/v1/log/proofs/consistency?from=" + std::to_string(from_size) +
                                        "&to=" + std::to_string(to_size)));
}

Status Client::Export(const std::string& tenant, const std::string& dossier, uint64_t version,
                      const std::string& format, const std::filesystem::path& path, ProgressFn progress) {
  return sync_->Run(core_, core_->Export(tenant, dossier, version, format, path, std::move(progress)))
      .status();
}

StatusOr<RawResponse> Client::Import(const std::string& tenant, const std::string& format,
                                     const std::filesystem::path& path, ProgressFn progress) {
  return sync_->Run(core_, core_->Import(tenant, format, path, std::move(progress)));
}

StatusOr<json::object> Client::Readiness(const std::string& tenant, const std::string& dossier,
                                         uint64_t version, const std::string& agency,
                                         const std::string& pathway) {
  std::string target = "/v1/tenants/" + Enc(tenant) + "/dossiers/" + Enc(dossier) + "/versions/" +
                       std::to_string(version) + "/readiness?agency=" + Enc(agency);
  if (!pathway.empty()) target += "&pathway=" + Enc(pathway);
  return sync_->Run(core_, core_->CallJson("GET", target, {}, true));
}

StatusOr<Submission> Client::Submit(const std::string& tenant, const NewSubmission& submission) {
  json::object body{{"dossier", submission.dossier},
                    {"version", submission.version},
                    {"agency", submission.agency},
                    {"pathway", submission.pathway}};
  DOSSIER_ASSIGN_OR_RETURN(
      auto o, sync_->Run(core_, core_->CallJson("POST", "/v1/tenants/" + Enc(tenant) + "/submissions",
                                                json::serialize(body), false)));
  return ToSubmission(std::move(o));
}

StatusOr<std::vector<Submission>> Client::Inbox(const std::string& tenant) {
  return ListOf<Submission>(
      sync_->Run(core_, core_->CallJson("GET", "/v1/tenants/" + Enc(tenant) + "/inbox", {}, true)),
      "submissions", ToSubmission);
}

StatusOr<Submission> Client::GetSubmission(const std::string& tenant, const std::string& submission) {
  DOSSIER_ASSIGN_OR_RETURN(
      auto o, sync_->Run(core_, core_->CallJson(
                                    "GET", "/v1/tenants/" + Enc(tenant) + "/submissions/" + Enc(submission),
                                    {}, true)));
  return ToSubmission(std::move(o));
}

StatusOr<CommitResult> Client::CommitDecision(const std::string& tenant, const Decision& decision,
                                              const trust::PrivateKey& signer) {
  return sync_->Run(core_, core_->CommitDecision(tenant, decision, signer));
}

StatusOr<std::vector<VersionInfo>> Client::ListDecisions(const std::string& tenant,
                                                         const std::string& submission) {
  return sync_->Run(core_, core_->ListDecisions(tenant, submission));
}

StatusOr<json::object> Client::CreateRelianceAgreement(const std::string& tenant,
                                                       const NewRelianceAgreement& agreement) {
  json::object body{{"peer", agreement.peer}, {"includeReviewReports", agreement.include_review_reports}};
  if (!agreement.outcomes.empty()) {
    json::array outcomes;
    for (const auto& o : agreement.outcomes) outcomes.emplace_back(o);
    body["outcomes"] = std::move(outcomes);
  }
  if (!agreement.valid_until.empty()) body["validUntil"] = agreement.valid_until;
  return sync_->Run(core_, core_->CallJson("POST", "/v1/tenants/" + Enc(tenant) + "/reliance-agreements",
                                           json::serialize(body), false));
}

StatusOr<Peer> Client::AddPeer(const std::string& tenant, const NewPeer& peer) {
  json::object body{{"url", peer.url},
                    {"tenant", peer.tenant},
                    {"token", peer.token},
                    {"logPublicKeyPem", peer.log_public_key_pem}};
  DOSSIER_ASSIGN_OR_RETURN(auto o,
                           sync_->Run(core_, core_->CallJson("POST", "/v1/tenants/" + Enc(tenant) + "/peers",
                                                             json::serialize(body), false)));
  return ToPeer(std::move(o));
}

StatusOr<Peer> Client::GetPeer(const std::string& tenant, const std::string& peer_id) {
  DOSSIER_ASSIGN_OR_RETURN(
      auto o,
      sync_->Run(core_,
                 core_->CallJson("GET", "/v1/tenants/" + Enc(tenant) + "/peers/" + Enc(peer_id), {}, true)));
  return ToPeer(std::move(o));
}

StatusOr<std::vector<Peer>> Client::ListPeers(const std::string& tenant) {
  return ListOf<Peer>(
      sync_->Run(core_, core_->CallJson("GET", "/v1/tenants/" + Enc(tenant) + "/peers", {}, true)), "peers",
      ToPeer);
}

StatusOr<std::vector<ForeignDecision>> Client::Reliance(const std::string& tenant,
                                                        const std::string& submission) {
  return ListOf<ForeignDecision>(
      sync_->Run(core_,
                 core_->CallJson(
                     "GET", "/v1/tenants/" + Enc(tenant) + "/submissions/" + Enc(submission) + "/reliance",
                     {}, true)),
      "decisions", ToForeignDecision);
}

StatusOr<RawResponse> Client::Call(const std::string& method, const std::string& target,
                                   const std::string& body) {
  return sync_->Run(core_, core_->CallRaw(method, target, body));
}

// --------------------------------------------------------------- AsyncClient

StatusOr<std::shared_ptr<AsyncClient>> AsyncClient::Create(boost::asio::any_io_executor executor,
                                                           ClientOptions options) {
  DOSSIER_ASSIGN_OR_RETURN(auto core, ClientCore::Create(std::move(executor), std::move(options)));
  return std::shared_ptr<AsyncClient>(new AsyncClient(std::move(core)));
}

AsyncClient::AsyncClient(std::shared_ptr<ClientCore> core) : core_(std::move(core)) {}
AsyncClient::~AsyncClient() = default;

void AsyncClient::Commit(CommitRequest request, trust::PrivateKey signer, Callback<CommitResult> done) {
  Spawn<CommitResult>(core_, core_->Commit(std::move(request), std::move(signer)), std::move(done));
}

void AsyncClient::GetVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                             Callback<Version> done) {
  Spawn<Version>(core_, core_->GetVersion(std::move(tenant), kind, std::move(id), version), std::move(done));
}

void AsyncClient::GetVersionContent(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                                    Callback<std::string> done) {
  Spawn<std::string>(core_, core_->GetVersionContent(std::move(tenant), kind, std::move(id), version),
                     std::move(done));
}

void AsyncClient::GetObject(std::string tenant, ObjectKind kind, std::string id, Callback<ObjectInfo> done) {
  Spawn<ObjectInfo>(core_, core_->GetObject(std::move(tenant), kind, std::move(id)), std::move(done));
}

void AsyncClient::ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                               Callback<VersionPage> done) {
  Spawn<VersionPage>(core_,
                     core_->ListVersions(std::move(tenant), kind, std::move(id), std::move(page_token), 0),
                     std::move(done));
}

void AsyncClient::UploadBytes(std::string tenant, std::string bytes, Callback<BlobInfo> done) {
  Spawn<BlobInfo>(core_, core_->UploadBytes(std::move(tenant), std::move(bytes)), std::move(done));
}

void AsyncClient::GetCheckpoint(Callback<trust::Checkpoint> done) {
  Spawn<trust::Checkpoint>(core_, core_->GetCheckpoint(), std::move(done));
}

void AsyncClient::Call(std::string method, std::string target, std::string body, Callback<RawResponse> done) {
  Spawn<RawResponse>(core_, core_->CallRaw(std::move(method), std::move(target), std::move(body)),
                     std::move(done));
}

}  // namespace dossier::client
