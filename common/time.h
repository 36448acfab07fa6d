// Wall-clock time as milliseconds since the Unix epoch, and its RFC 3339 text.
//
// Contract
// - NowMs reads the system clock (it may step; use std::chrono::steady_clock
//   for measuring intervals).
// - FormatRfc3339Ms always writes UTC with exactly three fraction digits,
//   "2026-11-29T08:00:00.123Z"; instants before 1970 format correctly.
// - ParseRfc3339 accepts RFC 3339 date-times: "YYYY-MM-DDTHH:MM:SS", an
//   optional fraction of 1 or more digits (kept to the millisecond, further
//   digits truncated), then "Z" or a "+HH:MM"/"-HH:MM" offset ('T' and 'Z' in
//   either case). The date must exist (no February 30th); a leap second (":60")
//   is accepted and counts as the next second. Anything else, including
//   whitespace and missing parts, is InvalidArgument with reason "bad-time"
//   and `field` as given.
// - All functions are thread-safe (no shared state, no locale, no TZ lookups).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dossier {

int64_t NowMs();

std::string FormatRfc3339Ms(int64_t unix_ms);

StatusOr<int64_t> ParseRfc3339(std::string_view text, std::string_view field);

}  // namespace dossier
