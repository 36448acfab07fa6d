// Export packages bound to the signed version they were made from (issue 15):
// a reviewer holding only a package and the log's public key can tie every
// file in it to the signed record, offline.
//
// What a bound package holds (a ZIP of the regional formats, or the same files
// unpacked in a folder):
//   manifest.json      the package manifest (schema/translate) with, besides
//                      its "files" list ({"path", "digest": "sha256:<hex>",
//                      "size", ...} for every other file), a "signedVersion"
//                      member:
//                        {"tenant", "object": "dossiers/<d>", "dossier",
//                         "version", "contentDigest", "mediaType", "logIndex",
//                         "treeSize", "checkpoint": "<signed note text>",
//                         "content": "<path of the signed content bytes>",
//                         "bundle": "<path of the offline bundle>"}
//   manifest.sig.json  a DSSE envelope (dsse.h) whose payload is the exact
//                      bytes of manifest.json, payload type
//                      kExportManifestPayloadType, signed by the node's log
//                      key: the node vouches for the files it derived (XML,
//                      JSON views, loss report) as well as the documents
//   signed/bundle.json the version's offline bundle (bundle.h) against the
//                      checkpoint named in signedVersion
//   signed/content.*   the content bytes exactly as signed
// A format that is not a ZIP (the fhir-r5 Bundle) carries no manifest inside:
// the server serves the signed manifest (manifest.sig.json, its payload the
// manifest) separately, naming the Bundle as its one file, and a verifier
// holds the two side by side.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "trust/bundle.h"
#include "trust/keys.h"

namespace dossier::trust {

inline constexpr std::string_view kExportManifestPayloadType =
    "application/vnd.dossier.export-manifest.v1+json";
inline constexpr std::string_view kExportManifestPath = "manifest.json";
inline constexpr std::string_view kExportSignaturePath = "manifest.sig.json";

// The signed version a package was exported from, as its manifest names it.
struct SignedVersionRef {
  std::string tenant;
  std::string object;   // "dossiers/<d>"
  std::string dossier;  // <d>
  uint64_t version = 0;
  std::string content_digest;
  std::string media_type;
  uint64_t log_index = 0;
  uint64_t tree_size = 0;
  std::string checkpoint_note;
  std::string content_path;  // e.g. "signed/content.json"
  std::string bundle_path;   // e.g. "signed/bundle.json"
};

// The "signedVersion" member of a manifest as JSON: SignedVersionToJson in
// trust/json_forms.h (not installed with the SDK).

// The manifest.sig.json bytes for `manifest`: a DSSE envelope over its exact
// bytes, signed with the node's log key.
StatusOr<std::string> SignExportManifest(std::string_view manifest, const PrivateKey& log_key);

// Read access to a package. `paths` lists every file it holds; `read` returns
// a file's bytes (only the manifest, its signature, the bundle and the
// content are read whole); `digest` returns "sha256:<hex>" of a file,
// streaming it. Both fail with NotFound for a path the package lacks.
struct PackageFiles {
  std::vector<std::string> paths;
  std::function<StatusOr<std::string>(const std::string& path)> read;
  std::function<StatusOr<std::string>(const std::string& path)> digest;
};

struct ExportVerification {
  BundleVerification version;  // the signed statement, checkpoint and signer key
  SignedVersionRef signed_version;
  std::string format;  // manifest "format", e.g. "fda-estar"
  size_t files_checked = 0;
};

// Verifies a package against the log key, in this order (each failure is
// InvalidArgument with its own reason; `field` names the file or member):
//   "not-a-bound-export"     no manifest.json / manifest.sig.json, or the
//                            manifest names no signedVersion (an export from
//                            before issue 15, or not a dossier export)
//   "bad-manifest"           manifest.json or its signedVersion malformed
//   checkpoint               the signedVersion checkpoint must be signed by
//                            the log key (BundleVerifier::VerifyCheckpoint:
//                            "note-signature-invalid", "bad-note", ...): a
//                            forged checkpoint stops here
//   "manifest-signature-invalid"  manifest.sig.json is not a DSSE envelope of
//                            kExportManifestPayloadType signed by the log key
//   "manifest-mismatch"      the signed payload is not manifest.json
//   "manifest-version-mismatch"   the package's signed content does not hash
//                            to the manifest's contentDigest (a manifest of
//                            another version), or the bundle proves another
//                            tenant, object, version, log index or checkpoint
//                            than the manifest names
//   bundle                   the version's bundle, checked by BundleVerifier
//                            with the content bytes (signature, inclusion of
//                            the leaf in the checkpoint, signer key): its own
//                            reasons (bundle.h)
//   "file-missing"           a file the manifest lists is absent
//   "file-digest-mismatch"   a file's SHA-256 differs from the manifest's
//   "file-not-in-manifest"   the package holds a file the manifest omits
StatusOr<ExportVerification> VerifyExportPackage(const PackageFiles& files, const PublicKey& log_key);

}  // namespace dossier::trust
