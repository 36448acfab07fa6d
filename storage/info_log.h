// RocksDB's informational log ("LOG"), kept so that a failed write to it
// can never stop the store.
//
// Why not RocksDB's own file logger: when the disk fills up, its writer for
// LOG fails once and marks itself broken; the next message RocksDB logs (for
// example the report of the very ENOSPC that broke it) trips an assertion in
// Debian's librocksdb 7.8 (`writable_file_writer.h:312`) and aborts the
// process. This logger writes with plain stdio, drops a line it cannot write
// and carries on, so a full disk costs log lines, never the server.
#pragma once

#include <rocksdb/env.h>

#include <cstdint>
#include <filesystem>
#include <memory>

namespace dossier::storage {

struct InfoLogOptions {
  // The log file; it is appended to. Required.
  std::filesystem::path path;

  // When the file grows past this, it is renamed to `<path>.old` (replacing an
  // older one) and a new file is started. Default: 16 MiB.
  uint64_t max_file_bytes = 16u << 20;

  // Lines below this level are not written. Default: INFO.
  rocksdb::InfoLogLevel level = rocksdb::InfoLogLevel::INFO_LEVEL;

  // Lines at or above this level are also written to stderr, so that the
  // operator sees RocksDB's errors (a full disk, a corrupt file) where the
  // server's own messages go even when the data disk cannot take them.
  // Default: ERROR.
  rocksdb::InfoLogLevel stderr_level = rocksdb::InfoLogLevel::ERROR_LEVEL;
};

// Returns a thread-safe logger for `rocksdb::DBOptions::info_log`. Never
// fails: if the file cannot be opened now, lines go to stderr only (at
// `stderr_level`) and opening is retried on the next rotation check.
std::shared_ptr<rocksdb::Logger> NewInfoLog(InfoLogOptions options);

}  // namespace dossier::storage
