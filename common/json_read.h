// Strict readers for JSON request bodies and stored JSON documents: unknown
// members, wrong types and malformed numbers are errors, never ignored or
// coerced.
//
// Contract
// - ParseJsonObject fails with reason "bad-json" (no field) when the text is
//   not JSON or not an object; nesting deeper than 64 levels is refused.
// - Member readers take every accepted name of one member (the protobuf JSON
//   mapping allows the lowerCamelCase and the proto field name) and report
//   errors under the first name: a member of the wrong type is reason
//   "bad-field-type", a required string that is missing, null or empty is
//   "missing-field". A null member counts as absent.
// - OptionalUint accepts a non-negative JSON integer or a decimal string (the
//   protobuf JSON mapping writes 64-bit integers as strings), see
//   common/decimal.h; nothing else (no fractions, no negative numbers).
// - Pure functions of their arguments; safe to call from any thread.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dossier {

StatusOr<boost::json::object> ParseJsonObject(std::string_view body);

StatusOr<std::optional<std::string>> OptionalString(const boost::json::object& o,
                                                    std::initializer_list<std::string_view> names);
StatusOr<std::string> RequiredString(const boost::json::object& o,
                                     std::initializer_list<std::string_view> names);
StatusOr<std::optional<uint64_t>> OptionalUint(const boost::json::object& o,
                                               std::initializer_list<std::string_view> names);
StatusOr<std::optional<bool>> OptionalBool(const boost::json::object& o,
                                           std::initializer_list<std::string_view> names);

// Rejects members not in `allowed` (reason "unknown-field", field the member's
// name), so that typos are not silently ignored.
Status RejectUnknownMembers(const boost::json::object& o, std::initializer_list<std::string_view> allowed);

// A string member of a document this program wrote itself, or "" when absent
// or not a string. Lenient on purpose: not for untrusted input.
std::string StringMember(const boost::json::object& o, std::string_view key);

}  // namespace dossier
