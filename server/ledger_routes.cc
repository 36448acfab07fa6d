// The correspondence ledger routes: record a signed event, read a
// submission's merged ledger and its review clock, read a manufacturer's
// ledger across agencies (or a regulator's across its inbox), the clock rules
// as cited data, and notified bodies' configured review timelines.
// server/ledger.h has the model; docs/CORRESPONDENCE.md the API.
#include <mutex>

#include "server/json_util.h"
#include "server/ledger.h"
#include "server/openapi_schemas.h"
#include "server/submission_records.h"

namespace dossier::server {
namespace json = boost::json;
namespace cc = correspondence;

namespace {

// GET /v1/tenants/{t}/ledger: its filters and the paging every list takes.
std::vector<QueryParam> LedgerQuery() {
  std::vector<QueryParam> query{
      {.name = "dossier", .description = "Only the submissions of this dossier (device)"},
      {.name = "asOf",
       .description = "Day the review clock is read at (YYYY-MM-DD, default today UTC)",
       .format = "date"}};
  for (auto& p : PagingQuery()) query.push_back(std::move(p));
  return query;
}

class LedgerRoutes {
 public:
  explicit LedgerRoutes(ApiServices& api) : api_(api), event_kind_(LedgerEventKind()) {}

  void Register(const std::shared_ptr<LedgerRoutes>& self) {
    api_.AddRoute(
        {.method = "POST",
         .pattern = "/v1/tenants/{t}/submissions/{s}/ledger",
         .access = Access::kTenantEditorOrReviewer,
         .summary =
             "Record a signed correspondence event (sent, acknowledged, screening, ai-request, response, "
             "withdrawal) on this party's side",
         .tag = "ledger",
         .handler = Bind(self, &LedgerRoutes::Record),
         .request_example =
             R"({"contentDigest":"sha256:4c1d8e4b7a6c5d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9f","mediaType":"application/vnd.dossier.ledger-event.v1+json","envelope":{"payloadType":"application/vnd.dossier.statement.v1+json","payload":"eyJ0ZW5hbnQiOiJmZGEifQ==","signatures":[{"keyid":"7a2b","sig":"c2lnbmF0dXJl"}]}})",
         .request_schema = schemas::kCommitRequest,
         .response_schema = schemas::kCommitted,
         .query = IdempotencyKeyHeader()});
    api_.AddRoute(
        {.method = "GET",
         .pattern = "/v1/tenants/{t}/submissions/{s}/ledger",
         .access = Access::kTenantViewer,
         .summary = "A submission's correspondence ledger (both parties' events, decisions) and clock",
         .tag = "ledger",
         .handler = Bind(self, &LedgerRoutes::GetLedger),
         .response_schema = "Ledger",
         .query = {{.name = "asOf",
                    .description = "Day the review clock is read at (YYYY-MM-DD, default today UTC)",
                    .format = "date"}}});
    api_.AddRoute(
        {.method = "GET",
         .pattern = "/v1/tenants/{t}/submissions/{s}/clock",
         .access = Access::kTenantViewer,
         .summary = "A submission's review clock as its agency counts it (?asOf=YYYY-MM-DD)",
         .tag = "ledger",
         .handler = Bind(self, &LedgerRoutes::GetClock),
         .response_schema = "ReviewClock",
         .query = {{.name = "asOf",
                    .description = "Day the review clock is read at (YYYY-MM-DD, default today UTC)",
                    .format = "date"}}});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/ledger",
                   .access = Access::kTenantViewer,
                   .summary = "Every submission's ledger and clock: a manufacturer's across agencies "
                              "(?dossier= one device), a regulator's own",
                   .tag = "ledger",
                   .handler = Bind(self, &LedgerRoutes::TenantLedger),
                   .response_schema = "TenantLedger",
                   .query = LedgerQuery()});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/clock-rules",
                   .access = Access::kAuthenticated,
                   .summary = "The review-clock rules with source, section, binding level and verification",
                   .tag = "ledger",
                   .handler = Bind(self, &LedgerRoutes::Rules),
                   .response_schema = "ClockRules"});
    api_.AddRoute(
        {.method = "POST",
         .pattern = "/v1/tenants/{t}/review-timelines",
         .access = Access::kTenantAdmin,
         .summary = "Configure a contractual review timeline (notified bodies; agencies without rules)",
         .tag = "ledger",
         .handler = Bind(self, &LedgerRoutes::SetTimeline),
         .request_example =
             R"({"pathway":"annex-ix","manufacturer":"acme","reviewDays":120,"dayKind":"calendar","responseDays":90,"source":"Agreement NB-2026-17 §4.2"})",
         .request_schema = "ReviewTimeline",
         .response_schema = "ReviewTimeline"});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/review-timelines",
                   .access = Access::kTenantViewer,
                   .summary = "This agency's configured review timelines",
                   .tag = "ledger",
                   .handler = Bind(self, &LedgerRoutes::ListTimelines),
                   .response_schema = "ReviewTimelineList",
                   .query = PagingQuery()});
  }

 private:
  StatusOr<Response> Record(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    const std::string& id = c.Param("s");
    auto& store = api_.store();
    // Held from reading the submission to writing what the event changes in
    // it, so concurrent events, a withdrawal or a plan attachment never
    // overwrite each other's change of the record.
    std::lock_guard<std::mutex> one_change(api_.SubmissionLock(id));
    DOSSIER_ASSIGN_OR_RETURN(SubmissionCopy found, FindSubmission(store, tenant, id));
    DOSSIER_ASSIGN_OR_RETURN(auto ledger, LoadLedger(api_, found.record));
    if (!store.GetObject(tenant, kLedgerCollection, id).ok()) {
      storage::ObjectRecord object;
      object.set_tenant(tenant);
      object.set_kind(std::string(kLedgerCollection));
      object.set_id(id);
      object.set_title("correspondence on submission " + id);
      auto created = store.CreateObject(object);
      if (!created.ok() && created.status().reason() != "object-exists") return created.status();
    }
    SignedCommitRequest request;
    request.tenant = tenant;
    request.kind = std::string(kLedgerCollection);
    request.id = id;
    request.object_name = "submissions/" + id + "/ledger";
    request.content_kind = &event_kind_;
    request.request = &c.request;
    json::object event;
    request.check_content = [&](const ParsedContent& parsed) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(event, ParseJsonObject(parsed.canonical_json));
      if (StringMember(event, "submission") != id) {
        return InvalidArgument("the event must name submission " + id, "statement-mismatch", "submission");
      }
      return CheckLedgerEvent(api_, found.record, found.is_regulator, event, ledger);
    };
    DOSSIER_ASSIGN_OR_RETURN(SignedCommitResult result, api_.CommitSigned(request));
    // What the event changes in the submission; repeated (idempotently) when a
    // client re-posts the same envelope, so a crash between the commit and
    // this write is repaired by the client's retry.
    if (event.empty()) {  // a replayed commit: the content was not re-parsed
      DOSSIER_ASSIGN_OR_RETURN(std::string content, api_.LoadContent(tenant, result.version));
      DOSSIER_ASSIGN_OR_RETURN(event, ParseJsonObject(content));
    }
    DOSSIER_RETURN_IF_ERROR(ApplyToSubmission(found.record, event));
    return api_.CommitResponse(result.replayed ? 200 : 201, result.version, result.leaf_hash);
  }

  // A response grants the regulator the new dossier version and its
  // documents; a withdrawal closes the submission.
  Status ApplyToSubmission(json::object record, const json::object& event) {
    const std::string type = StringMember(event, "type");
    if (type == "withdrawal") {
      if (StringMember(record, "status") == "WITHDRAWN") return Status::Ok();
      record["status"] = "WITHDRAWN";
      record["updatedAt"] = FormatTime(NowMs());
      return WriteSubmissionCopies(api_.store(), record);
    }
    if (type != "response" || !event.contains("dossierVersion")) return Status::Ok();
    const uint64_t n = event.at("dossierVersion").to_number<uint64_t>();
    json::array versions;
    if (const json::value* old = record.if_contains("responseVersions"); old && old->is_array())
      versions = old->as_array();
    for (const auto& v : versions) {
      if (v.is_object() && v.as_object().at("version").to_number<uint64_t>() == n) return Status::Ok();
    }
    const std::string manufacturer = StringMember(record, "manufacturer");
    DOSSIER_ASSIGN_OR_RETURN(
        auto version, api_.store().GetVersion(manufacturer, "dossiers", StringMember(record, "dossier"), n));
    DOSSIER_ASSIGN_OR_RETURN(std::string content, api_.LoadContent(manufacturer, version));
    DOSSIER_ASSIGN_OR_RETURN(auto format,
                             schema::FormatOfMediaType(version.media_type(), "application/vnd.dossier.v1"));
    DOSSIER_ASSIGN_OR_RETURN(v1::Dossier dossier, schema::ParseDossier(content, format));
    json::array documents;
    if (const json::value* old = record.if_contains("documents"); old && old->is_array())
      documents = old->as_array();
    auto grant = [&](const std::string& digest) {
      for (const auto& d : documents) {
        if (d.is_string() && d.as_string() == digest) return;
      }
      documents.emplace_back(digest);
    };
    grant(version.content_digest());
    for (const auto& section : dossier.sections()) {
      for (const auto& doc : section.documents()) grant(doc.digest());
    }
    versions.push_back(json::object{{"version", n}, {"contentDigest", version.content_digest()}});
    record["documents"] = std::move(documents);
    record["responseVersions"] = std::move(versions);
    record["updatedAt"] = FormatTime(NowMs());
    return WriteSubmissionCopies(api_.store(), record);
  }

  StatusOr<json::object> LedgerView(const SubmissionCopy& found, int64_t as_of) {
    const json::object& r = found.record;
    DOSSIER_ASSIGN_OR_RETURN(auto ledger, LoadLedger(api_, r));
    DOSSIER_ASSIGN_OR_RETURN(cc::ReviewClock clock, SubmissionClock(api_, r, ledger, as_of));
    json::array events;
    std::string reference;
    for (auto& e : ledger) {
      if (e.clock_event.type == "acknowledged")
        reference = StringMember(e.view.at("event").as_object(), "reference");
      events.push_back(e.view);
    }
    json::object out{
        {"submission", StringMember(r, "id")},   {"manufacturer", StringMember(r, "manufacturer")},
        {"agency", StringMember(r, "agency")},   {"pathway", StringMember(r, "pathway")},
        {"dossier", StringMember(r, "dossier")}, {"status", StringMember(r, "status")},
        {"events", std::move(events)},           {"clock", cc::ClockToJson(clock, as_of)}};
    if (!reference.empty()) out["agencyReference"] = reference;
    return out;
  }

  StatusOr<Response> GetLedger(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(SubmissionCopy found, FindSubmission(api_.store(), c.Param("t"), c.Param("s")));
    DOSSIER_ASSIGN_OR_RETURN(int64_t as_of, AsOfDay(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object view, LedgerView(found, as_of));
    return Response::Json(200, json::serialize(view));
  }

  StatusOr<Response> GetClock(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(SubmissionCopy found, FindSubmission(api_.store(), c.Param("t"), c.Param("s")));
    DOSSIER_ASSIGN_OR_RETURN(int64_t as_of, AsOfDay(c.request));
    DOSSIER_ASSIGN_OR_RETURN(auto ledger, LoadLedger(api_, found.record));
    DOSSIER_ASSIGN_OR_RETURN(cc::ReviewClock clock, SubmissionClock(api_, found.record, ledger, as_of));
    json::object out = cc::ClockToJson(clock, as_of);
    out["submission"] = c.Param("s");
    return Response::Json(200, json::serialize(out));
  }

  // A manufacturer's submissions (its outbox, every agency) or a regulator's (its inbox).
  StatusOr<Response> TenantLedger(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    auto& store = api_.store();
    DOSSIER_ASSIGN_OR_RETURN(auto self, store.GetTenant(tenant));
    const bool regulator = self.kind() != "MANUFACTURER";
    DOSSIER_ASSIGN_OR_RETURN(int64_t as_of, AsOfDay(c.request));
    const std::string dossier = c.request.Query("dossier").value_or("");
    DOSSIER_ASSIGN_OR_RETURN(auto page,
                             store.ListRecords(tenant, regulator ? kInboxCollection : kOutboxCollection,
                                               api_.PageToken(c.request), api_.PageSize(c.request)));
    json::array items;
    for (const auto& [id, text] : page.items) {
      DOSSIER_ASSIGN_OR_RETURN(json::object record, ParseSubmissionRecord(text));
      if (!dossier.empty() && StringMember(record, "dossier") != dossier) continue;
      DOSSIER_ASSIGN_OR_RETURN(json::object view,
                               LedgerView(SubmissionCopy{std::move(record), regulator}, as_of));
      items.push_back(std::move(view));
    }
    json::object out{{"submissions", std::move(items)}};
    if (!page.next_page_token.empty()) out["nextPageToken"] = page.next_page_token;
    return Response::Json(200, json::serialize(out));
  }

  StatusOr<Response> Rules(RouteContext&) {
    json::array rules;
    for (const auto& r : cc::ClockRules()) {
      json::object o = cc::ClockRuleToJson(r);
      o["jurisdiction"] = r.jurisdiction;
      json::array pathways, classes;
      for (const auto& p : r.pathways) pathways.emplace_back(p);
      for (const auto& k : r.classes) classes.emplace_back(k);
      o["pathways"] = std::move(pathways);
      o["classes"] = std::move(classes);
      rules.push_back(std::move(o));
    }
    return Response::Json(200, json::serialize(json::object{{"rules", std::move(rules)}}));
  }

  StatusOr<Response> SetTimeline(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    auto& store = api_.store();
    DOSSIER_ASSIGN_OR_RETURN(auto self, store.GetTenant(tenant));
    if (self.kind() == "MANUFACTURER")
      return PermissionDenied("only an agency configures its review timelines", "not-a-regulator");
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(body, {"pathway", "manufacturer", "reviewDays", "dayKind",
                                                        "responseDays", "stopClock", "source", "section"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string pathway, RequiredString(body, {"pathway"}));
    if (pathway.size() > 64) return InvalidArgument("is too long", "bad-pathway", "pathway");
    DOSSIER_ASSIGN_OR_RETURN(auto manufacturer, OptionalString(body, {"manufacturer"}));
    if (manufacturer) DOSSIER_RETURN_IF_ERROR(ValidateId(*manufacturer, "manufacturer"));
    DOSSIER_ASSIGN_OR_RETURN(auto review_days, OptionalUint(body, {"reviewDays"}));
    if (!review_days || *review_days == 0 || *review_days > 3650)
      return InvalidArgument("is required (1..3650)", "missing-field", "reviewDays");
    DOSSIER_ASSIGN_OR_RETURN(std::string day_kind, RequiredString(body, {"dayKind"}));
    DOSSIER_RETURN_IF_ERROR(cc::ParseDayKind(day_kind, "dayKind").status());
    DOSSIER_ASSIGN_OR_RETURN(auto response_days, OptionalUint(body, {"responseDays"}));
    if (response_days && (*response_days == 0 || *response_days > 3650))
      return InvalidArgument("must be 1..3650", "bad-value", "responseDays");
    DOSSIER_ASSIGN_OR_RETURN(auto stop_clock, OptionalBool(body, {"stopClock"}));
    // A timeline is a contract term: it says where it comes from.
    DOSSIER_ASSIGN_OR_RETURN(std::string source, RequiredString(body, {"source"}));
    DOSSIER_ASSIGN_OR_RETURN(auto section, OptionalString(body, {"section"}));
    json::object t{{"pathway", pathway},  {"reviewDays", *review_days},
                   {"dayKind", day_kind}, {"stopClock", stop_clock.value_or(true)},
                   {"source", source},    {"updatedAt", FormatTime(NowMs())}};
    if (manufacturer) t["manufacturer"] = *manufacturer;
    if (response_days) t["responseDays"] = *response_days;
    if (section) t["section"] = *section;
    const std::string key = manufacturer ? *manufacturer + ":" + pathway : pathway;
    DOSSIER_RETURN_IF_ERROR(
        store.WriteRecords({{tenant, std::string(kReviewTimelinesCollection), key, json::serialize(t)}}));
    return Response::Json(201, json::serialize(t));
  }

  StatusOr<Response> ListTimelines(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto page,
                             api_.store().ListRecords(c.Param("t"), kReviewTimelinesCollection,
                                                      api_.PageToken(c.request), api_.PageSize(c.request)));
    json::array items;
    for (const auto& [key, text] : page.items) {
      DOSSIER_ASSIGN_OR_RETURN(json::object t, ParseJsonObject(text));
      items.push_back(std::move(t));
    }
    json::object out{{"timelines", std::move(items)}};
    if (!page.next_page_token.empty()) out["nextPageToken"] = page.next_page_token;
    return Response::Json(200, json::serialize(out));
  }

  ApiServices& api_;
  ContentKind event_kind_;
};

}  // namespace

void AddLedgerRoutes(ApiServices& services) {
  // The JSON shapes of these routes for /openapi.json (docs/CORRESPONDENCE.md describes each member).
  // The JSON shapes of these routes for /openapi.json, as ClockToJson,
  // ClockRuleToJson (schema/correspondence/review_clock.cc), LoadLedger
  // (ledger.cc) and LedgerView serve them; docs/CORRESPONDENCE.md describes
  // each member. security_contract_test holds served answers to them.
  services.AddSchema("ClockRule", R"json({"type":"object",
    "required":["id","rule","days","dayKind","stopClock","source","section","binding","verification"],
    "properties":{"id":{"type":"string"},
      "rule":{"type":"string","enum":["review-goal","response-window","screening-window"]},
      "days":{"type":"integer"},"dayKind":{"type":"string","enum":["fda-days","calendar","working"]},
      "stopClock":{"type":"boolean","description":"an open request stops the review clock"},
      "source":{"type":"string"},"section":{"type":"string"},
      "binding":{"type":"string","description":"statute, regulation, final-guidance, performance-goal, contract, ..."},
      "verification":{"type":"string","description":"how this rule's figures were checked against their source"},
      "jurisdiction":{"type":"string","description":"GET /v1/clock-rules only"},
      "pathways":{"type":"array","items":{"type":"string"},"description":"GET /v1/clock-rules only"},
      "classes":{"type":"array","items":{"type":"string"},"description":"GET /v1/clock-rules only"}}})json");
  services.AddSchema("ClockDeadline", R"json({"type":"object","required":["what","owner","status"],
    "properties":{"what":{"type":"string","description":"decision-goal, or the answer a request awaits"},
      "owner":{"type":"string","enum":["agency","manufacturer"]},
      "status":{"type":"string","enum":["pending","due-soon","overdue","paused","met","missed","ended"]},
      "request":{"type":"string","description":"the request event the deadline answers"},
      "dueOn":{"type":"string","format":"date"}}})json");
  services.AddSchema("ReviewClock", R"json({"type":"object",
    "description":"A submission's review clock as its agency counts it (schema/correspondence/review_clock.h)",
    "required":["state","asOf","receivedOn","elapsed","holds","deadlines","rules"],
    "properties":{"submission":{"type":"string","description":"GET .../clock only"},
      "state":{"type":"string","enum":["not-started","running","stopped","decided","withdrawn","considered-withdrawn","no-rule"]},
      "asOf":{"type":"string","format":"date"},"receivedOn":{"type":"string","format":"date"},
      "elapsed":{"type":"integer","description":"review days counted, in dayKind"},
      "dayKind":{"type":"string","enum":["fda-days","calendar","working"],"description":"when a goal applies"},
      "goalDays":{"type":"integer","description":"when a goal applies"},
      "remaining":{"type":"integer","description":"goal days left; negative when overdue"},
      "goalDueOn":{"type":"string","format":"date","description":"while the clock runs"},
      "endedOn":{"type":"string","format":"date"},
      "holds":{"type":"array","items":{"type":"object","required":["request","reason","from"],
        "properties":{"request":{"type":"string"},"reason":{"type":"string","enum":["ai-request","screening"]},
          "from":{"type":"string","format":"date"},"to":{"type":"string","format":"date"},
          "responseDueOn":{"type":"string","format":"date"}}}},
      "deadlines":{"type":"array","items":{"$ref":"#/components/schemas/ClockDeadline"}},
      "rules":{"type":"array","items":{"$ref":"#/components/schemas/ClockRule"}},
      "notes":{"type":"array","items":{"type":"string"}}}})json");
  services.AddSchema("ClockSummary", R"json({"type":"object",
    "description":"The clock in a submission's record: its open deadlines only",
    "required":["state","asOf","elapsed","deadlines","dueSoon","overdue"],
    "properties":{"state":{"type":"string"},"asOf":{"type":"string","format":"date"},"elapsed":{"type":"integer"},
      "dayKind":{"type":"string"},"goalDays":{"type":"integer"},"remaining":{"type":"integer"},
      "goalDueOn":{"type":"string","format":"date"},
      "deadlines":{"type":"array","items":{"$ref":"#/components/schemas/ClockDeadline"}},
      "dueSoon":{"type":"boolean"},"overdue":{"type":"boolean"}}})json");
  services.AddSchema("LedgerEntry", R"json({"type":"object",
    "required":["id","type","occurredOn","party","recordedBy","signed"],
    "properties":{"id":{"type":"string"},
      "type":{"type":"string","enum":["submitted","sent","acknowledged","screening","ai-request","response","decision","withdrawal"]},
      "occurredOn":{"type":"string","format":"date"},"party":{"type":"string","enum":["manufacturer","agency"]},
      "recordedBy":{"type":"string","description":"the tenant that recorded it"},
      "signed":{"type":"boolean","description":"false for the submission and withdrawal, which the server records"},
      "version":{"type":"integer"},"digest":{"$ref":"#/components/schemas/Digest"},
      "signerKeyId":{"type":"string"},"logIndex":{"type":"integer"},
      "recordedAt":{"type":"string","format":"date-time"},
      "event":{"type":"object","additionalProperties":true,"description":"the signed event as recorded (docs/CORRESPONDENCE.md)"},
      "open":{"type":"boolean","description":"a request not yet answered"},
      "outcome":{"type":"string","description":"decision events"},"number":{"type":"string","description":"decision events"},
      "dossier":{"type":"string","description":"the submitted event"},
      "dossierVersion":{"type":"integer","description":"the submitted event"},
      "contentDigest":{"$ref":"#/components/schemas/Digest"},"pathway":{"type":"string"}}})json");
  services.AddSchema("Ledger", R"json({"type":"object",
    "required":["submission","manufacturer","agency","pathway","dossier","status","events","clock"],
    "properties":{"submission":{"type":"string"},"manufacturer":{"type":"string"},"agency":{"type":"string"},
      "pathway":{"type":"string"},"dossier":{"type":"string"},
      "status":{"type":"string","enum":["SUBMITTED","UNDER_REVIEW","DECIDED","WITHDRAWN"]},
      "agencyReference":{"type":"string","description":"the reference the agency's acknowledgement gave"},
      "events":{"type":"array","items":{"$ref":"#/components/schemas/LedgerEntry"}},
      "clock":{"$ref":"#/components/schemas/ReviewClock"}}})json");
  services.AddSchema("TenantLedger", R"json({"type":"object","required":["submissions"],
    "properties":{"submissions":{"type":"array","items":{"$ref":"#/components/schemas/Ledger"}},
      "nextPageToken":{"type":"string"}}})json");
  services.AddSchema("ClockRules", R"json({"type":"object","required":["rules"],
    "properties":{"rules":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/ClockRule"},
      {"type":"object","required":["jurisdiction","pathways","classes"]}]}}}})json");
  services.AddSchema("ReviewTimeline",
                     R"json({"type":"object","required":["pathway","reviewDays","dayKind","source"],
    "properties":{"pathway":{"type":"string","maxLength":64},"manufacturer":{"type":"string"},
      "reviewDays":{"type":"integer","minimum":1,"maximum":3650},"dayKind":{"type":"string"},
      "responseDays":{"type":"integer","minimum":1,"maximum":3650},"stopClock":{"type":"boolean"},
      "source":{"type":"string"},"section":{"type":"string"},"updatedAt":{"type":"string","format":"date-time"}}})json");
  services.AddSchema("ReviewTimelineList", R"json({"type":"object","required":["timelines"],
    "properties":{"nextPageToken":{"type":"string"},"timelines":{"type":"array","items":{"$ref":"#/components/schemas/ReviewTimeline"}}}})json");
  auto routes = std::make_shared<LedgerRoutes>(services);
  routes->Register(routes);
}

}  // namespace dossier::server
