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
// - The redline detail (issue 16 item 4) rides on the same diff: every changed
//   field path also comes with its old and new JSON value (`fields`); a
//   section carries its title (the newer one) and `documents`, each document
//   change named by file name: documents of one section are matched by file
//   name (else title, else digest), so a replaced file is one CHANGED entry
//   with both digests, not an ADDED and a REMOVED one; and `data_fields`, the
//   top-level members of the section's structured data that differ.
// - Pure functions; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "dossier/v1/dossier.pb.h"

namespace dossier::schema {

// One value that differs: a JSON path and its value in each version (null
// when the version does not have it).
struct FieldChange {
  std::string path;
  boost::json::value old_value, new_value;
};

// One document of a section that was added, removed or replaced.
struct DocumentChange {
  enum class Kind { kAdded, kRemoved, kChanged } kind;
  std::string file_name;  // the newer version's name when it has one
  std::string title;
  std::string old_digest, new_digest;  // "" on the side that has no document
};

struct SectionChange {
  std::string code;
  enum class Kind { kAdded, kRemoved, kModified } kind;
  std::vector<std::string> documents_added, documents_removed;
  bool data_changed = false;
  std::string title;                      // the newer version's title when it has one
  std::vector<DocumentChange> documents;  // sorted by file name, then digests
  std::vector<FieldChange> data_fields;   // paths "data.<member>", sorted
};

struct DossierDiff {
  std::vector<SectionChange> sections;
  std::vector<std::string> changed_fields;  // top-level field paths like "device.tradeName", "intendedUse"
  std::vector<FieldChange> fields;          // the same paths with their old and new values

  bool empty() const { return sections.empty() && changed_fields.empty(); }
};

DossierDiff DiffDossiers(const v1::Dossier& from, const v1::Dossier& to);

// "ADDED", "REMOVED" or "MODIFIED".
std::string_view SectionChangeKindName(SectionChange::Kind kind);
// "ADDED", "REMOVED" or "CHANGED".
std::string_view DocumentChangeKindName(DocumentChange::Kind kind);

// {"sections": [{"code", "kind": "ADDED"|"REMOVED"|"MODIFIED", "documentsAdded": [...],
//   "documentsRemoved": [...], "dataChanged": bool, "title"?, "documents": [{"change":
//   "ADDED"|"REMOVED"|"CHANGED", "fileName"?, "title"?, "oldDigest"?, "newDigest"?}],
//   "dataFields": [{"path", "old", "new"}]}], "changedFields": [...],
//   "fields": [{"path", "old", "new"}]}
boost::json::object DiffToJson(const DossierDiff& diff);

}  // namespace dossier::schema
