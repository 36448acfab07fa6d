// DSSE v1 envelopes (https://github.com/secure-systems-lab/dsse, protocol.md
// and envelope.md): the signed wrapper around every statement.
//
// Contract
// - Signatures cover PAE(payloadType, payload), never the JSON around them, so
//   any JSON re-encoding of an envelope verifies the same.
// - In memory, payload and sig are raw bytes; in JSON they are base64. Parsing
//   accepts the standard and the URL-safe alphabet (DSSE allows both);
//   serialising always writes standard padded base64.
// - Parse errors are InvalidArgument reason "bad-envelope" with `field` set to
//   the offending JSON path ("payload", "signatures[0].sig"). Unknown members
//   are ignored, as DSSE readers must tolerate them. At most
//   kMaxEnvelopeSignatures signatures are accepted, bounding verification work.
// - Pure functions; thread-safe. No exceptions escape.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "trust/keys.h"

namespace dossier::trust {

inline constexpr size_t kMaxEnvelopeSignatures = 16;

// "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths as ASCII decimal.
std::string Pae(std::string_view payload_type, std::string_view payload);

struct DsseSignature {
  std::string keyid;  // unauthenticated hint; may be empty
  std::string sig;    // raw signature bytes
};

struct DsseEnvelope {
  std::string payload_type;
  std::string payload;  // raw bytes
  std::vector<DsseSignature> signatures;
};

// Parses the JSON form {"payloadType", "payload", "signatures": [{"keyid"?, "sig"}]}.
StatusOr<DsseEnvelope> ParseEnvelope(std::string_view json);
// EnvelopeFromJson / EnvelopeToJson (the Boost.JSON forms) are in
// trust/json_forms.h, which the SDK does not install.

// Compact serialisation of EnvelopeToJson. Deterministic for a given envelope
// (used for envelope digests in the log), so its output must never change.
std::string SerializeEnvelope(const DsseEnvelope& envelope);

// Signs PAE(payload_type, payload) with `key`; keyid = key.public_key().KeyId().
StatusOr<DsseEnvelope> SignEnvelope(std::string_view payload_type, std::string_view payload,
                                    const PrivateKey& key);

// OK if any signature verifies over PAE with `key`; keyids are only hints and
// are not compared. Reasons: "no-signatures", "signature-invalid".
Status VerifyEnvelope(const DsseEnvelope& envelope, const PublicKey& key);

}  // namespace dossier::trust
