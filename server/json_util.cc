#include "server/json_util.h"

#include <openssl/rand.h>

#include <chrono>
#include <ctime>
#include <cstdio>

namespace dossier::server {
namespace {

const boost::json::value* Find(const boost::json::object& o, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (auto it = o.find(name); it != o.end()) return &it->value();
  }
  return nullptr;
}

std::string FirstName(std::initializer_list<std::string_view> names) { return std::string(*names.begin()); }

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
  if (!v->is_string()) return InvalidArgument("must be a string", "bad-field-type", FirstName(names));
  return std::optional<std::string>(std::string(v->as_string()));
}

StatusOr<std::string> RequiredString(const boost::json::object& o, std::initializer_list<std::string_view> names) {
  DOSSIER_ASSIGN_OR_RETURN(auto s, OptionalString(o, names));
  if (!s || s->empty()) return InvalidArgument("is required", "missing-field", FirstName(names));
  return *s;
}

StatusOr<std::optional<uint64_t>> OptionalUint(const boost::json::object& o,
                                               std::initializer_list<std::string_view> names) {
  const boost::json::value* v = Find(o, names);
  if (v == nullptr || v->is_null()) return std::optional<uint64_t>();
  if (v->is_uint64()) return std::optional<uint64_t>(v->as_uint64());
  if (v->is_int64() && v->as_int64() >= 0) return std::optional<uint64_t>(static_cast<uint64_t>(v->as_int64()));
  if (v->is_string()) {  // the protobuf JSON mapping writes 64-bit integers as strings
    const auto& s = v->as_string();
    uint64_t out = 0;
    if (s.empty() || s.size() > 19) return InvalidArgument("must be a non-negative integer", "bad-field-type", FirstName(names));
    for (char c : s) {
      if (c < '0' || c > '9') return InvalidArgument("must be a non-negative integer", "bad-field-type", FirstName(names));
      out = out * 10 + static_cast<uint64_t>(c - '0');
    }
    return std::optional<uint64_t>(out);
  }
  return InvalidArgument("must be a non-negative integer", "bad-field-type", FirstName(names));
}

StatusOr<std::optional<bool>> OptionalBool(const boost::json::object& o,
                                           std::initializer_list<std::string_view> names) {
  const boost::json::value* v = Find(o, names);
  if (v == nullptr || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return InvalidArgument("must be true or false", "bad-field-type", FirstName(names));
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

Status ValidateId(std::string_view id, std::string_view field) {
  bool ok = !id.empty() && id.size() <= 64 && id.front() != '-';
  for (char c : id) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok) return InvalidArgument("ids are 1 to 64 characters of [a-z0-9-], not starting with '-'", "bad-id", std::string(field));
  return Status::Ok();
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string StringMember(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string FormatTime(int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
  return buf;
}

StatusOr<int64_t> ParseTime(std::string_view text, std::string_view field) {
  int y, mo, d, h, mi, s;
  char tail[16] = {0};
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%15s", &y, &mo, &d, &h, &mi, &s, tail) < 6 ||
      mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return InvalidArgument("must be an RFC 3339 UTC time like 2026-11-29T08:00:00Z", "bad-time", std::string(field));
  }
  std::string rest(tail);
  int millis = 0;
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    int digits = 0;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') {
      if (digits < 3) millis = millis * 10 + (rest[i] - '0');
      ++digits;
      ++i;
    }
    for (; digits < 3; ++digits) millis *= 10;
    rest = rest.substr(i);
  }
  if (rest != "Z" && rest != "+00:00") {
    return InvalidArgument("must be an RFC 3339 UTC time ending in Z", "bad-time", std::string(field));
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + millis;
}

}  // namespace dossier::server
