// Fuzz target (c): DSSE envelopes and the statements inside them, and the
// public keys that verify them, as the server receives them in commits.
//
// Input: one selector byte, then the bytes.
//   0: envelope JSON -> ParseEnvelope -> verify with the fixed signer key ->
//      ParseStatement(payload); invariant: SerializeEnvelope output re-parses
//      to an envelope that serialises to the same bytes.
//   1: statement JSON -> ParseStatement; invariant: SerializeStatement
//      re-parses to an equal statement.
//   2: public key PEM -> PublicKey::FromPem -> KeyId, verify a signature.
//   3: public key DER -> PublicKey::FromSpkiDer.
//   else: raw signature bytes checked against the fixed statement (never valid
//      unless it is the real signature).
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"

using namespace dossier;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  static const trust::PublicKey signer = fuzz::SignerKey().public_key();
  switch (data[0] % 5) {
    case 0: {
      auto env = trust::ParseEnvelope(bytes);
      if (!env.ok()) return 0;
      (void)trust::Pae(env->payload_type, env->payload);
      (void)trust::VerifyEnvelope(*env, signer);
      const std::string once = trust::SerializeEnvelope(*env);
      auto again = trust::ParseEnvelope(once);
      if (!again.ok()) fuzz::Violation("serialised envelope does not parse: " + again.status().ToString());
      if (trust::SerializeEnvelope(*again) != once) fuzz::Violation("envelope serialisation is not stable");
      if (env->payload_type == trust::kStatementPayloadType) (void)trust::ParseStatement(env->payload);
      break;
    }
    case 1: {
      auto st = trust::ParseStatement(bytes);
      if (!st.ok()) return 0;
      auto again = trust::ParseStatement(trust::SerializeStatement(*st));
      if (!again.ok()) fuzz::Violation("serialised statement does not parse: " + again.status().ToString());
      if (!(*again == *st)) fuzz::Violation("statement round trip changed it");
      break;
    }
    case 2: {
      auto key = trust::PublicKey::FromPem(bytes);
      if (!key.ok()) return 0;
      (void)key->KeyId();
      (void)key->RawEd25519();
      (void)key->Verify("message", std::string(64, 'x'));
      auto again = trust::PublicKey::FromSpkiDer(key->SpkiDer());
      if (!again.ok() || again->KeyId() != key->KeyId())
        fuzz::Violation("SPKI DER of a parsed key does not re-parse");
      break;
    }
    case 3: {
      auto key = trust::PublicKey::FromSpkiDer(bytes);
      if (key.ok()) (void)key->Pem();
      break;
    }
    default: {
      static const std::string pae = trust::Pae(trust::kStatementPayloadType, "{}");
      (void)signer.Verify(pae, bytes);
      break;
    }
  }
  return 0;
}
