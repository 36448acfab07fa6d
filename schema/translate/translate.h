// Translation hub: the canonical IMDRF dossier (dossier.v1.Dossier) to and from
// the packages of US FDA, EU MDR/IVDR and Singapore HSA, plus FHIR R5 and the
// public records of openFDA, GUDID and EUDAMED; and submission readiness per
// agency and pathway.
//
// Contract
// - Pure functions of their arguments (the crosswalk and rulebook are data
//   files embedded at build time, schema/translate/data/*.tsv); thread-safe.
// - Errors come back as Status (never exceptions) with stable reasons:
//     unknown-format, unknown-agency, unknown-pathway   (InvalidArgument)
//     bad-zip, zip-path-traversal, zip-bomb, zip-encrypted, bad-xml, xml-entity,
//     bad-encoding, bad-json, bad-package, input-too-large (InvalidArgument)
//     blob-missing (NotFound from the BlobReader, passed through)
//   `field()` names the place in the input: a ZIP entry name, an XML line, a
//   JSON member path.
// - Nothing is written anywhere: exports return bytes, imports hand records to
//   the caller's `emit`.
// - Memory: Import never holds a whole input file; XML is read with libxml2's
//   streaming xmlTextReader, ZIP entries are inflated in chunks with a cap on
//   the total and on the compression ratio (see ImportLimits).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dossier/v1/change_plan.pb.h"
#include "dossier/v1/dossier.pb.h"

namespace dossier::translate {

// Blob access for exports: returns a document's bytes by digest
// ("sha256:<hex>"), or NotFound.
using BlobReader = std::function<StatusOr<std::string>(std::string_view digest)>;

// One piece of canonical content a format could not carry: the JSON path in
// the source (lowerCamelCase, "regional.eu.prrc", "sections[3].data") and why.
struct LossItem {
  std::string path;
  std::string reason;
};

struct ExportResult {
  std::string content_type;  // "application/zip" or "application/fhir+json"
  std::string bytes;
  std::vector<LossItem> loss;
};

// imdrf-toc, fda-estar, eu-mdr, hsa-csdt, fhir-r5
std::vector<std::string> ExportFormats();

// Ties an export to the signed version it was made from (issue 15; the layout
// and its verification are in trust/export_package.h): `signed_version`
// becomes the manifest's "signedVersion" member, `files` (path, bytes) are
// packed and listed with their SHA-256 like every other file, and
// `sign_manifest` turns the final manifest.json bytes into the bytes of
// manifest.sig.json. With a binding, fhir-r5 is packed too: a ZIP holding the
// unchanged Bundle as bundle.fhir.json beside the same manifest.
struct ExportBinding {
  boost::json::object signed_version;
  std::vector<std::pair<std::string, std::string>> files;
  std::function<StatusOr<std::string>(std::string_view manifest)> sign_manifest;
};

struct ExportProfile;  // schema/translate/profiles.h

// How one export is made.
struct ExportOptions {
  // The format's profile (profiles.h); null = the format's built-in default.
  // A profile of another format: InvalidArgument "unknown-profile".
  const ExportProfile* profile = nullptr;
  // When the exported content was fixed (the signed version's time), in ms
  // since the epoch: the time written where a format carries one (the
  // EUDAMED message's creationDateTime), so that exporting the same version
  // twice gives the same bytes. 0 = the current time.
  int64_t created_ms = 0;
  // Ties the package to the signed version it shows (null: unbound).
  const ExportBinding* binding = nullptr;
};

// Builds the package of `format` from `dossier`. ZIP formats hold a
// manifest.json naming every file with its SHA-256 and a loss.json; the FHIR
// Bundle stays schema-clean, its loss comes back only in ExportResult.loss.
// Document bytes come from `blobs` and are checked against their digest
// ("blob-missing" / "blob-corrupt" with the document's field path).
// Unknown format: InvalidArgument "unknown-format".
StatusOr<ExportResult> Export(const dossier::v1::Dossier& dossier, std::string_view format,
                              const BlobReader& blobs);
StatusOr<ExportResult> Export(const dossier::v1::Dossier& dossier, std::string_view format,
                              const BlobReader& blobs, const ExportOptions& options);

// What `format` cannot carry of `dossier` (the same list Export returns),
// without building the package.
StatusOr<std::vector<LossItem>> ExportLoss(const dossier::v1::Dossier& dossier, std::string_view format);

// What the EUDAMED device registration (the DTX message of the eu-mdr
// package) needs and `dossier` does not state: identity (Basic UDI-DI,
// UDI-DI, SRN, regulation, class, EMDN), every Basic UDI-DI and UDI-DI flag
// (regional.eu.eudamed), the market status, the Member State of first
// placing, and a notified body certificate for a device placed on the market
// that needs one. Each entry's path is the canonical field to fill in; the
// same entries are in ExportLoss(dossier, "eu-mdr") and Export's loss. For
// readiness: a non-empty list means the EUDAMED registration cannot be made.
std::vector<LossItem> EudamedRegistrationGaps(const dossier::v1::Dossier& dossier);

// The part of `dossier` that `format` carries: importing the export gives
// exactly this back.
StatusOr<dossier::v1::Dossier> ExportProjection(const dossier::v1::Dossier& dossier, std::string_view format);

struct ImportRecord {
  dossier::v1::Dossier content;
  std::vector<LossItem> loss;  // paths are in the SOURCE document
};

// The five export formats + gudid-xml, openfda-510k, openfda-classification, eudamed-dtx
std::vector<std::string> ImportFormats();

// gudid-xml and eudamed-dtx (a PullResponse) may hold many records.
bool ImportIsMultiRecord(std::string_view format);

// Limits applied to every import (defaults suit a 200 MB GUDID release).
struct ImportLimits {
  uint64_t max_input_bytes = 1ull << 30;           // raw input file
  uint64_t max_total_uncompressed = 1ull << 30;    // sum over all ZIP entries read
  uint64_t max_entry_uncompressed = 512ull << 20;  // one ZIP entry
  uint64_t max_compression_ratio = 200;            // uncompressed / compressed per entry
  uint64_t max_entries = 10000;
  uint64_t max_json_bytes = 64ull << 20;  // a JSON document is parsed whole
};

// Streams records as parsed; `emit` returning a non-OK status stops the import
// and that status is returned. Input is a file path so a 200 MB GUDID
// release is never held whole in memory.
Status Import(std::string_view format, const std::filesystem::path& input,
              const std::function<Status(ImportRecord&&)>& emit);
Status Import(std::string_view format, const std::filesystem::path& input,
              const std::function<Status(ImportRecord&&)>& emit, const ImportLimits& limits);

// {"content": {...canonical JSON...}, "loss": [{"path","reason"}]}
boost::json::object ImportRecordToJson(const ImportRecord& record);

// The same object as JSON text, written directly: the canonical JSON of the
// content is spliced in as protobuf's JSON mapping printed it, not parsed and
// re-serialised (which was a third of the cost of a large NDJSON import).
std::string ImportRecordToJsonText(const ImportRecord& record);

// Readiness: what an agency still needs for a pathway.
struct ReadinessItem {
  std::string id;  // rule id from requirements.tsv, e.g. "F39", "E13", "H-ROUTE"
  std::string title;
  // "present" | "missing" | "advised" (an advisory whose item is lacking: never a missing requirement)
  // | "not-applicable"
  std::string status;
  std::string citation;  // source + section, e.g. "21 CFR 807.87(l)"
  std::string toc_code;  // IMDRF heading(s) the item lives in, "" when none
  std::string detail;    // why (condition, justification, what is lacking)
  // Rule metadata (requirements.tsv), so a reviewer can trace the item.
  std::string source;        // "21 CFR", "Regulation (EU) 2017/745 (MDR)", ...
  std::string section;       // "807.87(l)", "Annex II 1.1(a)", ...
  std::string binding;       // law | regulation | standard | final-guidance | draft-guidance | non-binding
  std::string edition;       // ToC edition the rule is written for: "N9", "N13" or "*"
  std::string effective;     // "-", "from:YYYY-MM-DD", "until:YYYY-MM-DD"
  std::string verification;  // "verified: ..." or "unverified: ..."
  // True when the item only advises: its text is draft guidance or not
  // binding, or it does not apply yet (effective date after `as_of`). An
  // advisory is never "missing": what it lacks is "advised", and it never
  // makes the report not ready.
  bool advisory = false;
};
struct ReadinessReport {
  std::string agency;
  std::string pathway;
  std::string edition;  // "N9" or "N13": the ToC edition the dossier was read with
  std::string as_of;    // "YYYY-MM-DD": the date effective dates were compared with
  bool ready = false;   // no item is "missing" (advisories are "advised")
  std::vector<ReadinessItem> items;
};

// What readiness needs beyond the dossier. Readiness stays a pure function:
// the caller resolves what lives elsewhere.
struct ReadinessOptions {
  // Date the rules are applied at, "YYYY-MM-DD"; empty = today (UTC).
  std::string as_of;
  // The change plan the dossier's ai.changePlan names, when the caller found
  // it (not owned; may be null). Rules asking for a linked or authorised
  // change plan read it; without it they report the plan as not found.
  const dossier::v1::ChangePlan* change_plan = nullptr;
};

// agency: FDA | EU | HSA (case-insensitive). pathway: one of Pathways(agency)
// or an alias (EU "annex-x+xi", also as "annex-x xi" when '+' arrived as a
// space in a query, for "annex-x-xi"); empty = the default for the device's
// class and recorded submission type.
// Unknown agency/pathway: InvalidArgument "unknown-agency" / "unknown-pathway";
// a malformed as_of: InvalidArgument "bad-date" (field "asOf").
StatusOr<ReadinessReport> Readiness(const dossier::v1::Dossier& dossier, std::string_view agency,
                                    std::string_view pathway);
StatusOr<ReadinessReport> Readiness(const dossier::v1::Dossier& dossier, std::string_view agency,
                                    std::string_view pathway, const ReadinessOptions& options);
// The JSON answer: {"agency", "pathway", "edition", "asOf", "ready", "missingCount" (items "missing"),
// "advisoryMissingCount" (items "advised"), "items": [{"id", "title", "status", "citation", "tocCode"?,
// "detail"?, "source", "section", "binding", "edition", "effective"?, "verification", "verified",
// "advisory"}]}.
boost::json::object ReadinessToJson(const ReadinessReport& report);
std::vector<std::string> Pathways(std::string_view agency);

}  // namespace dossier::translate
