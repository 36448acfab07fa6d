// Server-side request helpers. The generic ones (strict JSON member readers,
// time, random ids) live in common/ now; their names are re-exported here so
// that server code keeps compiling while it moves to the common/ names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/json_read.h"
#include "common/status.h"
#include "common/time.h"

namespace dossier::server {

using ::dossier::NowMs;
using ::dossier::OptionalBool;
using ::dossier::OptionalString;
using ::dossier::OptionalUint;
using ::dossier::ParseJsonObject;
using ::dossier::RejectUnknownMembers;
using ::dossier::RequiredString;
using ::dossier::StringMember;

// "[a-z0-9-]{1,64}", not starting with '-'. reason "bad-id".
Status ValidateId(std::string_view id, std::string_view field);

// The old names of FormatRfc3339Ms / ParseRfc3339 (common/time.h).
inline std::string FormatTime(int64_t unix_ms) { return FormatRfc3339Ms(unix_ms); }
inline StatusOr<int64_t> ParseTime(std::string_view rfc3339, std::string_view field) {
  return ParseRfc3339(rfc3339, field);
}

}  // namespace dossier::server
