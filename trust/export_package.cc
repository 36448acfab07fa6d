#include "trust/export_package.h"

#include <boost/json.hpp>
#include <map>
#include <set>

#include "common/json_read.h"
#include "trust/checkpoint.h"
#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/statement.h"
#include "trust/json_forms.h"

namespace dossier::trust {
namespace json = boost::json;

namespace {

Status BadManifest(const std::string& message, const std::string& field) {
  return InvalidArgument("manifest.json: " + message, "bad-manifest", field);
}

Status VersionMismatch(const std::string& message, const std::string& field) {
  return InvalidArgument(message, "manifest-version-mismatch", field);
}

StatusOr<SignedVersionRef> SignedVersionFromJson(const json::object& o) {
  SignedVersionRef ref;
  struct Text {
    const char* name;
    std::string* out;
  };
  for (const Text& t : {Text{"tenant", &ref.tenant}, Text{"object", &ref.object},
                        Text{"dossier", &ref.dossier}, Text{"contentDigest", &ref.content_digest},
                        Text{"mediaType", &ref.media_type}, Text{"checkpoint", &ref.checkpoint_note},
                        Text{"content", &ref.content_path}, Text{"bundle", &ref.bundle_path}}) {
    auto value = RequiredString(o, {t.name});
    if (!value.ok()) return BadManifest(value.status().message(), std::string("signedVersion.") + t.name);
    *t.out = *value;
  }
  struct Number {
    const char* name;
    uint64_t* out;
  };
  for (const Number& n : {Number{"version", &ref.version}, Number{"logIndex", &ref.log_index},
                          Number{"treeSize", &ref.tree_size}}) {
    auto value = OptionalUint(o, {n.name});
    if (!value.ok() || !*value)
      return BadManifest("must be a non-negative integer", std::string("signedVersion.") + n.name);
    *n.out = **value;
  }
  return ref;
}

}  // namespace

json::object SignedVersionToJson(const SignedVersionRef& ref) {
  return json::object{{"tenant", ref.tenant},
                      {"object", ref.object},
                      {"dossier", ref.dossier},
                      {"version", ref.version},
                      {"contentDigest", ref.content_digest},
                      {"mediaType", ref.media_type},
                      {"logIndex", ref.log_index},
                      {"treeSize", ref.tree_size},
                      {"checkpoint", ref.checkpoint_note},
                      {"content", ref.content_path},
                      {"bundle", ref.bundle_path}};
}

StatusOr<std::string> SignExportManifest(std::string_view manifest, const PrivateKey& log_key) {
  DOSSIER_ASSIGN_OR_RETURN(DsseEnvelope envelope,
                           SignEnvelope(kExportManifestPayloadType, manifest, log_key));
  return SerializeEnvelope(envelope);
}

StatusOr<ExportVerification> VerifyExportPackage(const PackageFiles& files, const PublicKey& log_key) {
  const std::set<std::string> present(files.paths.begin(), files.paths.end());
  for (std::string_view needed : {kExportManifestPath, kExportSignaturePath}) {
    if (!present.count(std::string(needed))) {
      return InvalidArgument(
          "the package has no " + std::string(needed) +
              ": it is not bound to a signed version (export it again from a current node)",
          "not-a-bound-export", std::string(needed));
    }
  }
  DOSSIER_ASSIGN_OR_RETURN(const std::string manifest_text, files.read(std::string(kExportManifestPath)));
  auto manifest = ParseJsonObject(manifest_text);
  if (!manifest.ok()) return BadManifest("not a JSON object", "");
  const json::value* signed_version = manifest->if_contains("signedVersion");
  if (signed_version == nullptr) {
    return InvalidArgument(
        "manifest.json names no signedVersion: the package is not bound to a signed version",
        "not-a-bound-export", "signedVersion");
  }
  if (!signed_version->is_object()) return BadManifest("must be an object", "signedVersion");
  DOSSIER_ASSIGN_OR_RETURN(SignedVersionRef ref, SignedVersionFromJson(signed_version->as_object()));

  // The root of trust first: the checkpoint the export was verified against
  // must be the log's. Its origin line is only believed once the log key's
  // signature over it verifies.
  auto claimed = ParseUnverifiedCheckpoint(ref.checkpoint_note);
  if (!claimed.ok()) return claimed.status().WithFieldPrefix("signedVersion.checkpoint");
  BundleVerifier verifier(claimed->origin, log_key);
  auto checkpoint = verifier.VerifyCheckpoint(ref.checkpoint_note);
  if (!checkpoint.ok()) {
    return Status(checkpoint.status().code(),
                  "the checkpoint in manifest.json is not the log's: " + checkpoint.status().message(),
                  checkpoint.status().reason(), "signedVersion.checkpoint");
  }

  // The node's signature over the manifest's exact bytes.
  DOSSIER_ASSIGN_OR_RETURN(const std::string signature_text, files.read(std::string(kExportSignaturePath)));
  auto envelope = ParseEnvelope(signature_text);
  if (!envelope.ok() || envelope->payload_type != kExportManifestPayloadType) {
    return InvalidArgument(
        "manifest.sig.json is not a DSSE envelope of " + std::string(kExportManifestPayloadType),
        "manifest-signature-invalid", std::string(kExportSignaturePath));
  }
  if (Status s = VerifyEnvelope(*envelope, log_key); !s.ok()) {
    return InvalidArgument("manifest.sig.json is not signed by the log key: " + s.message(),
                           "manifest-signature-invalid", std::string(kExportSignaturePath));
  }
  if (envelope->payload != manifest_text) {
    return InvalidArgument("manifest.sig.json signs another manifest than manifest.json", "manifest-mismatch",
                           std::string(kExportManifestPath));
  }

  // The listed files, by path, with their digests.
  std::map<std::string, std::string> listed;
  const json::value* list = manifest->if_contains("files");
  if (list == nullptr || !list->is_array()) return BadManifest("must be a list", "files");
  for (size_t i = 0; i < list->as_array().size(); ++i) {
    const json::value& entry = list->as_array()[i];
    const std::string where = "files[" + std::to_string(i) + "]";
    if (!entry.is_object()) return BadManifest("must be an object", where);
    auto path = RequiredString(entry.as_object(), {"path"});
    auto digest = RequiredString(entry.as_object(), {"digest"});
    if (!path.ok() || !digest.ok()) return BadManifest("needs a path and a digest", where);
    if (!listed.emplace(*path, *digest).second) return BadManifest("lists " + *path + " twice", where);
  }

  // The signed content: a manifest of another version names another digest.
  DOSSIER_ASSIGN_OR_RETURN(const std::string content, files.read(ref.content_path));
  const std::string content_digest = DigestRef(Sha256(content));
  if (content_digest != ref.content_digest) {
    return VersionMismatch("manifest.json is for " + ref.object + " version " + std::to_string(ref.version) +
                               " (content " + ref.content_digest + "), but the package's signed content " +
                               ref.content_path + " is " + content_digest,
                           "signedVersion.contentDigest");
  }

  // The version's bundle: signature, inclusion of its leaf in the checkpoint,
  // signer key — the one verification (BundleVerifier).
  DOSSIER_ASSIGN_OR_RETURN(const std::string bundle_text, files.read(ref.bundle_path));
  auto bundle = BundleFromJson(bundle_text);
  if (!bundle.ok()) return bundle.status().WithFieldPrefix(ref.bundle_path);
  if (bundle->checkpoint_note != ref.checkpoint_note) {
    return VersionMismatch("the bundle is against another checkpoint than manifest.json names",
                           ref.bundle_path);
  }
  DOSSIER_ASSIGN_OR_RETURN(BundleVerification verified, verifier.Verify(*bundle, &content));
  const Statement& st = verified.statement;
  if (st.tenant != ref.tenant || st.object != ref.object || st.version != ref.version ||
      st.content_digest != ref.content_digest || st.media_type != ref.media_type ||
      bundle->log_index != ref.log_index || verified.checkpoint.tree_size != ref.tree_size ||
      ref.object != "dossiers/" + ref.dossier) {
    return VersionMismatch(
        "the signed statement (" + st.tenant + " " + st.object + " version " + std::to_string(st.version) +
            ", log index " + std::to_string(bundle->log_index) +
            ") is not the version manifest.json names (" + ref.tenant + " " + ref.object + " version " +
            std::to_string(ref.version) + ", log index " + std::to_string(ref.log_index) + ")",
        "signedVersion");
  }

  // Every file, by its SHA-256; nothing unlisted.
  ExportVerification out;
  for (const auto& [path, digest] : listed) {
    if (!present.count(path))
      return InvalidArgument(path + " is listed in manifest.json but absent", "file-missing", path);
    DOSSIER_ASSIGN_OR_RETURN(const std::string actual, files.digest(path));
    if (actual != digest) {
      return InvalidArgument(
          path + " was changed: its SHA-256 is " + actual + ", manifest.json says " + digest,
          "file-digest-mismatch", path);
    }
    ++out.files_checked;
  }
  for (const std::string& path : files.paths) {
    if (path == kExportManifestPath || path == kExportSignaturePath || listed.count(path)) continue;
    if (!path.empty() && path.back() == '/') continue;  // a folder entry
    return InvalidArgument(path + " is in the package but not in manifest.json", "file-not-in-manifest",
                           path);
  }
  for (const std::string& bound : {ref.content_path, ref.bundle_path}) {
    if (!listed.count(bound))
      return BadManifest(bound + " (named by signedVersion) is not in the files list", "files");
  }
  out.version = std::move(verified);
  out.signed_version = std::move(ref);
  const json::value* format = manifest->if_contains("format");
  out.format = format && format->is_string() ? std::string(format->as_string()) : std::string();
  return out;
}

}  // namespace dossier::trust
