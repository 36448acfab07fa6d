// Conformance tests for Store, run against the embedded RocksDB backend on a
// real temporary directory.
#define BOOST_TEST_MODULE storage_store
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "storage/store.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"
#include "trust/digest.h"
#include "trust/merkle.h"

namespace fs = std::filesystem;
using namespace dossier;
using namespace dossier::storage;

namespace {

using dossier::testing::FlipByte;
using dossier::testing::TempDir;

std::unique_ptr<Store> OpenAt(const fs::path& dir) {
  StoreOptions options;
  options.data_dir = dir;
  auto store = OpenRocksStore(options);
  BOOST_REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  return std::move(store).value();
}

TenantRecord Tenant(const std::string& id) {
  TenantRecord t;
  t.set_id(id);
  t.set_display_name(id);
  t.set_kind("MANUFACTURER");
  return t;
}

ObjectRecord Dossier(const std::string& tenant, const std::string& id) {
  ObjectRecord o;
  o.set_tenant(tenant);
  o.set_kind("dossiers");
  o.set_id(id);
  return o;
}

std::string DigestOf(const std::string& s) { return trust::DigestRef(trust::Sha256(s)); }

VersionRecord Version(const std::string& tenant, const std::string& id, uint64_t n, const std::string& parent,
                      const std::string& content) {
  VersionRecord v;
  v.set_tenant(tenant);
  v.set_kind("dossiers");
  v.set_id(id);
  v.set_version(n);
  v.set_parent_digest(parent);
  v.set_content_digest(DigestOf(content));
  v.set_media_type("application/vnd.dossier.v1+json");
  v.set_leaf_data("leaf:" + tenant + "/" + id + "/" + std::to_string(n));
  return v;
}

}  // namespace

BOOST_AUTO_TEST_CASE(tenants_get_distinct_numbers_and_duplicates_are_refused) {
  TempDir dir;
  auto store = OpenAt(dir.path());
  auto a = store->CreateTenant(Tenant("acme"));
  auto b = store->CreateTenant(Tenant("fda"));
  BOOST_REQUIRE(a.ok() && b.ok());
  BOOST_TEST(a->number() != b->number());
  BOOST_TEST(a->number() != 0u);
  auto dup = store->CreateTenant(Tenant("acme"));
  BOOST_TEST(dup.status().reason() == "tenant-exists");
  BOOST_TEST(store->ListTenants()->size() == 2u);
  BOOST_TEST(store->GetTenant("nobody").status().code() == StatusCode::kNotFound);
}

BOOST_AUTO_TEST_CASE(tokens_are_found_by_hash_and_revoked_once) {
  TempDir dir;
  auto store = OpenAt(dir.path());
  BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
  TokenRecord t;
  t.set_id("tok1");
  t.set_tenant("acme");
  t.set_role("ADMIN");
  t.set_secret_hash(trust::Sha256("secret"));
  BOOST_REQUIRE(store->PutToken(t).ok());
  BOOST_TEST(store->PutToken(t).reason() == "token-exists");
  auto found = store->GetTokenBySecretHash(trust::Sha256("secret"));
  BOOST_REQUIRE(found.ok());
  BOOST_TEST(found->role() == "ADMIN");
  auto revoked = store->RevokeToken("acme", "tok1", 1000);
  BOOST_REQUIRE(revoked.ok());
  BOOST_TEST(revoked->revoked_ms() == 1000);
  BOOST_TEST(store->RevokeToken("acme", "tok1", 2000)->revoked_ms() == 1000);
  BOOST_TEST(store->GetTokenBySecretHash(trust::Sha256("secret"))->revoked_ms() == 1000);
  BOOST_TEST(store->ListTokens("acme")->size() == 1u);
  // Operator tokens have no tenant.
  TokenRecord op;
  op.set_id("op");
  op.set_role("OPERATOR");
  op.set_secret_hash(trust::Sha256("op-secret"));
  BOOST_REQUIRE(store->PutToken(op).ok());
  BOOST_TEST(store->ListTokens("")->size() == 1u);
}

BOOST_AUTO_TEST_CASE(blobs_are_checked_against_their_digest_and_scoped_to_a_tenant) {
  TempDir dir;
  auto store = OpenAt(dir.path());
  BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
  BOOST_REQUIRE(store->CreateTenant(Tenant("other")).ok());
  auto stage = [&](const std::string& bytes) {
    fs::path p = store->StagingDir() / ("up-" + std::to_string(std::hash<std::string>{}(bytes)));
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  };
  const std::string bytes = "%PDF-1.7 risk management file";
  auto wrong = store->AdoptBlob("acme", DigestOf("something else"), stage(bytes));
  BOOST_TEST(wrong.status().reason() == "digest-mismatch");
  BOOST_TEST(fs::is_empty(store->StagingDir()));
  auto ok = store->AdoptBlob("acme", DigestOf(bytes), stage(bytes));
  BOOST_REQUIRE_MESSAGE(ok.ok(), ok.status().ToString());
  BOOST_TEST(ok->size() == bytes.size());
  auto again = store->AdoptBlob("acme", DigestOf(bytes), stage(bytes));
  BOOST_TEST(again.ok());
  auto read = store->ReadBlob("acme", DigestOf(bytes), 1 << 20);
  BOOST_REQUIRE_MESSAGE(read.ok(), read.status().ToString());
  BOOST_TEST(*read == bytes);
  BOOST_TEST(store->ReadBlob("other", DigestOf(bytes), 1 << 20).status().code() == StatusCode::kNotFound);
  BOOST_TEST(store->GetBlob("other", DigestOf(bytes)).status().code() == StatusCode::kNotFound);
  BOOST_TEST(store->GetBlob("acme", "sha256:nothex").status().reason() == "bad-digest");
}

// The file of a recorded blob (data/blobs/<tenant number>/<aa>/<hex>).
fs::path BlobFileOf(const fs::path& data_dir, const std::string& digest) {
  for (const auto& e : fs::recursive_directory_iterator(data_dir / "blobs")) {
    if (e.path().filename() == digest.substr(7)) return e.path();
  }
  BOOST_FAIL("no file for " << digest);
  return {};
}

// Reads everything through a BlobReader, `step` bytes at a time.
StatusOr<std::string> ReadAllThrough(BlobReader& reader, uint64_t offset, uint64_t length, uint64_t step) {
  std::string out;
  while (out.size() < length) {
    DOSSIER_ASSIGN_OR_RETURN(std::string_view piece,
                             reader.Read(offset + out.size(), std::min<uint64_t>(step, length - out.size())));
    if (piece.empty()) return Internal("unexpected end");
    out.append(piece);
  }
  return out;
}

struct BlobFixture {
  TempDir dir;
  std::vector<std::string> reports;
  std::unique_ptr<Store> store;

  BlobFixture() {
    StoreOptions options;
    options.data_dir = dir.path();
    options.report_corruption = [this](const std::string& line) { reports.push_back(line); };
    auto opened = OpenRocksStore(options);
    BOOST_REQUIRE_MESSAGE(opened.ok(), opened.status().ToString());
    store = std::move(opened).value();
    BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
  }
  std::string Put(const std::string& bytes) {
    fs::path p = store->StagingDir() / "upload";
    std::ofstream(p, std::ios::binary) << bytes;
    auto blob = store->AdoptBlob("acme", DigestOf(bytes), p);
    BOOST_REQUIRE_MESSAGE(blob.ok(), blob.status().ToString());
    return blob->digest();
  }
};

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  return s;
}

BOOST_AUTO_TEST_CASE(blob_records_carry_one_digest_per_chunk) {
  BlobFixture fx;
  const std::string big = Pattern(2 * kBlobChunkBytes + 12345);
  const std::string digest = fx.Put(big);
  auto record = fx.store->GetBlob("acme", digest);
  BOOST_REQUIRE(record.ok());
  BOOST_TEST(record->chunk_size() == kBlobChunkBytes);
  BOOST_REQUIRE(record->chunk_digests().size() == 3 * trust::kSha256Size);
  for (size_t i = 0; i < 3; ++i) {
    BOOST_TEST(record->chunk_digests().substr(i * 32, 32) ==
               trust::Sha256(std::string_view(big).substr(i * kBlobChunkBytes, kBlobChunkBytes)));
  }
  // A small blob is one chunk, whose digest is the blob's.
  const std::string small = "%PDF-1.7 small";
  auto small_record = fx.store->GetBlob("acme", fx.Put(small));
  BOOST_TEST(small_record->chunk_digests() == trust::Sha256(small));
  // An empty blob has no chunk.
  auto empty_record = fx.store->GetBlob("acme", fx.Put(""));
  BOOST_TEST(empty_record->chunk_digests().empty());
  auto empty = fx.store->ReadBlob("acme", DigestOf(""), 10);
  BOOST_TEST((empty.ok() && empty->empty()));
}

BOOST_AUTO_TEST_CASE(read_blob_refuses_corrupt_bytes_and_reports_them_once) {
  BlobFixture fx;
  const std::string bytes = "%PDF-1.7 " + std::string(4000, 'x');
  const std::string digest = fx.Put(bytes);
  BOOST_TEST(*fx.store->ReadBlob("acme", digest, 1 << 20) == bytes);
  auto too_big = fx.store->ReadBlob("acme", digest, 100);
  BOOST_TEST(too_big.status().reason() == "blob-too-large");
  BOOST_TEST(fx.reports.empty());

  FlipByte(BlobFileOf(fx.dir.path(), digest), 2000);
  for (int i = 0; i < 3; ++i) {
    auto read = fx.store->ReadBlob("acme", digest, 1 << 20);
    BOOST_TEST(read.status().code() == StatusCode::kDataLoss);
    BOOST_TEST(read.status().reason() == "blob-corrupt");
    auto opened = fx.store->OpenBlob("acme", digest);  // opens; the first read fails
    BOOST_REQUIRE(opened.ok());
    BOOST_TEST((*opened)->Read(0, 10).status().reason() == "blob-corrupt");
  }
  BOOST_REQUIRE_EQUAL(fx.reports.size(), 1u);  // once per blob, however often it is read
  BOOST_TEST(fx.reports[0].find(digest) != std::string::npos, fx.reports[0]);
  BOOST_TEST(fx.reports[0].find("acme") != std::string::npos, fx.reports[0]);

  // A truncated file is as corrupt as a flipped byte.
  const std::string other = fx.Put("another document");
  fs::resize_file(BlobFileOf(fx.dir.path(), other), 3);
  BOOST_TEST(fx.store->ReadBlob("acme", other, 1 << 20).status().reason() == "blob-corrupt");
  BOOST_TEST(fx.store->OpenBlob("acme", other).status().reason() == "blob-corrupt");
  BOOST_TEST(fx.reports.size() == 2u);
  BOOST_TEST(fx.store->ReadBlob("acme", DigestOf("never stored"), 10).status().code() ==
             StatusCode::kNotFound);
}

BOOST_AUTO_TEST_CASE(blob_reader_verifies_each_chunk_it_hands_out) {
  BlobFixture fx;
  const std::string big = Pattern(3 * kBlobChunkBytes + 777);
  const std::string digest = fx.Put(big);
  {
    auto reader = fx.store->OpenBlob("acme", digest);
    BOOST_REQUIRE(reader.ok());
    BOOST_TEST((*reader)->size() == big.size());
    auto all = ReadAllThrough(**reader, 0, big.size(), 4096);
    BOOST_TEST((all.ok() && *all == big));
    // A read never crosses a chunk boundary.
    auto piece = (*reader)->Read(kBlobChunkBytes - 10, 100);
    BOOST_TEST(piece->size() == 10u);
    BOOST_TEST((*reader)->Read(big.size(), 10)->empty());
  }
  // Damage chunk 2: chunks 0, 1 and 3 still read; chunk 2 never does.
  FlipByte(BlobFileOf(fx.dir.path(), digest), 2 * kBlobChunkBytes + 5);
  auto reader = fx.store->OpenBlob("acme", digest);
  BOOST_REQUIRE(reader.ok());
  auto head = ReadAllThrough(**reader, 100, 2 * kBlobChunkBytes - 100, 65536);
  BOOST_TEST((head.ok() && *head == big.substr(100, 2 * kBlobChunkBytes - 100)));
  auto tail = ReadAllThrough(**reader, 3 * kBlobChunkBytes, 777, 4096);
  BOOST_TEST((tail.ok() && *tail == big.substr(3 * kBlobChunkBytes)));
  auto bad = (*reader)->Read(2 * kBlobChunkBytes + 1000, 10);
  BOOST_TEST(bad.status().reason() == "blob-corrupt");
  auto through = ReadAllThrough(**reader, 0, big.size(), 4096);
  BOOST_TEST(through.status().reason() == "blob-corrupt");
  BOOST_TEST(fx.reports.size() == 1u);
  BOOST_TEST(fx.store->ReadBlob("acme", digest, 1ull << 30).status().reason() == "blob-corrupt");
  auto scrub = fx.store->Scrub();
  BOOST_REQUIRE(scrub.ok());
  BOOST_TEST(scrub->size() == 1u);
}

BOOST_AUTO_TEST_CASE(blobs_recorded_without_chunk_digests_are_verified_whole) {
  // The interface cannot write a record without chunk digests any more, so
  // this drives the helper OpenBlob/ReadBlob use with such a record
  // (chunk_size 0), as an older store's records arrive.
  BlobFixture fx;
  const std::string big = Pattern(kBlobChunkBytes + 4242);
  const std::string digest = fx.Put(big);
  StoredBlob legacy;
  legacy.path = BlobFileOf(fx.dir.path(), digest);
  legacy.tenant = "acme";
  legacy.digest = digest;
  legacy.raw_digest = trust::Sha256(big);
  legacy.size = big.size();
  auto reporter =
      std::make_shared<CorruptionReporter>([&](const std::string& l) { fx.reports.push_back(l); });
  auto reader = OpenStoredBlob(legacy, reporter);
  BOOST_REQUIRE_MESSAGE(reader.ok(), reader.status().ToString());
  BOOST_TEST((*reader)->chunk_size() == kBlobChunkBytes);
  auto all = ReadAllThrough(**reader, 0, big.size(), 100000);
  BOOST_TEST((all.ok() && *all == big));
  FlipByte(legacy.path, kBlobChunkBytes + 1);
  BOOST_TEST(OpenStoredBlob(legacy, reporter).status().reason() == "blob-corrupt");
  BOOST_TEST(ReadStoredBlob(legacy, 1ull << 30, *reporter).status().reason() == "blob-corrupt");
  BOOST_TEST(fx.reports.size() == 1u);
}

BOOST_AUTO_TEST_CASE(versions_chain_and_stale_parents_are_refused) {
  TempDir dir;
  auto store = OpenAt(dir.path());
  BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
  BOOST_REQUIRE(store->CreateObject(Dossier("acme", "cxr")).ok());
  BOOST_TEST(store->CreateObject(Dossier("acme", "cxr")).status().reason() == "object-exists");

  auto v1 = store->CommitVersion(Version("acme", "cxr", 1, "", "one"));
  BOOST_REQUIRE_MESSAGE(v1.ok(), v1.status().ToString());
  BOOST_TEST(v1->log.index == 0u);
  BOOST_TEST(v1->feed.seq() == 1u);
  auto stale = store->CommitVersion(Version("acme", "cxr", 2, "", "two"));
  BOOST_TEST(stale.status().reason() == "parent-mismatch");
  auto skip = store->CommitVersion(Version("acme", "cxr", 3, DigestOf("one"), "two"));
  BOOST_TEST(skip.status().reason() == "version-mismatch");
  auto v2 = store->CommitVersion(Version("acme", "cxr", 2, DigestOf("one"), "two"));
  BOOST_REQUIRE(v2.ok());
  BOOST_TEST(v2->log.index == 1u);
  BOOST_TEST(store->LogSize() == 2u);  // refused commits left no leaf behind

  auto head = store->GetObject("acme", "dossiers", "cxr");
  BOOST_TEST(head->head_version() == 2u);
  BOOST_TEST(head->head_digest() == DigestOf("two"));
  auto history = store->ListVersions("acme", "dossiers", "cxr", "", 1);
  BOOST_REQUIRE(history.ok());
  BOOST_TEST(history->items.size() == 1u);
  BOOST_TEST(history->next_page_token == "1");
  auto rest = store->ListVersions("acme", "dossiers", "cxr", history->next_page_token, 10);
  BOOST_TEST(rest->items.size() == 1u);
  BOOST_TEST(rest->items[0].version() == 2u);
  BOOST_TEST(rest->next_page_token.empty());
  BOOST_TEST(store->ListVersions("acme", "dossiers", "cxr", "x", 10).status().reason() == "bad-page-token");
}

BOOST_AUTO_TEST_CASE(another_tenant_cannot_see_or_touch_objects) {
  TempDir dir;
  auto store = OpenAt(dir.path());
  BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
  BOOST_REQUIRE(store->CreateTenant(Tenant("rival")).ok());
  BOOST_REQUIRE(store->CreateObject(Dossier("acme", "cxr")).ok());
  BOOST_REQUIRE(store->CommitVersion(Version("acme", "cxr", 1, "", "one")).ok());
  BOOST_TEST(store->GetObject("rival", "dossiers", "cxr").status().code() == StatusCode::kNotFound);
  BOOST_TEST(store->GetVersion("rival", "dossiers", "cxr", 1).status().code() == StatusCode::kNotFound);
  BOOST_TEST(store->ListObjects("rival", "dossiers", "", 10)->items.empty());
  BOOST_TEST(store->CommitVersion(Version("rival", "cxr", 1, "", "x")).status().code() == StatusCode::kNotFound);
  BOOST_TEST(store->ReadFeed("rival", 0, 10)->empty());
  BOOST_TEST(store->ReadFeed("acme", 0, 10)->size() == 1u);
}

BOOST_AUTO_TEST_CASE(object_listing_paginates_in_id_order) {
  TempDir dir;
  auto store = OpenAt(dir.path());
  BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
  for (int i = 0; i < 25; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "d-%02d", i);
    BOOST_REQUIRE(store->CreateObject(Dossier("acme", id)).ok());
  }
  std::vector<std::string> seen;
  std::string token;
  do {
    auto page = store->ListObjects("acme", "dossiers", token, 10);
    BOOST_REQUIRE(page.ok());
    for (auto& o : page->items) seen.push_back(o.id());
    token = page->next_page_token;
  } while (!token.empty());
  BOOST_TEST(seen.size() == 25u);
  BOOST_TEST(std::is_sorted(seen.begin(), seen.end()));
}

BOOST_AUTO_TEST_CASE(concurrent_commits_share_synced_writes_and_the_log_verifies) {
  TempDir dir;
  constexpr int kWriters = 8, kPerWriter = 20;
  std::vector<std::string> leaves;
  {
    auto store = OpenAt(dir.path());
    BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
    for (int w = 0; w < kWriters; ++w) {
      BOOST_REQUIRE(store->CreateObject(Dossier("acme", "d" + std::to_string(w))).ok());
    }
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
      threads.emplace_back([&, w] {
        std::string parent;
        for (int n = 1; n <= kPerWriter; ++n) {
          std::string content = "w" + std::to_string(w) + "n" + std::to_string(n);
          auto r = store->CommitVersion(Version("acme", "d" + std::to_string(w), n, parent, content));
          if (!r.ok()) ++failures;
          parent = DigestOf(content);
        }
      });
    }
    for (auto& t : threads) t.join();
    BOOST_TEST(failures.load() == 0);
    BOOST_TEST(store->LogSize() == uint64_t{kWriters * kPerWriter});
    BOOST_TEST(store->Verify().ok());
  }
  // Reopen: everything is still there and proofs verify against the root.
  auto store = OpenAt(dir.path());
  const uint64_t size = store->LogSize();
  BOOST_REQUIRE(size == uint64_t{kWriters * kPerWriter});
  auto root = store->LogRoot(size);
  BOOST_REQUIRE(root.ok());
  std::vector<std::string> leaf_hashes;
  for (uint64_t i = 0; i < size; ++i) leaf_hashes.push_back(trust::LeafHash(*store->LogLeafData(i)));
  BOOST_TEST(*root == trust::RootFromLeafHashes(leaf_hashes));
  for (uint64_t i = 0; i < size; i += 7) {
    auto proof = store->LogInclusionProof(i, size);
    BOOST_REQUIRE(proof.ok());
    BOOST_TEST(trust::VerifyInclusion(leaf_hashes[i], i, size, *proof, *root).ok());
  }
  auto old_root = store->LogRoot(37);
  auto consistency = store->LogConsistencyProof(37, size);
  BOOST_REQUIRE(consistency.ok());
  BOOST_TEST(trust::VerifyConsistency(37, size, *consistency, *old_root, *root).ok());
  BOOST_TEST(store->LogRoot(size + 1).status().reason() == "bad-proof-request");
  for (int w = 0; w < kWriters; ++w) {
    BOOST_TEST(store->GetObject("acme", "dossiers", "d" + std::to_string(w))->head_version() == uint64_t{kPerWriter});
  }
}

BOOST_AUTO_TEST_CASE(key_registration_and_revocation_are_logged) {
  TempDir dir;
  auto store = OpenAt(dir.path());
  BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
  KeyRecord key;
  key.set_tenant("acme");
  key.set_key_id("ab12");
  key.set_public_key_pem("PEM");
  auto registered = store->RegisterKey(key, "key-leaf");
  BOOST_REQUIRE(registered.ok());
  BOOST_TEST(registered->log_index() == 0u);
  BOOST_TEST(store->RegisterKey(key, "key-leaf").status().reason() == "key-exists");
  BOOST_TEST(store->LogSize() == 1u);
  auto revoked = store->RevokeKey("acme", "ab12", 5000, "revoke-leaf");
  BOOST_REQUIRE(revoked.ok());
  BOOST_TEST(revoked->revoked_ms() == 5000);
  BOOST_TEST(revoked->revoked_log_index() == 1u);
  BOOST_TEST(store->RevokeKey("acme", "ab12", 9000, "again")->revoked_ms() == 5000);
  BOOST_TEST(store->LogSize() == 2u);
  BOOST_TEST(store->GetKey("acme", "nope").status().code() == StatusCode::kNotFound);
}

BOOST_AUTO_TEST_CASE(generic_records_are_atomic_and_scoped) {
  TempDir dir;
  auto store = OpenAt(dir.path());
  BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
  BOOST_REQUIRE(store->CreateTenant(Tenant("fda")).ok());
  using Mode = RecordWrite::Mode;
  BOOST_REQUIRE(store->WriteRecords({{"acme", "submissions", "s1", "m", Mode::kCreate},
                                     {"fda", "inbox", "s1", "r", Mode::kCreate}})
                    .ok());
  // A failing write in a batch leaves nothing of that batch behind.
  auto dup = store->WriteRecords({{"acme", "submissions", "s2", "x", Mode::kCreate},
                                  {"fda", "inbox", "s1", "again", Mode::kCreate}});
  BOOST_TEST(dup.reason() == "record-exists");
  BOOST_TEST(store->GetRecord("acme", "submissions", "s2").status().code() == StatusCode::kNotFound);
  BOOST_TEST(*store->GetRecord("fda", "inbox", "s1") == "r");
  BOOST_TEST(store->GetRecord("acme", "inbox", "s1").status().code() == StatusCode::kNotFound);
  for (int i = 0; i < 5; ++i) {
    BOOST_REQUIRE(store->WriteRecords({{"acme", "audit", "e" + std::to_string(i), "v", Mode::kPut}}, false).ok());
  }
  auto page = store->ListRecords("acme", "audit", "", 3);
  BOOST_REQUIRE(page.ok());
  BOOST_TEST(page->items.size() == 3u);
  BOOST_TEST(page->next_page_token == "e2");
  BOOST_TEST(store->ListRecords("acme", "audit", page->next_page_token, 10)->items.size() == 2u);
  BOOST_REQUIRE(store->WriteRecords({{"acme", "audit", "e0", "", Mode::kDelete}}).ok());
  BOOST_TEST(store->ListRecords("acme", "audit", "", 10)->items.size() == 4u);
  BOOST_TEST(store->ListRecords("acme", "submissions", "", 10)->items.size() == 1u);
}
