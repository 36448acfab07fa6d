#include "server/node_copy.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "trust/checkpoint.h"
#include "trust/encoding.h"
#include "trust/merkle.h"

namespace dossier::server {
namespace fs = std::filesystem;

namespace {

constexpr const char* kNoteFile = "checkpoint.note";

StatusOr<std::string> ReadSmallFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path.string(), "file-missing");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Written, fsynced, mode 0600 (the key and the token are secrets).
Status WritePrivateFile(const fs::path& path, std::string_view contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable("cannot create " + path.string(), "io-error");
  bool ok = ::write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size());
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  return ok ? Status::Ok() : Unavailable("cannot write " + path.string(), "io-error");
}

Status CopyPrivateFile(const fs::path& from, const fs::path& to) {
  DOSSIER_ASSIGN_OR_RETURN(std::string contents, ReadSmallFile(from));
  return WritePrivateFile(to, contents);
}

// Every file and folder under `root`, and `root`, made durable.
Status SyncTree(const fs::path& root) {
  std::error_code ec;
  std::vector<fs::path> paths;
  for (const auto& entry : fs::recursive_directory_iterator(root, ec)) paths.push_back(entry.path());
  if (ec) return Unavailable("cannot list " + root.string() + ": " + ec.message(), "io-error");
  paths.push_back(root);
  for (const fs::path& path : paths) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Unavailable("cannot open " + path.string(), "io-error");
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return Unavailable("cannot fsync " + path.string(), "io-error");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<BackupSummary> BackupNode(const storage::Store& store, const LogIdentity& log,
                                   const fs::path& data_dir, const fs::path& to) {
  BackupSummary summary;
  DOSSIER_ASSIGN_OR_RETURN(summary.copied, store.Backup(to));
  // The log only grows, so the root of the backed-up size is the same on the
  // live store now as in the copy.
  const uint64_t size = summary.copied.log_size;
  DOSSIER_ASSIGN_OR_RETURN(std::string root,
                           size == 0 ? StatusOr<std::string>(trust::EmptyTreeRoot()) : store.LogRoot(size));
  DOSSIER_ASSIGN_OR_RETURN(
      summary.checkpoint_note,
      trust::SignNote(trust::CheckpointBody({log.origin, size, root, {}}), log.origin, log.key));
  DOSSIER_RETURN_IF_ERROR(CopyPrivateFile(data_dir / "log-key.pem", to / "log-key.pem"));
  std::error_code ec;
  if (fs::exists(data_dir / "operator.token", ec)) {
    DOSSIER_RETURN_IF_ERROR(CopyPrivateFile(data_dir / "operator.token", to / "operator.token"));
  }
  // Last: a folder with its note is a finished backup.
  DOSSIER_RETURN_IF_ERROR(WritePrivateFile(to / kNoteFile, summary.checkpoint_note));
  return summary;
}

std::string DescribeBackup(const BackupSummary& summary, const fs::path& to) {
  auto checkpoint = trust::ParseUnverifiedCheckpoint(summary.checkpoint_note);  // signed by this process
  return "backed up log size " + std::to_string(summary.copied.log_size) + " (root " +
         (checkpoint.ok() ? trust::Base64Encode(checkpoint->root_hash) : std::string("?")) + "), " +
         std::to_string(summary.copied.blobs) + " blobs (" + std::to_string(summary.copied.blob_bytes) +
         " bytes) into " + to.string();
}

StatusOr<RestoreSummary> RestoreNode(const fs::path& from, const fs::path& data_dir) {
  std::error_code ec;
  if (fs::exists(data_dir, ec) && !fs::is_empty(data_dir, ec)) {
    return FailedPrecondition(data_dir.string() + " is not empty; restore into a new data directory",
                              "restore-target-not-empty");
  }
  // What the backup claims, checked with the key that signed it.
  DOSSIER_ASSIGN_OR_RETURN(std::string note, ReadSmallFile(from / kNoteFile));
  DOSSIER_ASSIGN_OR_RETURN(std::string key_pem, ReadSmallFile(from / "log-key.pem"));
  DOSSIER_ASSIGN_OR_RETURN(trust::PrivateKey key, trust::PrivateKey::FromPem(key_pem));
  DOSSIER_ASSIGN_OR_RETURN(trust::Checkpoint claimed, trust::ParseUnverifiedCheckpoint(note));
  auto verified = trust::OpenCheckpoint(note, claimed.origin, key.public_key());
  if (!verified.ok()) {
    return DataLoss(
        "the backup's checkpoint.note is not signed by its log-key.pem: " + verified.status().message(),
        "backup-signature-invalid");
  }

  fs::path staging = data_dir;
  staging += ".restoring";
  fs::remove_all(staging, ec);
  fs::create_directories(staging, ec);
  if (ec) return Unavailable("cannot create " + staging.string() + ": " + ec.message(), "io-error");
  fs::permissions(staging, fs::perms::owner_all, ec);
  struct RemoveStagingOnFailure {
    const fs::path& path;
    bool done = false;
    ~RemoveStagingOnFailure() {
      std::error_code ignored;
      if (!done) fs::remove_all(path, ignored);
    }
  } cleanup{staging};
  for (const char* part : {"db", "blobs"}) {
    if (!fs::exists(from / part, ec)) continue;
    fs::copy(from / part, staging / part, fs::copy_options::recursive, ec);
    if (ec) return Unavailable("cannot copy " + (from / part).string() + ": " + ec.message(), "io-error");
  }
  DOSSIER_RETURN_IF_ERROR(CopyPrivateFile(from / "log-key.pem", staging / "log-key.pem"));
  if (fs::exists(from / "operator.token", ec)) {
    DOSSIER_RETURN_IF_ERROR(CopyPrivateFile(from / "operator.token", staging / "operator.token"));
  }

  RestoreSummary summary;
  {
    storage::StoreOptions options;
    options.data_dir = staging;
    DOSSIER_ASSIGN_OR_RETURN(auto store, storage::OpenRocksStore(options));
    DOSSIER_ASSIGN_OR_RETURN(auto problems, store->Scrub());
    if (!problems.empty()) {
      std::string all;
      for (const auto& p : problems) all += "\n  " + p;
      return DataLoss("the restored store fails its scrub:" + all, "restore-scrub-failed");
    }
    // The store names the key its log is signed with (CheckLogKey): a backup
    // whose key is another would give a node that refuses to start.
    auto recorded_key = store->GetRecord("", "log-identity", "key-id");
    if (recorded_key.ok() && *recorded_key != key.public_key().KeyId()) {
      return DataLoss("the backup's log-key.pem is not the key its store's log is signed with",
                      "restore-key-mismatch");
    }
    summary.log_size = store->LogSize();
    summary.origin = verified->origin;
    if (summary.log_size != verified->tree_size) {
      return DataLoss("the restored log has " + std::to_string(summary.log_size) +
                          " leaves, the backup's checkpoint " + std::to_string(verified->tree_size),
                      "restore-log-mismatch");
    }
    DOSSIER_ASSIGN_OR_RETURN(summary.root_hash, summary.log_size == 0
                                                    ? StatusOr<std::string>(trust::EmptyTreeRoot())
                                                    : store->LogRoot(summary.log_size));
    if (summary.root_hash != verified->root_hash) {
      return DataLoss("the restored log's root differs from the backup's signed checkpoint",
                      "restore-log-mismatch");
    }
  }
  DOSSIER_RETURN_IF_ERROR(SyncTree(staging));
  if (fs::exists(data_dir, ec)) fs::remove(data_dir, ec);  // empty, checked above
  fs::rename(staging, data_dir, ec);
  if (ec)
    return Unavailable("cannot move the restored copy to " + data_dir.string() + ": " + ec.message(),
                       "io-error");
  cleanup.done = true;
  return summary;
}

}  // namespace dossier::server
