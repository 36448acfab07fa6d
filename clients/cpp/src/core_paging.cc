// ClientCore: one page of each paged list route (client.h "Paged lists") and
// the whole-list calls built on those pages. A page is one GET with
// pageSize / pageToken; the answer's nextPageToken names the next one.
#include "core.h"

namespace dossier::client {
namespace json = boost::json;
using internal::Enc;
using internal::PageTarget;
using internal::TenantPath;

std::string internal::PageTarget(std::string target, const std::string& page_token, int page_size) {
  char sep = target.find('?') == std::string::npos ? '?' : '&';
  if (page_size > 0) {
    target += sep + std::string("pageSize=") + std::to_string(page_size);
    sep = '&';
  }
  if (!page_token.empty()) target += sep + std::string("pageToken=") + Enc(page_token);
  return target;
}

namespace {

StatusOr<std::string> NextPageToken(const json::object& answer) {
  const json::value* next = answer.if_contains("nextPageToken");
  if (next == nullptr || next->is_null()) return std::string();
  if (!next->is_string())
    return Status(StatusCode::kDataLoss, "must be a string", "bad-response", "nextPageToken");
  return std::string(next->as_string());
}

}  // namespace

ClientCore::Task<JsonPage> ClientCore::GetJsonPage(std::string target, std::string member,
                                                   std::string page_token, int page_size) {
  CO_ASSIGN_OR_RETURN(
      auto answer, co_await CallJson("GET", PageTarget(std::move(target), page_token, page_size), {}, true));
  JsonPage page;
  CO_ASSIGN_OR_RETURN(page.next_page_token, NextPageToken(answer));
  const json::value* list = answer.if_contains(member);
  if (list == nullptr) co_return page;
  if (!list->is_array()) co_return Status(StatusCode::kDataLoss, "must be a list", "bad-response", member);
  for (const auto& item : list->as_array()) {
    if (!item.is_object()) {
      co_return Status(StatusCode::kDataLoss, "must be a list of objects", "bad-response",
                       member + "[" + std::to_string(page.items.size()) + "]");
    }
    page.items.push_back(json::serialize(item));
  }
  co_return page;
}

ClientCore::Task<SubmissionPage> ClientCore::GetSubmissionPage(std::string target, std::string page_token,
                                                               int page_size) {
  CO_ASSIGN_OR_RETURN(
      auto answer, co_await CallJson("GET", PageTarget(std::move(target), page_token, page_size), {}, true));
  SubmissionPage page;
  CO_ASSIGN_OR_RETURN(page.next_page_token, NextPageToken(answer));
  CO_ASSIGN_OR_RETURN(page.items, internal::ListFromJson<Submission>(answer, "submissions"));
  co_return page;
}

ClientCore::Task<SubmissionPage> ClientCore::ListSubmissionsPage(std::string tenant, std::string page_token,
                                                                 int page_size) {
  co_return co_await GetSubmissionPage(TenantPath(tenant) + "/submissions", std::move(page_token), page_size);
}
ClientCore::Task<SubmissionPage> ClientCore::InboxPage(std::string tenant, std::string page_token,
                                                       int page_size) {
  co_return co_await GetSubmissionPage(TenantPath(tenant) + "/inbox", std::move(page_token), page_size);
}
ClientCore::Task<JsonPage> ClientCore::ListModificationsPage(std::string tenant, std::string plan,
                                                             std::string page_token, int page_size) {
  co_return co_await GetJsonPage(ObjectPath(tenant, ObjectKind::kChangePlan, plan) + "/modifications",
                                 "modifications", std::move(page_token), page_size);
}
ClientCore::Task<JsonPage> ClientCore::PerformanceReportsPage(std::string tenant, std::string plan,
                                                              std::string page_token, int page_size) {
  co_return co_await GetJsonPage(ObjectPath(tenant, ObjectKind::kChangePlan, plan) + "/performance-reports",
                                 "reports", std::move(page_token), page_size);
}
ClientCore::Task<JsonPage> ClientCore::AlertsPage(std::string tenant, std::string page_token, int page_size) {
  co_return co_await GetJsonPage(TenantPath(tenant) + "/alerts", "alerts", std::move(page_token), page_size);
}
ClientCore::Task<JsonPage> ClientCore::ListReviewTimelinesPage(std::string tenant, std::string page_token,
                                                               int page_size) {
  co_return co_await GetJsonPage(TenantPath(tenant) + "/review-timelines", "timelines", std::move(page_token),
                                 page_size);
}

ClientCore::Task<JsonPage> ClientCore::TenantLedgerPage(std::string tenant, std::string dossier,
                                                        std::string as_of, std::string page_token,
                                                        int page_size) {
  std::string target = TenantPath(tenant) + "/ledger";
  char sep = '?';
  if (!dossier.empty()) {
    target += sep + std::string("dossier=") + Enc(dossier);
    sep = '&';
  }
  if (!as_of.empty()) target += sep + std::string("asOf=") + Enc(as_of);
  co_return co_await GetJsonPage(std::move(target), "submissions", std::move(page_token), page_size);
}

// `tenant` "": the operator's log (GET /v1/audit). The target is built
// before the co_await: GCC 12 destroys a temporary of a conditional
// expression in a co_await's arguments twice.
ClientCore::Task<JsonPage> ClientCore::AuditLogPage(std::string tenant, std::string page_token,
                                                    int page_size) {
  std::string target = "/v1/audit";
  if (!tenant.empty()) target = TenantPath(tenant) + "/audit";
  co_return co_await GetJsonPage(std::move(target), "entries", std::move(page_token), page_size);
}

// The whole lists: every page, in pages of 500. (A loop in each coroutine:
// GCC 12 frees a bad pointer in a coroutine template that co_awaits a lambda's
// awaitable.)
ClientCore::Task<std::vector<JsonText>> ClientCore::ListReviewTimelines(std::string tenant) {
  std::vector<JsonText> all;
  std::string token;
  do {
    CO_ASSIGN_OR_RETURN(JsonPage page, co_await ListReviewTimelinesPage(tenant, token, 500));
    for (auto& item : page.items) all.push_back(std::move(item));
    token = std::move(page.next_page_token);
  } while (!token.empty());
  co_return all;
}

ClientCore::Task<std::vector<JsonText>> ClientCore::AuditLog(std::string tenant) {
  std::vector<JsonText> all;
  std::string token;
  do {
    CO_ASSIGN_OR_RETURN(JsonPage page, co_await AuditLogPage(tenant, token, 500));
    for (auto& item : page.items) all.push_back(std::move(item));
    token = std::move(page.next_page_token);
  } while (!token.empty());
  co_return all;
}

}  // namespace dossier::client
