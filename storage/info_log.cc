#include "storage/info_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace dossier::storage {
namespace {

const char* LevelName(rocksdb::InfoLogLevel level) {
  switch (level) {
    case rocksdb::InfoLogLevel::DEBUG_LEVEL:
      return "DEBUG";
    case rocksdb::InfoLogLevel::INFO_LEVEL:
      return "INFO";
    case rocksdb::InfoLogLevel::WARN_LEVEL:
      return "WARN";
    case rocksdb::InfoLogLevel::ERROR_LEVEL:
      return "ERROR";
    case rocksdb::InfoLogLevel::FATAL_LEVEL:
      return "FATAL";
    case rocksdb::InfoLogLevel::HEADER_LEVEL:
      return "HEADER";
    default:
      return "?";
  }
}

class InfoLog final : public rocksdb::Logger {
 public:
  explicit InfoLog(InfoLogOptions options) : Logger(options.level), options_(std::move(options)) {
    std::lock_guard lock(mu_);
    OpenLocked();
  }

  ~InfoLog() override {
    std::lock_guard lock(mu_);
    if (fd_ >= 0) ::close(fd_);
  }

  // RocksDB calls this form for lines without a level (treated as INFO).
  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap); }

  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char message[2048];
    va_list copy;
    va_copy(copy, ap);
    const int n = std::vsnprintf(message, sizeof message, format, copy);
    va_end(copy);
    if (n < 0) return;

    struct timeval now;
    gettimeofday(&now, nullptr);
    struct tm utc;
    gmtime_r(&now.tv_sec, &utc);
    char stamp[40];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<long>(now.tv_usec));

    std::string line = std::string(stamp) + " " + LevelName(level) + " " + message + "\n";
    std::lock_guard lock(mu_);
    if (level >= options_.stderr_level && level != rocksdb::InfoLogLevel::HEADER_LEVEL) {
      std::fprintf(stderr, "dossierd: rocksdb %s: %s\n", LevelName(level), message);
    }
    RotateIfNeededLocked();
    if (fd_ < 0) return;
    // One write per line (O_APPEND keeps lines whole). A failed write (ENOSPC,
    // EIO) loses this line; the next one tries again.
    const ssize_t written = ::write(fd_, line.data(), line.size());
    if (written > 0) bytes_ += static_cast<uint64_t>(written);
  }

  // Lines are written unbuffered: nothing to flush.
  void Flush() override {}

  size_t GetLogFileSize() const override {
    std::lock_guard lock(mu_);
    return bytes_;
  }

 private:
  void OpenLocked() {
    fd_ = ::open(options_.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    bytes_ = 0;
    struct stat st;
    if (fd_ >= 0 && ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) bytes_ = static_cast<uint64_t>(st.st_size);
  }

  void RotateIfNeededLocked() {
    if (fd_ >= 0 && bytes_ < options_.max_file_bytes) return;
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
      std::error_code ec;
      std::filesystem::rename(options_.path, options_.path.string() + ".old", ec);
    }
    OpenLocked();
  }

  const InfoLogOptions options_;
  mutable std::mutex mu_;
  int fd_ = -1;         // guarded by mu_
  uint64_t bytes_ = 0;  // guarded by mu_
};

}  // namespace

std::shared_ptr<rocksdb::Logger> NewInfoLog(InfoLogOptions options) {
  return std::make_shared<InfoLog>(std::move(options));
}

}  // namespace dossier::storage
