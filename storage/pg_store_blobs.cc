// The PostgreSQL Store's blobs: one row per kBlobChunkBytes chunk in
// blob_chunks, verified on every read against the per-chunk SHA-256 digests
// recorded in the blob's BlobRecord (the same record the RocksDB store keeps
// next to its files), so a damaged row answers "blob-corrupt" and is never
// served.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/time.h"
#include "storage/pg_store_internal.h"
#include "trust/digest.h"
#include "trust/encoding.h"

namespace dossier::storage {

using pg::Bytes;
using pg::Int;

namespace {

int64_t Signed(uint64_t v) { return static_cast<int64_t>(v); }

// Reads up to `n` bytes of `fd`; fewer only at the end of the file.
StatusOr<std::string> ReadUpTo(int fd, size_t n) {
  std::string out(n, '\0');
  size_t done = 0;
  while (done < n) {
    ssize_t got = ::read(fd, out.data() + done, n - done);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Unavailable(std::string("read staged upload: ") + std::strerror(errno), "io-error");
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  out.resize(done);
  return out;
}

}  // namespace

std::string PgStore::BlobLocation(uint64_t tn, std::string_view raw_digest) const {
  return "postgres:blob_chunks/" + std::to_string(tn) + "/" + trust::HexEncode(raw_digest);
}

StatusOr<BlobRecord> PgStore::AdoptBlob(std::string_view tenant, std::string_view digest,
                                        const std::filesystem::path& staged_file) {
  struct RemoveOnExit {
    const std::filesystem::path& path;
    ~RemoveOnExit() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  } cleanup{staged_file};
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  DOSSIER_ASSIGN_OR_RETURN(std::string raw, trust::ParseDigestRef(digest));
  DOSSIER_ASSIGN_OR_RETURN(BlobHashes hashes, HashBlobFile(staged_file, kBlobChunkBytes));
  if (hashes.digest != raw) {
    return InvalidArgument(
        "the uploaded bytes hash to " + trust::DigestRef(hashes.digest) + ", not " + std::string(digest),
        "digest-mismatch");
  }
  if (auto existing = GetBlob(tenant, digest); existing.ok()) return existing;

  BlobRecord record;
  record.set_tenant(std::string(tenant));
  record.set_digest(std::string(digest));
  record.set_size(hashes.size);
  record.set_created_ms(NowMs());
  record.set_chunk_size(kBlobChunkBytes);
  record.set_chunk_digests(std::move(hashes.chunk_digests));

  // Blobs need no log position, so they are written on a pooled connection
  // outside the group writer: a large upload never holds the log head.
  int fd = ::open(staged_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Unavailable(std::string("open staged upload: ") + std::strerror(errno), "io-error");
  struct CloseOnExit {
    int fd;
    ~CloseOnExit() { ::close(fd); }
  } close_fd{fd};
  DOSSIER_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  DOSSIER_RETURN_IF_ERROR(conn->Run("BEGIN"));
  const uint64_t chunks = (hashes.size + kBlobChunkBytes - 1) / kBlobChunkBytes;
  for (uint64_t i = 0; i < chunks; ++i) {
    DOSSIER_ASSIGN_OR_RETURN(std::string bytes, ReadUpTo(fd, kBlobChunkBytes));
    // The file may not change between hashing and copying: the chunk digest
    // recorded is checked against what goes into the row.
    if (trust::Sha256(bytes) != record.chunk_digests().substr(i * trust::kSha256Size, trust::kSha256Size)) {
      return Unavailable("the staged upload changed while it was stored", "io-error");
    }
    DOSSIER_RETURN_IF_ERROR(
        conn->Run("INSERT INTO blob_chunks (tenant, digest, chunk, bytes) VALUES ($1, $2, $3, $4) ON "
                  "CONFLICT DO NOTHING",
                  {Int(Signed(tn)), Bytes(raw), Int(Signed(i)), Bytes(bytes)}));
  }
  DOSSIER_RETURN_IF_ERROR(
      conn->Run("INSERT INTO blobs (tenant, digest, record) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                {Int(Signed(tn)), Bytes(raw), Bytes(record.SerializeAsString())}));
  DOSSIER_RETURN_IF_ERROR(conn->Run("COMMIT"));
  // Another node may have adopted the same bytes first: its record stands.
  return GetBlob(tenant, digest);
}

StatusOr<BlobRecord> PgStore::GetBlob(std::string_view tenant, std::string_view digest) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  DOSSIER_ASSIGN_OR_RETURN(std::string raw, trust::ParseDigestRef(digest));
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r, Query("SELECT record FROM blobs WHERE tenant = $1 AND digest = $2",
                                               {Int(Signed(tn)), Bytes(raw)}));
  if (r.rows() == 0) return NotFound("blob " + std::string(digest) + " not found");
  return DecodeRow<BlobRecord>(r.Bytes(0, 0));
}

StatusOr<StoredBlob> PgStore::FindBlob(std::string_view tenant, std::string_view digest) const {
  DOSSIER_ASSIGN_OR_RETURN(BlobRecord record, GetBlob(tenant, digest));
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  StoredBlob blob;
  DOSSIER_ASSIGN_OR_RETURN(blob.raw_digest, trust::ParseDigestRef(digest));
  blob.path = BlobLocation(tn, blob.raw_digest);
  blob.tenant = std::string(tenant);
  blob.digest = std::string(digest);
  blob.size = record.size();
  blob.chunk_size = record.chunk_size();
  blob.chunk_digests = std::move(*record.mutable_chunk_digests());
  return blob;
}

StatusOr<std::string> PgStore::ReadBlob(std::string_view tenant, std::string_view digest,
                                        uint64_t max_bytes) const {
  DOSSIER_ASSIGN_OR_RETURN(StoredBlob blob, FindBlob(tenant, digest));
  if (blob.size > max_bytes) {
    return FailedPrecondition("blob " + blob.digest + " is " + std::to_string(blob.size) +
                                  " bytes, more than the " + std::to_string(max_bytes) + " this read allows",
                              "blob-too-large");
  }
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  DOSSIER_ASSIGN_OR_RETURN(
      pg::Result r,
      Query("SELECT chunk, bytes FROM blob_chunks WHERE tenant = $1 AND digest = $2 ORDER BY chunk",
            {Int(Signed(tn)), Bytes(blob.raw_digest)}));
  std::string bytes;
  bytes.reserve(blob.size);
  bool in_order = true;
  for (int i = 0; i < r.rows(); ++i) {
    in_order = in_order && r.Int(i, 0) == i;
    bytes += r.Bytes(i, 1);
  }
  if (!in_order || bytes.size() != blob.size || trust::Sha256(bytes) != blob.raw_digest) {
    corruption_reporter_->Report(
        blob.tenant, blob.digest,
        "the rows of " + blob.path.string() + " hold other bytes than were recorded");
    return BlobCorrupt(blob.digest);
  }
  return bytes;
}

StatusOr<std::shared_ptr<BlobReader>> PgStore::OpenBlob(std::string_view tenant,
                                                        std::string_view digest) const {
  DOSSIER_ASSIGN_OR_RETURN(StoredBlob blob, FindBlob(tenant, digest));
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  if (blob.chunk_size == 0 ||
      blob.chunk_digests.size() != (blob.size + blob.chunk_size - 1) / blob.chunk_size * trust::kSha256Size) {
    corruption_reporter_->Report(blob.tenant, blob.digest, "its record's chunk digests do not fit its size");
    return BlobCorrupt(blob.digest);
  }
  // As the RocksDB store checks a file's size at open: rows that add up to
  // another size are refused before any byte is read.
  DOSSIER_ASSIGN_OR_RETURN(pg::Result stored,
                           Query("SELECT coalesce(sum(length(bytes)), 0)::bigint FROM blob_chunks "
                                 "WHERE tenant = $1 AND digest = $2",
                                 {Int(Signed(tn)), Bytes(blob.raw_digest)}));
  if (static_cast<uint64_t>(stored.Int(0, 0)) != blob.size) {
    corruption_reporter_->Report(blob.tenant, blob.digest,
                                 "the rows of " + blob.path.string() + " hold " +
                                     std::to_string(stored.Int(0, 0)) + " bytes, not the recorded " +
                                     std::to_string(blob.size));
    return BlobCorrupt(blob.digest);
  }
  // The reader may outlive this call (a download streams after the handler
  // returned), so it holds the pool, not the store.
  auto fetch = [pool = pool_, tenant_number = Signed(tn), raw = blob.raw_digest](
                   uint64_t index, uint64_t, uint64_t) -> StatusOr<std::string> {
    DOSSIER_ASSIGN_OR_RETURN(auto conn, pool->Acquire());
    DOSSIER_ASSIGN_OR_RETURN(
        pg::Result r,
        conn->Exec("SELECT bytes FROM blob_chunks WHERE tenant = $1 AND digest = $2 AND chunk = $3",
                   {Int(tenant_number), Bytes(raw), Int(Signed(index))}));
    if (r.rows() == 0) return std::string();  // a missing row reads as a short chunk: corrupt
    return r.Bytes(0, 0);
  };
  return std::make_shared<BlobReader>(ChunkFetcher(std::move(fetch)), std::move(blob), corruption_reporter_);
}

// Every blob's rows hash to its name and to its recorded chunk digests.
Status PgStore::ScrubBlobs(const TenantRecord& tenant, std::vector<std::string>& problems) const {
  DOSSIER_ASSIGN_OR_RETURN(pg::Result blobs,
                           Query("SELECT digest, record FROM blobs WHERE tenant = $1 ORDER BY digest",
                                 {Int(Signed(tenant.number()))}));
  for (int b = 0; b < blobs.rows(); ++b) {
    const std::string raw = blobs.Bytes(b, 0);
    const std::string name = "tenant " + tenant.id() + ": blob " + trust::DigestRef(raw);
    auto record = DecodeRow<BlobRecord>(blobs.Bytes(b, 1));
    // One chunk at a time: a scrub never holds a large blob in memory.
    DOSSIER_ASSIGN_OR_RETURN(
        pg::Result chunks,
        Query("SELECT chunk, length(bytes) FROM blob_chunks WHERE tenant = $1 AND digest = $2 "
              "ORDER BY chunk",
              {Int(Signed(tenant.number())), Bytes(raw)}));
    trust::Sha256Hasher whole;
    std::string chunk_digests;
    uint64_t size = 0;
    bool in_order = true;
    for (int c = 0; c < chunks.rows(); ++c) {
      in_order = in_order && chunks.Int(c, 0) == c;
      DOSSIER_ASSIGN_OR_RETURN(
          pg::Result row,
          Query("SELECT bytes FROM blob_chunks WHERE tenant = $1 AND digest = $2 AND chunk = $3",
                {Int(Signed(tenant.number())), Bytes(raw), Int(chunks.Int(c, 0))}));
      if (row.rows() == 0) continue;
      const std::string bytes = row.Bytes(0, 0);
      whole.Update(bytes);
      chunk_digests += trust::Sha256(bytes);
      size += bytes.size();
    }
    const std::string actual = whole.Finish();
    if (!in_order || actual != raw) {
      problems.push_back(name + " is corrupt: its rows hash to " + trust::DigestRef(actual) + " (" +
                         BlobLocation(tenant.number(), raw) + ")");
    } else if (!record.ok() || record->size() != size || record->chunk_digests() != chunk_digests) {
      problems.push_back(name + " has a damaged record (size or chunk digests differ from its intact bytes)");
    }
  }
  return Status::Ok();
}

}  // namespace dossier::storage
