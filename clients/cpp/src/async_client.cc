// AsyncClient: starts each call's one implementation (ClientCore, core.h) on
// the client's strand and hands the result to the callback.
#include "dossier/client/async_client.h"

#include "core.h"

namespace dossier::client {
namespace fs = std::filesystem;
namespace json = boost::json;

StatusOr<std::shared_ptr<AsyncClient>> AsyncClient::Create(boost::asio::any_io_executor executor,
                                                           ClientOptions options) {
  DOSSIER_ASSIGN_OR_RETURN(auto core, ClientCore::Create(std::move(executor), std::move(options)));
  return std::shared_ptr<AsyncClient>(new AsyncClient(std::move(core)));
}

AsyncClient::AsyncClient(std::shared_ptr<ClientCore> core) : core_(std::move(core)) {}
AsyncClient::~AsyncClient() = default;
const ClientOptions& AsyncClient::options() const { return core_->options(); }

void AsyncClient::Ready(StatusCallback done) { Spawn(core_, core_->Ready(), std::move(done)); }

// ---- tenants, tokens, keys

void AsyncClient::CreateTenant(NewTenant tenant, Callback<Tenant> done) {
  Spawn(core_, core_->CreateTenant(std::move(tenant)), std::move(done));
}
void AsyncClient::GetTenant(std::string tenant, Callback<Tenant> done) {
  Spawn(core_, core_->GetTenant(std::move(tenant)), std::move(done));
}
void AsyncClient::ListTenants(Callback<std::vector<Tenant>> done) {
  Spawn(core_, core_->ListTenants(), std::move(done));
}
void AsyncClient::CreateToken(std::string tenant, std::string role, std::string label,
                              Callback<TokenInfo> done) {
  Spawn(core_, core_->CreateToken(std::move(tenant), std::move(role), std::move(label)), std::move(done));
}
void AsyncClient::ListTokens(std::string tenant, Callback<std::vector<TokenInfo>> done) {
  Spawn(core_, core_->ListTokens(std::move(tenant)), std::move(done));
}
void AsyncClient::RevokeToken(std::string tenant, std::string token_id, StatusCallback done) {
  Spawn(core_, core_->RevokeToken(std::move(tenant), std::move(token_id)), std::move(done));
}
void AsyncClient::RegisterKey(std::string tenant, trust::PublicKey key, std::string label,
                              Callback<KeyInfo> done) {
  Spawn(core_, core_->RegisterKey(std::move(tenant), std::move(key), std::move(label)), std::move(done));
}
void AsyncClient::ListKeys(std::string tenant, Callback<std::vector<KeyInfo>> done) {
  Spawn(core_, core_->ListKeys(std::move(tenant)), std::move(done));
}
void AsyncClient::GetKey(std::string tenant, std::string key_id, Callback<KeyInfo> done) {
  Spawn(core_, core_->GetKey(std::move(tenant), std::move(key_id)), std::move(done));
}
void AsyncClient::RevokeKey(std::string tenant, std::string key_id, std::string revoked_at,
                            Callback<KeyInfo> done) {
  Spawn(core_, core_->RevokeKey(std::move(tenant), std::move(key_id), std::move(revoked_at)),
        std::move(done));
}

// ---- blobs

void AsyncClient::StatBlob(std::string tenant, std::string digest, Callback<std::optional<BlobInfo>> done) {
  Spawn(core_, core_->StatBlob(std::move(tenant), std::move(digest)), std::move(done));
}
void AsyncClient::UploadFile(std::string tenant, fs::path path, ProgressFn progress,
                             Callback<BlobInfo> done) {
  Spawn(core_, core_->UploadFile(std::move(tenant), std::move(path), false, std::move(progress)),
        std::move(done));
}
void AsyncClient::UploadFileIfMissing(std::string tenant, fs::path path, ProgressFn progress,
                                      Callback<BlobInfo> done) {
  Spawn(core_, core_->UploadFile(std::move(tenant), std::move(path), true, std::move(progress)),
        std::move(done));
}
void AsyncClient::UploadBytes(std::string tenant, std::string bytes, Callback<BlobInfo> done) {
  Spawn(core_, core_->UploadBytes(std::move(tenant), std::move(bytes)), std::move(done));
}
void AsyncClient::UploadFromProducer(std::string tenant, BodyProducer producer, ProgressFn progress,
                                     Callback<BlobInfo> done) {
  Spawn(core_, core_->UploadFromProducer(std::move(tenant), std::move(producer), std::move(progress)),
        std::move(done));
}
void AsyncClient::DownloadToFile(std::string tenant, std::string digest, fs::path path, ProgressFn progress,
                                 Callback<BlobInfo> done) {
  Spawn(core_,
        core_->DownloadToFile(std::move(tenant), std::move(digest), std::move(path), std::move(progress)),
        std::move(done));
}
void AsyncClient::DownloadBytes(std::string tenant, std::string digest, Callback<std::string> done) {
  Spawn(core_, core_->DownloadBytes(std::move(tenant), std::move(digest)), std::move(done));
}

// ---- dossiers and change plans

void AsyncClient::CreateDossier(std::string tenant, std::string id, std::string title,
                                Callback<ObjectInfo> done) {
  Spawn(core_, core_->CreateDossier(std::move(tenant), std::move(id), std::move(title)), std::move(done));
}
void AsyncClient::CreateChangePlan(std::string tenant, std::string id, std::string dossier, std::string title,
                                   Callback<ObjectInfo> done) {
  Spawn(core_,
        core_->CreateChangePlan(std::move(tenant), std::move(id), std::move(dossier), std::move(title)),
        std::move(done));
}
void AsyncClient::GetObject(std::string tenant, ObjectKind kind, std::string id, Callback<ObjectInfo> done) {
  Spawn(core_, core_->GetObject(std::move(tenant), kind, std::move(id)), std::move(done));
}
void AsyncClient::ListObjects(std::string tenant, ObjectKind kind, std::string page_token, int page_size,
                              Callback<ObjectPage> done) {
  Spawn(core_, core_->ListObjects(std::move(tenant), kind, std::move(page_token), page_size),
        std::move(done));
}

// ---- versions

void AsyncClient::Commit(CommitRequest request, SigningKey signer, Callback<CommitResult> done) {
  Spawn(core_, core_->Commit(std::move(request), std::move(signer)), std::move(done));
}
void AsyncClient::ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                               Callback<VersionPage> done) {
  ListVersions(std::move(tenant), kind, std::move(id), std::move(page_token), 0, std::move(done));
}
void AsyncClient::ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                               int page_size, Callback<VersionPage> done) {
  Spawn(core_, core_->ListVersions(std::move(tenant), kind, std::move(id), std::move(page_token), page_size),
        std::move(done));
}
void AsyncClient::AllVersions(std::string tenant, ObjectKind kind, std::string id,
                              Callback<std::vector<VersionInfo>> done) {
  Spawn(core_, core_->AllVersions(std::move(tenant), kind, std::move(id)), std::move(done));
}
void AsyncClient::GetVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                             Callback<Version> done) {
  Spawn(core_, core_->GetVersion(std::move(tenant), kind, std::move(id), version), std::move(done));
}
void AsyncClient::GetVersionContent(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                                    Callback<std::string> done) {
  Spawn(core_, core_->GetVersionContent(std::move(tenant), kind, std::move(id), version), std::move(done));
}
void AsyncClient::Diff(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                       Callback<boost::json::object> done) {
  Spawn(core_, core_->Diff(std::move(tenant), std::move(dossier), from, to), std::move(done));
}

// ---- verification

void AsyncClient::GetBundle(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                            Callback<FetchedBundle> done) {
  Spawn(core_, core_->GetBundle(std::move(tenant), kind, std::move(id), version), std::move(done));
}
void AsyncClient::VerifyVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                                Callback<trust::BundleVerification> done) {
  Spawn(core_, core_->VerifyVersion(std::move(tenant), kind, std::move(id), version), std::move(done));
}
void AsyncClient::VerifyVersion(ExpectedIdentity expected, Callback<trust::BundleVerification> done) {
  Spawn(core_, core_->VerifyVersionAs(std::move(expected)), std::move(done));
}

// ---- transparency log

void AsyncClient::GetLogPublicKey(Callback<LogPublicKey> done) {
  Spawn(core_, core_->GetLogPublicKey(), std::move(done));
}
void AsyncClient::GetCheckpoint(Callback<trust::Checkpoint> done) {
  Spawn(core_, core_->GetCheckpoint(), std::move(done));
}
void AsyncClient::CheckAndRememberCheckpoint(trust::Checkpoint checkpoint, StatusCallback done) {
  Spawn(core_, core_->CheckAndRememberCheckpoint(std::move(checkpoint)), std::move(done));
}
void AsyncClient::GetInclusionProof(uint64_t leaf_index, uint64_t tree_size,
                                    Callback<std::vector<std::string>> done) {
  Spawn(core_, core_->GetInclusionProof(leaf_index, tree_size), std::move(done));
}
void AsyncClient::GetConsistencyProof(uint64_t from_size, uint64_t to_size,
                                      Callback<std::vector<std::string>> done) {
  Spawn(core_, core_->GetConsistencyProof(from_size, to_size), std::move(done));
}

// ---- regional views

void AsyncClient::Export(std::string tenant, std::string dossier, uint64_t version, std::string format,
                         fs::path path, ProgressFn progress, StatusCallback done) {
  Spawn(core_,
        core_->Export(std::move(tenant), std::move(dossier), version, std::move(format), std::move(path),
                      std::move(progress)),
        std::move(done));
}
void AsyncClient::Import(std::string tenant, std::string format, fs::path path, ProgressFn progress,
                         Callback<RawResponse> done) {
  Spawn(core_, core_->Import(std::move(tenant), std::move(format), std::move(path), std::move(progress)),
        std::move(done));
}
void AsyncClient::Readiness(std::string tenant, std::string dossier, uint64_t version, std::string agency,
                            std::string pathway, Callback<boost::json::object> done) {
  Spawn(
      core_,
      core_->Readiness(std::move(tenant), std::move(dossier), version, std::move(agency), std::move(pathway)),
      std::move(done));
}

// ---- after submission

void AsyncClient::RedlineDocument(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                                  std::string format, fs::path path, StatusCallback done) {
  Spawn(core_,
        core_->RedlineDocument(std::move(tenant), std::move(dossier), from, to, std::move(format),
                               std::move(path)),
        std::move(done));
}
void AsyncClient::ResponsePackage(std::string tenant, std::string dossier, uint64_t from, uint64_t to,
                                  fs::path reply_letter, fs::path path, StatusCallback done) {
  Spawn(core_,
        core_->ResponsePackage(std::move(tenant), std::move(dossier), from, to, std::move(reply_letter),
                               std::move(path)),
        std::move(done));
}
void AsyncClient::ExportProfiles(Callback<boost::json::object> done) {
  Spawn(core_, core_->ExportProfiles(), std::move(done));
}
void AsyncClient::ExportSubmissionWithProfile(std::string tenant, std::string submission, std::string format,
                                              std::string profile, fs::path path, StatusCallback done) {
  Spawn(core_,
        core_->ExportSubmissionWithProfile(std::move(tenant), std::move(submission), std::move(format),
                                           std::move(profile), std::move(path)),
        std::move(done));
}
void AsyncClient::PostPerformanceReport(std::string tenant, std::string plan, std::string report_json,
                                        SigningKey signer, Callback<boost::json::object> done) {
  Spawn(core_,
        core_->PostPerformanceReport(std::move(tenant), std::move(plan), std::move(report_json),
                                     std::move(signer)),
        std::move(done));
}
void AsyncClient::PerformanceReports(std::string tenant, std::string plan,
                                     Callback<boost::json::object> done) {
  Spawn(core_, core_->PerformanceReports(std::move(tenant), std::move(plan)), std::move(done));
}
void AsyncClient::Alerts(std::string tenant, Callback<boost::json::object> done) {
  Spawn(core_, core_->Alerts(std::move(tenant)), std::move(done));
}

// ---- submissions and decisions

void AsyncClient::Submit(std::string tenant, NewSubmission submission, Callback<Submission> done) {
  Spawn(core_, core_->Submit(std::move(tenant), std::move(submission)), std::move(done));
}
void AsyncClient::Inbox(std::string tenant, Callback<std::vector<Submission>> done) {
  Spawn(core_, core_->Inbox(std::move(tenant)), std::move(done));
}
void AsyncClient::GetSubmission(std::string tenant, std::string submission, Callback<Submission> done) {
  Spawn(core_, core_->GetSubmission(std::move(tenant), std::move(submission)), std::move(done));
}
void AsyncClient::CommitDecision(std::string tenant, Decision decision, SigningKey signer,
                                 Callback<CommitResult> done) {
  Spawn(core_, core_->CommitDecision(std::move(tenant), std::move(decision), std::move(signer)),
        std::move(done));
}
void AsyncClient::ListDecisions(std::string tenant, std::string submission,
                                Callback<std::vector<VersionInfo>> done) {
  Spawn(core_, core_->ListDecisions(std::move(tenant), std::move(submission)), std::move(done));
}

// ---- reliance

void AsyncClient::CreateRelianceAgreement(std::string tenant, NewRelianceAgreement agreement,
                                          Callback<boost::json::object> done) {
  Spawn(core_, core_->CreateRelianceAgreement(std::move(tenant), std::move(agreement)), std::move(done));
}
void AsyncClient::AddPeer(std::string tenant, NewPeer peer, Callback<Peer> done) {
  Spawn(core_, core_->AddPeer(std::move(tenant), std::move(peer)), std::move(done));
}
void AsyncClient::GetPeer(std::string tenant, std::string peer_id, Callback<Peer> done) {
  Spawn(core_, core_->GetPeer(std::move(tenant), std::move(peer_id)), std::move(done));
}
void AsyncClient::ListPeers(std::string tenant, Callback<std::vector<Peer>> done) {
  Spawn(core_, core_->ListPeers(std::move(tenant)), std::move(done));
}
void AsyncClient::Reliance(std::string tenant, std::string submission,
                           Callback<std::vector<ForeignDecision>> done) {
  Spawn(core_, core_->Reliance(std::move(tenant), std::move(submission)), std::move(done));
}

// ---- the whole workflow without curl (issue 15)

void AsyncClient::RecordModification(std::string tenant, std::string plan, std::string record_json,
                                     Callback<json::object> done) {
  Spawn(core_, core_->RecordModification(std::move(tenant), std::move(plan), std::move(record_json)),
        std::move(done));
}
void AsyncClient::ListModifications(std::string tenant, std::string plan,
                                    Callback<std::vector<json::object>> done) {
  Spawn(core_, core_->ListModifications(std::move(tenant), std::move(plan)), std::move(done));
}
void AsyncClient::ListSubmissions(std::string tenant, Callback<std::vector<Submission>> done) {
  Spawn(core_, core_->ListSubmissions(std::move(tenant)), std::move(done));
}
void AsyncClient::AttachChangePlan(std::string tenant, std::string submission, std::string plan,
                                   uint64_t plan_version, Callback<Submission> done) {
  Spawn(core_,
        core_->AttachChangePlan(std::move(tenant), std::move(submission), std::move(plan), plan_version),
        std::move(done));
}
void AsyncClient::WithdrawSubmission(std::string tenant, std::string submission, Callback<Submission> done) {
  Spawn(core_, core_->WithdrawSubmission(std::move(tenant), std::move(submission)), std::move(done));
}
void AsyncClient::StartReview(std::string tenant, std::string submission, Callback<Submission> done) {
  Spawn(core_, core_->StartReview(std::move(tenant), std::move(submission)), std::move(done));
}
void AsyncClient::SubmissionReadiness(std::string tenant, std::string submission, std::string agency,
                                      std::string pathway, Callback<json::object> done) {
  Spawn(core_,
        core_->SubmissionReadiness(std::move(tenant), std::move(submission), std::move(agency),
                                   std::move(pathway)),
        std::move(done));
}
void AsyncClient::ExportSubmission(std::string tenant, std::string submission, std::string format,
                                   fs::path path, ProgressFn progress, StatusCallback done) {
  Spawn(core_,
        core_->ExportSubmission(std::move(tenant), std::move(submission), std::move(format), std::move(path),
                                std::move(progress)),
        std::move(done));
}
void AsyncClient::GetSubmissionContent(std::string tenant, std::string submission,
                                       Callback<std::string> done) {
  Spawn(core_, core_->GetSubmissionContent(std::move(tenant), std::move(submission)), std::move(done));
}
void AsyncClient::DownloadSubmissionDocument(std::string tenant, std::string submission, std::string digest,
                                             fs::path path, ProgressFn progress, Callback<BlobInfo> done) {
  Spawn(core_,
        core_->DownloadSubmissionDocument(std::move(tenant), std::move(submission), std::move(digest),
                                          std::move(path), std::move(progress)),
        std::move(done));
}
void AsyncClient::CommitDecisionContent(std::string tenant, std::string submission, std::string content,
                                        SigningKey signer, Callback<CommitResult> done) {
  Spawn(core_,
        core_->CommitDecisionContent(std::move(tenant), std::move(submission), std::move(content),
                                     std::move(signer)),
        std::move(done));
}
void AsyncClient::GetDecisionBundle(std::string tenant, std::string submission, uint64_t version,
                                    Callback<DecisionBundle> done) {
  Spawn(core_, core_->GetDecisionBundle(std::move(tenant), std::move(submission), version), std::move(done));
}
void AsyncClient::ListRelianceAgreements(std::string tenant, Callback<std::vector<json::object>> done) {
  Spawn(core_, core_->ListRelianceAgreements(std::move(tenant)), std::move(done));
}
void AsyncClient::RevokeRelianceAgreement(std::string tenant, std::string peer, Callback<json::object> done) {
  Spawn(core_, core_->RevokeRelianceAgreement(std::move(tenant), std::move(peer)), std::move(done));
}

// ---- correspondence ledger, review clocks, section comments

void AsyncClient::RecordLedgerEvent(std::string tenant, json::object event, SigningKey signer,
                                    Callback<CommitResult> done) {
  Spawn(core_, core_->RecordLedgerEvent(std::move(tenant), std::move(event), std::move(signer)),
        std::move(done));
}
void AsyncClient::GetLedger(std::string tenant, std::string submission, std::string as_of,
                            Callback<json::object> done) {
  Spawn(core_, core_->GetLedger(std::move(tenant), std::move(submission), std::move(as_of)), std::move(done));
}
void AsyncClient::GetClock(std::string tenant, std::string submission, std::string as_of,
                           Callback<json::object> done) {
  Spawn(core_, core_->GetClock(std::move(tenant), std::move(submission), std::move(as_of)), std::move(done));
}
void AsyncClient::TenantLedger(std::string tenant, std::string dossier, std::string as_of,
                               Callback<json::object> done) {
  Spawn(core_, core_->TenantLedger(std::move(tenant), std::move(dossier), std::move(as_of)), std::move(done));
}
void AsyncClient::ListComments(std::string tenant, std::string submission, Callback<json::object> done) {
  Spawn(core_, core_->ListComments(std::move(tenant), std::move(submission)), std::move(done));
}
void AsyncClient::OpenCommentThread(std::string tenant, std::string submission, NewCommentThread thread,
                                    Callback<json::object> done) {
  Spawn(core_, core_->OpenCommentThread(std::move(tenant), std::move(submission), std::move(thread)),
        std::move(done));
}
void AsyncClient::ReplyToComment(std::string tenant, std::string submission, std::string thread,
                                 std::string text, Callback<json::object> done) {
  Spawn(core_,
        core_->ReplyToComment(std::move(tenant), std::move(submission), std::move(thread), std::move(text)),
        std::move(done));
}
void AsyncClient::SetCommentResolved(std::string tenant, std::string submission, std::string thread,
                                     bool resolved, Callback<json::object> done) {
  Spawn(core_,
        core_->SetCommentResolved(std::move(tenant), std::move(submission), std::move(thread), resolved),
        std::move(done));
}
void AsyncClient::DraftAiRequest(std::string tenant, std::string submission, std::string occurred_on,
                                 std::string due_on, Callback<json::object> done) {
  Spawn(core_,
        core_->DraftAiRequest(std::move(tenant), std::move(submission), std::move(occurred_on),
                              std::move(due_on)),
        std::move(done));
}
void AsyncClient::SetReviewTimeline(std::string tenant, json::object timeline, Callback<json::object> done) {
  Spawn(core_, core_->SetReviewTimeline(std::move(tenant), std::move(timeline)), std::move(done));
}

void AsyncClient::Call(std::string method, std::string target, std::string body, Callback<RawResponse> done) {
  Spawn(core_, core_->CallRaw(std::move(method), std::move(target), std::move(body)), std::move(done));
}

}  // namespace dossier::client
