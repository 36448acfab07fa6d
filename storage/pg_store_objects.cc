// The PostgreSQL Store: versioned objects, the feed, generic records and
// settings. Every statement names the tenant's number (storage/pg_store.h).
#include "common/decimal.h"
#include "common/time.h"
#include "storage/pg_store_internal.h"

namespace dossier::storage {

using pg::Bytes;
using pg::Int;

namespace {

int64_t Signed(uint64_t v) { return static_cast<int64_t>(v); }

// A page's items are decoded rows; one extra row was asked for, so its
// presence says whether there is a next page.
template <typename Message>
StatusOr<std::vector<Message>> DecodeRows(const pg::Result& r, int column) {
  std::vector<Message> out;
  for (int i = 0; i < r.rows(); ++i) {
    DOSSIER_ASSIGN_OR_RETURN(auto m, DecodeRow<Message>(r.Bytes(i, column)));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

StatusOr<ObjectRecord> PgStore::CreateObject(ObjectRecord object) {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(object.tenant()));
  object.set_created_ms(object.created_ms() ? object.created_ms() : NowMs());
  object.set_updated_ms(object.created_ms());
  object.set_head_version(0);
  object.clear_head_digest();
  DOSSIER_RETURN_IF_ERROR(Write([&](PgTxn& txn) -> Status {
    DOSSIER_ASSIGN_OR_RETURN(
        pg::Result r, txn.Exec("INSERT INTO objects (tenant, kind, id, record) VALUES ($1, $2, $3, $4) "
                               "ON CONFLICT DO NOTHING",
                               {Int(Signed(tn)), Bytes(object.kind()), Bytes(object.id()),
                                Bytes(object.SerializeAsString())}));
    if (r.Affected() == 0)
      return AlreadyExists(object.kind() + "/" + object.id() + " exists", "object-exists");
    return Status::Ok();
  }));
  return object;
}

StatusOr<ObjectRecord> PgStore::GetObject(std::string_view tenant, std::string_view kind,
                                          std::string_view id) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r,
                           Query("SELECT record FROM objects WHERE tenant = $1 AND kind = $2 AND id = $3",
                                 {Int(Signed(tn)), Bytes(kind), Bytes(id)}));
  if (r.rows() == 0) return NotFound(std::string(kind) + "/" + std::string(id) + " not found");
  return DecodeRow<ObjectRecord>(r.Bytes(0, 0));
}

StatusOr<Page<ObjectRecord>> PgStore::ListObjects(std::string_view tenant, std::string_view kind,
                                                  std::string_view page_token, size_t page_size) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  DOSSIER_ASSIGN_OR_RETURN(
      pg::Result r, Query("SELECT record FROM objects WHERE tenant = $1 AND kind = $2 AND id > $3 "
                          "ORDER BY id LIMIT $4",
                          {Int(Signed(tn)), Bytes(kind), Bytes(page_token), Int(Signed(page_size + 1))}));
  Page<ObjectRecord> page;
  DOSSIER_ASSIGN_OR_RETURN(page.items, DecodeRows<ObjectRecord>(r, 0));
  if (page.items.size() > page_size) {
    page.items.pop_back();
    page.next_page_token = page.items.back().id();
  }
  return page;
}

StatusOr<CommitResult> PgStore::CommitVersion(VersionRecord version) {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(version.tenant()));
  if (version.created_ms() == 0) version.set_created_ms(NowMs());
  CommitResult result;
  uint64_t tree_size = 0;
  DOSSIER_RETURN_IF_ERROR(Write(
      [&](PgTxn& txn) -> Status {
        const std::vector<pg::Param> object_key = {Int(Signed(tn)), Bytes(version.kind()),
                                                   Bytes(version.id())};
        // The log head is locked by the group, so the object's head read
        // here is the one this write commits against, on every node.
        DOSSIER_ASSIGN_OR_RETURN(
            pg::Result r,
            txn.Exec("SELECT record FROM objects WHERE tenant = $1 AND kind = $2 AND id = $3", object_key));
        if (r.rows() == 0) return NotFound(version.kind() + "/" + version.id() + " not found");
        DOSSIER_ASSIGN_OR_RETURN(ObjectRecord object, DecodeRow<ObjectRecord>(r.Bytes(0, 0)));
        if (version.version() != object.head_version() + 1) {
          return FailedPrecondition("version " + std::to_string(version.version()) +
                                        " does not follow head version " +
                                        std::to_string(object.head_version()),
                                    "version-mismatch");
        }
        if (version.parent_digest() != object.head_digest()) {
          return FailedPrecondition("parent " + version.parent_digest() + " is not the head " +
                                        (object.head_digest().empty() ? "(none)" : object.head_digest()),
                                    "parent-mismatch");
        }
        DOSSIER_ASSIGN_OR_RETURN(LogPosition pos, txn.AppendLeaf(version.leaf_data()));
        version.set_log_index(pos.index);
        object.set_head_version(version.version());
        object.set_head_digest(version.content_digest());
        object.set_updated_ms(version.created_ms());
        auto update = object_key;
        update.push_back(Bytes(object.SerializeAsString()));
        DOSSIER_RETURN_IF_ERROR(
            txn.Run("UPDATE objects SET record = $4 WHERE tenant = $1 AND kind = $2 AND id = $3", update));
        DOSSIER_RETURN_IF_ERROR(
            txn.Run("INSERT INTO versions (tenant, kind, id, version, record) VALUES ($1, $2, $3, $4, $5)",
                    {Int(Signed(tn)), Bytes(version.kind()), Bytes(version.id()),
                     Int(Signed(version.version())), Bytes(version.SerializeAsString())}));
        DOSSIER_ASSIGN_OR_RETURN(
            pg::Result last,
            txn.Exec("SELECT coalesce(max(seq), 0) FROM feed WHERE tenant = $1", {Int(Signed(tn))}));
        FeedEntry feed;
        feed.set_seq(static_cast<uint64_t>(last.Int(0, 0)) + 1);
        feed.set_tenant(version.tenant());
        feed.set_kind(version.kind());
        feed.set_id(version.id());
        feed.set_version(version.version());
        feed.set_log_index(pos.index);
        feed.set_created_ms(version.created_ms());
        DOSSIER_RETURN_IF_ERROR(
            txn.Run("INSERT INTO feed (tenant, seq, record) VALUES ($1, $2, $3)",
                    {Int(Signed(tn)), Int(Signed(feed.seq())), Bytes(feed.SerializeAsString())}));
        result.log = std::move(pos);
        result.feed = std::move(feed);
        return Status::Ok();
      },
      true, &tree_size));
  result.version = std::move(version);
  result.log.tree_size = tree_size;
  return result;
}

StatusOr<VersionRecord> PgStore::GetVersion(std::string_view tenant, std::string_view kind,
                                            std::string_view id, uint64_t version) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  DOSSIER_ASSIGN_OR_RETURN(
      pg::Result r,
      Query("SELECT record FROM versions WHERE tenant = $1 AND kind = $2 AND id = $3 AND version = $4",
            {Int(Signed(tn)), Bytes(kind), Bytes(id), Int(Signed(version))}));
  if (r.rows() == 0) {
    return NotFound(std::string(kind) + "/" + std::string(id) + " has no version " + std::to_string(version));
  }
  return DecodeRow<VersionRecord>(r.Bytes(0, 0));
}

StatusOr<Page<VersionRecord>> PgStore::ListVersions(std::string_view tenant, std::string_view kind,
                                                    std::string_view id, std::string_view page_token,
                                                    size_t page_size) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  uint64_t after = 0;
  if (!page_token.empty()) {
    StatusOr<uint64_t> parsed = ParseUint64(page_token, "pageToken");
    if (!parsed.ok())
      return InvalidArgument("page token is not one this server issued", "bad-page-token", "pageToken");
    after = *parsed;
  }
  DOSSIER_ASSIGN_OR_RETURN(
      pg::Result r,
      Query("SELECT record FROM versions WHERE tenant = $1 AND kind = $2 AND id = $3 "
            "AND version > $4 ORDER BY version LIMIT $5",
            {Int(Signed(tn)), Bytes(kind), Bytes(id), Int(Signed(after)), Int(Signed(page_size + 1))}));
  Page<VersionRecord> page;
  DOSSIER_ASSIGN_OR_RETURN(page.items, DecodeRows<VersionRecord>(r, 0));
  if (page.items.size() > page_size) {
    page.items.pop_back();
    page.next_page_token = std::to_string(page.items.back().version());
  }
  return page;
}

StatusOr<std::vector<FeedEntry>> PgStore::ReadFeed(std::string_view tenant, uint64_t after_seq,
                                                   size_t limit) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumber(tenant));
  // LIMIT NULL is no limit, as limit 0 is for the RocksDB store.
  pg::Param max_rows = Int(Signed(limit));
  max_rows.null = limit == 0;
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r, Query("SELECT record FROM feed WHERE tenant = $1 AND seq > $2 "
                                               "ORDER BY seq LIMIT $3",
                                               {Int(Signed(tn)), Int(Signed(after_seq)), max_rows}));
  return DecodeRows<FeedEntry>(r, 0);
}

// ---------------------------------------------------------------- records

Status PgStore::WriteRecords(const std::vector<RecordWrite>& writes, bool sync) {
  std::vector<uint64_t> tenant_numbers;
  for (const auto& w : writes) {
    if (w.collection.find('\0') != std::string::npos || w.id.empty()) {
      return InvalidArgument("bad record name", "bad-record");
    }
    DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(w.tenant));
    tenant_numbers.push_back(tn);
  }
  return Write(
      [&](PgTxn& txn) -> Status {
        for (size_t i = 0; i < writes.size(); ++i) {
          const auto& w = writes[i];
          std::vector<pg::Param> key = {Int(Signed(tenant_numbers[i])), Bytes(w.collection), Bytes(w.id)};
          if (w.mode == RecordWrite::Mode::kDelete) {
            DOSSIER_RETURN_IF_ERROR(
                txn.Run("DELETE FROM records WHERE tenant = $1 AND collection = $2 AND id = $3", key));
            continue;
          }
          key.push_back(Bytes(w.value));
          if (w.mode == RecordWrite::Mode::kCreate) {
            DOSSIER_ASSIGN_OR_RETURN(pg::Result r,
                                     txn.Exec("INSERT INTO records (tenant, collection, id, value) "
                                              "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                                              key));
            if (r.Affected() == 0)
              return AlreadyExists(w.collection + "/" + w.id + " exists", "record-exists");
          } else {
            DOSSIER_RETURN_IF_ERROR(
                txn.Run("INSERT INTO records (tenant, collection, id, value) "
                        "VALUES ($1, $2, $3, $4) ON CONFLICT (tenant, collection, id) "
                        "DO UPDATE SET value = $4",
                        key));
          }
        }
        return Status::Ok();
      },
      sync);
}

StatusOr<std::string> PgStore::GetRecord(std::string_view tenant, std::string_view collection,
                                         std::string_view id) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(tenant));
  DOSSIER_ASSIGN_OR_RETURN(
      pg::Result r, Query("SELECT value FROM records WHERE tenant = $1 AND collection = $2 AND id = $3",
                          {Int(Signed(tn)), Bytes(collection), Bytes(id)}));
  if (r.rows() == 0) return NotFound(std::string(collection) + "/" + std::string(id) + " not found");
  return r.Bytes(0, 0);
}

StatusOr<Page<std::pair<std::string, std::string>>> PgStore::ListRecords(std::string_view tenant,
                                                                         std::string_view collection,
                                                                         std::string_view page_token,
                                                                         size_t page_size) const {
  DOSSIER_ASSIGN_OR_RETURN(uint64_t tn, TenantNumberOrOperator(tenant));
  DOSSIER_ASSIGN_OR_RETURN(
      pg::Result r,
      Query("SELECT id, value FROM records WHERE tenant = $1 AND collection = $2 AND id > $3 "
            "ORDER BY id LIMIT $4",
            {Int(Signed(tn)), Bytes(collection), Bytes(page_token), Int(Signed(page_size + 1))}));
  Page<std::pair<std::string, std::string>> page;
  for (int i = 0; i < r.rows(); ++i) page.items.emplace_back(r.Bytes(i, 0), r.Bytes(i, 1));
  if (page.items.size() > page_size) {
    page.items.pop_back();
    page.next_page_token = page.items.back().first;
  }
  return page;
}

// --------------------------------------------------------------- settings

StatusOr<std::optional<std::string>> PgStore::GetSetting(std::string_view name) const {
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r, Query("SELECT value FROM settings WHERE name = $1", {Bytes(name)}));
  if (r.rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(r.Bytes(0, 0));
}

Status PgStore::PutSetting(std::string_view name, std::string_view value) {
  return Write([&](PgTxn& txn) {
    return txn.Run(
        "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2",
        {Bytes(name), Bytes(value)});
  });
}

// ----------------------------------------------------------------- leases

// One statement, so two nodes asking at once cannot both win: the row is
// taken over only when it is expired or already ours.
StatusOr<bool> PgStore::AcquireLease(std::string_view name, std::string_view holder, int64_t now_ms,
                                     int64_t ttl_ms) {
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r,
                           Query("INSERT INTO leases (name, holder, expires_ms) VALUES ($1, $2, $3) "
                                 "ON CONFLICT (name) DO UPDATE SET holder = $2, expires_ms = $3 "
                                 "WHERE leases.holder = $2 OR leases.expires_ms <= $4 RETURNING holder",
                                 {pg::Text(name), pg::Text(holder), Int(now_ms + ttl_ms), Int(now_ms)}));
  return r.rows() == 1;
}

}  // namespace dossier::storage
