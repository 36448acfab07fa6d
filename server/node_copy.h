// Whole-node copies: `dossierd backup`, `dossierd restore` and `dossierd
// migrate` (docs/OPERATIONS.md, "Backup and restore").
//
// A backup folder holds
//   db/              RocksDB's checkpoint of the store (one log size)
//   blobs/           every blob that checkpoint records
//   log-key.pem      the node's log key (mode 0600), so a restored node signs
//                    as the same log
//   operator.token   the first operator token, when the node still has it
//   checkpoint.note  the log's checkpoint at the backed-up size, signed with
//                    that key: what the restore is verified against
#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"
#include "server/bootstrap.h"
#include "storage/pg_store.h"
#include "storage/store.h"

namespace dossier::server {

struct BackupSummary {
  storage::BackupResult copied;
  std::string checkpoint_note;  // as written to checkpoint.note
};

// Backs up the node whose store is `store` and data directory `data_dir`
// into `to` (absent: it is created), while the store keeps serving.
StatusOr<BackupSummary> BackupNode(const storage::Store& store, const LogIdentity& log,
                                   const std::filesystem::path& data_dir, const std::filesystem::path& to);

struct RestoreSummary {
  uint64_t log_size = 0;
  std::string root_hash;  // 32 raw bytes
  std::string origin;
};

// Restores the backup in `from` as the data directory `data_dir` (absent or
// empty). The copy is assembled beside `data_dir` and renamed into place
// only after it passed: the checkpoint note's signature by the backed-up log
// key, a full scrub of the restored store, and its log size and root equal to
// the note's. On any failure `data_dir` is left as it was.
StatusOr<RestoreSummary> RestoreNode(const std::filesystem::path& from,
                                     const std::filesystem::path& data_dir);

// The one-line description of a summary that dossierd prints.
std::string DescribeBackup(const BackupSummary& summary, const std::filesystem::path& to);

}  // namespace dossier::server
