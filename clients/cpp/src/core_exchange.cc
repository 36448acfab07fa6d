// ClientCore: regional views (export, import, readiness), submissions,
// signed decisions and reliance between regulators.
#include "core.h"
#include "dossier/client/toc_folder.h"

namespace dossier::client {
namespace json = boost::json;
namespace fs = std::filesystem;
using internal::Enc;
using internal::HttpRequest;
using internal::ToJson;

using internal::SubmissionPath;
using internal::TenantPath;

// ------------------------------------------------------------ regional views

ClientCore::Task<ClientCore::Done> ClientCore::Export(std::string tenant, std::string dossier,
                                                      uint64_t version, std::string format, fs::path path,
                                                      ProgressFn progress) {
  HttpRequest r;
  r.method = "GET";
  r.target = ObjectPath(tenant, ObjectKind::kDossier, dossier) + "/versions/" + std::to_string(version) +
             "/export?format=" + Enc(format);
  r.idempotent = true;
  r.response_file = path;
  r.progress = std::move(progress);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  (void)response;  // the body went to `path`
  co_return Done{};
}

ClientCore::Task<RawResponse> ClientCore::Import(std::string tenant, std::string format, fs::path path,
                                                 ProgressFn progress) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) co_return NotFound("cannot read " + path.string(), "io-error");
  HttpRequest r;
  r.method = "POST";
  r.target = TenantPath(tenant) + "/imports?format=" + Enc(format);
  r.content_type = MediaTypeForFile(path);
  r.body_file = path;
  r.idempotent = true;  // nothing is committed by an import
  // A many-record answer is streamed; when the input breaks after its first
  // chunk the server ends it with a problem line (docs/CONTRACT.md).
  r.keep_partial_body = true;
  r.progress = std::move(progress);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  if (!response.body_failure.ok()) co_return internal::CutShortStatus(response);
  co_return RawResponse{response.status, response.Header("content-type"), std::move(response.body)};
}

ClientCore::Task<json::object> ClientCore::Readiness(std::string tenant, std::string dossier,
                                                     uint64_t version, std::string agency,
                                                     std::string pathway) {
  std::string target = ObjectPath(tenant, ObjectKind::kDossier, dossier) + "/versions/" +
                       std::to_string(version) + "/readiness?agency=" + Enc(agency);
  if (!pathway.empty()) target += "&pathway=" + Enc(pathway);
  co_return co_await CallJson("GET", std::move(target), {}, true);
}

// --------------------------------------------------- submissions, decisions

ClientCore::Task<Submission> ClientCore::Submit(std::string tenant, NewSubmission submission) {
  co_return co_await SendAs<Submission>("POST", TenantPath(tenant) + "/submissions", ToJson(submission),
                                        false);
}

ClientCore::Task<std::vector<Submission>> ClientCore::Inbox(std::string tenant) {
  co_return co_await GetList<Submission>(TenantPath(tenant) + "/inbox", "submissions");
}

ClientCore::Task<Submission> ClientCore::GetSubmission(std::string tenant, std::string submission) {
  co_return co_await GetAs<Submission>(SubmissionPath(tenant, submission));
}

ClientCore::Task<std::vector<VersionInfo>> ClientCore::ListDecisions(std::string tenant,
                                                                     std::string submission) {
  co_return co_await GetList<VersionInfo>(SubmissionPath(tenant, submission) + "/decisions", "decisions");
}

ClientCore::Task<CommitResult> ClientCore::CommitDecision(std::string tenant, Decision decision,
                                                          SigningKey signer) {
  // The next version of the submission's decisions object.
  CO_ASSIGN_OR_RETURN(auto existing, co_await ListDecisions(tenant, decision.submission));
  trust::Statement statement;
  statement.tenant = tenant;
  statement.object = "submissions/" + decision.submission + "/decisions";
  statement.version = existing.size() + 1;
  statement.parent_digest = existing.empty() ? std::string() : existing.back().digest;
  statement.media_type = std::string(kDecisionJson);
  co_return co_await CommitStatement(std::move(statement),
                                     SubmissionPath(tenant, decision.submission) + "/decisions",
                                     json::serialize(ToJson(decision)), {}, std::move(signer));
}

// ------------------------------------------------------------------ reliance

ClientCore::Task<json::object> ClientCore::CreateRelianceAgreement(std::string tenant,
                                                                   NewRelianceAgreement agreement) {
  co_return co_await CallJson("POST", TenantPath(tenant) + "/reliance-agreements",
                              json::serialize(ToJson(agreement)), false);
}

ClientCore::Task<Peer> ClientCore::AddPeer(std::string tenant, NewPeer peer) {
  co_return co_await SendAs<Peer>("POST", TenantPath(tenant) + "/peers", ToJson(peer), false);
}

ClientCore::Task<Peer> ClientCore::GetPeer(std::string tenant, std::string peer_id) {
  co_return co_await GetAs<Peer>(TenantPath(tenant) + "/peers/" + Enc(peer_id));
}

ClientCore::Task<std::vector<Peer>> ClientCore::ListPeers(std::string tenant) {
  co_return co_await GetList<Peer>(TenantPath(tenant) + "/peers", "peers");
}

ClientCore::Task<std::vector<ForeignDecision>> ClientCore::Reliance(std::string tenant,
                                                                    std::string submission) {
  co_return co_await GetList<ForeignDecision>(SubmissionPath(tenant, submission) + "/reliance", "decisions");
}

}  // namespace dossier::client
