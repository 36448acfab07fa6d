#include "storage/blob_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "trust/digest.h"

namespace dossier::storage {
namespace {

namespace fs = std::filesystem;

// Reads exactly `n` bytes at `offset` unless the file ends first; returns how
// many were read, or -1 with errno set.
ssize_t ReadAt(int fd, char* out, size_t n, uint64_t offset) {
  size_t done = 0;
  while (done < n) {
    ssize_t got = ::pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return static_cast<ssize_t>(done);
}

Status IoError(const StoredBlob& blob, std::string_view what) {
  return Unavailable("cannot " + std::string(what) + " blob " + blob.digest + ": " + std::strerror(errno),
                     "io-error");
}

// Opens the blob's file and checks that its size is the recorded one.
StatusOr<int> OpenChecked(const StoredBlob& blob, CorruptionReporter& reporter) {
  int fd = ::open(blob.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      reporter.Report(blob.tenant, blob.digest, "its file " + blob.path.string() + " is missing");
      return BlobCorrupt(blob.digest);
    }
    return IoError(blob, "open");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = IoError(blob, "stat");
    ::close(fd);
    return s;
  }
  if (static_cast<uint64_t>(st.st_size) != blob.size) {
    ::close(fd);
    reporter.Report(blob.tenant, blob.digest,
                    "its file " + blob.path.string() + " holds " + std::to_string(st.st_size) +
                        " bytes, not the recorded " + std::to_string(blob.size));
    return BlobCorrupt(blob.digest);
  }
  return fd;
}

uint64_t ChunkCount(uint64_t size, uint32_t chunk_size) { return (size + chunk_size - 1) / chunk_size; }

}  // namespace

CorruptionReporter::CorruptionReporter(std::function<void(const std::string&)> sink)
    : sink_(std::move(sink)) {}

void CorruptionReporter::Report(std::string_view tenant, std::string_view digest, const std::string& detail) {
  std::string key = std::string(tenant) + "/" + std::string(digest);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!reported_.insert(std::move(key)).second) return;
  }
  const std::string line =
      "storage: blob-corrupt: tenant " + std::string(tenant) + " blob " + std::string(digest) +
      " failed its integrity check: " + detail +
      "; it is not served until restored from a backup (dossierd scrub lists every damaged blob)";
  if (sink_) {
    sink_(line);
  } else {
    std::cerr << line << "\n" << std::flush;
  }
}

Status BlobCorrupt(std::string_view digest) {
  return DataLoss("the stored copy of " + std::string(digest) +
                      " failed its integrity check (its bytes no longer match the digest); it is not served",
                  "blob-corrupt");
}

StatusOr<BlobHashes> HashBlobFile(const fs::path& path, uint32_t chunk_size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NotFound("cannot open " + path.string() + ": " + std::strerror(errno), "io-error");
  BlobHashes out;
  trust::Sha256Hasher whole, chunk;
  uint64_t in_chunk = 0;
  std::string buf(64 * 1024, '\0');
  for (;;) {
    ssize_t got = ::read(fd, buf.data(), buf.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      const std::string error = std::strerror(errno);
      ::close(fd);
      return Internal("read failed: " + path.string() + ": " + error, "io-error");
    }
    if (got == 0) break;
    std::string_view data(buf.data(), static_cast<size_t>(got));
    whole.Update(data);
    out.size += data.size();
    while (!data.empty()) {
      const size_t take = std::min<uint64_t>(data.size(), chunk_size - in_chunk);
      chunk.Update(data.substr(0, take));
      data.remove_prefix(take);
      in_chunk += take;
      if (in_chunk == chunk_size) {
        out.chunk_digests += chunk.Finish();
        in_chunk = 0;
      }
    }
  }
  ::close(fd);
  if (in_chunk > 0) out.chunk_digests += chunk.Finish();
  out.digest = whole.Finish();
  return out;
}

StatusOr<std::string> ReadStoredBlob(const StoredBlob& blob, uint64_t max_bytes,
                                     CorruptionReporter& reporter) {
  if (blob.size > max_bytes) {
    return FailedPrecondition("blob " + blob.digest + " is " + std::to_string(blob.size) +
                                  " bytes, more than the " + std::to_string(max_bytes) + " this read allows",
                              "blob-too-large");
  }
  DOSSIER_ASSIGN_OR_RETURN(int fd, OpenChecked(blob, reporter));
  std::string bytes(blob.size, '\0');
  ssize_t got = ReadAt(fd, bytes.data(), bytes.size(), 0);
  const int saved = errno;
  ::close(fd);
  if (got < 0) {
    errno = saved;
    return IoError(blob, "read");
  }
  if (static_cast<uint64_t>(got) != blob.size) {
    reporter.Report(blob.tenant, blob.digest, "its file " + blob.path.string() + " ended early");
    return BlobCorrupt(blob.digest);
  }
  if (trust::Sha256(bytes) != blob.raw_digest) {
    reporter.Report(blob.tenant, blob.digest,
                    "the bytes of " + blob.path.string() + " hash to something else");
    return BlobCorrupt(blob.digest);
  }
  return bytes;
}

StatusOr<std::shared_ptr<BlobReader>> OpenStoredBlob(StoredBlob blob,
                                                     std::shared_ptr<CorruptionReporter> reporter) {
  DOSSIER_ASSIGN_OR_RETURN(int fd, OpenChecked(blob, *reporter));
  if (blob.chunk_size == 0) {
    // Recorded before chunk digests: hash the whole file once now, deriving
    // the chunk digests the reads are then checked against.
    auto hashes = HashBlobFile(blob.path, kBlobChunkBytes);
    if (!hashes.ok()) {
      ::close(fd);
      return Unavailable("cannot read blob " + blob.digest + ": " + hashes.status().message(), "io-error");
    }
    if (hashes->digest != blob.raw_digest || hashes->size != blob.size) {
      ::close(fd);
      reporter->Report(blob.tenant, blob.digest,
                       "the bytes of " + blob.path.string() + " hash to something else");
      return BlobCorrupt(blob.digest);
    }
    blob.chunk_size = kBlobChunkBytes;
    blob.chunk_digests = std::move(hashes->chunk_digests);
  }
  if (blob.chunk_digests.size() != ChunkCount(blob.size, blob.chunk_size) * trust::kSha256Size) {
    ::close(fd);
    reporter->Report(blob.tenant, blob.digest, "its record's chunk digests do not fit its size");
    return BlobCorrupt(blob.digest);
  }
  return std::make_shared<BlobReader>(fd, std::move(blob), std::move(reporter));
}

BlobReader::BlobReader(int fd, StoredBlob blob, std::shared_ptr<CorruptionReporter> reporter)
    : blob_(std::move(blob)), reporter_(std::move(reporter)) {
  // The descriptor closes with the last copy of the fetcher.
  auto file = std::shared_ptr<int>(new int(fd), [](int* f) {
    ::close(*f);
    delete f;
  });
  std::string name = blob_.digest;
  fetch_ = [file, name](uint64_t, uint64_t offset, uint64_t length) -> StatusOr<std::string> {
    std::string bytes(length, '\0');
    ssize_t got = ReadAt(*file, bytes.data(), length, offset);
    if (got < 0) {
      return Unavailable("cannot read blob " + name + ": " + std::strerror(errno), "io-error");
    }
    bytes.resize(static_cast<size_t>(got));
    return bytes;
  };
}

BlobReader::BlobReader(ChunkFetcher fetch, StoredBlob blob, std::shared_ptr<CorruptionReporter> reporter)
    : fetch_(std::move(fetch)), blob_(std::move(blob)), reporter_(std::move(reporter)) {}

StatusOr<std::string_view> BlobReader::Read(uint64_t offset, uint64_t max_bytes) {
  if (offset >= blob_.size || max_bytes == 0) return std::string_view();
  const uint64_t index = offset / blob_.chunk_size;
  const uint64_t chunk_start = index * blob_.chunk_size;
  if (index != loaded_chunk_) {
    loaded_chunk_ = UINT64_MAX;  // until the new chunk has been verified
    const uint64_t length = std::min<uint64_t>(blob_.chunk_size, blob_.size - chunk_start);
    DOSSIER_ASSIGN_OR_RETURN(buffer_, fetch_(index, chunk_start, length));
    const std::string_view expected(blob_.chunk_digests.data() + index * trust::kSha256Size,
                                    trust::kSha256Size);
    if (buffer_.size() != length || trust::Sha256(buffer_) != expected) {
      buffer_.clear();
      reporter_->Report(blob_.tenant, blob_.digest,
                        "chunk " + std::to_string(index) + " (bytes " + std::to_string(chunk_start) + "-" +
                            std::to_string(chunk_start + length - 1) + ") of " + blob_.path.string() +
                            " does not match its recorded digest");
      return BlobCorrupt(blob_.digest);
    }
    loaded_chunk_ = index;
  }
  std::string_view chunk(buffer_);
  chunk.remove_prefix(offset - chunk_start);
  return chunk.substr(0, std::min<uint64_t>(max_bytes, chunk.size()));
}

}  // namespace dossier::storage
