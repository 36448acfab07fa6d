// Exports bound to what was signed (issue 15): every export of a real
// dossierd names the signed version it shows and the checkpoint it was
// verified against, and the SDK verifies a package offline against the log
// key alone — and refuses a tampered file, a manifest of another version and a
// forged checkpoint, each with its own reason.
#define BOOST_TEST_MODULE e2e_export_binding
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <map>

#include "dossier/client/package_verify.h"
#include "schema/translate/package.h"
#include "schema/translate/zip.h"
#include "tests/support/files.h"
#include "tests/support/harness.h"
#include "tests/support/temp_dir.h"
#include "trust/checkpoint.h"
#include "trust/keys.h"

using namespace dossier;
using namespace dossier::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

using Entries = std::map<std::string, std::string>;

Entries ReadZip(const fs::path& path) {
  auto zip = translate::ZipReader::Open(path, translate::ImportLimits());
  BOOST_REQUIRE(zip.ok());
  Entries entries;
  for (const auto& name : (*zip)->Names()) entries[name] = (*zip)->ReadAll(name, 64 << 20).value();
  return entries;
}

fs::path WriteZip(const fs::path& path, const Entries& entries) {
  translate::ZipWriter writer;
  for (const auto& [name, bytes] : entries) writer.Add(name, bytes);
  WriteFile(path, writer.Finish());
  return path;
}

Status VerifyZip(const fs::path& path, const std::string& log_key_pem,
                 trust::ExportVerification* out = nullptr) {
  auto files = translate::ZipPackageFiles(path, translate::ImportLimits());
  if (!files.ok()) return files.status();
  auto verified = client::VerifyExportedPackage(*files, log_key_pem);
  if (!verified.ok()) return verified.status();
  if (out) *out = *verified;
  return Status::Ok();
}

struct Node {
  TempDir dir;
  Server server{dir.path() / "data"};
  HttpClient http{server.port()};
  Actor acme = CreateActor(http, server.operator_token(), "acme");
  std::string log_key_pem;
  std::string doc_digest;

  Node() {
    BOOST_REQUIRE_EQUAL(
        http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", JsonAuth(acme.token)).status,
        201);
    doc_digest = UploadBlob(http, acme, "%PDF-1.7 device description");
    std::string parent;
    for (uint64_t n : {1, 2}) {
      const std::string content = MinimalDossierJson("CXR v" + std::to_string(n), {doc_digest});
      const std::string digest = UploadBlob(http, acme, content);
      auto commit =
          http.Request("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                       CommitBody(acme, "dossiers/cxr", n, parent, digest, acme.key), JsonAuth(acme.token));
      BOOST_REQUIRE_MESSAGE(commit.status == 201, commit.body);
      parent = digest;
    }
    auto key = http.Request("GET", "/v1/log/public-key", "", Auth(acme.token));
    BOOST_REQUIRE_EQUAL(key.status, 200);
    log_key_pem = std::string(key.Json().at("publicKeyPem").as_string());
  }

  fs::path Export(uint64_t version, const std::string& query) {
    auto r = http.Request(
        "GET", "/v1/tenants/acme/dossiers/cxr/versions/" + std::to_string(version) + "/export?" + query, "",
        Auth(acme.token));
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body.substr(0, 400));
    BOOST_REQUIRE_EQUAL(r.Header("content-type"), "application/zip");
    const fs::path path = dir.path() / ("v" + std::to_string(version) + "-" + query.substr(7) + ".zip");
    WriteFile(path, r.body);
    return path;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(every_export_format_verifies_offline_against_the_log_key) {
  Node node;
  for (const std::string query : {"format=imdrf-toc", "format=fda-estar", "format=eu-mdr", "format=hsa-csdt",
                                  "format=fhir-r5&package=zip"}) {
    BOOST_TEST_CONTEXT(query) {
      const fs::path zip = node.Export(1, query);
      trust::ExportVerification verified;
      const Status s = VerifyZip(zip, node.log_key_pem, &verified);
      BOOST_TEST_REQUIRE(s.ok(), s.ToString());
      BOOST_TEST(verified.signed_version.tenant == "acme");
      BOOST_TEST(verified.signed_version.dossier == "cxr");
      BOOST_TEST(verified.signed_version.version == 1u);
      BOOST_TEST(verified.version.statement.object == "dossiers/cxr");
      BOOST_TEST(verified.signed_version.checkpoint_note.find("\n\n— ") != std::string::npos);
      BOOST_TEST(verified.files_checked >= 3u);
    }
  }
  // The same package unpacked in a folder verifies the same way.
  const Entries entries = ReadZip(node.Export(2, "format=fda-estar"));
  const fs::path folder = node.dir.path() / "unpacked";
  for (const auto& [name, bytes] : entries) WriteFile(folder / name, bytes);
  auto files = client::PackageFolder(folder);
  BOOST_TEST_REQUIRE(files.ok());
  auto verified = client::VerifyExportedPackage(*files, node.log_key_pem);
  BOOST_TEST_REQUIRE(verified.ok(), verified.status().ToString());
  BOOST_TEST(verified->signed_version.version == 2u);
  // A bound package still imports: the manifest's extra files are ignored.
  auto imported = node.http.Request("POST", "/v1/tenants/acme/imports?format=fda-estar",
                                    ReadFile(node.dir.path() / "v2-fda-estar.zip"), Auth(node.acme.token));
  BOOST_TEST(imported.status == 200, imported.body.substr(0, 300));
  // The bare FHIR Bundle stays a Bundle.
  auto bare = node.http.Request("GET", "/v1/tenants/acme/dossiers/cxr/versions/1/export?format=fhir-r5", "",
                                Auth(node.acme.token));
  BOOST_TEST(bare.Json().at("resourceType").as_string() == "Bundle");
  BOOST_TEST(node.http
                 .Request("GET", "/v1/tenants/acme/dossiers/cxr/versions/1/export?format=fhir-r5&package=tar",
                          "", Auth(node.acme.token))
                 .ProblemCode() == "bad-parameter");
}

BOOST_AUTO_TEST_CASE(a_tampered_file_is_named) {
  Node node;
  Entries entries = ReadZip(node.Export(1, "format=fda-estar"));
  std::string document;
  for (const auto& [name, bytes] : entries) {
    if (bytes == "%PDF-1.7 device description") document = name;
  }
  BOOST_TEST_REQUIRE(!document.empty());
  entries[document] = "%PDF-1.7 device description, quietly edited";
  const Status s = VerifyZip(WriteZip(node.dir.path() / "tampered.zip", entries), node.log_key_pem);
  BOOST_TEST(s.reason() == "file-digest-mismatch", s.ToString());
  BOOST_TEST(s.field() == document);

  // A file slipped in that the manifest does not list.
  Entries extra = ReadZip(node.Export(1, "format=fda-estar"));
  extra["README.txt"] = "trust me";
  const Status added = VerifyZip(WriteZip(node.dir.path() / "extra.zip", extra), node.log_key_pem);
  BOOST_TEST(added.reason() == "file-not-in-manifest", added.ToString());

  // The manifest edited after signing.
  Entries edited = ReadZip(node.Export(1, "format=fda-estar"));
  edited["manifest.json"].insert(1, " ");
  const Status resigned = VerifyZip(WriteZip(node.dir.path() / "edited.zip", edited), node.log_key_pem);
  BOOST_TEST(resigned.reason() == "manifest-mismatch", resigned.ToString());
}

BOOST_AUTO_TEST_CASE(a_manifest_of_another_version_is_refused) {
  Node node;
  Entries v1 = ReadZip(node.Export(1, "format=hsa-csdt"));
  const Entries v2 = ReadZip(node.Export(2, "format=hsa-csdt"));
  // Version 2's genuine, signed manifest over version 1's files.
  v1["manifest.json"] = v2.at("manifest.json");
  v1["manifest.sig.json"] = v2.at("manifest.sig.json");
  const Status s = VerifyZip(WriteZip(node.dir.path() / "swapped.zip", v1), node.log_key_pem);
  BOOST_TEST(s.reason() == "manifest-version-mismatch", s.ToString());
  BOOST_TEST(s.message().find("version 2") != std::string::npos, s.message());
}

BOOST_AUTO_TEST_CASE(a_forged_checkpoint_or_another_log_key_is_refused) {
  Node node;
  Entries entries = ReadZip(node.Export(1, "format=imdrf-toc"));
  json::value manifest = json::parse(entries.at("manifest.json"));
  json::object& signed_version = manifest.at("signedVersion").as_object();
  const std::string note(signed_version.at("checkpoint").as_string());
  auto genuine = trust::ParseUnverifiedCheckpoint(note);
  BOOST_TEST_REQUIRE(genuine.ok());
  // The same origin and tree, signed by a key that is not the log's.
  const trust::PrivateKey impostor = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  trust::Checkpoint claimed = *genuine;
  claimed.tree_size += 5;
  signed_version["checkpoint"] =
      trust::SignNote(trust::CheckpointBody(claimed), genuine->origin, impostor).value();
  entries["manifest.json"] = json::serialize(manifest);
  const Status s = VerifyZip(WriteZip(node.dir.path() / "forged.zip", entries), node.log_key_pem);
  BOOST_TEST(s.reason() == "note-signature-invalid", s.ToString());
  BOOST_TEST(s.field() == "signedVersion.checkpoint");

  // A genuine package checked against another log's key.
  const Status other = VerifyZip(node.Export(1, "format=imdrf-toc"), impostor.public_key().Pem());
  BOOST_TEST(other.reason() == "note-signature-invalid", other.ToString());
}
