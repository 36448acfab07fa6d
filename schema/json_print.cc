#include "schema/json_print.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/struct.pb.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

namespace dossier::schema {
namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

constexpr char kHex[] = "0123456789abcdef";

void AppendU16Escape(uint32_t unit, std::string* out) {
  const char escaped[6] = {'\\',
                           'u',
                           kHex[(unit >> 12) & 0xf],
                           kHex[(unit >> 8) & 0xf],
                           kHex[(unit >> 4) & 0xf],
                           kHex[unit & 0xf]};
  out->append(escaped, sizeof escaped);
}

// The non-ASCII code points protobuf's JsonEscaping writes as \u escapes:
// C1 controls, and invisible or format characters it escapes so that the text
// is safe to embed in JavaScript.
bool EscapedNonAscii(uint32_t cp) {
  if (cp < 0xa0) return true;  // C1 controls (cp >= 0x80 here)
  switch (cp) {
    case 0x00ad:
    case 0x06dd:
    case 0x070f:
    case 0x17b4:
    case 0x17b5:
    case 0xfeff:
    case 0xfff9:
    case 0xfffa:
    case 0xfffb:
    case 0xe0001:
      return true;
    default:
      break;
  }
  return (cp >= 0x0600 && cp <= 0x0603) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206a && cp <= 0x206f) ||
         (cp >= 0x1d173 && cp <= 0x1d17a) || (cp >= 0xe0020 && cp <= 0xe007f);
}

// Escapes for the ASCII range: "" where the byte is written as is.
struct AsciiEscapes {
  std::array<const char*, 128> text{};
  constexpr AsciiEscapes() {
    for (auto& t : text) t = nullptr;
    text['"'] = "\\\"";
    text['\\'] = "\\\\";
    text['\b'] = "\\b";
    text['\t'] = "\\t";
    text['\n'] = "\\n";
    text['\f'] = "\\f";
    text['\r'] = "\\r";
  }
};
constexpr AsciiEscapes kAsciiEscapes;

bool NeedsAsciiEscape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == 0x7f;
}

// Decodes one UTF-8 sequence starting at s[i] (s[i] >= 0x80). Returns its
// length, or 0 for anything but a shortest-form encoding of a scalar value.
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  size_t len;
  uint32_t value;
  uint32_t min;
  if (lead >= 0xc2 && lead <= 0xdf) {
    len = 2, value = lead & 0x1f, min = 0x80;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    len = 3, value = lead & 0x0f, min = 0x800;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    len = 4, value = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    const unsigned char c = byte(i + k);
    if ((c & 0xc0) != 0x80) return 0;
    value = (value << 6) | (c & 0x3f);
  }
  if (value < min || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return 0;
  *cp = value;
  return len;
}

// Appends `s` as a quoted JSON string. False for text that is not valid UTF-8
// (protobuf's printer drops such bytes; left to it).
bool AppendString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (!NeedsAsciiEscape(c)) {
        ++i;
        continue;
      }
      out->append(s.data() + run, i - run);
      if (const char* e = kAsciiEscapes.text[c]) {
        out->append(e);
      } else {
        AppendU16Escape(c, out);
      }
      run = ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) return false;
    if (EscapedNonAscii(cp)) {
      out->append(s.data() + run, i - run);
      if (cp >= 0x10000) {
        const uint32_t v = cp - 0x10000;
        AppendU16Escape(0xd800 + (v >> 10), out);
        AppendU16Escape(0xdc00 + (v & 0x3ff), out);
      } else {
        AppendU16Escape(cp, out);
      }
      run = i + len;
    }
    i += len;
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
  return true;
}

template <typename Int>
void AppendInt(Int v, std::string* out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

// protobuf's SimpleDtoa: "%.15g", or "%.17g" where 15 digits do not read back
// as the same double. Non-finite values are declined.
bool AppendDouble(double v, std::string* out) {
  if (!std::isfinite(v)) return false;
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%.15g", v);
  if (std::strtod(buf, nullptr) != v) n = std::snprintf(buf, sizeof buf, "%.17g", v);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof buf) return false;
  out->append(buf, static_cast<size_t>(n));
  return true;
}

class Printer {
 public:
  // One scratch field list per depth, reused across the messages of that
  // depth; sized up front so that a reference to one stays valid while the
  // nested levels use theirs.
  explicit Printer(std::string* out) : out_(out), scratch_(kMaxJsonPrintDepth + 1) {}

  bool Message(const pb::Message& m, int depth) {
    if (depth > kMaxJsonPrintDepth) return false;
    const pb::Descriptor* d = m.GetDescriptor();
    switch (d->well_known_type()) {
      case pb::Descriptor::WELLKNOWNTYPE_UNSPECIFIED:
        break;
      case pb::Descriptor::WELLKNOWNTYPE_STRUCT:
        if (const auto* s = pb::DynamicCastToGenerated<pb::Struct>(&m)) return Struct(*s, depth);
        return false;
      case pb::Descriptor::WELLKNOWNTYPE_VALUE:
        if (const auto* v = pb::DynamicCastToGenerated<pb::Value>(&m)) return Value(*v, depth);
        return false;
      case pb::Descriptor::WELLKNOWNTYPE_LISTVALUE:
        if (const auto* l = pb::DynamicCastToGenerated<pb::ListValue>(&m)) return List(*l, depth);
        return false;
      default:
        return false;  // Any, Timestamp, Duration, wrappers, FieldMask
    }
    if (d->file()->syntax() != pb::FileDescriptor::SYNTAX_PROTO3) return false;
    const pb::Reflection* r = m.GetReflection();
    std::vector<const FD*>& fields = scratch_[depth];
    fields.clear();
    r->ListFields(m, &fields);  // the set fields, in field-number order
    out_->push_back('{');
    bool first = true;
    for (const FD* f : fields) {
      if (f->is_extension() || f->is_map()) return false;
      if (!first) out_->push_back(',');
      first = false;
      if (!AppendString(f->json_name(), out_)) return false;
      out_->push_back(':');
      if (f->is_repeated()) {
        const int n = r->FieldSize(m, f);
        out_->push_back('[');
        for (int i = 0; i < n; ++i) {
          if (i > 0) out_->push_back(',');
          if (!Field(m, r, f, i, depth)) return false;
        }
        out_->push_back(']');
      } else if (!Field(m, r, f, -1, depth)) {
        return false;
      }
    }
    out_->push_back('}');
    return true;
  }

 private:
  bool Enum(const pb::EnumDescriptor* type, int number) {
    if (const pb::EnumValueDescriptor* v = type->FindValueByNumber(number)) {
      out_->push_back('"');
      out_->append(v->name());  // an identifier: nothing to escape
      out_->push_back('"');
    } else {
      AppendInt(number, out_);
    }
    return true;
  }

  // Prints the singular field `f` (index < 0) or element `index` of the
  // repeated field `f`.
  bool Field(const pb::Message& m, const pb::Reflection* r, const FD* f, int index, int depth) {
    const bool element = index >= 0;
    switch (f->type()) {
      case FD::TYPE_STRING: {
        std::string scratch;
        return AppendString(element ? r->GetRepeatedStringReference(m, f, index, &scratch)
                                    : r->GetStringReference(m, f, &scratch),
                            out_);
      }
      case FD::TYPE_MESSAGE:
        return Message(element ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f), depth + 1);
      case FD::TYPE_BOOL:
        out_->append((element ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false");
        return true;
      case FD::TYPE_ENUM:
        return Enum(f->enum_type(), element ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f));
      case FD::TYPE_DOUBLE:
        return AppendDouble(element ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f), out_);
      case FD::TYPE_INT32:
      case FD::TYPE_SINT32:
      case FD::TYPE_SFIXED32:
        AppendInt(element ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f), out_);
        return true;
      case FD::TYPE_UINT32:
      case FD::TYPE_FIXED32:
        AppendInt(element ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f), out_);
        return true;
      case FD::TYPE_INT64:
      case FD::TYPE_SINT64:
      case FD::TYPE_SFIXED64:  // 64-bit integers are JSON strings
        out_->push_back('"');
        AppendInt(element ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f), out_);
        out_->push_back('"');
        return true;
      case FD::TYPE_UINT64:
      case FD::TYPE_FIXED64:
        out_->push_back('"');
        AppendInt(element ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f), out_);
        out_->push_back('"');
        return true;
      default:
        return false;  // float, bytes, group
    }
  }

  bool Struct(const pb::Struct& s, int depth) {
    out_->push_back('{');
    bool first = true;
    // The map's own order: protobuf's serialiser, which its printer reads
    // back, emits the entries in it.
    for (const auto& [key, value] : s.fields()) {
      if (!first) out_->push_back(',');
      first = false;
      if (!AppendString(key, out_)) return false;
      out_->push_back(':');
      if (!Value(value, depth + 1)) return false;
    }
    out_->push_back('}');
    return true;
  }

  bool List(const pb::ListValue& l, int depth) {
    out_->push_back('[');
    bool first = true;
    for (const pb::Value& v : l.values()) {
      if (!first) out_->push_back(',');
      first = false;
      if (!Value(v, depth + 1)) return false;
    }
    out_->push_back(']');
    return true;
  }

  bool Value(const pb::Value& v, int depth) {
    if (depth > kMaxJsonPrintDepth) return false;
    switch (v.kind_case()) {
      case pb::Value::kNullValue:
        out_->append("null");
        return true;
      case pb::Value::kNumberValue:
        return AppendDouble(v.number_value(), out_);
      case pb::Value::kStringValue:
        return AppendString(v.string_value(), out_);
      case pb::Value::kBoolValue:
        out_->append(v.bool_value() ? "true" : "false");
        return true;
      case pb::Value::kStructValue:
        return Struct(v.struct_value(), depth + 1);
      case pb::Value::kListValue:
        return List(v.list_value(), depth + 1);
      case pb::Value::KIND_NOT_SET:
        return false;  // protobuf prints nothing at all for it
    }
    return false;
  }

  std::string* out_;
  std::vector<std::vector<const FD*>> scratch_;
};

}  // namespace

bool AppendJson(const google::protobuf::Message& message, std::string* out) {
  Printer printer(out);
  return printer.Message(message, 0);
}

}  // namespace dossier::schema
