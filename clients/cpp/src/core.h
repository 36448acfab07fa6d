// Internal: every call of the SDK, implemented once, as a C++20 coroutine on
// the transport's strand. AsyncClient starts them on the integrator's
// executor; Client runs AsyncClient on a private io_context and waits.
//
// The calls are spread over four files by area: core.cc (plumbing, tenants,
// tokens, keys), core_content.cc (blobs, objects, versions, commits,
// bundles), core_log.cc (log key, checkpoints and their memory, proofs),
// core_exchange.cc (regional views, submissions, decisions, reliance);
// core_workflow.cc holds the calls added for the CLI's whole workflow;
// core_followup.cc (redlines, export profiles, performance reports, alerts).
// core_correspondence.cc the ledger events, review clocks, section comments.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "dossier/client/call_options.h"
#include "dossier/client/options.h"
#include "dossier/client/signer.h"
#include "dossier/client/types.h"
#include "dossier/client/verify.h"
#include "json_mapping.h"
#include "pins.h"
#include "transport.h"
#include "trust/bundle.h"
#include "trust/dsse.h"
#include "trust/statement.h"

// DOSSIER_ASSIGN_OR_RETURN for coroutines (which must co_return).
#define CO_ASSIGN_OR_RETURN(lhs, expr) \
  CO_ASSIGN_OR_RETURN_IMPL(DOSSIER_STATUS_CONCAT(co_statusor_, __COUNTER__), lhs, expr)
#define CO_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) co_return tmp.status();         \
  lhs = std::move(tmp).value()

namespace dossier::client {

namespace internal {
// Path segment, percent-encoded (unreserved characters kept).
std::string Enc(std::string_view s);
// "/v1/tenants/{tenant}" and "…/submissions/{submission}", segments encoded.
std::string TenantPath(const std::string& tenant);
std::string SubmissionPath(const std::string& tenant, const std::string& submission);
// `target` with the paging query: pageSize when `page_size` > 0 (else the
// server's default applies), pageToken when `page_token` is not "".
std::string PageTarget(std::string target, const std::string& page_token, int page_size);
// The result of a call that answers nothing but success.
struct Done {};
// A non-2xx answer as a Status: reason = the problem document's `code`
// ("http-NNN" without one), field = its `field`.
Status ProblemStatus(const HttpResponse& response);
// Why a streamed NDJSON answer (HttpRequest::keep_partial_body) stopped short:
// the problem of its last line, {"problem": {...}}, when the server could
// write one, else the transport's failure.
Status CutShortStatus(const HttpResponse& response);
}  // namespace internal

class ClientCore {
 public:
  template <typename T>
  using Task = boost::asio::awaitable<StatusOr<T>>;
  using Done = internal::Done;

  static StatusOr<std::shared_ptr<ClientCore>> Create(boost::asio::any_io_executor executor,
                                                      ClientOptions options);

  const ClientOptions& options() const { return options_; }
  // This client for one call: the same transport and log memory, with the
  // call's options (retry limit, idempotency key; AsyncClient enforces the
  // deadline). Cheap enough for every call (copies ClientOptions).
  std::shared_ptr<ClientCore> ForCall(CallOptions call) const;
  const CallOptions& call_options() const { return call_; }
  boost::asio::any_io_executor strand() const { return transport_->strand(); }

  // Every parameter is taken by value: a coroutine outlives its caller's frame.
  // The calls have the names, arguments and results of Client's (client.h).

  // ---- plumbing
  Task<internal::HttpResponse> Call(internal::HttpRequest request);  // 2xx or the problem as Status
  Task<boost::json::object> CallJson(std::string method, std::string target, std::string body,
                                     bool idempotent);
  Task<RawResponse> CallRaw(std::string method, std::string target, std::string body);
  // GET `target` and every further page the server names (nextPageToken),
  // appending each page's array `member` to the first page's; the answer has
  // no nextPageToken. Routes that do not page answer in one request.
  Task<boost::json::object> GetAllPages(std::string target, std::string member);
  // One page of a list route: GET `target` with pageSize (when > 0) and
  // pageToken (when not empty); the array `member` as the items (one JSON
  // text each) and the answer's nextPageToken (core_paging.cc).
  Task<JsonPage> GetJsonPage(std::string target, std::string member, std::string page_token, int page_size);
  Task<SubmissionPage> GetSubmissionPage(std::string target, std::string page_token, int page_size);
  // ---- the paged lists (core_paging.cc)
  Task<SubmissionPage> ListSubmissionsPage(std::string tenant, std::string page_token, int page_size);
  Task<SubmissionPage> InboxPage(std::string tenant, std::string page_token, int page_size);
  Task<JsonPage> TenantLedgerPage(std::string tenant, std::string dossier, std::string as_of,
                                  std::string page_token, int page_size);
  Task<JsonPage> ListModificationsPage(std::string tenant, std::string plan, std::string page_token,
                                       int page_size);
  Task<JsonPage> PerformanceReportsPage(std::string tenant, std::string plan, std::string page_token,
                                        int page_size);
  Task<JsonPage> AlertsPage(std::string tenant, std::string page_token, int page_size);
  Task<JsonPage> ListReviewTimelinesPage(std::string tenant, std::string page_token, int page_size);
  Task<JsonPage> AuditLogPage(std::string tenant, std::string page_token, int page_size);
  Task<std::vector<JsonText>> ListReviewTimelines(std::string tenant);
  Task<std::vector<JsonText>> AuditLog(std::string tenant);
  Task<Done> Ready();

  // ---- tenants, tokens, keys (core.cc)
  Task<Tenant> CreateTenant(NewTenant tenant);
  Task<Tenant> GetTenant(std::string tenant);
  Task<std::vector<Tenant>> ListTenants();
  Task<TokenInfo> CreateToken(std::string tenant, std::string role, std::string label);
  Task<std::vector<TokenInfo>> ListTokens(std::string tenant);
  Task<Done> RevokeToken(std::string tenant, std::string token_id);
  Task<KeyInfo> RegisterKey(std::string tenant, trust::PublicKey key, std::string label);
  Task<std::vector<KeyInfo>> ListKeys(std::string tenant);
  Task<KeyInfo> GetKey(std::string tenant, std::string key_id);
  Task<KeyInfo> RevokeKey(std::string tenant, std::string key_id, std::string revoked_at);

  // ---- blobs, objects, versions, bundles (core_content.cc)
  Task<std::optional<BlobInfo>> StatBlob(std::string tenant, std::string digest);
  Task<BlobInfo> UploadFile(std::string tenant, std::filesystem::path path, bool skip_existing,
                            ProgressFn progress);
  Task<BlobInfo> UploadBytes(std::string tenant, std::string bytes);
  Task<BlobInfo> UploadFromProducer(std::string tenant, BodyProducer producer, ProgressFn progress);
  Task<BlobInfo> DownloadToFile(std::string tenant, std::string digest, std::filesystem::path path,
                                ProgressFn progress);
  Task<std::string> DownloadBytes(std::string tenant, std::string digest);
  Task<ObjectInfo> CreateDossier(std::string tenant, std::string id, std::string title);
  Task<ObjectInfo> CreateChangePlan(std::string tenant, std::string id, std::string dossier,
                                    std::string title);
  Task<ObjectInfo> GetObject(std::string tenant, ObjectKind kind, std::string id);
  Task<ObjectPage> ListObjects(std::string tenant, ObjectKind kind, std::string page_token, int page_size);
  Task<CommitResult> Commit(CommitRequest request, SigningKey signer);
  // Uploads `content`, signs the statement {tenant, object, version, parent,
  // digest, media type} and POSTs it to `target`; checks the receipt.
  // `idempotency_key` empty: derived from the statement.
  Task<CommitResult> CommitStatement(trust::Statement statement, std::string target, std::string content,
                                     std::string message, SigningKey signer,
                                     std::string idempotency_key = {});
  // DSSE-signs the statement through the Signer's asynchronous form and checks
  // the signature against the Signer's public key ("signer-mismatch").
  Task<trust::DsseEnvelope> SignStatement(trust::Statement statement, SigningKey signer);
  Task<VersionPage> ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                                 int page_size);
  Task<std::vector<VersionInfo>> AllVersions(std::string tenant, ObjectKind kind, std::string id);
  Task<Version> GetVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version);
  Task<std::string> GetVersionContent(std::string tenant, ObjectKind kind, std::string id, uint64_t version);
  Task<boost::json::object> Diff(std::string tenant, std::string dossier, uint64_t from, uint64_t to);
  Task<FetchedBundle> GetBundle(std::string tenant, ObjectKind kind, std::string id, uint64_t version);
  Task<trust::BundleVerification> VerifyVersion(std::string tenant, ObjectKind kind, std::string id,
                                                uint64_t version);
  // The bundle and content of expected.version, verified against the pinned
  // log (or the key pinned on first use) and the expected identity.
  Task<trust::BundleVerification> VerifyVersionAs(ExpectedIdentity expected);

  // ---- transparency log (core_log.cc)
  Task<LogPublicKey> GetLogPublicKey();
  Task<trust::Checkpoint> GetCheckpoint();
  Task<Done> CheckAndRememberCheckpoint(trust::Checkpoint checkpoint);
  Task<std::vector<std::string>> GetInclusionProof(uint64_t leaf_index, uint64_t tree_size);
  Task<std::vector<std::string>> GetConsistencyProof(uint64_t from_size, uint64_t to_size);

  // ---- regional views, submissions, decisions, reliance (core_exchange.cc)
  Task<Done> Export(std::string tenant, std::string dossier, uint64_t version, std::string format,
                    std::filesystem::path path, ProgressFn progress);
  Task<RawResponse> Import(std::string tenant, std::string format, std::filesystem::path path,
                           ProgressFn progress);
  Task<Done> ImportRecords(std::string tenant, std::string format, std::filesystem::path path,
                           RecordFn on_record, ProgressFn progress);
  Task<boost::json::object> Readiness(std::string tenant, std::string dossier, uint64_t version,
                                      std::string agency, std::string pathway);
  Task<Submission> Submit(std::string tenant, NewSubmission submission);
  Task<std::vector<Submission>> Inbox(std::string tenant);
  Task<Submission> GetSubmission(std::string tenant, std::string submission);
  Task<CommitResult> CommitDecision(std::string tenant, Decision decision, SigningKey signer);
  Task<std::vector<VersionInfo>> ListDecisions(std::string tenant, std::string submission);
  Task<boost::json::object> CreateRelianceAgreement(std::string tenant, NewRelianceAgreement agreement);
  Task<Peer> AddPeer(std::string tenant, NewPeer peer);
  Task<Peer> GetPeer(std::string tenant, std::string peer_id);
  Task<std::vector<Peer>> ListPeers(std::string tenant);
  Task<std::vector<ForeignDecision>> Reliance(std::string tenant, std::string submission);

  // ---- the whole workflow without curl (core_workflow.cc, issue 15)
  Task<boost::json::object> RecordModification(std::string tenant, std::string plan, std::string record_json);
  Task<std::vector<boost::json::object>> ListModifications(std::string tenant, std::string plan);
  Task<std::vector<Submission>> ListSubmissions(std::string tenant);
  Task<Submission> WithdrawSubmission(std::string tenant, std::string submission);
  Task<Submission> AttachChangePlan(std::string tenant, std::string submission, std::string plan,
                                    uint64_t plan_version);
  Task<Submission> StartReview(std::string tenant, std::string submission);
  Task<boost::json::object> SubmissionReadiness(std::string tenant, std::string submission,
                                                std::string agency, std::string pathway);
  Task<Done> ExportSubmission(std::string tenant, std::string submission, std::string format,
                              std::filesystem::path path, ProgressFn progress);
  Task<std::string> GetSubmissionContent(std::string tenant, std::string submission);
  Task<BlobInfo> DownloadSubmissionDocument(std::string tenant, std::string submission, std::string digest,
                                            std::filesystem::path path, ProgressFn progress);
  Task<CommitResult> CommitDecisionContent(std::string tenant, std::string submission, std::string content,
                                           SigningKey signer);
  Task<DecisionBundle> GetDecisionBundle(std::string tenant, std::string submission, uint64_t version);
  Task<std::vector<boost::json::object>> ListRelianceAgreements(std::string tenant);
  Task<boost::json::object> RevokeRelianceAgreement(std::string tenant, std::string peer);
  // ---- after submission: redlines, export profiles, post-market (core_followup.cc)
  Task<Done> RedlineDocument(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                             std::string format, std::filesystem::path path);
  Task<Done> ResponsePackage(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                             std::filesystem::path reply_letter, std::filesystem::path path);
  Task<boost::json::object> ExportProfiles();
  Task<Done> ExportSubmissionWithProfile(std::string tenant, std::string submission, std::string format,
                                         std::string profile, std::filesystem::path path);
  Task<boost::json::object> PostPerformanceReport(std::string tenant, std::string plan,
                                                  std::string report_json, SigningKey signer);
  Task<boost::json::object> PerformanceReports(std::string tenant, std::string plan);
  Task<boost::json::object> Alerts(std::string tenant);
  // ---- correspondence ledger, review clocks, section comments (core_correspondence.cc)
  Task<CommitResult> RecordLedgerEvent(std::string tenant, std::string event_json, SigningKey signer);
  Task<boost::json::object> GetLedger(std::string tenant, std::string submission, std::string as_of);
  Task<boost::json::object> GetClock(std::string tenant, std::string submission, std::string as_of);
  Task<boost::json::object> TenantLedger(std::string tenant, std::string dossier, std::string as_of);
  Task<boost::json::object> ListComments(std::string tenant, std::string submission);
  Task<boost::json::object> OpenCommentThread(std::string tenant, std::string submission,
                                              NewCommentThread thread);
  Task<boost::json::object> ReplyToComment(std::string tenant, std::string submission, std::string thread,
                                           std::string text);
  Task<boost::json::object> SetCommentResolved(std::string tenant, std::string submission, std::string thread,
                                               bool resolved);
  Task<boost::json::object> DraftAiRequest(std::string tenant, std::string submission,
                                           std::string occurred_on, std::string due_on);
  Task<boost::json::object> SetReviewTimeline(std::string tenant, std::string timeline_json);

 private:
  ClientCore(ClientOptions options, std::shared_ptr<internal::Transport> transport)
      : options_(std::move(options)), transport_(std::move(transport)) {}
  std::string ObjectPath(const std::string& tenant, ObjectKind kind, const std::string& id) const;
  // GET `target` and read the answer as one T.
  template <typename T>
  Task<T> GetAs(std::string target);
  // `method` `target` with `body` and read the answer as one T.
  template <typename T>
  Task<T> SendAs(std::string method, std::string target, boost::json::object body, bool idempotent);
  // GET `target` (every page) and read its array member `member` as a list of T.
  template <typename T>
  Task<std::vector<T>> GetList(std::string target, std::string member);
  Task<std::vector<std::string>> GetProof(std::string target);
  // GET `target` (a blob route) into `path`, resuming a partial file and
  // checking the result against `digest` (DownloadToFile's logic).
  Task<BlobInfo> DownloadTo(std::string target, std::string digest, std::filesystem::path path,
                            ProgressFn progress);
  Status CheckAgainstPins(const LogPublicKey& key) const;
  void LoadCheckpointFile();
  Status SaveCheckpointFile();

  // What every call of one client shares (touched only on the strand).
  struct LogMemory {
    std::optional<LogPublicKey> log_key;    // the server's, checked against pins (or pinned on first fetch)
    std::vector<internal::ParsedPin> pins;  // options_.log_trust.keys, parsed
    bool checkpoint_file_loaded = false;
    std::map<std::string, internal::RememberedCheckpoint> checkpoints;  // by server key
  };

  ClientOptions options_;
  std::shared_ptr<internal::Transport> transport_;
  std::shared_ptr<LogMemory> memory_ = std::make_shared<LogMemory>();
  CallOptions call_;  // this call's (ForCall); default for the client's own
};

template <typename T>
ClientCore::Task<T> ClientCore::GetAs(std::string target) {
  CO_ASSIGN_OR_RETURN(auto o, co_await CallJson("GET", std::move(target), {}, true));
  co_return internal::FromJson<T>(boost::json::value(std::move(o)));
}

template <typename T>
ClientCore::Task<T> ClientCore::SendAs(std::string method, std::string target, boost::json::object body,
                                       bool idempotent) {
  CO_ASSIGN_OR_RETURN(auto o, co_await CallJson(std::move(method), std::move(target),
                                                boost::json::serialize(body), idempotent));
  co_return internal::FromJson<T>(boost::json::value(std::move(o)));
}

template <typename T>
ClientCore::Task<std::vector<T>> ClientCore::GetList(std::string target, std::string member) {
  CO_ASSIGN_OR_RETURN(auto o, co_await GetAllPages(std::move(target), member));
  co_return internal::ListFromJson<T>(o, member);
}

}  // namespace dossier::client
