#include "schema/dossier_codec.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "schema/json_print.h"

namespace dossier::schema {
namespace {

namespace pb = google::protobuf;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Returns the path of the first unknown field found below `message`, or "".
std::string FindUnknownField(const pb::Message& message, const std::string& path) {
  const pb::Reflection* reflection = message.GetReflection();
  const pb::UnknownFieldSet& unknown = reflection->GetUnknownFields(message);
  if (!unknown.empty()) {
    return (path.empty() ? std::string() : path + ".") + "#" + std::to_string(unknown.field(0).number());
  }
  std::vector<const pb::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const pb::FieldDescriptor* field : fields) {
    if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const std::string child = (path.empty() ? std::string() : path + ".") + field->json_name();
    if (field->is_repeated()) {
      const int n = reflection->FieldSize(message, field);
      for (int i = 0; i < n; ++i) {
        std::string found = FindUnknownField(reflection->GetRepeatedMessage(message, field, i),
                                             child + "[" + std::to_string(i) + "]");
        if (!found.empty()) return found;
      }
    } else {
      std::string found = FindUnknownField(reflection->GetMessage(message, field), child);
      if (!found.empty()) return found;
    }
  }
  return {};
}

// The path component of member `key`: "k", or ["odd key"] when the key is not
// a plain identifier (Status::WithFieldPrefix joins the first with a dot).
std::string MemberComponent(const std::string& key) {
  const bool plain = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0])) &&
                     std::all_of(key.begin(), key.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                     });
  if (plain) return key;
  std::string quoted = "[\"";
  for (char c : key) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
      quoted += buf;
    } else {
      quoted += c;
    }
  }
  return quoted + "\"]";
}

std::string IndexComponent(int i) { return "[" + std::to_string(i) + "]"; }

// JSON has one zero and one NaN: the printer writes -0.0 as "-0", which parses
// back as +0, and every NaN as "NaN". So the parsers keep only +0.0 and the
// quiet NaN, and both wire forms agree on every number they accept.
template <typename F>
F CanonicalNumber(F v) {
  if (std::isnan(v)) return std::numeric_limits<F>::quiet_NaN();
  if (v == 0) return 0;
  return v;
}

// The walk below runs on every parse, so it builds no path while all is well:
// a failure carries its problem as the message and its path relative to the
// node that failed, and each level prefixes its own component on the way out
// (CanonicalizeForJson writes the final message).
Status InvalidValue(std::string_view problem) {
  return InvalidArgument(std::string(problem), "invalid-value");
}

// How deep the walk went: every message, Struct, Value and ListValue is a
// level. ParseMessage uses it to decide whether protobuf's JSON printer could
// run out of depth on the content (see CheckPrintsAsJson).
struct WalkDepth {
  int current = 0;
  int deepest = 0;
};

// Counts one level for the lifetime of a Canonicalize* call.
class DepthLevel {
 public:
  explicit DepthLevel(WalkDepth& d) : d_(d) { d_.deepest = std::max(d_.deepest, ++d_.current); }
  ~DepthLevel() { --d_.current; }
  DepthLevel(const DepthLevel&) = delete;
  DepthLevel& operator=(const DepthLevel&) = delete;

 private:
  WalkDepth& d_;
};

Status CanonicalizeValue(pb::Value* value, WalkDepth& depth);

Status CanonicalizeStruct(pb::Struct* s, WalkDepth& depth) {
  DepthLevel level(depth);
  bool all_valid = true;
  for (auto& [key, value] : *s->mutable_fields()) {
    if (!CanonicalizeValue(&value, depth).ok()) {
      all_valid = false;
      break;
    }
  }
  if (all_valid) return Status::Ok();
  // Report the first invalid member in key order, so the path does not depend
  // on map iteration order.
  std::vector<std::string> keys;
  keys.reserve(s->fields().size());
  for (const auto& [key, unused] : s->fields()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    Status member = CanonicalizeValue(&s->mutable_fields()->at(key), depth);
    if (!member.ok()) return member.WithFieldPrefix(MemberComponent(key));
  }
  return Status::Ok();
}

Status CanonicalizeList(pb::ListValue* list, WalkDepth& depth) {
  DepthLevel level(depth);
  for (int i = 0; i < list->values_size(); ++i) {
    Status element = CanonicalizeValue(list->mutable_values(i), depth);
    if (!element.ok()) return element.WithFieldPrefix(IndexComponent(i));
  }
  return Status::Ok();
}

// A google.protobuf.Value must have a JSON form: one kind set, and a finite
// number (a Struct number is a bare JSON number: no NaN or Infinity).
Status CanonicalizeValue(pb::Value* value, WalkDepth& depth) {
  DepthLevel level(depth);
  switch (value->kind_case()) {
    case pb::Value::KIND_NOT_SET:
      return InvalidValue("has no kind (null, number, string, bool, struct or list) set");
    case pb::Value::kNumberValue:
      if (!std::isfinite(value->number_value())) {
        return InvalidValue("is not a finite number (JSON has no NaN or Infinity)");
      }
      value->set_number_value(CanonicalNumber(value->number_value()));
      return Status::Ok();
    case pb::Value::kStructValue:
      return CanonicalizeStruct(value->mutable_struct_value(), depth);
    case pb::Value::kListValue:
      return CanonicalizeList(value->mutable_list_value(), depth);
    default:
      return Status::Ok();
  }
}

Status CanonicalizeMessage(pb::Message* message, WalkDepth& depth) {
  if (auto* s = pb::DynamicCastToGenerated<pb::Struct>(message)) return CanonicalizeStruct(s, depth);
  if (auto* l = pb::DynamicCastToGenerated<pb::ListValue>(message)) return CanonicalizeList(l, depth);
  if (auto* v = pb::DynamicCastToGenerated<pb::Value>(message)) return CanonicalizeValue(v, depth);
  DepthLevel level(depth);
  const pb::Reflection* reflection = message->GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  for (const pb::FieldDescriptor* field : fields) {
    const int n = field->is_repeated() ? reflection->FieldSize(*message, field) : 1;
    for (int i = 0; i < n; ++i) {
      switch (field->cpp_type()) {
        case pb::FieldDescriptor::CPPTYPE_DOUBLE:
          if (field->is_repeated()) {
            reflection->SetRepeatedDouble(message, field, i,
                                          CanonicalNumber(reflection->GetRepeatedDouble(*message, field, i)));
          } else {
            reflection->SetDouble(message, field, CanonicalNumber(reflection->GetDouble(*message, field)));
          }
          break;
        case pb::FieldDescriptor::CPPTYPE_FLOAT:
          if (field->is_repeated()) {
            reflection->SetRepeatedFloat(message, field, i,
                                         CanonicalNumber(reflection->GetRepeatedFloat(*message, field, i)));
          } else {
            reflection->SetFloat(message, field, CanonicalNumber(reflection->GetFloat(*message, field)));
          }
          break;
        case pb::FieldDescriptor::CPPTYPE_MESSAGE: {
          Status child =
              CanonicalizeMessage(field->is_repeated() ? reflection->MutableRepeatedMessage(message, field, i)
                                                       : reflection->MutableMessage(message, field),
                                  depth);
          if (!child.ok()) {
            if (field->is_repeated()) child = child.WithFieldPrefix(IndexComponent(i));
            return child.WithFieldPrefix(field->json_name());
          }
          break;
        }
        default:
          break;
      }
    }
  }
  return Status::Ok();
}

// Walks `message` after a parse, in either wire form: rejects any
// google.protobuf.Value without a JSON form (reason "invalid-value", field =
// its JSON path) and canonicalises -0 and NaN in float and double fields. The
// parsers' recursion limit bounds the depth; `*deepest` is set to the depth
// reached (WalkDepth).
Status CanonicalizeForJson(std::string_view what, pb::Message* message, int* deepest) {
  WalkDepth depth;
  Status s = CanonicalizeMessage(message, depth);
  *deepest = depth.deepest;
  if (s.ok()) return s;
  const std::string path = s.field();
  return InvalidArgument(
      std::string(what) + " content is not valid: " + (path.empty() ? "value" : path) + " " + s.message(),
      "invalid-value", path);
}

Status Unparsable(std::string_view what, std::string detail) {
  return InvalidArgument(std::string(what) + " content is not valid: " + detail, "content-unparsable");
}

pb::util::JsonPrintOptions PrintOptions() {
  pb::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.preserve_proto_field_names = false;
  options.always_print_primitive_fields = false;
  return options;
}

// Protobuf's JSON printer gives up at a nesting depth its parsers accept: a
// google.protobuf.Struct in a section's data nested 44 levels deep parsed in
// either wire form but printed as truncated JSON (fuzz_schema_content;
// fuzz/regressions/schema_content/deep-struct-prints-truncated-json.json).
// Content the server could not give back as JSON is refused when it arrives.
//
// Printing costs as much as parsing, so it is tried only for content nested
// at least kPrintCheckDepth levels (WalkDepth): protobuf 3.21's printer stops
// at a recursion depth of 64, twice that, and shallower content has no other
// way to fail it (the walk has already refused Values without a JSON form).
constexpr int kPrintCheckDepth = 32;

Status CheckPrintsAsJson(std::string_view what, const pb::Message& message, int depth) {
  if (depth < kPrintCheckDepth) return Status::Ok();
  std::string out;
  const pb::util::Status status = pb::util::MessageToJsonString(message, &out, PrintOptions());
  if (!status.ok()) return Unparsable(what, "cannot be printed as JSON: " + std::string(status.message()));
  return Status::Ok();
}

template <typename T>
StatusOr<T> ParseTyped(std::string_view bytes, ContentFormat format) {
  T message;
  Status status = ParseMessage(bytes, format, &message);
  if (!status.ok()) return status;
  return message;
}

}  // namespace

StatusOr<ContentFormat> FormatOfMediaType(std::string_view media_type, std::string_view expected_base) {
  std::string_view essence = media_type;
  if (size_t semi = essence.find(';'); semi != std::string_view::npos) essence = essence.substr(0, semi);
  essence = Trim(essence);
  if (essence.size() > expected_base.size() &&
      EqualsIgnoreCase(essence.substr(0, expected_base.size()), expected_base)) {
    std::string_view suffix = essence.substr(expected_base.size());
    if (EqualsIgnoreCase(suffix, "+json")) return ContentFormat::kJson;
    if (EqualsIgnoreCase(suffix, "+protobuf")) return ContentFormat::kProtobuf;
  }
  return InvalidArgument("media type \"" + std::string(media_type) + "\" is not supported; expected " +
                             std::string(expected_base) + "+json or " + std::string(expected_base) +
                             "+protobuf",
                         "unsupported-media-type");
}

std::string MediaTypeOf(std::string_view base, ContentFormat format) {
  return std::string(base) + (format == ContentFormat::kJson ? "+json" : "+protobuf");
}

Status ParseMessage(std::string_view bytes, ContentFormat format, pb::Message* out) {
  const std::string& what = out->GetDescriptor()->full_name();
  out->Clear();
  if (format == ContentFormat::kJson) {
    pb::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    options.case_insensitive_enum_parsing = false;
    pb::util::Status status;
    try {
      status = pb::util::JsonStringToMessage(pb::StringPiece(bytes.data(), bytes.size()), out, options);
    } catch (const std::exception& e) {
      return Unparsable(what, e.what());
    }
    if (!status.ok()) return Unparsable(what, std::string(status.message()));
    int depth = 0;
    DOSSIER_RETURN_IF_ERROR(CanonicalizeForJson(what, out, &depth));
    return CheckPrintsAsJson(what, *out, depth);
  }
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) return Unparsable(what, "message too large");
  pb::io::ArrayInputStream raw(bytes.data(), static_cast<int>(bytes.size()));
  pb::io::CodedInputStream input(&raw);
  if (!out->MergeFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
    return Unparsable(what, "malformed protobuf binary");
  }
  if (!out->IsInitialized()) return Unparsable(what, "missing required fields");
  std::string unknown = FindUnknownField(*out, "");
  if (!unknown.empty()) return Unparsable(what, "unknown field " + unknown);
  // Binary can carry Values that have no JSON form; reject them so both wire
  // forms accept the same messages.
  int depth = 0;
  DOSSIER_RETURN_IF_ERROR(CanonicalizeForJson(what, out, &depth));
  return CheckPrintsAsJson(what, *out, depth);
}

std::string MessageToJson(const pb::Message& message) {
  std::string out;
  if (AppendJson(message, &out)) return out;
  return MessageToJsonByProtobuf(message);
}

std::string MessageToJsonByProtobuf(const pb::Message& message) {
  std::string out;
  // Cannot fail for a message ParseMessage accepted (CheckPrintsAsJson); a
  // Struct Value with no kind, a NaN/Infinity number or a Struct nested too
  // deeply built in code would print wrongly or yield "".
  (void)pb::util::MessageToJsonString(message, &out, PrintOptions());
  return out;
}

std::string MessageToProtobuf(const pb::Message& message) {
  std::string out;
  {
    pb::io::StringOutputStream raw(&out);
    pb::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

StatusOr<v1::Dossier> ParseDossier(std::string_view bytes, ContentFormat format) {
  return ParseTyped<v1::Dossier>(bytes, format);
}
std::string DossierToJson(const v1::Dossier& dossier) { return MessageToJson(dossier); }
std::string DossierToProtobuf(const v1::Dossier& dossier) { return MessageToProtobuf(dossier); }

StatusOr<v1::ChangePlan> ParseChangePlan(std::string_view bytes, ContentFormat format) {
  return ParseTyped<v1::ChangePlan>(bytes, format);
}
std::string ChangePlanToJson(const v1::ChangePlan& plan) { return MessageToJson(plan); }
std::string ChangePlanToProtobuf(const v1::ChangePlan& plan) { return MessageToProtobuf(plan); }

StatusOr<v1::Decision> ParseDecision(std::string_view bytes, ContentFormat format) {
  return ParseTyped<v1::Decision>(bytes, format);
}
std::string DecisionToJson(const v1::Decision& decision) { return MessageToJson(decision); }
std::string DecisionToProtobuf(const v1::Decision& decision) { return MessageToProtobuf(decision); }

}  // namespace dossier::schema
