#include "trust/digest.h"

#include <openssl/evp.h>

#include <cassert>
#include <fstream>
#include <vector>

#include "trust/encoding.h"

namespace dossier::trust {
namespace {

// SHA-256 fetched from the default provider once per process. Why: given the
// legacy EVP_sha256(), OpenSSL 3 fetches the implementation again on every
// EVP_Digest / EVP_DigestInit_ex (a locked lookup and allocations), which cost
// more than hashing a Merkle node or a log leaf. The fetched object is never
// freed: it lives as long as the provider it came from.
const EVP_MD* FetchedSha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md != nullptr ? md : EVP_sha256();
}

}  // namespace

std::string Sha256(std::string_view data) {
  std::string out(kSha256Size, '\0');
  unsigned int len = 0;
  // EVP_Digest can only fail on allocation failure or a broken provider; both
  // are unrecoverable here, so it is asserted rather than reported.
  int rc = EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
                      FetchedSha256(), nullptr);
  assert(rc == 1 && len == kSha256Size);
  (void)rc;
  return out;
}

struct Sha256Hasher::Ctx {
  struct Free {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> md;
};

Sha256Hasher::Sha256Hasher() : ctx_(std::make_unique<Ctx>()) {
  ctx_->md.reset(EVP_MD_CTX_new());
  int rc = ctx_->md ? EVP_DigestInit_ex(ctx_->md.get(), FetchedSha256(), nullptr) : 0;
  assert(rc == 1);
  (void)rc;
}
Sha256Hasher::~Sha256Hasher() = default;
Sha256Hasher::Sha256Hasher(Sha256Hasher&&) noexcept = default;
Sha256Hasher& Sha256Hasher::operator=(Sha256Hasher&&) noexcept = default;

void Sha256Hasher::Update(std::string_view data) {
  assert(ctx_);
  EVP_DigestUpdate(ctx_->md.get(), data.data(), data.size());
}

std::string Sha256Hasher::Finish() {
  assert(ctx_);
  std::string out(kSha256Size, '\0');
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_->md.get(), reinterpret_cast<unsigned char*>(out.data()), &len);
  EVP_DigestInit_ex(ctx_->md.get(), FetchedSha256(), nullptr);
  return out;
}

StatusOr<std::string> Sha256File(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open " + path.string(), "io-error");
  Sha256Hasher hasher;
  std::vector<char> buf(64 * 1024);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    hasher.Update(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad() || !in.eof()) return Internal("read failed: " + path.string(), "io-error");
  return hasher.Finish();
}

std::string DigestRef(std::string_view raw32) {
  assert(raw32.size() == kSha256Size);
  return "sha256:" + HexEncode(raw32);
}

StatusOr<std::string> ParseDigestRef(std::string_view ref) {
  constexpr std::string_view kPrefix = "sha256:";
  auto bad = [] {
    return InvalidArgument("digest must be \"sha256:\" followed by 64 lowercase hex digits", "bad-digest");
  };
  if (ref.size() != kPrefix.size() + 2 * kSha256Size || ref.substr(0, kPrefix.size()) != kPrefix)
    return bad();
  std::string_view hex = ref.substr(kPrefix.size());
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return bad();
  }
  StatusOr<std::string> raw = HexDecode(hex);
  if (!raw.ok()) return bad();
  return raw;
}

bool IsDigestRef(std::string_view ref) { return ParseDigestRef(ref).ok(); }

}  // namespace dossier::trust
