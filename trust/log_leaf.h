// What one transparency-log leaf says, and the server's receipt message. The
// server and every SDK must produce byte-identical leaves, so the encoding is
// fixed here and documented exactly.
//
// Leaf encoding (EncodeLogLeaf), version 1: UTF-8 text, eight lines, each
// terminated by "\n", no other bytes:
//
//   dossier-log-leaf/v1
//   <kind>             e.g. "version", "decision", "key-registered", "key-revoked"
//   <tenant>
//   <object>           e.g. "dossiers/pump-x"; for key entries "keys/<key id>"
//   <version>          unsigned decimal, no leading zeros ("0" for key entries)
//   <content_digest>   "sha256:<hex>" or "" (key entries)
//   <envelope_digest>  DigestRef(SHA-256(SerializeEnvelope(envelope))) for
//                      versions/decisions; DigestRef(SHA-256(SPKI DER)) for keys
//   <timestamp_ms>     signed decimal milliseconds since the Unix epoch
//
// The log's leaf hash is LeafHash(EncodeLogLeaf(leaf)) (RFC 6962 0x00 prefix).
//
// Contract
// - kind is non-empty [a-z0-9-]; tenant and object contain no control
//   characters (in particular no "\n"); digests are "" or valid digest
//   references, envelope_digest non-empty. ValidateLogLeaf checks this;
//   EncodeLogLeaf requires it (asserted in debug builds) and DecodeLogLeaf
//   enforces it plus the canonical number forms. Reason "bad-log-leaf".
// - Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "trust/keys.h"

namespace dossier::trust {

inline constexpr std::string_view kLeafKindVersion = "version";
inline constexpr std::string_view kLeafKindDecision = "decision";
inline constexpr std::string_view kLeafKindKeyRegistered = "key-registered";
inline constexpr std::string_view kLeafKindKeyRevoked = "key-revoked";

struct LogLeaf {
  std::string kind;
  std::string tenant;
  std::string object;
  uint64_t version = 0;
  std::string content_digest;
  std::string envelope_digest;
  int64_t timestamp_ms = 0;

  friend bool operator==(const LogLeaf&, const LogLeaf&) = default;
};

Status ValidateLogLeaf(const LogLeaf& leaf);
std::string EncodeLogLeaf(const LogLeaf& leaf);
StatusOr<LogLeaf> DecodeLogLeaf(std::string_view encoded);
// LeafHash(EncodeLogLeaf(leaf)): the 32-byte hash the log appends.
std::string LogLeafHash(const LogLeaf& leaf);

// DigestRef(SHA-256(SPKI DER)): the envelope_digest of key-registered and
// key-revoked leaves for `key`.
std::string KeyLeafDigest(const PublicKey& key);

// The bytes the server signs (with its log key) as the receipt of a committed
// leaf: "dossier-receipt/v1\n<origin>\n<index decimal>\n<base64 leaf hash>\n".
std::string ReceiptMessage(std::string_view origin, uint64_t log_index, std::string_view leaf_hash);

}  // namespace dossier::trust
