#include "schema/translate/profiles.h"

#include "schema/translate/translate.h"

namespace dossier::translate {

namespace {

std::vector<ExportProfile> BuildCatalogue() {
  std::vector<ExportProfile> out;
  out.push_back({"imdrf-toc", "imdrf-toc-1", "IMDRF ToC folder package, layout 1",
                 "not an agency format version: this project's own package layout", true, "", ""});
  out.push_back({"fda-estar", "nivd-estar-v6",
                 "eSTAR-like package declaring the nIVD eSTAR template version 6",
                 "unverified: third-party pages name nIVD eSTAR 6 as current in 2024 (cruxi.ai); FDA's "
                 "eSTAR version history was not checked",
                 true, "", "nIVD eSTAR v6"});
  out.push_back({"fda-estar", "nivd-estar-v5",
                 "eSTAR-like package declaring the nIVD eSTAR template version 5",
                 "unverified: third-party documentation maps to nIVD eSTAR 5.5 (docs.biot-med.com); FDA's "
                 "eSTAR version history was not checked",
                 false, "", "nIVD eSTAR v5"});
  out.push_back({"eu-mdr", "eudamed-dtx-3.0.25", "EU MDR/IVDR package; EUDAMED DTX message version 3.0.25",
                 "verified: fixtures/eudamed-dtx/XSD/service/Message/MessageType.xsd fixes Push/@version to "
                 "\"3.0.25\"; the exported message validates against that XSD set",
                 true, "3.0.25", ""});
  out.push_back(
      {"eu-mdr", "eudamed-dtx-3.0.3", "EU MDR/IVDR package; EUDAMED DTX message version 3.0.3",
       "verified as a version that existed: the EC sample fixtures/eudamed-dtx/samples/"
       "SAMPLE_DTX_UDI_010.02.xml is a Push of version \"3.0.3\"; unverified: no 3.0.3 XSD is in the "
       "fixtures, so the message is not validated against that version's schema",
       false, "3.0.3", ""});
  out.push_back({"hsa-csdt", "hsa-csdt-1", "HSA CSDT package, layout 1",
                 "not an agency format version: HSA publishes no machine format version for the CSDT", true,
                 "", ""});
  out.push_back({"fhir-r5", "fhir-r5-1", "FHIR R5 collection Bundle, mapping 1",
                 "not an agency format version: the FHIR release is R5 (schema/translate/fhir.cc); the FHIR "
                 "patch release was not pinned against a published package",
                 true, "", ""});
  return out;
}

}  // namespace

const std::vector<ExportProfile>& ExportProfiles() {
  static const std::vector<ExportProfile> catalogue = BuildCatalogue();
  return catalogue;
}

StatusOr<const ExportProfile*> FindExportProfile(std::string_view format, std::string_view name) {
  std::string known;
  for (const ExportProfile& p : ExportProfiles()) {
    if (p.format != format) continue;
    if (p.name == name) return &p;
    known += (known.empty() ? "" : ", ") + p.name;
  }
  if (known.empty()) {
    return InvalidArgument("unknown format '" + std::string(format) + "'", "unknown-format", "format");
  }
  return InvalidArgument(
      "no profile '" + std::string(name) + "' of " + std::string(format) + " (one of " + known + ")",
      "unknown-profile", "profile");
}

StatusOr<const ExportProfile*> DefaultExportProfile(std::string_view format,
                                                    const std::map<std::string, std::string>& overrides) {
  if (auto it = overrides.find(std::string(format)); it != overrides.end()) {
    return FindExportProfile(format, it->second);
  }
  for (const ExportProfile& p : ExportProfiles()) {
    if (p.format == format && p.is_default) return &p;
  }
  return InvalidArgument("unknown format '" + std::string(format) + "'", "unknown-format", "format");
}

boost::json::object ExportProfileToJson(const ExportProfile& profile) {
  boost::json::object out{{"format", profile.format},
                          {"name", profile.name},
                          {"title", profile.title},
                          {"default", profile.is_default},
                          {"verification", profile.verification}};
  if (!profile.eudamed_message_version.empty())
    out["eudamedMessageVersion"] = profile.eudamed_message_version;
  if (!profile.estar_template.empty()) out["estarTemplate"] = profile.estar_template;
  return out;
}

}  // namespace dossier::translate
