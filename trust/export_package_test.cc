// The structural checks of trust::VerifyExportPackage that need no log:
// a package that is not bound, a manifest signed by another key or over other
// bytes, a malformed signedVersion. The chain through a real node's bundle
// (tampered file, manifest of another version, forged checkpoint) is tested
// end to end in tests/e2e_export_binding_test.cc.
#define BOOST_TEST_MODULE trust_export_package
#include "trust/export_package.h"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <map>

#include "trust/checkpoint.h"
#include "trust/digest.h"
#include "trust/json_forms.h"

using namespace dossier;
using namespace dossier::trust;
namespace json = boost::json;

namespace {

constexpr std::string_view kOrigin = "dossier.test/log";

PackageFiles InMemory(const std::map<std::string, std::string>& files) {
  PackageFiles out;
  for (const auto& [path, bytes] : files) out.paths.push_back(path);
  out.read = [files](const std::string& path) -> StatusOr<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return NotFound("no " + path);
    return it->second;
  };
  out.digest = [files](const std::string& path) -> StatusOr<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return NotFound("no " + path);
    return DigestRef(Sha256(it->second));
  };
  return out;
}

struct Package {
  PrivateKey log_key = PrivateKey::Generate(KeyAlgorithm::kEd25519).value();
  std::map<std::string, std::string> files;

  Package() {
    Checkpoint checkpoint{std::string(kOrigin), 3, Sha256("root"), {}};
    SignedVersionRef ref;
    ref.tenant = "acme";
    ref.object = "dossiers/cxr";
    ref.dossier = "cxr";
    ref.version = 1;
    ref.content_digest = DigestRef(Sha256("{}"));
    ref.media_type = "application/vnd.dossier.v1+json";
    ref.log_index = 2;
    ref.tree_size = 3;
    ref.checkpoint_note = SignNote(CheckpointBody(checkpoint), kOrigin, log_key).value();
    ref.content_path = "signed/content.json";
    ref.bundle_path = "signed/bundle.json";
    files["signed/content.json"] = "{}";
    files["signed/bundle.json"] = "{}";
    json::array listed;
    for (const auto& [path, bytes] : files)
      listed.push_back(json::object{{"path", path}, {"digest", DigestRef(Sha256(bytes))}});
    Sign(
        json::object{{"format", "imdrf-toc"}, {"files", listed}, {"signedVersion", SignedVersionToJson(ref)}},
        log_key);
  }

  void Sign(const json::object& manifest, const PrivateKey& key) {
    files["manifest.json"] = json::serialize(manifest);
    files["manifest.sig.json"] = SignExportManifest(files["manifest.json"], key).value();
  }

  Status Verify() const { return VerifyExportPackage(InMemory(files), log_key.public_key()).status(); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_package_without_manifest_signature_or_binding_is_not_bound) {
  Package p;
  p.files.erase("manifest.sig.json");
  BOOST_TEST(p.Verify().reason() == "not-a-bound-export");
  BOOST_TEST(p.Verify().field() == "manifest.sig.json");

  Package unbound;
  json::object manifest = json::parse(unbound.files["manifest.json"]).as_object();
  manifest.erase("signedVersion");
  unbound.Sign(manifest, unbound.log_key);
  BOOST_TEST(unbound.Verify().reason() == "not-a-bound-export");
}

BOOST_AUTO_TEST_CASE(the_manifest_must_be_signed_by_the_log_key_over_its_exact_bytes) {
  Package other_key;
  const PrivateKey impostor = PrivateKey::Generate(KeyAlgorithm::kEd25519).value();
  other_key.Sign(json::parse(other_key.files["manifest.json"]).as_object(), impostor);
  BOOST_TEST(other_key.Verify().reason() == "manifest-signature-invalid");

  Package edited;
  edited.files["manifest.json"] += " ";
  BOOST_TEST(edited.Verify().reason() == "manifest-mismatch");

  Package garbage;
  garbage.files["manifest.sig.json"] = "not an envelope";
  BOOST_TEST(garbage.Verify().reason() == "manifest-signature-invalid");
}

BOOST_AUTO_TEST_CASE(a_malformed_signed_version_names_its_member) {
  Package p;
  json::object manifest = json::parse(p.files["manifest.json"]).as_object();
  manifest["signedVersion"].as_object().erase("logIndex");
  p.Sign(manifest, p.log_key);
  const Status s = p.Verify();
  BOOST_TEST(s.reason() == "bad-manifest");
  BOOST_TEST(s.field() == "signedVersion.logIndex");
}

BOOST_AUTO_TEST_CASE(signed_content_of_another_version_is_refused_before_the_bundle) {
  Package p;
  p.files["signed/content.json"] = R"({"other":true})";
  const Status s = p.Verify();
  BOOST_TEST(s.reason() == "manifest-version-mismatch");
  BOOST_TEST(s.field() == "signedVersion.contentDigest");
}
