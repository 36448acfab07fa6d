// What a Store does by default for the copy operations only one backend
// implements.
#include "storage/store.h"

namespace dossier::storage {

StatusOr<BackupResult> Store::Backup(const std::filesystem::path&) const {
  return FailedPrecondition(
      "this store has no backup of its own: back up its database with the database's tools "
      "(PostgreSQL: pg_basebackup with WAL archiving, or pg_dump; see docs/OPERATIONS.md)",
      "backup-unsupported");
}

Status Store::Export(StoreSink&) const {
  return FailedPrecondition("this store cannot be exported (only the embedded RocksDB store is migrated)",
                            "export-unsupported");
}

}  // namespace dossier::storage
