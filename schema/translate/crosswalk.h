// The crosswalk and the readiness rulebook, parsed from the data files embedded
// at build time (data/crosswalk.tsv, data/requirements.tsv), plus the generic
// machinery that turns the field rows into a projection ("what a format
// carries") and a loss report ("what it does not").
//
// Internal to dossier_translate; tests use it to check the data.
#pragma once

#include <google/protobuf/message.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dossier/v1/dossier.pb.h"
#include "schema/translate/translate.h"

namespace dossier::translate {

// Export formats in the column order of the crosswalk's field rows.
inline constexpr std::string_view kFormatImdrfToc = "imdrf-toc";
inline constexpr std::string_view kFormatFdaEstar = "fda-estar";
inline constexpr std::string_view kFormatEuMdr = "eu-mdr";
inline constexpr std::string_view kFormatHsaCsdt = "hsa-csdt";
inline constexpr std::string_view kFormatFhirR5 = "fhir-r5";

// ToC edition keys used by the crosswalk and the rulebook: the two IMDRF
// editions have different chapter-3 headings (N9 3.05.05 software is N13
// 3.06.02), so every ToC-coded row says which edition it is written for.
inline constexpr std::string_view kEditionNivd = "N9";
inline constexpr std::string_view kEditionIvd = "N13";

// The edition key of `dossier`: its tocEdition when set; otherwise N13 for an
// IVDR device (regulation IVDR or EU class A-D), else N9.
std::string_view EditionKey(const v1::Dossier& dossier);

struct TocRoute {
  std::string edition;  // "N9", "N13" or "*" (both)
  std::string prefix;   // ToC code prefix, e.g. "3.05.05"
  std::string estar;    // eSTAR section folder, e.g. "17 Software/Firmware"
  std::string eu;       // MDR Annex II/III folder
  std::string csdt;     // ASEAN CSDT section folder
  std::string note;
};

struct FieldRoute {
  std::string path;  // canonical JSON path, "classifications.us.productCode"
  std::map<std::string, std::string>
      cell;          // format -> destination; "-" = not carried; "first:..." = first element only
  std::string note;  // loss reason when not carried
};

// How binding the text behind a rule is. Draft guidance and non-binding
// texts make advisories: reported, never making a dossier not ready.
inline constexpr std::string_view kBindingLevels[] = {
    "law", "regulation", "standard", "final-guidance", "draft-guidance", "non-binding"};
bool IsAdvisoryBinding(std::string_view binding);

struct Requirement {
  std::string id;
  std::string agency;                 // FDA | EU | HSA
  std::string edition;                // "N9", "N13" or "*": the ToC edition the row's codes belong to
  std::vector<std::string> pathways;  // {"*"} = all
  char level = 'R';                   // R | C | O
  std::vector<std::string> classes;   // {"*"} = all
  std::string flag;                   // "-" none; may start with '!'
  std::string toc;                    // "-" none
  std::string check;
  std::string title;
  std::string source;        // document, e.g. "21 CFR", "Regulation (EU) 2017/745 (MDR)"
  std::string section;       // exact place in `source`, e.g. "807.87(l)", "Annex II 1.1(a)"
  std::string binding;       // one of kBindingLevels
  std::string effective;     // "-", "from:YYYY-MM-DD" or "until:YYYY-MM-DD"
  std::string verification;  // "verified: ..." or "unverified: ..."
  std::string citation;      // source + " " + section
  bool verified() const { return verification.rfind("verified:", 0) == 0; }
};

class Crosswalk {
 public:
  // Built from the embedded data on first use; aborts if the data is corrupt
  // (the tests check it).
  static const Crosswalk& BuiltIn();
  // For tests and tools; fails with "bad-crosswalk-data".
  static StatusOr<Crosswalk> FromTsv(std::string_view crosswalk_tsv, std::string_view requirements_tsv);

  // The route of `edition` (or of both editions) with the longest prefix of
  // `code` (per heading level), or nullptr.
  const TocRoute* RouteFor(std::string_view edition, std::string_view code) const;
  // The field row with the longest path that is `path` or a parent of it, or nullptr.
  const FieldRoute* FieldFor(std::string_view path) const;
  // True when some row strictly below `path` carries its field in `format`.
  bool HasCarriedDescendant(std::string_view path, std::string_view format) const;

  const std::vector<TocRoute>& TocRoutes() const { return toc_; }
  const std::vector<FieldRoute>& FieldRoutes() const { return fields_; }
  const std::vector<Requirement>& Requirements() const { return requirements_; }

 private:
  std::vector<TocRoute> toc_;
  std::vector<FieldRoute> fields_;
  std::vector<Requirement> requirements_;
};

// The part of `dossier` that `format` carries (every '-' path cleared,
// "first:" repeated fields truncated to one element).
v1::Dossier Project(const v1::Dossier& dossier, std::string_view format, const Crosswalk& crosswalk);

// Every set field of `original` that `carried` does not hold with the same
// value, as JSON paths ("regional.eu", "device.modelNumbers[1]"), each with
// reason(path without indices). Repeated messages of equal length are compared
// element by element; otherwise an element is lost when no equal element is
// carried. google.protobuf.Struct values compare as a whole.
std::vector<LossItem> ComputeLoss(const google::protobuf::Message& original,
                                  const google::protobuf::Message& carried,
                                  const std::function<std::string(const std::string& path)>& reason);

// "sections[3].documents[0]" -> "sections.documents"
std::string StripIndices(std::string_view path);

}  // namespace dossier::translate
