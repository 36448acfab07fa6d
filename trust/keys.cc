#include "trust/keys.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>
#include <optional>

#include "trust/digest.h"
#include "trust/encoding.h"

namespace dossier::trust {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// OpenSSL reports details on a thread-local queue. We report through Status
// instead, so drain it to keep later, unrelated OpenSSL calls unconfused.
template <typename T>
T ClearErrors(T value) {
  ERR_clear_error();
  return value;
}

BioPtr MemBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

// DER SubjectPublicKeyInfo of an Ed25519 key (RFC 8410) is this 12-byte
// prefix followed by the 32-byte key.
constexpr unsigned char kEd25519SpkiPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
constexpr size_t kEd25519SpkiSize = sizeof(kEd25519SpkiPrefix) + 32;

bool IsEd25519Spki(std::string_view der) {
  return der.size() == kEd25519SpkiSize &&
         std::memcmp(der.data(), kEd25519SpkiPrefix, sizeof(kEd25519SpkiPrefix)) == 0;
}

// DER SubjectPublicKeyInfo of a P-256 key with an uncompressed point (RFC
// 5480: id-ecPublicKey, namedCurve prime256v1): this 26-byte prefix, then 0x04
// and the 32-byte X and Y. This is the form OpenSSL and every common tool
// write.
constexpr unsigned char kP256SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                             0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                             0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
constexpr size_t kP256SpkiSize = sizeof(kP256SpkiPrefix) + 65;

bool IsUncompressedP256Spki(std::string_view der) {
  return der.size() == kP256SpkiSize &&
         std::memcmp(der.data(), kP256SpkiPrefix, sizeof(kP256SpkiPrefix)) == 0 &&
         static_cast<unsigned char>(der[sizeof(kP256SpkiPrefix)]) == 0x04;
}

// The DER of the first "PUBLIC KEY" PEM block in `pem`, or nullopt when there
// is none. Like OpenSSL's PEM reader, text before the BEGIN line and after the
// END line is ignored, the armour lines must start a line, and the body is
// base64 with any white space (LF or CRLF lines); unlike it, a body with
// headers ("Proc-Type:", only meaningful for encrypted private keys) is
// refused. Why not PEM_read_bio_PUBKEY: OpenSSL 3 builds a decoder context for
// every call, about 1 ms of CPU even for input that holds no PEM at all, more
// than an Ed25519 verification; key registration and peer configuration take
// PEM from clients, and servers and the SDK parse the same few keys over and
// over. The DER then goes through FromSpkiDer, i.e. the same shortcuts and
// d2i_PUBKEY, which reads the SubjectPublicKeyInfo exactly as the PEM reader's
// decoder does.
std::optional<std::string> PublicKeyPemDer(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN PUBLIC KEY-----";
  constexpr std::string_view kEnd = "-----END PUBLIC KEY-----";
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t begin = pem.find(kBegin);
  while (begin != std::string_view::npos && begin != 0 && pem[begin - 1] != '\n') {
    begin = pem.find(kBegin, begin + 1);
  }
  if (begin == std::string_view::npos) return std::nullopt;
  const size_t body = begin + kBegin.size();
  const size_t end = pem.find(kEnd, body);
  if (end == std::string_view::npos || pem[end - 1] != '\n') return std::nullopt;
  std::string base64;
  for (size_t i = body; i < end; ++i) {
    if (!is_space(pem[i])) base64.push_back(pem[i]);
  }
  auto der = Base64Decode(base64);
  if (!der.ok()) return std::nullopt;
  return std::move(der).value();
}

// Classifies an OpenSSL key; only our two algorithms are accepted.
StatusOr<KeyAlgorithm> AlgorithmOf(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "ED25519")) return KeyAlgorithm::kEd25519;
  if (EVP_PKEY_is_a(pkey, "EC")) {
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &len) == 1 &&
        (std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0)) {
      return KeyAlgorithm::kEcdsaP256;
    }
    return ClearErrors(InvalidArgument("EC keys must use curve P-256", "unsupported-key"));
  }
  return InvalidArgument("only Ed25519 and ECDSA P-256 keys are supported", "unsupported-key");
}

// Reads a password callback that always refuses: a PEM that needs one fails
// instead of prompting on the terminal.
int NoPassword(char*, int, int, void*) { return -1; }

// Converts a 64-byte raw r||s P-256 signature to DER; empty on failure.
std::string RawEcdsaToDer(std::string_view raw) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (sig == nullptr) return {};
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  BIGNUM* r = BN_bin2bn(p, 32, nullptr);
  BIGNUM* s = BN_bin2bn(p + 32, 32, nullptr);
  std::string der;
  if (r != nullptr && s != nullptr && ECDSA_SIG_set0(sig, r, s) == 1) {
    r = s = nullptr;  // owned by sig now
    int len = i2d_ECDSA_SIG(sig, nullptr);
    if (len > 0) {
      der.resize(static_cast<size_t>(len));
      auto* out = reinterpret_cast<unsigned char*>(der.data());
      i2d_ECDSA_SIG(sig, &out);
    }
  }
  BN_free(r);
  BN_free(s);
  ECDSA_SIG_free(sig);
  return der;
}

Status SignatureInvalid() {
  ERR_clear_error();
  return InvalidArgument("signature does not verify", "signature-invalid");
}

}  // namespace

std::string_view KeyAlgorithmName(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kEd25519:
      return "ed25519";
    case KeyAlgorithm::kEcdsaP256:
      return "ecdsa-p256";
  }
  return "unknown";
}

// Immutable after construction; the cached encodings save work on every
// KeyId() call (the server computes key ids per request).
struct PublicKey::Rep {
  Rep(PkeyPtr key, KeyAlgorithm alg, std::string der)
      : pkey(std::move(key)), algorithm(alg), spki_der(std::move(der)), key_id(HexEncode(Sha256(spki_der))) {}
  PkeyPtr pkey;
  KeyAlgorithm algorithm;
  std::string spki_der;
  std::string key_id;
};

StatusOr<PublicKey> PublicKey::FromEvp(EVP_PKEY* owned) {
  PkeyPtr pkey(owned);
  DOSSIER_ASSIGN_OR_RETURN(KeyAlgorithm algorithm, AlgorithmOf(pkey.get()));
  if (algorithm == KeyAlgorithm::kEd25519) {
    // Built by hand: i2d_PUBKEY goes through an OpenSSL 3 encoder context,
    // which costs about as much as a verification.
    std::string der(reinterpret_cast<const char*>(kEd25519SpkiPrefix), sizeof(kEd25519SpkiPrefix));
    der.resize(kEd25519SpkiSize);
    size_t raw_len = 32;
    if (EVP_PKEY_get_raw_public_key(
            pkey.get(), reinterpret_cast<unsigned char*>(&der[sizeof(kEd25519SpkiPrefix)]), &raw_len) != 1 ||
        raw_len != 32) {
      return ClearErrors(InvalidArgument("cannot encode public key", "bad-key"));
    }
    return PublicKey(std::make_shared<Rep>(std::move(pkey), algorithm, std::move(der)));
  }
  int len = i2d_PUBKEY(pkey.get(), nullptr);
  if (len <= 0) return ClearErrors(InvalidArgument("cannot encode public key", "bad-key"));
  std::string der(static_cast<size_t>(len), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_PUBKEY(pkey.get(), &out);
  return PublicKey(std::make_shared<Rep>(std::move(pkey), algorithm, std::move(der)));
}

StatusOr<PublicKey> PublicKey::FromP256Spki(std::string_view der) {
  // OpenSSL checks that the point is on the curve while importing it
  // (EC_POINT_oct2point), as d2i_PUBKEY would.
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), &EVP_PKEY_CTX_free);
  std::string point(der.substr(sizeof(kP256SpkiPrefix)));
  char group[] = "prime256v1";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1 || raw == nullptr) {
    return ClearErrors(InvalidArgument("invalid P-256 public key", "bad-key"));
  }
  // The input is already the canonical encoding i2d_PUBKEY would write.
  return PublicKey(std::make_shared<Rep>(PkeyPtr(raw), KeyAlgorithm::kEcdsaP256, std::string(der)));
}

StatusOr<PublicKey> PublicKey::FromPem(std::string_view pem) {
  auto der = PublicKeyPemDer(pem);
  if (!der) return InvalidArgument("not a PEM public key", "bad-key");
  return FromSpkiDer(*der);
}

StatusOr<PublicKey> PublicKey::FromSpkiDer(std::string_view der) {
  if (IsEd25519Spki(der)) return FromRawEd25519(der.substr(sizeof(kEd25519SpkiPrefix)));
  if (IsUncompressedP256Spki(der)) return FromP256Spki(der);
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* pkey = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  if (pkey == nullptr) return ClearErrors(InvalidArgument("not a DER SubjectPublicKeyInfo", "bad-key"));
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    EVP_PKEY_free(pkey);
    return InvalidArgument("trailing bytes after SubjectPublicKeyInfo", "bad-key");
  }
  return FromEvp(pkey);
}

StatusOr<PublicKey> PublicKey::FromRawEd25519(std::string_view raw32) {
  if (raw32.size() != 32) return InvalidArgument("Ed25519 public key must be 32 bytes", "bad-key");
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                               reinterpret_cast<const unsigned char*>(raw32.data()), 32);
  if (pkey == nullptr) return ClearErrors(InvalidArgument("invalid Ed25519 public key", "bad-key"));
  return FromEvp(pkey);
}

KeyAlgorithm PublicKey::algorithm() const { return rep_ ? rep_->algorithm : KeyAlgorithm::kEd25519; }

std::string PublicKey::SpkiDer() const { return rep_ ? rep_->spki_der : std::string(); }

std::string PublicKey::KeyId() const { return rep_ ? rep_->key_id : std::string(); }

EVP_PKEY* PublicKey::evp_pkey() const { return rep_ ? rep_->pkey.get() : nullptr; }

std::string PublicKey::Pem() const {
  if (!rep_) return {};
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), rep_->pkey.get()) != 1) return ClearErrors(std::string());
  return BioContents(bio.get());
}

std::string PublicKey::RawEd25519() const {
  if (!rep_ || rep_->algorithm != KeyAlgorithm::kEd25519) return {};
  std::string raw(32, '\0');
  size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(rep_->pkey.get(), reinterpret_cast<unsigned char*>(raw.data()), &len) !=
          1 ||
      len != 32) {
    return ClearErrors(std::string());
  }
  return raw;
}

namespace {

// One EVP verification; true only when the signature checks out.
bool EvpVerify(EVP_PKEY* pkey, KeyAlgorithm algorithm, std::string_view message, std::string_view signature) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  // Ed25519 hashes internally, so it takes no digest and must be one-shot.
  const EVP_MD* md = algorithm == KeyAlgorithm::kEd25519 ? nullptr : EVP_sha256();
  bool ok =
      EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace

Status PublicKey::Verify(std::string_view message, std::string_view signature) const {
  if (!rep_) return FailedPrecondition("verify with an empty public key", "no-key");
  if (rep_->algorithm == KeyAlgorithm::kEd25519) {
    if (signature.size() != 64) return SignatureInvalid();
    return EvpVerify(rep_->pkey.get(), rep_->algorithm, message, signature) ? Status::Ok()
                                                                            : SignatureInvalid();
  }
  // P-256: 64 bytes is almost surely raw r||s; a DER signature of exactly 64
  // bytes is possible but rare, so fall back to DER when raw fails.
  if (signature.size() == 64) {
    std::string der = RawEcdsaToDer(signature);
    if (!der.empty() && EvpVerify(rep_->pkey.get(), rep_->algorithm, message, der)) return Status::Ok();
  }
  return EvpVerify(rep_->pkey.get(), rep_->algorithm, message, signature) ? Status::Ok() : SignatureInvalid();
}

struct PrivateKey::Rep {
  PkeyPtr pkey;
};

StatusOr<PrivateKey> PrivateKey::FromEvp(EVP_PKEY* owned) {
  PkeyPtr pkey(owned);
  DOSSIER_RETURN_IF_ERROR(AlgorithmOf(pkey.get()).status());
  // The public half, re-parsed from its SPKI so the PublicKey shares no mutable
  // state with the private key.
  int len = i2d_PUBKEY(pkey.get(), nullptr);
  if (len <= 0) return ClearErrors(InvalidArgument("cannot derive public key", "bad-key"));
  std::string der(static_cast<size_t>(len), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_PUBKEY(pkey.get(), &out);
  DOSSIER_ASSIGN_OR_RETURN(PublicKey pub, PublicKey::FromSpkiDer(der));
  auto rep = std::make_shared<Rep>();
  rep->pkey = std::move(pkey);
  return PrivateKey(std::move(rep), std::move(pub));
}

StatusOr<PrivateKey> PrivateKey::Generate(KeyAlgorithm algorithm) {
  EVP_PKEY* pkey = algorithm == KeyAlgorithm::kEd25519 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                                                       : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (pkey == nullptr) return ClearErrors(Internal("key generation failed", "keygen-failed"));
  return FromEvp(pkey);
}

StatusOr<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  BioPtr bio = MemBio(pem);
  EVP_PKEY* pkey = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr) : nullptr;
  if (pkey == nullptr) return ClearErrors(InvalidArgument("not an unencrypted PEM private key", "bad-key"));
  return FromEvp(pkey);
}

StatusOr<PrivateKey> PrivateKey::FromRawEd25519(std::string_view seed32) {
  if (seed32.size() != 32) return InvalidArgument("Ed25519 seed must be 32 bytes", "bad-key");
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                                reinterpret_cast<const unsigned char*>(seed32.data()), 32);
  if (pkey == nullptr) return ClearErrors(InvalidArgument("invalid Ed25519 seed", "bad-key"));
  return FromEvp(pkey);
}

std::string PrivateKey::Pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PKCS8PrivateKey always writes PKCS#8, whatever the key type.
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), rep_->pkey.get(), nullptr, nullptr, 0, nullptr,
                                            nullptr) != 1) {
    return ClearErrors(std::string());
  }
  return BioContents(bio.get());
}

StatusOr<std::string> PrivateKey::Sign(std::string_view message) const {
  auto failed = [] { return ClearErrors(Internal("signing failed", "sign-failed")); };
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return failed();
  const EVP_MD* md = algorithm() == KeyAlgorithm::kEd25519 ? nullptr : EVP_sha256();
  if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, rep_->pkey.get()) != 1) return failed();
  const auto* msg = reinterpret_cast<const unsigned char*>(message.data());
  // One call into a buffer of the maximum size: asking for the length first
  // with a null buffer is not reliably side-effect free for streaming digests.
  int max_len = EVP_PKEY_get_size(rep_->pkey.get());
  if (max_len <= 0) return failed();
  size_t len = static_cast<size_t>(max_len);
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, msg, message.size()) !=
      1) {
    return failed();
  }
  sig.resize(len);
  return sig;
}

}  // namespace dossier::trust
