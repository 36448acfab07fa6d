// ClientCore: the correspondence ledger (signed events of both parties), review
// clocks, section comments and configured review timelines (docs/CORRESPONDENCE.md).
#include "core.h"

namespace dossier::client {
namespace json = boost::json;
using internal::Enc;
using internal::SubmissionPath;

namespace {

std::string WithAsOf(std::string target, const std::string& as_of, char sep = '?') {
  if (!as_of.empty()) target += sep + std::string("asOf=") + Enc(as_of);
  return target;
}

}  // namespace

ClientCore::Task<CommitResult> ClientCore::RecordLedgerEvent(std::string tenant, std::string event_json,
                                                             SigningKey signer) {
  CO_ASSIGN_OR_RETURN(json::object event, internal::ParseCallerObject(event_json, "event"));
  const json::value* s = event.if_contains("submission");
  if (!s || !s->is_string() || s->as_string().empty()) {
    co_return InvalidArgument("the event names no submission", "missing-field", "submission");
  }
  const std::string submission(s->as_string());
  // The next version of this tenant's ledger object on the submission.
  CO_ASSIGN_OR_RETURN(auto ledger, co_await GetLedger(tenant, submission, {}));
  uint64_t head = 0;
  std::string parent;
  if (const json::value* events = ledger.if_contains("events"); events && events->is_array()) {
    for (const auto& e : events->as_array()) {
      const json::object& o = e.as_object();
      const json::value* by = o.if_contains("recordedBy");
      const json::value* type = o.if_contains("type");
      const json::value* is_signed = o.if_contains("signed");
      if (!by || !by->is_string() || by->as_string() != tenant || !type || type->as_string() == "decision" ||
          !is_signed || !is_signed->is_bool() || !is_signed->as_bool())
        continue;
      const uint64_t n = o.at("version").to_number<uint64_t>();
      if (n > head) {
        head = n;
        parent = std::string(o.at("digest").as_string());
      }
    }
  }
  trust::Statement statement;
  statement.tenant = tenant;
  statement.object = "submissions/" + submission + "/ledger";
  statement.version = head + 1;
  statement.parent_digest = parent;
  statement.media_type = std::string(kLedgerEventJson);
  co_return co_await CommitStatement(std::move(statement), SubmissionPath(tenant, submission) + "/ledger",
                                     json::serialize(event), {}, std::move(signer));
}

ClientCore::Task<json::object> ClientCore::GetLedger(std::string tenant, std::string submission,
                                                     std::string as_of) {
  co_return co_await CallJson("GET", WithAsOf(SubmissionPath(tenant, submission) + "/ledger", as_of), {},
                              true);
}

ClientCore::Task<json::object> ClientCore::GetClock(std::string tenant, std::string submission,
                                                    std::string as_of) {
  co_return co_await CallJson("GET", WithAsOf(SubmissionPath(tenant, submission) + "/clock", as_of), {},
                              true);
}

ClientCore::Task<json::object> ClientCore::TenantLedger(std::string tenant, std::string dossier,
                                                        std::string as_of) {
  std::string target = "/v1/tenants/" + Enc(tenant) + "/ledger";
  char sep = '?';
  if (!dossier.empty()) {
    target += "?dossier=" + Enc(dossier);
    sep = '&';
  }
  co_return co_await GetAllPages(WithAsOf(std::move(target), as_of, sep), "submissions");
}

ClientCore::Task<json::object> ClientCore::ListComments(std::string tenant, std::string submission) {
  co_return co_await CallJson("GET", SubmissionPath(tenant, submission) + "/comments", {}, true);
}

ClientCore::Task<json::object> ClientCore::OpenCommentThread(std::string tenant, std::string submission,
                                                             NewCommentThread thread) {
  json::object body;
  body["heading"] = thread.heading;
  body["text"] = thread.text;
  if (!thread.document.empty()) body["document"] = thread.document;
  co_return co_await CallJson("POST", SubmissionPath(tenant, submission) + "/comments", json::serialize(body),
                              false);
}

ClientCore::Task<json::object> ClientCore::ReplyToComment(std::string tenant, std::string submission,
                                                          std::string thread, std::string text) {
  // Built before the co_await: GCC 12 rejects a braced json::object inside the awaited call.
  json::object body;
  body["text"] = std::move(text);
  co_return co_await CallJson("POST",
                              SubmissionPath(tenant, submission) + "/comments/" + Enc(thread) + "/messages",
                              json::serialize(body), false);
}

ClientCore::Task<json::object> ClientCore::SetCommentResolved(std::string tenant, std::string submission,
                                                              std::string thread, bool resolved) {
  co_return co_await CallJson(
      "POST",
      SubmissionPath(tenant, submission) + "/comments/" + Enc(thread) + (resolved ? ":resolve" : ":reopen"),
      {}, true);
}

ClientCore::Task<json::object> ClientCore::DraftAiRequest(std::string tenant, std::string submission,
                                                          std::string occurred_on, std::string due_on) {
  json::object body;
  if (!occurred_on.empty()) body["occurredOn"] = occurred_on;
  if (!due_on.empty()) body["dueOn"] = due_on;
  CO_ASSIGN_OR_RETURN(
      auto answer,
      co_await CallJson("POST", SubmissionPath(tenant, submission) + "/comments:draft-ai-request",
                        json::serialize(body), true));
  const json::value* event = answer.if_contains("event");
  if (!event || !event->is_object()) co_return DataLoss("the draft carries no event", "bad-response");
  co_return event->as_object();
}

ClientCore::Task<json::object> ClientCore::SetReviewTimeline(std::string tenant, std::string timeline_json) {
  CO_ASSIGN_OR_RETURN(json::object timeline, internal::ParseCallerObject(timeline_json, "timeline"));
  co_return co_await CallJson("POST", "/v1/tenants/" + Enc(tenant) + "/review-timelines",
                              json::serialize(timeline), true);
}

}  // namespace dossier::client
