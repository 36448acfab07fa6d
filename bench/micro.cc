// Micro-benchmarks of the CPU work behind every commit and every verification
// (Google Benchmark), and of each translation. Inputs are our own test data:
// the chest X-ray dossier of schema/testdata and statements shaped like the
// server's.
//
//   dossier_micro_bench [--benchmark_min_time=0.2] [--benchmark_format=json]
//
// Environment: DOSSIER_SOURCE_DIR (for schema/testdata; default: the source
// tree this was built from).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "schema/dossier_codec.h"
#include "schema/section_digest.h"
#include "schema/toc.h"
#include "schema/translate/translate.h"
#include "schema/validate.h"
#include "storage/store.h"
#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/keys.h"
#include "trust/merkle.h"
#include "trust/statement.h"

namespace {

using namespace dossier;
namespace fs = std::filesystem;

std::string ReadTestdata(const std::string& name) {
  const char* env = std::getenv("DOSSIER_SOURCE_DIR");
  const fs::path root = env ? fs::path(env) : fs::path(DOSSIER_SOURCE_DIR_DEFAULT);
  std::ifstream in(root / "schema" / "testdata" / name, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read schema/testdata/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const trust::PrivateKey& Ed25519Key() {
  static const trust::PrivateKey key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  return key;
}

std::string StatementPayload(uint64_t version) {
  trust::Statement st{"acme-medical",
                      "dossiers/cxr-triage",
                      version,
                      trust::DigestRef(trust::Sha256("parent")),
                      trust::DigestRef(trust::Sha256("content")),
                      "application/vnd.dossier.v1+json"};
  return trust::SerializeStatement(st);
}

// ---- Hashing.
void BM_Sha256(benchmark::State& state) {
  const std::string data(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state) benchmark::DoNotOptimize(trust::Sha256(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(1 << 10)->Arg(16 << 10);

// ---- Statements: what an SDK does per commit, and what the server checks.
void BM_StatementSign(benchmark::State& state) {
  const std::string payload = StatementPayload(7);
  for (auto _ : state) {
    auto env = trust::SignEnvelope(trust::kStatementPayloadType, payload, Ed25519Key());
    benchmark::DoNotOptimize(env);
  }
}
BENCHMARK(BM_StatementSign);

void BM_StatementVerify(benchmark::State& state) {
  const auto env =
      trust::SignEnvelope(trust::kStatementPayloadType, StatementPayload(7), Ed25519Key()).value();
  const trust::PublicKey pub = Ed25519Key().public_key();
  for (auto _ : state) {
    Status s = trust::VerifyEnvelope(env, pub);
    if (!s.ok()) state.SkipWithError("verify failed");
  }
}
BENCHMARK(BM_StatementVerify);

// DSSE from the wire: parse the JSON envelope, verify, parse the statement.
void BM_DsseParseVerifyStatement(benchmark::State& state) {
  const auto env =
      trust::SignEnvelope(trust::kStatementPayloadType, StatementPayload(7), Ed25519Key()).value();
  const std::string json = trust::SerializeEnvelope(env);
  const trust::PublicKey pub = Ed25519Key().public_key();
  for (auto _ : state) {
    auto parsed = trust::ParseEnvelope(json);
    if (!parsed.ok() || !trust::VerifyEnvelope(*parsed, pub).ok()) state.SkipWithError("dsse failed");
    auto st = trust::ParseStatement(parsed->payload);
    benchmark::DoNotOptimize(st);
  }
  state.SetLabel(std::to_string(json.size()) + " B envelope");
}
BENCHMARK(BM_DsseParseVerifyStatement);

void BM_StatementVerifyP256(benchmark::State& state) {
  static const trust::PrivateKey key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEcdsaP256).value();
  const auto env = trust::SignEnvelope(trust::kStatementPayloadType, StatementPayload(7), key).value();
  const trust::PublicKey pub = key.public_key();
  for (auto _ : state) {
    if (!trust::VerifyEnvelope(env, pub).ok()) state.SkipWithError("verify failed");
  }
}
BENCHMARK(BM_StatementVerifyP256);

// Parsing a signer's PEM key: Ed25519 takes a shortcut past OpenSSL 3's
// decoder (trust/keys.cc); P-256 still goes through it.
void BM_PublicKeyFromPem(benchmark::State& state) {
  const auto algorithm =
      state.range(0) == 0 ? trust::KeyAlgorithm::kEd25519 : trust::KeyAlgorithm::kEcdsaP256;
  const std::string pem = trust::PrivateKey::Generate(algorithm).value().public_key().Pem();
  for (auto _ : state) {
    auto key = trust::PublicKey::FromPem(pem);
    if (!key.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(key);
  }
  state.SetLabel(state.range(0) == 0 ? "ed25519" : "p-256");
}
BENCHMARK(BM_PublicKeyFromPem)->Arg(0)->Arg(1);

// ---- Dossier content: what the server does with every committed version.
void BM_DossierParseJson(benchmark::State& state) {
  const std::string json = ReadTestdata("chest-xray-triage.dossier.json");
  for (auto _ : state) {
    auto d = schema::ParseDossier(json, schema::ContentFormat::kJson);
    if (!d.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_DossierParseJson);

void BM_DossierParseProtobuf(benchmark::State& state) {
  const auto d =
      schema::ParseDossier(ReadTestdata("chest-xray-triage.dossier.json"), schema::ContentFormat::kJson);
  const std::string pb = schema::DossierToProtobuf(*d);
  for (auto _ : state) {
    auto p = schema::ParseDossier(pb, schema::ContentFormat::kProtobuf);
    benchmark::DoNotOptimize(p);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * pb.size()));
}
BENCHMARK(BM_DossierParseProtobuf);

// Printing as JSON: the direct printer (schema/json_print.h, what
// DossierToJson uses) against protobuf's own, its baseline.
void BM_DossierPrintJson(benchmark::State& state) {
  const auto d =
      schema::ParseDossier(ReadTestdata("chest-xray-triage.dossier.json"), schema::ContentFormat::kJson);
  const bool by_protobuf = state.range(0) == 1;
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json = by_protobuf ? schema::MessageToJsonByProtobuf(*d) : schema::DossierToJson(*d);
    bytes += json.size();
    benchmark::DoNotOptimize(json);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetLabel(by_protobuf ? "protobuf MessageToJsonString" : "schema/json_print.h");
}
BENCHMARK(BM_DossierPrintJson)->Arg(0)->Arg(1);

void BM_DossierValidate(benchmark::State& state) {
  const auto d =
      schema::ParseDossier(ReadTestdata("chest-xray-triage.dossier.json"), schema::ContentFormat::kJson);
  const auto& catalog = schema::TocCatalog::BuiltIn();
  for (auto _ : state) {
    Status s = schema::ValidateDossier(*d, catalog);
    if (!s.ok()) state.SkipWithError("invalid");
  }
}
BENCHMARK(BM_DossierValidate);

void BM_DossierSectionDigests(benchmark::State& state) {
  const auto d =
      schema::ParseDossier(ReadTestdata("chest-xray-triage.dossier.json"), schema::ContentFormat::kJson);
  for (auto _ : state) {
    auto digests = schema::SectionDigests(*d);
    benchmark::DoNotOptimize(digests);
  }
  state.SetLabel(std::to_string(d->sections_size()) + " sections");
}
BENCHMARK(BM_DossierSectionDigests);

// ---- Merkle proofs: in memory, and over a RocksDB-stored log (what the
// server does for /v1/log/proofs and every bundle).
void BM_MerkleInclusionProofMemory(benchmark::State& state) {
  trust::MemoryMerkleTree tree;
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  for (uint64_t i = 0; i < n; ++i) tree.Append(trust::LeafHash(std::to_string(i)));
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto proof = trust::InclusionProof(tree, rng() % n, n);
    benchmark::DoNotOptimize(proof);
  }
}
BENCHMARK(BM_MerkleInclusionProofMemory)->Arg(100000);

// A store with `n` committed versions (sync off while filling: durability is
// not what this measures).
storage::Store& StoredLog(uint64_t n) {
  static std::unique_ptr<storage::Store> store;
  static fs::path dir;
  if (store) return *store;
  dir = fs::temp_directory_path() / ("dossier-micro-bench-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  storage::StoreOptions options;
  options.data_dir = dir;
  options.sync_writes = false;
  store = storage::OpenRocksStore(options).value();
  storage::TenantRecord t;
  t.set_id("acme");
  t.set_display_name("acme");
  t.set_kind("MANUFACTURER");
  (void)store->CreateTenant(t);
  storage::ObjectRecord o;
  o.set_tenant("acme");
  o.set_kind("dossiers");
  o.set_id("d");
  (void)store->CreateObject(o);
  std::string parent;
  for (uint64_t v = 1; v <= n; ++v) {
    storage::VersionRecord r;
    r.set_tenant("acme");
    r.set_kind("dossiers");
    r.set_id("d");
    r.set_version(v);
    r.set_parent_digest(parent);
    r.set_content_digest(trust::DigestRef(trust::Sha256(std::to_string(v))));
    r.set_media_type("application/vnd.dossier.v1+json");
    r.set_leaf_data("leaf " + std::to_string(v));
    auto c = store->CommitVersion(r);
    if (!c.ok()) throw std::runtime_error("populate: " + c.status().ToString());
    parent = r.content_digest();
  }
  std::atexit([] {
    store.reset();
    fs::remove_all(dir);
  });
  return *store;
}

void BM_MerkleInclusionProofStored(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  storage::Store& store = StoredLog(n);
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto proof = store.LogInclusionProof(rng() % n, n);
    if (!proof.ok()) state.SkipWithError("proof failed");
  }
}
BENCHMARK(BM_MerkleInclusionProofStored)->Arg(20000);

void BM_MerkleConsistencyProofStored(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  storage::Store& store = StoredLog(n);
  std::mt19937_64 rng(2);
  for (auto _ : state) {
    auto proof = store.LogConsistencyProof(1 + rng() % (n - 1), n);
    if (!proof.ok()) state.SkipWithError("proof failed");
  }
}
BENCHMARK(BM_MerkleConsistencyProofStored)->Arg(20000);

// ---- Translation: every export format, its import back, and readiness for
// each agency. The testdata dossier's documents are replaced by 16 KiB of
// bytes each (the real ones are not in the repo), so exports package real
// document bytes and check their digests as the server does.
struct TranslationInput {
  v1::Dossier dossier;
  std::map<std::string, std::string> documents;  // digest -> bytes
};

const TranslationInput& Translation() {
  static const TranslationInput input = [] {
    TranslationInput in;
    in.dossier =
        schema::ParseDossier(ReadTestdata("chest-xray-triage.dossier.json"), schema::ContentFormat::kJson)
            .value();
    int n = 0;
    for (auto& section : *in.dossier.mutable_sections()) {
      for (auto& doc : *section.mutable_documents()) {
        std::string bytes(16 << 10, static_cast<char>('a' + n % 26));
        bytes += std::to_string(n++);
        doc.set_digest(trust::DigestRef(trust::Sha256(bytes)));
        doc.set_size_bytes(static_cast<int64_t>(bytes.size()));
        in.documents[doc.digest()] = std::move(bytes);
      }
    }
    return in;
  }();
  return input;
}

translate::BlobReader TranslationBlobs() {
  return [](std::string_view digest) -> StatusOr<std::string> {
    const auto& docs = Translation().documents;
    auto it = docs.find(std::string(digest));
    if (it == docs.end()) return NotFound("no document " + std::string(digest), "blob-missing");
    return it->second;
  };
}

void BM_Export(benchmark::State& state, const std::string& format) {
  const auto blobs = TranslationBlobs();
  size_t bytes = 0;
  for (auto _ : state) {
    auto out = translate::Export(Translation().dossier, format, blobs);
    if (!out.ok()) {
      state.SkipWithError(out.status().ToString().c_str());
      break;
    }
    bytes = out->bytes.size();
  }
  state.SetLabel(std::to_string(bytes) + " B package, " + std::to_string(Translation().documents.size()) +
                 " documents");
}

void BM_Import(benchmark::State& state, const std::string& format) {
  auto exported = translate::Export(Translation().dossier, format, TranslationBlobs());
  if (!exported.ok()) {
    state.SkipWithError(exported.status().ToString().c_str());
    return;
  }
  const fs::path path = fs::temp_directory_path() /
                        ("dossier-micro-import-" + format + "-" + std::to_string(std::random_device{}()));
  {
    std::ofstream out(path, std::ios::binary);
    out << exported->bytes;
  }
  for (auto _ : state) {
    size_t records = 0;
    Status s = translate::Import(format, path, [&](translate::ImportRecord&& r) {
      benchmark::DoNotOptimize(r);
      ++records;
      return Status::Ok();
    });
    if (!s.ok() || records != 1) {
      state.SkipWithError(("import failed: " + s.ToString()).c_str());
      break;
    }
  }
  std::error_code ec;
  fs::remove(path, ec);
}

void BM_Readiness(benchmark::State& state, const std::string& agency) {
  size_t items = 0;
  for (auto _ : state) {
    auto report = translate::Readiness(Translation().dossier, agency, "");
    if (!report.ok()) {
      state.SkipWithError(report.status().ToString().c_str());
      break;
    }
    items = report->items.size();
  }
  state.SetLabel(std::to_string(items) + " requirements");
}

const bool kTranslationBenchmarksRegistered = [] {
  for (const std::string& format : translate::ExportFormats()) {
    benchmark::RegisterBenchmark(("BM_Export/" + format).c_str(), BM_Export, format);
    benchmark::RegisterBenchmark(("BM_Import/" + format).c_str(), BM_Import, format);
  }
  for (const std::string agency : {"FDA", "EU", "HSA"}) {
    benchmark::RegisterBenchmark(("BM_Readiness/" + agency).c_str(), BM_Readiness, agency);
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
