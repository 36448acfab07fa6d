// SHA-256 and the "sha256:<hex>" digest references used throughout the API.
//
// Contract
// - Digests are 32 raw bytes. A digest reference is exactly "sha256:" followed
//   by 64 lowercase hex digits; nothing else (no uppercase, no other algorithm)
//   is accepted, so a reference names one digest in exactly one spelling.
// - Free functions are pure and thread-safe. A Sha256Hasher is not
//   synchronised: use one instance from one thread at a time.
// - Failures are Status values: reason "bad-digest" for malformed references,
//   "io-error" for files that cannot be opened or read.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dossier::trust {

inline constexpr size_t kSha256Size = 32;

// SHA-256 of `data`, 32 raw bytes.
std::string Sha256(std::string_view data);

// Incremental SHA-256 for data that arrives in pieces (blob uploads).
// Movable, not copyable. A moved-from hasher must not be used again.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(Sha256Hasher&&) noexcept;
  Sha256Hasher& operator=(Sha256Hasher&&) noexcept;
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view data);
  // Returns the 32-byte digest of everything passed to Update since
  // construction (or the previous Finish) and resets the hasher for reuse.
  std::string Finish();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// SHA-256 of a file's contents, read in 64 KiB chunks so large blobs never sit
// whole in memory. Reason "io-error" (code NOT_FOUND when the file cannot be
// opened, INTERNAL when a read fails).
StatusOr<std::string> Sha256File(const std::filesystem::path& path);

// "sha256:" + lowercase hex of `raw32`. `raw32` must be 32 bytes (asserted in
// debug builds; other lengths are encoded as given, which no parser accepts).
std::string DigestRef(std::string_view raw32);
// Inverse of DigestRef: the 32 raw bytes. Reason "bad-digest".
StatusOr<std::string> ParseDigestRef(std::string_view ref);
// True when ParseDigestRef would succeed.
bool IsDigestRef(std::string_view ref);

}  // namespace dossier::trust
