#include "common/decimal.h"

#include <limits>
#include <string>

namespace dossier {
namespace {

Status BadInteger(std::string_view field, std::string message) {
  return InvalidArgument(std::move(message), "bad-integer", std::string(field));
}

// The magnitude of `digits` if it is 1+ ASCII digits no larger than `limit`.
StatusOr<uint64_t> Magnitude(std::string_view digits, uint64_t limit, std::string_view field) {
  if (digits.empty()) return BadInteger(field, "must be a decimal integer, not empty");
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return BadInteger(field, "must be a decimal integer (digits only)");
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (limit - digit) / 10) return BadInteger(field, "is out of range");
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

StatusOr<uint64_t> ParseUint64(std::string_view text, std::string_view field) {
  return Magnitude(text, std::numeric_limits<uint64_t>::max(), field);
}

StatusOr<int64_t> ParseInt64(std::string_view text, std::string_view field) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  // |INT64_MIN| is one more than INT64_MAX.
  const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  DOSSIER_ASSIGN_OR_RETURN(uint64_t magnitude, Magnitude(text, limit, field));
  if (!negative) return static_cast<int64_t>(magnitude);
  // Negate in unsigned arithmetic: -INT64_MIN does not fit in int64_t.
  return static_cast<int64_t>(~magnitude + 1);
}

}  // namespace dossier
