#include "storage/store_test_backends.h"

#include <boost/test/unit_test.hpp>

#include "storage/pg_store.h"
#include "tests/support/files.h"
#include "tests/support/postgres.h"
#include "trust/encoding.h"

namespace dossier::storage::testing {
namespace {

namespace fs = std::filesystem;
using dossier::testing::TempDir;

class RocksLocation final : public StoreLocation {
 public:
  StatusOr<std::unique_ptr<Store>> Open(std::function<void(const std::string&)> report_corruption) override {
    StoreOptions options;
    options.data_dir = dir_.path();
    options.report_corruption = std::move(report_corruption);
    return OpenRocksStore(options);
  }
  void FlipBlobByte(const std::string& digest, uint64_t offset) override {
    dossier::testing::FlipByte(BlobFile(digest), offset);
  }
  void TruncateBlob(const std::string& digest, uint64_t size) override {
    fs::resize_file(BlobFile(digest), size);
  }

 private:
  // data/blobs/<tenant number>/<aa>/<hex>
  fs::path BlobFile(const std::string& digest) const {
    for (const auto& e : fs::recursive_directory_iterator(dir_.path() / "blobs")) {
      if (e.path().filename() == digest.substr(7)) return e.path();
    }
    BOOST_FAIL("no file for " << digest);
    return {};
  }
  TempDir dir_;
};

class PostgresLocation final : public StoreLocation {
 public:
  PostgresLocation(dossier::testing::PostgresServer* server, std::string url)
      : server_(server), url_(std::move(url)), database_(url_.substr(url_.rfind('/') + 1)) {}

  StatusOr<std::unique_ptr<Store>> Open(std::function<void(const std::string&)> report_corruption) override {
    PostgresStoreOptions options;
    options.conninfo = url_;
    options.staging_dir = staging_.path();
    options.pool_size = 4;
    options.report_corruption = std::move(report_corruption);
    return OpenPostgresStore(options);
  }
  void FlipBlobByte(const std::string& digest, uint64_t offset) override {
    const uint64_t chunk = offset / kBlobChunkBytes, within = offset % kBlobChunkBytes;
    Sql("UPDATE blob_chunks SET bytes = set_byte(bytes, " + std::to_string(within) + ", get_byte(bytes, " +
        std::to_string(within) + ") # 255) WHERE digest = " + DigestLiteral(digest) +
        " AND chunk = " + std::to_string(chunk));
  }
  void TruncateBlob(const std::string& digest, uint64_t size) override {
    const uint64_t last = size / kBlobChunkBytes, keep = size % kBlobChunkBytes;
    Sql("DELETE FROM blob_chunks WHERE digest = " + DigestLiteral(digest) + " AND chunk > " +
        std::to_string(last));
    Sql("UPDATE blob_chunks SET bytes = substring(bytes from 1 for " + std::to_string(keep) +
        ") WHERE digest = " + DigestLiteral(digest) + " AND chunk = " + std::to_string(last));
  }

 private:
  static std::string DigestLiteral(const std::string& digest) {
    return "'\\x" + digest.substr(7) + "'::bytea";
  }
  void Sql(const std::string& sql) {
    auto done = server_->Sql(database_, sql);
    BOOST_REQUIRE_MESSAGE(done.ok(), done.status().ToString());
  }
  dossier::testing::PostgresServer* server_;
  std::string url_, database_;
  TempDir staging_{"dossier-pg-staging-"};
};

}  // namespace

std::unique_ptr<StoreLocation> NewLocation(const std::string& backend) {
  if (backend == "rocksdb") return std::make_unique<RocksLocation>();
  dossier::testing::PostgresServer* server = dossier::testing::SharedPostgres();
  if (server == nullptr) {
    BOOST_TEST_MESSAGE("skipped on postgres: PostgreSQL 15 is not installed");
    return nullptr;
  }
  auto url = server->CreateDatabase();
  BOOST_REQUIRE_MESSAGE(url.ok(), url.status().ToString());
  return std::make_unique<PostgresLocation>(server, *url);
}

}  // namespace dossier::storage::testing
