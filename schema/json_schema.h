// JSON Schema (2020-12, as OpenAPI 3.1 uses it) of protobuf messages in their
// JSON mapping, derived from the descriptors: the one source of the content
// schemas in /openapi.json, so that the contract cannot drift from the protos.
//
// Mapping (protobuf JSON mapping, https://protobuf.dev/programming-guides/json/):
// - a message is an object whose properties are the fields' JSON names
//   (lowerCamelCase); unknown members are not forbidden because requests may
//   also use the proto field names
// - 64-bit integers are integers or decimal strings (the mapping writes strings)
// - enums are their value names; bytes are base64 strings
// - repeated fields are arrays, maps are objects
// - google.protobuf.Struct is any object, Value any JSON, Timestamp an RFC 3339
//   string
// - a nested message is a "$ref" to `ref_prefix` + its full name, and is added
//   to `defs` (with everything it references) under that full name.
//
// Pure function of the descriptors; thread-safe.
#pragma once

#include <google/protobuf/descriptor.h>

#include <boost/json/object.hpp>
#include <string>

namespace dossier::schema {

// Adds the schema of `message` and of every message it references to `defs`,
// keyed by full name ("dossier.v1.Dossier"); references between them are
// `ref_prefix` + full name ("#/components/schemas/dossier.v1.Device").
void AddProtoJsonSchemas(const google::protobuf::Descriptor& message, const std::string& ref_prefix,
                         boost::json::object& defs);

}  // namespace dossier::schema
