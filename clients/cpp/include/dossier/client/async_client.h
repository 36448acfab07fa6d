// dossier::client::AsyncClient: the asynchronous form of the SDK for
// integrators who run their own Boost.Asio io_context.
//
// It offers every call of Client (client.h), with the same names, arguments,
// results, errors and retries; read client.h for what each call does. This is
// the one implementation: Client runs an AsyncClient on a private io_context
// and waits for each callback.
//
// Each call starts the exchange on the client's strand and returns at once;
// the callback runs later, on that strand (a thread running the executor's
// io_context), exactly once, with the result. Requests from several calls run
// concurrently, each on its own pooled keep-alive connection. A call that
// answers only success or failure takes a StatusCallback.
//
// Callbacks may call this AsyncClient again: the new call is queued on the
// strand and starts after the callback returns, so nothing deadlocks. A
// callback (or ProgressFn) must not block waiting for another call of the same
// AsyncClient to finish: that call needs the strand the callback is holding.
//
// Ownership: Create returns a shared_ptr; every pending operation holds a
// reference, so the client lives until its last callback has run even if the
// caller drops it. The io_context must outlive the client and keep running
// until the callbacks have run. Arguments are copied (or moved) into the
// operation: nothing is borrowed from the caller after the call returns.
//
// Thread-safety: all methods may be called from any thread.
// Cancellation: not supported per call; destroy the io_context to abandon all.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "dossier/client/options.h"
#include "dossier/client/signer.h"
#include "dossier/client/types.h"
#include "dossier/client/verify.h"
#include "trust/bundle.h"
#include "trust/keys.h"

namespace dossier::client {

class ClientCore;  // internal

template <typename T>
using Callback = std::function<void(StatusOr<T>)>;
using StatusCallback = std::function<void(Status)>;

class AsyncClient {
 public:
  // As Client::Create; `executor` runs every exchange and callback.
  static StatusOr<std::shared_ptr<AsyncClient>> Create(boost::asio::any_io_executor executor,
                                                       ClientOptions options);
  ~AsyncClient();
  AsyncClient(const AsyncClient&) = delete;
  AsyncClient& operator=(const AsyncClient&) = delete;

  const ClientOptions& options() const;

  // ---- service
  void Ready(StatusCallback done);

  // ---- tenants, tokens, keys
  void CreateTenant(NewTenant tenant, Callback<Tenant> done);
  void GetTenant(std::string tenant, Callback<Tenant> done);
  void ListTenants(Callback<std::vector<Tenant>> done);
  void CreateToken(std::string tenant, std::string role, std::string label, Callback<TokenInfo> done);
  void ListTokens(std::string tenant, Callback<std::vector<TokenInfo>> done);
  void RevokeToken(std::string tenant, std::string token_id, StatusCallback done);
  void RegisterKey(std::string tenant, trust::PublicKey key, std::string label, Callback<KeyInfo> done);
  void ListKeys(std::string tenant, Callback<std::vector<KeyInfo>> done);
  void GetKey(std::string tenant, std::string key_id, Callback<KeyInfo> done);
  // `revoked_at` empty: from now.
  void RevokeKey(std::string tenant, std::string key_id, std::string revoked_at, Callback<KeyInfo> done);

  // ---- blobs. ProgressFn runs on the strand.
  void StatBlob(std::string tenant, std::string digest, Callback<std::optional<BlobInfo>> done);
  void UploadFile(std::string tenant, std::filesystem::path path, ProgressFn progress,
                  Callback<BlobInfo> done);
  void UploadFileIfMissing(std::string tenant, std::filesystem::path path, ProgressFn progress,
                           Callback<BlobInfo> done);
  void UploadBytes(std::string tenant, std::string bytes, Callback<BlobInfo> done);
  void UploadFromProducer(std::string tenant, BodyProducer producer, ProgressFn progress,
                          Callback<BlobInfo> done);
  void DownloadToFile(std::string tenant, std::string digest, std::filesystem::path path, ProgressFn progress,
                      Callback<BlobInfo> done);
  void DownloadBytes(std::string tenant, std::string digest, Callback<std::string> done);

  // ---- dossiers and change plans
  void CreateDossier(std::string tenant, std::string id, std::string title, Callback<ObjectInfo> done);
  void CreateChangePlan(std::string tenant, std::string id, std::string dossier, std::string title,
                        Callback<ObjectInfo> done);
  void GetObject(std::string tenant, ObjectKind kind, std::string id, Callback<ObjectInfo> done);
  // `page_size` 0: the server's default.
  void ListObjects(std::string tenant, ObjectKind kind, std::string page_token, int page_size,
                   Callback<ObjectPage> done);

  // ---- versions
  // As Client::Commit: uploads the content, signs with `signer`, commits.
  void Commit(CommitRequest request, SigningKey signer, Callback<CommitResult> done);
  void ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                    Callback<VersionPage> done);
  void ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                    int page_size, Callback<VersionPage> done);
  void AllVersions(std::string tenant, ObjectKind kind, std::string id,
                   Callback<std::vector<VersionInfo>> done);
  void GetVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                  Callback<Version> done);
  void GetVersionContent(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                         Callback<std::string> done);
  void Diff(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
            Callback<boost::json::object> done);

  // ---- verification
  // The bundle parsed, and its JSON text as sent (Client::GetBundle's raw_json).
  void GetBundle(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                 Callback<FetchedBundle> done);
  void VerifyVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                     Callback<trust::BundleVerification> done);
  void VerifyVersion(ExpectedIdentity expected, Callback<trust::BundleVerification> done);

  // ---- transparency log
  void GetLogPublicKey(Callback<LogPublicKey> done);
  void GetCheckpoint(Callback<trust::Checkpoint> done);
  void CheckAndRememberCheckpoint(trust::Checkpoint checkpoint, StatusCallback done);
  void GetInclusionProof(uint64_t leaf_index, uint64_t tree_size, Callback<std::vector<std::string>> done);
  void GetConsistencyProof(uint64_t from_size, uint64_t to_size, Callback<std::vector<std::string>> done);

  // ---- regional views
  void Export(std::string tenant, std::string dossier, uint64_t version, std::string format,
              std::filesystem::path path, ProgressFn progress, StatusCallback done);
  void Import(std::string tenant, std::string format, std::filesystem::path path, ProgressFn progress,
              Callback<RawResponse> done);
  void Readiness(std::string tenant, std::string dossier, uint64_t version, std::string agency,
                 std::string pathway, Callback<boost::json::object> done);

  // ---- submissions and decisions
  void Submit(std::string tenant, NewSubmission submission, Callback<Submission> done);
  void Inbox(std::string tenant, Callback<std::vector<Submission>> done);
  void GetSubmission(std::string tenant, std::string submission, Callback<Submission> done);
  void CommitDecision(std::string tenant, Decision decision, SigningKey signer, Callback<CommitResult> done);
  void ListDecisions(std::string tenant, std::string submission, Callback<std::vector<VersionInfo>> done);

  // ---- reliance between regulators
  void CreateRelianceAgreement(std::string tenant, NewRelianceAgreement agreement,
                               Callback<boost::json::object> done);
  void AddPeer(std::string tenant, NewPeer peer, Callback<Peer> done);
  void GetPeer(std::string tenant, std::string peer_id, Callback<Peer> done);
  void ListPeers(std::string tenant, Callback<std::vector<Peer>> done);
  void Reliance(std::string tenant, std::string submission, Callback<std::vector<ForeignDecision>> done);

  // ---- the whole workflow without curl (issue 15)
  void RecordModification(std::string tenant, std::string plan, std::string record_json,
                          Callback<boost::json::object> done);
  void ListModifications(std::string tenant, std::string plan,
                         Callback<std::vector<boost::json::object>> done);
  void ListSubmissions(std::string tenant, Callback<std::vector<Submission>> done);
  void WithdrawSubmission(std::string tenant, std::string submission, Callback<Submission> done);
  void AttachChangePlan(std::string tenant, std::string submission, std::string plan, uint64_t plan_version,
                        Callback<Submission> done);
  void StartReview(std::string tenant, std::string submission, Callback<Submission> done);
  void SubmissionReadiness(std::string tenant, std::string submission, std::string agency,
                           std::string pathway, Callback<boost::json::object> done);
  void ExportSubmission(std::string tenant, std::string submission, std::string format,
                        std::filesystem::path path, ProgressFn progress, StatusCallback done);
  void GetSubmissionContent(std::string tenant, std::string submission, Callback<std::string> done);
  void DownloadSubmissionDocument(std::string tenant, std::string submission, std::string digest,
                                  std::filesystem::path path, ProgressFn progress, Callback<BlobInfo> done);
  void CommitDecisionContent(std::string tenant, std::string submission, std::string content,
                             SigningKey signer, Callback<CommitResult> done);
  void GetDecisionBundle(std::string tenant, std::string submission, uint64_t version,
                         Callback<DecisionBundle> done);
  void ListRelianceAgreements(std::string tenant, Callback<std::vector<boost::json::object>> done);
  void RevokeRelianceAgreement(std::string tenant, std::string peer, Callback<boost::json::object> done);
  // ---- after submission: redlines, export profiles, performance (as Client's)
  void RedlineDocument(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                       std::string format, std::filesystem::path path, StatusCallback done);
  void ResponsePackage(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                       std::filesystem::path reply_letter, std::filesystem::path path, StatusCallback done);
  void ExportProfiles(Callback<boost::json::object> done);
  void ExportSubmissionWithProfile(std::string tenant, std::string submission, std::string format,
                                   std::string profile, std::filesystem::path path, StatusCallback done);
  void PostPerformanceReport(std::string tenant, std::string plan, std::string report_json, SigningKey signer,
                             Callback<boost::json::object> done);
  void PerformanceReports(std::string tenant, std::string plan, Callback<boost::json::object> done);
  void Alerts(std::string tenant, Callback<boost::json::object> done);

  // ---- correspondence ledger, review clocks, section comments (as Client's)
  void RecordLedgerEvent(std::string tenant, boost::json::object event, SigningKey signer,
                         Callback<CommitResult> done);
  void GetLedger(std::string tenant, std::string submission, std::string as_of,
                 Callback<boost::json::object> done);
  void GetClock(std::string tenant, std::string submission, std::string as_of,
                Callback<boost::json::object> done);
  void TenantLedger(std::string tenant, std::string dossier, std::string as_of,
                    Callback<boost::json::object> done);
  void ListComments(std::string tenant, std::string submission, Callback<boost::json::object> done);
  void OpenCommentThread(std::string tenant, std::string submission, NewCommentThread thread,
                         Callback<boost::json::object> done);
  void ReplyToComment(std::string tenant, std::string submission, std::string thread, std::string text,
                      Callback<boost::json::object> done);
  void SetCommentResolved(std::string tenant, std::string submission, std::string thread, bool resolved,
                          Callback<boost::json::object> done);
  void DraftAiRequest(std::string tenant, std::string submission, std::string occurred_on, std::string due_on,
                      Callback<boost::json::object> done);
  void SetReviewTimeline(std::string tenant, boost::json::object timeline,
                         Callback<boost::json::object> done);

  // ---- any route, as Client::Call
  void Call(std::string method, std::string target, std::string body, Callback<RawResponse> done);

 private:
  explicit AsyncClient(std::shared_ptr<ClientCore> core);
  std::shared_ptr<ClientCore> core_;
};

}  // namespace dossier::client
