// Versioned schema migrations of the PostgreSQL store (see pg_schema.cc).
#pragma once

#include "common/status.h"
#include "storage/pg_conn.h"

namespace dossier::storage::pg {

// The newest schema version this build knows.
int LatestSchemaVersion();

// Applies every migration the database lacks, in order, each in its own
// transaction under an advisory lock (several nodes may start at once).
// FailedPrecondition "schema-too-new" when the database was migrated by a
// newer build.
Status Migrate(Connection& conn);

}  // namespace dossier::storage::pg
