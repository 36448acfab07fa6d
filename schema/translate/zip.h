// ZIP for packages: a small writer (zlib raw deflate, CRC-32, central
// directory; deterministic: fixed 1980-01-01 timestamps) and a guarded reader
// on top of libzip that refuses path traversal, encrypted entries and zip
// bombs (caps on entry size, total size and compression ratio, checked on the
// bytes actually inflated, not on the sizes the archive declares).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "schema/translate/translate.h"

namespace dossier::translate {

class ZipWriter {
 public:
  ZipWriter();
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Adds an entry (UTF-8 name with '/' separators). Names must be unique.
  void Add(std::string name, std::string_view data);
  // The archive bytes. The writer is empty afterwards.
  std::string Finish();

 private:
  // One deflate stream for every entry, reset in between: zlib allocates
  // ~270 KB of state per stream, and allocating (and faulting in) that for
  // each document was most of an export's CPU (bench: BM_Export/*).
  struct Deflater;
  std::string Deflate(std::string_view data);
  std::unique_ptr<Deflater> deflater_;

  struct Entry {
    std::string name;
    uint32_t crc = 0;
    uint64_t size = 0;
    uint64_t compressed = 0;
    uint16_t method = 0;
    uint64_t offset = 0;
  };
  std::string out_;
  std::vector<Entry> entries_;
};

// Checks one entry name: relative, no "..", no backslash, no drive letter, no
// control characters. Fails with "zip-path-traversal".
Status CheckEntryName(std::string_view name);

class ZipReader {
 public:
  // Opens `path`; "bad-zip" when it is not a readable archive, "zip-bomb"
  // when it declares too many entries or more than the caps allow,
  // "zip-path-traversal" / "zip-encrypted" for a bad entry.
  static StatusOr<std::unique_ptr<ZipReader>> Open(const std::filesystem::path& path,
                                                   const ImportLimits& limits);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  const std::vector<std::string>& Names() const { return names_; }
  bool Has(std::string_view name) const;

  // Pull-style reader over one entry, enforcing the caps while inflating.
  class Stream {
   public:
    ~Stream();
    // Reads up to `len` bytes; 0 at the end; -1 on error (see status()).
    long Read(char* buf, size_t len);
    const Status& status() const { return status_; }

   private:
    friend class ZipReader;
    Stream() = default;
    void* file_ = nullptr;  // zip_file_t*
    ZipReader* owner_ = nullptr;
    std::string name_;
    uint64_t compressed_ = 0;
    uint64_t read_ = 0;
    Status status_;
  };
  StatusOr<std::unique_ptr<Stream>> OpenEntry(std::string_view name);
  // The whole entry (subject to the caps and to `max_bytes`).
  StatusOr<std::string> ReadAll(std::string_view name, uint64_t max_bytes);

 private:
  ZipReader() = default;
  void* zip_ = nullptr;  // zip_t*
  ImportLimits limits_;
  uint64_t total_read_ = 0;
  std::vector<std::string> names_;
};

}  // namespace dossier::translate
