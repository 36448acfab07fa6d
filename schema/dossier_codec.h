// Parsing and printing of the content objects of package dossier.v1
// (Dossier, ChangePlan, Decision) in their two wire forms.
//
// Contract
// - JSON follows the protobuf JSON mapping. Parsing accepts lowerCamelCase and
//   the original proto field names, enum values by name (or number), and
//   rejects unknown members. Printing uses lowerCamelCase, omits fields at
//   their default value and writes no insignificant whitespace.
// - Protobuf binary parsing rejects input that leaves unknown fields anywhere
//   in the message tree, and both forms reject a google.protobuf.Value (in a
//   Struct such as sections[].data) that has no JSON form: no kind set, or a
//   NaN/Infinity number. Both forms store -0 as 0 and any NaN (in double
//   fields) as the quiet NaN, since JSON prints them so. Hence both forms
//   accept exactly the same set of messages and every parsed message prints
//   to JSON that parses back to it.
// - Failures come back as Status, never exceptions: INVALID_ARGUMENT with
//   reason "content-unparsable" (message says where), "invalid-value" (field()
//   is the JSON path of the Value, e.g. "sections[0].data.scores[2]") or
//   "unsupported-media-type".
// - Parsing does not validate semantics; see schema/validate.h.
// - All functions are thread-safe (no shared mutable state).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "dossier/v1/change_plan.pb.h"
#include "dossier/v1/decision.pb.h"
#include "dossier/v1/dossier.pb.h"

namespace dossier::schema {

enum class ContentFormat { kJson, kProtobuf };

inline constexpr std::string_view kDossierMediaTypeBase = "application/vnd.dossier.v1";
inline constexpr std::string_view kDossierJsonMediaType = "application/vnd.dossier.v1+json";
inline constexpr std::string_view kDossierProtobufMediaType = "application/vnd.dossier.v1+protobuf";
inline constexpr std::string_view kChangePlanMediaTypeBase = "application/vnd.dossier.change-plan.v1";
inline constexpr std::string_view kChangePlanJsonMediaType = "application/vnd.dossier.change-plan.v1+json";
inline constexpr std::string_view kChangePlanProtobufMediaType =
    "application/vnd.dossier.change-plan.v1+protobuf";
inline constexpr std::string_view kDecisionMediaTypeBase = "application/vnd.dossier.decision.v1";
inline constexpr std::string_view kDecisionJsonMediaType = "application/vnd.dossier.decision.v1+json";
inline constexpr std::string_view kDecisionProtobufMediaType = "application/vnd.dossier.decision.v1+protobuf";

// Returns kJson for `expected_base + "+json"` and kProtobuf for
// `expected_base + "+protobuf"`. Comparison ignores ASCII case, surrounding
// whitespace and parameters (";charset=utf-8"). Anything else fails with
// reason "unsupported-media-type".
StatusOr<ContentFormat> FormatOfMediaType(std::string_view media_type, std::string_view expected_base);

// Returns the media type for `format` under `base`, e.g.
// MediaTypeOf(kDossierMediaTypeBase, ContentFormat::kJson) == kDossierJsonMediaType.
std::string MediaTypeOf(std::string_view base, ContentFormat format);

// Parses `bytes` as a dossier.v1.Dossier. Fails with "content-unparsable" or
// "invalid-value".
StatusOr<v1::Dossier> ParseDossier(std::string_view bytes, ContentFormat format);
// The protobuf JSON mapping of `dossier` (lowerCamelCase, compact).
std::string DossierToJson(const v1::Dossier& dossier);
// Deterministic protobuf binary encoding of `dossier`.
std::string DossierToProtobuf(const v1::Dossier& dossier);

StatusOr<v1::ChangePlan> ParseChangePlan(std::string_view bytes, ContentFormat format);
std::string ChangePlanToJson(const v1::ChangePlan& plan);
std::string ChangePlanToProtobuf(const v1::ChangePlan& plan);

StatusOr<v1::Decision> ParseDecision(std::string_view bytes, ContentFormat format);
std::string DecisionToJson(const v1::Decision& decision);
std::string DecisionToProtobuf(const v1::Decision& decision);

// Generic forms of the above for any generated message.
Status ParseMessage(std::string_view bytes, ContentFormat format, google::protobuf::Message* out);
// Prints with schema/json_print.h, or with protobuf's printer for what that
// declines; the text is the same either way.
std::string MessageToJson(const google::protobuf::Message& message);
// The same text from protobuf's own printer (util::MessageToJsonString, 3-5x
// slower): the reference the direct printer is tested against.
std::string MessageToJsonByProtobuf(const google::protobuf::Message& message);
std::string MessageToProtobuf(const google::protobuf::Message& message);

}  // namespace dossier::schema
