// Post-market performance (issue 16 item 6): signed performance reports of a
// released version, their evaluation against the authorised change plan, and
// the drift alerts they raise (server/drift_alerts.h has the model).
#include <map>
#include <set>

#include "schema/dossier_codec.h"
#include "schema/pccp/post_market.h"
#include "schema/pccp/reporting_duties.h"
#include "server/api_services.h"
#include "server/drift_alerts.h"
#include "server/json_util.h"
#include "server/openapi_schemas.h"
#include "server/regional.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

constexpr std::string_view kPlanMedia = "application/vnd.dossier.change-plan.v1";

StatusOr<ParsedContent> ParseReportContent(std::string_view bytes, schema::ContentFormat format) {
  if (format != schema::ContentFormat::kJson) {
    return InvalidArgument("a performance report is JSON", "unsupported-media-type", "mediaType");
  }
  DOSSIER_RETURN_IF_ERROR(pccp::ParsePerformanceReport(bytes).status());
  ParsedContent parsed;
  parsed.canonical_json = json::serialize(json::parse(bytes));
  return parsed;
}

StatusOr<json::object> ParseRecord(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return DataLoss("a stored record does not parse", "corruption");
  return std::move(v.as_object());
}

// A regulator holding a submission of the device, and the change-plan
// version it received (0: the submission carried none).
struct Holder {
  std::string agency, jurisdiction;
  std::vector<std::string> submissions;
  uint64_t plan_version = 0;
};

class PerformanceRoutes {
 public:
  explicit PerformanceRoutes(ApiServices& api) : api_(api) {
    report_kind_.collection = std::string(kPerformanceReports);
    report_kind_.singular = "a performance report";
    report_kind_.list_member = "reports";
    report_kind_.media_base = std::string(kPerformanceReportMedia);
    report_kind_.parse = ParseReportContent;
  }

  void Register(const std::shared_ptr<PerformanceRoutes>& self) {
    api_.AddRoute(
        {.method = "POST",
         .pattern = "/v1/tenants/{t}/change-plans/{p}/performance-reports",
         .access = Access::kTenantEditor,
         .summary = "Commit a signed post-market performance report of a released version; answer: its "
                    "evaluation against the authorised plan and the drift alerts it raised",
         .tag = "change-plans",
         .handler = Bind(self, &PerformanceRoutes::Post),
         .request_example =
             R"({"contentDigest":"sha256:4c1d8e4b7a6c5d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9f","mediaType":"application/vnd.dossier.performance-report.v1+json","envelope":{"payloadType":"application/vnd.dossier.statement.v1+json","payload":"eyJ0ZW5hbnQiOiJmZGEifQ==","signatures":[{"keyid":"7a2b","sig":"c2lnbmF0dXJl"}]}})",
         .request_schema = schemas::kCommitRequest,
         .response_schema = "PerformanceReportPosted",
         .query = IdempotencyKeyHeader()});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/change-plans/{p}/performance-reports",
                   .access = Access::kTenantViewer,
                   .summary = "Performance reports of a change plan with their evaluations",
                   .tag = "change-plans",
                   .handler = Bind(self, &PerformanceRoutes::List),
                   .response_schema = "PerformanceReportList",
                   .query = PagingQuery()});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/alerts",
                   .access = Access::kTenantViewer,
                   .summary = "Drift alerts: raised here for this tenant, then relayed from reliance peers",
                   .tag = "change-plans",
                   .handler = Bind(self, &PerformanceRoutes::Alerts),
                   .response_schema = "AlertList",
                   .query = PagingQuery()});
  }

 private:
  // ------------------------------------------------------------------ post
  StatusOr<Response> Post(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    const std::string& plan_id = c.Param("p");
    auto& store = api_.store();
    DOSSIER_ASSIGN_OR_RETURN(auto plan_object, store.GetObject(tenant, "change-plans", plan_id));
    if (plan_object.head_version() == 0) {
      return FailedPrecondition("the change plan has no committed version", "no-plan-version");
    }
    const std::string dossier = DossierOf(plan_object);
    DOSSIER_ASSIGN_OR_RETURN(std::vector<Holder> holders, Holders(tenant, dossier, plan_id));
    if (!store.GetObject(tenant, kPerformanceReports, plan_id).ok()) {
      storage::ObjectRecord object;
      object.set_tenant(tenant);
      object.set_kind(std::string(kPerformanceReports));
      object.set_id(plan_id);
      object.set_title("performance reports of change plan " + plan_id);
      auto created = store.CreateObject(object);
      if (!created.ok() && created.status().reason() != "object-exists") return created.status();
    }
    SignedCommitRequest request;
    request.tenant = tenant;
    request.kind = std::string(kPerformanceReports);
    request.id = plan_id;
    request.object_name = "change-plans/" + plan_id + "/performance-reports";
    request.content_kind = &report_kind_;
    request.request = &c.request;
    // Only a released version is reported on: one a regulator received.
    request.check_content = [&](const ParsedContent& parsed) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(pccp::PerformanceReport report,
                               pccp::ParsePerformanceReport(parsed.canonical_json));
      DOSSIER_ASSIGN_OR_RETURN(std::set<std::string> released, ReleasedVersions(tenant, dossier));
      if (!released.count(report.software_version)) {
        return InvalidArgument("software version " + report.software_version +
                                   " was never submitted to a regulator (submitted: " + Join(released) + ")",
                               "unreleased-version", "softwareVersion");
      }
      return Status::Ok();
    };
    DOSSIER_ASSIGN_OR_RETURN(SignedCommitResult result, api_.CommitSigned(request));
    DOSSIER_ASSIGN_OR_RETURN(std::string content, api_.LoadContent(tenant, result.version));

    // The evaluation the manufacturer sees: against the plan its latest
    // submission carried (the authorised one), else the head.
    uint64_t authorised = plan_object.head_version();
    for (const Holder& h : holders) authorised = h.plan_version ? h.plan_version : authorised;
    DOSSIER_ASSIGN_OR_RETURN(json::object evaluation, Evaluate(tenant, plan_id, authorised, content));
    json::array raised;
    const bool drift = evaluation.contains("drift") && evaluation.at("drift").as_bool();
    if (drift) {
      std::vector<storage::RecordWrite> writes;
      const std::string id = AlertId(result.version.log_index());
      json::array agencies;
      for (const Holder& h : holders) {
        const uint64_t plan_version = h.plan_version ? h.plan_version : plan_object.head_version();
        DOSSIER_ASSIGN_OR_RETURN(json::object theirs, Evaluate(tenant, plan_id, plan_version, content));
        json::object alert = Alert(tenant, plan_id, result.version, theirs, h.jurisdiction);
        alert["agency"] = h.agency;
        alert["submissions"] = json::array(h.submissions.begin(), h.submissions.end());
        writes.push_back({h.agency, std::string(kAlerts), id, json::serialize(alert)});
        raised.push_back(json::object{{"agency", h.agency}, {"id", id}});
        agencies.push_back(json::value(h.agency));
      }
      // The manufacturer's copy names the duties of every jurisdiction holding the device.
      json::object own = Alert(tenant, plan_id, result.version, evaluation, "");
      own["agencies"] = std::move(agencies);
      json::array duties;
      std::set<std::string> jurisdictions;
      for (const Holder& h : holders) {
        if (!jurisdictions.insert(h.jurisdiction).second) continue;
        for (auto& d : pccp::ReportingDutiesToJson(pccp::ReportingDutiesFor(h.jurisdiction)))
          duties.push_back(d);
      }
      own["reportingDuties"] = std::move(duties);
      writes.push_back({tenant, std::string(kAlerts), id, json::serialize(own)});
      // Written again on a replayed commit: the same ids and the same content.
      DOSSIER_RETURN_IF_ERROR(store.WriteRecords(writes));
    }
    Response committed = api_.CommitResponse(result.replayed ? 200 : 201, result.version, result.leaf_hash);
    DOSSIER_ASSIGN_OR_RETURN(json::object out, ParseRecord(committed.body));
    out["evaluation"] = std::move(evaluation);
    out["alerts"] = std::move(raised);
    committed.body = json::serialize(out);
    return committed;
  }

  json::object Alert(const std::string& tenant, const std::string& plan_id,
                     const storage::VersionRecord& report, const json::object& evaluation,
                     const std::string& jurisdiction) {
    json::object alert = AlertBody(evaluation, jurisdiction);
    alert["id"] = AlertId(report.log_index());
    alert["origin"] = "local";
    alert["manufacturer"] = tenant;
    alert["changePlan"] = plan_id;
    alert["planVersion"] = evaluation.at("planVersion");
    alert["planDigest"] = evaluation.at("planDigest");
    alert["reportVersion"] = report.version();
    alert["reportDigest"] = report.content_digest();
    alert["reportLogIndex"] = report.log_index();
    alert["raisedAt"] = FormatTime(report.created_ms());
    alert["drift"] = true;
    return alert;
  }

  // The report evaluated against version `n` of the plan.
  StatusOr<json::object> Evaluate(const std::string& tenant, const std::string& plan_id, uint64_t n,
                                  const std::string& report) {
    DOSSIER_ASSIGN_OR_RETURN(auto version, api_.store().GetVersion(tenant, "change-plans", plan_id, n));
    DOSSIER_ASSIGN_OR_RETURN(std::string content, api_.LoadContent(tenant, version));
    DOSSIER_ASSIGN_OR_RETURN(auto format, schema::FormatOfMediaType(version.media_type(), kPlanMedia));
    DOSSIER_ASSIGN_OR_RETURN(v1::ChangePlan plan, schema::ParseChangePlan(content, format));
    DOSSIER_ASSIGN_OR_RETURN(json::object evaluation, EvaluateReport(plan, report));
    evaluation["planVersion"] = n;
    evaluation["planDigest"] = version.content_digest();
    return evaluation;
  }

  static std::string DossierOf(const storage::ObjectRecord& plan) {
    boost::system::error_code ec;
    json::value attrs = json::parse(plan.attributes_json(), ec);
    return !ec && attrs.is_object() ? StringMember(attrs.as_object(), "dossier") : std::string();
  }

  static std::string Join(const std::set<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out.empty() ? "none" : out;
  }

  // Every submission of the manufacturer, one page after another.
  template <typename Visit>
  Status ForEachSubmission(const std::string& tenant, Visit visit) {
    std::string token;
    do {
      DOSSIER_ASSIGN_OR_RETURN(auto page, api_.store().ListRecords(tenant, "submissions", token, 500));
      for (auto& [id, text] : page.items) {
        DOSSIER_ASSIGN_OR_RETURN(json::object record, ParseRecord(text));
        DOSSIER_RETURN_IF_ERROR(visit(record));
      }
      token = page.next_page_token;
    } while (!token.empty());
    return Status::Ok();
  }

  // The regulators holding a (not withdrawn) submission of `dossier`, in
  // submission order, each with the plan version its latest one carried.
  StatusOr<std::vector<Holder>> Holders(const std::string& tenant, const std::string& dossier,
                                        const std::string& plan_id) {
    std::map<std::string, Holder> by_agency;
    std::vector<std::string> order;
    DOSSIER_RETURN_IF_ERROR(ForEachSubmission(tenant, [&](const json::object& r) -> Status {
      if (StringMember(r, "dossier") != dossier || StringMember(r, "status") == "WITHDRAWN")
        return Status::Ok();
      const std::string agency = StringMember(r, "agency");
      auto [it, fresh] = by_agency.try_emplace(agency);
      if (fresh) order.push_back(agency);
      it->second.agency = agency;
      it->second.jurisdiction = StringMember(r, "agencyJurisdiction");
      it->second.submissions.push_back(StringMember(r, "id"));
      if (StringMember(r, "changePlan") == plan_id && r.contains("changePlanVersion")) {
        it->second.plan_version = r.at("changePlanVersion").to_number<uint64_t>();
      }
      return Status::Ok();
    }));
    std::vector<Holder> out;
    for (const auto& agency : order) out.push_back(std::move(by_agency[agency]));
    return out;
  }

  // The device software versions the manufacturer submitted of `dossier`.
  StatusOr<std::set<std::string>> ReleasedVersions(const std::string& tenant, const std::string& dossier) {
    std::set<std::string> out;
    DOSSIER_RETURN_IF_ERROR(ForEachSubmission(tenant, [&](const json::object& r) -> Status {
      if (StringMember(r, "dossier") != dossier) return Status::Ok();
      DOSSIER_ASSIGN_OR_RETURN(
          v1::Dossier d, LoadDossierVersion(api_, tenant, dossier, r.at("version").to_number<uint64_t>()));
      if (!d.device().software_version().empty()) out.insert(d.device().software_version());
      return Status::Ok();
    }));
    return out;
  }

  // ------------------------------------------------------------------ reads
  StatusOr<Response> List(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    const std::string& plan_id = c.Param("p");
    auto& store = api_.store();
    DOSSIER_ASSIGN_OR_RETURN(auto plan_object, store.GetObject(tenant, "change-plans", plan_id));
    json::object out{{"reports", json::array()}};
    if (!store.GetObject(tenant, kPerformanceReports, plan_id).ok() || plan_object.head_version() == 0) {
      return Response::Json(200, json::serialize(out));
    }
    DOSSIER_ASSIGN_OR_RETURN(
        auto page, store.ListVersions(tenant, kPerformanceReports, plan_id, api_.PageToken(c.request),
                                      api_.PageSize(c.request)));
    json::array items;
    for (const auto& v : page.items) {
      json::object item = api_.VersionJson(v);
      DOSSIER_ASSIGN_OR_RETURN(std::string content, api_.LoadContent(tenant, v));
      item["report"] = json::parse(content);
      DOSSIER_ASSIGN_OR_RETURN(item["evaluation"],
                               Evaluate(tenant, plan_id, plan_object.head_version(), content));
      auto alert = store.GetRecord(tenant, kAlerts, AlertId(v.log_index()));
      if (alert.ok()) item["alert"] = AlertId(v.log_index());
      items.push_back(std::move(item));
    }
    out["reports"] = std::move(items);
    if (!page.next_page_token.empty()) out["nextPageToken"] = page.next_page_token;
    return Response::Json(200, json::serialize(out));
  }

  // Raised alerts first, then relayed ones; the page token names the
  // collection it continues ("alerts:<id>" / "relayed-alerts:<id>").
  StatusOr<Response> Alerts(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    const size_t limit = api_.PageSize(c.request);
    std::string token = api_.PageToken(c.request);
    std::string_view collection = kAlerts;
    if (token.rfind(std::string(kRelayedAlerts) + ":", 0) == 0) {
      collection = kRelayedAlerts;
      token = token.substr(kRelayedAlerts.size() + 1);
    } else if (token.rfind(std::string(kAlerts) + ":", 0) == 0) {
      token = token.substr(kAlerts.size() + 1);
    } else if (!token.empty()) {
      return InvalidArgument("is not a page token of this list", "bad-page-token", "pageToken");
    }
    json::array items;
    std::string next;
    while (items.size() < limit) {
      DOSSIER_ASSIGN_OR_RETURN(auto page,
                               api_.store().ListRecords(tenant, collection, token, limit - items.size()));
      for (auto& [id, text] : page.items) {
        DOSSIER_ASSIGN_OR_RETURN(json::object alert, ParseRecord(text));
        items.push_back(std::move(alert));
      }
      if (!page.next_page_token.empty()) {
        next = std::string(collection) + ":" + page.next_page_token;
        break;
      }
      if (collection == kRelayedAlerts) break;
      collection = kRelayedAlerts;
      token.clear();
      if (items.size() >= limit) next = std::string(kRelayedAlerts) + ":";
    }
    json::object out{{"alerts", std::move(items)}};
    if (!next.empty()) out["nextPageToken"] = next;
    return Response::Json(200, json::serialize(out));
  }

  ApiServices& api_;
  ContentKind report_kind_;
};

}  // namespace

void AddPerformanceRoutes(ApiServices& services) {
  // docs/POST_MARKET.md describes each member.
  // pccp::PerformanceEvaluationToJson (schema/pccp/post_market.cc) with the
  // plan version it was evaluated against.
  services.AddSchema("PerformanceEvaluation", R"json({"type":"object",
    "required":["softwareVersion","periodStart","periodEnd","drift","findings","flags","adverseEvents","planVersion","planDigest"],
    "properties":{"softwareVersion":{"type":"string"},"periodStart":{"type":"string","format":"date"},
      "periodEnd":{"type":"string","format":"date"},"drift":{"type":"boolean"},
      "findings":{"type":"array","items":{"$ref":"#/components/schemas/Finding"}},
      "flags":{"type":"array","items":{"$ref":"#/components/schemas/DriftFlag"}},
      "adverseEvents":{"type":"array","items":{"type":"object","required":["code","term","count"],
        "properties":{"code":{"type":"string"},"term":{"type":"string"},"count":{"type":"integer"},
          "description":{"type":"string"}}}},
      "planVersion":{"type":"integer"},"planDigest":{"$ref":"#/components/schemas/Digest"}}})json");
  services.AddSchema("DriftFlag", R"json({"type":"object",
    "required":["code","drift","metric","subgroup","periodEnd","explanation"],
    "properties":{"code":{"type":"string"},"drift":{"type":"boolean"},"metric":{"type":"string"},
      "subgroup":{"type":"string"},"site":{"type":"string"},"periodEnd":{"type":"string","format":"date"},
      "field":{"type":"string"},"explanation":{"type":"string"}}})json");
  // schema/pccp/reporting_duties.cc ReportingDutiesToJson.
  services.AddSchema("ReportingDuty", R"json({"type":"object",
    "required":["jurisdiction","id","title","source","section","binding","deadline","trigger","quote","verification","verified"],
    "properties":{"jurisdiction":{"type":"string"},"id":{"type":"string"},"title":{"type":"string"},
      "source":{"type":"string"},"section":{"type":"string"},"binding":{"type":"string"},
      "deadline":{"type":"string"},"trigger":{"type":"string"},"quote":{"type":"string"},
      "verification":{"type":"string"},"verified":{"type":"boolean"}}})json");
  services.AddSchema("PerformanceReportPosted",
                     R"json({"allOf":[{"$ref":"#/components/schemas/CommittedVersion"},
    {"type":"object","required":["evaluation","alerts"],
      "properties":{"evaluation":{"$ref":"#/components/schemas/PerformanceEvaluation"},
        "alerts":{"type":"array","description":"the alert raised in each holding regulator's list, on drift",
          "items":{"type":"object","required":["agency","id"],
            "properties":{"agency":{"type":"string"},"id":{"type":"string"}}}}}}]})json");
  services.AddSchema("PerformanceReportList", R"json({"type":"object","required":["reports"],
    "properties":{"reports":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/Version"},
      {"type":"object","required":["report","evaluation"],
        "properties":{"report":{"type":"object","additionalProperties":true,"description":"the signed report as posted (docs/POST_MARKET.md)"},
          "evaluation":{"$ref":"#/components/schemas/PerformanceEvaluation"},
          "alert":{"type":"string","description":"the id of the drift alert it raised"}}}]}},
      "nextPageToken":{"type":"string"}}})json");
  // A drift alert (server/drift_alerts.h): raised here ("local": the
  // manufacturer's copy names the agencies, an agency's copy its
  // submissions) or relayed from a peer regulator, verified ("relayed").
  services.AddSchema("DriftAlert", R"json({"type":"object",
    "required":["id","origin","kind","jurisdiction","driftFlags","reportingDuties","evaluation","manufacturer","changePlan","planVersion","planDigest","reportVersion","reportDigest","reportLogIndex","drift"],
    "properties":{"id":{"type":"string"},"origin":{"type":"string","enum":["local","relayed"]},
      "kind":{"const":"post-market-drift"},"jurisdiction":{"type":"string","description":"empty in the manufacturer's copy"},
      "driftFlags":{"type":"array","items":{"$ref":"#/components/schemas/DriftFlag"}},
      "reportingDuties":{"type":"array","items":{"$ref":"#/components/schemas/ReportingDuty"}},
      "evaluation":{"$ref":"#/components/schemas/PerformanceEvaluation"},
      "manufacturer":{"type":"string"},"changePlan":{"type":"string"},"planVersion":{"type":"integer"},
      "planDigest":{"$ref":"#/components/schemas/Digest"},"reportVersion":{"type":"integer"},
      "reportDigest":{"$ref":"#/components/schemas/Digest"},"reportLogIndex":{"type":"integer"},
      "raisedAt":{"type":"string","format":"date-time"},"drift":{"type":"boolean"},
      "agency":{"type":"string","description":"an agency's copy"},
      "submissions":{"type":"array","items":{"type":"string"},"description":"an agency's copy"},
      "agencies":{"type":"array","items":{"type":"string"},"description":"the manufacturer's copy"},
      "device":{"type":"object","additionalProperties":true,"description":"relayed: the device as the peer names it"},
      "raisedAtPeer":{"type":"string","format":"date-time"},"peer":{"type":"string"},"peerTenant":{"type":"string"},
      "peerAlert":{"type":"string"},"verifiedAt":{"type":"string","format":"date-time"}}})json");
  services.AddSchema("AlertList", R"json({"type":"object","required":["alerts"],
    "properties":{"alerts":{"type":"array","items":{"$ref":"#/components/schemas/DriftAlert"}},
      "nextPageToken":{"type":"string"}}})json");
  auto routes = std::make_shared<PerformanceRoutes>(services);
  routes->Register(routes);
}

}  // namespace dossier::server
