// Internal: the one mapping between the SDK's types (dossier/client/types.h)
// and the JSON of the wire (API.md). Every call of the SDK reads the server's
// answers and writes its request bodies through these functions; nothing else
// in the SDK names a JSON member of a typed value.
//
// Each type's members are listed once, in json_mapping.cc, and that one list
// drives both directions, so reading what was written gives the value back.
//
// Reading is strict about what it understands and lenient about what it does
// not:
// - a required member that is missing, or any known member of the wrong JSON
//   type, is an error with field() the path of the member
//   ("versions[2].logIndex", "receipt.signature"): reason "bad-response" in
//   a server answer, "missing-field" / "bad-field" in a request type;
// - an unknown member of a server answer is kept (in the type's `json_text` member
//   when it has one) and is not an error: later servers add members;
// - an unknown member of a request type (NewTenant, NewSubmission, Decision,
//   DecisionSection, NewRelianceAgreement, NewPeer), which a caller wrote, is
//   an error (reason "unknown-field"): it would be dropped silently otherwise.
// Numbers may come as JSON numbers or as decimal strings (protobuf's JSON
// mapping of 64-bit integers). Writing omits empty optional strings and empty
// lists; numbers and booleans are always written.
//
// Members that do not come from the JSON body are set by the caller:
// ObjectInfo::etag (a header), BlobInfo::created and CommitResult::
// already_committed (the status code), Receipt::signature_verified and
// LogPublicKey::key_id (computed).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "dossier/client/types.h"

namespace dossier::client::internal {

// A problem+json answer (RFC 9457 members the SDK uses).
struct ProblemDocument {
  std::string code;  // the stable reason, e.g. "parent-mismatch"
  std::string title;
  std::string detail;
  std::string field;  // JSON path of the offending input
};

// One server's entry in ClientOptions::checkpoint_file.
struct RememberedCheckpoint {
  uint64_t tree_size = 0;
  std::string root_hash;  // 32 raw bytes
  std::string origin;     // the log it was verified as (empty in files written before pinning)
  std::string key_id;     // the log key that signed it, for the record
};

// Reads one value of type T from `value` (an object); `path` prefixes the
// field paths of errors. Defined for every type of types.h that travels as a
// JSON object.
template <typename T>
StatusOr<T> FromJson(const boost::json::value& value, std::string_view path = {});

// Writes `value` as a JSON object (its `json_text` member, if any, is not written).
template <typename T>
boost::json::object ToJson(const T& value);

// Reads the array member `member` of `object` as a list of T (a missing
// member is an empty list).
template <typename T>
StatusOr<std::vector<T>> ListFromJson(const boost::json::object& object, std::string_view member);

// A page of dossiers or change plans: {"dossiers"|"changePlans": [...], "nextPageToken"}.
StatusOr<ObjectPage> ObjectPageFromJson(const boost::json::value& value, ObjectKind kind);
boost::json::object ObjectPageToJson(const ObjectPage& page, ObjectKind kind);
// The list member of a page of `kind`: "dossiers" / "changePlans".
std::string_view ObjectListMember(ObjectKind kind);

// {"hashes": [base64, ...]} as raw 32-byte hashes.
StatusOr<std::vector<std::string>> ProofFromJson(const boost::json::value& value);
boost::json::object ProofToJson(const std::vector<std::string>& hashes);

// JSON text a caller passed (JsonText arguments, types.h) as an object:
// InvalidArgument reason "bad-json", field `argument`, when it is not one, so
// nothing is sent.
StatusOr<boost::json::object> ParseCallerObject(std::string_view text, std::string_view argument);

// Parses `text` as a JSON object (reason "bad-response" otherwise).
StatusOr<boost::json::object> ParseObject(std::string_view text);

}  // namespace dossier::client::internal
