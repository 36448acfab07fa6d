// Routes that view a dossier through an agency's eyes (exports, readiness),
// turn regional packages back into canonical content (imports), and evaluate
// executed modifications against a change plan.

#include "server/regional.h"

#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "common/bounded_queue.h"
#include "common/decimal.h"
#include "common/random.h"
#include "common/time.h"
#include "schema/dossier_codec.h"
#include "schema/pccp/evaluate.h"
#include "schema/translate/profiles.h"
#include "schema/translate/translate.h"
#include "server/api_services.h"
#include "server/json_util.h"
#include "server/log_evidence.h"
#include "server/openapi_schemas.h"
#include "server/problem.h"
#include "trust/bundle.h"
#include "trust/encoding.h"
#include "trust/export_package.h"
#include "trust/json_forms.h"

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

namespace {

// What ties an export to the signed version it shows (trust/export_package.h):
// the version's bundle against the current checkpoint — verified here with
// the one verifier before the node vouches for it — and the content bytes as
// signed; the log key signs the final manifest.
StatusOr<translate::ExportBinding> BindingFor(ApiServices& api, const std::string& tenant,
                                              const std::string& dossier_id, uint64_t version) {
  DOSSIER_ASSIGN_OR_RETURN(auto v, api.store().GetVersion(tenant, "dossiers", dossier_id, version));
  DOSSIER_ASSIGN_OR_RETURN(std::string content, api.LoadContent(tenant, v));
  DOSSIER_ASSIGN_OR_RETURN(std::string note, api.CurrentCheckpoint());
  trust::BundleVerifier verifier(api.LogOrigin(), api.LogPublicKey());
  DOSSIER_ASSIGN_OR_RETURN(trust::Checkpoint checkpoint, verifier.VerifyCheckpoint(note));
  DOSSIER_ASSIGN_OR_RETURN(trust::Bundle bundle,
                           VersionBundle(api.store(), tenant, v, note, checkpoint.tree_size));
  if (auto verified = verifier.Verify(bundle, &content); !verified.ok()) {
    return Internal("the stored version does not verify: " + verified.status().message(),
                    "export-unverifiable");
  }
  trust::SignedVersionRef ref;
  ref.tenant = tenant;
  ref.object = "dossiers/" + dossier_id;
  ref.dossier = dossier_id;
  ref.version = version;
  ref.content_digest = v.content_digest();
  ref.media_type = v.media_type();
  ref.log_index = v.log_index();
  ref.tree_size = checkpoint.tree_size;
  ref.checkpoint_note = note;
  const bool protobuf = v.media_type().ends_with("+protobuf");
  ref.content_path = protobuf ? "signed/content.pb" : "signed/content.json";
  ref.bundle_path = "signed/bundle.json";
  translate::ExportBinding binding;
  binding.signed_version = trust::SignedVersionToJson(ref);
  binding.files = {{ref.content_path, std::move(content)},
                   {ref.bundle_path, json::serialize(trust::BundleToJson(bundle))}};
  binding.sign_manifest = [&api](std::string_view manifest) { return api.SignExportManifest(manifest); };
  return binding;
}

}  // namespace

StatusOr<Response> ExportResponse(ApiServices& api, const ExportSource& source, const Request& request,
                                  const std::string& file_stem, const json::object* pinned) {
  const std::string& tenant = source.tenant;
  const v1::Dossier& dossier = *source.dossier;
  auto format = request.Query("format");
  if (!format)
    return InvalidArgument("is required: one of imdrf-toc, fda-estar, eu-mdr, hsa-csdt, fhir-r5",
                           "missing-field", "format");
  const translate::ExportProfile* profile = nullptr;
  if (auto named = request.Query("profile")) {
    DOSSIER_ASSIGN_OR_RETURN(profile, translate::FindExportProfile(*format, *named));
  } else if (const json::value* pin = pinned ? pinned->if_contains(*format) : nullptr;
             pin && pin->is_string()) {
    DOSSIER_ASSIGN_OR_RETURN(profile, translate::FindExportProfile(*format, std::string(pin->as_string())));
  } else {
    auto current = translate::DefaultExportProfile(*format, api.options().export_profile_defaults);
    // An unknown format is reported by the export itself, naming the formats.
    if (current.ok()) profile = *current;
  }
  // fhir-r5 is a bare Bundle unless the caller asks for the bound package.
  const auto packaging = request.Query("package");
  if (packaging && *packaging != "zip")
    return InvalidArgument("must be \"zip\" when given", "bad-parameter", "package");
  const bool bound = *format != "fhir-r5" || packaging.has_value();
  const uint64_t max_doc = api.options().max_blob_bytes;
  translate::BlobReader blobs = [&api, &tenant, max_doc](std::string_view digest) -> StatusOr<std::string> {
    // Verified against its digest: a damaged document fails the export
    // ("blob-corrupt") rather than being packed into it.
    auto bytes = api.store().ReadBlob(tenant, digest, max_doc);
    if (bytes.status().reason() == "blob-too-large") {
      return Unavailable("cannot read document " + std::string(digest), "io-error");
    }
    return bytes;
  };
  std::optional<translate::ExportBinding> binding;
  if (bound) {
    bool known = false;
    for (const auto& f : translate::ExportFormats()) known = known || f == *format;
    if (!known)
      return InvalidArgument("unknown export format \"" + *format + "\"", "unknown-format", "format");
    DOSSIER_ASSIGN_OR_RETURN(binding, BindingFor(api, tenant, source.dossier_id, source.version));
  }
  translate::ExportOptions export_options;
  export_options.profile = profile;
  export_options.created_ms = source.signed_ms;
  export_options.binding = binding ? &*binding : nullptr;
  auto result = translate::Export(dossier, *format, blobs, export_options);
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

std::vector<QueryParam> ExportQuery() {
  return {{.name = "format",
           .required = true,
           .allowed = {"imdrf-toc", "fda-estar", "eu-mdr", "hsa-csdt", "fhir-r5"}},
          {.name = "package",
           .description = "zip: fhir-r5 too as a ZIP bound to the signed version (ZIP formats always are)",
           .allowed = {"zip"}}};
}

std::vector<QueryParam> ReadinessQuery() {
  return {
      {.name = "agency",
       .description = "required on a dossier version; a submission defaults to its own",
       .allowed = {"FDA", "EU", "HSA"}},
      {.name = "pathway", .description = "default: the one the dossier records"},
      {.name = "asOf",
       .description = "Day the rules are applied at (default today UTC): rows with a later effective date "
                      "only advise",
       .format = "date"}};
}

namespace {

// A many-record import in two stages on two threads: a parser thread reads
// the input (inflate, XML, mapping: the larger part of the CPU) while this
// thread prints each record as JSON and sends it. Records reach the client in
// input order. A parse failure ends the answer after the records parsed before
// it; a client that goes away stops the parser at its next batch.
Status ImportInTwoStages(const std::string& format, const std::filesystem::path& input, BodySink& sink) {
  using Batch = std::vector<translate::ImportRecord>;
  // Batches amortise the hand-over; four of them bound the records in flight.
  constexpr size_t kBatchRecords = 64;
  BoundedQueue<Batch> batches(4);
  // Printed batches go back to the parser thread to be freed there: a record
  // is many small allocations, and glibc's free of memory another thread
  // allocated cost a quarter more CPU in all (perf: malloc and free 17 % of
  // the import's CPU in one thread, 28 % when the printer freed the records).
  std::mutex spent_mu;
  std::vector<Batch> spent;
  Status parsed;
  std::thread parser([&] {
    Batch batch;
    try {
      parsed = translate::Import(format, input, [&](translate::ImportRecord&& record) -> Status {
        batch.push_back(std::move(record));
        if (batch.size() < kBatchRecords) return Status::Ok();
        std::vector<Batch> printed;
        {
          std::lock_guard lock(spent_mu);
          printed.swap(spent);
        }
        printed.clear();
        if (!batches.Push(std::exchange(batch, {}))) {
          return Status(StatusCode::kCancelled, "the answer stopped", "connection-lost");
        }
        return Status::Ok();
      });
    } catch (const std::exception& e) {  // bad_alloc: fail this import, not the server
      parsed = Internal(std::string("import failed: ") + e.what());
    }
    // Records parsed before a failure are still sent, then the failure.
    if (!batch.empty()) (void)batches.Push(std::move(batch));
    batches.Close();
  });
  Status sent;
  {
    // Whatever ends this block (the last batch, a failed write, an
    // exception), the parser is stopped and joined before `parsed` is read.
    struct StopParser {
      BoundedQueue<Batch>& batches;
      std::thread& parser;
      ~StopParser() {
        batches.Cancel();  // a no-op once the parser closed the queue and ended
        parser.join();
      }
    } stop{batches, parser};
    std::string line;
    while (sent.ok()) {
      std::optional<Batch> batch = batches.Pop();
      if (!batch) break;
      for (const translate::ImportRecord& record : *batch) {
        line = translate::ImportRecordToJsonText(record);
        line += '\n';
        sent = sink.Write(line);
        if (!sent.ok()) break;
      }
      std::lock_guard lock(spent_mu);
      spent.push_back(std::move(*batch));
    }
  }
  return sent.ok() ? parsed : sent;
}

// A modification record as an ML pipeline posts it (schema/pccp/evaluate.h).
constexpr const char* kModificationRecordSchema =
    R"json({"type":"object","required":["planVersion","results"],
  "properties":{"planVersion":{"type":["integer","string"],"description":"stored version number, or the plan's own label"},
    "modificationId":{"type":"string","description":"omitted only for a bug-fix or security-patch-only revision"},
    "softwareVersion":{"type":"string"},"previousSoftwareVersion":{"type":"string"},
    "originalSoftwareVersion":{"type":"string"},"date":{"type":"string","format":"date"},
    "rationale":{"type":"string"},"approver":{"type":"string"},
    "notifiedParties":{"type":"array","items":{"type":"string"}},
    "results":{"type":"array","items":{"type":"object","required":["metric","value"],"not":{"required":["n"],"properties":{"n":{"description":"the old short name of sampleSize, refused"}}},
      "properties":{"metric":{"type":"string"},
        "subgroup":{"type":"string","description":"omit for the whole population"},
        "value":{"type":"number"},"ciLower":{"type":"number"},"ciUpper":{"type":"number"},
        "confidenceLevel":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":1},
        "sampleSize":{"type":"integer","minimum":0},"originalValue":{"type":"number"}}}},
    "dataSummary":{"type":"object",
      "properties":{"description":{"type":"string"},"trainingCases":{"type":"integer","minimum":0},
        "tuningCases":{"type":"integer","minimum":0},"testCases":{"type":"integer","minimum":0},
        "sites":{"type":"array","items":{"type":"string"}},"collectionPeriod":{"type":"string"},
        "testDataSequestered":{"type":"boolean"},"referenceStandard":{"type":"string"}}},
    "changes":{"type":"object",
      "properties":{"newInputTypes":{"type":"array","items":{"type":"string"}},
        "indicationChanged":{"type":"boolean"},"intendedUseChanged":{"type":"boolean"},
        "dataInterpretationChanged":{"type":"boolean"},"clinicianReviewRemoved":{"type":"boolean"},
        "bugFixOnly":{"type":"boolean"},"securityPatchOnly":{"type":"boolean"},
        "labellingSections":{"type":"array","items":{"type":"string"}},"description":{"type":"string"}}}}})json";

// pccp::EvaluationToJson (schema/pccp/evaluate.cc) with the id and plan
// digest regional.cc adds; a finding is shared with post-market reports.
constexpr const char* kFindingSchema = R"json({"type":"object",
  "required":["modificationId","metric","subgroup","estimate","value","threshold","thresholdMin","thresholdMax","pass","criterion","explanation"],
  "properties":{"modificationId":{"type":"string"},"metric":{"type":"string"},
    "subgroup":{"type":"string","description":"empty: the whole population"},"site":{"type":"string"},
    "estimate":{"type":"string","description":"which estimate the criterion bounds (point, ci-lower, ci-upper)"},
    "value":{"type":["number","null"],"description":"null when no result was given"},
    "threshold":{"type":["number","null"]},"thresholdMin":{"type":["number","null"]},
    "thresholdMax":{"type":["number","null"]},"pass":{"type":"boolean"},
    "failure":{"type":"string","description":"why it did not pass (missing-result, below-threshold, ...)"},
    "pointEstimate":{"type":"number"},"ciLower":{"type":"number"},"ciUpper":{"type":"number"},
    "sampleSize":{"type":"integer"},"minSampleSize":{"type":"integer"},
    "maxWorseningFromOriginal":{"type":"number"},"originalValue":{"type":"number"},
    "criterion":{"type":"string","description":"JSON path of the plan's criterion"},
    "result":{"type":"string","description":"JSON path of the record's result"},"explanation":{"type":"string"}}})json";
constexpr const char* kModificationEvaluationSchema = R"json({"type":"object",
  "required":["withinPlan","changeClass","modificationId","softwareVersion","planVersion","evaluationDate","outOfPlanReasons","reasons","findings","jurisdictions","actions"],
  "properties":{"id":{"type":"string"},"withinPlan":{"type":"boolean"},
    "changeClass":{"type":"string","enum":["minor-revision","planned-modification","unplanned-change"]},
    "modificationId":{"type":"string"},"softwareVersion":{"type":"string"},"planVersion":{"type":"integer"},
    "planDigest":{"$ref":"#/components/schemas/Digest"},"evaluationDate":{"type":"string","format":"date"},
    "outOfPlanReasons":{"type":"array","items":{"type":"string"}},
    "reasons":{"type":"array","items":{"type":"object","required":["code","field","explanation"],
      "properties":{"code":{"type":"string"},"field":{"type":"string"},"explanation":{"type":"string"}}}},
    "findings":{"type":"array","items":{"$ref":"#/components/schemas/Finding"}},
    "jurisdictions":{"type":"array","items":{"type":"object",
      "required":["jurisdiction","authorizationStatus","reference","withinPlan","explanation"],
      "properties":{"jurisdiction":{"type":"string"},"authorizationStatus":{"type":"string"},
        "reference":{"type":"string"},"withinPlan":{"type":"boolean"},"explanation":{"type":"string"}}}},
    "actions":{"type":"array","items":{"type":"object","required":["jurisdiction","action","citation","explanation"],
      "properties":{"jurisdiction":{"type":"string"},"action":{"type":"string"},"citation":{"type":"string"},
        "explanation":{"type":"string"},"category":{"type":"string"},"verification":{"type":"string"}}}}}})json";

class RegionalRoutes {
 public:
  explicit RegionalRoutes(ApiServices& api) : api_(api) {}

  void Register(const std::shared_ptr<RegionalRoutes>& self) {
    api_.AddSchema("ExportProfileList", R"json({"type":"object","required":["profiles"],
      "properties":{"profiles":{"type":"array","items":{"type":"object",
        "required":["format","name","title","default","verification"],
        "properties":{"format":{"type":"string"},"name":{"type":"string"},"title":{"type":"string"},
          "default":{"type":"boolean","description":"this deployment's default for the format now"},
          "verification":{"type":"string"},"eudamedMessageVersion":{"type":"string"},
          "estarTemplate":{"type":"string"}}}}}})json");
    api_.AddSchema("ModificationRecord", kModificationRecordSchema);
    api_.AddSchema("Finding", kFindingSchema);
    api_.AddSchema("ModificationEvaluation", kModificationEvaluationSchema);
    api_.AddSchema("ModificationList", R"json({"type":"object","required":["modifications"],
      "properties":{"modifications":{"type":"array","items":{"type":"object","required":["id","record","evaluation"],
        "properties":{"id":{"type":"string"},
        "record":{"$ref":"#/components/schemas/ModificationRecord"},
        "evaluation":{"$ref":"#/components/schemas/ModificationEvaluation"}}}},
        "nextPageToken":{"type":"string"}}})json");
    api_.AddSchema("ImportResult", R"json({"type":"object","required":["content","loss"],
      "properties":{"content":{"$ref":"#/components/schemas/dossier.v1.Dossier"},
        "loss":{"type":"array","items":{"type":"object","properties":{"path":{"type":"string"},
          "reason":{"type":"string"}}}}}})json");
    api_.AddRoute(
        {.method = "GET",
         .pattern = "/v1/tenants/{t}/dossiers/{d}/versions/{n}/export",
         .access = Access::kTenantViewer,
         .summary = "The version as an agency package (ZIP; fhir-r5 a JSON Bundle) with a loss report",
         .tag = "dossiers",
         .handler = Bind(self, &RegionalRoutes::Export),
         .response_media_type = "application/zip",
         .query = ExportQuery()});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/export-profiles",
                   .access = Access::kAuthenticated,
                   .summary = "Export formats' named, versioned profiles and which is each format's default",
                   .tag = "dossiers",
                   .handler = Bind(self, &RegionalRoutes::ListExportProfiles),
                   .response_schema = "ExportProfileList"});
    api_.AddRoute({.method = "GET",
                   .pattern = "/v1/tenants/{t}/dossiers/{d}/versions/{n}/readiness",
                   .access = Access::kTenantViewer,
                   .summary = "What an agency still needs for a pathway (gap report with citations)",
                   .tag = "dossiers",
                   .handler = Bind(self, &RegionalRoutes::Readiness),
                   .response_schema = schemas::kReadinessReport,
                   .query = ReadinessQuery()});
    api_.AddRoute(
        {.method = "POST",
         .pattern = "/v1/tenants/{t}/imports",
         .access = Access::kTenantEditor,
         .summary =
             "A regional package or record to canonical content and a loss report (nothing is committed)",
         .tag = "imports",
         .handler = Bind(self, &RegionalRoutes::Import),
         .streams_body = true,
         .response_schema = "ImportResult",
         .response_ndjson = true,
         .query = {{.name = "format",
                    .required = true,
                    .allowed = {"imdrf-toc", "fda-estar", "eu-mdr", "hsa-csdt", "fhir-r5", "gudid-xml",
                                "openfda-510k", "openfda-classification", "eudamed-dtx"}}},
         .success_status = 200});
    api_.AddRoute(
        {.method = "POST",
         .pattern = "/v1/tenants/{t}/change-plans/{p}/modifications",
         .access = Access::kTenantEditor,
         .summary = "Record an executed modification; answer: its evaluation against the plan",
         .tag = "change-plans",
         .handler = Bind(self, &RegionalRoutes::Modification),
         // No "subgroup": a result for the whole population omits it.
         .request_example =
             R"({"planVersion":1,"modificationId":"M1","softwareVersion":"2.4.0","results":[{"metric":"sensitivity","value":0.93,"ciLower":0.9,"sampleSize":612},{"metric":"sensitivity","subgroup":"sex=female","value":0.91,"sampleSize":281}]})",
         .request_schema = "ModificationRecord",
         .response_schema = "ModificationEvaluation",
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
                   .handler = Bind(self, &RegionalRoutes::ListModifications),
                   .response_schema = "ModificationList",
                   .query = PagingQuery()});
  }

 private:
  StatusOr<Response> Export(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t n, VersionParam(c.Param("n")));
    DOSSIER_ASSIGN_OR_RETURN(auto version,
                             api_.store().GetVersion(c.Param("t"), "dossiers", c.Param("d"), n));
    DOSSIER_ASSIGN_OR_RETURN(v1::Dossier dossier, LoadDossierVersion(api_, c.Param("t"), c.Param("d"), n));
    return ExportResponse(api_, ExportSource{&dossier, c.Param("t"), c.Param("d"), n, version.created_ms()},
                          c.request, c.Param("d") + "-v" + std::to_string(n));
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
      std::optional<std::string> record;
      DOSSIER_RETURN_IF_ERROR(
          translate::Import(*format, c.request.body_file, [&](translate::ImportRecord&& r) -> Status {
            if (record) return InvalidArgument("the input holds more than one record", "multiple-records");
            record = translate::ImportRecordToJsonText(r);
            return Status::Ok();
          }));
      if (!record) return InvalidArgument("the input holds no record", "no-records");
      return Response::Json(200, std::move(*record));
    }
    // Many records: one JSON object per line, sent as each is parsed
    // (chunked), so a large release is never whole in memory and the client
    // reads while the server parses. A failure within the first chunk is a
    // 4xx as above; after it, the last line says what went wrong (a problem
    // document under "problem") and the body ends without its last chunk.
    Response r;
    r.status = 200;
    r.content_type = "application/x-ndjson";
    r.stream = [format = *format, input = c.request.body_file, instance = c.request.path](BodySink& sink) {
      Status outcome = ImportInTwoStages(format, input, sink);
      if (!outcome.ok() && outcome.code() != StatusCode::kCancelled && sink.committed()) {
        (void)sink.Write("{\"problem\":" + ProblemResponse(outcome, instance).body + "}\n");
      }
      return outcome;
    };
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
