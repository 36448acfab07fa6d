// Conformance tests for Store, run against every backend
// (storage/store_test_backends.h): the embedded RocksDB store on a temporary
// directory and the PostgreSQL store on a database of a PostgreSQL server the
// test process starts. The blob cases are in store_blob_test.cc.
#define BOOST_TEST_MODULE storage_store
#include <atomic>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include "storage/pg_store.h"
#include "storage/store_test_util.h"
#include "tests/support/postgres.h"
#include "tests/support/temp_dir.h"
#include "trust/digest.h"
#include "trust/merkle.h"

using namespace dossier;
using namespace dossier::storage;
using namespace dossier::storage::testing;

STORE_TEST_CASE(tenants_get_distinct_numbers_and_duplicates_are_refused) {
  STORE_UNDER_TEST(at, store);
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

STORE_TEST_CASE(tokens_are_found_by_hash_and_revoked_once) {
  STORE_UNDER_TEST(at, store);
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

// A token is read on every request (the RocksDB store keeps what it read):
// once RevokeToken returned, every read sees the revocation, with readers
// hammering the same token while it is revoked. (Without the store dropping
// its cached record this fails at once; the narrower race its generation
// counter guards — a reader that read before the revocation caching after
// it — is exercised here but cannot be forced.)
STORE_TEST_CASE(a_revocation_is_read_at_once_while_others_read_the_token) {
  STORE_UNDER_TEST(at, store);
  BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
  for (int round = 0; round < 40; ++round) {
    TokenRecord t;
    t.set_id("hot" + std::to_string(round));
    t.set_tenant("acme");
    t.set_role("VIEWER");
    const std::string hash = trust::Sha256("hot-secret-" + std::to_string(round));
    t.set_secret_hash(hash);
    BOOST_REQUIRE(store->PutToken(t).ok());
    BOOST_REQUIRE(store->GetTokenBySecretHash(hash)->revoked_ms() == 0);
    std::atomic<bool> stop = false;
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r) {
      readers.emplace_back([&] {
        while (!stop) (void)store->GetTokenBySecretHash(hash);
      });
    }
    auto revoked = store->RevokeToken("acme", t.id(), 1000 + round);
    BOOST_REQUIRE(revoked.ok());
    for (int i = 0; i < 50; ++i) {
      BOOST_TEST_REQUIRE(store->GetTokenBySecretHash(hash)->revoked_ms() == 1000 + round, "round " << round);
    }
    stop = true;
    for (auto& reader : readers) reader.join();
    BOOST_TEST(store->GetTokenBySecretHash(hash)->revoked_ms() == 1000 + round);
  }
}

STORE_TEST_CASE(versions_chain_and_stale_parents_are_refused) {
  STORE_UNDER_TEST(at, store);
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

STORE_TEST_CASE(another_tenant_cannot_see_or_touch_objects) {
  STORE_UNDER_TEST(at, store);
  BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
  BOOST_REQUIRE(store->CreateTenant(Tenant("rival")).ok());
  BOOST_REQUIRE(store->CreateObject(Dossier("acme", "cxr")).ok());
  BOOST_REQUIRE(store->CommitVersion(Version("acme", "cxr", 1, "", "one")).ok());
  BOOST_TEST(store->GetObject("rival", "dossiers", "cxr").status().code() == StatusCode::kNotFound);
  BOOST_TEST(store->GetVersion("rival", "dossiers", "cxr", 1).status().code() == StatusCode::kNotFound);
  BOOST_TEST(store->ListObjects("rival", "dossiers", "", 10)->items.empty());
  BOOST_TEST(store->CommitVersion(Version("rival", "cxr", 1, "", "x")).status().code() ==
             StatusCode::kNotFound);
  BOOST_TEST(store->ReadFeed("rival", 0, 10)->empty());
  BOOST_TEST(store->ReadFeed("acme", 0, 10)->size() == 1u);
}

STORE_TEST_CASE(object_listing_paginates_in_id_order) {
  STORE_UNDER_TEST(at, store);
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

STORE_TEST_CASE(concurrent_commits_share_synced_writes_and_the_log_verifies) {
  auto at = NewLocation(backend);
  if (!at) return;
  constexpr int kWriters = 8, kPerWriter = 20;
  std::vector<std::string> leaves;
  {
    auto store = OpenOn(*at);
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
  auto store = OpenOn(*at);
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
    BOOST_TEST(store->GetObject("acme", "dossiers", "d" + std::to_string(w))->head_version() ==
               uint64_t{kPerWriter});
  }
}

STORE_TEST_CASE(key_registration_and_revocation_are_logged) {
  STORE_UNDER_TEST(at, store);
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

STORE_TEST_CASE(generic_records_are_atomic_and_scoped) {
  STORE_UNDER_TEST(at, store);
  BOOST_REQUIRE(store->CreateTenant(Tenant("acme")).ok());
  BOOST_REQUIRE(store->CreateTenant(Tenant("fda")).ok());
  using Mode = RecordWrite::Mode;
  BOOST_REQUIRE(store
                    ->WriteRecords({{"acme", "submissions", "s1", "m", Mode::kCreate},
                                    {"fda", "inbox", "s1", "r", Mode::kCreate}})
                    .ok());
  // A failing write in a batch leaves nothing of that batch behind.
  auto dup = store->WriteRecords(
      {{"acme", "submissions", "s2", "x", Mode::kCreate}, {"fda", "inbox", "s1", "again", Mode::kCreate}});
  BOOST_TEST(dup.reason() == "record-exists");
  BOOST_TEST(store->GetRecord("acme", "submissions", "s2").status().code() == StatusCode::kNotFound);
  BOOST_TEST(*store->GetRecord("fda", "inbox", "s1") == "r");
  BOOST_TEST(store->GetRecord("acme", "inbox", "s1").status().code() == StatusCode::kNotFound);
  for (int i = 0; i < 5; ++i) {
    BOOST_REQUIRE(
        store->WriteRecords({{"acme", "audit", "e" + std::to_string(i), "v", Mode::kPut}}, false).ok());
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

STORE_TEST_CASE(a_lease_has_one_holder_until_it_expires) {
  STORE_UNDER_TEST(at, store);
  BOOST_TEST(*store->AcquireLease("puller", "node-a", 1000, 500));
  BOOST_TEST(*store->AcquireLease("puller", "node-a", 1200, 500));  // renewed until 1700
  if (backend == "rocksdb") return;  // one process per store: every request is granted
  BOOST_TEST(!*store->AcquireLease("puller", "node-b", 1600, 500));
  BOOST_TEST(*store->AcquireLease("other", "node-b", 1600, 500));
  BOOST_TEST(*store->AcquireLease("puller", "node-b", 1700, 500));  // expired: taken over
  BOOST_TEST(!*store->AcquireLease("puller", "node-a", 1800, 500));
}

// Several nodes on one PostgreSQL database: each store below is what one
// dossierd opens. Their writers interleave, yet the log has one leaf per
// commit, no hole, and one root, whichever store is asked.
BOOST_AUTO_TEST_CASE(stores_sharing_one_database_append_to_one_log) {
  auto at = NewLocation("postgres");
  if (!at) return;
  constexpr int kNodes = 3, kWriters = 4, kPerWriter = 15;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int n = 0; n < kNodes; ++n) nodes.push_back(OpenOn(*at));
  BOOST_REQUIRE(nodes[0]->CreateTenant(Tenant("acme")).ok());
  for (int w = 0; w < kWriters; ++w) {
    BOOST_REQUIRE(nodes[w % kNodes]->CreateObject(Dossier("acme", "d" + std::to_string(w))).ok());
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      std::string parent;
      for (int n = 1; n <= kPerWriter; ++n) {
        // Each commit goes through another node than the one before.
        Store& node = *nodes[(w + n) % kNodes];
        std::string content = "w" + std::to_string(w) + "n" + std::to_string(n);
        auto r = node.CommitVersion(Version("acme", "d" + std::to_string(w), n, parent, content));
        if (!r.ok()) ++failures;
        parent = DigestOf(content);
      }
    });
  }
  // Two nodes racing on the same object: exactly one commit of version 1 wins.
  BOOST_REQUIRE(nodes[0]->CreateObject(Dossier("acme", "contested")).ok());
  std::atomic<int> won{0};
  std::vector<std::thread> racers;
  for (int n = 0; n < kNodes; ++n) {
    racers.emplace_back([&, n] {
      if (nodes[n]->CommitVersion(Version("acme", "contested", 1, "", "by " + std::to_string(n))).ok()) ++won;
    });
  }
  for (auto& t : threads) t.join();
  for (auto& t : racers) t.join();
  BOOST_TEST(failures.load() == 0);
  BOOST_TEST(won.load() == 1);
  const uint64_t size = uint64_t{kWriters * kPerWriter} + 1;
  std::string root;
  for (auto& node : nodes) {
    BOOST_TEST(node->LogSize() == size);
    BOOST_TEST(node->Verify().ok());
    auto r = node->LogRoot(size);
    BOOST_REQUIRE(r.ok());
    if (root.empty()) root = *r;
    BOOST_TEST(*r == root);
  }
  // Every leaf is a version's, exactly once: no leaf was lost or duplicated.
  std::set<std::string> leaves;
  for (uint64_t i = 0; i < size; ++i) leaves.insert(*nodes[0]->LogLeafData(i));
  BOOST_TEST(leaves.size() == size);
  auto feed = nodes[1]->ReadFeed("acme", 0, 0);
  BOOST_REQUIRE(feed.ok());
  BOOST_TEST(feed->size() == size);
  for (size_t i = 0; i < feed->size(); ++i) BOOST_TEST((*feed)[i].seq() == i + 1);
}

// A statement that waits longer than the statement timeout (here: for the log
// head another session keeps locked) is cancelled by the database: the write
// fails 503 "storage-timeout" instead of holding its caller, and the store
// writes again once the lock is gone.
BOOST_AUTO_TEST_CASE(postgres_statement_timeout_cancels_a_blocked_write) {
  dossier::testing::PostgresServer* pg = dossier::testing::SharedPostgres();
  if (pg == nullptr) return;  // skipped: PostgreSQL is not installed
  auto url = pg->CreateDatabase();
  BOOST_REQUIRE(url.ok());
  const std::string database = url->substr(url->rfind('/') + 1);
  dossier::testing::TempDir staging;
  PostgresStoreOptions options;
  options.conninfo = *url;
  options.staging_dir = staging.path();
  options.statement_timeout_ms = 300;
  auto store = OpenPostgresStore(options);
  BOOST_REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  BOOST_REQUIRE((*store)->CreateTenant(Tenant("acme")).ok());
  BOOST_REQUIRE((*store)->CreateObject(Dossier("acme", "d")).ok());

  // Another session holds the log head for 5 s (psql's own connection has no
  // statement timeout).
  std::thread holder([&] {
    pg->Sql(database, "BEGIN; SELECT size FROM log_head FOR UPDATE; SELECT pg_sleep(5); COMMIT;").ok();
  });
  bool locked = false;
  for (int i = 0; i < 200 && !locked; ++i) {
    auto r = pg->Sql(database,
                     "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(5)%' "
                     "AND state = 'active' AND pid <> pg_backend_pid()");
    locked = r.ok() && r->find('1') != std::string::npos;
    if (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  BOOST_REQUIRE(locked);
  auto blocked = (*store)->CommitVersion(Version("acme", "d", 1, "", "while locked"));
  BOOST_TEST(!blocked.ok());
  BOOST_TEST(blocked.status().reason() == "storage-timeout", blocked.status().ToString());
  holder.join();
  auto after = (*store)->CommitVersion(Version("acme", "d", 1, "", "after the lock"));
  BOOST_TEST(after.ok(), after.status().ToString());
  BOOST_TEST((*store)->LogSize() == 1u);
}
