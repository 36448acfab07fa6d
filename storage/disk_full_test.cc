// A full disk at the storage layer, without root: the fault-injecting file
// system fails every write with ENOSPC. The store must answer storage-full
// (never abort the process, which Debian's librocksdb did when its own LOG
// writer hit the full disk), keep serving reads, resume by itself once space
// returns, and have lost nothing it acknowledged, also after reopening.
#define BOOST_TEST_MODULE storage_disk_full
#include <rocksdb/file_system.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "storage/fault_injection_fs.h"
#include "storage/info_log.h"
#include "storage/store.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"
#include "trust/digest.h"

namespace fs = std::filesystem;
using namespace dossier;
using namespace dossier::storage;

namespace {

std::string DigestOf(const std::string& s) { return trust::DigestRef(trust::Sha256(s)); }

VersionRecord NextVersion(uint64_t n, const std::string& parent) {
  VersionRecord v;
  v.set_tenant("acme");
  v.set_kind("dossiers");
  v.set_id("d1");
  v.set_version(n);
  v.set_parent_digest(parent);
  v.set_content_digest(DigestOf("content " + std::to_string(n)));
  v.set_leaf_data("leaf " + std::to_string(n));
  return v;
}

}  // namespace

BOOST_AUTO_TEST_CASE(full_disk_answers_storage_full_keeps_reads_and_resumes) {
  dossier::testing::TempDir dir("dossier-disk-full-");
  auto faulty = std::make_shared<FaultInjectionFileSystem>(rocksdb::FileSystem::Default());
  StoreOptions options;
  options.data_dir = dir.path();
  options.file_system = faulty;
  options.write_buffer_bytes = 1u << 20;
  uint64_t acknowledged = 0;
  std::string head;
  {
    auto opened = OpenRocksStore(options);
    BOOST_REQUIRE_MESSAGE(opened.ok(), opened.status().ToString());
    auto& store = *opened;
    TenantRecord tenant;
    tenant.set_id("acme");
    tenant.set_kind("MANUFACTURER");
    BOOST_REQUIRE(store->CreateTenant(tenant).ok());
    ObjectRecord object;
    object.set_tenant("acme");
    object.set_kind("dossiers");
    object.set_id("d1");
    BOOST_REQUIRE(store->CreateObject(object).ok());
    auto commit = [&]() -> Status {
      VersionRecord v = NextVersion(acknowledged + 1, head);
      auto r = store->CommitVersion(v);
      if (!r.ok()) return r.status();
      ++acknowledged;
      head = v.content_digest();
      return Status::Ok();
    };
    for (int i = 0; i < 20; ++i) BOOST_REQUIRE(commit().ok());

    faulty->SetNoSpace(true);
    for (int i = 0; i < 20; ++i) {
      Status s = commit();
      BOOST_REQUIRE_MESSAGE(!s.ok(), "a commit succeeded on a full disk");
      BOOST_TEST(s.reason() == "storage-full", "attempt " << i << ": " << s);
      BOOST_TEST(s.message().find(dir.path().string()) == std::string::npos, "file names reach clients: " << s);
    }
    BOOST_TEST(store->WriteHealth().reason() == "storage-full");
    // Reads are served while full.
    for (uint64_t n = 1; n <= acknowledged; ++n)
      BOOST_TEST(store->GetVersion("acme", "dossiers", "d1", n).ok());
    BOOST_TEST(store->LogSize() == acknowledged);

    // Space returns: RocksDB resumes by itself (it polls free space); until
    // then writes keep answering storage-full, not an internal error.
    faulty->SetNoSpace(false);
    Status after;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    do {
      after = commit();
      if (after.ok()) break;
      BOOST_TEST(after.reason() == "storage-full", after);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } while (std::chrono::steady_clock::now() < deadline);
    BOOST_REQUIRE_MESSAGE(after.ok(), "writes did not resume after space returned: " << after);
    BOOST_TEST(store->WriteHealth().ok());
    for (int i = 0; i < 20; ++i) BOOST_REQUIRE(commit().ok());
  }

  StoreOptions plain;
  plain.data_dir = dir.path();
  auto reopened = OpenRocksStore(plain);
  BOOST_REQUIRE_MESSAGE(reopened.ok(), reopened.status().ToString());
  BOOST_TEST((*reopened)->LogSize() == acknowledged);
  for (uint64_t n = 1; n <= acknowledged; ++n) {
    auto v = (*reopened)->GetVersion("acme", "dossiers", "d1", n);
    BOOST_REQUIRE_MESSAGE(v.ok(), "acknowledged version " << n << ": " << v.status());
    BOOST_TEST(v->content_digest() == DigestOf("content " + std::to_string(n)));
  }
  BOOST_TEST((*reopened)->Verify().ok());
}

// The info log never stops the store: on a device that takes no bytes
// (/dev/full answers every write with ENOSPC) lines are dropped, not fatal.
BOOST_AUTO_TEST_CASE(info_log_survives_a_device_that_is_full) {
  if (!fs::exists("/dev/full")) {
    BOOST_TEST_MESSAGE("SKIPPED: /dev/full is absent");
    return;
  }
  auto log = NewInfoLog({.path = "/dev/full", .stderr_level = rocksdb::InfoLogLevel::FATAL_LEVEL});
  for (int i = 0; i < 1000; ++i) rocksdb::Log(rocksdb::InfoLogLevel::ERROR_LEVEL, log, "line %d", i);
  log->Flush();
  BOOST_TEST(log->GetLogFileSize() == 0u);
}

BOOST_AUTO_TEST_CASE(info_log_filters_levels_and_rotates) {
  dossier::testing::TempDir dir("dossier-info-log-");
  const fs::path path = dir.path() / "LOG";
  auto log = NewInfoLog({.path = path,
                         .max_file_bytes = 4096,
                         .level = rocksdb::InfoLogLevel::WARN_LEVEL,
                         .stderr_level = rocksdb::InfoLogLevel::FATAL_LEVEL});
  rocksdb::Log(rocksdb::InfoLogLevel::INFO_LEVEL, log, "not written %d", 1);
  rocksdb::Log(rocksdb::InfoLogLevel::WARN_LEVEL, log, "written %d", 2);
  log->Flush();
  std::string all = dossier::testing::ReadFile(path);
  BOOST_TEST(all.find("not written") == std::string::npos);
  BOOST_TEST(all.find("WARN written 2") != std::string::npos, all);
  for (int i = 0; i < 500; ++i) rocksdb::Log(rocksdb::InfoLogLevel::ERROR_LEVEL, log, "filler line %d", i);
  log->Flush();
  BOOST_TEST(fs::exists(dir.path() / "LOG.old"));
  BOOST_TEST(fs::file_size(path) <= 4096u);
  BOOST_TEST(fs::file_size(dir.path() / "LOG.old") <= 4096u + 200u);
}
