// Section comments: threads on a ToC heading (optionally one document) of a
// submitted version, between the receiving regulator's reviewers and the
// manufacturer, open or resolved. Threads live in the regulator's tenant
// (like its decisions); the two parties read them through their own copy of
// the submission, and a relying regulator only where the reviewing
// regulator's reliance agreement includes review reports. Anyone else gets
// 404 from the one authorisation check. An additional-information request can
// be drafted from the open threads (the reviewer then signs and records it).
#include <algorithm>
#include <cstdio>
#include <map>

#include "common/random.h"
#include "schema/correspondence/review_clock.h"
#include "schema/toc.h"
#include "server/api_services.h"
#include "server/json_util.h"
#include "server/ledger.h"
#include "server/reliance.h"
#include "server/submission_records.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

constexpr std::string_view kThreads = "comment-threads";    // id "<submission>/<thread>"
constexpr std::string_view kMessages = "comment-messages";  // id "<submission>/<thread>/<ms>-<hex>"
constexpr size_t kMaxText = 16 * 1024;

StatusOr<std::string> RequiredText(const json::object& body) {
  DOSSIER_ASSIGN_OR_RETURN(std::string text, RequiredString(body, {"text"}));
  if (text.size() > kMaxText) return InvalidArgument("is longer than 16 KiB", "text-too-long", "text");
  return text;
}

// Record ids sort by time: the message's millisecond, zero-padded, then a random suffix.
StatusOr<std::string> MessageId(const std::string& thread_key) {
  DOSSIER_ASSIGN_OR_RETURN(std::string suffix, ::dossier::RandomHex(4));
  char ms[24];
  std::snprintf(ms, sizeof ms, "%015lld", static_cast<long long>(NowMs()));
  return thread_key + "/" + ms + "-" + suffix;
}

class CommentRoutes {
 public:
  explicit CommentRoutes(ApiServices& api) : api_(api) {}

  void Register(const std::shared_ptr<CommentRoutes>& self) {
    const std::string base = "/v1/tenants/{t}/submissions/{s}/comments";
    api_.AddRoute({.method = "GET",
                   .pattern = base,
                   .access = Access::kTenantViewerOrReliancePeer,
                   .summary = "Comment threads on a submission (its two parties; a relying regulator whose "
                              "agreement includes review reports)",
                   .tag = "comments",
                   .handler = Bind(self, &CommentRoutes::List),
                   .response_schema = "CommentThreadList"});
    api_.AddRoute(
        {.method = "POST",
         .pattern = base,
         .access = Access::kTenantEditorOrReviewer,
         .summary = "Open a comment thread on a ToC heading (optionally one document)",
         .tag = "comments",
         .handler = Bind(self, &CommentRoutes::Open),
         .request_example = R"({"heading":"2.04.01","text":"Describe the input image constraints."})",
         .request_schema = "CommentThreadCreate",
         .response_schema = "CommentThread"});
    api_.AddRoute({.method = "POST",
                   .pattern = base + "/{c}/messages",
                   .access = Access::kTenantEditorOrReviewer,
                   .summary = "Reply in a comment thread",
                   .tag = "comments",
                   .handler = Bind(self, &CommentRoutes::Reply),
                   .request_example = R"({"text":"See the updated 2.04.01, section 3."})",
                   .request_schema = "CommentMessageCreate",
                   .response_schema = "CommentMessage"});
    api_.AddRoute({.method = "POST",
                   .pattern = base + "/{c}:resolve",
                   .access = Access::kTenantEditorOrReviewer,
                   .summary = "Mark a comment thread resolved",
                   .tag = "comments",
                   .handler = Bind(self, &CommentRoutes::MarkResolved),
                   .response_schema = "CommentThread"});
    api_.AddRoute({.method = "POST",
                   .pattern = base + "/{c}:reopen",
                   .access = Access::kTenantEditorOrReviewer,
                   .summary = "Reopen a resolved comment thread",
                   .tag = "comments",
                   .handler = Bind(self, &CommentRoutes::Reopen),
                   .response_schema = "CommentThread"});
    api_.AddRoute({.method = "POST",
                   .pattern = base + ":draft-ai-request",
                   .access = Access::kTenantEditorOrReviewer,
                   .summary = "Draft an additional-information request (unsigned ledger event) from the open "
                              "threads (the receiving regulator)",
                   .tag = "comments",
                   .handler = Bind(self, &CommentRoutes::DraftAiRequest),
                   .request_example = R"({"occurredOn":"2026-02-14","dueOn":"2026-08-13"})",
                   .request_schema = "AiRequestDraftCreate",
                   .response_schema = "AiRequestDraft"});
  }

 private:
  struct Context {
    json::object record;
    std::string reviewer;  // the regulator's tenant, where the threads live
    std::string party;     // agency | manufacturer | relying-regulator
  };

  // The submission as the caller may see it; a relying regulator reads only.
  StatusOr<Context> CallerView(RouteContext& c, bool write) {
    const std::string& tenant = c.Param("t");
    const std::string& id = c.Param("s");
    auto& store = api_.store();
    const bool peer = c.principal && c.principal->tenant != tenant;
    DOSSIER_ASSIGN_OR_RETURN(SubmissionCopy found, FindSubmission(store, tenant, id));
    if (peer) {
      // Admitted by a valid agreement from `tenant`; it must be the reviewer
      // and the agreement must include review reports.
      DOSSIER_ASSIGN_OR_RETURN(std::string text,
                               store.GetRecord(tenant, reliance::kAgreements, c.principal->tenant));
      DOSSIER_ASSIGN_OR_RETURN(json::object agreement, reliance::ParseStoredObject(text, "agreement"));
      const json::value* reports = agreement.if_contains("includeReviewReports");
      if (write || !found.is_regulator || (reports && reports->is_bool() && !reports->as_bool()))
        return NotFound("submission " + id + " not found");
    }
    Context ctx{std::move(found.record), "",
                peer                 ? "relying-regulator"
                : found.is_regulator ? "agency"
                                     : "manufacturer"};
    ctx.reviewer = StringMember(ctx.record, "agency");
    return ctx;
  }

  StatusOr<json::object> LoadThread(const Context& ctx, const std::string& key) {
    DOSSIER_ASSIGN_OR_RETURN(std::string text, api_.store().GetRecord(ctx.reviewer, kThreads, key));
    return ParseJsonObject(text);
  }

  // Every thread of the submission with its messages, oldest first.
  StatusOr<json::array> Threads(const Context& ctx) {
    auto& store = api_.store();
    const std::string prefix = StringMember(ctx.record, "id") + "/";
    std::vector<json::object> threads;
    std::map<std::string, json::array> messages;
    for (std::string_view collection : {kThreads, kMessages}) {
      std::string token = prefix;
      while (true) {
        DOSSIER_ASSIGN_OR_RETURN(auto page, store.ListRecords(ctx.reviewer, collection, token, 500));
        bool past = false;
        for (const auto& [id, text] : page.items) {
          if (id.rfind(prefix, 0) != 0) {
            past = true;
            break;
          }
          DOSSIER_ASSIGN_OR_RETURN(json::object o, ParseJsonObject(text));
          if (collection == kThreads) {
            threads.push_back(std::move(o));
          } else {
            messages[id.substr(prefix.size(), id.find('/', prefix.size()) - prefix.size())].push_back(
                std::move(o));
          }
        }
        if (past || page.next_page_token.empty()) break;
        token = page.next_page_token;
      }
    }
    std::stable_sort(threads.begin(), threads.end(), [](const json::object& a, const json::object& b) {
      return StringMember(a, "openedAt") < StringMember(b, "openedAt");
    });
    json::array out;
    for (auto& t : threads) {
      t["messages"] = std::move(messages[StringMember(t, "id")]);
      out.push_back(std::move(t));
    }
    return out;
  }

  StatusOr<Response> List(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Context ctx, CallerView(c, false));
    DOSSIER_ASSIGN_OR_RETURN(json::array threads, Threads(ctx));
    return Response::Json(
        200, json::serialize(json::object{{"submission", c.Param("s")}, {"threads", std::move(threads)}}));
  }

  json::object Message(const RouteContext& c, const Context& ctx, const std::string& text) {
    return {
        {"author", c.principal->tenant}, {"party", ctx.party}, {"text", text}, {"at", FormatTime(NowMs())}};
  }

  StatusOr<Response> Open(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Context ctx, CallerView(c, true));
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(body, {"heading", "document", "text"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string heading, RequiredString(body, {"heading"}));
    DOSSIER_ASSIGN_OR_RETURN(auto document, OptionalString(body, {"document"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string text, RequiredText(body));
    const std::string edition = StringMember(ctx.record, "tocEdition");
    if (!schema::TocCatalog::BuiltIn().Find(edition, heading)) {
      return InvalidArgument("no heading " + heading + " in ToC edition " + edition, "unknown-heading",
                             "heading");
    }
    if (document) {
      bool granted = false;
      if (const json::value* docs = ctx.record.if_contains("documents"); docs && docs->is_array()) {
        for (const auto& d : docs->as_array())
          granted = granted || (d.is_string() && d.as_string() == *document);
      }
      if (!granted)
        return InvalidArgument("not a document of this submission", "unknown-document", "document");
    }
    DOSSIER_ASSIGN_OR_RETURN(std::string hex, ::dossier::RandomHex(6));
    const std::string id = "c-" + hex;
    const std::string key = c.Param("s") + "/" + id;
    json::object thread{{"id", id},
                        {"submission", c.Param("s")},
                        {"heading", heading},
                        {"status", "open"},
                        {"openedBy", c.principal->tenant},
                        {"openedByParty", ctx.party},
                        {"openedAt", FormatTime(NowMs())}};
    if (document) thread["document"] = *document;
    DOSSIER_ASSIGN_OR_RETURN(std::string message_id, MessageId(key));
    using Mode = storage::RecordWrite::Mode;
    DOSSIER_RETURN_IF_ERROR(api_.store().WriteRecords(
        {{ctx.reviewer, std::string(kThreads), key, json::serialize(thread), Mode::kCreate},
         {ctx.reviewer, std::string(kMessages), message_id, json::serialize(Message(c, ctx, text)),
          Mode::kCreate}}));
    thread["messages"] = json::array{Message(c, ctx, text)};
    Response r = Response::Json(201, json::serialize(thread));
    r.headers.emplace_back(
        "Location", "/v1/tenants/" + c.Param("t") + "/submissions/" + c.Param("s") + "/comments/" + id);
    return r;
  }

  StatusOr<Response> Reply(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Context ctx, CallerView(c, true));
    const std::string key = c.Param("s") + "/" + c.Param("c");
    DOSSIER_ASSIGN_OR_RETURN(json::object thread, LoadThread(ctx, key));
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(body, {"text"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string text, RequiredText(body));
    DOSSIER_ASSIGN_OR_RETURN(std::string message_id, MessageId(key));
    json::object message = Message(c, ctx, text);
    DOSSIER_RETURN_IF_ERROR(
        api_.store().WriteRecords({{ctx.reviewer, std::string(kMessages), message_id,
                                    json::serialize(message), storage::RecordWrite::Mode::kCreate}}));
    return Response::Json(201, json::serialize(message));
  }

  StatusOr<Response> SetStatus(RouteContext& c, const std::string& status) {
    DOSSIER_ASSIGN_OR_RETURN(Context ctx, CallerView(c, true));
    const std::string key = c.Param("s") + "/" + c.Param("c");
    // Resolve and reopen read the thread and write it back: one at a time.
    std::lock_guard<std::mutex> one_change(api_.RecordLock(kThreads, ctx.reviewer + "/" + key));
    DOSSIER_ASSIGN_OR_RETURN(json::object thread, LoadThread(ctx, key));
    if (StringMember(thread, "status") != status) {
      thread["status"] = status;
      thread[status == "resolved" ? "resolvedBy" : "reopenedBy"] = c.principal->tenant;
      thread[status == "resolved" ? "resolvedAt" : "reopenedAt"] = FormatTime(NowMs());
      DOSSIER_RETURN_IF_ERROR(
          api_.store().WriteRecords({{ctx.reviewer, std::string(kThreads), key, json::serialize(thread)}}));
    }
    return Response::Json(200, json::serialize(thread));
  }
  StatusOr<Response> MarkResolved(RouteContext& c) { return SetStatus(c, "resolved"); }
  StatusOr<Response> Reopen(RouteContext& c) { return SetStatus(c, "open"); }

  StatusOr<Response> DraftAiRequest(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Context ctx, CallerView(c, true));
    if (ctx.party != "agency")
      return PermissionDenied("the receiving regulator requests additional information", "not-your-event");
    json::object body;
    if (!c.request.body.empty()) {
      DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
      DOSSIER_ASSIGN_OR_RETURN(body, ParseJsonObject(c.request.body));
    }
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(body, {"occurredOn", "dueOn"}));
    DOSSIER_ASSIGN_OR_RETURN(auto occurred, OptionalString(body, {"occurredOn"}));
    DOSSIER_ASSIGN_OR_RETURN(auto due, OptionalString(body, {"dueOn"}));
    if (occurred) DOSSIER_RETURN_IF_ERROR(correspondence::ParseDay(*occurred, "occurredOn").status());
    if (due) DOSSIER_RETURN_IF_ERROR(correspondence::ParseDay(*due, "dueOn").status());
    DOSSIER_ASSIGN_OR_RETURN(json::array threads, Threads(ctx));
    json::array deficiencies;
    for (const auto& t : threads) {
      const json::object& thread = t.as_object();
      if (StringMember(thread, "status") != "open") continue;
      const json::array& messages = thread.at("messages").as_array();
      json::object d{
          {"id", "D" + std::to_string(deficiencies.size() + 1)},
          {"heading", StringMember(thread, "heading")},
          {"text", messages.empty() ? std::string() : StringMember(messages[0].as_object(), "text")},
          {"comment", StringMember(thread, "id")}};
      if (thread.contains("document")) d["document"] = thread.at("document");
      deficiencies.push_back(std::move(d));
    }
    if (deficiencies.empty())
      return FailedPrecondition("no open comment thread to request information on", "no-open-comments");
    json::object event{{"submission", c.Param("s")},
                       {"type", "ai-request"},
                       {"occurredOn", occurred.value_or(correspondence::FormatDay(TodayDay()))},
                       {"deficiencies", std::move(deficiencies)}};
    if (due) event["dueOn"] = *due;
    return Response::Json(
        200, json::serialize(json::object{{"mediaType", std::string(kLedgerEventMediaBase) + "+json"},
                                          {"object", "submissions/" + c.Param("s") + "/ledger"},
                                          {"event", std::move(event)}}));
  }

  ApiServices& api_;
};

}  // namespace

void AddCommentRoutes(ApiServices& services) {
  services.AddSchema("CommentMessage", R"json({"type":"object",
    "properties":{"id":{"type":"string"},"author":{"type":"string"},"party":{"type":"string"},
      "text":{"type":"string"},"at":{"type":"string","format":"date-time"}}})json");
  services.AddSchema("CommentMessageCreate",
                     R"json({"type":"object","required":["text"],"additionalProperties":false,
    "properties":{"text":{"type":"string","maxLength":16384}}})json");
  services.AddSchema("CommentThreadCreate",
                     R"json({"type":"object","required":["heading","text"],"additionalProperties":false,
    "properties":{"heading":{"type":"string","description":"a ToC heading of the submitted version's edition"},
      "document":{"type":"string","description":"a document digest of the submission"},
      "text":{"type":"string","maxLength":16384}}})json");
  services.AddSchema("CommentThread", R"json({"type":"object","required":["id","heading","status"],
    "properties":{"id":{"type":"string"},"submission":{"type":"string"},"heading":{"type":"string"},
      "document":{"type":"string"},"status":{"type":"string","enum":["open","resolved"]},
      "openedBy":{"type":"string"},"openedByParty":{"type":"string"},"openedAt":{"type":"string","format":"date-time"},
      "messages":{"type":"array","items":{"$ref":"#/components/schemas/CommentMessage"}}}})json");
  services.AddSchema("CommentThreadList", R"json({"type":"object","required":["threads"],
    "properties":{"submission":{"type":"string"},"threads":{"type":"array","items":{"$ref":"#/components/schemas/CommentThread"}}}})json");
  services.AddSchema("AiRequestDraftCreate", R"json({"type":"object","additionalProperties":false,
    "properties":{"occurredOn":{"type":"string","format":"date"},"dueOn":{"type":"string","format":"date"}}})json");
  services.AddSchema("AiRequestDraft", R"json({"type":"object","required":["mediaType","object","event"],
    "properties":{"mediaType":{"type":"string"},"object":{"type":"string"},
      "event":{"type":"object","required":["submission","type","occurredOn","deficiencies"],
        "description":"an unsigned ai-request ledger event, one deficiency per open thread (docs/CORRESPONDENCE.md)",
        "additionalProperties":true,
        "properties":{"submission":{"type":"string"},"type":{"const":"ai-request"},
          "occurredOn":{"type":"string","format":"date"},
          "deficiencies":{"type":"array","items":{"type":"object","additionalProperties":true,
            "properties":{"id":{"type":"string"},"heading":{"type":"string"},"text":{"type":"string"}}}}}}}})json");
  auto routes = std::make_shared<CommentRoutes>(services);
  routes->Register(routes);
}

}  // namespace dossier::server
