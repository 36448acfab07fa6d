// Strict reading of JSON objects for the PCCP wire formats (internal to
// schema/pccp; not installed). Every failure is INVALID_ARGUMENT with the
// caller's reason and the JSON path of the offending member, so an ML pipeline
// posting a bad record learns exactly which member to fix.
//
// Members may be spelled lowerCamelCase or as the snake_case proto field name
// (API.md: "requests may also use the proto field names"); giving both
// spellings of one member is an error, as is any member not declared.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "dossier/v1/change_plan.pb.h"

namespace dossier::pccp::internal {

// "planVersion" -> "plan_version".
std::string SnakeCase(std::string_view camel);

// Parses `json` into an object; reports syntax errors and non-object roots.
StatusOr<boost::json::object> ParseObject(std::string_view json, const std::string& reason);

// Reads members of one object at `path` ("" for the root, "results[2]", ...).
// Borrows the object; it must outlive the reader.
class ObjectReader {
 public:
  ObjectReader(const boost::json::object& object, std::string path, std::string reason);

  // Fails on the first member (in document order) whose name is not in
  // `allowed` (camelCase names; their snake_case forms are accepted too).
  Status CheckMembers(std::initializer_list<std::string_view> allowed) const;

  // The member's value or null when absent; fails when both spellings appear.
  StatusOr<const boost::json::value*> Find(std::string_view key) const;

  StatusOr<std::string> RequiredString(std::string_view key) const;  // present and non-empty
  StatusOr<std::string> OptionalString(std::string_view key) const;  // "" when absent
  StatusOr<double> RequiredNumber(std::string_view key) const;       // finite
  StatusOr<std::optional<double>> OptionalNumber(std::string_view key) const;
  StatusOr<std::optional<int64_t>> OptionalCount(std::string_view key) const;  // integer >= 0
  StatusOr<bool> OptionalBool(std::string_view key) const;                     // false when absent
  // Array of non-empty strings; empty when absent.
  StatusOr<std::vector<std::string>> OptionalStringArray(std::string_view key) const;
  // The array member, or null when absent (fails if not an array).
  StatusOr<const boost::json::array*> OptionalArray(std::string_view key) const;
  StatusOr<const boost::json::object*> OptionalObject(std::string_view key) const;

  // JSON path of member `key` (camelCase spelling).
  std::string PathOf(std::string_view key) const;
  Status Error(std::string_view key, const std::string& message) const;
  const std::string& path() const { return path_; }
  const std::string& reason() const { return reason_; }

 private:
  const boost::json::object& object_;
  std::string path_;
  std::string reason_;
};

// "results" + 3 -> "results[3]" under `parent`.
std::string ElementPath(const std::string& array_path, size_t index);

// Measured values of one result at `path` ("results[2]"), by member name
// ("value", "ciLower", ...); absent values are skipped.
using NamedValues = std::initializer_list<std::pair<std::optional<double>, const char*>>;

// Fails (INVALID_ARGUMENT, `reason`, field "<path>.<member>") when `metric`
// is a proportion - by definition (schema::IsProportionMetric) or because a
// criterion of `plan` marks it so - and one of `values` lies outside [0, 1].
Status CheckProportionValues(const v1::ChangePlan& plan, const std::string& metric, NamedValues values,
                             const std::string& path, const std::string& reason);

// Shortest round-trip decimal form of `v` ("0.875"), for explanations.
std::string FormatNumber(double v);
// `v` to 6 significant digits ("-0.019"), for differences whose binary
// round-off ("-0.019000000000000017") would only distract. Locale-independent.
std::string FormatMargin(double v);

}  // namespace dossier::pccp::internal
