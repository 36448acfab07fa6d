// ImportIntoPostgres: an embedded store's rows copied into a new PostgreSQL
// database, for `dossierd migrate`. Rows are copied as stored (the same
// records, tenant numbers, leaf indices, Merkle nodes and blob chunk digests),
// so the log's root and every signature over it stay what they were.
#include <string>

#include "storage/pg_conn.h"
#include "storage/pg_schema.h"
#include "storage/pg_store.h"
#include "trust/digest.h"

namespace dossier::storage {
namespace {

using pg::Bytes;
using pg::Int;

int64_t Signed(uint64_t v) { return static_cast<int64_t>(v); }

// Every statement runs inside the one transaction ImportIntoPostgres opened.
class PgImportSink final : public StoreSink {
 public:
  explicit PgImportSink(pg::Connection& conn) : conn_(conn) {}

  Status Tenant(const TenantRecord& t) override {
    ++counts_.tenants;
    return conn_.Run("INSERT INTO tenants (id, number, record) VALUES ($1, $2, $3)",
                     {Bytes(t.id()), Int(Signed(t.number())), Bytes(t.SerializeAsString())});
  }
  Status Token(uint64_t tn, const TokenRecord& t) override {
    return conn_.Run("INSERT INTO tokens (secret_hash, tenant, id, record) VALUES ($1, $2, $3, $4)",
                     {Bytes(t.secret_hash()), Int(Signed(tn)), Bytes(t.id()), Bytes(t.SerializeAsString())});
  }
  Status Key(uint64_t tn, const KeyRecord& k) override {
    return conn_.Run("INSERT INTO signing_keys (tenant, key_id, record) VALUES ($1, $2, $3)",
                     {Int(Signed(tn)), Bytes(k.key_id()), Bytes(k.SerializeAsString())});
  }
  // The PostgreSQL store reads a blob chunk by chunk against its recorded
  // chunk digests; a blob recorded before chunk digests existed gets them
  // here, computed from bytes the source verified whole.
  Status Blob(uint64_t tn, const BlobRecord& source_record, BlobReader& bytes) override {
    BlobRecord record = source_record;
    const bool add_chunk_digests = record.chunk_size() == 0;
    const uint64_t chunk_size = add_chunk_digests ? kBlobChunkBytes : record.chunk_size();
    DOSSIER_ASSIGN_OR_RETURN(std::string raw, trust::ParseDigestRef(record.digest()));
    std::string chunk_digests;
    uint64_t offset = 0;
    for (uint64_t index = 0; offset < bytes.size(); ++index) {
      std::string chunk;
      while (chunk.size() < chunk_size && offset < bytes.size()) {
        DOSSIER_ASSIGN_OR_RETURN(std::string_view piece, bytes.Read(offset, chunk_size - chunk.size()));
        if (piece.empty()) return DataLoss("blob " + record.digest() + " ends early", "blob-corrupt");
        chunk.append(piece);
        offset += piece.size();
      }
      if (add_chunk_digests) chunk_digests += trust::Sha256(chunk);
      DOSSIER_RETURN_IF_ERROR(
          conn_.Run("INSERT INTO blob_chunks (tenant, digest, chunk, bytes) VALUES ($1, $2, $3, $4)",
                    {Int(Signed(tn)), Bytes(raw), Int(Signed(index)), Bytes(chunk)}));
    }
    if (add_chunk_digests) {
      record.set_chunk_size(kBlobChunkBytes);
      record.set_chunk_digests(std::move(chunk_digests));
    }
    ++counts_.blobs;
    counts_.blob_bytes += bytes.size();
    return conn_.Run("INSERT INTO blobs (tenant, digest, record) VALUES ($1, $2, $3)",
                     {Int(Signed(tn)), Bytes(raw), Bytes(record.SerializeAsString())});
  }
  Status Object(uint64_t tn, const ObjectRecord& o) override {
    return conn_.Run("INSERT INTO objects (tenant, kind, id, record) VALUES ($1, $2, $3, $4)",
                     {Int(Signed(tn)), Bytes(o.kind()), Bytes(o.id()), Bytes(o.SerializeAsString())});
  }
  Status Version(uint64_t tn, const VersionRecord& v) override {
    ++counts_.versions;
    return conn_.Run("INSERT INTO versions (tenant, kind, id, version, record) VALUES ($1, $2, $3, $4, $5)",
                     {Int(Signed(tn)), Bytes(v.kind()), Bytes(v.id()), Int(Signed(v.version())),
                      Bytes(v.SerializeAsString())});
  }
  Status Feed(uint64_t tn, const FeedEntry& e) override {
    return conn_.Run("INSERT INTO feed (tenant, seq, record) VALUES ($1, $2, $3)",
                     {Int(Signed(tn)), Int(Signed(e.seq())), Bytes(e.SerializeAsString())});
  }
  Status Record(uint64_t tn, std::string_view collection, std::string_view id,
                std::string_view value) override {
    return conn_.Run("INSERT INTO records (tenant, collection, id, value) VALUES ($1, $2, $3, $4)",
                     {Int(Signed(tn)), Bytes(collection), Bytes(id), Bytes(value)});
  }
  Status Setting(std::string_view name, std::string_view value) override {
    return conn_.Run("INSERT INTO settings (name, value) VALUES ($1, $2)", {Bytes(name), Bytes(value)});
  }
  Status LogLeaf(uint64_t index, std::string_view data) override {
    return conn_.Run("INSERT INTO log_leaves (idx, data) VALUES ($1, $2)", {Int(Signed(index)), Bytes(data)});
  }
  Status LogNode(int level, uint64_t index, std::string_view hash) override {
    return conn_.Run("INSERT INTO log_nodes (level, idx, hash) VALUES ($1, $2, $3)",
                     {Int(level), Int(Signed(index)), Bytes(hash)});
  }
  Status LogSize(uint64_t size) override {
    counts_.log_size = size;
    return conn_.Run("UPDATE log_head SET size = $1 WHERE id = 1", {Int(Signed(size))});
  }

  const ImportCounts& counts() const { return counts_; }

 private:
  pg::Connection& conn_;
  ImportCounts counts_;
};

}  // namespace

StatusOr<ImportCounts> ImportIntoPostgres(const std::string& conninfo, const Store& source) {
  DOSSIER_ASSIGN_OR_RETURN(auto conn, pg::Connection::Open(conninfo));
  DOSSIER_RETURN_IF_ERROR(pg::Migrate(*conn));
  DOSSIER_RETURN_IF_ERROR(conn->Run("BEGIN"));
  auto imported = [&]() -> StatusOr<ImportCounts> {
    // The log head's lock keeps any node that starts on this database meanwhile
    // from writing until the copy is committed (or rolled back).
    DOSSIER_ASSIGN_OR_RETURN(pg::Result head,
                             conn->Exec("SELECT size FROM log_head WHERE id = 1 FOR UPDATE"));
    DOSSIER_ASSIGN_OR_RETURN(
        pg::Result used, conn->Exec("SELECT (SELECT count(*) FROM tenants) + (SELECT count(*) FROM tokens) + "
                                    "(SELECT count(*) FROM settings) + (SELECT count(*) FROM blobs)"));
    if (head.Int(0, 0) != 0 || used.Int(0, 0) != 0) {
      return FailedPrecondition(
          "the target database is not empty (a node has run on it, or it was migrated into already); "
          "migrate into a new database",
          "target-not-empty");
    }
    PgImportSink sink(*conn);
    DOSSIER_RETURN_IF_ERROR(source.Export(sink));
    return sink.counts();
  }();
  if (!imported.ok()) {
    conn->Run("ROLLBACK").ok();
    return imported.status();
  }
  DOSSIER_RETURN_IF_ERROR(conn->Run("COMMIT"));
  return imported;
}

}  // namespace dossier::storage
