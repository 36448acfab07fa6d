// Dispatch of translate.h to the per-format code, and the loss/projection
// plumbing shared by every export.
#include "schema/translate/translate.h"

#include <fstream>

#include "schema/dossier_codec.h"
#include "schema/translate/crosswalk.h"
#include "schema/translate/formats.h"
#include "schema/translate/package.h"
#include "schema/translate/profiles.h"

namespace dossier::translate {
namespace json = boost::json;

std::vector<std::string> ExportFormats() {
  return {std::string(kFormatImdrfToc), std::string(kFormatFdaEstar), std::string(kFormatEuMdr),
          std::string(kFormatHsaCsdt), std::string(kFormatFhirR5)};
}

std::vector<std::string> ImportFormats() {
  std::vector<std::string> out = ExportFormats();
  for (const char* f : {"gudid-xml", "openfda-510k", "openfda-classification", "eudamed-dtx"})
    out.emplace_back(f);
  return out;
}

bool ImportIsMultiRecord(std::string_view format) { return format == "gudid-xml" || format == "eudamed-dtx"; }

namespace {

bool IsExportFormat(std::string_view format) {
  for (const auto& f : ExportFormats()) {
    if (f == format) return true;
  }
  return false;
}

Status UnknownFormat(std::string_view format, const std::vector<std::string>& known) {
  std::string list;
  for (const auto& f : known) list += (list.empty() ? "" : ", ") + f;
  return InvalidArgument("unknown format '" + std::string(format) + "' (one of " + list + ")",
                         "unknown-format", "format");
}

std::string LossReason(std::string_view format, const std::string& path) {
  const FieldRoute* route = Crosswalk::BuiltIn().FieldFor(path);
  if (route && !route->note.empty()) return route->note;
  return "not carried by " + std::string(format);
}

}  // namespace

StatusOr<v1::Dossier> ExportProjection(const v1::Dossier& dossier, std::string_view format) {
  if (!IsExportFormat(format)) return UnknownFormat(format, ExportFormats());
  return Project(dossier, format, Crosswalk::BuiltIn());
}

namespace {
// What the projection drops, plus, for eu-mdr, what the EUDAMED registration
// needs and the dossier does not state (never filled with a default).
std::vector<LossItem> LossOf(const v1::Dossier& dossier, const v1::Dossier& projected,
                             std::string_view format) {
  std::vector<LossItem> loss =
      ComputeLoss(dossier, projected, [&](const std::string& path) { return LossReason(format, path); });
  if (format == kFormatEuMdr) {
    for (auto& gap : EudamedRegistrationGaps(projected)) loss.push_back(std::move(gap));
  }
  return loss;
}
}  // namespace

StatusOr<std::vector<LossItem>> ExportLoss(const v1::Dossier& dossier, std::string_view format) {
  DOSSIER_ASSIGN_OR_RETURN(v1::Dossier projected, ExportProjection(dossier, format));
  return LossOf(dossier, projected, format);
}

StatusOr<ExportResult> Export(const v1::Dossier& dossier, std::string_view format, const BlobReader& blobs) {
  return Export(dossier, format, blobs, ExportOptions());
}

StatusOr<ExportResult> Export(const v1::Dossier& dossier, std::string_view format, const BlobReader& blobs,
                              const ExportOptions& options) {
  DOSSIER_ASSIGN_OR_RETURN(v1::Dossier projected, ExportProjection(dossier, format));
  const ExportProfile* profile = options.profile;
  if (profile == nullptr) {
    DOSSIER_ASSIGN_OR_RETURN(profile, DefaultExportProfile(format));
  } else if (profile->format != format) {
    return InvalidArgument("profile " + profile->name + " is a profile of " + profile->format + ", not of " +
                               std::string(format),
                           "unknown-profile", "profile");
  }
  std::vector<LossItem> loss = LossOf(dossier, projected, format);
  if (format == kFormatImdrfToc) return ExportImdrfToc(projected, std::move(loss), blobs, options.binding);
  if (format == kFormatFdaEstar)
    return ExportFdaEstar(projected, std::move(loss), blobs, *profile, options.binding);
  if (format == kFormatEuMdr)
    return ExportEuMdr(projected, std::move(loss), blobs, *profile, options.created_ms, options.binding);
  if (format == kFormatHsaCsdt) return ExportHsaCsdt(projected, std::move(loss), blobs, options.binding);
  DOSSIER_ASSIGN_OR_RETURN(ExportResult bundle, ExportFhirR5(projected, std::move(loss)));
  if (options.binding == nullptr) return bundle;
  // Bound: the schema-clean Bundle travels unchanged inside a ZIP beside the
  // manifest that ties it to the signed version (no sections: the Bundle
  // carries the documents' references itself).
  PackageSpec spec;
  spec.format = std::string(kFormatFhirR5);
  spec.folder = [](const v1::Section&) { return std::string(); };
  spec.files.push_back(
      StructuredFile{"bundle.fhir.json", std::move(bundle.bytes), "application/fhir+json", "fhir-bundle"});
  return BuildZipPackage(v1::Dossier(), std::move(bundle.loss), nullptr, spec, options.binding);
}

Status Import(std::string_view format, const std::filesystem::path& input,
              const std::function<Status(ImportRecord&&)>& emit) {
  return Import(format, input, emit, ImportLimits());
}

Status Import(std::string_view format, const std::filesystem::path& input,
              const std::function<Status(ImportRecord&&)>& emit, const ImportLimits& limits) {
  using Fn = Status (*)(const std::filesystem::path&, const ImportLimits&, const Emit&);
  static const std::map<std::string, Fn, std::less<>> kImporters = {
      {"imdrf-toc", &ImportImdrfToc},
      {"fda-estar", &ImportFdaEstar},
      {"eu-mdr", &ImportEuMdr},
      {"hsa-csdt", &ImportHsaCsdt},
      {"fhir-r5", &ImportFhirR5},
      {"gudid-xml", &ImportGudidXml},
      {"openfda-510k", &ImportOpenFda510k},
      {"openfda-classification", &ImportOpenFdaClassification},
      {"eudamed-dtx", &ImportEudamedDtx},
  };
  auto it = kImporters.find(format);
  if (it == kImporters.end()) return UnknownFormat(format, ImportFormats());
  std::error_code ec;
  const auto size = std::filesystem::file_size(input, ec);
  if (ec) return InvalidArgument("cannot read input: " + ec.message(), "bad-input", input.string());
  if (size > limits.max_input_bytes)
    return InvalidArgument(
        "input of " + std::to_string(size) + " bytes exceeds " + std::to_string(limits.max_input_bytes),
        "input-too-large");
  return it->second(input, limits, emit);
}

json::object ImportRecordToJson(const ImportRecord& record) {
  json::object out;
  out["content"] = json::parse(schema::DossierToJson(record.content));
  json::array loss;
  for (const auto& l : record.loss) loss.push_back(json::object{{"path", l.path}, {"reason", l.reason}});
  out["loss"] = std::move(loss);
  return out;
}

std::string ImportRecordToJsonText(const ImportRecord& record) {
  json::array loss;
  for (const auto& l : record.loss) loss.push_back(json::object{{"path", l.path}, {"reason", l.reason}});
  std::string out = "{\"content\":";
  out += schema::DossierToJson(record.content);
  out += ",\"loss\":";
  out += json::serialize(loss);
  out += '}';
  return out;
}

StatusOr<std::string> ReadFileCapped(const std::filesystem::path& in, uint64_t max_bytes) {
  std::ifstream f(in, std::ios::binary);
  if (!f) return InvalidArgument("cannot open input", "bad-input", in.string());
  std::string out;
  char buf[65536];
  while (f) {
    f.read(buf, sizeof buf);
    out.append(buf, static_cast<size_t>(f.gcount()));
    if (out.size() > max_bytes)
      return InvalidArgument("input larger than " + std::to_string(max_bytes) + " bytes", "input-too-large");
  }
  return out;
}

}  // namespace dossier::translate
