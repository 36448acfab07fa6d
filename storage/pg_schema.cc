// The PostgreSQL store's schema, as numbered migrations. A database records
// the migrations applied to it in schema_migrations; opening applies the
// missing ones in order, each in its own transaction, under an advisory lock
// so nodes starting together do not race. Never edit a released migration:
// add the next one.
//
// Identifiers are bytea (byte order, no encoding or collation surprises: the
// RocksDB store orders keys bytewise, and listings page the same way here).
#include "storage/pg_schema.h"

#include <string>
#include <vector>

namespace dossier::storage::pg {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// The lock id is arbitrary but fixed: "dossier" in ASCII.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(120223444418674)";

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = {
      {1, R"sql(
CREATE TABLE settings (name bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE tenants (id bytea PRIMARY KEY, number bigint NOT NULL UNIQUE, record bytea NOT NULL);
CREATE TABLE tokens (
  secret_hash bytea PRIMARY KEY, tenant bigint NOT NULL, id bytea NOT NULL, record bytea NOT NULL,
  UNIQUE (tenant, id));
CREATE TABLE signing_keys (
  tenant bigint NOT NULL, key_id bytea NOT NULL, record bytea NOT NULL, PRIMARY KEY (tenant, key_id));
CREATE TABLE blobs (
  tenant bigint NOT NULL, digest bytea NOT NULL, record bytea NOT NULL, PRIMARY KEY (tenant, digest));
CREATE TABLE blob_chunks (
  tenant bigint NOT NULL, digest bytea NOT NULL, chunk bigint NOT NULL, bytes bytea NOT NULL,
  PRIMARY KEY (tenant, digest, chunk));
-- Documents are mostly compressed already (PDF, ZIP): store chunks as they are.
ALTER TABLE blob_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE TABLE objects (
  tenant bigint NOT NULL, kind bytea NOT NULL, id bytea NOT NULL, record bytea NOT NULL,
  PRIMARY KEY (tenant, kind, id));
CREATE TABLE versions (
  tenant bigint NOT NULL, kind bytea NOT NULL, id bytea NOT NULL, version bigint NOT NULL,
  record bytea NOT NULL, PRIMARY KEY (tenant, kind, id, version));
CREATE TABLE feed (tenant bigint NOT NULL, seq bigint NOT NULL, record bytea NOT NULL, PRIMARY KEY (tenant, seq));
-- The one row every write locks: the log's size, i.e. the next leaf's index.
CREATE TABLE log_head (id int PRIMARY KEY CHECK (id = 1), size bigint NOT NULL);
INSERT INTO log_head VALUES (1, 0);
CREATE TABLE log_leaves (idx bigint PRIMARY KEY, data bytea NOT NULL);
CREATE TABLE log_nodes (level int NOT NULL, idx bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (level, idx));
CREATE TABLE records (
  tenant bigint NOT NULL, collection bytea NOT NULL, id bytea NOT NULL, value bytea NOT NULL,
  PRIMARY KEY (tenant, collection, id));
-- Deployment-wide leases (e.g. the one reliance puller): held until expires_ms.
CREATE TABLE leases (name text PRIMARY KEY, holder text NOT NULL, expires_ms bigint NOT NULL);
)sql"},
  };
  return migrations;
}

}  // namespace

int LatestSchemaVersion() { return Migrations().back().version; }

Status Migrate(Connection& conn) {
  DOSSIER_RETURN_IF_ERROR(
      conn.Run("CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at "
               "timestamptz NOT NULL "
               "DEFAULT now())"));
  for (const Migration& m : Migrations()) {
    DOSSIER_RETURN_IF_ERROR(conn.Run("BEGIN"));
    Status applied = [&]() -> Status {
      DOSSIER_RETURN_IF_ERROR(conn.Run(kMigrationLock));
      DOSSIER_ASSIGN_OR_RETURN(
          Result done, conn.Exec("SELECT 1 FROM schema_migrations WHERE version = $1", {Int(m.version)}));
      if (done.rows() > 0) return Status::Ok();
      DOSSIER_RETURN_IF_ERROR(conn.RunScript(m.sql));
      return conn.Run("INSERT INTO schema_migrations (version) VALUES ($1)", {Int(m.version)});
    }();
    if (!applied.ok()) {
      conn.Run("ROLLBACK").ok();
      return applied.Annotate("schema migration " + std::to_string(m.version));
    }
    DOSSIER_RETURN_IF_ERROR(conn.Run("COMMIT"));
  }
  // A database migrated by a newer build is not one this build understands.
  DOSSIER_ASSIGN_OR_RETURN(Result newest, conn.Exec("SELECT max(version) FROM schema_migrations"));
  if (!newest.IsNull(0, 0) && newest.Int(0, 0) > LatestSchemaVersion()) {
    return FailedPrecondition("the database's schema version " + std::to_string(newest.Int(0, 0)) +
                                  " is newer than this dossierd's " + std::to_string(LatestSchemaVersion()) +
                                  "; upgrade dossierd",
                              "schema-too-new");
  }
  return Status::Ok();
}

}  // namespace dossier::storage::pg
