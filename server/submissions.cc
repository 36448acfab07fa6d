// Submissions (manufacturer -> regulator), the regulator's inbox and reads of
// exactly what was submitted, and signed decisions with review reports.
//
// A submission is written atomically into two places: the manufacturer's
// "submissions" records and the regulator's "inbox" records. The inbox copy is
// the regulator's grant: it names one dossier version (and optionally one
// change-plan version) and the documents they reference, and nothing else of
// the manufacturer can be read through it. Decisions are signed versions of a
// "decisions" object in the regulator's tenant, one object per submission, so
// they go through the same statement/signature/log machinery as dossiers and
// appear in the regulator's feed.
#include <algorithm>
#include <mutex>
#include <set>

#include "common/random.h"
#include "schema/decision_check.h"
#include "schema/dossier_codec.h"
#include "schema/section_digest.h"
#include "schema/toc.h"
#include "schema/validate.h"
#include "server/api_services.h"
#include "server/json_util.h"
#include "server/ledger.h"
#include "server/openapi_schemas.h"
#include "server/regional.h"
#include "server/submission_door.h"
#include "server/submission_records.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

constexpr std::string_view kOutbox = kOutboxCollection;
constexpr std::string_view kInbox = kInboxCollection;
constexpr std::string_view kDecisions = "decisions";

StatusOr<std::string> NewSubmissionId() {
  DOSSIER_ASSIGN_OR_RETURN(std::string hex, ::dossier::RandomHex(8));
  return "s-" + hex;
}

StatusOr<ParsedContent> ParseDecisionContent(std::string_view bytes, schema::ContentFormat format) {
  DOSSIER_ASSIGN_OR_RETURN(v1::Decision decision, schema::ParseDecision(bytes, format));
  DOSSIER_RETURN_IF_ERROR(schema::ValidateDecision(decision, schema::TocCatalog::BuiltIn()));
  ParsedContent parsed;
  parsed.canonical_json = schema::DecisionToJson(decision);
  parsed.protobuf_bytes = schema::DecisionToProtobuf(decision);
  return parsed;
}

class SubmissionRoutes {
 public:
  explicit SubmissionRoutes(ApiServices& api) : api_(api) {
    decision_kind_.collection = std::string(kDecisions);
    decision_kind_.singular = "a decision";
    decision_kind_.list_member = "decisions";
    decision_kind_.media_base = "application/vnd.dossier.decision.v1";
    decision_kind_.parse = ParseDecisionContent;
  }

  void Register(const std::shared_ptr<SubmissionRoutes>& self) {
    AddSubmissionSchemas(api_);
    api_.AddRoute(
        {.method = "POST",
         .pattern = "/v1/tenants/{t}/submissions",
         .access = Access::kTenantEditor,
         .summary = "Submit a dossier version to a regulator for a pathway",
         .tag = "submissions",
         .handler = Bind(self, &SubmissionRoutes::Submit),
         .request_example = R"({"dossier":"cxr","version":3,"agency":"fda","pathway":"510k-traditional"})",
         .request_schema = "SubmissionCreate",
         .response_schema = "Submission"});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/submissions",
                   .access = Access::kTenantViewer,
                   .summary = "This manufacturer's submissions",
                   .tag = "submissions",
                   .handler = Bind(self, &SubmissionRoutes::ListOutbox),
                   .response_schema = "SubmissionList",
                   .query = PagingQuery()});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/inbox",
                   .access = Access::kTenantViewer,
                   .summary = "Submissions addressed to this regulator",
                   .tag = "submissions",
                   .handler = Bind(self, &SubmissionRoutes::ListInbox),
                   .response_schema = "SubmissionList",
                   .query = PagingQuery()});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/submissions/{s}",
                   .access = Access::kTenantViewer,
                   .summary = "One submission, as either party sees it, with its decision",
                   .tag = "submissions",
                   .handler = Bind(self, &SubmissionRoutes::Get),
                   .response_schema = "Submission"});
    api_.AddRoute({.method = "POST",
                   .pattern = "/v1/tenants/{t}/submissions/{s}:withdraw",
                   .access = Access::kTenantEditor,
                   .summary = "Withdraw a submission that is not decided",
                   .tag = "submissions",
                   .handler = Bind(self, &SubmissionRoutes::Withdraw),
                   .response_schema = "Submission"});
    api_.AddRoute({.method = "POST",
                   .pattern = "/v1/tenants/{t}/submissions/{s}:attach-plan",
                   .access = Access::kTenantEditor,
                   .summary = "Attach a change-plan version to a submission that is not decided or withdrawn",
                   .tag = "submissions",
                   .handler = Bind(self, &SubmissionRoutes::AttachPlan),
                   .request_example = R"({"changePlan":"cxr-pccp","changePlanVersion":1})",
                   .request_schema = "SubmissionPlanAttach",
                   .response_schema = "Submission"});
    api_.AddRoute({.method = "POST",
                   .pattern = "/v1/tenants/{t}/submissions/{s}:start-review",
                   .access = Access::kTenantReviewer,
                   .summary = "Mark a received submission as under review",
                   .tag = "submissions",
                   .handler = Bind(self, &SubmissionRoutes::StartReview),
                   .response_schema = "Submission"});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/submissions/{s}/content",
                   .access = Access::kTenantViewer,
                   .summary = "The submitted dossier version (the receiving regulator only)",
                   .tag = "submissions",
                   .handler = Bind(self, &SubmissionRoutes::Content),
                   .response_schema = "DossierVersion"});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/submissions/{s}/change-plan",
                   .access = Access::kTenantViewer,
                   .summary = "The submitted change-plan version (the receiving regulator only)",
                   .tag = "submissions",
                   .handler = Bind(self, &SubmissionRoutes::ChangePlan),
                   .response_schema = "ChangePlanVersion"});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/submissions/{s}/blobs/sha256:{hex}",
                   .access = Access::kTenantViewer,
                   .summary = "A document of the submitted version (the receiving regulator only)",
                   .tag = "submissions",
                   .handler = Bind(self, &SubmissionRoutes::Blob),
                   .response_media_type = "application/octet-stream"});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/submissions/{s}/export",
                   .access = Access::kTenantViewer,
                   .summary = "The submitted version in an agency's structure (the receiving regulator only)",
                   .tag = "submissions",
                   .handler = Bind(self, &SubmissionRoutes::Export),
                   .response_media_type = "application/zip",
                   .query = ExportQuery()});
    api_.AddRoute(
        {.method = "GET",
         .pattern = "/v1/tenants/{t}/submissions/{s}/readiness",
         .access = Access::kTenantViewer,
         .summary =
             "Readiness of the submitted version for this regulator's pathway (the receiving regulator only)",
         .tag = "submissions",
         .handler = Bind(self, &SubmissionRoutes::Readiness),
         .response_schema = schemas::kReadinessReport,
         .query = ReadinessQuery()});
    api_.AddRoute(
        {.method = "POST",
         .pattern = "/v1/tenants/{t}/submissions/{s}/decisions",
         .access = Access::kTenantReviewer,
         .summary = "Record a signed decision and review report",
         .tag = "submissions",
         .handler = Bind(self, &SubmissionRoutes::Decide),
         .request_example =
             R"({"contentDigest":"sha256:4c1d8e4b7a6c5d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9f","mediaType":"application/vnd.dossier.decision.v1+json","envelope":{"payloadType":"application/vnd.dossier.statement.v1+json","payload":"eyJ0ZW5hbnQiOiJmZGEifQ==","signatures":[{"keyid":"7a2b","sig":"c2lnbmF0dXJl"}]}})",
         .request_schema = schemas::kCommitRequest,
         .response_schema = schemas::kCommitted,
         .query = IdempotencyKeyHeader()});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/submissions/{s}/decisions",
                   .access = Access::kTenantViewer,
                   .summary = "Decisions on a submission (both parties)",
                   .tag = "submissions",
                   .handler = Bind(self, &SubmissionRoutes::ListDecisions),
                   .response_schema = "DecisionList"});
  }

 private:
  // -------------------------------------------------------------- submit
  StatusOr<Response> Submit(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    auto& store = api_.store();
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(
        RejectUnknownMembers(body, {"dossier", "version", "agency", "pathway", "changePlan", "change_plan",
                                    "changePlanVersion", "change_plan_version", "note", "exportProfiles"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string dossier_id, RequiredString(body, {"dossier"}));
    DOSSIER_ASSIGN_OR_RETURN(auto version_n, OptionalUint(body, {"version"}));
    if (!version_n || *version_n == 0)
      return InvalidArgument("is required (>= 1)", "missing-field", "version");
    DOSSIER_ASSIGN_OR_RETURN(std::string agency, RequiredString(body, {"agency"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string pathway, RequiredString(body, {"pathway"}));
    DOSSIER_ASSIGN_OR_RETURN(auto plan_id, OptionalString(body, {"changePlan", "change_plan"}));
    DOSSIER_ASSIGN_OR_RETURN(auto plan_n, OptionalUint(body, {"changePlanVersion", "change_plan_version"}));
    DOSSIER_ASSIGN_OR_RETURN(auto note, OptionalString(body, {"note"}));
    DOSSIER_RETURN_IF_ERROR(ValidateId(agency, "agency"));
    if (pathway.size() > 64) return InvalidArgument("is too long", "bad-pathway", "pathway");

    DOSSIER_ASSIGN_OR_RETURN(auto self, store.GetTenant(tenant));
    if (self.kind() != "MANUFACTURER") {
      return PermissionDenied("only a manufacturer tenant submits dossiers", "not-a-manufacturer");
    }
    auto regulator = store.GetTenant(agency);
    if (!regulator.ok() || (regulator->kind() != "REGULATOR" && regulator->kind() != "NOTIFIED_BODY")) {
      return InvalidArgument("no regulator or notified body \"" + agency + "\" on this node",
                             "unknown-agency", "agency");
    }
    auto version = store.GetVersion(tenant, "dossiers", dossier_id, *version_n);
    if (!version.ok()) {
      return InvalidArgument("dossier " + dossier_id + " has no version " + std::to_string(*version_n),
                             "unknown-version", "version");
    }
    // What the regulator may read: the content and every document it names.
    DOSSIER_ASSIGN_OR_RETURN(std::string content, api_.LoadContent(tenant, *version));
    DOSSIER_ASSIGN_OR_RETURN(auto format,
                             schema::FormatOfMediaType(version->media_type(), "application/vnd.dossier.v1"));
    DOSSIER_ASSIGN_OR_RETURN(v1::Dossier dossier, schema::ParseDossier(content, format));
    DOSSIER_RETURN_IF_ERROR(CheckPathwayAtDoor(dossier, regulator->jurisdiction(), pathway));
    std::set<std::string> blobs = {version->content_digest()};
    for (const auto& section : dossier.sections()) {
      for (const auto& doc : section.documents()) blobs.insert(doc.digest());
    }

    json::object record;
    DOSSIER_ASSIGN_OR_RETURN(std::string submission_id, NewSubmissionId());
    record["id"] = submission_id;
    record["manufacturer"] = tenant;
    record["dossier"] = dossier_id;
    record["version"] = *version_n;
    record["contentDigest"] = version->content_digest();
    record["mediaType"] = version->media_type();
    record["tocEdition"] = dossier.toc_edition();
    record["agency"] = agency;
    record["agencyJurisdiction"] = regulator->jurisdiction();
    // The class the agency's review clock depends on (HSA turnaround by class).
    if (std::string cls = ClockDeviceClass(dossier, regulator->jurisdiction()); !cls.empty())
      record["deviceClass"] = cls;
    record["pathway"] = pathway;
    if (note) record["note"] = *note;
    if (plan_id) {
      if (!plan_n || *plan_n == 0)
        return InvalidArgument("is required with changePlan", "missing-field", "changePlanVersion");
      auto plan_version = store.GetVersion(tenant, "change-plans", *plan_id, *plan_n);
      if (!plan_version.ok()) {
        return InvalidArgument("change plan " + *plan_id + " has no version " + std::to_string(*plan_n),
                               "unknown-version", "changePlanVersion");
      }
      record["changePlan"] = *plan_id;
      record["changePlanVersion"] = *plan_n;
      record["changePlanDigest"] = plan_version->content_digest();
      blobs.insert(plan_version->content_digest());
    }
    json::object digests;
    for (const auto& [code, digest] : schema::SectionDigests(dossier)) digests[code] = digest;
    record["sectionDigests"] = std::move(digests);
    json::array granted;
    for (const auto& b : blobs) granted.emplace_back(b);
    record["documents"] = std::move(granted);
    DOSSIER_ASSIGN_OR_RETURN(record["exportProfiles"],
                             PinExportProfiles(api_, body.if_contains("exportProfiles")));
    record["status"] = "SUBMITTED";
    record["submittedAt"] = FormatTime(NowMs());
    record["updatedAt"] = record["submittedAt"];

    const std::string id(record["id"].as_string());
    const std::string text = json::serialize(record);
    using Mode = storage::RecordWrite::Mode;
    // One submit at a time, so that two concurrent submissions of the same
    // version cannot both pass the duplicate check.
    std::lock_guard<std::mutex> one_submit(submit_mutex_);
    DOSSIER_ASSIGN_OR_RETURN(auto open, OpenSubmissionOf(store, tenant, dossier_id, *version_n, agency));
    if (open)
      return DuplicateSubmissionResponse(tenant, *open, dossier_id, *version_n, agency, c.request.path);
    DOSSIER_RETURN_IF_ERROR(store.WriteRecords({{tenant, std::string(kOutbox), id, text, Mode::kCreate},
                                                {agency, std::string(kInbox), id, text, Mode::kCreate}}));
    Response r = Response::Json(201, json::serialize(PublicView(record, /*for_regulator=*/false)));
    r.headers.emplace_back("Location", "/v1/tenants/" + tenant + "/submissions/" + id);
    return r;
  }

  // The manufacturer does not need the grant list; the regulator sees it.
  static json::object PublicView(const json::object& record, bool for_regulator) {
    json::object out = record;
    if (!for_regulator) out.erase("documents");
    return out;
  }

  // ---------------------------------------------------------------- reads
  using Found = SubmissionCopy;
  StatusOr<Found> Find(const std::string& tenant, const std::string& id) {
    return FindSubmission(api_.store(), tenant, id);
  }

  StatusOr<Found> FindReceived(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Found found, Find(c.Param("t"), c.Param("s")));
    // Only the receiving regulator reads the content through a submission.
    if (!found.is_regulator)
      return NotFound("submission " + c.Param("s") + " was not received by this tenant");
    return found;
  }

  // Decisions live in the regulator's tenant; both parties read them.
  StatusOr<json::array> Decisions(const json::object& record) {
    auto& store = api_.store();
    const std::string agency = StringMember(record, "agency");
    const std::string id = StringMember(record, "id");
    json::array out;
    auto object = store.GetObject(agency, kDecisions, id);
    if (!object.ok()) return out;
    for (uint64_t n = 1; n <= object->head_version(); ++n) {
      DOSSIER_ASSIGN_OR_RETURN(auto v, store.GetVersion(agency, kDecisions, id, n));
      json::object entry = api_.VersionJson(v);
      DOSSIER_ASSIGN_OR_RETURN(std::string content, api_.LoadContent(agency, v));
      DOSSIER_ASSIGN_OR_RETURN(auto format,
                               schema::FormatOfMediaType(v.media_type(), decision_kind_.media_base));
      DOSSIER_ASSIGN_OR_RETURN(ParsedContent parsed, decision_kind_.parse(content, format));
      boost::system::error_code ec;
      entry["decision"] = json::parse(parsed.canonical_json, ec);
      json::parse(v.envelope_json(), ec);
      if (!ec) entry["envelope"] = json::parse(v.envelope_json());
      out.push_back(std::move(entry));
    }
    return out;
  }

  // `as_of`: the day the review clock is read at (today when absent).
  StatusOr<json::object> View(Found& found, std::optional<int64_t> as_of = std::nullopt) {
    json::object out = PublicView(found.record, found.is_regulator);
    DOSSIER_ASSIGN_OR_RETURN(json::array decisions, Decisions(found.record));
    if (!decisions.empty()) {
      const json::object& latest = decisions.back().as_object();
      const json::value* d = latest.if_contains("decision");
      json::object summary;
      if (d && d->is_object()) {
        for (const char* k : {"outcome", "number", "date", "conditions"}) {
          if (const json::value* v = d->as_object().if_contains(k)) summary[k] = *v;
        }
      }
      summary["version"] = latest.at("version");
      summary["logIndex"] = latest.at("logIndex");
      out["decision"] = std::move(summary);
      if (StringMember(out, "status") != "WITHDRAWN") out["status"] = "DECIDED";
    }
    // The review clock as the agency counts it (additive: docs/CORRESPONDENCE.md).
    DOSSIER_ASSIGN_OR_RETURN(out["clock"], ClockSummary(api_, found.record, as_of.value_or(TodayDay())));
    return out;
  }

  StatusOr<Response> Get(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Found found, Find(c.Param("t"), c.Param("s")));
    DOSSIER_ASSIGN_OR_RETURN(int64_t as_of, AsOfDay(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object view, View(found, as_of));
    return Response::Json(200, json::serialize(view));
  }

  StatusOr<Response> List(RouteContext& c, std::string_view collection, bool for_regulator) {
    DOSSIER_ASSIGN_OR_RETURN(auto page,
                             api_.store().ListRecords(c.Param("t"), collection, api_.PageToken(c.request),
                                                      api_.PageSize(c.request)));
    DOSSIER_ASSIGN_OR_RETURN(int64_t as_of, AsOfDay(c.request));
    json::array items;
    for (auto& [id, text] : page.items) {
      DOSSIER_ASSIGN_OR_RETURN(auto record, ParseSubmissionRecord(text));
      Found found{std::move(record), for_regulator};
      DOSSIER_ASSIGN_OR_RETURN(json::object view, View(found, as_of));
      items.push_back(std::move(view));
    }
    json::object out{{"submissions", std::move(items)}};
    if (!page.next_page_token.empty()) out["nextPageToken"] = page.next_page_token;
    return Response::Json(200, json::serialize(out));
  }
  StatusOr<Response> ListOutbox(RouteContext& c) { return List(c, kOutbox, false); }
  StatusOr<Response> ListInbox(RouteContext& c) { return List(c, kInbox, true); }

  // Updates the status in both copies atomically.
  Status SetStatus(json::object record, const std::string& status) {
    record["status"] = status;
    record["updatedAt"] = FormatTime(NowMs());
    return WriteSubmissionCopies(api_.store(), record);
  }

  StatusOr<Response> Withdraw(RouteContext& c) {
    std::lock_guard<std::mutex> one_change(api_.SubmissionLock(c.Param("s")));
    DOSSIER_ASSIGN_OR_RETURN(Found found, Find(c.Param("t"), c.Param("s")));
    if (found.is_regulator)
      return PermissionDenied("only the submitting manufacturer withdraws", "not-submitter");
    DOSSIER_ASSIGN_OR_RETURN(json::object view, View(found));
    if (StringMember(view, "status") == "DECIDED") {
      return Status(StatusCode::kAborted, "the submission is already decided", "already-decided");
    }
    DOSSIER_RETURN_IF_ERROR(SetStatus(found.record, "WITHDRAWN"));
    return Get(c);
  }

  // A change plan attached after submitting (a plan written while the
  // dossier was under review): the same grant as one named at submission.
  // Attaching the plan the submission already carries is a no-op; another
  // one is refused, since the regulator may already be reviewing the first.
  StatusOr<Response> AttachPlan(RouteContext& c) {
    auto& store = api_.store();
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(
        body, {"changePlan", "change_plan", "changePlanVersion", "change_plan_version"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string plan_id, RequiredString(body, {"changePlan", "change_plan"}));
    DOSSIER_RETURN_IF_ERROR(ValidateId(plan_id, "changePlan"));
    DOSSIER_ASSIGN_OR_RETURN(auto plan_n, OptionalUint(body, {"changePlanVersion", "change_plan_version"}));
    if (!plan_n || *plan_n == 0)
      return InvalidArgument("is required (>= 1)", "missing-field", "changePlanVersion");

    // The record is read, then written whole: no other change of it in between.
    std::lock_guard<std::mutex> one_change(api_.SubmissionLock(c.Param("s")));
    DOSSIER_ASSIGN_OR_RETURN(Found found, Find(c.Param("t"), c.Param("s")));
    if (found.is_regulator)
      return PermissionDenied("only the submitting manufacturer attaches a change plan", "not-submitter");
    json::object record = found.record;
    if (record.contains("changePlan")) {
      const uint64_t attached = record.at("changePlanVersion").to_number<uint64_t>();
      if (StringMember(record, "changePlan") == plan_id && attached == *plan_n) return Get(c);
      return Status(StatusCode::kAborted,
                    "the submission already carries change plan " + StringMember(record, "changePlan") +
                        " v" + std::to_string(attached),
                    "change-plan-attached", "changePlan");
    }
    DOSSIER_ASSIGN_OR_RETURN(json::object view, View(found));
    const std::string status = StringMember(view, "status");
    if (status == "DECIDED")
      return Status(StatusCode::kAborted, "the submission is already decided", "already-decided");
    if (status == "WITHDRAWN")
      return Status(StatusCode::kAborted, "the submission was withdrawn", "withdrawn");
    auto plan_object = store.GetObject(c.Param("t"), "change-plans", plan_id);
    if (!plan_object.ok())
      return InvalidArgument("no change plan \"" + plan_id + "\"", "unknown-change-plan", "changePlan");
    // A plan written for another device is not this submission's plan.
    boost::system::error_code ec;
    const json::value attributes = json::parse(plan_object->attributes_json(), ec);
    const std::string plan_dossier =
        !ec && attributes.is_object() ? StringMember(attributes.as_object(), "dossier") : std::string();
    if (!plan_dossier.empty() && plan_dossier != StringMember(record, "dossier")) {
      return InvalidArgument("change plan " + plan_id + " is for dossier " + plan_dossier + ", not " +
                                 StringMember(record, "dossier"),
                             "plan-of-another-dossier", "changePlan");
    }
    auto plan_version = store.GetVersion(c.Param("t"), "change-plans", plan_id, *plan_n);
    if (!plan_version.ok()) {
      return InvalidArgument("change plan " + plan_id + " has no version " + std::to_string(*plan_n),
                             "unknown-version", "changePlanVersion");
    }
    record["changePlan"] = plan_id;
    record["changePlanVersion"] = *plan_n;
    record["changePlanDigest"] = plan_version->content_digest();
    if (json::value* granted = record.if_contains("documents"); granted && granted->is_array())
      granted->as_array().emplace_back(plan_version->content_digest());
    record["updatedAt"] = FormatTime(NowMs());
    DOSSIER_RETURN_IF_ERROR(WriteSubmissionCopies(store, record));
    return Get(c);
  }

  StatusOr<Response> StartReview(RouteContext& c) {
    std::lock_guard<std::mutex> one_change(api_.SubmissionLock(c.Param("s")));
    DOSSIER_ASSIGN_OR_RETURN(Found found, FindReceived(c));
    DOSSIER_ASSIGN_OR_RETURN(json::object view, View(found));
    const std::string status = StringMember(view, "status");
    if (status == "WITHDRAWN")
      return Status(StatusCode::kAborted, "the submission was withdrawn", "withdrawn");
    if (status == "SUBMITTED") DOSSIER_RETURN_IF_ERROR(SetStatus(found.record, "UNDER_REVIEW"));
    return Get(c);
  }

  StatusOr<Response> VersionView(RouteContext& c, const std::string& tenant, const std::string& kind,
                                 const std::string& id, uint64_t n, const ContentKind* content_kind) {
    auto& store = api_.store();
    DOSSIER_ASSIGN_OR_RETURN(auto v, store.GetVersion(tenant, kind, id, n));
    DOSSIER_ASSIGN_OR_RETURN(std::string content, api_.LoadContent(tenant, v));
    if (c.request.Header("accept").find(v.media_type()) != std::string_view::npos) {
      Response r;  // the exact bytes that were signed
      r.content_type = v.media_type();
      r.body = std::move(content);
      return r;
    }
    DOSSIER_ASSIGN_OR_RETURN(auto format,
                             schema::FormatOfMediaType(v.media_type(), content_kind->media_base));
    DOSSIER_ASSIGN_OR_RETURN(ParsedContent parsed, content_kind->parse(content, format));
    json::object out = api_.VersionJson(v);
    out["object"] = kind + "/" + id;
    boost::system::error_code ec;
    out["envelope"] = json::parse(v.envelope_json(), ec);
    out["content"] = json::parse(parsed.canonical_json, ec);
    return Response::Json(200, json::serialize(out));
  }

  StatusOr<Response> Content(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Found found, FindReceived(c));
    const json::object& r = found.record;
    return VersionView(c, StringMember(r, "manufacturer"), "dossiers", StringMember(r, "dossier"),
                       r.at("version").to_number<uint64_t>(), api_.KindByCollection("dossiers"));
  }

  StatusOr<Response> ChangePlan(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Found found, FindReceived(c));
    const json::object& r = found.record;
    if (!r.contains("changePlan")) return NotFound("this submission carries no change plan");
    return VersionView(c, StringMember(r, "manufacturer"), "change-plans", StringMember(r, "changePlan"),
                       r.at("changePlanVersion").to_number<uint64_t>(),
                       api_.KindByCollection("change-plans"));
  }

  StatusOr<Response> Blob(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Found found, FindReceived(c));
    const std::string digest = "sha256:" + c.Param("hex");
    bool granted = false;
    if (const json::value* docs = found.record.if_contains("documents"); docs && docs->is_array()) {
      for (const auto& d : docs->as_array()) granted = granted || (d.is_string() && d.as_string() == digest);
    }
    // A document outside the grant does not exist for this regulator.
    if (!granted) return NotFound("blob " + digest + " is not part of this submission");
    return api_.ServeBlob(c.request, StringMember(found.record, "manufacturer"), digest);
  }

  StatusOr<v1::Dossier> SubmittedDossier(const json::object& r) {
    return LoadDossierVersion(api_, StringMember(r, "manufacturer"), StringMember(r, "dossier"),
                              r.at("version").to_number<uint64_t>());
  }

  // The submitted version in the profile pinned at submission (or ?profile=),
  // stamped with the version's commit time: the same bytes on every export.
  StatusOr<Response> Export(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Found found, FindReceived(c));
    const json::object& r = found.record;
    const std::string manufacturer = StringMember(r, "manufacturer");
    DOSSIER_ASSIGN_OR_RETURN(auto version,
                             api_.store().GetVersion(manufacturer, "dossiers", StringMember(r, "dossier"),
                                                     r.at("version").to_number<uint64_t>()));
    DOSSIER_ASSIGN_OR_RETURN(v1::Dossier dossier, SubmittedDossier(r));
    const json::value* pinned = r.if_contains("exportProfiles");
    return ExportResponse(api_,
                          ExportSource{&dossier, manufacturer, StringMember(r, "dossier"),
                                       r.at("version").to_number<uint64_t>(), version.created_ms()},
                          c.request, "submission-" + c.Param("s"),
                          pinned && pinned->is_object() ? &pinned->as_object() : nullptr);
  }

  StatusOr<Response> Readiness(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Found found, FindReceived(c));
    DOSSIER_ASSIGN_OR_RETURN(v1::Dossier dossier, SubmittedDossier(found.record));
    // The regulator's own agency and the submission's pathway unless the query says otherwise.
    const std::string agency = ReadinessAgencyOf(StringMember(found.record, "agencyJurisdiction"));
    return ReadinessResponse(api_, StringMember(found.record, "manufacturer"), dossier, c.request, agency,
                             agency.empty() ? "" : StringMember(found.record, "pathway"));
  }

  // ------------------------------------------------------------ decisions
  StatusOr<Response> Decide(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    const std::string& id = c.Param("s");
    // Held through the commit, so a withdrawal cannot slip between the check
    // below and the decision (decisions are rare; the commit's fsync is short).
    std::lock_guard<std::mutex> one_change(api_.SubmissionLock(id));
    DOSSIER_ASSIGN_OR_RETURN(Found found, FindReceived(c));
    DOSSIER_ASSIGN_OR_RETURN(json::object view, View(found));
    if (StringMember(view, "status") == "WITHDRAWN") {
      return Status(StatusCode::kAborted, "the submission was withdrawn", "withdrawn");
    }
    auto& store = api_.store();
    if (!store.GetObject(tenant, kDecisions, id).ok()) {
      storage::ObjectRecord object;
      object.set_tenant(tenant);
      object.set_kind(std::string(kDecisions));
      object.set_id(id);
      object.set_title("decisions on submission " + id);
      auto created = store.CreateObject(object);
      if (!created.ok() && created.status().reason() != "object-exists") return created.status();
    }
    SignedCommitRequest request;
    request.tenant = tenant;
    request.kind = std::string(kDecisions);
    request.id = id;
    request.object_name = "submissions/" + id + "/decisions";
    request.content_kind = &decision_kind_;
    request.request = &c.request;
    DOSSIER_ASSIGN_OR_RETURN(auto self, store.GetTenant(tenant));
    const schema::DecidingBody body{self.kind(), self.jurisdiction(), StringMember(found.record, "pathway")};
    request.check_content = [&id, &body](const ParsedContent& parsed) -> Status {
      boost::system::error_code ec;
      json::value v = json::parse(parsed.canonical_json, ec);
      const json::value* s = ec ? nullptr : v.as_object().if_contains("submission");
      if (!s || !s->is_string() || s->as_string() != id) {
        return InvalidArgument("the decision must name submission " + id, "statement-mismatch", "submission");
      }
      DOSSIER_ASSIGN_OR_RETURN(v1::Decision decision,
                               schema::ParseDecision(parsed.canonical_json, schema::ContentFormat::kJson));
      return schema::CheckDecisionForBody(decision, body);
    };
    DOSSIER_ASSIGN_OR_RETURN(SignedCommitResult result, api_.CommitSigned(request));
    if (!result.replayed) {
      // The status is also derived from the decisions object on every read, so
      // a crash between the commit and this write loses nothing.
      Status s = SetStatus(found.record, "DECIDED");
      (void)s;
    }
    return api_.CommitResponse(result.replayed ? 200 : 201, result.version, result.leaf_hash);
  }

  StatusOr<Response> ListDecisions(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(Found found, Find(c.Param("t"), c.Param("s")));
    DOSSIER_ASSIGN_OR_RETURN(json::array decisions, Decisions(found.record));
    return Response::Json(200, json::serialize(json::object{{"decisions", std::move(decisions)}}));
  }

  ApiServices& api_;
  ContentKind decision_kind_;
  std::mutex submit_mutex_;
};

}  // namespace

void AddSubmissionRoutes(ApiServices& services) {
  auto routes = std::make_shared<SubmissionRoutes>(services);
  routes->Register(routes);
}

}  // namespace dossier::server
