// Client: each call starts the AsyncClient call of the same name on a private
// io_context and runs that io_context on the calling thread until the
// callback has delivered the result. No call is implemented here.
#include "dossier/client/client.h"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <mutex>
#include <thread>

#include "dossier/client/async_client.h"

namespace dossier::client {
namespace fs = std::filesystem;
namespace json = boost::json;

struct Client::Sync {
  std::mutex mu;  // one call at a time drives the io_context
  boost::asio::io_context ioc{1};
  // The thread running `ioc` while a call is in flight: a ProgressFn calling
  // back into this Client runs on it and would wait for `mu` forever.
  std::atomic<std::thread::id> driver{};

  // `start(callback)` starts one AsyncClient call; Result is StatusOr<T> or Status.
  template <typename Result, typename Start>
  Result Wait(Start start) {
    if (driver.load() == std::this_thread::get_id()) {
      return Result(FailedPrecondition("a Client was called from inside one of its own calls (a ProgressFn)",
                                       "reentrant-call"));
    }
    std::lock_guard lock(mu);
    struct Driving {
      std::atomic<std::thread::id>& driver;
      explicit Driving(std::atomic<std::thread::id>& d) : driver(d) { driver = std::this_thread::get_id(); }
      ~Driving() { driver = std::thread::id(); }
    } driving(driver);
    std::optional<Result> result;
    start([&result](Result r) { result.emplace(std::move(r)); });
    ioc.restart();
    ioc.run();
    if (!result) return Result(Internal("the request did not complete", "internal"));
    return std::move(*result);
  }
};

StatusOr<std::unique_ptr<Client>> Client::Create(ClientOptions options) {
  auto sync = std::make_unique<Sync>();
  DOSSIER_ASSIGN_OR_RETURN(auto async, AsyncClient::Create(sync->ioc.get_executor(), std::move(options)));
  return std::unique_ptr<Client>(new Client(std::move(sync), std::move(async)));
}

Client::Client(std::unique_ptr<Sync> sync, std::shared_ptr<AsyncClient> async)
    : sync_(std::move(sync)), async_(std::move(async)) {}
Client::~Client() = default;
const ClientOptions& Client::options() const { return async_->options(); }

Status Client::Ready(const CallOptions& call_options) {
  return sync_->Wait<Status>([&](auto done) { async_->Ready(call_options, std::move(done)); });
}

// ---- tenants, tokens, keys

StatusOr<Tenant> Client::CreateTenant(const NewTenant& tenant, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<Tenant>>(
      [&](auto done) { async_->CreateTenant(tenant, call_options, std::move(done)); });
}
StatusOr<Tenant> Client::GetTenant(const std::string& tenant, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<Tenant>>(
      [&](auto done) { async_->GetTenant(tenant, call_options, std::move(done)); });
}
StatusOr<std::vector<Tenant>> Client::ListTenants(const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<Tenant>>>(
      [&](auto done) { async_->ListTenants(call_options, std::move(done)); });
}
StatusOr<TokenInfo> Client::CreateToken(const std::string& tenant, const std::string& role,
                                        const std::string& label, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<TokenInfo>>(
      [&](auto done) { async_->CreateToken(tenant, role, label, call_options, std::move(done)); });
}
StatusOr<std::vector<TokenInfo>> Client::ListTokens(const std::string& tenant,
                                                    const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<TokenInfo>>>(
      [&](auto done) { async_->ListTokens(tenant, call_options, std::move(done)); });
}
Status Client::RevokeToken(const std::string& tenant, const std::string& token_id,
                           const CallOptions& call_options) {
  return sync_->Wait<Status>(
      [&](auto done) { async_->RevokeToken(tenant, token_id, call_options, std::move(done)); });
}
StatusOr<KeyInfo> Client::RegisterKey(const std::string& tenant, const trust::PublicKey& key,
                                      const std::string& label, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<KeyInfo>>(
      [&](auto done) { async_->RegisterKey(tenant, key, label, call_options, std::move(done)); });
}
StatusOr<std::vector<KeyInfo>> Client::ListKeys(const std::string& tenant, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<KeyInfo>>>(
      [&](auto done) { async_->ListKeys(tenant, call_options, std::move(done)); });
}
StatusOr<KeyInfo> Client::GetKey(const std::string& tenant, const std::string& key_id,
                                 const CallOptions& call_options) {
  return sync_->Wait<StatusOr<KeyInfo>>(
      [&](auto done) { async_->GetKey(tenant, key_id, call_options, std::move(done)); });
}
StatusOr<KeyInfo> Client::RevokeKey(const std::string& tenant, const std::string& key_id,
                                    const std::string& revoked_at, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<KeyInfo>>(
      [&](auto done) { async_->RevokeKey(tenant, key_id, revoked_at, call_options, std::move(done)); });
}

// ---- blobs

StatusOr<std::optional<BlobInfo>> Client::StatBlob(const std::string& tenant, const std::string& digest,
                                                   const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::optional<BlobInfo>>>(
      [&](auto done) { async_->StatBlob(tenant, digest, call_options, std::move(done)); });
}
StatusOr<BlobInfo> Client::UploadFile(const std::string& tenant, const fs::path& path, ProgressFn progress,
                                      const CallOptions& call_options) {
  return sync_->Wait<StatusOr<BlobInfo>>([&](auto done) {
    async_->UploadFile(tenant, path, std::move(progress), call_options, std::move(done));
  });
}
StatusOr<BlobInfo> Client::UploadFileIfMissing(const std::string& tenant, const fs::path& path,
                                               ProgressFn progress, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<BlobInfo>>([&](auto done) {
    async_->UploadFileIfMissing(tenant, path, std::move(progress), call_options, std::move(done));
  });
}
StatusOr<BlobInfo> Client::UploadBytes(const std::string& tenant, const std::string& bytes,
                                       const CallOptions& call_options) {
  return sync_->Wait<StatusOr<BlobInfo>>(
      [&](auto done) { async_->UploadBytes(tenant, bytes, call_options, std::move(done)); });
}
StatusOr<BlobInfo> Client::UploadFromProducer(const std::string& tenant, BodyProducer producer,
                                              ProgressFn progress, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<BlobInfo>>([&](auto done) {
    async_->UploadFromProducer(tenant, std::move(producer), std::move(progress), call_options,
                               std::move(done));
  });
}
StatusOr<BlobInfo> Client::DownloadToFile(const std::string& tenant, const std::string& digest,
                                          const fs::path& path, ProgressFn progress,
                                          const CallOptions& call_options) {
  return sync_->Wait<StatusOr<BlobInfo>>([&](auto done) {
    async_->DownloadToFile(tenant, digest, path, std::move(progress), call_options, std::move(done));
  });
}
StatusOr<std::string> Client::DownloadBytes(const std::string& tenant, const std::string& digest,
                                            const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::string>>(
      [&](auto done) { async_->DownloadBytes(tenant, digest, call_options, std::move(done)); });
}

// ---- dossiers and change plans

StatusOr<ObjectInfo> Client::CreateDossier(const std::string& tenant, const std::string& id,
                                           const std::string& title, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<ObjectInfo>>(
      [&](auto done) { async_->CreateDossier(tenant, id, title, call_options, std::move(done)); });
}
StatusOr<ObjectInfo> Client::CreateChangePlan(const std::string& tenant, const std::string& id,
                                              const std::string& dossier, const std::string& title,
                                              const CallOptions& call_options) {
  return sync_->Wait<StatusOr<ObjectInfo>>([&](auto done) {
    async_->CreateChangePlan(tenant, id, dossier, title, call_options, std::move(done));
  });
}
StatusOr<ObjectInfo> Client::GetObject(const std::string& tenant, ObjectKind kind, const std::string& id,
                                       const CallOptions& call_options) {
  return sync_->Wait<StatusOr<ObjectInfo>>(
      [&](auto done) { async_->GetObject(tenant, kind, id, call_options, std::move(done)); });
}
StatusOr<ObjectPage> Client::ListObjects(const std::string& tenant, ObjectKind kind,
                                         const std::string& page_token, int page_size,
                                         const CallOptions& call_options) {
  return sync_->Wait<StatusOr<ObjectPage>>([&](auto done) {
    async_->ListObjects(tenant, kind, page_token, page_size, call_options, std::move(done));
  });
}

// ---- versions

StatusOr<CommitResult> Client::Commit(const CommitRequest& request, const SigningKey& signer,
                                      const CallOptions& call_options) {
  return sync_->Wait<StatusOr<CommitResult>>(
      [&](auto done) { async_->Commit(request, signer, call_options, std::move(done)); });
}
StatusOr<VersionPage> Client::ListVersions(const std::string& tenant, ObjectKind kind, const std::string& id,
                                           const std::string& page_token, int page_size,
                                           const CallOptions& call_options) {
  return sync_->Wait<StatusOr<VersionPage>>([&](auto done) {
    async_->ListVersions(tenant, kind, id, page_token, page_size, call_options, std::move(done));
  });
}
StatusOr<std::vector<VersionInfo>> Client::AllVersions(const std::string& tenant, ObjectKind kind,
                                                       const std::string& id,
                                                       const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<VersionInfo>>>(
      [&](auto done) { async_->AllVersions(tenant, kind, id, call_options, std::move(done)); });
}
StatusOr<Version> Client::GetVersion(const std::string& tenant, ObjectKind kind, const std::string& id,
                                     uint64_t version, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<Version>>(
      [&](auto done) { async_->GetVersion(tenant, kind, id, version, call_options, std::move(done)); });
}
StatusOr<std::string> Client::GetVersionContent(const std::string& tenant, ObjectKind kind,
                                                const std::string& id, uint64_t version,
                                                const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::string>>([&](auto done) {
    async_->GetVersionContent(tenant, kind, id, version, call_options, std::move(done));
  });
}
StatusOr<JsonText> Client::Diff(const std::string& tenant, const std::string& dossier, uint64_t from,
                                uint64_t to, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>(
      [&](auto done) { async_->Diff(tenant, dossier, from, to, call_options, std::move(done)); });
}

// ---- verification

StatusOr<trust::Bundle> Client::GetBundle(const std::string& tenant, ObjectKind kind, const std::string& id,
                                          uint64_t version, std::string* raw_json,
                                          const CallOptions& call_options) {
  DOSSIER_ASSIGN_OR_RETURN(auto fetched, sync_->Wait<StatusOr<FetchedBundle>>([&](auto done) {
    async_->GetBundle(tenant, kind, id, version, call_options, std::move(done));
  }));
  if (raw_json != nullptr) *raw_json = std::move(fetched.json);
  return std::move(fetched.bundle);
}
StatusOr<trust::BundleVerification> Client::VerifyVersion(const ExpectedIdentity& expected,
                                                          const CallOptions& call_options) {
  return sync_->Wait<StatusOr<trust::BundleVerification>>(
      [&](auto done) { async_->VerifyVersion(expected, call_options, std::move(done)); });
}
StatusOr<trust::BundleVerification> Client::VerifyVersion(const std::string& tenant, ObjectKind kind,
                                                          const std::string& id, uint64_t version,
                                                          const CallOptions& call_options) {
  return sync_->Wait<StatusOr<trust::BundleVerification>>(
      [&](auto done) { async_->VerifyVersion(tenant, kind, id, version, call_options, std::move(done)); });
}

// ---- transparency log

StatusOr<LogPublicKey> Client::GetLogPublicKey(const CallOptions& call_options) {
  return sync_->Wait<StatusOr<LogPublicKey>>(
      [&](auto done) { async_->GetLogPublicKey(call_options, std::move(done)); });
}
StatusOr<trust::Checkpoint> Client::GetCheckpoint(const CallOptions& call_options) {
  return sync_->Wait<StatusOr<trust::Checkpoint>>(
      [&](auto done) { async_->GetCheckpoint(call_options, std::move(done)); });
}
Status Client::CheckAndRememberCheckpoint(const trust::Checkpoint& checkpoint,
                                          const CallOptions& call_options) {
  return sync_->Wait<Status>(
      [&](auto done) { async_->CheckAndRememberCheckpoint(checkpoint, call_options, std::move(done)); });
}
StatusOr<std::vector<std::string>> Client::GetInclusionProof(uint64_t leaf_index, uint64_t tree_size,
                                                             const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<std::string>>>(
      [&](auto done) { async_->GetInclusionProof(leaf_index, tree_size, call_options, std::move(done)); });
}
StatusOr<std::vector<std::string>> Client::GetConsistencyProof(uint64_t from_size, uint64_t to_size,
                                                               const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<std::string>>>(
      [&](auto done) { async_->GetConsistencyProof(from_size, to_size, call_options, std::move(done)); });
}

// ---- regional views

Status Client::Export(const std::string& tenant, const std::string& dossier, uint64_t version,
                      const std::string& format, const fs::path& path, ProgressFn progress,
                      const CallOptions& call_options) {
  return sync_->Wait<Status>([&](auto done) {
    async_->Export(tenant, dossier, version, format, path, std::move(progress), call_options,
                   std::move(done));
  });
}
StatusOr<RawResponse> Client::Import(const std::string& tenant, const std::string& format,
                                     const fs::path& path, ProgressFn progress,
                                     const CallOptions& call_options) {
  return sync_->Wait<StatusOr<RawResponse>>([&](auto done) {
    async_->Import(tenant, format, path, std::move(progress), call_options, std::move(done));
  });
}
Status Client::ImportRecords(const std::string& tenant, const std::string& format, const fs::path& path,
                             const RecordFn& on_record, ProgressFn progress,
                             const CallOptions& call_options) {
  return sync_->Wait<Status>([&](auto done) {
    async_->ImportRecords(tenant, format, path, on_record, std::move(progress), call_options,
                          std::move(done));
  });
}
StatusOr<JsonText> Client::Readiness(const std::string& tenant, const std::string& dossier, uint64_t version,
                                     const std::string& agency, const std::string& pathway,
                                     const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>([&](auto done) {
    async_->Readiness(tenant, dossier, version, agency, pathway, call_options, std::move(done));
  });
}

// ---- after submission

Status Client::RedlineDocument(const std::string& tenant, const std::string& dossier, uint64_t from,
                               uint64_t to, const std::string& format, const fs::path& path,
                               const CallOptions& call_options) {
  return sync_->Wait<Status>([&](auto done) {
    async_->RedlineDocument(tenant, dossier, from, to, format, path, call_options, std::move(done));
  });
}
Status Client::ResponsePackage(const std::string& tenant, const std::string& dossier, uint64_t from,
                               uint64_t to, const fs::path& reply_letter, const fs::path& path,
                               const CallOptions& call_options) {
  return sync_->Wait<Status>([&](auto done) {
    async_->ResponsePackage(tenant, dossier, from, to, reply_letter, path, call_options, std::move(done));
  });
}
StatusOr<JsonText> Client::ExportProfiles(const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>(
      [&](auto done) { async_->ExportProfiles(call_options, std::move(done)); });
}
Status Client::ExportSubmissionWithProfile(const std::string& tenant, const std::string& submission,
                                           const std::string& format, const std::string& profile,
                                           const fs::path& path, const CallOptions& call_options) {
  return sync_->Wait<Status>([&](auto done) {
    async_->ExportSubmissionWithProfile(tenant, submission, format, profile, path, call_options,
                                        std::move(done));
  });
}
StatusOr<JsonText> Client::PostPerformanceReport(const std::string& tenant, const std::string& plan,
                                                 const std::string& report_json, const SigningKey& signer,
                                                 const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>([&](auto done) {
    async_->PostPerformanceReport(tenant, plan, report_json, signer, call_options, std::move(done));
  });
}
StatusOr<JsonText> Client::PerformanceReports(const std::string& tenant, const std::string& plan,
                                              const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>(
      [&](auto done) { async_->PerformanceReports(tenant, plan, call_options, std::move(done)); });
}
StatusOr<JsonText> Client::Alerts(const std::string& tenant, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>(
      [&](auto done) { async_->Alerts(tenant, call_options, std::move(done)); });
}

// ---- submissions and decisions

StatusOr<Submission> Client::Submit(const std::string& tenant, const NewSubmission& submission,
                                    const CallOptions& call_options) {
  return sync_->Wait<StatusOr<Submission>>(
      [&](auto done) { async_->Submit(tenant, submission, call_options, std::move(done)); });
}
StatusOr<std::vector<Submission>> Client::Inbox(const std::string& tenant, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<Submission>>>(
      [&](auto done) { async_->Inbox(tenant, call_options, std::move(done)); });
}
StatusOr<Submission> Client::GetSubmission(const std::string& tenant, const std::string& submission,
                                           const CallOptions& call_options) {
  return sync_->Wait<StatusOr<Submission>>(
      [&](auto done) { async_->GetSubmission(tenant, submission, call_options, std::move(done)); });
}
StatusOr<CommitResult> Client::CommitDecision(const std::string& tenant, const Decision& decision,
                                              const SigningKey& signer, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<CommitResult>>(
      [&](auto done) { async_->CommitDecision(tenant, decision, signer, call_options, std::move(done)); });
}
StatusOr<std::vector<VersionInfo>> Client::ListDecisions(const std::string& tenant,
                                                         const std::string& submission,
                                                         const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<VersionInfo>>>(
      [&](auto done) { async_->ListDecisions(tenant, submission, call_options, std::move(done)); });
}

// ---- reliance

StatusOr<JsonText> Client::CreateRelianceAgreement(const std::string& tenant,
                                                   const NewRelianceAgreement& agreement,
                                                   const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>(
      [&](auto done) { async_->CreateRelianceAgreement(tenant, agreement, call_options, std::move(done)); });
}
StatusOr<Peer> Client::AddPeer(const std::string& tenant, const NewPeer& peer,
                               const CallOptions& call_options) {
  return sync_->Wait<StatusOr<Peer>>(
      [&](auto done) { async_->AddPeer(tenant, peer, call_options, std::move(done)); });
}
StatusOr<Peer> Client::GetPeer(const std::string& tenant, const std::string& peer_id,
                               const CallOptions& call_options) {
  return sync_->Wait<StatusOr<Peer>>(
      [&](auto done) { async_->GetPeer(tenant, peer_id, call_options, std::move(done)); });
}
StatusOr<std::vector<Peer>> Client::ListPeers(const std::string& tenant, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<Peer>>>(
      [&](auto done) { async_->ListPeers(tenant, call_options, std::move(done)); });
}
StatusOr<std::vector<ForeignDecision>> Client::Reliance(const std::string& tenant,
                                                        const std::string& submission,
                                                        const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<ForeignDecision>>>(
      [&](auto done) { async_->Reliance(tenant, submission, call_options, std::move(done)); });
}

// ---- correspondence ledger, review clocks, section comments

StatusOr<CommitResult> Client::RecordLedgerEvent(const std::string& tenant, const JsonText& event,
                                                 const SigningKey& signer, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<CommitResult>>(
      [&](auto done) { async_->RecordLedgerEvent(tenant, event, signer, call_options, std::move(done)); });
}
StatusOr<JsonText> Client::GetLedger(const std::string& tenant, const std::string& submission,
                                     const std::string& as_of, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>(
      [&](auto done) { async_->GetLedger(tenant, submission, as_of, call_options, std::move(done)); });
}
StatusOr<JsonText> Client::GetClock(const std::string& tenant, const std::string& submission,
                                    const std::string& as_of, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>(
      [&](auto done) { async_->GetClock(tenant, submission, as_of, call_options, std::move(done)); });
}
StatusOr<JsonText> Client::TenantLedger(const std::string& tenant, const std::string& dossier,
                                        const std::string& as_of, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>(
      [&](auto done) { async_->TenantLedger(tenant, dossier, as_of, call_options, std::move(done)); });
}
StatusOr<JsonText> Client::ListComments(const std::string& tenant, const std::string& submission,
                                        const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>(
      [&](auto done) { async_->ListComments(tenant, submission, call_options, std::move(done)); });
}
StatusOr<JsonText> Client::OpenCommentThread(const std::string& tenant, const std::string& submission,
                                             const NewCommentThread& thread,
                                             const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>([&](auto done) {
    async_->OpenCommentThread(tenant, submission, thread, call_options, std::move(done));
  });
}
StatusOr<JsonText> Client::ReplyToComment(const std::string& tenant, const std::string& submission,
                                          const std::string& thread, const std::string& text,
                                          const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>([&](auto done) {
    async_->ReplyToComment(tenant, submission, thread, text, call_options, std::move(done));
  });
}
StatusOr<JsonText> Client::SetCommentResolved(const std::string& tenant, const std::string& submission,
                                              const std::string& thread, bool resolved,
                                              const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>([&](auto done) {
    async_->SetCommentResolved(tenant, submission, thread, resolved, call_options, std::move(done));
  });
}
StatusOr<JsonText> Client::DraftAiRequest(const std::string& tenant, const std::string& submission,
                                          const std::string& occurred_on, const std::string& due_on,
                                          const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>([&](auto done) {
    async_->DraftAiRequest(tenant, submission, occurred_on, due_on, call_options, std::move(done));
  });
}
StatusOr<JsonText> Client::SetReviewTimeline(const std::string& tenant, const JsonText& timeline,
                                             const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>(
      [&](auto done) { async_->SetReviewTimeline(tenant, timeline, call_options, std::move(done)); });
}

StatusOr<RawResponse> Client::Call(const std::string& method, const std::string& target,
                                   const std::string& body, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<RawResponse>>(
      [&](auto done) { async_->Call(method, target, body, call_options, std::move(done)); });
}

// ---- the whole workflow without curl (issue 15)

StatusOr<JsonText> Client::RecordModification(const std::string& tenant, const std::string& plan,
                                              const std::string& record_json,
                                              const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>([&](auto done) {
    async_->RecordModification(tenant, plan, record_json, call_options, std::move(done));
  });
}
StatusOr<std::vector<JsonText>> Client::ListModifications(const std::string& tenant, const std::string& plan,
                                                          const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<JsonText>>>(
      [&](auto done) { async_->ListModifications(tenant, plan, call_options, std::move(done)); });
}
StatusOr<std::vector<Submission>> Client::ListSubmissions(const std::string& tenant,
                                                          const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<Submission>>>(
      [&](auto done) { async_->ListSubmissions(tenant, call_options, std::move(done)); });
}
StatusOr<Submission> Client::AttachChangePlan(const std::string& tenant, const std::string& submission,
                                              const std::string& plan, uint64_t plan_version,
                                              const CallOptions& call_options) {
  return sync_->Wait<StatusOr<Submission>>([&](auto done) {
    async_->AttachChangePlan(tenant, submission, plan, plan_version, call_options, std::move(done));
  });
}
StatusOr<Submission> Client::WithdrawSubmission(const std::string& tenant, const std::string& submission,
                                                const CallOptions& call_options) {
  return sync_->Wait<StatusOr<Submission>>(
      [&](auto done) { async_->WithdrawSubmission(tenant, submission, call_options, std::move(done)); });
}
StatusOr<Submission> Client::StartReview(const std::string& tenant, const std::string& submission,
                                         const CallOptions& call_options) {
  return sync_->Wait<StatusOr<Submission>>(
      [&](auto done) { async_->StartReview(tenant, submission, call_options, std::move(done)); });
}
StatusOr<JsonText> Client::SubmissionReadiness(const std::string& tenant, const std::string& submission,
                                               const std::string& agency, const std::string& pathway,
                                               const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>([&](auto done) {
    async_->SubmissionReadiness(tenant, submission, agency, pathway, call_options, std::move(done));
  });
}
Status Client::ExportSubmission(const std::string& tenant, const std::string& submission,
                                const std::string& format, const fs::path& path, ProgressFn progress,
                                const CallOptions& call_options) {
  return sync_->Wait<Status>([&](auto done) {
    async_->ExportSubmission(tenant, submission, format, path, std::move(progress), call_options,
                             std::move(done));
  });
}
StatusOr<std::string> Client::GetSubmissionContent(const std::string& tenant, const std::string& submission,
                                                   const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::string>>(
      [&](auto done) { async_->GetSubmissionContent(tenant, submission, call_options, std::move(done)); });
}
StatusOr<BlobInfo> Client::DownloadSubmissionDocument(const std::string& tenant,
                                                      const std::string& submission,
                                                      const std::string& digest, const fs::path& path,
                                                      ProgressFn progress, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<BlobInfo>>([&](auto done) {
    async_->DownloadSubmissionDocument(tenant, submission, digest, path, std::move(progress), call_options,
                                       std::move(done));
  });
}
StatusOr<CommitResult> Client::CommitDecisionContent(const std::string& tenant, const std::string& submission,
                                                     const std::string& content, const SigningKey& signer,
                                                     const CallOptions& call_options) {
  return sync_->Wait<StatusOr<CommitResult>>([&](auto done) {
    async_->CommitDecisionContent(tenant, submission, content, signer, call_options, std::move(done));
  });
}
StatusOr<DecisionBundle> Client::GetDecisionBundle(const std::string& tenant, const std::string& submission,
                                                   uint64_t version, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<DecisionBundle>>([&](auto done) {
    async_->GetDecisionBundle(tenant, submission, version, call_options, std::move(done));
  });
}
StatusOr<std::vector<JsonText>> Client::ListRelianceAgreements(const std::string& tenant,
                                                               const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<JsonText>>>(
      [&](auto done) { async_->ListRelianceAgreements(tenant, call_options, std::move(done)); });
}
StatusOr<JsonText> Client::RevokeRelianceAgreement(const std::string& tenant, const std::string& peer,
                                                   const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonText>>(
      [&](auto done) { async_->RevokeRelianceAgreement(tenant, peer, call_options, std::move(done)); });
}

StatusOr<std::vector<JsonText>> Client::ListReviewTimelines(const std::string& tenant,
                                                            const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<JsonText>>>(
      [&](auto done) { async_->ListReviewTimelines(tenant, call_options, std::move(done)); });
}
StatusOr<std::vector<JsonText>> Client::AuditLog(const std::string& tenant, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<std::vector<JsonText>>>(
      [&](auto done) { async_->AuditLog(tenant, call_options, std::move(done)); });
}

// ---- paged lists, a page at a time

StatusOr<SubmissionPage> Client::ListSubmissionsPage(const std::string& tenant, const std::string& page_token,
                                                     int page_size, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<SubmissionPage>>([&](auto done) {
    async_->ListSubmissionsPage(tenant, page_token, page_size, call_options, std::move(done));
  });
}
StatusOr<SubmissionPage> Client::InboxPage(const std::string& tenant, const std::string& page_token,
                                           int page_size, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<SubmissionPage>>(
      [&](auto done) { async_->InboxPage(tenant, page_token, page_size, call_options, std::move(done)); });
}
StatusOr<JsonPage> Client::TenantLedgerPage(const std::string& tenant, const std::string& dossier,
                                            const std::string& as_of, const std::string& page_token,
                                            int page_size, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonPage>>([&](auto done) {
    async_->TenantLedgerPage(tenant, dossier, as_of, page_token, page_size, call_options, std::move(done));
  });
}
StatusOr<JsonPage> Client::ListModificationsPage(const std::string& tenant, const std::string& plan,
                                                 const std::string& page_token, int page_size,
                                                 const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonPage>>([&](auto done) {
    async_->ListModificationsPage(tenant, plan, page_token, page_size, call_options, std::move(done));
  });
}
StatusOr<JsonPage> Client::PerformanceReportsPage(const std::string& tenant, const std::string& plan,
                                                  const std::string& page_token, int page_size,
                                                  const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonPage>>([&](auto done) {
    async_->PerformanceReportsPage(tenant, plan, page_token, page_size, call_options, std::move(done));
  });
}
StatusOr<JsonPage> Client::AlertsPage(const std::string& tenant, const std::string& page_token, int page_size,
                                      const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonPage>>(
      [&](auto done) { async_->AlertsPage(tenant, page_token, page_size, call_options, std::move(done)); });
}
StatusOr<JsonPage> Client::ListReviewTimelinesPage(const std::string& tenant, const std::string& page_token,
                                                   int page_size, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonPage>>([&](auto done) {
    async_->ListReviewTimelinesPage(tenant, page_token, page_size, call_options, std::move(done));
  });
}
StatusOr<JsonPage> Client::AuditLogPage(const std::string& tenant, const std::string& page_token,
                                        int page_size, const CallOptions& call_options) {
  return sync_->Wait<StatusOr<JsonPage>>(
      [&](auto done) { async_->AuditLogPage(tenant, page_token, page_size, call_options, std::move(done)); });
}

}  // namespace dossier::client
