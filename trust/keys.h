// Public and private signing keys: Ed25519 and ECDSA P-256, through OpenSSL 3
// EVP.
//
// Contract
// - Only Ed25519 and ECDSA over NIST P-256 are supported. Any other key type
//   (RSA, other curves, X25519...) is InvalidArgument reason "unsupported-key";
//   input that is not a parseable key is reason "bad-key".
// - PublicKey and PrivateKey are immutable values sharing a reference-counted
//   OpenSSL key: copying is cheap, and all const methods may be called from
//   many threads at once (each call uses its own EVP context).
// - Key id: lowercase hex SHA-256 of the DER SubjectPublicKeyInfo, i.e.
//   `openssl pkey -pubin -outform DER | sha256sum`.
// - Signatures: Ed25519 is the 64-byte raw signature (RFC 8032, "pure"
//   Ed25519 over the whole message). P-256 is ECDSA over SHA-256 of the message;
//   Sign produces DER (X9.62 Ecdsa-Sig-Value), Verify accepts DER or 64-byte
//   raw r||s (the JOSE/WebCrypto form).
// - No method throws; failed verification is InvalidArgument reason
//   "signature-invalid". OpenSSL's thread-local error queue is left clean.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

// Forward declaration so this header does not pull in OpenSSL.
typedef struct evp_pkey_st EVP_PKEY;

namespace dossier::trust {

enum class KeyAlgorithm { kEd25519, kEcdsaP256 };

// "ed25519" / "ecdsa-p256".
std::string_view KeyAlgorithmName(KeyAlgorithm algorithm);

class PublicKey {
 public:
  // An empty key: it has no algorithm material, Pem()/SpkiDer()/KeyId() are
  // empty and Verify fails with reason "no-key". Exists so keys can live in
  // containers and structs; obtain real keys from the factories below.
  PublicKey() = default;

  // "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo) PEM.
  static StatusOr<PublicKey> FromPem(std::string_view pem);
  // DER SubjectPublicKeyInfo; trailing bytes are rejected.
  static StatusOr<PublicKey> FromSpkiDer(std::string_view der);
  // The 32-byte RFC 8032 public key.
  static StatusOr<PublicKey> FromRawEd25519(std::string_view raw32);

  bool empty() const { return rep_ == nullptr; }
  KeyAlgorithm algorithm() const;
  std::string Pem() const;
  std::string SpkiDer() const;
  // Lowercase hex SHA-256 of SpkiDer().
  std::string KeyId() const;
  // The 32-byte raw key for Ed25519; empty for other algorithms.
  std::string RawEd25519() const;

  // OK when `signature` is a valid signature of `message` by this key.
  Status Verify(std::string_view message, std::string_view signature) const;

  // Borrowed OpenSSL handle (null when empty); valid while this key lives.
  EVP_PKEY* evp_pkey() const;

 private:
  friend class PrivateKey;
  struct Rep;
  explicit PublicKey(std::shared_ptr<const Rep> rep) : rep_(std::move(rep)) {}
  static StatusOr<PublicKey> FromEvp(EVP_PKEY* owned);
  // A named-curve P-256 SPKI with an uncompressed point, built without
  // OpenSSL's decoder (see trust/keys.cc).
  static StatusOr<PublicKey> FromP256Spki(std::string_view der);
  std::shared_ptr<const Rep> rep_;
};

class PrivateKey {
 public:
  // A fresh key from the OpenSSL default random generator.
  static StatusOr<PrivateKey> Generate(KeyAlgorithm algorithm);
  // PKCS#8 "PRIVATE KEY" or traditional ("EC PRIVATE KEY") PEM. Encrypted PEM
  // is rejected (reason "bad-key"); this never prompts for a passphrase.
  static StatusOr<PrivateKey> FromPem(std::string_view pem);
  // An Ed25519 key from its 32-byte RFC 8032 seed (the "secret key").
  static StatusOr<PrivateKey> FromRawEd25519(std::string_view seed32);

  // Unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"). Holds the secret:
  // callers decide where it may be written.
  std::string Pem() const;
  PublicKey public_key() const { return public_key_; }
  KeyAlgorithm algorithm() const { return public_key_.algorithm(); }

  // Signature of `message` in the form described at the top of this file.
  // Fails only on an internal OpenSSL error (reason "sign-failed").
  StatusOr<std::string> Sign(std::string_view message) const;

 private:
  struct Rep;
  PrivateKey(std::shared_ptr<const Rep> rep, PublicKey pub)
      : rep_(std::move(rep)), public_key_(std::move(pub)) {}
  static StatusOr<PrivateKey> FromEvp(EVP_PKEY* owned);
  std::shared_ptr<const Rep> rep_;
  PublicKey public_key_;
};

}  // namespace dossier::trust
