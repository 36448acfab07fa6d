// The PostgreSQL implementation of Store, for several dossierd nodes sharing
// one database (docs/OPERATIONS.md).
//
// Same contract as the RocksDB store (storage/store.h), with these choices:
// - Acknowledged means committed: every write is one PostgreSQL transaction
//   committed with synchronous_commit (the server's default) before the call
//   returns; a version, its object's head, its log leaf with the Merkle nodes
//   it completes, and its feed entry commit together or not at all.
// - Log sequencing happens in the database: every write transaction first
//   locks the one row of `log_head` (SELECT ... FOR UPDATE), so however many
//   nodes write, leaves are numbered in commit order with no hole and no fork.
//   Each node still groups its concurrent writes into one transaction (group
//   commit, with a savepoint per write so one refused write leaves the others).
// - Blobs live in the database in kBlobChunkBytes rows, each checked on
//   reading against the same per-chunk SHA-256 digests the RocksDB store
//   records, so any node serves any blob and a damaged row is refused.
// - Every tenant-scoped row carries the tenant's number and every query names
//   it, as the RocksDB keys do.
// - The schema is created and upgraded by versioned migrations in code
//   (storage/pg_schema.cc), applied under an advisory lock at open.
// - While the database is unreachable, calls fail Unavailable
//   "storage-unavailable" (503) and WriteHealth() says so; the store
//   reconnects by itself and WriteHealth() clears once a probe succeeds.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "storage/store.h"

namespace dossier::storage {

struct PostgresStoreOptions {
  // Required: a libpq connection string, e.g.
  // "postgres://dossier@db.internal:5432/dossier".
  std::string conninfo;
  // Required: a node-local folder for staging uploads (StagingDir()).
  std::filesystem::path staging_dir;
  // Connections for reads and blob uploads (the group writer has its own).
  // Default: 8.
  size_t pool_size = 8;
  // Upper bound on writes grouped into one transaction. Default: 256.
  size_t max_group_size = 256;
  // A statement running longer is cancelled by the database and its write
  // fails 503 "storage-timeout" (0: no limit). Default: 30 s.
  int64_t statement_timeout_ms = 30000;
  // TCP keepalives towards the database: a vanished host is noticed after
  // about idle + interval * count seconds. Defaults: 30 s, 10 s, 3.
  int keepalives_idle_s = 30;
  int keepalives_interval_s = 10;
  int keepalives_count = 3;
  // As StoreOptions::report_corruption.
  std::function<void(const std::string&)> report_corruption;
};

StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const PostgresStoreOptions& options);

// True for the store locations dossierd treats as PostgreSQL
// ("postgres://..." or "postgresql://...").
bool IsPostgresUrl(std::string_view location);

// The schema version this build migrates to.
int PostgresSchemaVersion();

// What ImportIntoPostgres copied.
struct ImportCounts {
  uint64_t tenants = 0;
  uint64_t versions = 0;
  uint64_t blobs = 0;
  uint64_t blob_bytes = 0;
  uint64_t log_size = 0;
};

// Copies every row of `source` (Store::Export: the embedded store) into the
// database `conninfo` names, creating its schema, in one transaction: the
// database has all of it or none. Rows keep their tenant numbers, leaf
// indices and records byte for byte, so the log root is unchanged. The
// database must be empty (FailedPrecondition "target-not-empty").
StatusOr<ImportCounts> ImportIntoPostgres(const std::string& conninfo, const Store& source);

}  // namespace dossier::storage
