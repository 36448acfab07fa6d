// The PostgreSQL Store: opening, group commit and the record-shaped calls.
// See storage/pg_store.h for the guarantees and pg_store_internal.h for the
// split into files.
#include "storage/pg_store.h"

#include "common/decimal.h"
#include "common/time.h"
#include "storage/pg_schema.h"
#include "storage/pg_store_internal.h"
#include "trust/digest.h"

namespace dossier::storage {

using pg::Bytes;
using pg::Int;

bool IsPostgresUrl(std::string_view location) {
  return location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0;
}

int PostgresSchemaVersion() { return pg::LatestSchemaVersion(); }

namespace {

pg::ConnectSettings ConnectSettingsOf(const PostgresStoreOptions& options) {
  pg::ConnectSettings settings;
  settings.statement_timeout_ms = options.statement_timeout_ms;
  settings.keepalives_idle_s = options.keepalives_idle_s;
  settings.keepalives_interval_s = options.keepalives_interval_s;
  settings.keepalives_count = options.keepalives_count;
  return settings;
}

}  // namespace

StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const PostgresStoreOptions& options) {
  if (options.conninfo.empty()) return InvalidArgument("conninfo is required", "bad-options", "conninfo");
  if (options.staging_dir.empty()) {
    return InvalidArgument("staging_dir is required", "bad-options", "staging_dir");
  }
  auto store = std::make_unique<PgStore>(options);
  DOSSIER_RETURN_IF_ERROR(store->Open());
  return std::unique_ptr<Store>(std::move(store));
}

StatusOr<LogPosition> PgTxn::AppendLeaf(std::string_view leaf_data) {
  const uint64_t index = *log_size_;
  std::string leaf_hash = trust::LeafHash(leaf_data);
  struct PendingSource : trust::MerkleNodeSource {
    PgTxn* txn;
    StatusOr<std::string> CompleteSubtree(int level, uint64_t idx) const override {
      DOSSIER_ASSIGN_OR_RETURN(pg::Result r,
                               txn->Exec("SELECT hash FROM log_nodes WHERE level = $1 AND idx = $2",
                                         {Int(level), Int(static_cast<int64_t>(idx))}));
      if (r.rows() == 0) return DataLoss("log node missing", "corruption");
      return r.Bytes(0, 0);
    }
  } source;
  source.txn = this;
  DOSSIER_ASSIGN_OR_RETURN(auto nodes, trust::NodesCompletedByAppend(source, index, leaf_hash));
  DOSSIER_RETURN_IF_ERROR(Run("INSERT INTO log_leaves (idx, data) VALUES ($1, $2)",
                              {Int(static_cast<int64_t>(index)), Bytes(leaf_data)}));
  for (const auto& node : nodes) {
    DOSSIER_RETURN_IF_ERROR(Run("INSERT INTO log_nodes (level, idx, hash) VALUES ($1, $2, $3)",
                                {Int(node.level), Int(static_cast<int64_t>(node.index)), Bytes(node.hash)}));
  }
  *log_size_ = index + 1;
  return LogPosition{index, std::move(leaf_hash), index + 1};
}

PgStore::PgStore(PostgresStoreOptions options)
    : options_(std::move(options)),
      corruption_reporter_(std::make_shared<CorruptionReporter>(options_.report_corruption)),
      pool_(std::make_shared<pg::Pool>(options_.conninfo, std::max<size_t>(1, options_.pool_size),
                                       ConnectSettingsOf(options_))) {}

PgStore::~PgStore() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

Status PgStore::Open() {
  std::error_code ec;
  std::filesystem::create_directories(options_.staging_dir, ec);
  if (ec)
    return Unavailable("cannot create " + options_.staging_dir.string() + ": " + ec.message(), "io-error");
  // Staged uploads that never completed are garbage after a restart.
  for (const auto& entry : std::filesystem::directory_iterator(options_.staging_dir, ec)) {
    std::filesystem::remove(entry.path(), ec);
  }
  DOSSIER_ASSIGN_OR_RETURN(writer_conn_, pg::Connection::Open(options_.conninfo, ConnectSettingsOf(options_)));
  DOSSIER_RETURN_IF_ERROR(pg::Migrate(*writer_conn_));
  log_size_.store(LogSize());
  writer_ = std::thread([this] { WriterLoop(); });
  return Status::Ok();
}

StatusOr<pg::Result> PgStore::Query(std::string_view sql, const std::vector<pg::Param>& params) const {
  DOSSIER_ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  auto result = conn->Exec(sql, params);
  // A pooled connection the database dropped (it restarted) fails once; the
  // same connection then reconnects for the retry.
  if (!result.ok() && result.status().reason() == "storage-unavailable") result = conn->Exec(sql, params);
  return result;
}

// ------------------------------------------------------------ group commit

Status PgStore::Write(Mutation mutation, bool sync, uint64_t* tree_size) {
  Pending pending{&mutation, sync, {}};
  std::future<Status> future = pending.done.get_future();
  {
    std::lock_guard lock(queue_mu_);
    if (stopping_) return Unavailable("store is closing", "shutting-down");
    queue_.push_back(&pending);
  }
  queue_cv_.notify_one();
  Status s = future.get();
  if (tree_size) *tree_size = pending.tree_size;
  return s;
}

void PgStore::WriterLoop() {
  for (;;) {
    std::vector<Pending*> group;
    {
      std::unique_lock lock(queue_mu_);
      // While the database is unreachable, probe it every half second so
      // WriteHealth() (and /readyz) recovers without waiting for a write.
      queue_cv_.wait_for(lock, std::chrono::milliseconds(500),
                         [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        if (stopping_) return;  // stopping and drained
        lock.unlock();
        if (!WriteHealth().ok()) ProbeHealth();
        continue;
      }
      while (!queue_.empty() && group.size() < options_.max_group_size) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    std::vector<Mutation> mutations;
    bool sync = false;
    for (Pending* p : group) {
      mutations.push_back(*p->mutation);
      sync = sync || p->sync;
    }
    uint64_t tree_size = 0;
    std::vector<Status> results = RunGroup(mutations, sync, &tree_size);
    for (size_t i = 0; i < group.size(); ++i) {
      group[i]->tree_size = tree_size;
      group[i]->done.set_value(std::move(results[i]));
    }
  }
}

void PgStore::ProbeHealth() {
  if (writer_conn_->Run("SELECT 1").ok()) SetWriteHealth(Status::Ok());
}

void PgStore::SetWriteHealth(const Status& written) {
  const std::string reason = written.reason();
  const bool storage_failure =
      reason == "storage-full" || reason == "storage-unavailable" || reason == "io-error";
  std::lock_guard lock(write_health_mu_);
  write_health_ = storage_failure ? written : Status::Ok();
}

Status PgStore::WriteHealth() const {
  std::lock_guard lock(write_health_mu_);
  return write_health_;
}

// Opens the group's transaction and locks the log head: from here until
// COMMIT no other writer, on this node or another, can append.
StatusOr<uint64_t> PgStore::BeginGroup(bool sync) {
  for (int attempt = 0;; ++attempt) {
    Status begun = writer_conn_->Run("BEGIN");
    if (begun.ok() && !sync) begun = writer_conn_->Run("SET LOCAL synchronous_commit TO off");
    if (begun.ok()) {
      auto head = writer_conn_->Exec("SELECT size FROM log_head WHERE id = 1 FOR UPDATE");
      if (head.ok()) {
        if (head->rows() != 1) return DataLoss("the log head row is missing", "corruption");
        return static_cast<uint64_t>(head->Int(0, 0));
      }
      begun = head.status();
    }
    if (writer_conn_->InTransaction()) (void)writer_conn_->Run("ROLLBACK");
    // Nothing was written yet: one retry on a fresh connection covers a
    // database that restarted since the last group.
    if (begun.reason() != "storage-unavailable" || attempt > 0) return begun;
  }
}

std::vector<Status> PgStore::RunGroup(std::vector<Mutation>& group, bool sync, uint64_t* tree_size) {
  std::vector<Status> results(group.size());
  auto fail_all = [&](const Status& s) {
    if (writer_conn_->InTransaction()) (void)writer_conn_->Run("ROLLBACK");
    SetWriteHealth(s);
    for (auto& r : results) r = s;
    return results;
  };
  auto begun = BeginGroup(sync);
  if (!begun.ok()) return fail_all(begun.status());
  const uint64_t committed_log_size = *begun;
  uint64_t pending_log_size = committed_log_size;
  // A lone write needs no savepoint: when it fails the transaction is rolled back.
  const bool savepoints = group.size() > 1;
  bool any_ok = false;
  for (size_t i = 0; i < group.size(); ++i) {
    if (savepoints) {
      if (Status s = writer_conn_->Run("SAVEPOINT w"); !s.ok()) return fail_all(s);
    }
    const uint64_t saved_log_size = pending_log_size;
    PgTxn txn(*writer_conn_, &pending_log_size);
    Status s;
    try {
      s = group[i](txn);
    } catch (const std::exception& e) {
      s = Internal(std::string("write failed: ") + e.what());
    }
    if (s.reason() == "storage-unavailable") return fail_all(s);
    if (s.ok()) {
      any_ok = true;
      if (savepoints) {
        if (Status released = writer_conn_->Run("RELEASE SAVEPOINT w"); !released.ok())
          return fail_all(released);
      }
    } else {
      pending_log_size = saved_log_size;
      if (savepoints) {
        if (Status back = writer_conn_->Run("ROLLBACK TO SAVEPOINT w"); !back.ok()) return fail_all(back);
      }
    }
    results[i] = std::move(s);
  }
  if (!any_ok) {
    Status rolled_back = writer_conn_->Run("ROLLBACK");
    SetWriteHealth(rolled_back);
    *tree_size = committed_log_size;
    return results;
  }
  Status written;
  if (pending_log_size != committed_log_size) {
    written = writer_conn_->Run("UPDATE log_head SET size = $1 WHERE id = 1",
                                {Int(static_cast<int64_t>(pending_log_size))});
  }
  // Acknowledged means committed: the caller hears OK only after COMMIT
  // returned, i.e. after PostgreSQL flushed the commit record (synchronous_commit).
  if (written.ok()) written = writer_conn_->Run("COMMIT");
  if (!written.ok()) {
    if (writer_conn_->InTransaction()) (void)writer_conn_->Run("ROLLBACK");
    for (auto& r : results) {
      if (r.ok()) r = written;
    }
    SetWriteHealth(written);
    return results;
  }
  SetWriteHealth(Status::Ok());
  log_size_.store(pending_log_size);
  *tree_size = pending_log_size;
  return results;
}

// ---------------------------------------------------------------- tenants

StatusOr<uint64_t> PgStore::TenantNumber(std::string_view tenant) const {
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

StatusOr<uint64_t> PgStore::TenantNumberOrOperator(std::string_view tenant) const {
  if (tenant.empty()) return uint64_t{0};
  return TenantNumber(tenant);
}

StatusOr<TenantRecord> PgStore::CreateTenant(TenantRecord tenant) {
  tenant.set_created_ms(tenant.created_ms() ? tenant.created_ms() : NowMs());
  DOSSIER_RETURN_IF_ERROR(Write([&](PgTxn& txn) -> Status {
    DOSSIER_ASSIGN_OR_RETURN(pg::Result existing,
                             txn.Exec("SELECT 1 FROM tenants WHERE id = $1", {Bytes(tenant.id())}));
    if (existing.rows() > 0) return AlreadyExists("tenant " + tenant.id() + " exists", "tenant-exists");
    DOSSIER_ASSIGN_OR_RETURN(pg::Result last, txn.Exec("SELECT coalesce(max(number), 0) FROM tenants"));
    tenant.set_number(static_cast<uint64_t>(last.Int(0, 0)) + 1);
    return txn.Run(
        "INSERT INTO tenants (id, number, record) VALUES ($1, $2, $3)",
        {Bytes(tenant.id()), Int(static_cast<int64_t>(tenant.number())), Bytes(tenant.SerializeAsString())});
  }));
  return tenant;
}

StatusOr<TenantRecord> PgStore::GetTenant(std::string_view id) const {
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r, Query("SELECT record FROM tenants WHERE id = $1", {Bytes(id)}));
  if (r.rows() == 0) return NotFound("tenant " + std::string(id) + " not found");
  return DecodeRow<TenantRecord>(r.Bytes(0, 0));
}

StatusOr<std::vector<TenantRecord>> PgStore::ListTenants() const {
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r, Query("SELECT record FROM tenants ORDER BY id"));
  std::vector<TenantRecord> out;
  for (int i = 0; i < r.rows(); ++i) {
    DOSSIER_ASSIGN_OR_RETURN(auto t, DecodeRow<TenantRecord>(r.Bytes(i, 0)));
    out.push_back(std::move(t));
  }
  return out;
}

// ------------------------------------------------------------ credentials

Status PgStore::PutToken(const TokenRecord& token) {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(token.tenant()));
  return Write([&](PgTxn& txn) -> Status {
    DOSSIER_ASSIGN_OR_RETURN(pg::Result existing,
                             txn.Exec("SELECT 1 FROM tokens WHERE tenant = $1 AND id = $2",
                                      {Int(static_cast<int64_t>(tn)), Bytes(token.id())}));
    if (existing.rows() > 0) return AlreadyExists("token id exists", "token-exists");
    return txn.Run(
        "INSERT INTO tokens (secret_hash, tenant, id, record) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (secret_hash) DO UPDATE SET tenant = $2, id = $3, record = $4",
        {Bytes(token.secret_hash()), Int(static_cast<int64_t>(tn)), Bytes(token.id()),
         Bytes(token.SerializeAsString())});
  });
}

StatusOr<TokenRecord> PgStore::GetTokenBySecretHash(std::string_view secret_hash) const {
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r,
                           Query("SELECT record FROM tokens WHERE secret_hash = $1", {Bytes(secret_hash)}));
  if (r.rows() == 0) return NotFound("unknown token");
  return DecodeRow<TokenRecord>(r.Bytes(0, 0));
}

StatusOr<TokenRecord> PgStore::GetToken(std::string_view tenant, std::string_view token_id) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(tenant));
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r, Query("SELECT record FROM tokens WHERE tenant = $1 AND id = $2",
                                               {Int(static_cast<int64_t>(tn)), Bytes(token_id)}));
  if (r.rows() == 0) return NotFound("token not found");
  return DecodeRow<TokenRecord>(r.Bytes(0, 0));
}

StatusOr<std::vector<TokenRecord>> PgStore::ListTokens(std::string_view tenant) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(tenant));
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r, Query("SELECT record FROM tokens WHERE tenant = $1 ORDER BY id",
                                               {Int(static_cast<int64_t>(tn))}));
  std::vector<TokenRecord> out;
  for (int i = 0; i < r.rows(); ++i) {
    DOSSIER_ASSIGN_OR_RETURN(auto t, DecodeRow<TokenRecord>(r.Bytes(i, 0)));
    out.push_back(std::move(t));
  }
  return out;
}

StatusOr<TokenRecord> PgStore::RevokeToken(std::string_view tenant, std::string_view token_id,
                                           int64_t now_ms) {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(tenant));
  TokenRecord result;
  DOSSIER_RETURN_IF_ERROR(Write([&](PgTxn& txn) -> Status {
    DOSSIER_ASSIGN_OR_RETURN(pg::Result r, txn.Exec("SELECT record FROM tokens WHERE tenant = $1 AND id = $2",
                                                    {Int(static_cast<int64_t>(tn)), Bytes(token_id)}));
    if (r.rows() == 0) return NotFound("token not found");
    DOSSIER_ASSIGN_OR_RETURN(TokenRecord token, DecodeRow<TokenRecord>(r.Bytes(0, 0)));
    if (token.revoked_ms() == 0) token.set_revoked_ms(now_ms);
    result = token;
    return txn.Run("UPDATE tokens SET record = $3 WHERE tenant = $1 AND id = $2",
                   {Int(static_cast<int64_t>(tn)), Bytes(token_id), Bytes(token.SerializeAsString())});
  }));
  return result;
}

// ------------------------------------------------------------------- keys

StatusOr<KeyRecord> PgStore::RegisterKey(KeyRecord key, std::string leaf_data) {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(key.tenant()));
  DOSSIER_RETURN_IF_ERROR(Write([&](PgTxn& txn) -> Status {
    DOSSIER_ASSIGN_OR_RETURN(pg::Result existing,
                             txn.Exec("SELECT 1 FROM signing_keys WHERE tenant = $1 AND key_id = $2",
                                      {Int(static_cast<int64_t>(tn)), Bytes(key.key_id())}));
    if (existing.rows() > 0)
      return AlreadyExists("key " + key.key_id() + " is already registered", "key-exists");
    DOSSIER_ASSIGN_OR_RETURN(LogPosition pos, txn.AppendLeaf(leaf_data));
    key.set_log_index(pos.index);
    key.set_leaf_data(leaf_data);
    return txn.Run("INSERT INTO signing_keys (tenant, key_id, record) VALUES ($1, $2, $3)",
                   {Int(static_cast<int64_t>(tn)), Bytes(key.key_id()), Bytes(key.SerializeAsString())});
  }));
  return key;
}

StatusOr<KeyRecord> PgStore::GetKey(std::string_view tenant, std::string_view key_id) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r,
                           Query("SELECT record FROM signing_keys WHERE tenant = $1 AND key_id = $2",
                                 {Int(static_cast<int64_t>(tn)), Bytes(key_id)}));
  if (r.rows() == 0) return NotFound("key not found");
  return DecodeRow<KeyRecord>(r.Bytes(0, 0));
}

StatusOr<std::vector<KeyRecord>> PgStore::ListKeys(std::string_view tenant) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r,
                           Query("SELECT record FROM signing_keys WHERE tenant = $1 ORDER BY key_id",
                                 {Int(static_cast<int64_t>(tn))}));
  std::vector<KeyRecord> out;
  for (int i = 0; i < r.rows(); ++i) {
    DOSSIER_ASSIGN_OR_RETURN(auto k, DecodeRow<KeyRecord>(r.Bytes(i, 0)));
    out.push_back(std::move(k));
  }
  return out;
}

StatusOr<KeyRecord> PgStore::RevokeKey(std::string_view tenant, std::string_view key_id, int64_t revoked_ms,
                                       std::string leaf_data) {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  KeyRecord result;
  DOSSIER_RETURN_IF_ERROR(Write([&](PgTxn& txn) -> Status {
    DOSSIER_ASSIGN_OR_RETURN(pg::Result r,
                             txn.Exec("SELECT record FROM signing_keys WHERE tenant = $1 AND key_id = $2",
                                      {Int(static_cast<int64_t>(tn)), Bytes(key_id)}));
    if (r.rows() == 0) return NotFound("key not found");
    DOSSIER_ASSIGN_OR_RETURN(KeyRecord key, DecodeRow<KeyRecord>(r.Bytes(0, 0)));
    if (key.revoked_ms() != 0) {  // already revoked: keep the first revocation
      result = key;
      return Status::Ok();
    }
    DOSSIER_ASSIGN_OR_RETURN(LogPosition pos, txn.AppendLeaf(leaf_data));
    key.set_revoked_ms(revoked_ms);
    key.set_revoked_log_index(pos.index);
    result = key;
    return txn.Run("UPDATE signing_keys SET record = $3 WHERE tenant = $1 AND key_id = $2",
                   {Int(static_cast<int64_t>(tn)), Bytes(key_id), Bytes(key.SerializeAsString())});
  }));
  return result;
}

}  // namespace dossier::storage
