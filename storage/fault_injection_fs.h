// A RocksDB FileSystem for power-loss tests, after LevelDB's fault-injection
// test: it remembers how much of each written file was synced, and on a
// simulated crash cuts every file back to that length, dropping whatever the
// operating system would have lost with the power. Kill -9 alone cannot catch
// a missing fsync (the page cache survives the process); this can.
//
// Directory entries are modelled too: a file or folder created, or a file
// renamed into place, exists after the crash only when its folder was fsynced
// afterwards (a file renamed over another brings the other back otherwise),
// because that is all POSIX promises; ext4 often keeps more, so only a model
// finds the missing directory fsync. Deleting a file is taken as durable at
// once (what was deleted does not come back), which is the one place where
// this model is kinder than a real disk.
//
// Use: pass it as StoreOptions::file_system, write, call Freeze() (later
// writes are dropped, as after the power went out), close the store, call
// SimulatePowerLoss() (or DropUnsyncedData() for file contents only), then
// reopen with the real file system. CrashAtSyncPoint(k) freezes by itself at
// the k-th sync (of a file or a folder), before it takes effect, so that a
// test can sweep every sync point of a workload. SetNoSpace() simulates a
// full disk instead.
//
// Thread-safe. Test-only: it keeps a map of every file written.
#pragma once

#include <rocksdb/file_system.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dossier::storage {

class FaultInjectionFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit FaultInjectionFileSystem(std::shared_ptr<rocksdb::FileSystem> base)
      : rocksdb::FileSystemWrapper(std::move(base)) {}

  static const char* kClassName() { return "DossierFaultInjectionFileSystem"; }
  const char* Name() const override { return kClassName(); }

  rocksdb::IOStatus NewWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    if (frozen_) return PowerOff(fname);
    if (no_space_) return NoSpace(fname);
    const bool existed = std::filesystem::exists(fname);
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus s = target()->NewWritableFile(fname, options, &file, dbg);
    if (!s.ok()) return s;
    Track(fname, 0, 0);
    if (!existed) NewEntry(fname);
    result->reset(new TrackedFile(std::move(file), fname, this));
    return s;
  }

  rocksdb::IOStatus ReopenWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override {
    if (frozen_) return PowerOff(fname);
    const bool existed = std::filesystem::exists(fname);
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus s = target()->ReopenWritableFile(fname, options, &file, dbg);
    if (!s.ok()) return s;
    TrackExisting(fname);
    if (!existed) NewEntry(fname);
    result->reset(new TrackedFile(std::move(file), fname, this));
    return s;
  }

  rocksdb::IOStatus ReuseWritableFile(const std::string& fname, const std::string& old_fname,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override {
    if (frozen_) return PowerOff(fname);
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus s = target()->ReuseWritableFile(fname, old_fname, options, &file, dbg);
    if (!s.ok()) return s;
    Renamed(old_fname, fname);
    Track(fname, 0, 0);
    result->reset(new TrackedFile(std::move(file), fname, this));
    return s;
  }

  // Files opened for writing in place (the store syncs staged blob files this
  // way): their Sync makes the whole file durable.
  rocksdb::IOStatus NewRandomRWFile(const std::string& fname, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSRandomRWFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    if (frozen_) return PowerOff(fname);
    const bool existed = std::filesystem::exists(fname);
    std::unique_ptr<rocksdb::FSRandomRWFile> file;
    rocksdb::IOStatus s = target()->NewRandomRWFile(fname, options, &file, dbg);
    if (!s.ok()) return s;
    TrackExisting(fname);
    if (!existed) NewEntry(fname);
    result->reset(new TrackedRandomRWFile(std::move(file), fname, this));
    return s;
  }

  rocksdb::IOStatus NewDirectory(const std::string& name, const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* result,
                                 rocksdb::IODebugContext* dbg) override {
    std::unique_ptr<rocksdb::FSDirectory> dir;
    rocksdb::IOStatus s = target()->NewDirectory(name, options, &dir, dbg);
    if (!s.ok()) return s;
    result->reset(new TrackedDirectory(std::move(dir), Normal(name), this));
    return s;
  }

  rocksdb::IOStatus CreateDir(const std::string& dirname, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override {
    if (frozen_) return rocksdb::IOStatus::OK();
    rocksdb::IOStatus s = target()->CreateDir(dirname, options, dbg);
    if (s.ok()) NewEntry(dirname);
    return s;
  }

  rocksdb::IOStatus CreateDirIfMissing(const std::string& dirname, const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* dbg) override {
    if (frozen_) return rocksdb::IOStatus::OK();
    const bool existed = std::filesystem::exists(dirname);
    rocksdb::IOStatus s = target()->CreateDirIfMissing(dirname, options, dbg);
    if (s.ok() && !existed) NewEntry(dirname);
    return s;
  }

  // After the power went out nothing changes on disk any more; in particular
  // RocksDB's shutdown must not delete a WAL whose replacement was never synced.
  rocksdb::IOStatus DeleteFile(const std::string& fname, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override {
    if (frozen_) return rocksdb::IOStatus::OK();
    rocksdb::IOStatus s = target()->DeleteFile(fname, options, dbg);
    if (s.ok()) Forget(fname);
    return s;
  }

  rocksdb::IOStatus RenameFile(const std::string& src, const std::string& dst,
                               const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    if (frozen_) return rocksdb::IOStatus::OK();
    // A file renamed over another leaves the other in place until the folder is synced.
    std::optional<std::string> previous;
    if (std::filesystem::exists(dst)) {
      std::string bytes;
      if (!rocksdb::ReadFileToString(target(), dst, &bytes).ok()) return rocksdb::IOStatus::IOError(dst);
      previous = std::move(bytes);
    }
    rocksdb::IOStatus s = target()->RenameFile(src, dst, options, dbg);
    if (!s.ok()) return s;
    Renamed(src, dst, std::move(previous));
    return s;
  }

  // A full disk has no free space, which is what RocksDB polls before it
  // tries to resume writing.
  rocksdb::IOStatus GetFreeSpace(const std::string& path, const rocksdb::IOOptions& options, uint64_t* free,
                                 rocksdb::IODebugContext* dbg) override {
    if (no_space_) {
      *free = 0;
      return rocksdb::IOStatus::OK();
    }
    return target()->GetFreeSpace(path, options, free, dbg);
  }

  // From now on writes, syncs, renames and deletions are silently dropped and
  // new files cannot be created: the machine is off.
  void Freeze() { frozen_ = true; }
  bool frozen() const { return frozen_; }

  // Freezes at the k-th sync point (1 = the first), before that sync takes
  // effect. 0 (the default): never.
  void CrashAtSyncPoint(uint64_t k) { crash_at_ = k; }
  // With false, syncs are recorded (and count as sync points) but not passed
  // to the real disk: a test that only ever simulates power loss needs the
  // model, not the fsync, and a sweep then costs CPU instead of disk flushes.
  // Default: true.
  void PassSyncsToDisk(bool on) { real_syncs_ = on; }

  // Syncs of files and folders that took effect so far.
  uint64_t sync_points() const { return sync_points_; }

  // While on, creating, appending to and syncing files fail with ENOSPC and
  // the free space is 0, as on a full disk.
  void SetNoSpace(bool on) { no_space_ = on; }

  struct PowerLossEffect {
    uint64_t bytes_dropped = 0;
    uint64_t entries_dropped = 0;  // files and folders whose directory entry was never synced
    uint64_t files_restored = 0;   // renamed over, and back because the rename was never synced
  };

  // What a power cut at this moment leaves on disk: every directory entry made
  // since its folder's last sync is undone (newest first), then every file is
  // cut back to its last synced length. Call it with the store closed.
  PowerLossEffect SimulatePowerLoss() {
    PowerLossEffect effect;
    {
      std::lock_guard lock(mu_);
      for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
        std::error_code ec;
        if (it->previous) {
          rocksdb::WriteStringToFile(target(), *it->previous, it->path, /*should_sync=*/false)
              .PermitUncheckedError();
          files_.erase(it->path);  // the old bytes had been synced
          ++effect.files_restored;
        } else if (std::filesystem::remove_all(it->path, ec) > 0) {
          ++effect.entries_dropped;
        }
      }
      pending_.clear();
    }
    effect.bytes_dropped = DropUnsyncedData();
    return effect;
  }

  // Cuts every tracked file back to its last synced length. Returns the
  // number of bytes dropped.
  uint64_t DropUnsyncedData() {
    std::lock_guard lock(mu_);
    uint64_t dropped = 0;
    for (const auto& [name, state] : files_) {
      std::error_code ec;
      const uint64_t size = std::filesystem::file_size(name, ec);
      if (ec || size <= state.synced) continue;
      dropped += size - state.synced;
      std::filesystem::resize_file(name, state.synced, ec);
    }
    return dropped;
  }

 private:
  struct FileState {
    uint64_t written = 0;
    uint64_t synced = 0;
  };

  class TrackedFile : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    TrackedFile(std::unique_ptr<rocksdb::FSWritableFile> file, std::string name, FaultInjectionFileSystem* fs)
        : rocksdb::FSWritableFileOwnerWrapper(std::move(file)), name_(std::move(name)), fs_(fs) {}

    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->frozen_) return rocksdb::IOStatus::OK();
      if (fs_->no_space_) return NoSpace(name_);
      rocksdb::IOStatus s = target()->Append(data, options, dbg);
      if (s.ok()) fs_->Written(name_, data.size());
      return s;
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->frozen_) return rocksdb::IOStatus::OK();
      if (fs_->no_space_) return NoSpace(name_);
      rocksdb::IOStatus s = target()->Append(data, options, info, dbg);
      if (s.ok()) fs_->Written(name_, data.size());
      return s;
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
      if (fs_->no_space_ && !fs_->frozen_) return NoSpace(name_);
      if (!fs_->SyncPointReached()) return rocksdb::IOStatus::OK();
      rocksdb::IOStatus s = fs_->real_syncs_ ? target()->Sync(options, dbg) : rocksdb::IOStatus::OK();
      if (s.ok()) fs_->Synced(name_);
      return s;
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
      if (fs_->no_space_ && !fs_->frozen_) return NoSpace(name_);
      if (!fs_->SyncPointReached()) return rocksdb::IOStatus::OK();
      rocksdb::IOStatus s = fs_->real_syncs_ ? target()->Fsync(options, dbg) : rocksdb::IOStatus::OK();
      if (s.ok()) fs_->Synced(name_);
      return s;
    }
    rocksdb::IOStatus Close(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
      return target()->Close(options, dbg);  // closing is not syncing
    }

   private:
    std::string name_;
    FaultInjectionFileSystem* fs_;
  };

  class TrackedRandomRWFile : public rocksdb::FSRandomRWFileOwnerWrapper {
   public:
    TrackedRandomRWFile(std::unique_ptr<rocksdb::FSRandomRWFile> file, std::string name,
                        FaultInjectionFileSystem* fs)
        : rocksdb::FSRandomRWFileOwnerWrapper(std::move(file)), name_(std::move(name)), fs_(fs) {}

    rocksdb::IOStatus Write(uint64_t offset, const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
      if (fs_->frozen_) return rocksdb::IOStatus::OK();
      return target()->Write(offset, data, options, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
      if (!fs_->SyncPointReached()) return rocksdb::IOStatus::OK();
      rocksdb::IOStatus s = fs_->real_syncs_ ? target()->Sync(options, dbg) : rocksdb::IOStatus::OK();
      if (s.ok()) fs_->SyncedWhole(name_);
      return s;
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
      if (!fs_->SyncPointReached()) return rocksdb::IOStatus::OK();
      rocksdb::IOStatus s = fs_->real_syncs_ ? target()->Fsync(options, dbg) : rocksdb::IOStatus::OK();
      if (s.ok()) fs_->SyncedWhole(name_);
      return s;
    }

   private:
    std::string name_;
    FaultInjectionFileSystem* fs_;
  };

  class TrackedDirectory : public rocksdb::FSDirectory {
   public:
    TrackedDirectory(std::unique_ptr<rocksdb::FSDirectory> dir, std::string name,
                     FaultInjectionFileSystem* fs)
        : dir_(std::move(dir)), name_(std::move(name)), fs_(fs) {}

    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
      if (!fs_->SyncPointReached()) return rocksdb::IOStatus::OK();
      rocksdb::IOStatus s = fs_->real_syncs_ ? dir_->Fsync(options, dbg) : rocksdb::IOStatus::OK();
      if (s.ok()) fs_->DirectorySynced(name_);
      return s;
    }
    rocksdb::IOStatus FsyncWithDirOptions(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg,
                                          const rocksdb::DirFsyncOptions&) override {
      return Fsync(options, dbg);
    }
    rocksdb::IOStatus Close(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
      return dir_->Close(options, dbg);
    }
    size_t GetUniqueId(char* id, size_t max_size) const override { return dir_->GetUniqueId(id, max_size); }

   private:
    std::unique_ptr<rocksdb::FSDirectory> dir_;
    std::string name_;
    FaultInjectionFileSystem* fs_;
  };

  // A directory entry made since its folder's last sync.
  struct PendingEntry {
    std::string path;                     // normalised
    std::optional<std::string> previous;  // the bytes a rename replaced, to bring back
  };

  static std::string Normal(const std::string& path) {
    std::string out = std::filesystem::path(path).lexically_normal().string();
    while (out.size() > 1 && out.back() == '/') out.pop_back();
    return out;
  }
  static std::string Parent(const std::string& path) {
    return std::filesystem::path(Normal(path)).parent_path().string();
  }

  // Counts a sync that is about to take effect; at the chosen crash point it
  // freezes instead. False when the machine is (now) off.
  bool SyncPointReached() {
    std::lock_guard lock(mu_);
    if (frozen_) return false;
    if (crash_at_ != 0 && sync_points_ + 1 == crash_at_) {
      frozen_ = true;
      return false;
    }
    ++sync_points_;
    return true;
  }

  void NewEntry(const std::string& path) {
    std::lock_guard lock(mu_);
    pending_.push_back({Normal(path), std::nullopt});
  }
  void Renamed(const std::string& src, const std::string& dst, std::optional<std::string> previous = {}) {
    std::lock_guard lock(mu_);
    const std::string from = Normal(src), to = Normal(dst);
    if (auto it = files_.find(src); it != files_.end()) {
      files_[dst] = it->second;
      files_.erase(src);
    }
    // The old name is gone; whether it had been synced or not, it does not come back (see the top).
    std::erase_if(pending_, [&](const PendingEntry& e) { return e.path == from; });
    pending_.push_back({to, std::move(previous)});
  }
  void Forget(const std::string& path) {
    std::lock_guard lock(mu_);
    files_.erase(path);
    const std::string normal = Normal(path);
    std::erase_if(pending_, [&](const PendingEntry& e) { return e.path == normal && !e.previous; });
  }
  void DirectorySynced(const std::string& dir) {
    std::lock_guard lock(mu_);
    std::erase_if(pending_, [&](const PendingEntry& e) { return Parent(e.path) == dir; });
  }
  void TrackExisting(const std::string& name) {
    std::lock_guard lock(mu_);
    if (files_.count(name)) return;  // keep what we know about its unsynced bytes
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(name, ec);
    files_[name] = FileState{ec ? 0 : size, ec ? 0 : size};  // what was there before counts as synced
  }
  void SyncedWhole(const std::string& name) {
    std::lock_guard lock(mu_);
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(name, ec);
    if (!ec) files_[name] = FileState{size, size};
  }

  static rocksdb::IOStatus PowerOff(const std::string& name) {
    return rocksdb::IOStatus::IOError(name, "the power is off (injected)");
  }

  static rocksdb::IOStatus NoSpace(const std::string& name) {
    return rocksdb::IOStatus::NoSpace(name, "No space left on device (injected)");
  }

  void Track(const std::string& name, uint64_t written, uint64_t synced) {
    std::lock_guard lock(mu_);
    files_[name] = FileState{written, synced};
  }
  void Written(const std::string& name, uint64_t n) {
    std::lock_guard lock(mu_);
    files_[name].written += n;
  }
  void Synced(const std::string& name) {
    std::lock_guard lock(mu_);
    files_[name].synced = files_[name].written;
  }

  std::atomic<bool> frozen_{false};
  std::atomic<bool> no_space_{false};
  std::atomic<bool> real_syncs_{true};
  std::atomic<uint64_t> crash_at_{0};
  std::atomic<uint64_t> sync_points_{0};
  std::mutex mu_;
  std::map<std::string, FileState> files_;
  std::vector<PendingEntry> pending_;  // in the order they were made
};

}  // namespace dossier::storage
