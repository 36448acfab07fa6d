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
#include "trust/digest.h"
#include "trust/merkle.h"

namespace fs = std::filesystem;
using namespace dossier;
using namespace dossier::storage;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("dossier-store-test-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

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
  auto store = OpenAt(dir.path);
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
  auto store = OpenAt(dir.path);
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
  auto store = OpenAt(dir.path);
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
  auto path = store->BlobPath("acme", DigestOf(bytes));
  BOOST_REQUIRE(path.ok());
  std::ifstream in(*path, std::ios::binary);
  std::string read((std::istreambuf_iterator<char>(in)), {});
  BOOST_TEST(read == bytes);
  BOOST_TEST(store->GetBlob("other", DigestOf(bytes)).status().code() == StatusCode::kNotFound);
  BOOST_TEST(store->GetBlob("acme", "sha256:nothex").status().reason() == "bad-digest");
}

BOOST_AUTO_TEST_CASE(versions_chain_and_stale_parents_are_refused) {
  TempDir dir;
  auto store = OpenAt(dir.path);
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
  auto store = OpenAt(dir.path);
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
  auto store = OpenAt(dir.path);
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
    auto store = OpenAt(dir.path);
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
  auto store = OpenAt(dir.path);
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
  auto store = OpenAt(dir.path);
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
  auto store = OpenAt(dir.path);
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
