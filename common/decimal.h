// Checked decimal integers from text: query parameters, flags, protobuf JSON
// 64-bit integers (which travel as strings), data files.
//
// Contract
// - Accepted: ASCII digits only, at least one; ParseInt64 also accepts one
//   leading '-'. Leading zeros are accepted ("007" is 7): callers that need the
//   canonical form of a signed format check it themselves.
// - Rejected with InvalidArgument, reason "bad-integer", `field` as given: empty
//   text, '+', whitespace anywhere, any other character, and values outside the
//   type's range (never wrapped or clamped).
// - Pure functions of their arguments; safe to call from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace dossier {

StatusOr<uint64_t> ParseUint64(std::string_view text, std::string_view field);
StatusOr<int64_t> ParseInt64(std::string_view text, std::string_view field);

}  // namespace dossier
