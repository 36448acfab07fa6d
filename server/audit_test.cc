// The audit log's writer thread against a real RocksDB store.
#include "server/audit.h"

#include <boost/test/unit_test.hpp>
#include <chrono>

#include "tests/support/temp_dir.h"
#include "trust/digest.h"
#include "trust/encoding.h"

using namespace dossier;
using namespace dossier::server;

BOOST_AUTO_TEST_SUITE(audit_log)

namespace {

struct AuditStore {
  testing::TempDir dir{"dossier-audit-"};
  std::unique_ptr<storage::Store> store;
  AuditStore() {
    storage::StoreOptions options;
    options.data_dir = dir.path();
    auto opened = storage::OpenRocksStore(options);
    BOOST_TEST_REQUIRE(opened.ok(), opened.status().ToString());
    store = std::move(*opened);
    storage::TenantRecord tenant;
    tenant.set_id("acme");
    tenant.set_kind("MANUFACTURER");
    BOOST_TEST_REQUIRE(store->CreateTenant(tenant).ok());
  }
};

AuditEntry Entry(int i) {
  AuditEntry entry;
  entry.tenant = "acme";
  entry.principal = "tok-" + std::to_string(i);
  entry.role = "EDITOR";
  entry.method = "GET";
  entry.route = "/v1/tenants/{t}/dossiers/{d}";
  entry.path = "/v1/tenants/acme/dossiers/d" + std::to_string(i);
  entry.status = 200;
  entry.remote = "127.0.0.1";
  entry.time_ms = 1'765'000'000'000 + i;
  return entry;
}

// What a client can do with GET …/audit: recompute each hash from the entry
// as shown (without "hash") and follow prevHash.
void ExpectVerifiableFromOutside(const std::vector<boost::json::object>& entries) {
  std::string prev;
  for (const auto& shown : entries) {
    boost::json::object without_hash = shown;
    const std::string hash(without_hash.at("hash").as_string());
    without_hash.erase("hash");
    BOOST_TEST(std::string(without_hash.at("prevHash").as_string()) == prev);
    BOOST_TEST(trust::HexEncode(trust::Sha256(boost::json::serialize(without_hash))) == hash);
    prev = hash;
  }
}

}  // namespace

// Flush() promises the queued entries are durable when it returns; it used to
// wake the writer for nothing and wait out the rest of the batch interval.
// With a 30 s interval, an answer within 15 s can only come from the flush.
BOOST_AUTO_TEST_CASE(flush_writes_at_once_whatever_the_interval) {
  AuditStore s;
  AuditLog audit(*s.store, std::chrono::seconds(30));

  const auto started = std::chrono::steady_clock::now();
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 4; ++i) audit.Record(Entry(4 * round + i));
    audit.Flush();
    auto page = audit.Read("acme", "", 100);
    BOOST_TEST_REQUIRE(page.ok(), page.status().ToString());
    BOOST_TEST(page->items.size() == static_cast<size_t>(4 * (round + 1)));
  }
  BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(15)));
  BOOST_TEST(audit.VerifyChain("acme").ok());
}

// Entries are stored compactly (not as JSON), yet read back as the same JSON
// whose hash a client can recompute; a chain begun by an older server (JSON
// entries) continues and verifies across the change of form.
BOOST_AUTO_TEST_CASE(compact_entries_continue_a_json_chain_and_verify_from_outside) {
  AuditStore s;
  // Two entries as servers before the compact form wrote them.
  std::string prev;
  std::vector<storage::RecordWrite> legacy;
  for (uint64_t seq = 1; seq <= 2; ++seq) {
    boost::json::object e{{"seq", seq},
                          {"time", "2025-12-06T05:46:40.000Z"},
                          {"principal", "old"},
                          {"role", "ADMIN"},
                          {"method", "POST"},
                          {"route", "/v1/tenants/{t}/keys"},
                          {"object", "/v1/tenants/acme/keys"},
                          {"status", 201},
                          {"remote", "10.0.0.1"},
                          {"prevHash", prev}};
    prev = trust::HexEncode(trust::Sha256(boost::json::serialize(e)));
    e["hash"] = prev;
    char id[21];
    std::snprintf(id, sizeof id, "%020llu", static_cast<unsigned long long>(seq));
    legacy.push_back({"acme", "audit", id, boost::json::serialize(e)});
  }
  legacy.push_back({"acme", "audit-head", "head",
                    boost::json::serialize(boost::json::object{{"seq", 2}, {"hash", prev}})});
  BOOST_TEST_REQUIRE(s.store->WriteRecords(legacy).ok());

  AuditLog audit(*s.store, std::chrono::seconds(30));
  for (int i = 0; i < 3; ++i) audit.Record(Entry(i));
  audit.Flush();
  BOOST_TEST(audit.VerifyChain("acme").ok());
  auto page = audit.Read("acme", "", 100);
  BOOST_TEST_REQUIRE(page.ok(), page.status().ToString());
  BOOST_TEST_REQUIRE(page->items.size() == 5u);
  BOOST_TEST(page->items[2].at("seq").to_number<uint64_t>() == 3u);
  BOOST_TEST(page->items[2].at("prevHash").as_string() == prev);  // the JSON chain's last hash
  BOOST_TEST(page->items[4].at("object").as_string() == "/v1/tenants/acme/dossiers/d2");
  BOOST_TEST(page->items[4].at("time").as_string() == "2025-12-06T05:46:40.002Z");
  ExpectVerifiableFromOutside(page->items);

  // Stored compactly: not JSON, and well under the JSON's size.
  auto stored = s.store->GetRecord("acme", "audit", "00000000000000000005");
  BOOST_TEST_REQUIRE(stored.ok());
  BOOST_TEST(stored->front() != '{');
  const size_t json_size = boost::json::serialize(page->items[4]).size();
  BOOST_TEST(stored->size() * 10 < json_size * 6, stored->size() << " stored bytes for " << json_size);
}

BOOST_AUTO_TEST_CASE(an_edited_or_damaged_compact_entry_breaks_the_chain) {
  AuditStore s;
  {
    AuditLog audit(*s.store, std::chrono::seconds(30));
    for (int i = 0; i < 3; ++i) audit.Record(Entry(i));
    audit.Flush();
    BOOST_TEST_REQUIRE(audit.VerifyChain("acme").ok());
  }
  auto stored = s.store->GetRecord("acme", "audit", "00000000000000000002");
  BOOST_TEST_REQUIRE(stored.ok());
  storage::v1::AuditEntryRecord record;
  BOOST_TEST_REQUIRE(record.ParseFromString(*stored));

  // A refusal rewritten as a success, its own hash left as it was.
  storage::v1::AuditEntryRecord edited = record;
  edited.set_status(200 + 203);
  BOOST_TEST_REQUIRE(
      s.store->WriteRecords({{"acme", "audit", "00000000000000000002", edited.SerializeAsString()}}).ok());
  {
    AuditLog audit(*s.store, std::chrono::seconds(30));
    const Status verdict = audit.VerifyChain("acme");
    BOOST_TEST(verdict.reason() == "audit-chain-broken", verdict.ToString());
    BOOST_TEST(verdict.message().find("entry 2") != std::string::npos, verdict.ToString());
  }
  // Bytes that are not an entry at all.
  BOOST_TEST_REQUIRE(
      s.store->WriteRecords({{"acme", "audit", "00000000000000000002", std::string("\x08\x02\x12", 3)}})
          .ok());
  {
    AuditLog audit(*s.store, std::chrono::seconds(30));
    BOOST_TEST(audit.VerifyChain("acme").reason() == "audit-chain-broken");
    auto page = audit.Read("acme", "", 100);
    BOOST_TEST(!page.ok());
    BOOST_TEST(page.status().reason() == "corruption");
  }
}

BOOST_AUTO_TEST_SUITE_END()
