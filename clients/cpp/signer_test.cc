// The SDK's signers: encrypted PEM files, PKCS#11 on a SoftHSM2 token this
// test initialises in a temporary directory, and an asynchronous signer that
// completes from its own thread; each one commits to a real dossierd, which
// verifies the signature against the registered key as for any commit.
#define BOOST_TEST_MODULE client_signer_test
#include "dossier/client/signer.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <atomic>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <thread>

#include "dossier/client/client.h"
#include "dossier/client/reasons.h"
#include "tests/support/harness.h"
#include "tests/support/softhsm.h"
#include "trust/digest.h"

using namespace dossier;
using namespace dossier::client;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr char kUserPin[] = "736251";

SecretFn Secret(std::string value) {
  return [value] { return StatusOr<std::string>(value); };
}

// `key` as an AES-256-CBC encrypted PKCS#8 PEM, as `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes it.
std::string EncryptedPem(const trust::PrivateKey& key, const std::string& passphrase) {
  const std::string plain = key.Pem();
  BIO* in = BIO_new_mem_buf(plain.data(), static_cast<int>(plain.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  BOOST_REQUIRE(pkey != nullptr);
  BIO* out = BIO_new(BIO_s_mem());
  BOOST_REQUIRE(PEM_write_bio_PKCS8PrivateKey(out, pkey, EVP_aes_256_cbc(), passphrase.data(),
                                              static_cast<int>(passphrase.size()), nullptr, nullptr) == 1);
  char* data = nullptr;
  long n = BIO_get_mem_data(out, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(out);
  EVP_PKEY_free(pkey);
  return pem;
}

// A SoftHSM2 token in a temporary directory with an Ed25519 and a P-256 key
// pair generated on it (the private keys never leave it). SOFTHSM2_CONF is
// set for the whole process before the module is first loaded: SoftHSM reads
// it in C_Initialize, and PKCS#11 is initialised once per process.
struct SoftHsm {
  testing::TempDir dir{"dossier-softhsm-"};
  std::string skip_reason;  // non-empty when SoftHSM2 or pkcs11-tool is absent
  std::shared_ptr<Pkcs11Module> module;

  SoftHsm() {
    skip_reason = testing::SoftHsmMissing();
    if (!skip_reason.empty()) {
      // CI must run these cases (tools/install-deps.sh installs both).
      BOOST_REQUIRE_MESSAGE(std::getenv("CI") == nullptr, "CI is set but " + skip_reason);
      return;
    }
    auto token = testing::SoftHsmToken::Create(dir.path(), "dossier-test", kUserPin);
    BOOST_REQUIRE_MESSAGE(token.ok(), token.status().ToString());
    for (auto [type, id, label] : {std::tuple{"EC:edwards25519", "01", "release-ed25519"},
                                   std::tuple{"EC:prime256v1", "02", "release-p256"}}) {
      Status made = token->GenerateKeyPair(type, id, label);
      BOOST_REQUIRE_MESSAGE(made.ok(), made.ToString());
    }
    auto loaded = Pkcs11Module::Load(testing::kSoftHsmModule);
    BOOST_REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
    module = *loaded;
  }

  std::shared_ptr<const Signer> Open(const std::string& label, const std::string& id_hex = {}) {
    auto signer = OpenPkcs11Signer(
        module,
        {.token_label = "dossier-test", .key_label = label, .key_id_hex = id_hex, .pin = Secret(kUserPin)});
    BOOST_REQUIRE_MESSAGE(signer.ok(), signer.status().ToString());
    return *signer;
  }
};

SoftHsm& Hsm() {
  static SoftHsm hsm;
  return hsm;
}

#define SKIP_WITHOUT_SOFTHSM()                           \
  if (!Hsm().skip_reason.empty()) {                      \
    BOOST_TEST_MESSAGE("skipped: " + Hsm().skip_reason); \
    return;                                              \
  }

// One dossierd and one tenant for the cases that commit.
struct Env {
  testing::TempDir dir;
  std::unique_ptr<testing::Server> server;
  testing::TenantAdmin admin;
  std::unique_ptr<Client> client;
  int dossiers = 0;

  Env() {
    auto s = testing::Server::Start(dir.path() / "data");
    BOOST_REQUIRE_MESSAGE(s.ok(), s.status().ToString());
    server = std::move(s).value();
    auto a = testing::ProvisionTenant(*server, "hsm-signing");
    BOOST_REQUIRE_MESSAGE(a.ok(), a.status().ToString());
    admin = *a;
    ClientOptions o;
    o.base_url = server->url();
    o.token = admin.token;
    auto c = Client::Create(o);
    BOOST_REQUIRE_MESSAGE(c.ok(), c.status().ToString());
    client = std::move(c).value();
  }

  // Registers the signer's public key and commits version 1 of a new dossier with it.
  StatusOr<CommitResult> CommitWith(const SigningKey& signer, bool register_key = true) {
    if (register_key) {
      auto registered = client->RegisterKey(admin.tenant, signer.signer().public_key(), "signer");
      if (!registered.ok() && registered.status().reason() != "already-exists") return registered.status();
    }
    const std::string id = "device-" + std::to_string(++dossiers);
    auto created = client->CreateDossier(admin.tenant, id, "Signed elsewhere");
    if (!created.ok()) return created.status();
    CommitRequest request{
        .tenant = admin.tenant, .id = id, .content = testing::MinimalDossierJson("Scanner " + id, {})};
    return client->Commit(request, signer);
  }
};

Env& E() {
  static Env env;
  return env;
}

// An integrator's remote signer (a cloud KMS): SignAsync completes from a
// thread of its own, as a network client's callback would.
class ThreadedSigner final : public Signer {
 public:
  explicit ThreadedSigner(trust::PrivateKey key) : key_(std::move(key)) {}
  trust::KeyAlgorithm algorithm() const override { return key_.algorithm(); }
  trust::PublicKey public_key() const override { return key_.public_key(); }
  StatusOr<std::string> Sign(std::string_view message) const override { return key_.Sign(message); }
  void SignAsync(std::string message, SignDone done) const override {
    ++async_calls;
    std::thread([key = key_, message = std::move(message), done = std::move(done)] {
      done(key.Sign(message));
    }).detach();
  }
  mutable std::atomic<int> async_calls{0};

 private:
  trust::PrivateKey key_;
};

// Claims one public key, signs with another: a mis-provisioned token.
class MismatchedSigner final : public Signer {
 public:
  trust::KeyAlgorithm algorithm() const override { return claimed_.algorithm(); }
  trust::PublicKey public_key() const override { return claimed_.public_key(); }
  StatusOr<std::string> Sign(std::string_view message) const override { return actual_.Sign(message); }

 private:
  trust::PrivateKey claimed_ = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  trust::PrivateKey actual_ = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
};

}  // namespace

BOOST_AUTO_TEST_CASE(encrypted_pem_signs_with_the_right_passphrase_only) {
  testing::TempDir dir;
  auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEcdsaP256).value();
  testing::WriteFile(dir.path() / "release.pem", EncryptedPem(key, "correct horse"));

  auto signer = LoadEncryptedPemSigner(dir.path() / "release.pem", Secret("correct horse"));
  BOOST_REQUIRE_MESSAGE(signer.ok(), signer.status().ToString());
  BOOST_TEST((*signer)->key_id() == key.public_key().KeyId());
  BOOST_TEST(((*signer)->algorithm() == trust::KeyAlgorithm::kEcdsaP256));
  auto sig = (*signer)->Sign("statement bytes");
  BOOST_REQUIRE(sig.ok());
  BOOST_TEST(key.public_key().Verify("statement bytes", *sig).ok());

  BOOST_TEST(LoadEncryptedPemSigner(dir.path() / "release.pem", Secret("wrong horse")).status().reason() ==
             "bad-passphrase");
  // The callback's own refusal reaches the caller unchanged.
  SecretFn cancelled = [] {
    return StatusOr<std::string>(Status(StatusCode::kCancelled, "no", "user-cancelled"));
  };
  BOOST_TEST(LoadEncryptedPemSigner(dir.path() / "release.pem", cancelled).status().reason() ==
             "user-cancelled");
  testing::WriteFile(dir.path() / "plain.pem", key.Pem());
  BOOST_TEST(LoadEncryptedPemSigner(dir.path() / "plain.pem", Secret("x")).status().reason() ==
             "key-not-encrypted");
  BOOST_TEST(LoadEncryptedPemSigner(dir.path() / "absent.pem", Secret("x")).status().reason() == "io-error");
  // A corrupted ciphertext is refused like a wrong passphrase, never half-read.
  std::string pem = EncryptedPem(key, "p");
  pem[pem.size() / 2] = pem[pem.size() / 2] == 'A' ? 'B' : 'A';
  testing::WriteFile(dir.path() / "corrupt.pem", pem);
  BOOST_TEST(LoadEncryptedPemSigner(dir.path() / "corrupt.pem", Secret("p")).status().reason() ==
             "bad-passphrase");
}

BOOST_AUTO_TEST_CASE(pkcs11_keys_sign_on_the_token) {
  SKIP_WITHOUT_SOFTHSM();
  auto ed = Hsm().Open("release-ed25519");
  BOOST_TEST((ed->algorithm() == trust::KeyAlgorithm::kEd25519));
  auto p256 = Hsm().Open({}, "02");  // by CKA_ID alone
  BOOST_TEST((p256->algorithm() == trust::KeyAlgorithm::kEcdsaP256));
  for (const auto& signer : {ed, p256}) {
    auto sig = signer->Sign("DSSEv1 28 application/vnd.dossier 2 {}");
    BOOST_REQUIRE_MESSAGE(sig.ok(), sig.status().ToString());
    BOOST_TEST(signer->public_key().Verify("DSSEv1 28 application/vnd.dossier 2 {}", *sig).ok());
    BOOST_TEST(!signer->public_key().Verify("other bytes", *sig).ok());
    BOOST_TEST(signer->key_id() == signer->public_key().KeyId());
  }
  // Signing from several threads at once is serialised on the session.
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string m = "message " + std::to_string(t) + "/" + std::to_string(i);
        auto sig = p256->Sign(m);
        if (sig.ok() && p256->public_key().Verify(m, *sig).ok()) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(good.load() == 40);
}

BOOST_AUTO_TEST_CASE(pkcs11_refusals_name_what_is_wrong) {
  SKIP_WITHOUT_SOFTHSM();
  auto open = [](Pkcs11KeySpec spec) { return OpenPkcs11Signer(Hsm().module, spec).status().reason(); };
  BOOST_TEST(open({.token_label = "dossier-test", .key_label = "release-p256", .pin = Secret("000000")}) ==
             "pkcs11-login-failed");
  BOOST_TEST(open({.token_label = "no-such-token", .key_label = "release-p256", .pin = Secret(kUserPin)}) ==
             "pkcs11-token-not-found");
  BOOST_TEST(open({.token_label = "dossier-test", .key_label = "no-such-key", .pin = Secret(kUserPin)}) ==
             "pkcs11-key-not-found");
  // Label and id must both match when both are given.
  BOOST_TEST(open({.token_label = "dossier-test",
                   .key_label = "release-p256",
                   .key_id_hex = "01",
                   .pin = Secret(kUserPin)}) == "pkcs11-key-not-found");
  BOOST_TEST(open({.token_label = "dossier-test", .pin = Secret(kUserPin)}) == "pkcs11-key-not-found");
  BOOST_TEST(Pkcs11Module::Load("/nonexistent/libpkcs11.so").status().reason() == "pkcs11-load-failed");
}

BOOST_AUTO_TEST_CASE(server_accepts_commits_signed_on_the_token) {
  SKIP_WITHOUT_SOFTHSM();
  for (const char* label : {"release-ed25519", "release-p256"}) {
    auto signer = Hsm().Open(label);
    auto committed = E().CommitWith(signer);
    BOOST_REQUIRE_MESSAGE(committed.ok(), std::string(label) + ": " + committed.status().ToString());
    BOOST_TEST(committed->version.version == 1u);
    BOOST_TEST(committed->receipt.signature_verified);
    BOOST_TEST(committed->version.signer_key_id == signer->key_id());
  }
}

BOOST_AUTO_TEST_CASE(server_accepts_commits_signed_by_encrypted_pem_and_async_signers) {
  testing::TempDir dir;
  auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  testing::WriteFile(dir.path() / "release.pem", EncryptedPem(key, "s3cret"));
  auto pem_signer = LoadEncryptedPemSigner(dir.path() / "release.pem", Secret("s3cret"));
  BOOST_REQUIRE(pem_signer.ok());
  auto committed = E().CommitWith(*pem_signer);
  BOOST_REQUIRE_MESSAGE(committed.ok(), committed.status().ToString());
  BOOST_TEST(committed->version.signer_key_id == key.public_key().KeyId());

  auto threaded =
      std::make_shared<ThreadedSigner>(trust::PrivateKey::Generate(trust::KeyAlgorithm::kEcdsaP256).value());
  auto async_committed = E().CommitWith(std::shared_ptr<const Signer>(threaded));
  BOOST_REQUIRE_MESSAGE(async_committed.ok(), async_committed.status().ToString());
  BOOST_TEST(threaded->async_calls.load() == 1);
  BOOST_TEST(async_committed->receipt.signature_verified);
}

BOOST_AUTO_TEST_CASE(an_unregistered_key_is_unknown_key_with_its_http_status) {
  auto committed = E().CommitWith(trust::PrivateKey::Generate(trust::KeyAlgorithm::kEcdsaP256).value(),
                                  /*register_key=*/false);
  BOOST_TEST(committed.status().reason() == reasons::kUnknownKey);
  BOOST_TEST(committed.status().http_status() == 422);
  BOOST_TEST(committed.status().field() == "envelope.signatures");
}

BOOST_AUTO_TEST_CASE(a_signer_that_is_not_its_key_is_refused_before_sending) {
  auto& e = E();
  auto signer = std::make_shared<MismatchedSigner>();
  // Registering the claimed key is logged too: do it before counting.
  BOOST_REQUIRE(e.client->RegisterKey(e.admin.tenant, signer->public_key(), "claimed").ok());
  const uint64_t log_before = e.client->GetCheckpoint().value().tree_size;
  auto committed = e.CommitWith(std::shared_ptr<const Signer>(signer), /*register_key=*/false);
  BOOST_TEST(committed.status().reason() == reasons::kSignerMismatch);
  BOOST_TEST(committed.status().http_status() == 0);  // found locally, nothing was sent
  BOOST_TEST(e.client->GetCheckpoint().value().tree_size == log_before);
}
