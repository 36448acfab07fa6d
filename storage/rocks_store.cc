// The embedded RocksDB implementation of Store.
//
// Writes: every mutation is a small function run on one writer thread against
// a WriteBatchWithIndex (so it reads its own group's pending writes), then the
// whole group is written with one synced write. This is group commit made
// explicit: log indices are assigned in write order with no holes, because a
// failed mutation is rolled back to its save point before the next one runs,
// and a failed group write publishes nothing.
#include <fcntl.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/utilities/write_batch_with_index.h>
#include <unistd.h>

#include <rocksdb/cache.h>

#include <atomic>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <shared_mutex>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "common/decimal.h"
#include "common/time.h"
#include "storage/info_log.h"
#include "storage/key_codec.h"
#include "storage/store.h"
#include "trust/digest.h"
#include "trust/encoding.h"
#include "trust/merkle.h"

namespace dossier::storage {
namespace {

namespace fs = std::filesystem;

constexpr const char* kColumnFamilies[] = {"default", "tenants",  "credentials", "keys", "blobs",
                                           "objects", "versions", "feed",        "log",  "records"};
enum Cf { kDefault, kTenants, kCredentials, kKeys, kBlobs, kObjects, kVersions, kFeed, kLog, kRecords, kCfCount };

Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::Ok();
  std::string message = std::string(context) + ": " + s.ToString();
  if (s.IsNotFound()) return NotFound(std::move(message));
  if (s.IsNoSpace() || s.subcode() == rocksdb::Status::kSpaceLimit) {
    // Clients are told what happened, not the server's file names; RocksDB
    // reports the details to its LOG and stderr (storage/info_log.h).
    return ResourceExhausted("the server's disk is full; nothing was written (" + std::string(context) + ")",
                             "storage-full");
  }
  if (s.IsCorruption()) return DataLoss(std::move(message), "corruption");
  if (s.IsIOError()) return Unavailable(std::move(message), "io-error");
  return Internal(std::move(message), "storage-error");
}

template <typename Message>
StatusOr<Message> Decode(const std::string& bytes) {
  Message m;
  if (!m.ParseFromString(bytes)) return DataLoss("stored record does not parse", "corruption");
  return m;
}

// Blob files and the store's folders go through the same rocksdb::FileSystem
// as RocksDB's own files (StoreOptions::file_system, else the real one), so a
// fault-injecting file system sees their creations, renames and fsyncs too.
Status SyncFile(rocksdb::FileSystem& files, const fs::path& path) {
  std::unique_ptr<rocksdb::FSRandomRWFile> file;
  DOSSIER_RETURN_IF_ERROR(FromRocks(files.NewRandomRWFile(path, rocksdb::FileOptions(), &file, nullptr),
                                    "open " + path.string()));
  DOSSIER_RETURN_IF_ERROR(FromRocks(file->Fsync(rocksdb::IOOptions(), nullptr), "fsync " + path.string()));
  return FromRocks(file->Close(rocksdb::IOOptions(), nullptr), "close " + path.string());
}

Status SyncDirectory(rocksdb::FileSystem& files, const fs::path& path) {
  std::unique_ptr<rocksdb::FSDirectory> dir;
  DOSSIER_RETURN_IF_ERROR(
      FromRocks(files.NewDirectory(path, rocksdb::IOOptions(), &dir, nullptr), "open " + path.string()));
  DOSSIER_RETURN_IF_ERROR(FromRocks(dir->Fsync(rocksdb::IOOptions(), nullptr), "fsync " + path.string()));
  return FromRocks(dir->Close(rocksdb::IOOptions(), nullptr), "close " + path.string());
}

// Creates `dir` and any missing folder between `root` (which exists) and it.
// Returns whether anything was created (its parents then need an fsync).
StatusOr<bool> CreateFolders(rocksdb::FileSystem& files, const fs::path& root, const fs::path& dir) {
  std::vector<fs::path> missing;
  for (fs::path p = dir; p != root && !p.empty() && p != p.parent_path(); p = p.parent_path()) {
    bool exists = files.FileExists(p, rocksdb::IOOptions(), nullptr).ok();
    if (exists) break;
    missing.push_back(p);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    DOSSIER_RETURN_IF_ERROR(
        FromRocks(files.CreateDirIfMissing(*it, rocksdb::IOOptions(), nullptr), "create " + it->string()));
  }
  return !missing.empty();
}

// Everything one mutation may touch while the writer thread runs it.
class Txn {
 public:
  Txn(rocksdb::DB* db, rocksdb::WriteBatchWithIndex* batch, const std::vector<rocksdb::ColumnFamilyHandle*>& cfs,
      uint64_t* log_size)
      : db_(db), batch_(batch), cfs_(cfs), log_size_(log_size) {}

  // Reads committed state overlaid with this group's pending writes.
  StatusOr<std::optional<std::string>> Get(Cf cf, std::string_view key) const {
    std::string value;
    rocksdb::Status s = batch_->GetFromBatchAndDB(db_, rocksdb::ReadOptions(), cfs_[cf], key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromRocks(s, "read");
    return std::optional<std::string>(std::move(value));
  }

  template <typename Message>
  StatusOr<std::optional<Message>> GetRecord(Cf cf, std::string_view key) const {
    DOSSIER_ASSIGN_OR_RETURN(auto bytes, Get(cf, key));
    if (!bytes) return std::optional<Message>();
    DOSSIER_ASSIGN_OR_RETURN(Message m, Decode<Message>(*bytes));
    return std::optional<Message>(std::move(m));
  }

  Status Put(Cf cf, std::string_view key, std::string_view value) {
    return FromRocks(batch_->Put(cfs_[cf], key, value), "batch put");
  }
  Status Delete(Cf cf, std::string_view key) { return FromRocks(batch_->Delete(cfs_[cf], key), "batch delete"); }
  Status PutRecord(Cf cf, std::string_view key, const google::protobuf::MessageLite& m) {
    return Put(cf, key, m.SerializeAsString());
  }

  // Appends a leaf to the transparency log, with every subtree node it completes.
  StatusOr<LogPosition> AppendLeaf(std::string_view leaf_data) {
    const uint64_t index = *log_size_;
    std::string leaf_hash = trust::LeafHash(leaf_data);
    struct PendingSource : trust::MerkleNodeSource {
      const Txn* txn;
      StatusOr<std::string> CompleteSubtree(int level, uint64_t idx) const override {
        DOSSIER_ASSIGN_OR_RETURN(auto v, txn->Get(kLog, keys::LogNode(level, idx)));
        if (!v) return DataLoss("log node missing", "corruption");
        return *v;
      }
    } source;
    source.txn = this;
    DOSSIER_ASSIGN_OR_RETURN(auto nodes, trust::NodesCompletedByAppend(source, index, leaf_hash));
    DOSSIER_RETURN_IF_ERROR(Put(kLog, keys::LogLeaf(index), leaf_data));
    for (const auto& node : nodes) DOSSIER_RETURN_IF_ERROR(Put(kLog, keys::LogNode(node.level, node.index), node.hash));
    *log_size_ = index + 1;
    return LogPosition{index, std::move(leaf_hash), index + 1};
  }

  uint64_t log_size() const { return *log_size_; }

 private:
  rocksdb::DB* db_;
  rocksdb::WriteBatchWithIndex* batch_;
  const std::vector<rocksdb::ColumnFamilyHandle*>& cfs_;
  uint64_t* log_size_;
};

using Mutation = std::function<Status(Txn&)>;

class RocksStore final : public Store {
 public:
  explicit RocksStore(StoreOptions options)
      : options_(std::move(options)),
        files_(options_.file_system ? options_.file_system : rocksdb::FileSystem::Default()),
        corruption_reporter_(std::make_shared<CorruptionReporter>(options_.report_corruption)) {}

  ~RocksStore() override {
    {
      std::lock_guard lock(queue_mu_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    for (auto* cf : cfs_) {
      if (db_ && cf) db_->DestroyColumnFamilyHandle(cf).PermitUncheckedError();
    }
    if (db_) db_->Close().PermitUncheckedError();
  }

  Status Open() {
    std::error_code ec;
    fs::create_directories(options_.data_dir, ec);
    if (ec) return Unavailable("cannot create " + options_.data_dir.string() + ": " + ec.message(), "io-error");
    bool created = false;
    for (const fs::path& dir : {options_.data_dir / "db", options_.data_dir / "blobs", StagingDir()}) {
      DOSSIER_ASSIGN_OR_RETURN(bool made, CreateFolders(*files_, options_.data_dir, dir));
      created = created || made;
    }
    // Blob folders are synced as far up as blobs/; blobs/ itself must not
    // vanish with a power cut after the first start (crash sweep test).
    if (created) DOSSIER_RETURN_IF_ERROR(SyncDirectory(*files_, options_.data_dir));
    // Staged uploads that never completed are garbage after a restart.
    for (const auto& entry : fs::directory_iterator(StagingDir(), ec)) fs::remove(entry.path(), ec);

    rocksdb::Options db_options;
    db_options.create_if_missing = true;
    db_options.create_missing_column_families = true;
    db_options.paranoid_checks = true;
    // A torn last record is what a crash leaves and is dropped; corruption
    // anywhere else refuses to open instead of silently truncating the WAL
    // (the default point-in-time mode would drop acknowledged commits).
    db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
    db_options.IncreaseParallelism(2);
    db_options.max_open_files = 512;
    // Our own LOG writer: RocksDB's aborts the process once the disk is full
    // (see storage/info_log.h).
    db_options.info_log = NewInfoLog({.path = options_.data_dir / "db" / "LOG"});
    if (options_.file_system) {
      env_ = rocksdb::NewCompositeEnv(options_.file_system);
      db_options.env = env_.get();
    }
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = rocksdb::NewLRUCache(options_.block_cache_bytes);
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    rocksdb::ColumnFamilyOptions cf_options;
    cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    cf_options.compression = rocksdb::kLZ4Compression;
    cf_options.write_buffer_size = options_.write_buffer_bytes;

    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const char* name : kColumnFamilies) descriptors.emplace_back(name, cf_options);
    rocksdb::DB* db = nullptr;
    rocksdb::Status s =
        rocksdb::DB::Open(rocksdb::DBOptions(db_options), (options_.data_dir / "db").string(), descriptors, &cfs_, &db);
    if (!s.ok()) return FromRocks(s, "open store");
    db_.reset(db);

    DOSSIER_ASSIGN_OR_RETURN(auto size, ReadRaw(kDefault, keys::kLogSize));
    log_size_.store(size ? keys::ReadBigEndian64(*size) : 0);
    writer_ = std::thread([this] { WriterLoop(); });
    return Status::Ok();
  }

  // ---------------------------------------------------------------- tenants
  StatusOr<TenantRecord> CreateTenant(TenantRecord tenant) override {
    tenant.set_created_ms(tenant.created_ms() ? tenant.created_ms() : NowMs());
    DOSSIER_RETURN_IF_ERROR(Write([&](Txn& txn) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(auto existing, txn.Get(kTenants, tenant.id()));
      if (existing) return AlreadyExists("tenant " + tenant.id() + " exists", "tenant-exists");
      DOSSIER_ASSIGN_OR_RETURN(auto counter, txn.Get(kDefault, keys::kTenantCounter));
      uint64_t number = (counter ? keys::ReadBigEndian64(*counter) : 0) + 1;
      tenant.set_number(number);
      DOSSIER_RETURN_IF_ERROR(txn.Put(kDefault, keys::kTenantCounter, keys::BigEndian64(number)));
      return txn.PutRecord(kTenants, tenant.id(), tenant);
    }));
    return tenant;
  }

  StatusOr<TenantRecord> GetTenant(std::string_view id) const override {
    DOSSIER_ASSIGN_OR_RETURN(auto bytes, ReadRaw(kTenants, id));
    if (!bytes) return NotFound("tenant " + std::string(id) + " not found");
    return Decode<TenantRecord>(*bytes);
  }

  StatusOr<std::vector<TenantRecord>> ListTenants() const override {
    std::vector<TenantRecord> out;
    DOSSIER_RETURN_IF_ERROR(Scan(kTenants, "", "", 0, [&](std::string_view, const std::string& value) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(auto t, Decode<TenantRecord>(value));
      out.push_back(std::move(t));
      return Status::Ok();
    }));
    return out;
  }

  // ------------------------------------------------------------ credentials
  Status PutToken(const TokenRecord& token) override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(token.tenant()));
    Status written = Write([&](Txn& txn) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(auto existing, txn.Get(kCredentials, keys::TokenIndex(tn, token.id())));
      if (existing) return AlreadyExists("token id exists", "token-exists");
      DOSSIER_RETURN_IF_ERROR(txn.PutRecord(kCredentials, keys::TokenByHash(token.secret_hash()), token));
      return txn.Put(kCredentials, keys::TokenIndex(tn, token.id()), token.secret_hash());
    });
    TokenChanged(token.secret_hash());
    return written;
  }

  StatusOr<TokenRecord> GetTokenBySecretHash(std::string_view secret_hash) const override {
    uint64_t generation;
    {
      std::shared_lock lock(token_cache_mu_);
      if (auto it = token_cache_.find(std::string(secret_hash)); it != token_cache_.end()) return it->second;
      generation = token_generation_;
    }
    DOSSIER_ASSIGN_OR_RETURN(auto bytes, ReadRaw(kCredentials, keys::TokenByHash(secret_hash)));
    if (!bytes) return NotFound("unknown token");
    DOSSIER_ASSIGN_OR_RETURN(TokenRecord token, Decode<TokenRecord>(*bytes));
    std::unique_lock lock(token_cache_mu_);
    if (token_generation_ == generation) {
      if (token_cache_.size() >= kTokenCacheEntries) token_cache_.clear();
      token_cache_.emplace(std::string(secret_hash), token);
    }
    return token;
  }

  // After a token record changed (or may have): what any reader cached or is
  // about to cache from before the change is dropped.
  void TokenChanged(std::string_view secret_hash) const {
    std::unique_lock lock(token_cache_mu_);
    ++token_generation_;
    token_cache_.erase(std::string(secret_hash));
  }

  StatusOr<TokenRecord> GetToken(std::string_view tenant, std::string_view token_id) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(tenant));
    DOSSIER_ASSIGN_OR_RETURN(auto hash, ReadRaw(kCredentials, keys::TokenIndex(tn, token_id)));
    if (!hash) return NotFound("token not found");
    return GetTokenBySecretHash(*hash);
  }

  StatusOr<std::vector<TokenRecord>> ListTokens(std::string_view tenant) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(tenant));
    std::vector<TokenRecord> out;
    DOSSIER_RETURN_IF_ERROR(
        Scan(kCredentials, keys::TokenIndexPrefix(tn), "", 0, [&](std::string_view, const std::string& hash) -> Status {
          DOSSIER_ASSIGN_OR_RETURN(auto token, GetTokenBySecretHash(hash));
          out.push_back(std::move(token));
          return Status::Ok();
        }));
    return out;
  }

  StatusOr<TokenRecord> RevokeToken(std::string_view tenant, std::string_view token_id, int64_t now_ms) override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(tenant));
    TokenRecord result;
    DOSSIER_RETURN_IF_ERROR(Write([&](Txn& txn) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(auto hash, txn.Get(kCredentials, keys::TokenIndex(tn, token_id)));
      if (!hash) return NotFound("token not found");
      DOSSIER_ASSIGN_OR_RETURN(auto token, txn.GetRecord<TokenRecord>(kCredentials, keys::TokenByHash(*hash)));
      if (!token) return DataLoss("token index points nowhere", "corruption");
      if (token->revoked_ms() == 0) token->set_revoked_ms(now_ms);
      result = *token;
      return txn.PutRecord(kCredentials, keys::TokenByHash(*hash), *token);
    }));
    TokenChanged(result.secret_hash());
    return result;
  }

  // ------------------------------------------------------------------- keys
  StatusOr<KeyRecord> RegisterKey(KeyRecord key, std::string leaf_data) override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(key.tenant()));
    DOSSIER_RETURN_IF_ERROR(Write([&](Txn& txn) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(auto existing, txn.Get(kKeys, keys::Key(tn, key.key_id())));
      if (existing) return AlreadyExists("key " + key.key_id() + " is already registered", "key-exists");
      DOSSIER_ASSIGN_OR_RETURN(LogPosition pos, txn.AppendLeaf(leaf_data));
      key.set_log_index(pos.index);
      key.set_leaf_data(leaf_data);
      return txn.PutRecord(kKeys, keys::Key(tn, key.key_id()), key);
    }));
    return key;
  }

  StatusOr<KeyRecord> GetKey(std::string_view tenant, std::string_view key_id) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
    DOSSIER_ASSIGN_OR_RETURN(auto bytes, ReadRaw(kKeys, keys::Key(tn, key_id)));
    if (!bytes) return NotFound("key not found");
    return Decode<KeyRecord>(*bytes);
  }

  StatusOr<std::vector<KeyRecord>> ListKeys(std::string_view tenant) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
    std::vector<KeyRecord> out;
    DOSSIER_RETURN_IF_ERROR(
        Scan(kKeys, keys::TenantPrefix(tn), "", 0, [&](std::string_view, const std::string& value) -> Status {
          DOSSIER_ASSIGN_OR_RETURN(auto k, Decode<KeyRecord>(value));
          out.push_back(std::move(k));
          return Status::Ok();
        }));
    return out;
  }

  StatusOr<KeyRecord> RevokeKey(std::string_view tenant, std::string_view key_id, int64_t revoked_ms,
                                std::string leaf_data) override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
    KeyRecord result;
    DOSSIER_RETURN_IF_ERROR(Write([&](Txn& txn) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(auto key, txn.GetRecord<KeyRecord>(kKeys, keys::Key(tn, key_id)));
      if (!key) return NotFound("key not found");
      if (key->revoked_ms() != 0) {  // already revoked: keep the first revocation
        result = *key;
        return Status::Ok();
      }
      DOSSIER_ASSIGN_OR_RETURN(LogPosition pos, txn.AppendLeaf(leaf_data));
      key->set_revoked_ms(revoked_ms);
      key->set_revoked_log_index(pos.index);
      result = *key;
      return txn.PutRecord(kKeys, keys::Key(tn, key_id), *key);
    }));
    return result;
  }

  // ------------------------------------------------------------------ blobs
  fs::path StagingDir() const override { return options_.data_dir / "tmp"; }

  StatusOr<BlobRecord> AdoptBlob(std::string_view tenant, std::string_view digest,
                                 const fs::path& staged_file) override {
    struct RemoveOnExit {
      const fs::path& path;
      ~RemoveOnExit() {
        std::error_code ignored;
        fs::remove(path, ignored);
      }
    } cleanup{staged_file};
    auto tn = TenantNumber(tenant);
    if (!tn.ok()) return tn.status();
    DOSSIER_ASSIGN_OR_RETURN(std::string raw, trust::ParseDigestRef(digest));
    // One pass: the blob's digest and its chunk digests (for verified downloads).
    DOSSIER_ASSIGN_OR_RETURN(BlobHashes hashes, HashBlobFile(staged_file, kBlobChunkBytes));
    if (hashes.digest != raw) {
      return InvalidArgument(
          "the uploaded bytes hash to " + trust::DigestRef(hashes.digest) + ", not " + std::string(digest),
          "digest-mismatch");
    }
    if (auto existing = GetBlob(tenant, digest); existing.ok()) return existing;

    const uint64_t size = hashes.size;
    const fs::path final_path = BlobFile(*tn, raw);
    DOSSIER_RETURN_IF_ERROR(
        CreateFolders(*files_, options_.data_dir / "blobs", final_path.parent_path()).status());
    if (options_.sync_blobs) DOSSIER_RETURN_IF_ERROR(SyncFile(*files_, staged_file));
    DOSSIER_RETURN_IF_ERROR(FromRocks(
        files_->RenameFile(staged_file, final_path, rocksdb::IOOptions(), nullptr), "move blob into place"));
    if (options_.sync_blobs) {
      // The file's entry in its folder, and the folders' entries up to blobs/ (they may be new).
      DOSSIER_RETURN_IF_ERROR(SyncDirectory(*files_, final_path.parent_path()));
      DOSSIER_RETURN_IF_ERROR(SyncDirectory(*files_, final_path.parent_path().parent_path()));
      DOSSIER_RETURN_IF_ERROR(SyncDirectory(*files_, final_path.parent_path().parent_path().parent_path()));
    }
    BlobRecord record;
    record.set_tenant(std::string(tenant));
    record.set_digest(std::string(digest));
    record.set_size(size);
    record.set_created_ms(NowMs());
    record.set_chunk_size(kBlobChunkBytes);
    record.set_chunk_digests(std::move(hashes.chunk_digests));
    DOSSIER_RETURN_IF_ERROR(Write([&](Txn& txn) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(auto existing, txn.GetRecord<BlobRecord>(kBlobs, keys::Blob(*tn, raw)));
      if (existing) {
        record = *existing;
        return Status::Ok();
      }
      return txn.PutRecord(kBlobs, keys::Blob(*tn, raw), record);
    }));
    return record;
  }

  StatusOr<BlobRecord> GetBlob(std::string_view tenant, std::string_view digest) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
    DOSSIER_ASSIGN_OR_RETURN(std::string raw, trust::ParseDigestRef(digest));
    DOSSIER_ASSIGN_OR_RETURN(auto bytes, ReadRaw(kBlobs, keys::Blob(tn, raw)));
    if (!bytes) return NotFound("blob " + std::string(digest) + " not found");
    return Decode<BlobRecord>(*bytes);
  }

  StatusOr<std::string> ReadBlob(std::string_view tenant, std::string_view digest,
                                 uint64_t max_bytes) const override {
    DOSSIER_ASSIGN_OR_RETURN(StoredBlob blob, FindBlob(tenant, digest));
    return ReadStoredBlob(blob, max_bytes, *corruption_reporter_);
  }

  StatusOr<std::shared_ptr<BlobReader>> OpenBlob(std::string_view tenant,
                                                 std::string_view digest) const override {
    DOSSIER_ASSIGN_OR_RETURN(StoredBlob blob, FindBlob(tenant, digest));
    return OpenStoredBlob(std::move(blob), corruption_reporter_);
  }

  // ---------------------------------------------------------------- objects
  StatusOr<ObjectRecord> CreateObject(ObjectRecord object) override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(object.tenant()));
    object.set_created_ms(object.created_ms() ? object.created_ms() : NowMs());
    object.set_updated_ms(object.created_ms());
    object.set_head_version(0);
    object.clear_head_digest();
    DOSSIER_RETURN_IF_ERROR(Write([&](Txn& txn) -> Status {
      const std::string key = keys::Object(tn, object.kind(), object.id());
      DOSSIER_ASSIGN_OR_RETURN(auto existing, txn.Get(kObjects, key));
      if (existing) return AlreadyExists(object.kind() + "/" + object.id() + " exists", "object-exists");
      return txn.PutRecord(kObjects, key, object);
    }));
    return object;
  }

  StatusOr<ObjectRecord> GetObject(std::string_view tenant, std::string_view kind,
                                   std::string_view id) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
    DOSSIER_ASSIGN_OR_RETURN(auto bytes, ReadRaw(kObjects, keys::Object(tn, kind, id)));
    if (!bytes) return NotFound(std::string(kind) + "/" + std::string(id) + " not found");
    return Decode<ObjectRecord>(*bytes);
  }

  StatusOr<Page<ObjectRecord>> ListObjects(std::string_view tenant, std::string_view kind,
                                           std::string_view page_token, size_t page_size) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
    Page<ObjectRecord> page;
    const std::string prefix = keys::ObjectPrefix(tn, kind);
    DOSSIER_RETURN_IF_ERROR(Scan(kObjects, prefix, page_token, page_size + 1,
                                 [&](std::string_view, const std::string& value) -> Status {
                                   DOSSIER_ASSIGN_OR_RETURN(auto o, Decode<ObjectRecord>(value));
                                   page.items.push_back(std::move(o));
                                   return Status::Ok();
                                 }));
    if (page.items.size() > page_size) {
      page.items.pop_back();
      page.next_page_token = page.items.back().id();
    }
    return page;
  }

  StatusOr<CommitResult> CommitVersion(VersionRecord version) override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(version.tenant()));
    if (version.created_ms() == 0) version.set_created_ms(NowMs());
    CommitResult result;
    DOSSIER_RETURN_IF_ERROR(Write([&](Txn& txn) -> Status {
      const std::string object_key = keys::Object(tn, version.kind(), version.id());
      DOSSIER_ASSIGN_OR_RETURN(auto object, txn.GetRecord<ObjectRecord>(kObjects, object_key));
      if (!object) return NotFound(version.kind() + "/" + version.id() + " not found");
      if (version.version() != object->head_version() + 1) {
        return FailedPrecondition("version " + std::to_string(version.version()) + " does not follow head version " +
                                      std::to_string(object->head_version()),
                                  "version-mismatch");
      }
      if (version.parent_digest() != object->head_digest()) {
        return FailedPrecondition("parent " + version.parent_digest() + " is not the head " +
                                      (object->head_digest().empty() ? "(none)" : object->head_digest()),
                                  "parent-mismatch");
      }
      DOSSIER_ASSIGN_OR_RETURN(LogPosition pos, txn.AppendLeaf(version.leaf_data()));
      version.set_log_index(pos.index);
      object->set_head_version(version.version());
      object->set_head_digest(version.content_digest());
      object->set_updated_ms(version.created_ms());
      DOSSIER_RETURN_IF_ERROR(txn.PutRecord(kObjects, object_key, *object));
      DOSSIER_RETURN_IF_ERROR(
          txn.PutRecord(kVersions, keys::Version(tn, version.kind(), version.id(), version.version()), version));

      DOSSIER_ASSIGN_OR_RETURN(auto seq_bytes, txn.Get(kDefault, keys::FeedSeq(tn)));
      const uint64_t seq = (seq_bytes ? keys::ReadBigEndian64(*seq_bytes) : 0) + 1;
      DOSSIER_RETURN_IF_ERROR(txn.Put(kDefault, keys::FeedSeq(tn), keys::BigEndian64(seq)));
      FeedEntry feed;
      feed.set_seq(seq);
      feed.set_tenant(version.tenant());
      feed.set_kind(version.kind());
      feed.set_id(version.id());
      feed.set_version(version.version());
      feed.set_log_index(pos.index);
      feed.set_created_ms(version.created_ms());
      DOSSIER_RETURN_IF_ERROR(txn.PutRecord(kFeed, keys::Feed(tn, seq), feed));
      result.log = std::move(pos);
      result.feed = std::move(feed);
      return Status::Ok();
    }));
    result.version = std::move(version);
    result.log.tree_size = log_size_.load();
    return result;
  }

  StatusOr<VersionRecord> GetVersion(std::string_view tenant, std::string_view kind, std::string_view id,
                                     uint64_t version) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
    DOSSIER_ASSIGN_OR_RETURN(auto bytes, ReadRaw(kVersions, keys::Version(tn, kind, id, version)));
    if (!bytes) {
      return NotFound(std::string(kind) + "/" + std::string(id) + " has no version " + std::to_string(version));
    }
    return Decode<VersionRecord>(*bytes);
  }

  StatusOr<Page<VersionRecord>> ListVersions(std::string_view tenant, std::string_view kind, std::string_view id,
                                             std::string_view page_token, size_t page_size) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
    std::string start;
    if (!page_token.empty()) {
      StatusOr<uint64_t> after = ParseUint64(page_token, "pageToken");
      if (!after.ok()) {
        return InvalidArgument("page token is not one this server issued", "bad-page-token", "pageToken");
      }
      start = keys::BigEndian64(*after);
    }
    Page<VersionRecord> page;
    DOSSIER_RETURN_IF_ERROR(Scan(kVersions, keys::VersionPrefix(tn, kind, id), start, page_size + 1,
                                 [&](std::string_view, const std::string& value) -> Status {
                                   DOSSIER_ASSIGN_OR_RETURN(auto v, Decode<VersionRecord>(value));
                                   page.items.push_back(std::move(v));
                                   return Status::Ok();
                                 }));
    if (page.items.size() > page_size) {
      page.items.pop_back();
      page.next_page_token = std::to_string(page.items.back().version());
    }
    return page;
  }

  // ------------------------------------------------------------------- feed
  StatusOr<std::vector<FeedEntry>> ReadFeed(std::string_view tenant, uint64_t after_seq,
                                            size_t limit) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
    std::vector<FeedEntry> out;
    DOSSIER_RETURN_IF_ERROR(Scan(kFeed, keys::TenantPrefix(tn), keys::BigEndian64(after_seq), limit,
                                 [&](std::string_view, const std::string& value) -> Status {
                                   DOSSIER_ASSIGN_OR_RETURN(auto e, Decode<FeedEntry>(value));
                                   out.push_back(std::move(e));
                                   return Status::Ok();
                                 }));
    return out;
  }

  // -------------------------------------------------------------------- log
  uint64_t LogSize() const override { return log_size_.load(); }

  Status WriteHealth() const override {
    std::lock_guard lock(write_health_mu_);
    return write_health_;
  }

  StatusOr<std::string> LogLeafData(uint64_t index) const override {
    if (index >= LogSize()) return NotFound("log index " + std::to_string(index) + " is beyond the log");
    DOSSIER_ASSIGN_OR_RETURN(auto bytes, ReadRaw(kLog, keys::LogLeaf(index)));
    if (!bytes) return DataLoss("log leaf " + std::to_string(index) + " is missing", "corruption");
    return *bytes;
  }

  StatusOr<std::string> LogRoot(uint64_t tree_size) const override {
    DOSSIER_RETURN_IF_ERROR(CheckTreeSize(tree_size));
    return trust::RootHash(StoredNodes(), tree_size);
  }

  StatusOr<std::vector<std::string>> LogInclusionProof(uint64_t index, uint64_t tree_size) const override {
    DOSSIER_RETURN_IF_ERROR(CheckTreeSize(tree_size));
    if (index >= tree_size) {
      return InvalidArgument("leafIndex must be below treeSize", "bad-proof-request", "leafIndex");
    }
    return trust::InclusionProof(StoredNodes(), index, tree_size);
  }

  StatusOr<std::vector<std::string>> LogConsistencyProof(uint64_t from_size, uint64_t to_size) const override {
    DOSSIER_RETURN_IF_ERROR(CheckTreeSize(to_size));
    if (from_size == 0 || from_size > to_size) {
      return InvalidArgument("need 0 < from <= to", "bad-proof-request", "from");
    }
    return trust::ConsistencyProof(StoredNodes(), from_size, to_size);
  }

  // ---------------------------------------------------------------- records
  Status WriteRecords(const std::vector<RecordWrite>& writes, bool sync) override {
    std::vector<std::string> keys_to_write;
    for (const auto& w : writes) {
      if (w.collection.find('\0') != std::string::npos || w.id.empty()) {
        return InvalidArgument("bad record name", "bad-record");
      }
      DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(w.tenant));
      keys_to_write.push_back(keys::Record(tn, w.collection, w.id));
    }
    return Write(
        [&](Txn& txn) -> Status {
          for (size_t i = 0; i < writes.size(); ++i) {
            const auto& w = writes[i];
            if (w.mode == RecordWrite::Mode::kCreate) {
              DOSSIER_ASSIGN_OR_RETURN(auto existing, txn.Get(kRecords, keys_to_write[i]));
              if (existing) return AlreadyExists(w.collection + "/" + w.id + " exists", "record-exists");
            }
            if (w.mode == RecordWrite::Mode::kDelete) {
              DOSSIER_RETURN_IF_ERROR(txn.Delete(kRecords, keys_to_write[i]));
            } else {
              DOSSIER_RETURN_IF_ERROR(txn.Put(kRecords, keys_to_write[i], w.value));
            }
          }
          return Status::Ok();
        },
        sync);
  }

  StatusOr<std::string> GetRecord(std::string_view tenant, std::string_view collection,
                                  std::string_view id) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(tenant));
    DOSSIER_ASSIGN_OR_RETURN(auto bytes, ReadRaw(kRecords, keys::Record(tn, collection, id)));
    if (!bytes) return NotFound(std::string(collection) + "/" + std::string(id) + " not found");
    return *bytes;
  }

  StatusOr<Page<std::pair<std::string, std::string>>> ListRecords(std::string_view tenant, std::string_view collection,
                                                                  std::string_view page_token,
                                                                  size_t page_size) const override {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(tenant));
    Page<std::pair<std::string, std::string>> page;
    DOSSIER_RETURN_IF_ERROR(Scan(kRecords, keys::RecordPrefix(tn, collection), page_token, page_size + 1,
                                 [&](std::string_view id, const std::string& value) -> Status {
                                   page.items.emplace_back(std::string(id), value);
                                   return Status::Ok();
                                 }));
    if (page.items.size() > page_size) {
      page.items.pop_back();
      page.next_page_token = page.items.back().first;
    }
    return page;
  }

  // --------------------------------------------------------------- settings
  StatusOr<std::optional<std::string>> GetSetting(std::string_view name) const override {
    return ReadRaw(kDefault, keys::Setting(name));
  }

  Status PutSetting(std::string_view name, std::string_view value) override {
    return Write([&](Txn& txn) { return txn.Put(kDefault, keys::Setting(name), value); });
  }

  // One process owns the database (RocksDB's LOCK file), so it holds every lease.
  StatusOr<bool> AcquireLease(std::string_view, std::string_view, int64_t, int64_t) override { return true; }

  Status Verify() const override {
    DOSSIER_RETURN_IF_ERROR(FromRocks(db_->VerifyChecksum(), "verify checksums"));
    // Recompute every complete-subtree node from the stored leaves.
    const uint64_t size = LogSize();
    trust::MemoryMerkleTree tree;
    for (uint64_t i = 0; i < size; ++i) {
      DOSSIER_ASSIGN_OR_RETURN(std::string leaf, LogLeafData(i));
      tree.Append(trust::LeafHash(leaf));
    }
    auto stored = StoredNodes();
    for (int level = 0; (uint64_t{1} << level) <= size; ++level) {
      for (uint64_t idx = 0; ((idx + 1) << level) <= size; ++idx) {
        DOSSIER_ASSIGN_OR_RETURN(std::string want, tree.CompleteSubtree(level, idx));
        auto got = stored.CompleteSubtree(level, idx);
        if (!got.ok() || *got != want) {
          return DataLoss("log node (level " + std::to_string(level) + ", index " + std::to_string(idx) +
                              ") does not match its leaves",
                          "corruption");
        }
      }
    }
    return Status::Ok();
  }

  StatusOr<std::vector<std::string>> Scrub() const override {
    std::vector<std::string> problems;
    if (Status s = Verify(); !s.ok()) problems.push_back("log/store: " + s.message());
    DOSSIER_ASSIGN_OR_RETURN(auto tenants, ListTenants());
    for (const auto& tenant : tenants) {
      const std::string prefix = keys::TenantPrefix(tenant.number());
      // Every version's leaf is the log's leaf at its index.
      DOSSIER_RETURN_IF_ERROR(Scan(kVersions, prefix, "", 0, [&](std::string_view, const std::string& value) -> Status {
        auto v = Decode<VersionRecord>(value);
        if (!v.ok()) {
          problems.push_back("tenant " + tenant.id() + ": a version record does not parse");
          return Status::Ok();
        }
        const std::string where = tenant.id() + "/" + v->kind() + "/" + v->id() + " version " +
                                  std::to_string(v->version());
        auto leaf = LogLeafData(v->log_index());
        if (!leaf.ok()) {
          problems.push_back(where + ": log leaf " + std::to_string(v->log_index()) + " is missing");
        } else if (*leaf != v->leaf_data()) {
          problems.push_back(where + ": log leaf " + std::to_string(v->log_index()) + " differs from the version");
        }
        auto blob = GetBlob(tenant.id(), v->content_digest());
        if (!blob.ok()) problems.push_back(where + ": content blob " + v->content_digest() + " is missing");
        return Status::Ok();
      }));
      // Every blob's bytes hash to its name, and to its recorded chunk digests.
      DOSSIER_RETURN_IF_ERROR(
          Scan(kBlobs, prefix, "", 0, [&](std::string_view key, const std::string& value) -> Status {
            const std::string raw(key);
            const fs::path path = BlobFile(tenant.number(), raw);
            auto record = Decode<BlobRecord>(value);
            const uint32_t chunk_size =
                record.ok() && record->chunk_size() != 0 ? record->chunk_size() : kBlobChunkBytes;
            auto actual = HashBlobFile(path, chunk_size);
            if (!actual.ok()) {
              problems.push_back("tenant " + tenant.id() + ": blob " + trust::DigestRef(raw) +
                                 " is unreadable (" + path.string() + ")");
            } else if (actual->digest != raw) {
              problems.push_back("tenant " + tenant.id() + ": blob " + trust::DigestRef(raw) +
                                 " is corrupt: its bytes hash to " + trust::DigestRef(actual->digest) + " (" +
                                 path.string() + ")");
            } else if (!record.ok() || record->size() != actual->size ||
                       (record->chunk_size() != 0 && record->chunk_digests() != actual->chunk_digests)) {
              problems.push_back(
                  "tenant " + tenant.id() + ": blob " + trust::DigestRef(raw) +
                  " has a damaged record (size or chunk digests differ from its intact bytes)");
            }
            return Status::Ok();
          }));
    }
    return problems;
  }

  // RocksDB's checkpoint is the database as of one write (the WAL is copied
  // with it where memtables are not flushed), so the log size it records is
  // the one every copied version, key and leaf agree with. The blobs its
  // records name were made durable before those records were written and are
  // never changed afterwards, so copying them after the checkpoint is
  // consistent with it. Blobs are copied, not linked: a backup shares no
  // inode with the live data.
  StatusOr<BackupResult> Backup(const fs::path& to) const override {
    std::error_code ec;
    if (fs::exists(to, ec)) {
      return FailedPrecondition(to.string() + " exists; a backup goes into a new folder", "backup-target-exists");
    }
    fs::create_directories(to, ec);
    if (ec) return Unavailable("cannot create " + to.string() + ": " + ec.message(), "io-error");
    fs::permissions(to, fs::perms::owner_all, ec);
    rocksdb::Checkpoint* raw_checkpoint = nullptr;
    DOSSIER_RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(db_.get(), &raw_checkpoint), "checkpoint"));
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw_checkpoint);
    DOSSIER_RETURN_IF_ERROR(FromRocks(checkpoint->CreateCheckpoint((to / "db").string()), "checkpoint"));

    // Read the copy, not the live database: its log size and blob list are
    // the checkpoint's, whatever was written since.
    rocksdb::Options read_only;
    read_only.info_log = NewInfoLog({.path = to / "db" / "LOG"});
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const char* name : kColumnFamilies) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* copy_raw = nullptr;
    DOSSIER_RETURN_IF_ERROR(FromRocks(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(read_only),
                                                                   (to / "db").string(), descriptors, &handles,
                                                                   &copy_raw),
                                      "open the checkpoint"));
    std::unique_ptr<rocksdb::DB> copy(copy_raw);
    struct CloseHandles {
      rocksdb::DB* db;
      std::vector<rocksdb::ColumnFamilyHandle*>& handles;
      ~CloseHandles() {
        for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
      }
    } close_handles{copy.get(), handles};

    BackupResult result;
    std::string size_bytes;
    rocksdb::Status got = copy->Get(rocksdb::ReadOptions(), handles[kDefault], keys::kLogSize, &size_bytes);
    if (!got.ok() && !got.IsNotFound()) return FromRocks(got, "read the checkpoint's log size");
    result.log_size = got.ok() ? keys::ReadBigEndian64(size_bytes) : 0;

    std::unique_ptr<rocksdb::Iterator> it(copy->NewIterator(rocksdb::ReadOptions(), handles[kBlobs]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string_view key(it->key().data(), it->key().size());
      if (key.size() != 8 + trust::kSha256Size) return DataLoss("a blob key has the wrong length", "corruption");
      const fs::path source = BlobFile(keys::ReadBigEndian64(key), key.substr(8));
      const fs::path target = to / fs::relative(source, options_.data_dir);
      fs::create_directories(target.parent_path(), ec);
      if (!ec) fs::copy_file(source, target, ec);
      if (ec) return Unavailable("copy blob " + source.string() + ": " + ec.message(), "io-error");
      DOSSIER_RETURN_IF_ERROR(SyncFile(*files_, target));
      result.blobs += 1;
      result.blob_bytes += fs::file_size(target, ec);
    }
    DOSSIER_RETURN_IF_ERROR(FromRocks(it->status(), "list the checkpoint's blobs"));
    it.reset();
    // Every folder the copies were put in, then the backup folder itself.
    if (fs::exists(to / "blobs", ec)) {
      for (const auto& entry : fs::recursive_directory_iterator(to / "blobs", ec)) {
        if (entry.is_directory(ec)) DOSSIER_RETURN_IF_ERROR(SyncDirectory(*files_, entry.path()));
      }
      DOSSIER_RETURN_IF_ERROR(SyncDirectory(*files_, to / "blobs"));
    }
    DOSSIER_RETURN_IF_ERROR(SyncDirectory(*files_, to));
    return result;
  }

  Status Export(StoreSink& sink) const override {
    std::unordered_map<uint64_t, std::string> tenant_ids;
    DOSSIER_RETURN_IF_ERROR(Scan(kTenants, "", "", 0, [&](std::string_view, const std::string& value) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(auto t, Decode<TenantRecord>(value));
      tenant_ids[t.number()] = t.id();
      return sink.Tenant(t);
    }));
    // Keys of tenant-scoped families start with the tenant's number.
    auto number_of = [](std::string_view key) -> StatusOr<uint64_t> {
      if (key.size() < 8) return DataLoss("a stored key is shorter than its tenant prefix", "corruption");
      return keys::ReadBigEndian64(key);
    };
    DOSSIER_RETURN_IF_ERROR(Scan(kCredentials, "h", "", 0, [&](std::string_view, const std::string& value) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(auto token, Decode<TokenRecord>(value));
      DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(token.tenant()));
      return sink.Token(tn, token);
    }));
    DOSSIER_RETURN_IF_ERROR(Scan(kKeys, "", "", 0, [&](std::string_view key, const std::string& value) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, number_of(key));
      DOSSIER_ASSIGN_OR_RETURN(auto k, Decode<KeyRecord>(value));
      return sink.Key(tn, k);
    }));
    DOSSIER_RETURN_IF_ERROR(Scan(kBlobs, "", "", 0, [&](std::string_view key, const std::string& value) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, number_of(key));
      DOSSIER_ASSIGN_OR_RETURN(auto record, Decode<BlobRecord>(value));
      StoredBlob blob;
      blob.raw_digest = std::string(key.substr(8));
      blob.path = BlobFile(tn, blob.raw_digest);
      blob.tenant = tenant_ids[tn];
      blob.digest = record.digest();
      blob.size = record.size();
      blob.chunk_size = record.chunk_size();
      blob.chunk_digests = record.chunk_digests();
      DOSSIER_ASSIGN_OR_RETURN(auto reader, OpenStoredBlob(std::move(blob), corruption_reporter_));
      return sink.Blob(tn, record, *reader);
    }));
    DOSSIER_RETURN_IF_ERROR(Scan(kObjects, "", "", 0, [&](std::string_view key, const std::string& value) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, number_of(key));
      DOSSIER_ASSIGN_OR_RETURN(auto o, Decode<ObjectRecord>(value));
      return sink.Object(tn, o);
    }));
    DOSSIER_RETURN_IF_ERROR(Scan(kVersions, "", "", 0, [&](std::string_view key, const std::string& value) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, number_of(key));
      DOSSIER_ASSIGN_OR_RETURN(auto v, Decode<VersionRecord>(value));
      return sink.Version(tn, v);
    }));
    DOSSIER_RETURN_IF_ERROR(Scan(kFeed, "", "", 0, [&](std::string_view key, const std::string& value) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, number_of(key));
      DOSSIER_ASSIGN_OR_RETURN(auto e, Decode<FeedEntry>(value));
      return sink.Feed(tn, e);
    }));
    DOSSIER_RETURN_IF_ERROR(Scan(kRecords, "", "", 0, [&](std::string_view key, const std::string& value) -> Status {
      DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, number_of(key));
      const std::string_view rest = key.substr(8);
      const size_t nul = rest.find('\0');
      if (nul == std::string_view::npos) return DataLoss("a record key has no collection", "corruption");
      return sink.Record(tn, rest.substr(0, nul), rest.substr(nul + 1), value);
    }));
    const std::string setting_prefix = keys::Setting("");
    DOSSIER_RETURN_IF_ERROR(
        Scan(kDefault, setting_prefix, "", 0, [&](std::string_view name, const std::string& value) -> Status {
          return sink.Setting(name, value);
        }));
    DOSSIER_RETURN_IF_ERROR(Scan(kLog, "", "", 0, [&](std::string_view key, const std::string& value) -> Status {
      if (key.size() == 9 && key[0] == 'l') return sink.LogLeaf(keys::ReadBigEndian64(key.substr(1)), value);
      if (key.size() == 10 && key[0] == 'n') {
        return sink.LogNode(static_cast<unsigned char>(key[1]), keys::ReadBigEndian64(key.substr(2)), value);
      }
      return DataLoss("an unknown key in the log", "corruption");
    }));
    return sink.LogSize(LogSize());
  }

 private:
  class StoredNodeSource : public trust::MerkleNodeSource {
   public:
    explicit StoredNodeSource(const RocksStore* store) : store_(store) {}
    StatusOr<std::string> CompleteSubtree(int level, uint64_t index) const override {
      DOSSIER_ASSIGN_OR_RETURN(auto v, store_->ReadRaw(kLog, keys::LogNode(level, index)));
      if (!v) return DataLoss("log node missing", "corruption");
      return *v;
    }

   private:
    const RocksStore* store_;
  };
  StoredNodeSource StoredNodes() const { return StoredNodeSource(this); }

  Status CheckTreeSize(uint64_t tree_size) const {
    if (tree_size > LogSize()) {
      return InvalidArgument("treeSize " + std::to_string(tree_size) + " is beyond the log size " +
                                 std::to_string(LogSize()),
                             "bad-proof-request", "treeSize");
    }
    return Status::Ok();
  }

  StatusOr<StoredBlob> FindBlob(std::string_view tenant, std::string_view digest) const {
    DOSSIER_ASSIGN_OR_RETURN(BlobRecord record, GetBlob(tenant, digest));
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
    StoredBlob blob;
    DOSSIER_ASSIGN_OR_RETURN(blob.raw_digest, trust::ParseDigestRef(digest));
    blob.path = BlobFile(tn, blob.raw_digest);
    blob.tenant = std::string(tenant);
    blob.digest = std::string(digest);
    blob.size = record.size();
    blob.chunk_size = record.chunk_size();
    blob.chunk_digests = std::move(*record.mutable_chunk_digests());
    return blob;
  }

  fs::path BlobFile(uint64_t tn, std::string_view raw_digest) const {
    const std::string hex = trust::HexEncode(raw_digest);
    return options_.data_dir / "blobs" / trust::HexEncode(keys::BigEndian64(tn)) / hex.substr(0, 2) / hex;
  }

  StatusOr<std::optional<std::string>> ReadRaw(Cf cf, std::string_view key) const {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cfs_[cf], key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromRocks(s, "read");
    return std::optional<std::string>(std::move(value));
  }

  // Visits keys that start with `prefix` and whose remainder is > `after`
  // (all of them when `after` is empty), at most `limit` (0: unlimited).
  Status Scan(Cf cf, const std::string& prefix, std::string_view after, size_t limit,
              const std::function<Status(std::string_view key, const std::string& value)>& visit) const {
    rocksdb::ReadOptions read_options;
    std::string upper = keys::PrefixSuccessor(prefix);
    rocksdb::Slice upper_slice(upper);
    if (!prefix.empty()) read_options.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, cfs_[cf]));
    const std::string start = prefix + std::string(after);
    size_t count = 0;
    for (it->Seek(start); it->Valid(); it->Next()) {
      std::string_view key(it->key().data(), it->key().size());
      if (!after.empty() && key == start) continue;
      if (limit != 0 && count >= limit) break;
      DOSSIER_RETURN_IF_ERROR(visit(key.substr(prefix.size()), it->value().ToString()));
      ++count;
    }
    return FromRocks(it->status(), "scan");
  }

  StatusOr<uint64_t> TenantNumber(std::string_view tenant) const {
    {
      std::shared_lock lock(tenant_cache_mu_);
      auto it = tenant_cache_.find(std::string(tenant));
      if (it != tenant_cache_.end()) return it->second;
    }
    DOSSIER_ASSIGN_OR_RETURN(TenantRecord record, GetTenant(tenant));
    std::unique_lock lock(tenant_cache_mu_);
    tenant_cache_.emplace(record.id(), record.number());  // tenants are never renumbered
    return record.number();
  }

  StatusOr<uint64_t> TenantNumberOrOperator(std::string_view tenant) const {
    if (tenant.empty()) return uint64_t{0};
    return TenantNumber(tenant);
  }

  // Queues `mutation` for the writer thread and waits until its group is durable.
  // `sync` false: the write joins a group but does not by itself require an
  // fsync (it is durable once any later synced group lands).
  Status Write(Mutation mutation, bool sync = true) {
    struct Pending {
      Mutation* mutation;
      std::promise<Status> done;
    } pending{&mutation, {}};
    std::future<Status> future = pending.done.get_future();
    {
      std::lock_guard lock(queue_mu_);
      if (stopping_) return Unavailable("store is closing", "shutting-down");
      queue_.push_back([&pending](Txn& txn) { return (*pending.mutation)(txn); });
      promises_.push_back(&pending.done);
      syncs_.push_back(sync);
    }
    queue_cv_.notify_one();
    return future.get();
  }

  void WriterLoop() {
    for (;;) {
      std::vector<Mutation> group;
      std::vector<std::promise<Status>*> promises;
      bool sync = false;
      {
        std::unique_lock lock(queue_mu_);
        queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and drained
        while (!queue_.empty() && group.size() < options_.max_group_size) {
          group.push_back(std::move(queue_.front()));
          promises.push_back(promises_.front());
          sync = sync || syncs_.front();
          queue_.pop_front();
          promises_.pop_front();
          syncs_.pop_front();
        }
      }
      std::vector<Status> results = RunGroup(group, sync);
      for (size_t i = 0; i < promises.size(); ++i) promises[i]->set_value(std::move(results[i]));
    }
  }

  // Only storage failures make the store unhealthy; anything else is a
  // problem of one write.
  void SetWriteHealth(const Status& written) {
    const std::string reason = written.reason();
    const bool storage_failure = reason == "storage-full" || reason == "storage-failed" || reason == "io-error";
    std::lock_guard lock(write_health_mu_);
    write_health_ = storage_failure ? written : Status::Ok();
  }

  std::vector<Status> RunGroup(std::vector<Mutation>& group, bool sync) {
    rocksdb::WriteBatchWithIndex batch(rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true);
    const uint64_t committed_log_size = log_size_.load();
    uint64_t pending_log_size = committed_log_size;
    std::vector<Status> results(group.size());
    bool any_ok = false;
    for (size_t i = 0; i < group.size(); ++i) {
      batch.SetSavePoint();
      const uint64_t saved_log_size = pending_log_size;
      Txn txn(db_.get(), &batch, cfs_, &pending_log_size);
      Status s;
      try {
        s = group[i](txn);
      } catch (const std::exception& e) {
        s = Internal(std::string("write failed: ") + e.what());
      }
      if (s.ok()) {
        any_ok = true;
        batch.PopSavePoint().PermitUncheckedError();
      } else {
        batch.RollbackToSavePoint().PermitUncheckedError();
        pending_log_size = saved_log_size;
      }
      results[i] = std::move(s);
    }
    if (!any_ok) return results;
    if (pending_log_size != committed_log_size) {
      batch.Put(cfs_[kDefault], keys::kLogSize, keys::BigEndian64(pending_log_size)).PermitUncheckedError();
    }
    rocksdb::WriteOptions write_options;
    write_options.sync = options_.sync_writes && sync;
    // After a failed write RocksDB stops writing (a background error) until
    // it is resumed. For a full disk its SstFileManager resumes by itself once
    // write_buffer_bytes are free again, and Resume() answers Busy meanwhile:
    // then the failure that stopped writing is still the answer (507 for a
    // full disk), not an internal error.
    Status written;
    if (needs_resume_) {
      rocksdb::Status resumed = db_->Resume();
      if (resumed.ok()) {
        needs_resume_ = false;
      } else {
        written = resumed.IsBusy() ? last_write_failure_ : FromRocks(resumed, "resume after a failed write");
        // A failure during RocksDB's own recovery (the disk filled up again
        // while it flushed) is final for this process: only reopening the
        // database, i.e. restarting dossierd, resumes writing.
        if (resumed.severity() >= rocksdb::Status::Severity::kFatalError) {
          written = Unavailable("the store stopped writing after a failed recovery from a storage error; "
                                "restart dossierd once the disk has space",
                                "storage-failed");
        }
      }
    }
    if (written.ok()) written = FromRocks(db_->Write(write_options, batch.GetWriteBatch()), "durable write");
    SetWriteHealth(written);
    if (!written.ok()) {
      if (!needs_resume_) last_write_failure_ = written;
      needs_resume_ = true;
      for (auto& r : results) {
        if (r.ok()) r = written;
      }
      return results;
    }
    log_size_.store(pending_log_size);
    return results;
  }

  StoreOptions options_;
  std::shared_ptr<rocksdb::FileSystem> files_;               // options_.file_system, else the real one
  std::shared_ptr<CorruptionReporter> corruption_reporter_;  // shared with open BlobReaders
  std::unique_ptr<rocksdb::Env> env_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;
  std::atomic<uint64_t> log_size_{0};
  bool needs_resume_ = false;  // writer thread only
  Status last_write_failure_;  // writer thread only; why writing stopped
  mutable std::mutex write_health_mu_;
  Status write_health_;  // guarded by write_health_mu_; see WriteHealth()

  mutable std::shared_mutex tenant_cache_mu_;
  mutable std::unordered_map<std::string, uint64_t> tenant_cache_;

  // Token records by secret hash: every authenticated request reads one, and a
  // RocksDB point read was a large part of a cheap GET. Correct because this
  // process is the store's only writer (RocksDB locks the directory) and
  // every change of a token record goes through PutToken or RevokeToken,
  // which bump token_generation_ and drop the entry once they committed; a
  // reader caches what it read only if no change happened meanwhile, so a
  // revocation is seen by the next request. Expiry and revocation times are
  // still compared with the clock on every use (server/api_core.cc).
  static constexpr size_t kTokenCacheEntries = 4096;  // then emptied, not evicted: tokens are few
  mutable std::shared_mutex token_cache_mu_;
  mutable std::unordered_map<std::string, TokenRecord> token_cache_;
  mutable uint64_t token_generation_ = 0;  // under token_cache_mu_

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Mutation> queue_;
  std::deque<std::promise<Status>*> promises_;
  std::deque<bool> syncs_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace

StatusOr<std::unique_ptr<Store>> OpenRocksStore(const StoreOptions& options) {
  if (options.data_dir.empty()) return InvalidArgument("data_dir is required", "bad-options", "data_dir");
  auto store = std::make_unique<RocksStore>(options);
  DOSSIER_RETURN_IF_ERROR(store->Open());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace dossier::storage
