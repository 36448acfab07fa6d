// ClientCore: what happens after a submission (issue 16 items 4-6): redline
// documents and response packages, export profiles and pinned submission
// exports, post-market performance reports and drift alerts.
#include "core.h"

namespace dossier::client {
namespace json = boost::json;
namespace fs = std::filesystem;
using internal::Enc;
using internal::HttpRequest;

using internal::SubmissionPath;
using internal::TenantPath;

// ------------------------------------------------------------------ redline

ClientCore::Task<ClientCore::Done> ClientCore::RedlineDocument(std::string tenant, std::string dossier,
                                                               uint64_t from, uint64_t to, std::string format,
                                                               fs::path path) {
  HttpRequest r;
  r.method = "GET";
  r.target = ObjectPath(tenant, ObjectKind::kDossier, dossier) + "/diff?from=" + std::to_string(from) +
             "&to=" + std::to_string(to) + "&format=" + Enc(format);
  r.idempotent = true;
  r.response_file = std::move(path);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  (void)response;  // the body went to `path`
  co_return Done{};
}

ClientCore::Task<ClientCore::Done> ClientCore::ResponsePackage(std::string tenant, std::string dossier,
                                                               uint64_t from, uint64_t to,
                                                               fs::path reply_letter, fs::path path) {
  CO_ASSIGN_OR_RETURN(auto letter, co_await UploadFile(tenant, reply_letter, true, nullptr));
  json::object body{{"from", from},
                    {"to", to},
                    {"replyLetter", letter.digest},
                    {"replyLetterName", reply_letter.filename().string()}};
  HttpRequest r;
  r.method = "POST";
  r.target = ObjectPath(tenant, ObjectKind::kDossier, dossier) + "/response-package";
  r.content_type = "application/json";
  r.body = json::serialize(body);
  r.idempotent = true;  // nothing is written by the server
  r.response_file = std::move(path);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  (void)response;
  co_return Done{};
}

// ---------------------------------------------------------- export profiles

ClientCore::Task<json::object> ClientCore::ExportProfiles() {
  co_return co_await CallJson("GET", "/v1/export-profiles", {}, true);
}

ClientCore::Task<ClientCore::Done> ClientCore::ExportSubmissionWithProfile(
    std::string tenant, std::string submission, std::string format, std::string profile, fs::path path) {
  HttpRequest r;
  r.method = "GET";
  r.target = SubmissionPath(tenant, submission) + "/export?format=" + Enc(format);
  if (!profile.empty()) r.target += "&profile=" + Enc(profile);
  r.idempotent = true;
  r.response_file = std::move(path);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  (void)response;
  co_return Done{};
}

// ----------------------------------------------------- post-market performance

ClientCore::Task<json::object> ClientCore::PerformanceReports(std::string tenant, std::string plan) {
  co_return co_await GetAllPages(ObjectPath(tenant, ObjectKind::kChangePlan, plan) + "/performance-reports",
                                 "reports");
}

ClientCore::Task<json::object> ClientCore::PostPerformanceReport(std::string tenant, std::string plan,
                                                                 std::string report_json, SigningKey signer) {
  // The next version of the plan's performance-report object: after the
  // last one listed (every page read).
  uint64_t last = 0;
  std::string parent, token;
  do {
    std::string target = internal::PageTarget(
        ObjectPath(tenant, ObjectKind::kChangePlan, plan) + "/performance-reports", token, 500);
    CO_ASSIGN_OR_RETURN(auto page, co_await CallJson("GET", std::move(target), {}, true));
    for (const auto& v : page.at("reports").as_array()) {
      last = v.at("version").to_number<uint64_t>();
      parent = std::string(v.at("digest").as_string());
    }
    const json::value* next = page.if_contains("nextPageToken");
    token = next && next->is_string() ? std::string(next->as_string()) : std::string();
  } while (!token.empty());
  trust::Statement statement;
  statement.tenant = tenant;
  statement.object = "change-plans/" + plan + "/performance-reports";
  statement.version = last + 1;
  statement.parent_digest = parent;
  statement.media_type = std::string(kPerformanceReportJson);
  CO_ASSIGN_OR_RETURN(
      auto committed,
      co_await CommitStatement(std::move(statement),
                               ObjectPath(tenant, ObjectKind::kChangePlan, plan) + "/performance-reports",
                               std::move(report_json), {}, std::move(signer)));
  co_return internal::ParseObject(committed.answer_json_text);
}

ClientCore::Task<json::object> ClientCore::Alerts(std::string tenant) {
  co_return co_await GetAllPages(TenantPath(tenant) + "/alerts", "alerts");
}

}  // namespace dossier::client
