#include "server/credentials.h"

#include <openssl/rand.h>

#include <stdexcept>

#include "trust/digest.h"
#include "trust/encoding.h"

namespace dossier::server {
namespace {

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return out;
}

constexpr std::string_view kTokenPrefix = "dxt_";

}  // namespace

std::string NewTokenSecret() { return std::string(kTokenPrefix) + trust::Base64UrlEncode(RandomBytes(32)); }

std::string NewTokenId() { return "tok_" + trust::HexEncode(RandomBytes(8)); }

std::string ClientCertificateSecretHash(std::string_view spki_sha256_hex) {
  return trust::Sha256("mtls:" + std::string(spki_sha256_hex));
}

}  // namespace dossier::server
