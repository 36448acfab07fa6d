// The audit log's writer thread against a real RocksDB store.
#include "server/audit.h"

#include <boost/test/unit_test.hpp>
#include <chrono>

#include "tests/support/temp_dir.h"

using namespace dossier;
using namespace dossier::server;

BOOST_AUTO_TEST_SUITE(audit_log)

// Flush() promises the queued entries are durable when it returns; it used to
// wake the writer for nothing and wait out the rest of the batch interval.
// With a 30 s interval, an answer within 15 s can only come from the flush.
BOOST_AUTO_TEST_CASE(flush_writes_at_once_whatever_the_interval) {
  testing::TempDir dir("dossier-audit-");
  storage::StoreOptions options;
  options.data_dir = dir.path();
  auto store = storage::OpenRocksStore(options);
  BOOST_TEST_REQUIRE(store.ok(), store.status().ToString());
  storage::TenantRecord tenant;
  tenant.set_id("acme");
  tenant.set_kind("MANUFACTURER");
  BOOST_TEST_REQUIRE((*store)->CreateTenant(tenant).ok());
  AuditLog audit(**store, std::chrono::seconds(30));

  const auto started = std::chrono::steady_clock::now();
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 4; ++i) {
      AuditEntry entry;
      entry.tenant = "acme";
      entry.principal = "tok-" + std::to_string(round);
      entry.method = "GET";
      entry.route = "/v1/tenants/{tenant}";
      entry.path = "/v1/tenants/acme";
      entry.status = 200;
      entry.time_ms = 1000 * round + i;
      audit.Record(std::move(entry));
    }
    audit.Flush();
    auto page = audit.Read("acme", "", 100);
    BOOST_TEST_REQUIRE(page.ok(), page.status().ToString());
    BOOST_TEST(page->items.size() == static_cast<size_t>(4 * (round + 1)));
  }
  BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(15)));
  BOOST_TEST(audit.VerifyChain("acme").ok());
}

BOOST_AUTO_TEST_SUITE_END()
