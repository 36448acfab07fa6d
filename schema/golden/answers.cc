#include "schema/golden/answers.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "schema/decision_check.h"
#include "schema/dossier_codec.h"
#include "schema/pccp/evaluate.h"
#include "schema/sameness.h"
#include "schema/section_digest.h"
#include "schema/toc.h"
#include "schema/translate/package.h"
#include "schema/translate/translate.h"
#include "schema/translate/zip.h"
#include "schema/validate.h"

namespace dossier::golden {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

constexpr const char* kBadCase = "bad-golden-case";
constexpr const char* kEudamedEntry = "EUDAMED/DTX-device-registration.xml";

Status BadCase(const std::string& field, const std::string& what) {
  return InvalidArgument(field + ": " + what, kBadCase, field);
}

StatusOr<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return BadCase(path.filename().string(), "cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

StatusOr<std::string> InputString(const json::object& input, const std::string& name, const char* fallback) {
  const json::value* v = input.if_contains(name);
  if (v == nullptr && fallback != nullptr) return std::string(fallback);
  if (v == nullptr || !v->is_string() || v->as_string().empty())
    return BadCase("input." + name, "a non-empty string is required");
  return std::string(v->as_string());
}

// A refusal by the code under test, as an answer.
json::value ErrorAnswer(const Status& status) {
  return json::object{{"error", json::object{{"code", std::string(StatusCodeName(status.code()))},
                                             {"reason", status.reason()},
                                             {"field", status.field()},
                                             {"message", status.message()}}}};
}

json::value Valid(const Status& status) {
  return status.ok() ? json::value(json::object{{"valid", true}}) : ErrorAnswer(status);
}

// A case file the code must parse; a parse failure is the code's answer
// (the schema may have moved), so it comes back as an error answer.
StatusOr<StatusOr<v1::Dossier>> LoadDossier(const fs::path& dir, const json::object& input) {
  DOSSIER_ASSIGN_OR_RETURN(std::string name, InputString(input, "dossier", "dossier.json"));
  DOSSIER_ASSIGN_OR_RETURN(std::string bytes, ReadText(dir / name));
  return schema::ParseDossier(bytes, schema::ContentFormat::kJson);
}

// The case dossiers' digests are SHA-256 of the file names (as in
// schema/testdata): serve each document's file name as its bytes.
translate::BlobReader FileNameBlobs(const v1::Dossier& d) {
  std::map<std::string, std::string> blobs;
  for (const auto& s : d.sections()) {
    for (const auto& doc : s.documents()) blobs[translate::Sha256Digest(doc.file_name())] = doc.file_name();
  }
  return [blobs](std::string_view digest) -> StatusOr<std::string> {
    auto it = blobs.find(std::string(digest));
    if (it == blobs.end()) return NotFound("no blob " + std::string(digest), "blob-missing");
    return it->second;
  };
}

json::array LossJson(const std::vector<translate::LossItem>& loss) {
  json::array out;
  for (const auto& l : loss) out.push_back(json::object{{"path", l.path}, {"reason", l.reason}});
  return out;
}

// The files of an exported ZIP, and the EUDAMED registration message if any.
StatusOr<json::object> ZipContents(const std::string& bytes) {
  const fs::path tmp = fs::temp_directory_path() / ("golden-export-" + std::to_string(::getpid()) + ".zip");
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  json::object out;
  auto reader = translate::ZipReader::Open(tmp, translate::ImportLimits());
  if (!reader.ok()) {
    fs::remove(tmp);
    return reader.status();
  }
  json::array files;
  for (const auto& name : (*reader)->Names()) files.emplace_back(name);
  out["files"] = std::move(files);
  if ((*reader)->Has(kEudamedEntry)) {
    auto xml = (*reader)->ReadAll(kEudamedEntry, 16u << 20);
    if (xml.ok()) out["eudamedXml"] = *xml;
  }
  fs::remove(tmp);
  return out;
}

StatusOr<json::value> ExportAnswer(const fs::path& dir, const json::object& input) {
  DOSSIER_ASSIGN_OR_RETURN(StatusOr<v1::Dossier> dossier, LoadDossier(dir, input));
  if (!dossier.ok()) return ErrorAnswer(dossier.status());
  DOSSIER_ASSIGN_OR_RETURN(std::string format, InputString(input, "format", nullptr));
  auto result = translate::Export(*dossier, format, FileNameBlobs(*dossier));
  if (!result.ok()) return ErrorAnswer(result.status());
  json::object out{{"contentType", result->content_type}, {"loss", LossJson(result->loss)}};
  if (result->content_type == "application/zip") {
    auto contents = ZipContents(result->bytes);
    if (!contents.ok()) return ErrorAnswer(contents.status());
    for (auto& m : *contents) out[m.key()] = std::move(m.value());
  }
  return json::value(std::move(out));
}

// $DOSSIER_SHARED/fixtures (default ../shared/fixtures, as every fixture test).
fs::path FixturesDir() {
  const char* env = std::getenv("DOSSIER_SHARED");
  return env ? fs::path(env) / "fixtures" : fs::path("../shared/fixtures");
}

// The input file: "file" in the case folder, or "fixture" under the shared
// fixtures (never copied into the repo). A missing fixture is reason
// "fixture-missing" so the runner can skip outside CI.
StatusOr<fs::path> InputFile(const fs::path& dir, const json::object& input) {
  if (input.contains("fixture")) {
    DOSSIER_ASSIGN_OR_RETURN(std::string name, InputString(input, "fixture", nullptr));
    const fs::path path = FixturesDir() / name;
    if (!fs::exists(path)) return NotFound("fixture not found: " + path.string(), "fixture-missing");
    return path;
  }
  DOSSIER_ASSIGN_OR_RETURN(std::string file, InputString(input, "file", nullptr));
  if (!fs::exists(dir / file)) return BadCase("input.file", "no file " + (dir / file).string());
  return dir / file;
}

StatusOr<json::value> ImportAnswer(const fs::path& dir, const json::object& input) {
  DOSSIER_ASSIGN_OR_RETURN(std::string format, InputString(input, "format", nullptr));
  DOSSIER_ASSIGN_OR_RETURN(fs::path file, InputFile(dir, input));
  json::array records;
  Status st = translate::Import(format, file, [&](translate::ImportRecord&& r) {
    records.push_back(translate::ImportRecordToJson(r));
    return Status::Ok();
  });
  if (!st.ok()) return ErrorAnswer(st);
  return json::value(json::object{{"records", std::move(records)}});
}

StatusOr<StatusOr<v1::ChangePlan>> LoadPlan(const fs::path& dir, const json::object& input) {
  DOSSIER_ASSIGN_OR_RETURN(std::string name, InputString(input, "plan", nullptr));
  DOSSIER_ASSIGN_OR_RETURN(std::string bytes, ReadText(dir / name));
  return schema::ParseChangePlan(bytes, schema::ContentFormat::kJson);
}

StatusOr<json::value> PccpAnswer(const fs::path& dir, const json::object& input) {
  DOSSIER_ASSIGN_OR_RETURN(StatusOr<v1::ChangePlan> plan, LoadPlan(dir, input));
  if (!plan.ok()) return ErrorAnswer(plan.status());
  DOSSIER_ASSIGN_OR_RETURN(std::string name, InputString(input, "modification", nullptr));
  DOSSIER_ASSIGN_OR_RETURN(std::string bytes, ReadText(dir / name));
  auto record = pccp::ParseModificationRecord(bytes);
  if (!record.ok()) return ErrorAnswer(record.status());
  // The date the change is evaluated for decides date-dependent rules (AI Act
  // Art 43(4) for MDR/IVDR devices): the case's evaluationDate, else the day
  // the record says the change was made.
  pccp::EvaluateOptions options;
  DOSSIER_ASSIGN_OR_RETURN(options.evaluation_date,
                           InputString(input, "evaluationDate", record->date.c_str()));
  auto evaluation = pccp::Evaluate(*plan, *record, options);
  if (!evaluation.ok()) return ErrorAnswer(evaluation.status());
  return json::value(pccp::EvaluationToJson(*evaluation));
}

StatusOr<json::value> ReadinessAnswer(const fs::path& dir, const json::object& input) {
  DOSSIER_ASSIGN_OR_RETURN(StatusOr<v1::Dossier> dossier, LoadDossier(dir, input));
  if (!dossier.ok()) return ErrorAnswer(dossier.status());
  DOSSIER_ASSIGN_OR_RETURN(std::string agency, InputString(input, "agency", nullptr));
  DOSSIER_ASSIGN_OR_RETURN(std::string pathway, InputString(input, "pathway", ""));
  // asOf pins the date rules are applied at (effective dates, marketing
  // years), so a case does not change its answer as time passes.
  translate::ReadinessOptions options;
  DOSSIER_ASSIGN_OR_RETURN(options.as_of, InputString(input, "asOf", ""));
  auto report = translate::Readiness(*dossier, agency, pathway, options);
  if (!report.ok()) return ErrorAnswer(report.status());
  return json::value(translate::ReadinessToJson(*report));
}

// The reliance sameness view of `dossier` against a peer's copy `peer`,
// optionally with the peer's decision as its review report.
StatusOr<json::value> SamenessAnswer(const fs::path& dir, const json::object& input) {
  DOSSIER_ASSIGN_OR_RETURN(StatusOr<v1::Dossier> ours, LoadDossier(dir, input));
  if (!ours.ok()) return ErrorAnswer(ours.status());
  DOSSIER_ASSIGN_OR_RETURN(std::string peer_name, InputString(input, "peer", nullptr));
  json::object peer_input{{"dossier", peer_name}};
  DOSSIER_ASSIGN_OR_RETURN(StatusOr<v1::Dossier> theirs, LoadDossier(dir, peer_input));
  if (!theirs.ok()) return ErrorAnswer(theirs.status());
  std::optional<v1::Decision> review;
  if (input.contains("review")) {
    DOSSIER_ASSIGN_OR_RETURN(std::string name, InputString(input, "review", nullptr));
    DOSSIER_ASSIGN_OR_RETURN(std::string bytes, ReadText(dir / name));
    auto decision = schema::ParseDecision(bytes, schema::ContentFormat::kJson);
    if (!decision.ok()) return ErrorAnswer(decision.status());
    review = std::move(decision).value();
  }
  schema::SamenessInput in{schema::RelianceFactsOf(*ours), schema::RelianceFactsOf(*theirs),
                           schema::SectionDigests(*ours), schema::SectionDigests(*theirs),
                           review ? &*review : nullptr};
  return json::value(schema::SamenessView(in));
}

// Whether the deciding body in input.body ({kind, jurisdiction?, pathway?})
// may take the decision in input.decision.
StatusOr<json::value> DecisionCheckAnswer(const fs::path& dir, const json::object& input) {
  DOSSIER_ASSIGN_OR_RETURN(std::string name, InputString(input, "decision", nullptr));
  DOSSIER_ASSIGN_OR_RETURN(std::string bytes, ReadText(dir / name));
  const json::value* body = input.if_contains("body");
  if (body == nullptr || !body->is_object())
    return BadCase("input.body", "an object {kind, jurisdiction?, pathway?}");
  DOSSIER_ASSIGN_OR_RETURN(std::string kind, InputString(body->as_object(), "kind", nullptr));
  DOSSIER_ASSIGN_OR_RETURN(std::string jurisdiction, InputString(body->as_object(), "jurisdiction", ""));
  DOSSIER_ASSIGN_OR_RETURN(std::string pathway, InputString(body->as_object(), "pathway", ""));
  auto decision = schema::ParseDecision(bytes, schema::ContentFormat::kJson);
  if (!decision.ok()) return ErrorAnswer(decision.status());
  return Valid(schema::CheckDecisionForBody(*decision, schema::DecidingBody{kind, jurisdiction, pathway}));
}

}  // namespace

std::vector<std::string> Kinds() {
  return {"readiness",           "pathways",           "export",   "import",        "pccp", "plan-validation",
          "decision-validation", "dossier-validation", "sameness", "decision-check"};
}

StatusOr<json::value> Answer(const fs::path& dir, const std::string& kind, const json::object& input) {
  if (kind == "readiness") return ReadinessAnswer(dir, input);
  if (kind == "pathways") {
    DOSSIER_ASSIGN_OR_RETURN(std::string agency, InputString(input, "agency", nullptr));
    json::array list;
    for (const auto& p : translate::Pathways(agency)) list.emplace_back(p);
    return json::value(json::object{{"pathways", std::move(list)}});
  }
  if (kind == "export") return ExportAnswer(dir, input);
  if (kind == "import") return ImportAnswer(dir, input);
  if (kind == "pccp") return PccpAnswer(dir, input);
  if (kind == "plan-validation") {
    DOSSIER_ASSIGN_OR_RETURN(StatusOr<v1::ChangePlan> plan, LoadPlan(dir, input));
    return Valid(plan.ok() ? schema::ValidateChangePlan(*plan) : plan.status());
  }
  if (kind == "sameness") return SamenessAnswer(dir, input);
  if (kind == "decision-check") return DecisionCheckAnswer(dir, input);
  if (kind == "decision-validation") {
    DOSSIER_ASSIGN_OR_RETURN(std::string name, InputString(input, "decision", nullptr));
    DOSSIER_ASSIGN_OR_RETURN(std::string bytes, ReadText(dir / name));
    auto decision = schema::ParseDecision(bytes, schema::ContentFormat::kJson);
    return Valid(decision.ok() ? schema::ValidateDecision(*decision, schema::TocCatalog::BuiltIn())
                               : decision.status());
  }
  if (kind == "dossier-validation") {
    DOSSIER_ASSIGN_OR_RETURN(StatusOr<v1::Dossier> dossier, LoadDossier(dir, input));
    return Valid(dossier.ok() ? schema::ValidateDossier(*dossier, schema::TocCatalog::BuiltIn())
                              : dossier.status());
  }
  return BadCase("kind", "unknown kind '" + kind + "'");
}

}  // namespace dossier::golden
