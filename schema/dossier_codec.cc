#include "schema/dossier_codec.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <vector>

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

Status Unparsable(std::string_view what, std::string detail) {
  return InvalidArgument(std::string(what) + " content is not valid: " + detail, "content-unparsable");
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
    return Status::Ok();
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
  return Status::Ok();
}

std::string MessageToJson(const pb::Message& message) {
  pb::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.preserve_proto_field_names = false;
  options.always_print_primitive_fields = false;
  std::string out;
  // Cannot fail for a generated message that holds valid UTF-8; a Struct with a
  // NaN number is the only known failure and yields "".
  (void)pb::util::MessageToJsonString(message, &out, options);
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
