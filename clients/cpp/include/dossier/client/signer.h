// dossier::client::Signer: whatever signs a statement for the SDK — a key in
// memory, an encrypted PEM file, a PKCS#11 token (an HSM, a smart card), or an
// integrator's own (a cloud KMS). Every SDK call that signs (Commit,
// CommitDecision, CommitDecisionContent, RecordModification,
// PostPerformanceReport, RecordLedgerEvent) takes a SigningKey, which is either
// a trust::PrivateKey or a std::shared_ptr<const Signer>.
//
// What the SDK does with a Signer: it builds DSSE's PAE(payloadType, payload)
// for the statement, asks SignAsync for a signature over those bytes, checks
// the signature against public_key() before anything is sent (reason
// "signer-mismatch" when the token's key is not the key it claims to be), and
// puts key_id() into the envelope as DSSE's keyid hint. The server verifies the
// signature against the tenant's registered keys as for any commit, so the
// public key must be registered first (Client::RegisterKey(public_key())).
//
// Signatures: Ed25519 is the 64-byte RFC 8032 signature over the message;
// ECDSA P-256 is over SHA-256 of the message, DER (X9.62) or raw r||s — the
// same forms trust::PublicKey::Verify accepts.
//
// Thread-safety: the SDK may call a Signer from several threads at once (one
// AsyncClient strand per client, several clients); implementations must be
// thread-safe. The ones below are.
//
// Lifetimes: the SDK keeps the shared_ptr for the duration of each call that
// signs, so a Signer may be released by the caller while a call is pending.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "trust/keys.h"

namespace dossier::client {

class Signer {
 public:
  virtual ~Signer() = default;

  virtual trust::KeyAlgorithm algorithm() const = 0;
  // The public half, as registered with the server.
  virtual trust::PublicKey public_key() const = 0;
  // The id the server names the key by: lowercase hex SHA-256 of the DER SPKI
  // (trust/keys.h). Default: public_key().KeyId().
  virtual std::string key_id() const;

  // Signs `message` (the whole message; P-256 signers hash it with SHA-256).
  // Failures carry a reason of the implementation ("sign-failed",
  // "pkcs11-error", ...), returned to the caller of the SDK call unchanged.
  virtual StatusOr<std::string> Sign(std::string_view message) const = 0;

  // The asynchronous form, which the SDK uses. `done` must be called exactly
  // once, from any thread; the SDK resumes its call on the client's strand.
  // The default calls Sign() on the calling thread (the client's strand): fine
  // for in-memory keys and local tokens. A signer that waits on the network
  // (a remote HSM, a cloud KMS) should override this and complete `done` from
  // its own I/O, so the client's strand keeps serving other calls meanwhile.
  using SignDone = std::function<void(StatusOr<std::string>)>;
  virtual void SignAsync(std::string message, SignDone done) const;
};

// What the signing calls take: a Signer, or (implicitly) a trust::PrivateKey,
// so `client->Commit(request, key)` keeps working with an in-memory key.
// Cheap to copy; shares the Signer.
class SigningKey {
 public:
  SigningKey(const trust::PrivateKey& key);          // NOLINT: implicit by design
  SigningKey(std::shared_ptr<const Signer> signer);  // NOLINT: implicit by design
  const Signer& signer() const { return *signer_; }
  const std::shared_ptr<const Signer>& shared() const { return signer_; }

 private:
  std::shared_ptr<const Signer> signer_;
};

// ---- in memory

// A trust::PrivateKey held in this process.
std::shared_ptr<const Signer> MakeInMemorySigner(trust::PrivateKey key);

// ---- encrypted PEM file

// Asked once for the passphrase of an encrypted key (or the PIN of a token).
// Return the secret, or an error (e.g. the user cancelled: reason of your
// choice, returned unchanged). The SDK wipes its copy after use.
using SecretFn = std::function<StatusOr<std::string>()>;

// Reads a PKCS#8 "ENCRYPTED PRIVATE KEY" PEM (e.g. `openssl genpkey ... -aes-256-cbc`,
// `openssl pkcs8 -topk8 -v2 aes-256-cbc`), asks `passphrase` once and keeps
// the decrypted key in memory for the Signer's lifetime. Ed25519 or P-256.
// Reasons: "io-error" (unreadable file), "key-not-encrypted" (a plain PEM: use
// trust::PrivateKey::FromPem, deliberately, instead), "bad-passphrase" (wrong
// passphrase or corrupt file), "unsupported-key", or the SecretFn's own error.
StatusOr<std::shared_ptr<const Signer>> LoadEncryptedPemSigner(const std::filesystem::path& path,
                                                               const SecretFn& passphrase);

// ---- PKCS#11 (HSM, smart card, SoftHSM2)

// A loaded PKCS#11 module (`.so`), initialised once. PKCS#11 initialisation is
// per process: load each module once and open every signer from that one
// object. The module is finalised when the last Pkcs11Module and the signers
// opened from it are gone — unless it was already initialised by someone else
// in the process (then it is left initialised).
class Pkcs11Module {
 public:
  // dlopen()s `path` (e.g. /usr/lib/softhsm/libsofthsm2.so) and calls
  // C_Initialize (OS locking). Reasons "pkcs11-load-failed", "pkcs11-error".
  static StatusOr<std::shared_ptr<Pkcs11Module>> Load(const std::filesystem::path& path);
  virtual ~Pkcs11Module() = default;

 protected:
  Pkcs11Module() = default;
};

struct Pkcs11KeySpec {
  // The token, by label (CKA_LABEL of the token, as `softhsm2-util --show-slots` prints it). Required
  // unless slot_id is set.
  std::string token_label{};
  // The private key, by CKA_LABEL and/or CKA_ID (hex). At least one; when both
  // are given both must match. Exactly one private key must match.
  std::string key_label{};
  std::string key_id_hex{};
  // The user PIN, asked once when the session logs in.
  SecretFn pin{};
  // Or the token by its slot (CK_SLOT_ID, as `pkcs11-tool -L` or
  // `softhsm2-util --show-slots` print it), for tokens without a unique label.
  // When set, that slot's token is used, and token_label (if not empty) must
  // be its label; token_label may then be empty.
  std::optional<unsigned long> slot_id{};
};

// Opens a session on the token, logs in as the user and finds the key pair:
// the private key (CKO_PRIVATE_KEY), and its public half from the public key
// object with the same CKA_ID (or label). Ed25519 (CKK_EC_EDWARDS, CKM_EDDSA)
// and P-256 (CKK_EC with the prime256v1 OID, CKM_ECDSA over a SHA-256 computed
// here, answered as DER) are supported. The private key never leaves the
// token. Signing calls on one signer are serialised on its session.
// Reasons: "pkcs11-token-not-found", "pkcs11-key-not-found" (none or several
// match), "pkcs11-login-failed" (wrong PIN, locked), "unsupported-key",
// "pkcs11-error" (any other CKR_, named in the message).
StatusOr<std::shared_ptr<const Signer>> OpenPkcs11Signer(std::shared_ptr<Pkcs11Module> module,
                                                         const Pkcs11KeySpec& spec);

}  // namespace dossier::client
