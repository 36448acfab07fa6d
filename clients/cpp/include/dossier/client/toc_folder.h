// The ToC folder: a dossier laid out on disk by IMDRF Table of Contents
// heading, as `dossier push` reads it and `dossier pull` writes it.
//
//   DIR/
//     dossier.json                      structured fields: a dossier.v1.Dossier as JSON (tocEdition, device,
//     ...) 2.04.01 Device Description/       one folder per ToC heading: "CODE" or "CODE TITLE"
//       description.pdf
//     3.05.05.08 Software V&V/
//       validation.pdf
//       study 1/report.pdf              sub-folders are kept: fileName "study 1/report.pdf"
//
// Contract
// - Reading (ReadTocFolder): every non-hidden entry of DIR other than
//   dossier.json must be a folder whose name starts with a heading code
//   ("3.05.05.08", "6A.04"), optionally followed by one space and the title.
//   Every regular file below it, at any depth, is a document of that heading;
//   names starting with '.' (files and folders) are skipped. Sections come in
//   directory order; documents in each section are sorted by file name. Nothing
//   is hashed or uploaded: FolderDocument::digest stays empty until the caller
//   fills it (e.g. from Client::UploadFileIfMissing).
// - Merging (MergeTocFolder): the content to sign is dossier.json's object
//   with its "sections" merged with the folders. A folder replaces the
//   documents of its heading (its title, when given, the section's title);
//   sections of dossier.json without a folder are kept as they are. The
//   sections are then ordered as the ToC edition named by "tocEdition"
//   (default IMDRF-N9-ED4) lists them; codes the edition does not know go
//   last, in code order. The result is not validated here: the server (or
//   schema::ValidateDossier) does that.
// - Writing back: a section's folder is TocFolderName(code, title); a
//   document's file name is accepted only when IsSafeDocumentPath says it
//   stays inside its folder.
// - Media types: MediaTypeForFile is the one mapping from a file name to a
//   media type in the SDK (documents, imports).
//
// Errors: Status values, never exceptions. Reasons: "io-error" (a folder or
// dossier.json cannot be read, or dossier.json is missing), "unexpected-file"
// (a file directly in DIR), "not-a-heading-folder", "bad-fields-file"
// (dossier.json is not a JSON object, or a section in it has no string
// "code"), "missing-digest" (merging a document whose digest is empty).
// field() names the offending entry (folder or file name, or the JSON path in
// dossier.json).
//
// Thread-safety: plain functions over values; the catalog of ToC editions
// they consult is immutable.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dossier/client/types.h"

namespace dossier::client {

// The structured fields' file name inside a ToC folder.
inline constexpr std::string_view kDossierFieldsFile = "dossier.json";

struct FolderDocument {
  std::filesystem::path path;  // on disk
  std::string file_name;       // relative to the heading folder, '/'-separated
  uint64_t size = 0;
  std::string media_type;  // MediaTypeForFile(path)
  std::string digest;      // "sha256:<hex>"; empty until the caller sets it
};

struct FolderSection {
  std::string code;   // "3.05.05.08"
  std::string title;  // from the folder name; "" when the folder is only the code
  std::vector<FolderDocument> documents;
};

// True for an IMDRF heading number: "3", "3.05.05.08", "6A.04".
bool IsTocHeadingCode(std::string_view code);

// The heading folders of `dir` and the documents in them.
StatusOr<std::vector<FolderSection>> ReadTocFolder(const std::filesystem::path& dir);

// dir/dossier.json, checked to be a JSON object, as its JSON text.
StatusOr<JsonText> ReadDossierFields(const std::filesystem::path& dir);

// `fields` (the JSON text of dossier.json, an object) with its sections merged with `sections`, in ToC
// order (see the contract above). Every document must have its digest.
StatusOr<JsonText> MergeTocFolder(JsonText fields, const std::vector<FolderSection>& sections);

// Position of `code` among the headings of ToC `edition`; the number of
// headings when either is unknown (so unknown codes sort last).
size_t TocRank(std::string_view edition, std::string_view code);

// "CODE" or "CODE TITLE", with '/' in the title replaced by '-'.
std::string TocFolderName(std::string_view code, std::string_view title);

// True when `file_name` is relative and stays inside its folder: not empty,
// no leading '/', no backslash, no "." or ".." component.
bool IsSafeDocumentPath(std::string_view file_name);

// The media type for a file name's extension (case-insensitive), e.g.
// ".pdf" -> "application/pdf", ".ndjson" -> "application/x-ndjson";
// "application/octet-stream" when the extension is not known.
std::string MediaTypeForFile(const std::filesystem::path& path);

}  // namespace dossier::client
