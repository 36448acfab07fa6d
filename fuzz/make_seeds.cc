// Writes the seed corpora of the fuzz targets, generated from our own test
// data (schema/testdata) and valid objects built with the fixed fuzz keys, so
// nothing large lives in the repository:
//
//   dossier_fuzz_seeds OUT_DIR [SOURCE_DIR]
//
// creates OUT_DIR/<target>/<seed> for http_request, schema_content, dsse,
// log_proofs and translate_import. Each seed starts with the target's selector
// byte where the target has one (see the targets' headers).
//
// translate_import also gets seeds from the small public fixtures at
// $DOSSIER_SHARED/fixtures (default SOURCE_DIR/../shared/fixtures) when
// present: they are read where they lie and written only to OUT_DIR, never to
// the repository.
#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include "fuzz/fuzz_common.h"
#include "schema/dossier_codec.h"
#include "schema/translate/formats.h"
#include "schema/translate/translate.h"
#include "schema/translate/zip.h"
#include "trust/json_forms.h"

using namespace dossier;
namespace fs = std::filesystem;

namespace {

fs::path out_dir;

void Write(const std::string& target, const std::string& name, const std::string& bytes) {
  fs::create_directories(out_dir / target);
  std::ofstream(out_dir / target / name, std::ios::binary) << bytes;
}

std::string Sel(int selector, const std::string& bytes) {
  return std::string(1, static_cast<char>(selector)) + bytes;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Request(const std::string& method, const std::string& target, const std::string& token,
                    const std::string& body = "", const std::string& type = "application/json",
                    const std::string& extra = "") {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty()) r += "Authorization: Bearer " + token + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    r += "Content-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return r + extra + "\r\n" + body;
}

std::string CommitJson(const trust::Statement& st) {
  boost::json::object commit{{"contentDigest", st.content_digest},
                             {"mediaType", st.media_type},
                             {"envelope", trust::EnvelopeToJson(fuzz::SignedStatement(st))}};
  return boost::json::serialize(commit);
}

void HttpSeeds() {
  const std::string t = "http_request";
  const std::string v1 = trust::DigestRef(trust::Sha256(fuzz::WorldContent(1)));
  const std::string c2 = fuzz::WorldContent(2);
  const std::string v2 = trust::DigestRef(trust::Sha256(c2));
  const std::string doc0 = fuzz::WorldDocumentDigests()[0];
  const std::string d = "/v1/tenants/acme/dossiers/d";
  int i = 0;
  auto seed = [&](const std::string& bytes) { Write(t, "seed-" + std::to_string(i++), bytes); };
  seed(Request("GET", "/healthz", ""));
  seed(Request("GET", "/readyz", ""));
  seed(Request("GET", "/v1/tenants", "@OP@"));
  seed(Request("POST", "/v1/tenants", "@OP@", R"({"id":"beta","displayName":"Beta","kind":"REGULATOR"})"));
  seed(Request("GET", "/v1/tenants/acme", "@TOK@"));
  seed(Request("POST", "/v1/tenants/acme/tokens", "@TOK@", R"({"role":"VIEWER","label":"x"})"));
  seed(Request("GET", "/v1/tenants/acme/tokens", "@TOK@"));
  seed(Request("GET", "/v1/tenants/acme/keys", "@TOK@"));
  {
    auto other = trust::PrivateKey::FromRawEd25519(std::string(32, '\x03')).value();
    boost::json::object key{{"publicKeyPem", other.public_key().Pem()}, {"label", "k"}};
    seed(Request("POST", "/v1/tenants/acme/keys", "@TOK@", boost::json::serialize(key)));
    seed(Request("POST", "/v1/tenants/acme/keys/" + other.public_key().KeyId() + ":revoke", "@TOK@",
                 R"({"revokedAt":"2026-01-01T00:00:00Z"})"));
  }
  seed(Request("POST", "/v1/tenants/acme/dossiers", "@TOK@", R"({"id":"e","title":"E"})"));
  seed(Request("GET", "/v1/tenants/acme/dossiers?page_size=1&page_token=d", "@TOK@"));
  seed(Request("GET", d, "@TOK@"));
  seed(Request("GET", d + "/versions", "@TOK@"));
  seed(Request("GET", d + "/versions/1", "@TOK@"));
  seed(Request("GET", d + "/versions/1", "@TOK@", "", "", "Accept: application/vnd.dossier.v1+protobuf\r\n"));
  seed(Request("GET", d + "/versions/1/content", "@TOK@"));
  seed(Request("GET", d + "/versions/1/bundle", "@TOK@"));
  seed(Request("GET", d + "/diff?from=1&to=1", "@TOK@"));
  seed(Request("PUT", "/v1/tenants/acme/blobs/" + v2, "@TOK@", c2, "application/octet-stream"));
  seed(Request("GET", "/v1/tenants/acme/blobs/" + doc0, "@TOK@", "", "", "Range: bytes=2-9\r\n"));
  seed(Request("HEAD", "/v1/tenants/acme/blobs/" + doc0, "@TOK@"));
  seed(Request("POST", d + "/versions", "@TOK@",
               CommitJson({"acme", "dossiers/d", 2, v1, v2, std::string(fuzz::kDossierMediaType)})));
  seed(Request("POST", d + "/versions", "@TOK@",
               CommitJson({"acme", "dossiers/d", 1, "", v1, std::string(fuzz::kDossierMediaType)})));
  seed(Request("GET", "/v1/log/checkpoint", "@TOK@"));
  seed(Request("GET", "/v1/log/public-key", "@TOK@"));
  seed(Request("GET", "/v1/log/proofs/inclusion?leafIndex=0&treeSize=2", "@TOK@"));
  seed(Request("GET", "/v1/log/proofs/consistency?from=1&to=2", "@TOK@"));
  seed(
      "POST /v1/tenants/acme/dossiers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer @TOK@\r\nContent-Type: "
      "application/json\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"id\":\"f\r\n2\r\n\"}\r\n0\r\n\r\n");
  seed(Request("DELETE", "/v1/tenants/acme/tokens/nope", "@TOK@"));
  seed(Request("GET", "/v1/tenants/acme/dossiers/%64/versions/1?x=%41+b", "@TOK@"));
}

void SchemaSeeds(const fs::path& source) {
  const std::string t = "schema_content";
  const fs::path testdata = source / "schema" / "testdata";
  const std::string dossier = ReadFile(testdata / "chest-xray-triage.dossier.json");
  const std::string plan = ReadFile(testdata / "chest-xray-triage.change-plan.json");
  const std::string decision = ReadFile(testdata / "chest-xray-triage.decision.json");
  Write(t, "dossier-json", Sel(0, dossier));
  Write(
      t, "dossier-pb",
      Sel(1, schema::DossierToProtobuf(schema::ParseDossier(dossier, schema::ContentFormat::kJson).value())));
  Write(t, "small-dossier-json", Sel(0, fuzz::WorldContent(1)));
  Write(t, "plan-json", Sel(2, plan));
  Write(t, "plan-pb",
        Sel(3, schema::ChangePlanToProtobuf(
                   schema::ParseChangePlan(plan, schema::ContentFormat::kJson).value())));
  Write(t, "decision-json", Sel(4, decision));
  Write(t, "decision-pb",
        Sel(5, schema::DecisionToProtobuf(
                   schema::ParseDecision(decision, schema::ContentFormat::kJson).value())));
}

void DsseSeeds() {
  const std::string t = "dsse";
  trust::Statement st{"acme",
                      "dossiers/d",
                      3,
                      trust::DigestRef(trust::Sha256("p")),
                      trust::DigestRef(trust::Sha256("c")),
                      std::string(fuzz::kDossierMediaType)};
  const auto env = fuzz::SignedStatement(st);
  Write(t, "envelope", Sel(0, trust::SerializeEnvelope(env)));
  Write(t, "statement", Sel(1, trust::SerializeStatement(st)));
  Write(t, "key-pem", Sel(2, fuzz::SignerKey().public_key().Pem()));
  Write(t, "key-der", Sel(3, fuzz::SignerKey().public_key().SpkiDer()));
  auto p256 = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEcdsaP256).value();
  Write(t, "key-p256-pem", Sel(2, p256.public_key().Pem()));
  Write(t, "signature", Sel(4, env.signatures[0].sig));
}

void LogSeeds() {
  const std::string t = "log_proofs";
  const trust::Bundle bundle = fuzz::ValidBundle(fuzz::SmallDossierJson("Fuzz", {}));
  auto cp =
      trust::OpenCheckpoint(bundle.checkpoint_note, fuzz::kLogOrigin, fuzz::LogKey().public_key()).value();
  Write(t, "checkpoint", Sel(0, trust::CheckpointBody(cp)));
  Write(t, "note", Sel(1, bundle.checkpoint_note));
  Write(t, "verifier-key", Sel(2, trust::NoteVerifierKey(fuzz::kLogOrigin, fuzz::LogKey().public_key())));
  Write(t, "leaf", Sel(3, trust::EncodeLogLeaf(bundle.leaf)));
  Write(t, "key-leaf", Sel(3, trust::EncodeLogLeaf(bundle.signer_key_leaf)));
  Write(t, "bundle", Sel(4, boost::json::serialize(trust::BundleToJson(bundle))));
  std::string proof(24, '\0');
  proof[0] = 1;  // index 1
  proof[8] = 2;  // size 2
  proof[16] = 7;
  proof += cp.root_hash + trust::LogLeafHash(bundle.leaf) + bundle.inclusion_proof[0];
  Write(t, "inclusion", Sel(5, proof));
}

// Selector byte of `format` in translate_import_fuzzer.cc.
int ImportSelector(const std::string& format) {
  const auto formats = translate::ImportFormats();
  for (size_t i = 0; i < formats.size(); ++i) {
    if (formats[i] == format) return static_cast<int>(i);
  }
  throw std::runtime_error("unknown import format " + format);
}

void TranslateSeeds(const fs::path& source) {
  const std::string t = "translate_import";
  const std::string json = ReadFile(source / "schema" / "testdata" / "chest-xray-triage.dossier.json");
  const v1::Dossier d = schema::ParseDossier(json, schema::ContentFormat::kJson).value();
  // The example's document digests are SHA-256 of the file names (schema/testdata/README.md).
  std::map<std::string, std::string> blobs;
  for (const auto& s : d.sections()) {
    for (const auto& doc : s.documents())
      blobs[trust::DigestRef(trust::Sha256(doc.file_name()))] = doc.file_name();
  }
  const translate::BlobReader reader = [&blobs](std::string_view digest) -> StatusOr<std::string> {
    auto it = blobs.find(std::string(digest));
    if (it == blobs.end()) return NotFound("no blob " + std::string(digest));
    return it->second;
  };
  // Our own packages, one per export format, and the EUDAMED DTX the eu-mdr package holds.
  for (const auto& format : translate::ExportFormats()) {
    auto exported = translate::Export(d, format, reader);
    if (!exported.ok()) throw std::runtime_error(format + ": " + exported.status().ToString());
    Write(t, format, Sel(ImportSelector(format), exported->bytes));
  }
  auto dtx = translate::EudamedDeviceRegistrationXml(translate::ExportProjection(d, "eu-mdr").value());
  if (!dtx.ok()) throw std::runtime_error("eudamed-dtx: " + dtx.status().ToString());
  Write(t, "eudamed-dtx-push", Sel(ImportSelector("eudamed-dtx"), *dtx));

  const char* shared = std::getenv("DOSSIER_SHARED");
  const fs::path fixtures = shared ? fs::path(shared) / "fixtures" : source / ".." / "shared" / "fixtures";
  if (!fs::is_directory(fixtures)) {
    std::cerr << "dossier_fuzz_seeds: no fixtures at " << fixtures.string()
              << "; translate_import gets only our own seeds\n";
    return;
  }
  // Small records only (run.sh fuzzes with -max_len=65536).
  auto from_fixture = [&](const std::string& format, const fs::path& file, const std::string& name) {
    if (!fs::is_regular_file(file) || fs::file_size(file) > 60000) return;
    std::string bytes = ReadFile(file);
    // The EUDAMED samples ship with a placeholder in an attribute that makes
    // them not well-formed; filled in as their SOURCE.txt describes, they import.
    const std::string placeholder = "<!-- Schema version here-->";
    if (auto p = bytes.find(placeholder); p != std::string::npos)
      bytes.replace(p, placeholder.size(), "3.0.25");
    Write(t, name, Sel(ImportSelector(format), bytes));
  };
  from_fixture("gudid-xml", fixtures / "openfda-gudid-xml" / "test.xml", "gudid-test-xml");
  if (fs::is_regular_file(fixtures / "openfda-gudid-xml" / "test.xml")) {
    translate::ZipWriter zip;  // a GUDID release ZIP of one file
    zip.Add("file1.xml", ReadFile(fixtures / "openfda-gudid-xml" / "test.xml"));
    Write(t, "gudid-release-zip", Sel(ImportSelector("gudid-xml"), zip.Finish()));
  }
  from_fixture("openfda-510k", fixtures / "openfda-api-examples" / "device-510k.example.json",
               "openfda-510k");
  from_fixture("openfda-classification",
               fixtures / "openfda-api-examples" / "device-classification.example.json",
               "openfda-classification");
  const fs::path samples = fixtures / "eudamed-dtx" / "samples";
  if (fs::is_directory(samples)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(samples)) {
      if (e.path().extension() == ".xml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) from_fixture("eudamed-dtx", f, "eudamed-" + f.stem().string());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: dossier_fuzz_seeds OUT_DIR [SOURCE_DIR]\n";
    return 2;
  }
  out_dir = argv[1];
  const fs::path source = argc > 2 ? fs::path(argv[2]) : fs::path(DOSSIER_SOURCE_DIR_DEFAULT);
  try {
    HttpSeeds();
    SchemaSeeds(source);
    DsseSeeds();
    LogSeeds();
    TranslateSeeds(source);
  } catch (const std::exception& e) {
    std::cerr << "dossier_fuzz_seeds: " << e.what() << "\n";
    return 1;
  }
  std::cout << "seeds written to " << out_dir.string() << "\n";
  return 0;
}
