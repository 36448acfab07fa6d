// A direct printer of the protobuf JSON mapping for the content messages.
//
// Why: protobuf 3.21's util::MessageToJsonString serialises the message to
// binary, then walks that binary through its type-resolver "converter" and
// escapes every string a byte source at a time. Printing a GUDID release's
// 50,000 imported dossiers that way (147 MB of NDJSON) cost twice the import
// itself (docs/PERFORMANCE.md). This printer walks the message by reflection
// and writes the same text straight into a string.
//
// Contract
// - AppendJson appends to `out` exactly the bytes MessageToJsonString prints
//   with the codec's options (compact, lowerCamelCase names, fields at their
//   default value omitted, enums by name): fields in field-number order,
//   int64/uint64 quoted, doubles as printf "%.15g" (or "%.17g" where 15 digits
//   do not round-trip), strings escaped as protobuf escapes them (", \, C0 and
//   C1 controls, DEL, < and >, and the invisible and format code points it
//   lists, astral ones as surrogate pairs), unknown enum numbers as integers,
//   google.protobuf.Struct / Value / ListValue as JSON objects, values and
//   arrays, Struct members in the map's iteration order (as protobuf's
//   serialiser emits them).
// - It declines, returning false and leaving `out` in an unspecified state,
//   what it does not print itself: bytes, float, map fields other than a
//   Struct's, other well-known types (Any, Timestamp, Duration, wrappers,
//   FieldMask, Empty), proto2 messages, extensions, strings that are not valid
//   UTF-8, non-finite doubles, Values with no kind and nesting deeper than
//   kMaxJsonPrintDepth. The caller then prints with protobuf's printer (see
//   MessageToJson in dossier_codec.cc), so the answer is the same either way.
// - Byte-for-byte equality with protobuf's printer is checked by
//   schema_json_print_test and, for every input of the schema_content and
//   translate_import fuzz corpora, by those fuzz targets.
// - Thread-safe: no shared mutable state.
#pragma once

#include <google/protobuf/message.h>

#include <string>

namespace dossier::schema {

// Messages nested deeper than this are left to protobuf's printer, whose own
// recursion limit (64) shapes what it prints for them.
inline constexpr int kMaxJsonPrintDepth = 32;

[[nodiscard]] bool AppendJson(const google::protobuf::Message& message, std::string* out);

}  // namespace dossier::schema
