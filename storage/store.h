// Store: the durable state of one Dossier Exchange node.
//
// Contract
// - Every write that returns OK is durable: it reached stable storage (WAL
//   fsync) before the call returned, and it is atomic: a version, its object's
//   head, its transparency-log leaf (with the Merkle nodes it completes) and its
//   feed entry are written in one batch, so after a crash either all are present
//   or none.
// - Every tenant-scoped call is confined to that tenant: a key of tenant A can
//   never be read, listed or changed through a call naming tenant B. An object
//   of another tenant answers NotFound, exactly like one that does not exist.
// - Thread-safety: all methods may be called concurrently from any number of
//   threads. Writes from concurrent callers are grouped into one synced write
//   (group commit), so callers should issue them from a worker pool, not from
//   network threads: each write blocks its caller until it is durable.
// - Errors are Status values with stable reasons: "tenant-exists",
//   "object-exists", "not-found", "parent-mismatch", "version-mismatch",
//   "digest-mismatch", "io-error", "storage-full", "corruption", "blob-corrupt"
//   (a blob's bytes on disk no longer match its digest: see ReadBlob).
//
// The interface names no RocksDB type so that a second backend (PostgreSQL)
// can be tested against the same conformance suite (storage/store_test.cc).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dossier/storage/v1/records.pb.h"
#include "storage/blob_reader.h"

namespace rocksdb {
class FileSystem;
}

namespace dossier::storage {

using TenantRecord = v1::TenantRecord;
using TokenRecord = v1::TokenRecord;
using KeyRecord = v1::KeyRecord;
using BlobRecord = v1::BlobRecord;
using ObjectRecord = v1::ObjectRecord;
using VersionRecord = v1::VersionRecord;
using FeedEntry = v1::FeedEntry;

struct StoreOptions {
  // Required. RocksDB lives in data_dir/db, blobs in data_dir/blobs, staged
  // uploads in data_dir/tmp.
  std::filesystem::path data_dir;

  // Fsync the WAL before acknowledging a write. Default: true. Only benchmarks
  // that measure the cost of durability turn it off.
  bool sync_writes = true;

  // Fsync blob files and their directories before recording them. Default: true.
  bool sync_blobs = true;

  // Size of RocksDB's shared block cache. Default: 64 MiB.
  size_t block_cache_bytes = 64u << 20;

  // Size of each column family's memtable. RocksDB also wants this much free
  // disk space before it resumes writing after the disk filled up, so a small
  // value recovers sooner on a nearly full disk at the cost of more flushes.
  // Default: 16 MiB.
  size_t write_buffer_bytes = 16u << 20;

  // Upper bound on the number of write transactions grouped into one synced
  // write. Default: 512.
  size_t max_group_size = 512;

  // Optional file system, e.g. a fault-injecting wrapper in tests. Default:
  // the real one.
  std::shared_ptr<rocksdb::FileSystem> file_system;

  // Receives one line per blob found corrupt while reading it (once per blob
  // per process). Default (null): standard error.
  std::function<void(const std::string&)> report_corruption;
};

// The log position a durable write was given.
struct LogPosition {
  uint64_t index = 0;
  std::string leaf_hash;   // 32 raw bytes, RFC 6962 leaf hash
  uint64_t tree_size = 0;  // log size right after this write's group
};

struct CommitResult {
  VersionRecord version;  // as stored, with log_index filled in
  LogPosition log;
  FeedEntry feed;
};

// One write to the generic record space (submissions, grants, agreements,
// peer state, audit entries): small values that need no log entry of their own.
struct RecordWrite {
  enum class Mode { kPut, kCreate /* AlreadyExists "record-exists" when present */, kDelete };
  std::string tenant;
  std::string collection;  // e.g. "submissions"; no NUL byte
  std::string id;
  std::string value;
  Mode mode = Mode::kPut;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;  // empty on the last page
};

// What a store hands out when it is copied whole (`dossierd migrate`): every
// row, tenant-scoped ones with their tenant's number (0: the operator's).
// The calls come in no particular order across kinds.
class StoreSink {
 public:
  virtual ~StoreSink() = default;
  virtual Status Tenant(const TenantRecord& tenant) = 0;
  virtual Status Token(uint64_t tenant_number, const TokenRecord& token) = 0;
  virtual Status Key(uint64_t tenant_number, const KeyRecord& key) = 0;
  // `bytes` reads the blob verified against its recorded digests.
  virtual Status Blob(uint64_t tenant_number, const BlobRecord& blob, BlobReader& bytes) = 0;
  virtual Status Object(uint64_t tenant_number, const ObjectRecord& object) = 0;
  virtual Status Version(uint64_t tenant_number, const VersionRecord& version) = 0;
  virtual Status Feed(uint64_t tenant_number, const FeedEntry& entry) = 0;
  virtual Status Record(uint64_t tenant_number, std::string_view collection, std::string_view id,
                        std::string_view value) = 0;
  virtual Status Setting(std::string_view name, std::string_view value) = 0;
  virtual Status LogLeaf(uint64_t index, std::string_view leaf_data) = 0;
  virtual Status LogNode(int level, uint64_t index, std::string_view hash) = 0;
  virtual Status LogSize(uint64_t size) = 0;
};

// What Store::Backup copied.
struct BackupResult {
  uint64_t log_size = 0;  // the log size the copy is consistent with
  uint64_t blobs = 0;
  uint64_t blob_bytes = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- Tenants. `number` is assigned by the store (ignored on input).
  virtual StatusOr<TenantRecord> CreateTenant(TenantRecord tenant) = 0;
  virtual StatusOr<TenantRecord> GetTenant(std::string_view id) const = 0;
  virtual StatusOr<std::vector<TenantRecord>> ListTenants() const = 0;

  // ---- Credentials. Tokens are found by the SHA-256 of their secret.
  virtual Status PutToken(const TokenRecord& token) = 0;
  virtual StatusOr<TokenRecord> GetTokenBySecretHash(std::string_view secret_hash) const = 0;
  virtual StatusOr<TokenRecord> GetToken(std::string_view tenant, std::string_view token_id) const = 0;
  virtual StatusOr<std::vector<TokenRecord>> ListTokens(std::string_view tenant) const = 0;
  // Idempotent: revoking a revoked token keeps its first revocation time.
  virtual StatusOr<TokenRecord> RevokeToken(std::string_view tenant, std::string_view token_id,
                                            int64_t now_ms) = 0;

  // ---- Signing keys. Registration and revocation are logged: `leaf_data` is
  // appended to the transparency log in the same atomic write.
  virtual StatusOr<KeyRecord> RegisterKey(KeyRecord key, std::string leaf_data) = 0;
  virtual StatusOr<KeyRecord> GetKey(std::string_view tenant, std::string_view key_id) const = 0;
  virtual StatusOr<std::vector<KeyRecord>> ListKeys(std::string_view tenant) const = 0;
  virtual StatusOr<KeyRecord> RevokeKey(std::string_view tenant, std::string_view key_id, int64_t revoked_ms,
                                        std::string leaf_data) = 0;

  // ---- Blobs: immutable bytes addressed by digest within a tenant.
  // A folder on the same file system as the blobs, for staging uploads.
  virtual std::filesystem::path StagingDir() const = 0;
  // Takes ownership of `staged_file` (moved or removed in every case), checks
  // that its SHA-256 equals `digest` ("sha256:<hex>"; reason
  // "digest-mismatch"), makes it durable and records it with the SHA-256 of
  // each kBlobChunkBytes chunk (computed in the same pass). Idempotent.
  virtual StatusOr<BlobRecord> AdoptBlob(std::string_view tenant, std::string_view digest,
                                         const std::filesystem::path& staged_file) = 0;
  virtual StatusOr<BlobRecord> GetBlob(std::string_view tenant, std::string_view digest) const = 0;
  // The bytes are only read through these two calls, which check them against
  // the recorded digests: a blob damaged on disk fails with DataLoss
  // "blob-corrupt" (reported once per blob, see
  // StoreOptions::report_corruption) and is never handed out.
  //
  // A recorded blob whole, for bytes parsed in memory (version content,
  // documents put into exports). NotFound when absent; FailedPrecondition
  // "blob-too-large" when larger than `max_bytes` (nothing is read);
  // Unavailable "io-error".
  virtual StatusOr<std::string> ReadBlob(std::string_view tenant, std::string_view digest,
                                         uint64_t max_bytes) const = 0;
  // A recorded blob for streaming (downloads, Range requests), verified chunk
  // by chunk as it is read. NotFound when absent. A blob recorded before chunk
  // digests existed is hashed whole here, so this may read the whole file.
  virtual StatusOr<std::shared_ptr<BlobReader>> OpenBlob(std::string_view tenant,
                                                         std::string_view digest) const = 0;

  // ---- Versioned objects (dossiers, change plans, ...), `kind` being the
  // collection name ("dossiers", "change-plans").
  virtual StatusOr<ObjectRecord> CreateObject(ObjectRecord object) = 0;  // "object-exists"
  virtual StatusOr<ObjectRecord> GetObject(std::string_view tenant, std::string_view kind,
                                           std::string_view id) const = 0;
  virtual StatusOr<Page<ObjectRecord>> ListObjects(std::string_view tenant, std::string_view kind,
                                                   std::string_view page_token, size_t page_size) const = 0;

  // Commits `version` (tenant, kind, id, version, content_digest, parent_digest,
  // ... filled in by the caller; log_index is assigned here). Preconditions,
  // checked atomically with the write: the object exists; version ==
  // head_version + 1 ("version-mismatch"); parent_digest == head_digest
  // ("parent-mismatch"). Appends `version.leaf_data` to the log and a feed
  // entry for the tenant.
  virtual StatusOr<CommitResult> CommitVersion(VersionRecord version) = 0;
  virtual StatusOr<VersionRecord> GetVersion(std::string_view tenant, std::string_view kind,
                                             std::string_view id, uint64_t version) const = 0;
  // Versions in ascending order, starting after the page token.
  virtual StatusOr<Page<VersionRecord>> ListVersions(std::string_view tenant, std::string_view kind,
                                                     std::string_view id, std::string_view page_token,
                                                     size_t page_size) const = 0;

  // ---- Feed: every committed version of a tenant, in commit order, seq from 1.
  virtual StatusOr<std::vector<FeedEntry>> ReadFeed(std::string_view tenant, uint64_t after_seq,
                                                    size_t limit) const = 0;

  // ---- Health.
  // Ok while writes are accepted. After a write failed for a storage reason
  // (a full disk: "storage-full"; a failed recovery that needs a restart:
  // "storage-failed"), that failure until writing resumes. Reads are served
  // either way. Thread-safe and cheap (no I/O).
  virtual Status WriteHealth() const = 0;

  // ---- Transparency log (server-wide, RFC 6962).
  virtual uint64_t LogSize() const = 0;
  virtual StatusOr<std::string> LogLeafData(uint64_t index) const = 0;
  // Root of the first `tree_size` leaves; tree_size <= LogSize().
  virtual StatusOr<std::string> LogRoot(uint64_t tree_size) const = 0;
  virtual StatusOr<std::vector<std::string>> LogInclusionProof(uint64_t index, uint64_t tree_size) const = 0;
  virtual StatusOr<std::vector<std::string>> LogConsistencyProof(uint64_t from_size,
                                                                 uint64_t to_size) const = 0;

  // ---- Generic tenant-scoped records. `writes` are applied atomically and
  // durably (one synced batch, possibly spanning tenants: a submission writes
  // into the manufacturer's and the regulator's space together). With
  // `sync` false the write is not fsynced before returning (for audit entries
  // written in batches by a background appender).
  virtual Status WriteRecords(const std::vector<RecordWrite>& writes, bool sync = true) = 0;
  virtual StatusOr<std::string> GetRecord(std::string_view tenant, std::string_view collection,
                                          std::string_view id) const = 0;  // NotFound
  // (id, value) pairs in id order after the page token (an id).
  virtual StatusOr<Page<std::pair<std::string, std::string>>> ListRecords(std::string_view tenant,
                                                                          std::string_view collection,
                                                                          std::string_view page_token,
                                                                          size_t page_size) const = 0;

  // ---- Small server-wide settings (e.g. whether the operator was bootstrapped).
  virtual StatusOr<std::optional<std::string>> GetSetting(std::string_view name) const = 0;
  virtual Status PutSetting(std::string_view name, std::string_view value) = 0;

  // ---- Deployment-wide leases: a background task that must run on one node
  // at a time (the reliance puller) runs while its node holds the lease.
  // Takes `name` for `holder` until now_ms + ttl_ms when it is free, expired
  // or already held by `holder` (renewing it); returns whether `holder` holds
  // it now. A store only one process can open (RocksDB) grants every request.
  virtual StatusOr<bool> AcquireLease(std::string_view name, std::string_view holder, int64_t now_ms,
                                      int64_t ttl_ms) = 0;

  // Runs RocksDB's own consistency checks and recomputes every stored Merkle
  // node from the leaves. Reports the first problem found.
  virtual Status Verify() const = 0;

  // A full scrub: Verify(), plus every version's leaf against the log, and
  // every blob's bytes against its digest. Returns one line per problem
  // (empty when all is well); fails only when the scrub itself cannot run.
  virtual StatusOr<std::vector<std::string>> Scrub() const = 0;

  // ---- Whole-store copies.
  // Writes a copy of the store into `to` (created; it must not exist) while
  // the store keeps serving: its database (`to`/db) as of one moment, hence
  // one log size, and every blob that database records (`to`/blobs). The
  // embedded store only: a PostgreSQL deployment uses PostgreSQL's own
  // backups (FailedPrecondition "backup-unsupported").
  virtual StatusOr<BackupResult> Backup(const std::filesystem::path& to) const;
  // Hands every row to `sink`, for copying into another backend. Callers keep
  // writers away meanwhile (dossierd migrate opens the store exclusively).
  virtual Status Export(StoreSink& sink) const;
};

// Opens (creating when absent) the embedded RocksDB store.
StatusOr<std::unique_ptr<Store>> OpenRocksStore(const StoreOptions& options);

}  // namespace dossier::storage
