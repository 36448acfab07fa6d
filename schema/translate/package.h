// Shared machinery of the ZIP packages (imdrf-toc, fda-estar, eu-mdr,
// hsa-csdt): document placement, manifest.json with a SHA-256 per file,
// loss.json, and the reverse (reading a package back, checking every digest).
#pragma once

#include <google/protobuf/message.h>

#include <boost/json.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "dossier/v1/dossier.pb.h"
#include "schema/translate/translate.h"
#include "schema/translate/zip.h"
#include "trust/export_package.h"

namespace dossier::translate {

// "sha256:<hex>" of `bytes`.
std::string Sha256Digest(std::string_view bytes);

// Canonical JSON of a message as a boost::json value (protobuf JSON mapping).
boost::json::value MessageToValue(const google::protobuf::Message& message);
// The reverse; "bad-package" with `where` on failure.
Status ValueToMessage(const boost::json::value& value, google::protobuf::Message* out,
                      const std::string& where);

// Pretty, stable JSON text for files inside packages.
std::string PrettyJson(const boost::json::value& value);

// A file the exporter adds besides the section documents.
struct StructuredFile {
  std::string path;
  std::string bytes;
  std::string media_type;  // "application/json", "application/xml"
  std::string role;        // "structured" | "registration" | ...
};

struct PackageSpec {
  std::string format;
  // Folder (no trailing '/') for the documents of section `code`.
  std::function<std::string(const v1::Section& section)> folder;
  std::vector<StructuredFile> files;
};

// Builds the ZIP: every document of every section of `projected` (bytes from
// `blobs`, checked against their digest), NOT-APPLICABLE.txt statements,
// `spec.files`, loss.json and manifest.json.
// With a `binding` (nullable), also its files, "signedVersion" in the manifest
// and manifest.sig.json (translate.h ExportBinding).
StatusOr<ExportResult> BuildZipPackage(const v1::Dossier& projected, std::vector<LossItem> loss,
                                       const BlobReader& blobs, const PackageSpec& spec,
                                       const ExportBinding* binding = nullptr);

// An opened package: its manifest and entries.
struct OpenedPackage {
  std::unique_ptr<ZipReader> zip;
  boost::json::value manifest;  // an object
  // Reads an entry listed in the manifest and checks its digest.
  StatusOr<std::string> Read(const std::string& path, uint64_t max_bytes = 64ull << 20);
  // Parses a JSON entry listed in the manifest.
  StatusOr<boost::json::value> ReadJson(const std::string& path);
  // The "sha256:<hex>" digest of an entry listed in the manifest, checked
  // against it; streams the entry, so a large document never sits in memory.
  StatusOr<std::string> VerifiedDigest(const std::string& path);

 private:
  StatusOr<const boost::json::value*> ManifestEntry(const std::string& path) const;
};

// "sha256:<hex>" of the ZIP entry `path`, streamed (never whole in memory).
StatusOr<std::string> EntryDigest(ZipReader& zip, const std::string& path);

// The files of the ZIP at `path` for trust::VerifyExportPackage (the reader
// stays open while the result lives). Entries read whole are capped at
// limits.max_json_bytes; digests stream.
StatusOr<trust::PackageFiles> ZipPackageFiles(const std::filesystem::path& path, const ImportLimits& limits);

// Opens `input` as a package of `format` (manifest.json "format" must match).
StatusOr<OpenedPackage> OpenPackage(const std::filesystem::path& input, std::string_view format,
                                    const ImportLimits& limits);

// Rebuilds tocEdition and sections from the manifest into `out`, streaming (and
// digest-checking) every document entry.
Status ReadSections(OpenedPackage& package, v1::Dossier* out);

// JSON helpers for importers.
const boost::json::value* Member(const boost::json::value& v, std::string_view key);
std::string StringMember(const boost::json::value& v, std::string_view key);
StatusOr<boost::json::value> ParseJsonText(std::string_view text, const std::string& where);

}  // namespace dossier::translate
