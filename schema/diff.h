// Section-level differences between two dossier versions
// (GET .../dossiers/{d}/diff, `dossier diff`).
//
// Contract
// - Sections are matched by code. A section is kModified when its section
//   digest (schema/section_digest.h) differs, so reordering documents or
//   re-serialising the content is not a change.
// - documents_added / documents_removed are document digests (multiset
//   difference, sorted); data_changed is true when the structured `data`
//   differs. A modified section may have neither (title, not-applicable
//   justification or document metadata changed).
// - `sections` is sorted by code; `changed_fields` lists, sorted, the JSON
//   paths of non-section fields that differ: one level below the top for
//   message fields ("device.tradeName", "classifications.us",
//   "regional.eu", "ai.datasets"), the top-level name otherwise
//   ("tocEdition", "intendedUse", "indications").
// - Pure functions; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "dossier/v1/dossier.pb.h"

namespace dossier::schema {

struct SectionChange {
  std::string code;
  enum class Kind { kAdded, kRemoved, kModified } kind;
  std::vector<std::string> documents_added, documents_removed;
  bool data_changed = false;
};

struct DossierDiff {
  std::vector<SectionChange> sections;
  std::vector<std::string> changed_fields;  // top-level field paths like "device.tradeName", "intendedUse"

  bool empty() const { return sections.empty() && changed_fields.empty(); }
};

DossierDiff DiffDossiers(const v1::Dossier& from, const v1::Dossier& to);

// "ADDED", "REMOVED" or "MODIFIED".
std::string_view SectionChangeKindName(SectionChange::Kind kind);

// {"sections": [{"code", "kind": "ADDED"|"REMOVED"|"MODIFIED", "documentsAdded": [...],
//   "documentsRemoved": [...], "dataChanged": bool}], "changedFields": [...]}
boost::json::object DiffToJson(const DossierDiff& diff);

}  // namespace dossier::schema
