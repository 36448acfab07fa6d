// The file body of the Beast session layer: one byte range of a file, or of a
// stored blob read through its verifying reader. Included by http_server.cc
// only, so that Beast stays in that one translation unit (it is slow to
// compile; see CONTRIBUTING.md).
#pragma once

#include <algorithm>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/file.hpp>
#include <cstring>
#include <filesystem>
#include <memory>

#include "storage/blob_reader.h"

namespace dossier::server {

// A File for beast::http::basic_file_body that exposes one byte range of a
// file, so Range requests stream from disk like whole files do. A stored blob
// is read through its storage::BlobReader, which verifies every chunk before
// its bytes are handed out: a mismatch fails the read, Beast's write fails,
// and the session closes the connection with the body incomplete.
class RangeFile {
 public:
  using error_code = boost::beast::error_code;
  using native_handle_type = boost::beast::file::native_handle_type;

  bool is_open() const { return verified_ != nullptr || file_.is_open(); }
  void close(error_code& ec) {
    verified_.reset();
    if (file_.is_open()) {
      file_.close(ec);
    } else {
      ec = {};
    }
  }
  void open(const char* path, boost::beast::file_mode mode, error_code& ec) { file_.open(path, mode, ec); }
  void OpenRange(const std::filesystem::path& path, uint64_t offset, uint64_t length, error_code& ec) {
    file_.open(path.c_str(), boost::beast::file_mode::scan, ec);
    if (ec) return;
    offset_ = offset;
    length_ = length;
    file_.seek(offset, ec);
  }
  void OpenVerified(std::shared_ptr<storage::BlobReader> reader, uint64_t offset, uint64_t length) {
    verified_ = std::move(reader);
    offset_ = offset;
    length_ = length;
    pos_ = 0;
  }
  uint64_t size(error_code& ec) const {
    ec = {};
    return length_;
  }
  uint64_t pos(error_code& ec) const {
    if (verified_) {
      ec = {};
      return pos_;
    }
    return file_.pos(ec) - offset_;
  }
  void seek(uint64_t offset, error_code& ec) {
    if (verified_) {
      ec = {};
      pos_ = offset;
      return;
    }
    file_.seek(offset_ + offset, ec);
  }
  std::size_t read(void* buffer, std::size_t n, error_code& ec) {
    if (!verified_) return file_.read(buffer, n, ec);
    auto bytes = verified_->Read(offset_ + pos_, std::min<uint64_t>(n, length_ - pos_));
    if (!bytes.ok()) {
      // Already reported (once per blob) by the store.
      ec = boost::beast::errc::make_error_code(boost::beast::errc::io_error);
      return 0;
    }
    std::memcpy(buffer, bytes->data(), bytes->size());
    pos_ += bytes->size();
    ec = {};
    return bytes->size();
  }
  std::size_t write(const void*, std::size_t, error_code& ec) {
    ec = boost::beast::errc::make_error_code(boost::beast::errc::operation_not_permitted);
    return 0;
  }

 private:
  boost::beast::file file_;
  std::shared_ptr<storage::BlobReader> verified_;
  uint64_t offset_ = 0;
  uint64_t length_ = 0;
  uint64_t pos_ = 0;  // for verified_
};
}  // namespace dossier::server
