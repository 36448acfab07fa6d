// The backends the Store conformance suite runs on (storage/store_test.cc,
// storage/store_blob_test.cc): the embedded RocksDB store on a temporary
// directory, and the PostgreSQL store on a fresh database of the test
// process's shared PostgreSQL server (tests/support/postgres.h).
#pragma once

#include <boost/test/data/monomorphic.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace dossier::storage::testing {

// Every backend's name, for BOOST_DATA_TEST_CASE.
inline const std::vector<std::string> kBackends = {"rocksdb", "postgres"};

// One backend's location for one test: opening it again reopens the same
// data. Damaging a blob changes its stored bytes behind the store's back, as
// a failing disk (or a careless DBA) would.
class StoreLocation {
 public:
  virtual ~StoreLocation() = default;
  virtual StatusOr<std::unique_ptr<Store>> Open(
      std::function<void(const std::string&)> report_corruption = {}) = 0;
  // Flips every bit of the byte at `offset` of the blob's stored bytes.
  virtual void FlipBlobByte(const std::string& digest, uint64_t offset) = 0;
  // Cuts the blob's stored bytes down to `size`.
  virtual void TruncateBlob(const std::string& digest, uint64_t size) = 0;
};

// A fresh location on `backend`, or null when that backend is unavailable
// here (PostgreSQL not installed: the test is skipped with a message; with CI
// set this throws instead).
std::unique_ptr<StoreLocation> NewLocation(const std::string& backend);

}  // namespace dossier::storage::testing
