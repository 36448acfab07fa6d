// dossier::client::ClientInterface: every call of the synchronous Client as
// an abstract class, so an integrator's code can take a ClientInterface& and
// its unit tests can pass a fake instead of a Client talking to a server
// (dossier/client/testing/fake_client.h is one, with no gmock dependency; a
// gmock MOCK_METHOD class deriving from this works as well).
//
// Client (client.h) implements it; client.h documents every call. The calls
// here are the same, with the same default arguments. The ranges (Objects(),
// Versions(), Submissions(), AuditEntries(), ...; paging.h) are helpers built on
// the page-level calls (ListObjects, ListVersions, ...Page), so a fake pages too.
//
// Compatibility: a minor version may add calls to this interface (new pure
// virtual methods), which breaks classes that derive from it directly; derive
// your mocks from testing::FakeClient, which is updated with it, or accept
// that a mock may need the new methods when you upgrade.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "dossier/client/call_options.h"
#include "dossier/client/paging.h"
#include "dossier/client/signer.h"
#include "dossier/client/types.h"
#include "dossier/client/verify.h"
#include "trust/bundle.h"
#include "trust/keys.h"

namespace dossier::client {

class ClientInterface {
 public:
  virtual ~ClientInterface() = default;

  virtual Status Ready(const CallOptions& call_options = {}) = 0;
  virtual StatusOr<Tenant> CreateTenant(const NewTenant& tenant, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<Tenant> GetTenant(const std::string& tenant, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<Tenant>> ListTenants(const CallOptions& call_options = {}) = 0;
  virtual StatusOr<TokenInfo> CreateToken(const std::string& tenant, const std::string& role,
                                          const std::string& label, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<TokenInfo>> ListTokens(const std::string& tenant,
                                                      const CallOptions& call_options = {}) = 0;
  virtual Status RevokeToken(const std::string& tenant, const std::string& token_id,
                             const CallOptions& call_options = {}) = 0;
  virtual StatusOr<KeyInfo> RegisterKey(const std::string& tenant, const trust::PublicKey& key,
                                        const std::string& label, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<KeyInfo>> ListKeys(const std::string& tenant,
                                                  const CallOptions& call_options = {}) = 0;
  virtual StatusOr<KeyInfo> GetKey(const std::string& tenant, const std::string& key_id,
                                   const CallOptions& call_options = {}) = 0;
  virtual StatusOr<KeyInfo> RevokeKey(const std::string& tenant, const std::string& key_id,
                                      const std::string& revoked_at = {},
                                      const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::optional<BlobInfo>> StatBlob(const std::string& tenant, const std::string& digest,
                                                     const CallOptions& call_options = {}) = 0;
  virtual StatusOr<BlobInfo> UploadFile(const std::string& tenant, const std::filesystem::path& path,
                                        ProgressFn progress = nullptr,
                                        const CallOptions& call_options = {}) = 0;
  virtual StatusOr<BlobInfo> UploadFileIfMissing(const std::string& tenant, const std::filesystem::path& path,
                                                 ProgressFn progress = nullptr,
                                                 const CallOptions& call_options = {}) = 0;
  virtual StatusOr<BlobInfo> UploadBytes(const std::string& tenant, const std::string& bytes,
                                         const CallOptions& call_options = {}) = 0;
  virtual StatusOr<BlobInfo> UploadFromProducer(const std::string& tenant, BodyProducer producer,
                                                ProgressFn progress = nullptr,
                                                const CallOptions& call_options = {}) = 0;
  virtual StatusOr<BlobInfo> DownloadToFile(const std::string& tenant, const std::string& digest,
                                            const std::filesystem::path& path, ProgressFn progress = nullptr,
                                            const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::string> DownloadBytes(const std::string& tenant, const std::string& digest,
                                              const CallOptions& call_options = {}) = 0;
  virtual StatusOr<ObjectInfo> CreateDossier(const std::string& tenant, const std::string& id,
                                             const std::string& title = {},
                                             const CallOptions& call_options = {}) = 0;
  virtual StatusOr<ObjectInfo> CreateChangePlan(const std::string& tenant, const std::string& id,
                                                const std::string& dossier, const std::string& title = {},
                                                const CallOptions& call_options = {}) = 0;
  virtual StatusOr<ObjectInfo> GetObject(const std::string& tenant, ObjectKind kind, const std::string& id,
                                         const CallOptions& call_options = {}) = 0;
  virtual StatusOr<ObjectPage> ListObjects(const std::string& tenant, ObjectKind kind,
                                           const std::string& page_token = {}, int page_size = 0,
                                           const CallOptions& call_options = {}) = 0;
  virtual StatusOr<CommitResult> Commit(const CommitRequest& request, const SigningKey& signer,
                                        const CallOptions& call_options = {}) = 0;
  virtual StatusOr<VersionPage> ListVersions(const std::string& tenant, ObjectKind kind,
                                             const std::string& id, const std::string& page_token = {},
                                             int page_size = 0, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<VersionInfo>> AllVersions(const std::string& tenant, ObjectKind kind,
                                                         const std::string& id,
                                                         const CallOptions& call_options = {}) = 0;
  virtual StatusOr<Version> GetVersion(const std::string& tenant, ObjectKind kind, const std::string& id,
                                       uint64_t version, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::string> GetVersionContent(const std::string& tenant, ObjectKind kind,
                                                  const std::string& id, uint64_t version,
                                                  const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> Diff(const std::string& tenant, const std::string& dossier, uint64_t from,
                                  uint64_t to, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<trust::Bundle> GetBundle(const std::string& tenant, ObjectKind kind, const std::string& id,
                                            uint64_t version, std::string* raw_json = nullptr,
                                            const CallOptions& call_options = {}) = 0;
  virtual StatusOr<trust::BundleVerification> VerifyVersion(const ExpectedIdentity& expected,
                                                            const CallOptions& call_options = {}) = 0;
  virtual StatusOr<trust::BundleVerification> VerifyVersion(const std::string& tenant, ObjectKind kind,
                                                            const std::string& id, uint64_t version,
                                                            const CallOptions& call_options = {}) = 0;
  virtual StatusOr<LogPublicKey> GetLogPublicKey(const CallOptions& call_options = {}) = 0;
  virtual StatusOr<trust::Checkpoint> GetCheckpoint(const CallOptions& call_options = {}) = 0;
  virtual Status CheckAndRememberCheckpoint(const trust::Checkpoint& checkpoint,
                                            const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<std::string>> GetInclusionProof(uint64_t leaf_index, uint64_t tree_size,
                                                               const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<std::string>> GetConsistencyProof(uint64_t from_size, uint64_t to_size,
                                                                 const CallOptions& call_options = {}) = 0;
  virtual Status Export(const std::string& tenant, const std::string& dossier, uint64_t version,
                        const std::string& format, const std::filesystem::path& path,
                        ProgressFn progress = nullptr, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<RawResponse> Import(const std::string& tenant, const std::string& format,
                                       const std::filesystem::path& path, ProgressFn progress = nullptr,
                                       const CallOptions& call_options = {}) = 0;
  virtual Status ImportRecords(const std::string& tenant, const std::string& format,
                               const std::filesystem::path& path, const RecordFn& on_record,
                               ProgressFn progress = nullptr, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> Readiness(const std::string& tenant, const std::string& dossier,
                                       uint64_t version, const std::string& agency,
                                       const std::string& pathway = {},
                                       const CallOptions& call_options = {}) = 0;
  virtual StatusOr<Submission> Submit(const std::string& tenant, const NewSubmission& submission,
                                      const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<Submission>> Inbox(const std::string& tenant,
                                                  const CallOptions& call_options = {}) = 0;
  virtual StatusOr<Submission> GetSubmission(const std::string& tenant, const std::string& submission,
                                             const CallOptions& call_options = {}) = 0;
  virtual StatusOr<CommitResult> CommitDecision(const std::string& tenant, const Decision& decision,
                                                const SigningKey& signer,
                                                const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<VersionInfo>> ListDecisions(const std::string& tenant,
                                                           const std::string& submission,
                                                           const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> CreateRelianceAgreement(const std::string& tenant,
                                                     const NewRelianceAgreement& agreement,
                                                     const CallOptions& call_options = {}) = 0;
  virtual StatusOr<Peer> AddPeer(const std::string& tenant, const NewPeer& peer,
                                 const CallOptions& call_options = {}) = 0;
  virtual StatusOr<Peer> GetPeer(const std::string& tenant, const std::string& peer_id,
                                 const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<Peer>> ListPeers(const std::string& tenant,
                                                const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<ForeignDecision>> Reliance(const std::string& tenant,
                                                          const std::string& submission,
                                                          const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> RecordModification(const std::string& tenant, const std::string& plan,
                                                const std::string& record_json,
                                                const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<JsonText>> ListModifications(const std::string& tenant,
                                                            const std::string& plan,
                                                            const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<Submission>> ListSubmissions(const std::string& tenant,
                                                            const CallOptions& call_options = {}) = 0;
  virtual StatusOr<Submission> WithdrawSubmission(const std::string& tenant, const std::string& submission,
                                                  const CallOptions& call_options = {}) = 0;
  virtual StatusOr<Submission> AttachChangePlan(const std::string& tenant, const std::string& submission,
                                                const std::string& plan, uint64_t plan_version,
                                                const CallOptions& call_options = {}) = 0;
  virtual StatusOr<Submission> StartReview(const std::string& tenant, const std::string& submission,
                                           const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> SubmissionReadiness(const std::string& tenant, const std::string& submission,
                                                 const std::string& agency = {},
                                                 const std::string& pathway = {},
                                                 const CallOptions& call_options = {}) = 0;
  virtual Status ExportSubmission(const std::string& tenant, const std::string& submission,
                                  const std::string& format, const std::filesystem::path& path,
                                  ProgressFn progress = nullptr, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::string> GetSubmissionContent(const std::string& tenant, const std::string& submission,
                                                     const CallOptions& call_options = {}) = 0;
  virtual StatusOr<BlobInfo> DownloadSubmissionDocument(const std::string& tenant,
                                                        const std::string& submission,
                                                        const std::string& digest,
                                                        const std::filesystem::path& path,
                                                        ProgressFn progress = nullptr,
                                                        const CallOptions& call_options = {}) = 0;
  virtual StatusOr<CommitResult> CommitDecisionContent(const std::string& tenant,
                                                       const std::string& submission,
                                                       const std::string& content, const SigningKey& signer,
                                                       const CallOptions& call_options = {}) = 0;
  virtual StatusOr<DecisionBundle> GetDecisionBundle(const std::string& tenant, const std::string& submission,
                                                     uint64_t version,
                                                     const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<JsonText>> ListRelianceAgreements(const std::string& tenant,
                                                                 const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> RevokeRelianceAgreement(const std::string& tenant, const std::string& peer,
                                                     const CallOptions& call_options = {}) = 0;
  virtual Status RedlineDocument(const std::string& tenant, const std::string& dossier, uint64_t from,
                                 uint64_t to, const std::string& format, const std::filesystem::path& path,
                                 const CallOptions& call_options = {}) = 0;
  virtual Status ResponsePackage(const std::string& tenant, const std::string& dossier, uint64_t from,
                                 uint64_t to, const std::filesystem::path& reply_letter,
                                 const std::filesystem::path& path, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> ExportProfiles(const CallOptions& call_options = {}) = 0;
  virtual Status ExportSubmissionWithProfile(const std::string& tenant, const std::string& submission,
                                             const std::string& format, const std::string& profile,
                                             const std::filesystem::path& path,
                                             const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> PostPerformanceReport(const std::string& tenant, const std::string& plan,
                                                   const std::string& report_json, const SigningKey& signer,
                                                   const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> PerformanceReports(const std::string& tenant, const std::string& plan,
                                                const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> Alerts(const std::string& tenant, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<CommitResult> RecordLedgerEvent(const std::string& tenant, const JsonText& event,
                                                   const SigningKey& signer,
                                                   const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> GetLedger(const std::string& tenant, const std::string& submission,
                                       const std::string& as_of = {},
                                       const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> GetClock(const std::string& tenant, const std::string& submission,
                                      const std::string& as_of = {},
                                      const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> TenantLedger(const std::string& tenant, const std::string& dossier = {},
                                          const std::string& as_of = {},
                                          const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> ListComments(const std::string& tenant, const std::string& submission,
                                          const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> OpenCommentThread(const std::string& tenant, const std::string& submission,
                                               const NewCommentThread& thread,
                                               const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> ReplyToComment(const std::string& tenant, const std::string& submission,
                                            const std::string& thread, const std::string& text,
                                            const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> SetCommentResolved(const std::string& tenant, const std::string& submission,
                                                const std::string& thread, bool resolved,
                                                const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> DraftAiRequest(const std::string& tenant, const std::string& submission,
                                            const std::string& occurred_on = {},
                                            const std::string& due_on = {},
                                            const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonText> SetReviewTimeline(const std::string& tenant, const JsonText& timeline,
                                               const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<JsonText>> ListReviewTimelines(const std::string& tenant,
                                                              const CallOptions& call_options = {}) = 0;
  virtual StatusOr<std::vector<JsonText>> AuditLog(const std::string& tenant,
                                                   const CallOptions& call_options = {}) = 0;
  // ---- page-level calls of the paged lists (client.h "Paged lists")
  virtual StatusOr<SubmissionPage> ListSubmissionsPage(const std::string& tenant,
                                                       const std::string& page_token = {}, int page_size = 0,
                                                       const CallOptions& call_options = {}) = 0;
  virtual StatusOr<SubmissionPage> InboxPage(const std::string& tenant, const std::string& page_token = {},
                                             int page_size = 0, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonPage> TenantLedgerPage(const std::string& tenant, const std::string& dossier,
                                              const std::string& as_of, const std::string& page_token = {},
                                              int page_size = 0, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonPage> ListModificationsPage(const std::string& tenant, const std::string& plan,
                                                   const std::string& page_token = {}, int page_size = 0,
                                                   const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonPage> PerformanceReportsPage(const std::string& tenant, const std::string& plan,
                                                    const std::string& page_token = {}, int page_size = 0,
                                                    const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonPage> AlertsPage(const std::string& tenant, const std::string& page_token = {},
                                        int page_size = 0, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonPage> ListReviewTimelinesPage(const std::string& tenant,
                                                     const std::string& page_token = {}, int page_size = 0,
                                                     const CallOptions& call_options = {}) = 0;
  virtual StatusOr<JsonPage> AuditLogPage(const std::string& tenant, const std::string& page_token = {},
                                          int page_size = 0, const CallOptions& call_options = {}) = 0;
  virtual StatusOr<RawResponse> Call(const std::string& method, const std::string& target,
                                     const std::string& body = {}, const CallOptions& call_options = {}) = 0;

  // ---- paging helpers (paging.h): every object / version, a page at a time.
  // `page_size` 0: the server's default. The ClientInterface must outlive the range.
  PageRange<ObjectInfo> Objects(const std::string& tenant, ObjectKind kind, int page_size = 0,
                                const CallOptions& call_options = {}) {
    return RangeOver<ObjectInfo>([this, tenant, kind, page_size, call_options](const std::string& token) {
      return ListObjects(tenant, kind, token, page_size, call_options);
    });
  }
  PageRange<VersionInfo> Versions(const std::string& tenant, ObjectKind kind, const std::string& id,
                                  int page_size = 0, const CallOptions& call_options = {}) {
    return PageRange<VersionInfo>([this, tenant, kind, id, page_size, call_options](
                                      const std::string& token) -> StatusOr<PageRange<VersionInfo>::Page> {
      auto page = ListVersions(tenant, kind, id, token, page_size, call_options);
      if (!page.ok()) return page.status();
      return PageRange<VersionInfo>::Page{std::move(page->versions), std::move(page->next_page_token)};
    });
  }

  // The other paged lists as ranges, one page per fetch (client.h "Paged lists").
  PageRange<Submission> Submissions(const std::string& tenant, int page_size = 0,
                                    const CallOptions& call_options = {}) {
    return RangeOver<Submission>([this, tenant, page_size, call_options](const std::string& token) {
      return ListSubmissionsPage(tenant, token, page_size, call_options);
    });
  }
  PageRange<Submission> InboxSubmissions(const std::string& tenant, int page_size = 0,
                                         const CallOptions& call_options = {}) {
    return RangeOver<Submission>([this, tenant, page_size, call_options](const std::string& token) {
      return InboxPage(tenant, token, page_size, call_options);
    });
  }
  PageRange<JsonText> Ledgers(const std::string& tenant, const std::string& dossier, const std::string& as_of,
                              int page_size = 0, const CallOptions& call_options = {}) {
    return RangeOver<JsonText>(
        [this, tenant, dossier, as_of, page_size, call_options](const std::string& token) {
          return TenantLedgerPage(tenant, dossier, as_of, token, page_size, call_options);
        });
  }
  PageRange<JsonText> Modifications(const std::string& tenant, const std::string& plan, int page_size = 0,
                                    const CallOptions& call_options = {}) {
    return RangeOver<JsonText>([this, tenant, plan, page_size, call_options](const std::string& token) {
      return ListModificationsPage(tenant, plan, token, page_size, call_options);
    });
  }
  PageRange<JsonText> Reports(const std::string& tenant, const std::string& plan, int page_size = 0,
                              const CallOptions& call_options = {}) {
    return RangeOver<JsonText>([this, tenant, plan, page_size, call_options](const std::string& token) {
      return PerformanceReportsPage(tenant, plan, token, page_size, call_options);
    });
  }
  PageRange<JsonText> DriftAlerts(const std::string& tenant, int page_size = 0,
                                  const CallOptions& call_options = {}) {
    return RangeOver<JsonText>([this, tenant, page_size, call_options](const std::string& token) {
      return AlertsPage(tenant, token, page_size, call_options);
    });
  }
  PageRange<JsonText> ReviewTimelines(const std::string& tenant, int page_size = 0,
                                      const CallOptions& call_options = {}) {
    return RangeOver<JsonText>([this, tenant, page_size, call_options](const std::string& token) {
      return ListReviewTimelinesPage(tenant, token, page_size, call_options);
    });
  }
  PageRange<JsonText> AuditEntries(const std::string& tenant, int page_size = 0,
                                   const CallOptions& call_options = {}) {
    return RangeOver<JsonText>([this, tenant, page_size, call_options](const std::string& token) {
      return AuditLogPage(tenant, token, page_size, call_options);
    });
  }

 private:
  // A range over a page-level call whose page has `items` and
  // `next_page_token`: `fetch(page_token)` fetches one page.
  template <typename Item, typename Fetch>
  static PageRange<Item> RangeOver(Fetch fetch) {
    return PageRange<Item>(
        [fetch = std::move(fetch)](const std::string& token) -> StatusOr<typename PageRange<Item>::Page> {
          auto page = fetch(token);
          if (!page.ok()) return page.status();
          return typename PageRange<Item>::Page{std::move(page->items), std::move(page->next_page_token)};
        });
  }
};

}  // namespace dossier::client
