#include "schema/json_schema.h"

#include <boost/json.hpp>

namespace dossier::schema {
namespace json = boost::json;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

namespace {

json::object ScalarSchema(const FieldDescriptor& field, const std::string& ref_prefix, json::object& defs);

json::object MessageRef(const Descriptor& message, const std::string& ref_prefix, json::object& defs) {
  const std::string& name = message.full_name();
  if (name == "google.protobuf.Struct") return json::object{{"type", "object"}};
  if (name == "google.protobuf.Value") return json::object{};
  if (name == "google.protobuf.ListValue") return json::object{{"type", "array"}};
  if (name == "google.protobuf.Timestamp") return json::object{{"type", "string"}, {"format", "date-time"}};
  AddProtoJsonSchemas(message, ref_prefix, defs);
  return json::object{{"$ref", ref_prefix + name}};
}

json::object ScalarSchema(const FieldDescriptor& field, const std::string& ref_prefix, json::object& defs) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_UINT32:
      return json::object{{"type", "integer"}};
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT64:
      return json::object{{"type", json::array{"integer", "string"}}, {"pattern", "^-?[0-9]+$"}};
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return json::object{{"type", "number"}};
    case FieldDescriptor::CPPTYPE_BOOL:
      return json::object{{"type", "boolean"}};
    case FieldDescriptor::CPPTYPE_ENUM: {
      json::array names;
      for (int i = 0; i < field.enum_type()->value_count(); ++i)
        names.emplace_back(field.enum_type()->value(i)->name());
      return json::object{{"type", "string"}, {"enum", std::move(names)}};
    }
    case FieldDescriptor::CPPTYPE_STRING:
      if (field.type() == FieldDescriptor::TYPE_BYTES)
        return json::object{{"type", "string"}, {"contentEncoding", "base64"}};
      return json::object{{"type", "string"}};
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return MessageRef(*field.message_type(), ref_prefix, defs);
  }
  return json::object{};
}

json::object FieldSchema(const FieldDescriptor& field, const std::string& ref_prefix, json::object& defs) {
  if (field.is_map()) {
    const FieldDescriptor* value = field.message_type()->map_value();
    return json::object{{"type", "object"}, {"additionalProperties", ScalarSchema(*value, ref_prefix, defs)}};
  }
  if (field.is_repeated())
    return json::object{{"type", "array"}, {"items", ScalarSchema(field, ref_prefix, defs)}};
  return ScalarSchema(field, ref_prefix, defs);
}

}  // namespace

void AddProtoJsonSchemas(const Descriptor& message, const std::string& ref_prefix, json::object& defs) {
  if (defs.contains(message.full_name())) return;
  // Claimed before the fields are walked, so that recursive messages end.
  defs[message.full_name()] = json::object{};
  json::object properties;
  for (int i = 0; i < message.field_count(); ++i) {
    const FieldDescriptor& field = *message.field(i);
    properties[field.json_name()] = FieldSchema(field, ref_prefix, defs);
  }
  json::object schema{{"type", "object"}, {"properties", std::move(properties)}};
  defs[message.full_name()] = std::move(schema);
}

}  // namespace dossier::schema
