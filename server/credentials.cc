#include "server/credentials.h"

#include "common/random.h"
#include "trust/digest.h"
#include "trust/encoding.h"

namespace dossier::server {
namespace {

constexpr std::string_view kTokenPrefix = "dxt_";

}  // namespace

StatusOr<std::string> NewTokenSecret() {
  DOSSIER_ASSIGN_OR_RETURN(std::string bytes, RandomBytes(32));
  return std::string(kTokenPrefix) + trust::Base64UrlEncode(bytes);
}

StatusOr<std::string> NewTokenId() {
  DOSSIER_ASSIGN_OR_RETURN(std::string hex, RandomHex(8));
  return "tok_" + hex;
}

std::string ClientCertificateSecretHash(std::string_view spki_sha256_hex) {
  return trust::Sha256("mtls:" + std::string(spki_sha256_hex));
}

}  // namespace dossier::server
