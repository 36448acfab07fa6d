// Store conformance tests of blobs, on every backend (see store_test.cc).
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "storage/store_test_util.h"
#include "tests/support/files.h"
#include "trust/digest.h"

namespace fs = std::filesystem;
using namespace dossier;
using namespace dossier::storage;
using namespace dossier::storage::testing;

STORE_TEST_CASE(blobs_are_checked_against_their_digest_and_scoped_to_a_tenant) {
  STORE_UNDER_TEST(at, store);
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

// A store on one backend with tenant "acme", collecting corruption reports.
struct BlobFixture {
  std::unique_ptr<StoreLocation> at;
  std::vector<std::string> reports;
  std::unique_ptr<Store> store;

  explicit BlobFixture(std::unique_ptr<StoreLocation> location) : at(std::move(location)) {
    store = OpenOn(*at, [this](const std::string& line) { reports.push_back(line); });
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

STORE_TEST_CASE(blob_records_carry_one_digest_per_chunk) {
  auto location = NewLocation(backend);
  if (!location) return;
  BlobFixture fx(std::move(location));
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

STORE_TEST_CASE(read_blob_refuses_corrupt_bytes_and_reports_them_once) {
  auto location = NewLocation(backend);
  if (!location) return;
  BlobFixture fx(std::move(location));
  const std::string bytes = "%PDF-1.7 " + std::string(4000, 'x');
  const std::string digest = fx.Put(bytes);
  BOOST_TEST(*fx.store->ReadBlob("acme", digest, 1 << 20) == bytes);
  auto too_big = fx.store->ReadBlob("acme", digest, 100);
  BOOST_TEST(too_big.status().reason() == "blob-too-large");
  BOOST_TEST(fx.reports.empty());

  fx.at->FlipBlobByte(digest, 2000);
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
  fx.at->TruncateBlob(other, 3);
  BOOST_TEST(fx.store->ReadBlob("acme", other, 1 << 20).status().reason() == "blob-corrupt");
  BOOST_TEST(fx.store->OpenBlob("acme", other).status().reason() == "blob-corrupt");
  BOOST_TEST(fx.reports.size() == 2u);
  BOOST_TEST(fx.store->ReadBlob("acme", DigestOf("never stored"), 10).status().code() ==
             StatusCode::kNotFound);
}

STORE_TEST_CASE(blob_reader_verifies_each_chunk_it_hands_out) {
  auto location = NewLocation(backend);
  if (!location) return;
  BlobFixture fx(std::move(location));
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
  fx.at->FlipBlobByte(digest, 2 * kBlobChunkBytes + 5);
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
  dossier::testing::TempDir dir;
  std::vector<std::string> reports;
  const std::string big = Pattern(kBlobChunkBytes + 4242);
  const std::string digest = DigestOf(big);
  StoredBlob legacy;
  legacy.path = dir.path() / "blob";
  dossier::testing::WriteFile(legacy.path, big);
  legacy.tenant = "acme";
  legacy.digest = digest;
  legacy.raw_digest = trust::Sha256(big);
  legacy.size = big.size();
  auto reporter = std::make_shared<CorruptionReporter>([&](const std::string& l) { reports.push_back(l); });
  auto reader = OpenStoredBlob(legacy, reporter);
  BOOST_REQUIRE_MESSAGE(reader.ok(), reader.status().ToString());
  BOOST_TEST((*reader)->chunk_size() == kBlobChunkBytes);
  auto all = ReadAllThrough(**reader, 0, big.size(), 100000);
  BOOST_TEST((all.ok() && *all == big));
  dossier::testing::FlipByte(legacy.path, kBlobChunkBytes + 1);
  BOOST_TEST(OpenStoredBlob(legacy, reporter).status().reason() == "blob-corrupt");
  BOOST_TEST(ReadStoredBlob(legacy, 1ull << 30, *reporter).status().reason() == "blob-corrupt");
  BOOST_TEST(reports.size() == 1u);
}
