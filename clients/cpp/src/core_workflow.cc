// ClientCore: the calls that let the whole workflow run through the SDK
// (issue 15): executed modifications recorded against a change plan, the
// manufacturer's outbox and withdrawal, what a receiving regulator reads
// through a submission (readiness, export, the exact content and its
// documents), decisions signed from a file and their offline bundles, and
// reliance agreements.
#include <boost/json.hpp>

#include "common/time.h"
#include "core.h"
#include "trust/digest.h"
#include "trust/feed_evidence.h"
#include "trust/json_forms.h"

namespace dossier::client {
namespace json = boost::json;
namespace fs = std::filesystem;
using internal::Enc;
using internal::HttpRequest;
using internal::SubmissionPath;
using internal::TenantPath;

namespace {

// The objects of array member `member` (an answer's list of records).
StatusOr<std::vector<json::object>> ObjectList(const json::object& answer, std::string_view member) {
  std::vector<json::object> out;
  const json::value* list = answer.if_contains(member);
  if (list == nullptr) return out;
  if (!list->is_array())
    return Status(StatusCode::kDataLoss, "must be a list", "bad-response", std::string(member));
  for (const auto& item : list->as_array()) {
    if (!item.is_object()) {
      return Status(StatusCode::kDataLoss, "must be a list of objects", "bad-response",
                    std::string(member) + "[" + std::to_string(out.size()) + "]");
    }
    out.push_back(item.as_object());
  }
  return out;
}

}  // namespace

// ------------------------------------------------ change-plan modifications

ClientCore::Task<json::object> ClientCore::RecordModification(std::string tenant, std::string plan,
                                                              std::string record_json) {
  // Not idempotent: every POST records one more executed modification.
  co_return co_await CallJson("POST", ObjectPath(tenant, ObjectKind::kChangePlan, plan) + "/modifications",
                              std::move(record_json), false);
}

ClientCore::Task<std::vector<json::object>> ClientCore::ListModifications(std::string tenant,
                                                                          std::string plan) {
  std::vector<json::object> all;
  std::string token;
  do {
    std::string target = internal::PageTarget(
        ObjectPath(tenant, ObjectKind::kChangePlan, plan) + "/modifications", token, 500);
    CO_ASSIGN_OR_RETURN(auto page, co_await CallJson("GET", std::move(target), {}, true));
    CO_ASSIGN_OR_RETURN(auto items, ObjectList(page, "modifications"));
    for (auto& item : items) all.push_back(std::move(item));
    const json::value* next = page.if_contains("nextPageToken");
    token = next && next->is_string() ? std::string(next->as_string()) : std::string();
  } while (!token.empty());
  co_return all;
}

// ------------------------------------------------- the manufacturer's side

ClientCore::Task<std::vector<Submission>> ClientCore::ListSubmissions(std::string tenant) {
  co_return co_await GetList<Submission>(TenantPath(tenant) + "/submissions?pageSize=500", "submissions");
}

ClientCore::Task<Submission> ClientCore::WithdrawSubmission(std::string tenant, std::string submission) {
  co_return co_await SendAs<Submission>("POST", SubmissionPath(tenant, submission) + ":withdraw",
                                        json::object(), true);
}

ClientCore::Task<Submission> ClientCore::AttachChangePlan(std::string tenant, std::string submission,
                                                          std::string plan, uint64_t plan_version) {
  json::object body{{"changePlan", plan}, {"changePlanVersion", plan_version}};
  co_return co_await SendAs<Submission>("POST", SubmissionPath(tenant, submission) + ":attach-plan",
                                        std::move(body), true);
}

// ------------------------------------------------ the receiving regulator

ClientCore::Task<Submission> ClientCore::StartReview(std::string tenant, std::string submission) {
  co_return co_await SendAs<Submission>("POST", SubmissionPath(tenant, submission) + ":start-review",
                                        json::object(), true);
}

ClientCore::Task<json::object> ClientCore::SubmissionReadiness(std::string tenant, std::string submission,
                                                               std::string agency, std::string pathway) {
  std::string target = SubmissionPath(tenant, submission) + "/readiness";
  std::string sep = "?";
  if (!agency.empty()) target += sep + "agency=" + Enc(agency), sep = "&";
  if (!pathway.empty()) target += sep + "pathway=" + Enc(pathway);
  co_return co_await CallJson("GET", std::move(target), {}, true);
}

ClientCore::Task<ClientCore::Done> ClientCore::ExportSubmission(std::string tenant, std::string submission,
                                                                std::string format, fs::path path,
                                                                ProgressFn progress) {
  HttpRequest r;
  r.method = "GET";
  r.target = SubmissionPath(tenant, submission) + "/export?format=" + Enc(format);
  r.idempotent = true;
  r.response_file = std::move(path);
  r.progress = std::move(progress);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  (void)response;  // the body went to `path`
  co_return Done{};
}

ClientCore::Task<std::string> ClientCore::GetSubmissionContent(std::string tenant, std::string submission) {
  CO_ASSIGN_OR_RETURN(Submission s, co_await GetSubmission(tenant, submission));
  if (s.media_type.empty() || s.content_digest.empty()) {
    co_return DataLoss("the submission names no content digest or media type", "bad-response");
  }
  HttpRequest r;
  r.method = "GET";
  r.target = SubmissionPath(tenant, submission) + "/content";
  r.idempotent = true;
  // Asking for the stored media type gets the exact signed bytes, not a view.
  r.headers.emplace_back("Accept", s.media_type);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  if (trust::DigestRef(trust::Sha256(response.body)) != s.content_digest) {
    co_return DataLoss("the submitted content does not hash to " + s.content_digest, "digest-mismatch");
  }
  co_return std::move(response.body);
}

ClientCore::Task<BlobInfo> ClientCore::DownloadSubmissionDocument(std::string tenant, std::string submission,
                                                                  std::string digest, fs::path path,
                                                                  ProgressFn progress) {
  co_return co_await DownloadTo(SubmissionPath(tenant, submission) + "/blobs/" + digest, std::move(digest),
                                std::move(path), std::move(progress));
}

ClientCore::Task<CommitResult> ClientCore::CommitDecisionContent(std::string tenant, std::string submission,
                                                                 std::string content, SigningKey signer) {
  // The next version of the submission's decisions object, as CommitDecision.
  CO_ASSIGN_OR_RETURN(auto existing, co_await ListDecisions(tenant, submission));
  trust::Statement statement;
  statement.tenant = tenant;
  statement.object = "submissions/" + submission + "/decisions";
  statement.version = existing.size() + 1;
  statement.parent_digest = existing.empty() ? std::string() : existing.back().digest;
  statement.media_type = std::string(kDecisionJson);
  co_return co_await CommitStatement(std::move(statement), SubmissionPath(tenant, submission) + "/decisions",
                                     std::move(content), {}, std::move(signer));
}

ClientCore::Task<DecisionBundle> ClientCore::GetDecisionBundle(std::string tenant, std::string submission,
                                                               uint64_t version) {
  // The deciding regulator's feed carries every decision with its log
  // evidence against the page's checkpoint: page through it to the entry.
  const std::string object = "submissions/" + submission + "/decisions";
  uint64_t since = 0;
  for (;;) {
    CO_ASSIGN_OR_RETURN(
        auto page,
        co_await CallJson("GET", TenantPath(tenant) + "/feed?since=" + std::to_string(since) + "&limit=500",
                          {}, true));
    CO_ASSIGN_OR_RETURN(auto entries, ObjectList(page, "entries"));
    const json::value* note = page.if_contains("checkpoint");
    if (note == nullptr || !note->is_string()) {
      co_return DataLoss("the feed page has no checkpoint", "bad-response");
    }
    for (const auto& entry : entries) {
      const json::value* o = entry.if_contains("object");
      const json::value* v = entry.if_contains("version");
      if (!o || !o->is_string() || o->as_string() != object || !v || !v->is_number()) continue;
      if (v->to_number<uint64_t>() != version) continue;
      CO_ASSIGN_OR_RETURN(auto bundle, trust::BundleFromFeedEntry(entry, std::string(note->as_string())));
      CO_ASSIGN_OR_RETURN(auto content, trust::FeedEntryContent(entry));
      DecisionBundle out;
      out.json = json::serialize(trust::BundleToJson(bundle));
      out.bundle = std::move(bundle);
      out.content = content.value_or("");
      co_return out;
    }
    const json::value* more = page.if_contains("more");
    const json::value* next = page.if_contains("nextSince");
    if (!more || !more->is_bool() || !more->as_bool() || !next || !next->is_number() ||
        next->to_number<uint64_t>() <= since) {
      break;
    }
    since = next->to_number<uint64_t>();
  }
  co_return NotFound("decision version " + std::to_string(version) + " on submission " + submission +
                     " is not in this tenant's feed (yet: a decision enters it with the next checkpoint)");
}

// ------------------------------------------------------ reliance agreements

ClientCore::Task<std::vector<json::object>> ClientCore::ListRelianceAgreements(std::string tenant) {
  CO_ASSIGN_OR_RETURN(auto answer,
                      co_await CallJson("GET", TenantPath(tenant) + "/reliance-agreements", {}, true));
  co_return ObjectList(answer, "agreements");
}

ClientCore::Task<json::object> ClientCore::RevokeRelianceAgreement(std::string tenant, std::string peer) {
  // The server ends it now (validUntil = revokedAt = now), keeping its scope
  // and creation on record.
  co_return co_await CallJson("POST", TenantPath(tenant) + "/reliance-agreements/" + Enc(peer) + ":revoke",
                              "{}", true);
}

}  // namespace dossier::client
