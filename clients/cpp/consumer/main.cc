// Builds against the installed package only: creates a client, signs a
// statement locally, checks that an unreachable server is a clean error (also
// through AsyncClient) and that the ToC-folder helpers carry their ToC data;
// signs through the PKCS#11 signer on the SoftHSM2 token run_install_test.cmake
// made (when it could), pins a log key and checks that verification refuses
// an incomplete expected identity.
#include <dossier/client/async_client.h>
#include <dossier/client/client.h>
#include <dossier/client/reasons.h>
#include <dossier/client/signer.h>
#include <dossier/client/toc_folder.h>
#include <dossier/client/verify.h>
#include <dossier/client/version.h>

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <iostream>

#include "trust/dsse.h"
#include "trust/statement.h"

static_assert(__cplusplus >= 202002L, "the DossierClient target must bring C++20");
static_assert(DOSSIER_CLIENT_VERSION >= 100, "version macros of the installed package");

int main() {
  dossier::client::ClientOptions options;
  options.base_url = "http://127.0.0.1:1";  // nothing listens on port 1
  options.max_retries = 0;
  auto client = dossier::client::Client::Create(options);
  if (!client.ok()) return 1;
  auto key = dossier::trust::PrivateKey::Generate(dossier::trust::KeyAlgorithm::kEd25519);
  dossier::trust::Statement statement{
      "acme", "dossiers/x", 1, "", "sha256:" + std::string(64, '0'), "application/vnd.dossier.v1+json"};
  auto envelope = dossier::trust::SignEnvelope(dossier::trust::kStatementPayloadType,
                                               dossier::trust::SerializeStatement(statement), *key);
  if (!envelope.ok() || !dossier::trust::VerifyEnvelope(*envelope, key->public_key()).ok()) return 1;
  auto ready = (*client)->Ready();
  if (!dossier::client::IsTransportError(ready)) return 1;
  boost::asio::io_context ioc;
  auto async = dossier::client::AsyncClient::Create(ioc.get_executor(), options);
  if (!async.ok()) return 1;
  bool async_failed_cleanly = false;
  (*async)->Ready([&](dossier::Status s) { async_failed_cleanly = dossier::client::IsTransportError(s); });
  ioc.run();
  if (!async_failed_cleanly) return 1;
  if (dossier::client::MediaTypeForFile("report.pdf") != "application/pdf") return 1;
  if (dossier::client::TocRank("IMDRF-N9-ED4", "1.01") >=
      dossier::client::TocRank("IMDRF-N9-ED4", "3.05.05.08"))
    return 1;

  // Trust configuration: a pinned log key; an unusable pin is refused at Create.
  auto log_key = dossier::trust::PrivateKey::Generate(dossier::trust::KeyAlgorithm::kEd25519);
  dossier::client::ClientOptions pinned = options;
  pinned.log_trust = {.origin = "consumer.example/log",
                      .keys = {{.public_key_pem = log_key->public_key().Pem()}}};
  if (!dossier::client::Client::Create(pinned).ok()) return 1;
  pinned.log_trust.keys = {{.public_key_pem = "not a key"}};
  if (dossier::client::Client::Create(pinned).status().reason() != dossier::client::reasons::kBadPin)
    return 1;
  dossier::trust::Bundle empty_bundle;
  auto refused = dossier::client::VerifyBundleOffline(
      empty_bundle,
      {.origin = "consumer.example/log", .keys = {{.public_key_pem = log_key->public_key().Pem()}}},
      {.tenant = "", .id = "x"});
  if (refused.status().reason() != dossier::client::reasons::kIdentityRequired) return 1;

  // PKCS#11: sign a statement on the token (key generated there by the test driver).
  std::string pkcs11 = "skipped (no SoftHSM2)";
  if (const char* module_path = std::getenv("DOSSIER_CONSUMER_PKCS11_MODULE")) {
    auto module = dossier::client::Pkcs11Module::Load(module_path);
    if (!module.ok()) return 2;
    auto signer = dossier::client::OpenPkcs11Signer(
        *module, {.token_label = "consumer", .key_label = "release-p256", .pin = [] {
                    return dossier::StatusOr<std::string>(std::string("246810"));
                  }});
    if (!signer.ok()) {
      std::cerr << signer.status() << "\n";
      return 2;
    }
    const std::string pae = dossier::trust::Pae(dossier::trust::kStatementPayloadType,
                                                dossier::trust::SerializeStatement(statement));
    auto signature = (*signer)->Sign(pae);
    if (!signature.ok() || !(*signer)->public_key().Verify(pae, *signature).ok()) return 2;
    // What a Client call takes: the token's signer as a SigningKey.
    dossier::client::SigningKey signing_key(*signer);
    if (signing_key.signer().key_id() != (*signer)->public_key().KeyId()) return 2;
    pkcs11 = "signed on the token with key " + (*signer)->key_id().substr(0, 16);
  }
  std::cout << "consumer ok (SDK " << DOSSIER_CLIENT_VERSION_STRING << "): " << ready.reason() << "; pkcs11 "
            << pkcs11 << "\n";
  return 0;
}
