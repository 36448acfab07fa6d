// The IMDRF submission Table of Contents editions known to the hub, built into
// the library from schema/toc/*.tsv (no files are read at run time).
//
// Contract
// - TocCatalog::BuiltIn() returns one immutable process-wide catalog, built
//   on first use; it and every pointer/reference it hands out stay valid until
//   the process exits. All const members are thread-safe.
// - Editions: "IMDRF-N9-ED4" (non-IVD) and "IMDRF-N13-ED4" (IVD).
// - Heading codes are the IMDRF numbers as in reference/regulatory.md: chapter
//   rows "1" .. "5", "6A", "6B"; headings "2.04.01", "3.05.05.08", "6A.04".
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dossier::schema {

inline constexpr std::string_view kTocEditionNivd = "IMDRF-N9-ED4";
inline constexpr std::string_view kTocEditionIvd = "IMDRF-N13-ED4";

struct TocHeading {
  std::string code;   // "3.05.05.08"
  std::string title;  // "Software Verification and Validation"
  int depth = 0;      // number of dot-separated parts: "3" -> 1, "3.05.05.08" -> 4
};

class TocCatalog {
 public:
  // The catalog built from the embedded ToC files. Never fails (the data is
  // checked by the tests); aborts the process if the embedded data is corrupt.
  static const TocCatalog& BuiltIn();

  // Builds a catalog from TSV texts ("code<TAB>title" lines, '#' comments), keyed
  // by edition name. For tests and tools; fails with "bad-toc-data".
  static StatusOr<TocCatalog> FromTsv(const std::map<std::string, std::string>& tsv_by_edition);

  // The heading `code` of `edition`, or nullptr when either is unknown.
  const TocHeading* Find(std::string_view edition, std::string_view code) const;
  // The title of the IMDRF document that defines `edition` (its "# title: "
  // line in the ToC file), "" when unknown.
  std::string_view EditionTitle(std::string_view edition) const;
  // True when `edition` is known.
  bool HasEdition(std::string_view edition) const;
  // Known edition names, sorted.
  std::vector<std::string> Editions() const;
  // Headings of `edition` in ToC order (chapter rows included); empty when the
  // edition is unknown.
  const std::vector<TocHeading>& Headings(std::string_view edition) const;
  // The code of the parent heading ("3.05.05" for "3.05.05.08", "3" for
  // "3.05"), or "" for a chapter.
  static std::string ParentCode(std::string_view code);

 private:
  struct Edition {
    std::string title;
    std::vector<TocHeading> headings;
    std::map<std::string, size_t, std::less<>> index;  // code -> position
  };
  std::map<std::string, Edition, std::less<>> editions_;
};

}  // namespace dossier::schema
