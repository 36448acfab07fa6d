// A RocksDB FileSystem for power-loss tests, after LevelDB's fault-injection
// test: it remembers how much of each written file was synced, and on a
// simulated crash cuts every file back to that length, dropping whatever the
// operating system would have lost with the power. Kill -9 alone cannot catch
// a missing fsync (the page cache survives the process); this can.
//
// Use: pass it as StoreOptions::file_system, write, call Freeze() (later
// writes are dropped, as after the power went out), close the store, call
// DropUnsyncedData(), then reopen with the real file system. SetNoSpace()
// simulates a full disk instead.
//
// Thread-safe. Test-only: it keeps a map of every file written.
#pragma once

#include <rocksdb/file_system.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

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
    if (no_space_) return NoSpace(fname);
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus s = target()->NewWritableFile(fname, options, &file, dbg);
    if (!s.ok()) return s;
    Track(fname, 0, 0);
    result->reset(new TrackedFile(std::move(file), fname, this));
    return s;
  }

  rocksdb::IOStatus ReopenWritableFile(const std::string& fname, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus s = target()->ReopenWritableFile(fname, options, &file, dbg);
    if (!s.ok()) return s;
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(fname, ec);
    Track(fname, ec ? 0 : size, ec ? 0 : size);  // what was there before counts as synced
    result->reset(new TrackedFile(std::move(file), fname, this));
    return s;
  }

  rocksdb::IOStatus ReuseWritableFile(const std::string& fname, const std::string& old_fname,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus s = target()->ReuseWritableFile(fname, old_fname, options, &file, dbg);
    if (!s.ok()) return s;
    Track(fname, 0, 0);
    result->reset(new TrackedFile(std::move(file), fname, this));
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

  // From now on writes and syncs are silently dropped: the machine is off.
  void Freeze() { frozen_ = true; }

  // While on, creating, appending to and syncing files fail with ENOSPC and
  // the free space is 0, as on a full disk.
  void SetNoSpace(bool on) { no_space_ = on; }

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
      if (fs_->frozen_) return rocksdb::IOStatus::OK();
      if (fs_->no_space_) return NoSpace(name_);
      rocksdb::IOStatus s = target()->Sync(options, dbg);
      if (s.ok()) fs_->Synced(name_);
      return s;
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
      if (fs_->frozen_) return rocksdb::IOStatus::OK();
      if (fs_->no_space_) return NoSpace(name_);
      rocksdb::IOStatus s = target()->Fsync(options, dbg);
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
  std::mutex mu_;
  std::map<std::string, FileState> files_;
};

}  // namespace dossier::storage
