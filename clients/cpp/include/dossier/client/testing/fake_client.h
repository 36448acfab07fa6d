// dossier::client::testing::FakeClient: a programmable ClientInterface for
// an integrator's unit tests. It talks to no server: every call is recorded
// (method name and a copy of its arguments) and answered with what the test
// programmed for that method, or with an error (StatusCode::kUnimplemented,
// reason "fake-not-programmed") when nothing was programmed. No gmock needed.
//
//   dossier::client::testing::FakeClient fake;
//   fake.Return("GetTenant", StatusOr<Tenant>(Tenant{.id = "acme"}));
//   fake.On("CreateDossier", [](const std::string& tenant, const std::string& id,
//                               const std::string& title, const CallOptions&) -> StatusOr<ObjectInfo> {
//     if (id.empty()) return InvalidArgument("empty id", "bad-id");
//     return ObjectInfo{.id = id};
//   });
//   RunMyIntegration(fake);                         // takes a ClientInterface&
//   EXPECT(fake.CallCount("CreateDossier") == 1);
//   auto [tenant, id, title, options] =
//       fake.Arguments<std::string, std::string, std::string, CallOptions>("CreateDossier");
//
// On(method, handler): the handler gets the call's arguments (as const
// references or by value, every parameter of the call including the
// CallOptions) and returns the call's result type. Return(method, result):
// every call of `method` answers `result`. Both replace what was programmed
// before; On wins over Return. An overloaded method (VerifyVersion) takes one
// handler per overload, told apart by its parameter types. A handler must
// return exactly the call's result type (checked at compile time) and take
// every parameter of the call; a call for which handlers exist but none with
// its parameters answers reason "fake-wrong-type" (as does a Return of
// another type), one with nothing programmed "fake-not-programmed".
//
// Thread-safety: calls and programming may come from any thread. Handlers run
// on the calling thread, without the fake's lock held (they may call the fake).
#pragma once

#include <any>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "dossier/client/client_interface.h"

namespace dossier::client::testing {

class FakeClient : public ClientInterface {
 public:
  // One recorded call: the method's name and its arguments as
  // std::tuple<std::decay_t<Param>...> (every parameter, CallOptions last).
  struct RecordedCall {
    std::string method;
    std::any arguments;
  };

  // Answers every call of `method` with `handler(arguments...)`.
  template <typename F>
  void On(const std::string& method, F handler) {
    auto erased = Erase(std::function(std::move(handler)));
    std::lock_guard lock(mu_);
    auto& handlers = handlers_[method];
    for (auto& h : handlers) {
      if (h.type() == erased.type()) {
        h = std::move(erased);
        return;
      }
    }
    handlers.push_back(std::move(erased));
  }

  // Answers every call of `method` with `result` (Status or StatusOr<T>, the call's result type).
  template <typename R>
  void Return(const std::string& method, R result) {
    std::lock_guard lock(mu_);
    results_[method] = std::move(result);
  }

  // Forgets what was programmed and recorded.
  void Reset() {
    std::lock_guard lock(mu_);
    handlers_.clear();
    results_.clear();
    calls_.clear();
  }

  std::vector<RecordedCall> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  size_t CallCount(std::string_view method) const {
    std::lock_guard lock(mu_);
    size_t n = 0;
    for (const auto& c : calls_) n += c.method == method ? 1 : 0;
    return n;
  }
  // The arguments of the `index`-th recorded call of `method` (0: the first).
  // A: the call's parameter types without const/& (e.g. std::string, ObjectKind,
  // CallOptions). Throws std::bad_any_cast on a wrong A..., std::out_of_range
  // when there is no such call.
  template <typename... A>
  std::tuple<A...> Arguments(std::string_view method, size_t index = 0) const {
    std::lock_guard lock(mu_);
    for (const auto& c : calls_) {
      if (c.method != method) continue;
      if (index-- == 0) return std::any_cast<std::tuple<A...>>(c.arguments);
    }
    throw std::out_of_range("FakeClient: no such call of " + std::string(method));
  }

  // ---- ClientInterface: record, then answer as programmed.
  Status Ready(const CallOptions& call_options = {}) override {
    return Invoke<Status>("Ready", call_options);
  }
  StatusOr<Tenant> CreateTenant(const NewTenant& tenant, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<Tenant>>("CreateTenant", tenant, call_options);
  }
  StatusOr<Tenant> GetTenant(const std::string& tenant, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<Tenant>>("GetTenant", tenant, call_options);
  }
  StatusOr<std::vector<Tenant>> ListTenants(const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<Tenant>>>("ListTenants", call_options);
  }
  StatusOr<TokenInfo> CreateToken(const std::string& tenant, const std::string& role,
                                  const std::string& label, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<TokenInfo>>("CreateToken", tenant, role, label, call_options);
  }
  StatusOr<std::vector<TokenInfo>> ListTokens(const std::string& tenant,
                                              const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<TokenInfo>>>("ListTokens", tenant, call_options);
  }
  Status RevokeToken(const std::string& tenant, const std::string& token_id,
                     const CallOptions& call_options = {}) override {
    return Invoke<Status>("RevokeToken", tenant, token_id, call_options);
  }
  StatusOr<KeyInfo> RegisterKey(const std::string& tenant, const trust::PublicKey& key,
                                const std::string& label, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<KeyInfo>>("RegisterKey", tenant, key, label, call_options);
  }
  StatusOr<std::vector<KeyInfo>> ListKeys(const std::string& tenant,
                                          const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<KeyInfo>>>("ListKeys", tenant, call_options);
  }
  StatusOr<KeyInfo> GetKey(const std::string& tenant, const std::string& key_id,
                           const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<KeyInfo>>("GetKey", tenant, key_id, call_options);
  }
  StatusOr<KeyInfo> RevokeKey(const std::string& tenant, const std::string& key_id,
                              const std::string& revoked_at = {},
                              const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<KeyInfo>>("RevokeKey", tenant, key_id, revoked_at, call_options);
  }
  StatusOr<std::optional<BlobInfo>> StatBlob(const std::string& tenant, const std::string& digest,
                                             const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::optional<BlobInfo>>>("StatBlob", tenant, digest, call_options);
  }
  StatusOr<BlobInfo> UploadFile(const std::string& tenant, const std::filesystem::path& path,
                                ProgressFn progress = nullptr,
                                const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<BlobInfo>>("UploadFile", tenant, path, progress, call_options);
  }
  StatusOr<BlobInfo> UploadFileIfMissing(const std::string& tenant, const std::filesystem::path& path,
                                         ProgressFn progress = nullptr,
                                         const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<BlobInfo>>("UploadFileIfMissing", tenant, path, progress, call_options);
  }
  StatusOr<BlobInfo> UploadBytes(const std::string& tenant, const std::string& bytes,
                                 const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<BlobInfo>>("UploadBytes", tenant, bytes, call_options);
  }
  StatusOr<BlobInfo> UploadFromProducer(const std::string& tenant, BodyProducer producer,
                                        ProgressFn progress = nullptr,
                                        const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<BlobInfo>>("UploadFromProducer", tenant, producer, progress, call_options);
  }
  StatusOr<BlobInfo> DownloadToFile(const std::string& tenant, const std::string& digest,
                                    const std::filesystem::path& path, ProgressFn progress = nullptr,
                                    const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<BlobInfo>>("DownloadToFile", tenant, digest, path, progress, call_options);
  }
  StatusOr<std::string> DownloadBytes(const std::string& tenant, const std::string& digest,
                                      const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::string>>("DownloadBytes", tenant, digest, call_options);
  }
  StatusOr<ObjectInfo> CreateDossier(const std::string& tenant, const std::string& id,
                                     const std::string& title = {},
                                     const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<ObjectInfo>>("CreateDossier", tenant, id, title, call_options);
  }
  StatusOr<ObjectInfo> CreateChangePlan(const std::string& tenant, const std::string& id,
                                        const std::string& dossier, const std::string& title = {},
                                        const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<ObjectInfo>>("CreateChangePlan", tenant, id, dossier, title, call_options);
  }
  StatusOr<ObjectInfo> GetObject(const std::string& tenant, ObjectKind kind, const std::string& id,
                                 const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<ObjectInfo>>("GetObject", tenant, kind, id, call_options);
  }
  StatusOr<ObjectPage> ListObjects(const std::string& tenant, ObjectKind kind,
                                   const std::string& page_token = {}, int page_size = 0,
                                   const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<ObjectPage>>("ListObjects", tenant, kind, page_token, page_size, call_options);
  }
  StatusOr<CommitResult> Commit(const CommitRequest& request, const SigningKey& signer,
                                const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<CommitResult>>("Commit", request, signer, call_options);
  }
  StatusOr<VersionPage> ListVersions(const std::string& tenant, ObjectKind kind, const std::string& id,
                                     const std::string& page_token = {}, int page_size = 0,
                                     const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<VersionPage>>("ListVersions", tenant, kind, id, page_token, page_size,
                                         call_options);
  }
  StatusOr<std::vector<VersionInfo>> AllVersions(const std::string& tenant, ObjectKind kind,
                                                 const std::string& id,
                                                 const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<VersionInfo>>>("AllVersions", tenant, kind, id, call_options);
  }
  StatusOr<Version> GetVersion(const std::string& tenant, ObjectKind kind, const std::string& id,
                               uint64_t version, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<Version>>("GetVersion", tenant, kind, id, version, call_options);
  }
  StatusOr<std::string> GetVersionContent(const std::string& tenant, ObjectKind kind, const std::string& id,
                                          uint64_t version, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::string>>("GetVersionContent", tenant, kind, id, version, call_options);
  }
  StatusOr<JsonText> Diff(const std::string& tenant, const std::string& dossier, uint64_t from, uint64_t to,
                          const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("Diff", tenant, dossier, from, to, call_options);
  }
  StatusOr<trust::Bundle> GetBundle(const std::string& tenant, ObjectKind kind, const std::string& id,
                                    uint64_t version, std::string* raw_json = nullptr,
                                    const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<trust::Bundle>>("GetBundle", tenant, kind, id, version, raw_json, call_options);
  }
  StatusOr<trust::BundleVerification> VerifyVersion(const ExpectedIdentity& expected,
                                                    const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<trust::BundleVerification>>("VerifyVersion", expected, call_options);
  }
  StatusOr<trust::BundleVerification> VerifyVersion(const std::string& tenant, ObjectKind kind,
                                                    const std::string& id, uint64_t version,
                                                    const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<trust::BundleVerification>>("VerifyVersion", tenant, kind, id, version,
                                                       call_options);
  }
  StatusOr<LogPublicKey> GetLogPublicKey(const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<LogPublicKey>>("GetLogPublicKey", call_options);
  }
  StatusOr<trust::Checkpoint> GetCheckpoint(const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<trust::Checkpoint>>("GetCheckpoint", call_options);
  }
  Status CheckAndRememberCheckpoint(const trust::Checkpoint& checkpoint,
                                    const CallOptions& call_options = {}) override {
    return Invoke<Status>("CheckAndRememberCheckpoint", checkpoint, call_options);
  }
  StatusOr<std::vector<std::string>> GetInclusionProof(uint64_t leaf_index, uint64_t tree_size,
                                                       const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<std::string>>>("GetInclusionProof", leaf_index, tree_size,
                                                      call_options);
  }
  StatusOr<std::vector<std::string>> GetConsistencyProof(uint64_t from_size, uint64_t to_size,
                                                         const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<std::string>>>("GetConsistencyProof", from_size, to_size,
                                                      call_options);
  }
  Status Export(const std::string& tenant, const std::string& dossier, uint64_t version,
                const std::string& format, const std::filesystem::path& path, ProgressFn progress = nullptr,
                const CallOptions& call_options = {}) override {
    return Invoke<Status>("Export", tenant, dossier, version, format, path, progress, call_options);
  }
  StatusOr<RawResponse> Import(const std::string& tenant, const std::string& format,
                               const std::filesystem::path& path, ProgressFn progress = nullptr,
                               const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<RawResponse>>("Import", tenant, format, path, progress, call_options);
  }
  Status ImportRecords(const std::string& tenant, const std::string& format,
                       const std::filesystem::path& path, const RecordFn& on_record,
                       ProgressFn progress = nullptr, const CallOptions& call_options = {}) override {
    return Invoke<Status>("ImportRecords", tenant, format, path, on_record, progress, call_options);
  }
  StatusOr<JsonText> Readiness(const std::string& tenant, const std::string& dossier, uint64_t version,
                               const std::string& agency, const std::string& pathway = {},
                               const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("Readiness", tenant, dossier, version, agency, pathway, call_options);
  }
  StatusOr<Submission> Submit(const std::string& tenant, const NewSubmission& submission,
                              const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<Submission>>("Submit", tenant, submission, call_options);
  }
  StatusOr<std::vector<Submission>> Inbox(const std::string& tenant,
                                          const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<Submission>>>("Inbox", tenant, call_options);
  }
  StatusOr<Submission> GetSubmission(const std::string& tenant, const std::string& submission,
                                     const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<Submission>>("GetSubmission", tenant, submission, call_options);
  }
  StatusOr<CommitResult> CommitDecision(const std::string& tenant, const Decision& decision,
                                        const SigningKey& signer,
                                        const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<CommitResult>>("CommitDecision", tenant, decision, signer, call_options);
  }
  StatusOr<std::vector<VersionInfo>> ListDecisions(const std::string& tenant, const std::string& submission,
                                                   const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<VersionInfo>>>("ListDecisions", tenant, submission, call_options);
  }
  StatusOr<JsonText> CreateRelianceAgreement(const std::string& tenant, const NewRelianceAgreement& agreement,
                                             const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("CreateRelianceAgreement", tenant, agreement, call_options);
  }
  StatusOr<Peer> AddPeer(const std::string& tenant, const NewPeer& peer,
                         const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<Peer>>("AddPeer", tenant, peer, call_options);
  }
  StatusOr<Peer> GetPeer(const std::string& tenant, const std::string& peer_id,
                         const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<Peer>>("GetPeer", tenant, peer_id, call_options);
  }
  StatusOr<std::vector<Peer>> ListPeers(const std::string& tenant,
                                        const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<Peer>>>("ListPeers", tenant, call_options);
  }
  StatusOr<std::vector<ForeignDecision>> Reliance(const std::string& tenant, const std::string& submission,
                                                  const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<ForeignDecision>>>("Reliance", tenant, submission, call_options);
  }
  StatusOr<JsonText> RecordModification(const std::string& tenant, const std::string& plan,
                                        const std::string& record_json,
                                        const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("RecordModification", tenant, plan, record_json, call_options);
  }
  StatusOr<std::vector<JsonText>> ListModifications(const std::string& tenant, const std::string& plan,
                                                    const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<JsonText>>>("ListModifications", tenant, plan, call_options);
  }
  StatusOr<std::vector<Submission>> ListSubmissions(const std::string& tenant,
                                                    const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<Submission>>>("ListSubmissions", tenant, call_options);
  }
  StatusOr<Submission> WithdrawSubmission(const std::string& tenant, const std::string& submission,
                                          const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<Submission>>("WithdrawSubmission", tenant, submission, call_options);
  }
  StatusOr<Submission> AttachChangePlan(const std::string& tenant, const std::string& submission,
                                        const std::string& plan, uint64_t plan_version,
                                        const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<Submission>>("AttachChangePlan", tenant, submission, plan, plan_version,
                                        call_options);
  }
  StatusOr<Submission> StartReview(const std::string& tenant, const std::string& submission,
                                   const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<Submission>>("StartReview", tenant, submission, call_options);
  }
  StatusOr<JsonText> SubmissionReadiness(const std::string& tenant, const std::string& submission,
                                         const std::string& agency = {}, const std::string& pathway = {},
                                         const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("SubmissionReadiness", tenant, submission, agency, pathway,
                                      call_options);
  }
  Status ExportSubmission(const std::string& tenant, const std::string& submission, const std::string& format,
                          const std::filesystem::path& path, ProgressFn progress = nullptr,
                          const CallOptions& call_options = {}) override {
    return Invoke<Status>("ExportSubmission", tenant, submission, format, path, progress, call_options);
  }
  StatusOr<std::string> GetSubmissionContent(const std::string& tenant, const std::string& submission,
                                             const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::string>>("GetSubmissionContent", tenant, submission, call_options);
  }
  StatusOr<BlobInfo> DownloadSubmissionDocument(const std::string& tenant, const std::string& submission,
                                                const std::string& digest, const std::filesystem::path& path,
                                                ProgressFn progress = nullptr,
                                                const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<BlobInfo>>("DownloadSubmissionDocument", tenant, submission, digest, path,
                                      progress, call_options);
  }
  StatusOr<CommitResult> CommitDecisionContent(const std::string& tenant, const std::string& submission,
                                               const std::string& content, const SigningKey& signer,
                                               const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<CommitResult>>("CommitDecisionContent", tenant, submission, content, signer,
                                          call_options);
  }
  StatusOr<DecisionBundle> GetDecisionBundle(const std::string& tenant, const std::string& submission,
                                             uint64_t version,
                                             const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<DecisionBundle>>("GetDecisionBundle", tenant, submission, version, call_options);
  }
  StatusOr<std::vector<JsonText>> ListRelianceAgreements(const std::string& tenant,
                                                         const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<JsonText>>>("ListRelianceAgreements", tenant, call_options);
  }
  StatusOr<JsonText> RevokeRelianceAgreement(const std::string& tenant, const std::string& peer,
                                             const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("RevokeRelianceAgreement", tenant, peer, call_options);
  }
  Status RedlineDocument(const std::string& tenant, const std::string& dossier, uint64_t from, uint64_t to,
                         const std::string& format, const std::filesystem::path& path,
                         const CallOptions& call_options = {}) override {
    return Invoke<Status>("RedlineDocument", tenant, dossier, from, to, format, path, call_options);
  }
  Status ResponsePackage(const std::string& tenant, const std::string& dossier, uint64_t from, uint64_t to,
                         const std::filesystem::path& reply_letter, const std::filesystem::path& path,
                         const CallOptions& call_options = {}) override {
    return Invoke<Status>("ResponsePackage", tenant, dossier, from, to, reply_letter, path, call_options);
  }
  StatusOr<JsonText> ExportProfiles(const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("ExportProfiles", call_options);
  }
  Status ExportSubmissionWithProfile(const std::string& tenant, const std::string& submission,
                                     const std::string& format, const std::string& profile,
                                     const std::filesystem::path& path,
                                     const CallOptions& call_options = {}) override {
    return Invoke<Status>("ExportSubmissionWithProfile", tenant, submission, format, profile, path,
                          call_options);
  }
  StatusOr<JsonText> PostPerformanceReport(const std::string& tenant, const std::string& plan,
                                           const std::string& report_json, const SigningKey& signer,
                                           const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("PostPerformanceReport", tenant, plan, report_json, signer,
                                      call_options);
  }
  StatusOr<JsonText> PerformanceReports(const std::string& tenant, const std::string& plan,
                                        const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("PerformanceReports", tenant, plan, call_options);
  }
  StatusOr<JsonText> Alerts(const std::string& tenant, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("Alerts", tenant, call_options);
  }
  StatusOr<CommitResult> RecordLedgerEvent(const std::string& tenant, const JsonText& event,
                                           const SigningKey& signer,
                                           const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<CommitResult>>("RecordLedgerEvent", tenant, event, signer, call_options);
  }
  StatusOr<JsonText> GetLedger(const std::string& tenant, const std::string& submission,
                               const std::string& as_of = {}, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("GetLedger", tenant, submission, as_of, call_options);
  }
  StatusOr<JsonText> GetClock(const std::string& tenant, const std::string& submission,
                              const std::string& as_of = {}, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("GetClock", tenant, submission, as_of, call_options);
  }
  StatusOr<JsonText> TenantLedger(const std::string& tenant, const std::string& dossier = {},
                                  const std::string& as_of = {},
                                  const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("TenantLedger", tenant, dossier, as_of, call_options);
  }
  StatusOr<JsonText> ListComments(const std::string& tenant, const std::string& submission,
                                  const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("ListComments", tenant, submission, call_options);
  }
  StatusOr<JsonText> OpenCommentThread(const std::string& tenant, const std::string& submission,
                                       const NewCommentThread& thread,
                                       const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("OpenCommentThread", tenant, submission, thread, call_options);
  }
  StatusOr<JsonText> ReplyToComment(const std::string& tenant, const std::string& submission,
                                    const std::string& thread, const std::string& text,
                                    const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("ReplyToComment", tenant, submission, thread, text, call_options);
  }
  StatusOr<JsonText> SetCommentResolved(const std::string& tenant, const std::string& submission,
                                        const std::string& thread, bool resolved,
                                        const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("SetCommentResolved", tenant, submission, thread, resolved,
                                      call_options);
  }
  StatusOr<JsonText> DraftAiRequest(const std::string& tenant, const std::string& submission,
                                    const std::string& occurred_on = {}, const std::string& due_on = {},
                                    const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("DraftAiRequest", tenant, submission, occurred_on, due_on,
                                      call_options);
  }
  StatusOr<JsonText> SetReviewTimeline(const std::string& tenant, const JsonText& timeline,
                                       const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonText>>("SetReviewTimeline", tenant, timeline, call_options);
  }
  StatusOr<std::vector<JsonText>> ListReviewTimelines(const std::string& tenant,
                                                      const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<JsonText>>>("ListReviewTimelines", tenant, call_options);
  }
  StatusOr<std::vector<JsonText>> AuditLog(const std::string& tenant,
                                           const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<std::vector<JsonText>>>("AuditLog", tenant, call_options);
  }
  StatusOr<SubmissionPage> ListSubmissionsPage(const std::string& tenant, const std::string& page_token = {},
                                               int page_size = 0,
                                               const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<SubmissionPage>>("ListSubmissionsPage", tenant, page_token, page_size,
                                            call_options);
  }
  StatusOr<SubmissionPage> InboxPage(const std::string& tenant, const std::string& page_token = {},
                                     int page_size = 0, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<SubmissionPage>>("InboxPage", tenant, page_token, page_size, call_options);
  }
  StatusOr<JsonPage> TenantLedgerPage(const std::string& tenant, const std::string& dossier,
                                      const std::string& as_of, const std::string& page_token = {},
                                      int page_size = 0, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonPage>>("TenantLedgerPage", tenant, dossier, as_of, page_token, page_size,
                                      call_options);
  }
  StatusOr<JsonPage> ListModificationsPage(const std::string& tenant, const std::string& plan,
                                           const std::string& page_token = {}, int page_size = 0,
                                           const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonPage>>("ListModificationsPage", tenant, plan, page_token, page_size,
                                      call_options);
  }
  StatusOr<JsonPage> PerformanceReportsPage(const std::string& tenant, const std::string& plan,
                                            const std::string& page_token = {}, int page_size = 0,
                                            const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonPage>>("PerformanceReportsPage", tenant, plan, page_token, page_size,
                                      call_options);
  }
  StatusOr<JsonPage> AlertsPage(const std::string& tenant, const std::string& page_token = {},
                                int page_size = 0, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonPage>>("AlertsPage", tenant, page_token, page_size, call_options);
  }
  StatusOr<JsonPage> ListReviewTimelinesPage(const std::string& tenant, const std::string& page_token = {},
                                             int page_size = 0,
                                             const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonPage>>("ListReviewTimelinesPage", tenant, page_token, page_size, call_options);
  }
  StatusOr<JsonPage> AuditLogPage(const std::string& tenant, const std::string& page_token = {},
                                  int page_size = 0, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<JsonPage>>("AuditLogPage", tenant, page_token, page_size, call_options);
  }
  StatusOr<RawResponse> Call(const std::string& method, const std::string& target,
                             const std::string& body = {}, const CallOptions& call_options = {}) override {
    return Invoke<StatusOr<RawResponse>>("Call", method, target, body, call_options);
  }

 private:
  template <typename R>
  struct IsResult : std::is_same<R, Status> {};
  template <typename T>
  struct IsResult<StatusOr<T>> : std::true_type {};

  template <typename R, typename... P>
  static std::any Erase(std::function<R(P...)> f) {
    static_assert(IsResult<R>::value,
                  "FakeClient::On: the handler must return the call's result type (Status or StatusOr<T>); "
                  "give the lambda an explicit return type");
    return std::function<R(const std::decay_t<P>&...)>(
        [f = std::move(f)](const std::decay_t<P>&... args) { return f(args...); });
  }

  template <typename R, typename... A>
  R Invoke(const char* method, const A&... args) {
    std::function<R(const std::decay_t<A>&...)> handler;
    bool other_handlers = false;  // handlers for `method`, none with these parameters
    std::any result;
    {
      std::lock_guard lock(mu_);
      if constexpr (std::is_copy_constructible_v<std::tuple<std::decay_t<A>...>>) {
        calls_.push_back({method, std::tuple<std::decay_t<A>...>(args...)});
      } else {
        calls_.push_back({method, std::any()});
      }
      if (auto it = handlers_.find(method); it != handlers_.end()) {
        for (const auto& h : it->second) {
          if (auto* typed = std::any_cast<std::function<R(const std::decay_t<A>&...)>>(&h)) handler = *typed;
        }
        other_handlers = !handler && !it->second.empty();
      }
      if (auto it = results_.find(method); it != results_.end()) result = it->second;
    }
    if (handler) return handler(args...);
    if (result.has_value()) {
      if (auto* typed = std::any_cast<R>(&result)) return *typed;
      return R(Status(StatusCode::kInternal,
                      std::string("FakeClient: the result programmed for ") + method + " is not of its type",
                      "fake-wrong-type"));
    }
    if (other_handlers) {
      return R(Status(StatusCode::kInternal,
                      std::string("FakeClient: no handler for ") + method +
                          " takes these parameters (every parameter of the call, CallOptions last)",
                      "fake-wrong-type"));
    }
    return R(Status(StatusCode::kUnimplemented, std::string("FakeClient: nothing programmed for ") + method,
                    "fake-not-programmed"));
  }

  mutable std::mutex mu_;
  std::map<std::string, std::vector<std::any>, std::less<>> handlers_;
  std::map<std::string, std::any, std::less<>> results_;
  std::vector<RecordedCall> calls_;
};

}  // namespace dossier::client::testing
