#define BOOST_TEST_MODULE trust_keys
#include "trust/keys.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>

#include "trust/digest.h"
#include "trust/encoding.h"

using namespace dossier::trust;

namespace {

std::string Unhex(std::string_view hex) { return HexDecode(hex).value(); }

struct Rfc8032Vector {
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 §7.1, TEST 1-3.
const Rfc8032Vector kVectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f"
     "0595bbe24"
     "655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2ea"
     "eb4302aee"
     "b00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e"
     "9716ed28d"
     "c027beceea1ec40a"},
};

// Key id computed without trust/: i2d_PUBKEY + OpenSSL SHA-256 + snprintf hex,
// i.e. `openssl pkey -pubin -outform DER | sha256sum`.
std::string IndependentKeyId(EVP_PKEY* pkey) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(pkey, &der);
  BOOST_REQUIRE(len > 0);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  BOOST_REQUIRE(EVP_Digest(der, static_cast<size_t>(len), md, &md_len, EVP_sha256(), nullptr) == 1);
  OPENSSL_free(der);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < md_len; ++i) {
    std::snprintf(buf, sizeof(buf), "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

}  // namespace

BOOST_AUTO_TEST_CASE(rfc8032_vectors) {
  for (const Rfc8032Vector& v : kVectors) {
    auto key = PrivateKey::FromRawEd25519(Unhex(v.secret));
    BOOST_REQUIRE(key.ok());
    BOOST_TEST((key->algorithm() == KeyAlgorithm::kEd25519));
    BOOST_TEST(HexEncode(key->public_key().RawEd25519()) == v.public_key);
    auto sig = key->Sign(Unhex(v.message));
    BOOST_REQUIRE(sig.ok());
    BOOST_TEST(HexEncode(*sig) == v.signature);
    auto pub = PublicKey::FromRawEd25519(Unhex(v.public_key));
    BOOST_REQUIRE(pub.ok());
    BOOST_TEST(pub->Verify(Unhex(v.message), Unhex(v.signature)).ok());
    BOOST_TEST(pub->Verify(Unhex(v.message) + "x", Unhex(v.signature)).reason() == "signature-invalid");
    std::string bad_sig = Unhex(v.signature);
    bad_sig[5] ^= 1;
    BOOST_TEST(pub->Verify(Unhex(v.message), bad_sig).reason() == "signature-invalid");
    BOOST_TEST(pub->Verify(Unhex(v.message), bad_sig.substr(1)).reason() == "signature-invalid");
  }
}

BOOST_AUTO_TEST_CASE(key_id_is_sha256_of_spki_der) {
  // RFC 8410: an Ed25519 SPKI is a fixed 12-byte prefix then the raw key.
  auto pub = PublicKey::FromRawEd25519(Unhex(kVectors[0].public_key));
  BOOST_REQUIRE(pub.ok());
  BOOST_TEST(HexEncode(pub->SpkiDer()) == std::string("302a300506032b6570032100") + kVectors[0].public_key);
  BOOST_TEST(pub->KeyId() == IndependentKeyId(pub->evp_pkey()));
  BOOST_TEST(pub->KeyId() ==
             HexEncode(Sha256(Unhex(std::string("302a300506032b6570032100") + kVectors[0].public_key))));
  for (KeyAlgorithm alg : {KeyAlgorithm::kEd25519, KeyAlgorithm::kEcdsaP256}) {
    auto key = PrivateKey::Generate(alg);
    BOOST_REQUIRE(key.ok());
    BOOST_TEST(key->public_key().KeyId() == IndependentKeyId(key->public_key().evp_pkey()));
    BOOST_TEST(key->public_key().KeyId().size() == 64u);
  }
}

BOOST_AUTO_TEST_CASE(sign_verify_round_trip_and_wrong_key) {
  for (KeyAlgorithm alg : {KeyAlgorithm::kEd25519, KeyAlgorithm::kEcdsaP256}) {
    BOOST_TEST_CONTEXT(KeyAlgorithmName(alg)) {
      auto key = PrivateKey::Generate(alg);
      auto other = PrivateKey::Generate(alg);
      BOOST_REQUIRE(key.ok());
      BOOST_REQUIRE(other.ok());
      BOOST_TEST((key->algorithm() == alg));
      auto sig = key->Sign("message");
      BOOST_REQUIRE(sig.ok());
      BOOST_TEST(key->public_key().Verify("message", *sig).ok());
      BOOST_TEST(key->public_key().Verify("messagE", *sig).reason() == "signature-invalid");
      BOOST_TEST(other->public_key().Verify("message", *sig).reason() == "signature-invalid");
      BOOST_TEST(key->public_key().Verify("message", "").reason() == "signature-invalid");
      BOOST_TEST(key->public_key().Verify("message", std::string(64, '\0')).reason() == "signature-invalid");
    }
  }
}

BOOST_AUTO_TEST_CASE(p256_accepts_der_and_raw_signatures) {
  auto key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  BOOST_REQUIRE(key.ok());
  auto der = key->Sign("hello");
  BOOST_REQUIRE(der.ok());
  BOOST_TEST(static_cast<unsigned char>((*der)[0]) == 0x30);  // DER SEQUENCE
  // Convert DER -> raw r||s with OpenSSL directly.
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der->size()));
  BOOST_REQUIRE(sig != nullptr);
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  ECDSA_SIG_free(sig);
  BOOST_TEST(key->public_key().Verify("hello", raw).ok());
  raw[40] ^= 1;
  BOOST_TEST(key->public_key().Verify("hello", raw).reason() == "signature-invalid");
}

BOOST_AUTO_TEST_CASE(pem_and_der_round_trips) {
  for (KeyAlgorithm alg : {KeyAlgorithm::kEd25519, KeyAlgorithm::kEcdsaP256}) {
    auto key = PrivateKey::Generate(alg);
    BOOST_REQUIRE(key.ok());
    std::string pem = key->Pem();
    BOOST_TEST(pem.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0u);
    auto again = PrivateKey::FromPem(pem);
    BOOST_REQUIRE(again.ok());
    BOOST_TEST(again->public_key().KeyId() == key->public_key().KeyId());
    auto sig = again->Sign("x");
    BOOST_TEST(key->public_key().Verify("x", *sig).ok());

    std::string pub_pem = key->public_key().Pem();
    BOOST_TEST(pub_pem.rfind("-----BEGIN PUBLIC KEY-----", 0) == 0u);
    auto pub = PublicKey::FromPem(pub_pem);
    BOOST_REQUIRE(pub.ok());
    BOOST_TEST(pub->KeyId() == key->public_key().KeyId());
    BOOST_TEST((pub->algorithm() == alg));
    auto from_der = PublicKey::FromSpkiDer(pub->SpkiDer());
    BOOST_REQUIRE(from_der.ok());
    BOOST_TEST(from_der->KeyId() == pub->KeyId());
    BOOST_TEST(PublicKey::FromSpkiDer(pub->SpkiDer() + "x").status().reason() == "bad-key");
    BOOST_TEST(PublicKey::FromSpkiDer(pub->SpkiDer().substr(1)).status().reason() == "bad-key");
    PublicKey copy = *pub;  // copies share the key
    BOOST_TEST(copy.Verify("x", *sig).ok());
  }
}

// FromPem reads the PEM armour itself and FromSpkiDer takes a shortcut for
// plain Ed25519 and uncompressed P-256 keys (no OpenSSL decoder); both must
// give exactly what OpenSSL's own reader and encoder give, for every PEM shape
// OpenSSL's reader takes.
BOOST_AUTO_TEST_CASE(key_shortcuts_match_openssl) {
  for (int i = 0; i < 40; ++i) {
    auto key = PrivateKey::Generate(i % 2 == 0 ? KeyAlgorithm::kEd25519 : KeyAlgorithm::kEcdsaP256);
    BOOST_REQUIRE(key.ok());
    const std::string pem = key->public_key().Pem();
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* reference = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    BOOST_REQUIRE(reference != nullptr);
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(reference, &der);
    BOOST_REQUIRE(len > 0);
    const std::string reference_der(reinterpret_cast<char*>(der), static_cast<size_t>(len));
    OPENSSL_free(der);
    EVP_PKEY_free(reference);

    auto fast = PublicKey::FromPem(pem);
    BOOST_REQUIRE(fast.ok());
    BOOST_TEST(fast->SpkiDer() == reference_der);
    BOOST_TEST(fast->KeyId() == HexEncode(Sha256(reference_der)));
    BOOST_TEST(fast->Pem() == pem);
    auto sig = key->Sign("message");
    BOOST_REQUIRE(sig.ok());
    BOOST_TEST(fast->Verify("message", *sig).ok());
    BOOST_TEST(!fast->Verify("other", *sig).ok());

    // Other shapes OpenSSL's PEM reader takes: CRLF lines, text around the block.
    std::string crlf;
    for (char c : pem) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    for (const std::string& variant :
         {crlf, "a comment line\n" + pem, pem + "trailing text\n", "  \n" + pem}) {
      auto other = PublicKey::FromPem(variant);
      BOOST_REQUIRE_MESSAGE(other.ok(), other.status());
      BOOST_TEST(other->KeyId() == fast->KeyId());
    }
  }
  // A P-256 point that is not on the curve is refused, as d2i_PUBKEY does.
  auto p256 = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  BOOST_REQUIRE(p256.ok());
  std::string off_curve = p256->public_key().SpkiDer();
  BOOST_REQUIRE_EQUAL(off_curve.size(), 91u);
  off_curve.back() = static_cast<char>(off_curve.back() ^ 0x01);
  BOOST_TEST(PublicKey::FromSpkiDer(off_curve).status().reason() == "bad-key");
  BOOST_TEST(PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\n" + Base64Encode(off_curve) +
                                "\n-----END PUBLIC KEY-----\n")
                 .status()
                 .reason() == "bad-key");

  // An SPKI the shortcut does not recognise (here a BIT STRING claiming an
  // unused bit, which OpenSSL accepts by clearing that bit of the key) goes to
  // OpenSSL; whatever it accepts is re-encoded canonically, and the key id is
  // that of the canonical encoding.
  auto key = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  BOOST_REQUIRE(key.ok());
  std::string der = key->public_key().SpkiDer();
  der[11] = 0x01;
  for (auto parsed :
       {PublicKey::FromSpkiDer(der), PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\n" + Base64Encode(der) +
                                                        "\n-----END PUBLIC KEY-----\n")}) {
    if (!parsed.ok()) continue;
    const std::string canonical = parsed->SpkiDer();
    BOOST_TEST(canonical.size() == 44u);
    BOOST_TEST(canonical.substr(0, 11) == der.substr(0, 11));
    BOOST_TEST(canonical[11] == '\0');
    BOOST_TEST(parsed->KeyId() == HexEncode(Sha256(canonical)));
  }
}

BOOST_AUTO_TEST_CASE(traditional_ec_pem_is_accepted) {
  auto key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  BOOST_REQUIRE(key.ok());
  // Write the "EC PRIVATE KEY" (SEC 1) form with OpenSSL's traditional writer.
  std::string pkcs8 = key->Pem();
  BIO* in = BIO_new_mem_buf(pkcs8.data(), static_cast<int>(pkcs8.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  BIO* bio = BIO_new(BIO_s_mem());
  BOOST_REQUIRE(pkey != nullptr);
  BOOST_REQUIRE(PEM_write_bio_PrivateKey_traditional(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string traditional(data, static_cast<size_t>(n));
  BIO_free(bio);
  EVP_PKEY_free(pkey);
  BOOST_TEST(traditional.find("BEGIN EC PRIVATE KEY") != std::string::npos);
  auto from_trad = PrivateKey::FromPem(traditional);
  BOOST_REQUIRE(from_trad.ok());
  BOOST_TEST(from_trad->public_key().KeyId() == key->public_key().KeyId());
}

BOOST_AUTO_TEST_CASE(rejects_bad_and_unsupported_keys) {
  BOOST_TEST(PublicKey::FromPem("").status().reason() == "bad-key");
  BOOST_TEST(
      PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").status().reason() ==
      "bad-key");
  BOOST_TEST(PrivateKey::FromPem("garbage").status().reason() == "bad-key");
  // What FromPem's own armour reader refuses, as OpenSSL's PEM_read_bio_PUBKEY
  // does: no BEGIN line, armour not at the start of a line, no END line, a
  // body that is not base64, and a private key where a public key belongs.
  auto ed25519 = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  BOOST_REQUIRE(ed25519.ok());
  const std::string pub_pem = ed25519->public_key().Pem();
  const size_t end_line = pub_pem.find("-----END");
  for (const std::string& bad : {std::string("hello world"), "x" + pub_pem, pub_pem.substr(0, end_line),
                                 pub_pem.substr(0, 27) + "!!!!" + pub_pem.substr(27), ed25519->Pem(),
                                 pub_pem.substr(0, end_line - 1) + pub_pem.substr(end_line)}) {
    BIO* bio = BIO_new_mem_buf(bad.data(), static_cast<int>(bad.size()));
    EVP_PKEY* reference = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    ERR_clear_error();
    BOOST_CHECK_MESSAGE(reference == nullptr, "OpenSSL takes " << bad);
    EVP_PKEY_free(reference);
    BOOST_CHECK_MESSAGE(PublicKey::FromPem(bad).status().reason() == "bad-key", "FromPem takes " << bad);
  }
  // The first PUBLIC KEY block counts, after any other block.
  auto after_other = PublicKey::FromPem(ed25519->Pem() + pub_pem);
  BOOST_REQUIRE(after_other.ok());
  BOOST_TEST(after_other->KeyId() == ed25519->public_key().KeyId());
  BOOST_TEST(PublicKey::FromRawEd25519("short").status().reason() == "bad-key");
  BOOST_TEST(PrivateKey::FromRawEd25519("short").status().reason() == "bad-key");

  for (EVP_PKEY* pkey : {EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"),
                         EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024)),
                         EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519")}) {
    BOOST_REQUIRE(pkey != nullptr);
    BIO* pub_bio = BIO_new(BIO_s_mem());
    BIO* priv_bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(pub_bio, pkey);
    PEM_write_bio_PrivateKey(priv_bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long n = BIO_get_mem_data(pub_bio, &data);
    std::string pub_pem(data, static_cast<size_t>(n));
    n = BIO_get_mem_data(priv_bio, &data);
    std::string priv_pem(data, static_cast<size_t>(n));
    BOOST_TEST(PublicKey::FromPem(pub_pem).status().reason() == "unsupported-key");
    BOOST_TEST(PrivateKey::FromPem(priv_pem).status().reason() == "unsupported-key");
    BIO_free(pub_bio);
    BIO_free(priv_bio);
    EVP_PKEY_free(pkey);
  }

  // Encrypted PEM must fail without prompting.
  std::string seed = Unhex(kVectors[0].secret);
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                                reinterpret_cast<const unsigned char*>(seed.data()), 32);
  BIO* bio = BIO_new(BIO_s_mem());
  char pass[] = "secret";
  PEM_write_bio_PKCS8PrivateKey(bio, pkey, EVP_aes_256_cbc(), pass, 6, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string encrypted(data, static_cast<size_t>(n));
  BOOST_TEST(encrypted.find("ENCRYPTED") != std::string::npos);
  BOOST_TEST(PrivateKey::FromPem(encrypted).status().reason() == "bad-key");
  BIO_free(bio);
  EVP_PKEY_free(pkey);

  PublicKey empty;
  BOOST_TEST(empty.empty());
  BOOST_TEST(empty.Verify("x", "y").reason() == "no-key");
}
