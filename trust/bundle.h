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
//     "signerKeyRevocation": {"leaf": <leaf>, "logIndex": 9,
//                             "inclusionProof": [...]},   (only when revoked)
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

#include <cstdint>
#include <map>
#include <optional>
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

// The signer key's revocation as the log records it: a key-revoked leaf whose
// timestamp is when the revocation takes effect (it may be set in the past,
// for a key found compromised, or in the future).
struct KeyRevocationEvidence {
  LogLeaf leaf;
  uint64_t log_index = 0;
  std::vector<std::string> inclusion_proof;
};

struct Bundle {
  std::string content_digest;
  std::string media_type;
  DsseEnvelope envelope;
  std::string signer_public_key_pem;
  LogLeaf signer_key_leaf;
  uint64_t signer_key_log_index = 0;
  std::vector<std::string> signer_key_inclusion_proof;
  // Present when the signer key's revocation is in the checkpointed tree.
  std::optional<KeyRevocationEvidence> signer_key_revocation;
  LogLeaf leaf;
  uint64_t log_index = 0;
  std::vector<std::string> inclusion_proof;
  std::string checkpoint_note;
};

// Parses a bundle's JSON text. Its JSON form (BundleToJson) is in
// trust/json_forms.h, which the SDK does not install.
StatusOr<Bundle> BundleFromJson(std::string_view json);

struct BundleVerification {
  Statement statement;
  Checkpoint checkpoint;
  std::string signer_key_id;
};

// Verifies `bundle` against the log identified by `log_origin` (also the note
// key name of its checkpoints) and `log_key` (Ed25519). When `content_bytes`
// is non-null it must hash to the content digest. This is the one
// verification of a signed version received from elsewhere: the SDK, `dossier
// verify` and the server's peer puller all call it. Each failed check has its
// own reason, checked in this order:
//   "note-signature-invalid" / "bad-note" / "bad-checkpoint"
//                              checkpoint not signed by the log (the note is
//                              parsed by trust/checkpoint.h, never sliced)
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
//                              statement's tenant for the signer key (the
//                              statement's tenant does not own the key)
//   "signer-key-not-before-leaf"  key registered at or after the leaf's index
//   "signer-key-inclusion-invalid"  key leaf not included in the checkpoint
//   "signer-key-revocation-mismatch"  the revocation given is not a
//                              key-revoked leaf of the same tenant and key
//   "signer-key-revocation-inclusion-invalid"  revocation leaf not included
//   "signer-key-revoked"       the key's revocation took effect at or before
//                              the leaf's timestamp and was logged before the
//                              leaf: the log accepted a revoked key's
//                              signature (a node that does so misbehaves)
//   "signer-key-revoked-retroactively"  the revocation, logged after the
//                              leaf, takes effect before it (a key found
//                              compromised): the signature is no longer
//                              trusted, though the log behaved correctly.
//                              Effective in the leaf's own millisecond, a
//                              revocation logged after the leaf does not
//                              disown it: at equal times the log's order
//                              decides (a revocation "from now" right after
//                              a commit shares its millisecond)
//   "content-digest-mismatch"  content bytes do not hash to contentDigest
// A revocation is compared by when it takes effect, as the server refuses a
// commit (revokedAt <= now): a revocation logged earlier but effective later
// than the leaf does not invalidate it. A bundle without a revocation cannot
// prove the key was never revoked; a pulling node sees a revocation in the
// log's later bundles.
StatusOr<BundleVerification> VerifyBundle(const Bundle& bundle, std::string_view log_origin,
                                          const PublicKey& log_key, const std::string* content_bytes);

// VerifyBundle for many bundles of one log (a peer's feed page): remembers the
// last checkpoint note that verified and the signer keys it parsed, keyed by
// their exact text, so a page costs one checkpoint verification and one PEM
// parse per signer key instead of one per bundle (OpenSSL 3's PEM decoding was
// two thirds of the CPU of a pulled entry, docs/PERFORMANCE.md). Verify gives
// exactly VerifyBundle's result. Not thread-safe: one per pulling thread.
class BundleVerifier {
 public:
  BundleVerifier(std::string log_origin, PublicKey log_key);
  StatusOr<BundleVerification> Verify(const Bundle& bundle, const std::string* content_bytes);
  // The first check of Verify alone: `note` is a checkpoint signed by the log
  // key under the log's origin, and names that origin. For a page of bundles
  // sharing one note, and for a page without bundles.
  StatusOr<Checkpoint> VerifyCheckpoint(const std::string& note);

 private:
  // A signer key with what every bundle compares it with, computed once.
  struct SignerKeyFacts {
    PublicKey key;
    std::string key_id;
    std::string leaf_digest;  // KeyLeafDigest(key)
  };
  StatusOr<SignerKeyFacts> SignerKey(const std::string& pem);

  std::string log_origin_;
  PublicKey log_key_;
  std::string verified_note_;  // the last note that verified, and its checkpoint
  Checkpoint verified_checkpoint_;
  std::map<std::string, SignerKeyFacts> signer_keys_;  // by PEM text, at most kMaxSignerKeys
};

}  // namespace dossier::trust
