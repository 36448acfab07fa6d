// The PostgreSQL Store's class, shared by its translation units:
// pg_store.cc (opening, group commit, tenants, credentials, keys, objects,
// versions, records, settings), pg_store_blobs.cc (blobs in chunk rows) and
// pg_store_log.cc (log reads, Verify, Scrub). Not a public header.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "storage/pg_conn.h"
#include "storage/pg_store.h"
#include "trust/merkle.h"

namespace dossier::storage {

template <typename Message>
StatusOr<Message> DecodeRow(const std::string& bytes) {
  Message m;
  if (!m.ParseFromString(bytes)) return DataLoss("stored record does not parse", "corruption");
  return m;
}

// What one write may do while the group's transaction is open: statements on
// the group's connection (they see the group's earlier writes) and appending
// to the log, whose head row the transaction holds locked.
class PgTxn {
 public:
  PgTxn(pg::Connection& conn, uint64_t* log_size) : conn_(conn), log_size_(log_size) {}
  StatusOr<pg::Result> Exec(std::string_view sql, const std::vector<pg::Param>& params = {}) {
    return conn_.Exec(sql, params);
  }
  Status Run(std::string_view sql, const std::vector<pg::Param>& params = {}) {
    return conn_.Run(sql, params);
  }
  // Appends a leaf with every subtree node it completes.
  StatusOr<LogPosition> AppendLeaf(std::string_view leaf_data);

 private:
  pg::Connection& conn_;
  uint64_t* log_size_;
};

class PgStore final : public Store {
 public:
  explicit PgStore(PostgresStoreOptions options);
  ~PgStore() override;
  Status Open();

  StatusOr<TenantRecord> CreateTenant(TenantRecord tenant) override;
  StatusOr<TenantRecord> GetTenant(std::string_view id) const override;
  StatusOr<std::vector<TenantRecord>> ListTenants() const override;

  Status PutToken(const TokenRecord& token) override;
  StatusOr<TokenRecord> GetTokenBySecretHash(std::string_view secret_hash) const override;
  StatusOr<TokenRecord> GetToken(std::string_view tenant, std::string_view token_id) const override;
  StatusOr<std::vector<TokenRecord>> ListTokens(std::string_view tenant) const override;
  StatusOr<TokenRecord> RevokeToken(std::string_view tenant, std::string_view token_id,
                                    int64_t now_ms) override;

  StatusOr<KeyRecord> RegisterKey(KeyRecord key, std::string leaf_data) override;
  StatusOr<KeyRecord> GetKey(std::string_view tenant, std::string_view key_id) const override;
  StatusOr<std::vector<KeyRecord>> ListKeys(std::string_view tenant) const override;
  StatusOr<KeyRecord> RevokeKey(std::string_view tenant, std::string_view key_id, int64_t revoked_ms,
                                std::string leaf_data) override;

  std::filesystem::path StagingDir() const override { return options_.staging_dir; }
  StatusOr<BlobRecord> AdoptBlob(std::string_view tenant, std::string_view digest,
                                 const std::filesystem::path& staged_file) override;
  StatusOr<BlobRecord> GetBlob(std::string_view tenant, std::string_view digest) const override;
  StatusOr<std::string> ReadBlob(std::string_view tenant, std::string_view digest,
                                 uint64_t max_bytes) const override;
  StatusOr<std::shared_ptr<BlobReader>> OpenBlob(std::string_view tenant,
                                                 std::string_view digest) const override;

  StatusOr<ObjectRecord> CreateObject(ObjectRecord object) override;
  StatusOr<ObjectRecord> GetObject(std::string_view tenant, std::string_view kind,
                                   std::string_view id) const override;
  StatusOr<Page<ObjectRecord>> ListObjects(std::string_view tenant, std::string_view kind,
                                           std::string_view page_token, size_t page_size) const override;
  StatusOr<CommitResult> CommitVersion(VersionRecord version) override;
  StatusOr<VersionRecord> GetVersion(std::string_view tenant, std::string_view kind, std::string_view id,
                                     uint64_t version) const override;
  StatusOr<Page<VersionRecord>> ListVersions(std::string_view tenant, std::string_view kind,
                                             std::string_view id, std::string_view page_token,
                                             size_t page_size) const override;
  StatusOr<std::vector<FeedEntry>> ReadFeed(std::string_view tenant, uint64_t after_seq,
                                            size_t limit) const override;

  Status WriteHealth() const override;
  uint64_t LogSize() const override;
  StatusOr<std::string> LogLeafData(uint64_t index) const override;
  StatusOr<std::string> LogRoot(uint64_t tree_size) const override;
  StatusOr<std::vector<std::string>> LogInclusionProof(uint64_t index, uint64_t tree_size) const override;
  StatusOr<std::vector<std::string>> LogConsistencyProof(uint64_t from_size, uint64_t to_size) const override;

  Status WriteRecords(const std::vector<RecordWrite>& writes, bool sync) override;
  StatusOr<std::string> GetRecord(std::string_view tenant, std::string_view collection,
                                  std::string_view id) const override;
  StatusOr<Page<std::pair<std::string, std::string>>> ListRecords(std::string_view tenant,
                                                                  std::string_view collection,
                                                                  std::string_view page_token,
                                                                  size_t page_size) const override;

  StatusOr<std::optional<std::string>> GetSetting(std::string_view name) const override;
  Status PutSetting(std::string_view name, std::string_view value) override;

  StatusOr<bool> AcquireLease(std::string_view name, std::string_view holder, int64_t now_ms,
                              int64_t ttl_ms) override;

  Status Verify() const override;
  StatusOr<std::vector<std::string>> Scrub() const override;

 private:
  using Mutation = std::function<Status(PgTxn&)>;

  // Committed complete-subtree hashes, read through the pool. They never
  // change once committed, so any node may read them at any time.
  class StoredNodeSource : public trust::MerkleNodeSource {
   public:
    explicit StoredNodeSource(const PgStore* store) : store_(store) {}
    StatusOr<std::string> CompleteSubtree(int level, uint64_t index) const override;

   private:
    const PgStore* store_;
  };

  // Runs one statement on a pooled connection; once more, reconnected, when
  // the database had dropped that connection (e.g. it restarted).
  StatusOr<pg::Result> Query(std::string_view sql, const std::vector<pg::Param>& params = {}) const;
  // Queues `mutation` for the group writer and waits until its transaction
  // committed. `tree_size`, when given, receives the log size right after it.
  Status Write(Mutation mutation, bool sync = true, uint64_t* tree_size = nullptr);
  void WriterLoop();
  std::vector<Status> RunGroup(std::vector<Mutation>& group, bool sync, uint64_t* tree_size);
  StatusOr<uint64_t> BeginGroup(bool sync);
  void SetWriteHealth(const Status& written);
  void ProbeHealth();

  StatusOr<uint64_t> TenantNumber(std::string_view tenant) const;
  StatusOr<uint64_t> TenantNumberOrOperator(std::string_view tenant) const;
  Status CheckTreeSize(uint64_t tree_size) const;
  StatusOr<StoredBlob> FindBlob(std::string_view tenant, std::string_view digest) const;
  std::string BlobLocation(uint64_t tn, std::string_view raw_digest) const;
  Status ScrubBlobs(const TenantRecord& tenant, std::vector<std::string>& problems) const;

  PostgresStoreOptions options_;
  std::shared_ptr<CorruptionReporter> corruption_reporter_;  // shared with open BlobReaders
  mutable std::shared_ptr<pg::Pool> pool_;                   // shared with open BlobReaders
  std::unique_ptr<pg::Connection> writer_conn_;              // writer thread only
  mutable std::atomic<uint64_t> log_size_{0};                // last size seen; LogSize() falls back to it

  mutable std::mutex write_health_mu_;
  Status write_health_;  // guarded by write_health_mu_

  mutable std::shared_mutex tenant_cache_mu_;
  mutable std::unordered_map<std::string, uint64_t> tenant_cache_;

  struct Pending {
    Mutation* mutation;
    bool sync;
    std::promise<Status> done;
    uint64_t tree_size = 0;
  };
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace dossier::storage
