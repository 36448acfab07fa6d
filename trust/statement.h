// The statement an author signs for each committed version (API.md "Wire
// formats", "Statement"): the DSSE payload with type kStatementPayloadType.
//
// Contract
// - ParseStatement is strict, because the server acts on what it says: a JSON
//   object with exactly the members tenant, object, version, parentDigest,
//   contentDigest, mediaType; strings non-empty except parentDigest, which is
//   "" (first version) or a digest reference; version an integer >= 1;
//   contentDigest a digest reference. Anything else is InvalidArgument reason
//   "bad-statement" with `field` naming the member.
// - It does not check semantics that need state (that version n's parent is
//   version n-1's digest, that version 1 has no parent); the server does.
// - Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dossier::trust {

inline constexpr std::string_view kStatementPayloadType = "application/vnd.dossier.statement.v1+json";

struct Statement {
  std::string tenant;
  std::string object;  // "dossiers/{d}", "change-plans/{p}", "submissions/{s}/decisions"
  uint64_t version = 0;
  std::string parent_digest;  // "" for the first version
  std::string content_digest;
  std::string media_type;

  friend bool operator==(const Statement&, const Statement&) = default;
};

StatusOr<Statement> ParseStatement(std::string_view json);

// Compact JSON {"tenant","object","version","parentDigest","contentDigest",
// "mediaType"} in that order; what SDKs put in the envelope payload.
std::string SerializeStatement(const Statement& statement);

}  // namespace dossier::trust
