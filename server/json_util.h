// Small helpers for reading request bodies as JSON with precise errors.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dossier::server {

// Parses `body` as one JSON object. reason "bad-json" on failure.
StatusOr<boost::json::object> ParseJsonObject(std::string_view body);

// Reads a member by any of `names` (the protobuf JSON mapping allows the
// lowerCamelCase and the proto field name). Missing optional members are
// nullopt; a member of the wrong type is an error naming `names[0]`.
StatusOr<std::optional<std::string>> OptionalString(const boost::json::object& o,
                                                    std::initializer_list<std::string_view> names);
StatusOr<std::string> RequiredString(const boost::json::object& o, std::initializer_list<std::string_view> names);
StatusOr<std::optional<uint64_t>> OptionalUint(const boost::json::object& o,
                                               std::initializer_list<std::string_view> names);
StatusOr<std::optional<bool>> OptionalBool(const boost::json::object& o,
                                           std::initializer_list<std::string_view> names);
// Rejects members not in `allowed` (reason "unknown-field"), so typos are not silently ignored.
Status RejectUnknownMembers(const boost::json::object& o, std::initializer_list<std::string_view> allowed);

// "[a-z0-9-]{1,64}", not starting with '-'. reason "bad-id".
Status ValidateId(std::string_view id, std::string_view field);

// Milliseconds since the Unix epoch, from the system clock.
int64_t NowMs();

// `bytes` random bytes (OpenSSL's CSPRNG) as lowercase hex.
std::string RandomHex(size_t bytes);

// A string member of a stored JSON object, or "" when absent or not a string.
std::string StringMember(const boost::json::object& o, std::string_view key);

// RFC 3339 UTC with milliseconds, e.g. "2026-11-29T08:00:00.123Z".
std::string FormatTime(int64_t unix_ms);
StatusOr<int64_t> ParseTime(std::string_view rfc3339, std::string_view field);

}  // namespace dossier::server
