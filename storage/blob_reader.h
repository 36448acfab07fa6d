// Verified reading of stored blobs: every byte handed out has been checked
// against the SHA-256 recorded when the blob was uploaded, so a blob damaged on
// disk is reported (DataLoss, reason "blob-corrupt") instead of served.
//
// Blobs are checked in chunks of kBlobChunkBytes: AdoptBlob records the digest
// of every chunk next to the blob's own digest, so a download (or a Range
// request) reads, hashes and then hands out one chunk at a time and never
// reads a large file twice. Records written before chunk digests existed are
// hashed whole once when opened (computing their chunk digests in the same
// pass), then read chunk by chunk against those.
//
// This header stays free of protobuf and RocksDB so the HTTP layer can include
// it cheaply.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dossier::storage {

// Integrity chunk size of blobs recorded from now on. 1 MiB: a 1 GiB blob has
// 1024 digests (32 KiB in its record), a download buffers one chunk, and the
// common small document is a single chunk (its chunk digest is its digest).
inline constexpr uint32_t kBlobChunkBytes = 1u << 20;

// Reports blob corruption once per blob (a busy blob would otherwise flood the
// log). Thread-safe. The line names the tenant, the digest and the file, never
// content or credentials.
class CorruptionReporter {
 public:
  // `sink` receives one line per newly corrupt blob; null: standard error.
  explicit CorruptionReporter(std::function<void(const std::string&)> sink = nullptr);
  // Reports `detail` for (tenant, digest) unless it was reported before.
  void Report(std::string_view tenant, std::string_view digest, const std::string& detail);

 private:
  std::function<void(const std::string&)> sink_;
  std::mutex mu_;
  std::set<std::string> reported_;
};

// The DataLoss status every integrity failure of a blob is reported with.
Status BlobCorrupt(std::string_view digest);

// SHA-256 of a whole file and of each of its `chunk_size` pieces, in one pass.
struct BlobHashes {
  std::string digest;         // 32 raw bytes
  std::string chunk_digests;  // 32 raw bytes per chunk, concatenated
  uint64_t size = 0;
};
// Reason "io-error" when the file cannot be read.
StatusOr<BlobHashes> HashBlobFile(const std::filesystem::path& path, uint32_t chunk_size);

// What the store knows of one recorded blob (from its BlobRecord).
struct StoredBlob {
  std::filesystem::path path;
  std::string tenant;
  std::string digest;      // "sha256:<hex>"
  std::string raw_digest;  // 32 raw bytes
  uint64_t size = 0;
  uint32_t chunk_size = 0;  // 0: recorded before chunk digests existed
  std::string chunk_digests;
};

class BlobReader;

// Reads a blob whole and checks it against its digest. FailedPrecondition
// "blob-too-large" when it is larger than `max_bytes` (nothing is read),
// DataLoss "blob-corrupt" when its bytes (or size) differ from the record,
// Unavailable "io-error" when it cannot be read.
StatusOr<std::string> ReadStoredBlob(const StoredBlob& blob, uint64_t max_bytes,
                                     CorruptionReporter& reporter);

// Opens a blob for verified reading. A blob recorded without chunk digests is
// hashed whole here (DataLoss "blob-corrupt" on a mismatch).
StatusOr<std::shared_ptr<BlobReader>> OpenStoredBlob(StoredBlob blob,
                                                     std::shared_ptr<CorruptionReporter> reporter);

// Where a BlobReader gets a chunk's stored bytes from: `length` bytes at
// `offset` (chunk `index`), fewer when the stored copy is shorter. Unavailable
// "io-error" (or "storage-unavailable") when the bytes cannot be read. A file
// (Store on RocksDB) or rows of a database (Store on PostgreSQL).
using ChunkFetcher = std::function<StatusOr<std::string>(uint64_t index, uint64_t offset, uint64_t length)>;

// Sequential or random verified access to one stored blob. Obtained from
// Store::OpenBlob. Holds the file open. Not synchronised: use from one thread
// at a time (it may move between threads).
class BlobReader {
 public:
  // `blob.chunk_digests` holds 32 raw bytes per `blob.chunk_size` piece (not
  // 0); `fd` is the blob's file, open for reading, owned from now on.
  BlobReader(int fd, StoredBlob blob, std::shared_ptr<CorruptionReporter> reporter);
  // The same over chunks from anywhere else; `blob.path` then only names the
  // blob in reports.
  BlobReader(ChunkFetcher fetch, StoredBlob blob, std::shared_ptr<CorruptionReporter> reporter);
  BlobReader(const BlobReader&) = delete;
  BlobReader& operator=(const BlobReader&) = delete;

  uint64_t size() const { return blob_.size; }
  uint32_t chunk_size() const { return blob_.chunk_size; }
  const std::filesystem::path& path() const { return blob_.path; }

  // Verified bytes from `offset`: at most `max_bytes`, and never beyond the
  // end of the chunk holding `offset` (call again for more). Empty at or past
  // the end. The view stays valid until the next call. Reads and hashes a
  // chunk only when it is not the one read last. DataLoss "blob-corrupt" when
  // the chunk's bytes differ from its recorded digest (reported once per
  // blob); Unavailable "io-error" when the file cannot be read.
  StatusOr<std::string_view> Read(uint64_t offset, uint64_t max_bytes);

 private:
  ChunkFetcher fetch_;
  StoredBlob blob_;
  std::shared_ptr<CorruptionReporter> reporter_;
  uint64_t loaded_chunk_ = UINT64_MAX;  // index of the chunk in buffer_
  std::string buffer_;
};

}  // namespace dossier::storage
