// What a credential is: the format of token secrets and ids, and how a client
// certificate is found like a token (by the hash of its "secret"). Shared by
// the operator bootstrap, the token routes and authentication.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace dossier::server {

// "dxt_" + 32 random bytes, base64url. The prefix lets secret scanners
// recognise a leaked token. Only its SHA-256 is stored.
StatusOr<std::string> NewTokenSecret();
// "tok_" + 16 random hex digits.
StatusOr<std::string> NewTokenId();

// Client certificates authenticate as a credential whose "secret" is the
// certificate's SPKI hash; the store finds it like a token, by hash.
std::string ClientCertificateSecretHash(std::string_view spki_sha256_hex);

}  // namespace dossier::server
