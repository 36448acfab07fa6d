// Offline verification bundles: everything needed to check one committed
// version without contacting the server, given only the log's origin and
// public key (issue "tamper evidence"; DESIGN.md §4 step 4).
//
// JSON form (BundleToJson / BundleFromJson), lowerCamelCase, hashes base64:
//   {
//     "contentDigest": "sha256:<hex>",
//     "mediaType": "application/vnd.dossier.v1+json",
//     "envelope": { DSSE envelope, see dsse.h },
//     "signerPublicKeyPem": "-----BEGIN PUBLIC KEY-----\n...",
//     "signerKeyLeaf": <leaf>,
//     "signerKeyLogIndex": 3,
//     "signerKeyInclusionProof": ["<base64 32 bytes>", ...],
//     "leaf": <leaf>,
//     "logIndex": 17,
//     "inclusionProof": ["<base64 32 bytes>", ...],
//     "checkpoint": "<signed note text>"
//   }
//   <leaf> = {"kind", "tenant", "object", "version", "contentDigest",
//             "envelopeDigest", "timestampMs"}
// Integers are written as JSON numbers; readers also accept decimal strings
// (the protobuf JSON mapping writes 64-bit integers as strings). Unknown
// members are ignored so later versions can add fields. Parse errors are
// InvalidArgument reason "bad-bundle" with the JSON path in `field`.
//
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "trust/checkpoint.h"
#include "trust/dsse.h"
#include "trust/keys.h"
#include "trust/log_leaf.h"
#include "trust/statement.h"

namespace dossier::trust {

struct Bundle {
  std::string content_digest;
  std::string media_type;
  DsseEnvelope envelope;
  std::string signer_public_key_pem;
  LogLeaf signer_key_leaf;
  uint64_t signer_key_log_index = 0;
  std::vector<std::string> signer_key_inclusion_proof;
  LogLeaf leaf;
  uint64_t log_index = 0;
  std::vector<std::string> inclusion_proof;
  std::string checkpoint_note;
};

boost::json::object BundleToJson(const Bundle& bundle);
StatusOr<Bundle> BundleFromJson(std::string_view json);

// JSON of one leaf, as used inside bundles (and handy for API responses).
boost::json::object LogLeafToJson(const LogLeaf& leaf);

struct BundleVerification {
  Statement statement;
  Checkpoint checkpoint;
  std::string signer_key_id;
};

// Verifies `bundle` against the log identified by `log_origin` (also the note
// key name of its checkpoints) and `log_key` (Ed25519). When `content_bytes`
// is non-null it must hash to the content digest. Each failed check has its own
// reason, checked in this order:
//   "note-signature-invalid" / "bad-note" / "bad-checkpoint"
//                              checkpoint not signed by the log
//   "wrong-log-origin"         checkpoint origin is not log_origin
//   "bad-key" / "unsupported-key"   signer key PEM unusable
//   "wrong-payload-type"       envelope payload type is not a statement
//   "signature-invalid" / "no-signatures"   envelope not signed by signer key
//   "bad-statement"            payload is not a valid statement
//   "statement-mismatch"       statement's contentDigest/mediaType differ
//                              from the bundle's
//   "leaf-mismatch"            leaf kind/tenant/object/version/contentDigest
//                              differ from the statement, or its
//                              envelopeDigest is not that of the envelope
//   "inclusion-proof-invalid"  leaf not included in the checkpoint's tree
//   "signer-key-mismatch"      key leaf is not a key-registered entry of the
//                              statement's tenant for the signer key
//   "signer-key-not-before-leaf"  key registered at or after the leaf's index
//   "signer-key-inclusion-invalid"  key leaf not included in the checkpoint
//   "content-digest-mismatch"  content bytes do not hash to contentDigest
// Revocation is not checked: the server refuses envelopes from revoked keys at
// commit time, and an offline bundle cannot prove a negative.
StatusOr<BundleVerification> VerifyBundle(const Bundle& bundle, std::string_view log_origin,
                                          const PublicKey& log_key, const std::string* content_bytes);

}  // namespace dossier::trust
