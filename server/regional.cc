// Routes that view a dossier through an agency's eyes (exports, readiness),
// turn regional packages back into canonical content (imports), and evaluate
// executed modifications against a change plan.

#include "server/regional.h"

#include <cstdio>
#include <fstream>
#include <optional>

#include "common/decimal.h"
#include "common/random.h"
#include "common/time.h"
#include "schema/dossier_codec.h"
#include "schema/pccp/evaluate.h"
#include "schema/translate/profiles.h"
#include "schema/translate/translate.h"
#include "server/api_services.h"
#include "server/json_util.h"
#include "trust/encoding.h"

namespace dossier::server {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

StatusOr<uint64_t> VersionParam(const std::string& text) {
  auto v = ParseUint64(text, "n");
  if (!v.ok()) return InvalidArgument("must be a version number", "bad-parameter", "n");
  return v;
}

}  // namespace

StatusOr<v1::Dossier> LoadDossierVersion(ApiServices& api, const std::string& tenant,
                                         const std::string& dossier, uint64_t version) {
  DOSSIER_ASSIGN_OR_RETURN(auto v, api.store().GetVersion(tenant, "dossiers", dossier, version));
  DOSSIER_ASSIGN_OR_RETURN(std::string content, api.LoadContent(tenant, v));
  DOSSIER_ASSIGN_OR_RETURN(auto format,
                           schema::FormatOfMediaType(v.media_type(), "application/vnd.dossier.v1"));
  return schema::ParseDossier(content, format);
}

StatusOr<boost::json::object> CurrentExportProfiles(ApiServices& api) {
  json::object out;
  for (const std::string& format : translate::ExportFormats()) {
    DOSSIER_ASSIGN_OR_RETURN(const translate::ExportProfile* profile,
                             translate::DefaultExportProfile(format, api.options().export_profile_defaults));
    out[format] = profile->name;
  }
  return out;
}

StatusOr<json::value> PinExportProfiles(ApiServices& api, const json::value* chosen) {
  DOSSIER_ASSIGN_OR_RETURN(json::object pinned, CurrentExportProfiles(api));
  if (!chosen) return json::value(std::move(pinned));
  if (!chosen->is_object()) return InvalidArgument("must be an object", "bad-field-type", "exportProfiles");
  for (const auto& [format, name] : chosen->as_object()) {
    const std::string field = "exportProfiles." + std::string(format);
    if (!name.is_string()) return InvalidArgument("must be a profile name", "bad-field-type", field);
    auto profile = translate::FindExportProfile(format, std::string(name.as_string()));
    if (!profile.ok()) {
      return Status(profile.status().code(), profile.status().message(), profile.status().reason(), field);
    }
    pinned[format] = (*profile)->name;
  }
  return json::value(std::move(pinned));
}

StatusOr<Response> ExportResponse(ApiServices& api, const ExportSource& source, const Request& request,
                                  const std::string& file_stem, const json::object* pinned) {
  auto format = request.Query("format");
  if (!format)
    return InvalidArgument("is required: one of imdrf-toc, fda-estar, eu-mdr, hsa-csdt, fhir-r5",
                           "missing-field", "format");
  const translate::ExportProfile* profile = nullptr;
  if (auto named = request.Query("profile")) {
    DOSSIER_ASSIGN_OR_RETURN(profile, translate::FindExportProfile(*format, *named));
  } else if (const json::value* pin = pinned ? pinned->if_contains(*format) : nullptr; pin && pin->is_string()) {
    DOSSIER_ASSIGN_OR_RETURN(profile, translate::FindExportProfile(*format, std::string(pin->as_string())));
  } else {
    auto current = translate::DefaultExportProfile(*format, api.options().export_profile_defaults);
    // An unknown format is reported by the export itself, naming the formats.
    if (current.ok()) profile = *current;
  }
  const std::string& blob_tenant = source.blob_tenant;
  const v1::Dossier& dossier = *source.dossier;
  const uint64_t max_doc = api.options().max_blob_bytes;
  translate::BlobReader blobs = [&api, &blob_tenant,
                                 max_doc](std::string_view digest) -> StatusOr<std::string> {
    // Verified against its digest: a damaged document fails the export
    // ("blob-corrupt") rather than being packed into it.
    auto bytes = api.store().ReadBlob(blob_tenant, digest, max_doc);
    if (bytes.status().reason() == "blob-too-large") {
      return Unavailable("cannot read document " + std::string(digest), "io-error");
    }
    return bytes;
  };
  auto result = translate::Export(dossier, *format, blobs, translate::ExportOptions{profile, source.signed_ms});
  if (!result.ok()) {
    if (result.status().reason() == "unknown-format" && result.status().field().empty()) {
      return result.status().WithFieldPrefix("format");
    }
    return result.status();
  }
  Response r;
  r.content_type = result->content_type;
  r.body = std::move(result->bytes);
  const bool zip = r.content_type == "application/zip";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file_stem + "-" + *format +
                                                    (zip ? ".zip\"" : ".json\""));
  r.headers.emplace_back("X-Dossier-Loss-Count", std::to_string(result->loss.size()));
  if (profile) r.headers.emplace_back("X-Dossier-Export-Profile", profile->name);
  return r;
}

namespace {

// The head version of the change plan `id` in `tenant`, or nullopt when there
// is none (readiness then reports the plan as not found).
StatusOr<std::optional<v1::ChangePlan>> HeadChangePlan(ApiServices& api, const std::string& tenant,
                                                       const std::string& id) {
  auto object = api.store().GetObject(tenant, "change-plans", id);
  if (object.status().code() == StatusCode::kNotFound) return std::optional<v1::ChangePlan>();
  if (!object.ok()) return object.status();
  if (object->head_version() == 0) return std::optional<v1::ChangePlan>();
  DOSSIER_ASSIGN_OR_RETURN(auto version,
                           api.store().GetVersion(tenant, "change-plans", id, object->head_version()));
  DOSSIER_ASSIGN_OR_RETURN(std::string content, api.LoadContent(tenant, version));
  DOSSIER_ASSIGN_OR_RETURN(
      auto format, schema::FormatOfMediaType(version.media_type(), "application/vnd.dossier.change-plan.v1"));
  DOSSIER_ASSIGN_OR_RETURN(v1::ChangePlan plan, schema::ParseChangePlan(content, format));
  return std::optional<v1::ChangePlan>(std::move(plan));
}

// The modification route's evaluationDate: an RFC 3339 full-date
// ("2028-08-02") that names a real calendar day, checked by common/time.
StatusOr<std::string> EvaluationDateParam(const std::string& text) {
  constexpr std::string_view kField = "evaluationDate";
  if (text.size() == 10 && ParseRfc3339(text + "T00:00:00Z", kField).ok()) return text;
  return InvalidArgument("must be an RFC 3339 date YYYY-MM-DD", "bad-evaluation-date", std::string(kField));
}

}  // namespace

StatusOr<Response> ReadinessResponse(ApiServices& api, const std::string& plan_tenant,
                                     const v1::Dossier& dossier, const Request& request,
                                     const std::string& default_agency, const std::string& default_pathway) {
  std::string agency = request.Query("agency").value_or(default_agency);
  std::string pathway = request.Query("pathway").value_or(default_pathway);
  if (agency.empty()) return InvalidArgument("is required: FDA, EU or HSA", "missing-field", "agency");
  translate::ReadinessOptions options;
  options.as_of = request.Query("asOf").value_or("");
  std::optional<v1::ChangePlan> plan;
  if (!dossier.ai().change_plan().empty()) {
    DOSSIER_ASSIGN_OR_RETURN(plan, HeadChangePlan(api, plan_tenant, dossier.ai().change_plan()));
  }
  options.change_plan = plan ? &*plan : nullptr;
  auto report = translate::Readiness(dossier, agency, pathway, options);
  if (!report.ok()) return report.status();
  return Response::Json(200, json::serialize(translate::ReadinessToJson(*report)));
}

namespace {

class RegionalRoutes {
 public:
  explicit RegionalRoutes(ApiServices& api) : api_(api) {}

  void Register(const std::shared_ptr<RegionalRoutes>& self) {
    api_.AddRoute(
        {.method = "GET",
         .pattern = "/v1/tenants/{t}/dossiers/{d}/versions/{n}/export",
         .access = Access::kTenantViewer,
         .summary = "The version as an agency package (ZIP; fhir-r5 a JSON Bundle) with a loss report",
         .tag = "dossiers",
         .handler = Bind(self, &RegionalRoutes::Export)});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/export-profiles",
                   .access = Access::kAuthenticated,
                   .summary = "Export formats' named, versioned profiles and which is each format's default",
                   .tag = "dossiers",
                   .handler = Bind(self, &RegionalRoutes::ListExportProfiles)});
    api_.AddRoute(
        {.method = "GET",
         .pattern = "/v1/tenants/{t}/dossiers/{d}/versions/{n}/readiness",
         .access = Access::kTenantViewer,
         .summary = "What an agency still needs for a pathway (gap report with citations)",
         .tag = "dossiers",
         .handler = Bind(self, &RegionalRoutes::Readiness),
         .query = {{.name = "agency", .description = "FDA, EU or HSA (required)"},
                   {.name = "pathway",
                    .description = "The agency's pathway (default: the recorded or the class default)"},
                   {.name = "asOf",
                    .description = "Day the rules are applied at (default today UTC): rows with a "
                                   "later effective date only advise",
                    .format = "date"}}});
    api_.AddRoute(
        {.method = "POST",
         .pattern = "/v1/tenants/{t}/imports",
         .access = Access::kTenantEditor,
         .summary =
             "A regional package or record to canonical content and a loss report (nothing is committed)",
         .tag = "imports",
         .handler = Bind(self, &RegionalRoutes::Import),
         .streams_body = true});
    api_.AddRoute(
        {.method = "POST",
         .pattern = "/v1/tenants/{t}/change-plans/{p}/modifications",
         .access = Access::kTenantEditor,
         .summary = "Record an executed modification; answer: its evaluation against the plan",
         .tag = "change-plans",
         .handler = Bind(self, &RegionalRoutes::Modification),
         .request_example =
             R"({"planVersion":1,"modificationId":"M1","softwareVersion":"2.4.0","results":[{"metric":"sensitivity","value":0.93,"n":612},{"metric":"sensitivity","subgroup":"sex=female","value":0.91,"n":281}]})",
         .query = {{.name = "evaluationDate",
                    .description = "Day the change is evaluated for (RFC 3339 date, default today UTC): "
                                   "date-dependent rules such as the EU AI Act Art 43(4) pre-determined "
                                   "changes (from 2 Aug 2028) follow it",
                    .format = "date"}}});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/change-plans/{p}/modifications",
                   .access = Access::kTenantViewer,
                   .summary = "Recorded modifications and their evaluations",
                   .tag = "change-plans",
                   .handler = Bind(self, &RegionalRoutes::ListModifications)});
  }

 private:
  StatusOr<Response> Export(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t n, VersionParam(c.Param("n")));
    DOSSIER_ASSIGN_OR_RETURN(auto version, api_.store().GetVersion(c.Param("t"), "dossiers", c.Param("d"), n));
    DOSSIER_ASSIGN_OR_RETURN(v1::Dossier dossier, LoadDossierVersion(api_, c.Param("t"), c.Param("d"), n));
    return ExportResponse(api_, ExportSource{&dossier, c.Param("t"), version.created_ms()}, c.request,
                          c.Param("d") + "-v" + std::to_string(n));
  }

  StatusOr<Response> ListExportProfiles(RouteContext& c) {
    (void)c;
    DOSSIER_ASSIGN_OR_RETURN(json::object current, CurrentExportProfiles(api_));
    json::array items;
    for (const translate::ExportProfile& p : translate::ExportProfiles()) {
      json::object item = translate::ExportProfileToJson(p);
      // "default": the deployment's default now, which may have moved from the built-in one.
      item["default"] = current.at(p.format).as_string() == p.name;
      items.push_back(std::move(item));
    }
    return Response::Json(200, json::serialize(json::object{{"profiles", std::move(items)}}));
  }

  StatusOr<Response> Readiness(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t n, VersionParam(c.Param("n")));
    DOSSIER_ASSIGN_OR_RETURN(v1::Dossier dossier, LoadDossierVersion(api_, c.Param("t"), c.Param("d"), n));
    return ReadinessResponse(api_, c.Param("t"), dossier, c.request, "", "");
  }

  StatusOr<Response> Import(RouteContext& c) {
    auto format = c.request.Query("format");
    if (!format) return InvalidArgument("is required", "missing-field", "format");
    bool known = false;
    for (const auto& f : translate::ImportFormats()) known = known || f == *format;
    if (!known)
      return InvalidArgument("unknown import format \"" + *format + "\"", "unknown-format", "format");
    if (c.request.body_file.empty()) return InvalidArgument("the import has no body", "length-required");

    if (!translate::ImportIsMultiRecord(*format)) {
      std::optional<json::object> record;
      DOSSIER_RETURN_IF_ERROR(
          translate::Import(*format, c.request.body_file, [&](translate::ImportRecord&& r) -> Status {
            if (record) return InvalidArgument("the input holds more than one record", "multiple-records");
            record = translate::ImportRecordToJson(r);
            return Status::Ok();
          }));
      if (!record) return InvalidArgument("the input holds no record", "no-records");
      return Response::Json(200, json::serialize(*record));
    }
    // Many records: one JSON object per line, written to a staged file as
    // parsed and streamed from disk, so a large release is never in memory.
    DOSSIER_ASSIGN_OR_RETURN(const std::string staged_name, ::dossier::RandomHex(12));
    const fs::path out = api_.store().StagingDir() / ("import-" + staged_name + ".ndjson");
    std::ofstream file(out, std::ios::binary);
    uint64_t count = 0;
    Status s = translate::Import(*format, c.request.body_file, [&](translate::ImportRecord&& r) -> Status {
      file << json::serialize(translate::ImportRecordToJson(r)) << '\n';
      ++count;
      return file ? Status::Ok() : Unavailable("cannot stage the import result", "io-error");
    });
    file.close();
    std::error_code ec;
    if (!s.ok()) {
      fs::remove(out, ec);
      return s;
    }
    Response r;
    r.status = 200;
    r.content_type = "application/x-ndjson";
    r.file = FileSlice{out, 0, fs::file_size(out, ec), nullptr};
    r.delete_file_after = true;
    r.headers.emplace_back("X-Dossier-Record-Count", std::to_string(count));
    return r;
  }

  StatusOr<Response> Modification(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    const std::string& plan_id = c.Param("p");
    // Date-dependent rules (EU AI Act Art 43(4)) follow evaluationDate; default today.
    pccp::EvaluateOptions options;
    if (auto date = c.request.Query("evaluationDate")) {
      DOSSIER_ASSIGN_OR_RETURN(options.evaluation_date, EvaluationDateParam(*date));
    }
    auto& store = api_.store();
    DOSSIER_ASSIGN_OR_RETURN(auto plan_object, store.GetObject(tenant, "change-plans", plan_id));
    DOSSIER_ASSIGN_OR_RETURN(pccp::ModificationRecord record, pccp::ParseModificationRecord(c.request.body));
    // planVersion names a stored version number, or the plan's own label; a
    // label is resolved against the head version.
    uint64_t version = plan_object.head_version();
    if (auto numbered = ParseUint64(record.plan_version, "planVersion"); numbered.ok()) version = *numbered;
    if (version == 0)
      return FailedPrecondition("the change plan has no committed version", "no-plan-version");
    auto stored = store.GetVersion(tenant, "change-plans", plan_id, version);
    if (!stored.ok()) {
      return InvalidArgument("change plan " + plan_id + " has no version " + std::to_string(version),
                             "unknown-version", "planVersion");
    }
    DOSSIER_ASSIGN_OR_RETURN(std::string content, api_.LoadContent(tenant, *stored));
    DOSSIER_ASSIGN_OR_RETURN(
        auto format,
        schema::FormatOfMediaType(stored->media_type(), "application/vnd.dossier.change-plan.v1"));
    DOSSIER_ASSIGN_OR_RETURN(v1::ChangePlan plan, schema::ParseChangePlan(content, format));
    if (!record.plan_version.empty() &&
        record.plan_version.find_first_not_of("0123456789") != std::string::npos) {
      // A label: keep it as the plan's own version label for the evaluator.
    } else {
      record.plan_version = plan.plan_version().empty() ? record.plan_version : plan.plan_version();
    }
    DOSSIER_ASSIGN_OR_RETURN(pccp::Evaluation evaluation, pccp::Evaluate(plan, record, options));
    json::object out = pccp::EvaluationToJson(evaluation);
    DOSSIER_ASSIGN_OR_RETURN(const std::string random_suffix, ::dossier::RandomHex(4));
    const std::string id = FormatTime(NowMs()) + "-" + random_suffix;
    out["id"] = id;
    out["planVersion"] = version;
    out["planDigest"] = stored->content_digest();
    boost::system::error_code ec;
    json::value posted = json::parse(c.request.body, ec);
    json::object stored_record{{"id", id}, {"record", ec ? json::value() : posted}, {"evaluation", out}};
    DOSSIER_RETURN_IF_ERROR(
        store.WriteRecords({{tenant, "modifications/" + plan_id, id, json::serialize(stored_record)}}));
    return Response::Json(201, json::serialize(out));
  }

  StatusOr<Response> ListModifications(RouteContext& c) {
    DOSSIER_RETURN_IF_ERROR(api_.store().GetObject(c.Param("t"), "change-plans", c.Param("p")).status());
    DOSSIER_ASSIGN_OR_RETURN(auto page,
                             api_.store().ListRecords(c.Param("t"), "modifications/" + c.Param("p"),
                                                      api_.PageToken(c.request), api_.PageSize(c.request)));
    json::array items;
    for (auto& [id, text] : page.items) {
      boost::system::error_code ec;
      json::value v = json::parse(text, ec);
      if (!ec) items.push_back(std::move(v));
    }
    json::object out{{"modifications", std::move(items)}};
    if (!page.next_page_token.empty()) out["nextPageToken"] = page.next_page_token;
    return Response::Json(200, json::serialize(out));
  }

  ApiServices& api_;
};

}  // namespace

void AddRegionalRoutes(ApiServices& services) {
  auto routes = std::make_shared<RegionalRoutes>(services);
  routes->Register(routes);
}

}  // namespace dossier::server
