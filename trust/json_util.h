// Internal helpers for trust/'s JSON parsers. Not part of the public API.
#pragma once

#include <string_view>

#include "common/status.h"

namespace dossier::trust {

// Fails (InvalidArgument, reason "duplicate-key", message naming the key) when
// any JSON object in `json` repeats a member name. Boost.JSON keeps the last
// duplicate while other parsers keep the first, so a signed document with
// duplicates could mean different things to the server and to a verifier;
// signed formats reject them outright. Invalid JSON passes here and is
// reported by the real parse that follows.
Status CheckNoDuplicateKeys(std::string_view json);

}  // namespace dossier::trust
