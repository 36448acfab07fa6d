#include "common/json_read.h"

#include "common/decimal.h"

namespace dossier {
namespace {

const boost::json::value* Find(const boost::json::object& o, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (auto it = o.find(name); it != o.end()) return &it->value();
  }
  return nullptr;
}

std::string FirstName(std::initializer_list<std::string_view> names) { return std::string(*names.begin()); }

Status WrongType(std::string message, std::initializer_list<std::string_view> names) {
  return InvalidArgument(std::move(message), "bad-field-type", FirstName(names));
}

}  // namespace

StatusOr<boost::json::object> ParseJsonObject(std::string_view body) {
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::json::value v = boost::json::parse(body, ec, {}, options);
  if (ec) return InvalidArgument("the body is not valid JSON: " + ec.message(), "bad-json");
  if (!v.is_object()) return InvalidArgument("the body must be a JSON object", "bad-json");
  return std::move(v.as_object());
}

StatusOr<std::optional<std::string>> OptionalString(const boost::json::object& o,
                                                    std::initializer_list<std::string_view> names) {
  const boost::json::value* v = Find(o, names);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return WrongType("must be a string", names);
  return std::optional<std::string>(std::string(v->as_string()));
}

StatusOr<std::string> RequiredString(const boost::json::object& o,
                                     std::initializer_list<std::string_view> names) {
  DOSSIER_ASSIGN_OR_RETURN(auto s, OptionalString(o, names));
  if (!s || s->empty()) return InvalidArgument("is required", "missing-field", FirstName(names));
  return *s;
}

StatusOr<std::optional<uint64_t>> OptionalUint(const boost::json::object& o,
                                               std::initializer_list<std::string_view> names) {
  const boost::json::value* v = Find(o, names);
  if (v == nullptr || v->is_null()) return std::optional<uint64_t>();
  if (v->is_uint64()) return std::optional<uint64_t>(v->as_uint64());
  if (v->is_int64() && v->as_int64() >= 0)
    return std::optional<uint64_t>(static_cast<uint64_t>(v->as_int64()));
  if (v->is_string()) {
    StatusOr<uint64_t> parsed = ParseUint64(v->as_string(), FirstName(names));
    if (parsed.ok()) return std::optional<uint64_t>(*parsed);
  }
  return WrongType("must be a non-negative integer", names);
}

StatusOr<std::optional<bool>> OptionalBool(const boost::json::object& o,
                                           std::initializer_list<std::string_view> names) {
  const boost::json::value* v = Find(o, names);
  if (v == nullptr || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return WrongType("must be true or false", names);
  return std::optional<bool>(v->as_bool());
}

Status RejectUnknownMembers(const boost::json::object& o, std::initializer_list<std::string_view> allowed) {
  for (const auto& member : o) {
    bool known = false;
    for (std::string_view name : allowed) known = known || member.key() == name;
    if (!known) {
      return InvalidArgument("unknown member \"" + std::string(member.key()) + "\"", "unknown-field",
                             std::string(member.key()));
    }
  }
  return Status::Ok();
}

std::string StringMember(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace dossier
