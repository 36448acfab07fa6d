#include "schema/pccp/json_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

#include "schema/validate.h"

namespace dossier::pccp::internal {

std::string SnakeCase(std::string_view camel) {
  std::string out;
  out.reserve(camel.size() + 4);
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

StatusOr<boost::json::object> ParseObject(std::string_view json, const std::string& reason) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec) return InvalidArgument("body is not valid JSON: " + ec.message(), reason, "");
  if (!v.is_object()) return InvalidArgument("body must be a JSON object", reason, "");
  return std::move(v.as_object());
}

ObjectReader::ObjectReader(const boost::json::object& object, std::string path, std::string reason)
    : object_(object), path_(std::move(path)), reason_(std::move(reason)) {}

std::string ObjectReader::PathOf(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

Status ObjectReader::Error(std::string_view key, const std::string& message) const {
  const std::string field = key.empty() ? path_ : PathOf(key);
  return InvalidArgument((field.empty() ? std::string("body") : field) + ": " + message, reason_, field);
}

Status ObjectReader::CheckMembers(std::initializer_list<std::string_view> allowed) const {
  for (const auto& member : object_) {
    const std::string_view name = member.key();
    const bool known = std::any_of(allowed.begin(), allowed.end(),
                                   [&](std::string_view a) { return name == a || name == SnakeCase(a); });
    // An unknown member is "unknown-field" whatever the document, as on
    // every route of the API: callers (and the mass-assignment test) rely on
    // one reason for a member the server does not accept.
    if (!known) {
      const std::string field = PathOf(name);
      return InvalidArgument(field + ": unknown member", "unknown-field", field);
    }
  }
  return Status::Ok();
}

StatusOr<const boost::json::value*> ObjectReader::Find(std::string_view key) const {
  const boost::json::value* camel = object_.if_contains(key);
  const std::string snake = SnakeCase(key);
  const boost::json::value* other = snake == key ? nullptr : object_.if_contains(snake);
  if (camel != nullptr && other != nullptr) {
    return Error(key, "given twice (as " + std::string(key) + " and " + snake + ")");
  }
  return camel != nullptr ? camel : other;
}

StatusOr<std::string> ObjectReader::OptionalString(std::string_view key) const {
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::value* v, Find(key));
  if (v == nullptr) return std::string();
  if (!v->is_string()) return Error(key, "must be a string");
  return std::string(v->as_string());
}

StatusOr<std::string> ObjectReader::RequiredString(std::string_view key) const {
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::value* v, Find(key));
  if (v == nullptr) return Error(key, "is required");
  if (!v->is_string()) return Error(key, "must be a string");
  if (v->as_string().empty()) return Error(key, "must not be empty");
  return std::string(v->as_string());
}

StatusOr<std::optional<double>> ObjectReader::OptionalNumber(std::string_view key) const {
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::value* v, Find(key));
  if (v == nullptr) return std::optional<double>();
  if (!v->is_number()) return Error(key, "must be a number");
  const double d = v->to_number<double>();
  // Boost.JSON parses 1e999 as infinity; no metric is infinite.
  if (!std::isfinite(d)) return Error(key, "must be finite");
  return std::optional<double>(d);
}

StatusOr<double> ObjectReader::RequiredNumber(std::string_view key) const {
  DOSSIER_ASSIGN_OR_RETURN(std::optional<double> d, OptionalNumber(key));
  if (!d) return Error(key, "is required");
  return *d;
}

StatusOr<std::optional<int64_t>> ObjectReader::OptionalCount(std::string_view key) const {
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::value* v, Find(key));
  if (v == nullptr) return std::optional<int64_t>();
  if (v->is_int64()) {
    if (v->as_int64() < 0) return Error(key, "must not be negative");
    return std::optional<int64_t>(v->as_int64());
  }
  if (v->is_uint64()) return Error(key, "is too large");
  return Error(key, "must be a whole number");
}

StatusOr<bool> ObjectReader::OptionalBool(std::string_view key) const {
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::value* v, Find(key));
  if (v == nullptr) return false;
  if (!v->is_bool()) return Error(key, "must be true or false");
  return v->as_bool();
}

StatusOr<const boost::json::array*> ObjectReader::OptionalArray(std::string_view key) const {
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::value* v, Find(key));
  if (v == nullptr) return static_cast<const boost::json::array*>(nullptr);
  if (!v->is_array()) return Error(key, "must be an array");
  return &v->as_array();
}

StatusOr<const boost::json::object*> ObjectReader::OptionalObject(std::string_view key) const {
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::value* v, Find(key));
  if (v == nullptr) return static_cast<const boost::json::object*>(nullptr);
  if (!v->is_object()) return Error(key, "must be an object");
  return &v->as_object();
}

StatusOr<std::vector<std::string>> ObjectReader::OptionalStringArray(std::string_view key) const {
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::array* a, OptionalArray(key));
  std::vector<std::string> out;
  if (a == nullptr) return out;
  for (size_t i = 0; i < a->size(); ++i) {
    const boost::json::value& e = (*a)[i];
    const std::string field = ElementPath(PathOf(key), i);
    if (!e.is_string() || e.as_string().empty()) {
      return InvalidArgument(field + ": must be a non-empty string", reason_, field);
    }
    out.emplace_back(e.as_string());
  }
  return out;
}

std::string ElementPath(const std::string& array_path, size_t index) {
  return array_path + "[" + std::to_string(index) + "]";
}

std::string FormatNumber(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  if (r.ec != std::errc()) return "?";
  return std::string(buf, r.ptr);
}

std::string FormatMargin(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  if (r.ec != std::errc()) return "?";
  return std::string(buf, r.ptr);
}

Status CheckProportionValues(const v1::ChangePlan& plan, const std::string& metric, NamedValues values,
                             const std::string& path, const std::string& reason) {
  const bool proportion =
      schema::IsProportionMetric(metric) ||
      std::any_of(plan.criteria().begin(), plan.criteria().end(),
                  [&](const v1::AcceptanceCriterion& c) { return c.proportion() && c.metric() == metric; });
  if (!proportion) return Status::Ok();
  for (const auto& [value, member] : values) {
    if (value && !(*value >= 0.0 && *value <= 1.0)) {
      const std::string field = path + "." + member;
      return InvalidArgument(
          field + ": " + metric + " is a proportion and must lie in [0, 1], got " + FormatNumber(*value),
          reason, field);
    }
  }
  return Status::Ok();
}

}  // namespace dossier::pccp::internal
