// Unpredictable bytes for secrets and identifiers (tokens, submission ids,
// temporary file names), from OpenSSL's CSPRNG.
//
// Contract
// - Never returns predictable or partial output: when OpenSSL cannot produce
//   the bytes (RAND_bytes fails, e.g. its entropy source is unavailable) the
//   result is Unavailable with reason "random-unavailable". Asking for more than
//   INT_MAX bytes is InvalidArgument, reason "random-too-large".
// - Thread-safe: OpenSSL's default generator is safe to call concurrently.
#pragma once

#include <cstddef>
#include <string>

#include "common/status.h"

namespace dossier {

StatusOr<std::string> RandomBytes(size_t n);

// `n_bytes` random bytes as lowercase hex (2 * n_bytes characters).
StatusOr<std::string> RandomHex(size_t n_bytes);

}  // namespace dossier
