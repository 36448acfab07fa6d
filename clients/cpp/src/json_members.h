// Internal to json_mapping.cc: how one member of a type is read from JSON
// (Reader, with the member's path for errors) and written to it (Writer).
// A type's Describe overload (json_mapping.cc) calls a visitor with each
// member: v("name", member, kRequired). Reader and Writer live in this
// namespace so that Describe, declared beside them, is found for nested types.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"
#include "json_mapping.h"
#include "trust/encoding.h"
#include "trust/keys.h"

namespace dossier::client::internal {
namespace json = boost::json;

// kOptionalNumber: an optional number that is left out when 0 (e.g. a
// version that only means something beside another member).
enum Presence { kOptional, kRequired, kOptionalNumber };

// Members whose JSON form differs from their C++ form.
struct Base64Bytes {  // raw bytes <-> base64 text
  std::string& bytes;
};
struct PemPublicKey {  // trust::PublicKey <-> PEM text
  trust::PublicKey& key;
};
struct JsonValueText {  // any JSON value <-> its JSON text (Version's envelope, content)
  std::string& text;
};
struct RevocationTime {  // "revokedAt" <-> the time and the derived flag
  std::string& at;
  bool& revoked;
};

inline std::string JoinPath(std::string_view path, std::string_view name) {
  return path.empty() ? std::string(name) : std::string(path) + "." + std::string(name);
}

inline std::string IndexPath(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

// Errors in what the server sent are its fault (500-like); errors in a
// request type read back are the caller's.
inline Status Problem(bool caller_input, const std::string& path, const std::string& what,
                      std::string_view caller_reason) {
  const std::string subject = path.empty() ? "the value" : path;
  if (caller_input) return InvalidArgument(subject + " " + what, std::string(caller_reason), path);
  return Status(StatusCode::kInternal, "the server's answer is not understood: " + subject + " " + what,
                "bad-response", path);
}

class Reader {
 public:
  Reader(const json::object& object, std::string_view path, bool caller_input)
      : object_(object), path_(path), caller_input_(caller_input) {}

  template <typename Member>
  void operator()(std::string_view name, Member&& member, Presence presence = kOptional) {
    claimed_.emplace_back(name);
    if (!status_.ok()) return;
    const json::value* v = object_.if_contains(name);
    if (v == nullptr || v->is_null()) {
      if (presence == kRequired) status_ = Problem(caller_input_, Path(name), "is required", "missing-field");
      return;
    }
    status_ = Read(*v, member, Path(name));
  }

  // The `json` member: the whole object as received.
  void Raw(std::string& whole_json_text) { whole_json_text = json::serialize(object_); }

  // Members of `inner` that sit in this same object (Version::info), minus
  // the members claimed so far.
  template <typename Inner>
  void Flatten(Inner& inner) {
    if (!status_.ok()) return;
    json::object rest = object_;
    for (const auto& name : claimed_) rest.erase(name);
    auto read = FromJson<Inner>(json::value(std::move(rest)), path_);
    if (read.ok()) {
      inner = std::move(read).value();
    } else {
      status_ = read.status();
    }
  }

  Status Finish() const {
    if (!status_.ok() || !caller_input_) return status_;
    for (const auto& [name, value] : object_) {
      if (std::find(claimed_.begin(), claimed_.end(), name) == claimed_.end())
        return InvalidArgument("is not a known member", "unknown-field", Path(name));
    }
    return Status::Ok();
  }

 private:
  std::string Path(std::string_view name) const { return JoinPath(path_, name); }
  Status Mistyped(const std::string& path, std::string_view expected) const {
    return Problem(caller_input_, path, "must be " + std::string(expected), "bad-field");
  }

  Status Read(const json::value& v, std::string& out, const std::string& path) const {
    if (!v.is_string()) return Mistyped(path, "a string");
    out = std::string(v.as_string());
    return Status::Ok();
  }
  Status Read(const json::value& v, uint64_t& out, const std::string& path) const {
    if (v.is_uint64()) {
      out = v.as_uint64();
    } else if (v.is_int64() && v.as_int64() >= 0) {
      out = static_cast<uint64_t>(v.as_int64());
    } else if (StatusOr<uint64_t> parsed = v.is_string()
                                               ? ParseUint64(v.as_string(), path)
                                               : StatusOr<uint64_t>(InvalidArgument("", "bad-integer"));
               parsed.ok()) {
      out = *parsed;  // protobuf's JSON mapping writes 64-bit integers as decimal strings
    } else {
      return Mistyped(path, "a non-negative integer");
    }
    return Status::Ok();
  }
  Status Read(const json::value& v, bool& out, const std::string& path) const {
    if (!v.is_bool()) return Mistyped(path, "true or false");
    out = v.as_bool();
    return Status::Ok();
  }
  Status Read(const json::value& v, json::value& out, const std::string&) const {
    out = v;
    return Status::Ok();
  }
  Status Read(const json::value& v, JsonValueText out, const std::string&) const {
    out.text = json::serialize(v);
    return Status::Ok();
  }
  Status Read(const json::value& v, Base64Bytes out, const std::string& path) const {
    if (!v.is_string()) return Mistyped(path, "base64 text");
    auto bytes = trust::Base64Decode(v.as_string());
    if (!bytes.ok()) return Mistyped(path, "base64 text");
    out.bytes = std::move(bytes).value();
    return Status::Ok();
  }
  Status Read(const json::value& v, PemPublicKey out, const std::string& path) const {
    if (!v.is_string()) return Mistyped(path, "a PEM public key");
    auto key = trust::PublicKey::FromPem(v.as_string());
    if (!key.ok()) return Mistyped(path, "a PEM public key");
    out.key = std::move(key).value();
    return Status::Ok();
  }
  Status Read(const json::value& v, RevocationTime out, const std::string& path) const {
    DOSSIER_RETURN_IF_ERROR(Read(v, out.at, path));
    out.revoked = true;
    return Status::Ok();
  }
  Status Read(const json::value& v, std::map<std::string, std::string>& out, const std::string& path) const {
    if (!v.is_object()) return Mistyped(path, "an object");
    for (const auto& [key, item] : v.as_object()) {
      DOSSIER_RETURN_IF_ERROR(Read(item, out[std::string(key)], JoinPath(path, key)));
    }
    return Status::Ok();
  }
  template <typename Item>
  Status Read(const json::value& v, std::vector<Item>& out, const std::string& path) const {
    if (!v.is_array()) return Mistyped(path, "an array");
    const auto& items = v.as_array();
    out.resize(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      DOSSIER_RETURN_IF_ERROR(Read(items[i], out[i], IndexPath(path, i)));
    }
    return Status::Ok();
  }
  template <typename Nested>
  Status Read(const json::value& v, Nested& out, const std::string& path) const {
    DOSSIER_ASSIGN_OR_RETURN(out, FromJson<Nested>(v, path));
    return Status::Ok();
  }

  const json::object& object_;
  std::string path_;
  bool caller_input_;
  std::vector<std::string> claimed_;
  Status status_;
};

class Writer {
 public:
  template <typename Member>
  void operator()(std::string_view name, const Member& member, Presence presence = kOptional) {
    auto v = Write(member);
    if (!v || (presence != kRequired && IsEmpty(*v))) return;
    if (presence == kOptionalNumber && v->is_number() && v->template to_number<double>() == 0) return;
    out_[name] = std::move(*v);
  }
  void Raw(const std::string&) {}  // members this SDK does not know are not re-sent
  template <typename Inner>
  void Flatten(const Inner& inner) {
    Describe(*this, const_cast<Inner&>(inner));  // Describe only reads through a Writer
  }
  json::object Take() { return std::move(out_); }

 private:
  // Empty strings, arrays and objects are left out of optional members;
  // numbers and booleans are always written.
  static bool IsEmpty(const json::value& v) {
    return (v.is_string() && v.as_string().empty()) || (v.is_array() && v.as_array().empty()) ||
           (v.is_object() && v.as_object().empty()) || v.is_null();
  }
  static std::optional<json::value> Write(const std::string& s) { return json::value(s); }
  static std::optional<json::value> Write(uint64_t n) { return json::value(n); }
  static std::optional<json::value> Write(bool b) { return json::value(b); }
  static std::optional<json::value> Write(const json::value& v) { return v; }
  static std::optional<json::value> Write(const JsonValueText& t) {
    if (t.text.empty()) return std::nullopt;
    boost::system::error_code ec;
    json::value v = json::parse(t.text, ec);
    if (ec) return std::nullopt;  // only the SDK's own serialisations are written back
    return v;
  }
  static std::optional<json::value> Write(const Base64Bytes& b) {
    return json::value(trust::Base64Encode(b.bytes));
  }
  static std::optional<json::value> Write(const PemPublicKey& k) { return json::value(k.key.Pem()); }
  static std::optional<json::value> Write(const RevocationTime& r) {
    return r.at.empty() ? std::nullopt : std::optional<json::value>(json::value(r.at));
  }
  static std::optional<json::value> Write(const std::map<std::string, std::string>& m) {
    json::object o;
    for (const auto& [k, v] : m) o[k] = v;
    return json::value(std::move(o));
  }
  template <typename Item>
  static std::optional<json::value> Write(const std::vector<Item>& items) {
    json::array a;
    for (const auto& item : items) a.push_back(*Write(item));
    return json::value(std::move(a));
  }
  template <typename Nested>
  static std::optional<json::value> Write(const Nested& nested) {
    return json::value(ToJson(nested));
  }

  json::object out_;
};

}  // namespace dossier::client::internal
