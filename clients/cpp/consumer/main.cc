// Builds against the installed package only: creates a client, signs a
// statement locally, checks that an unreachable server is a clean error (also
// through AsyncClient) and that the ToC-folder helpers carry their ToC data;
// builds with its own common/status.h on the include path (the SDK's headers
// must not pick it up); signs through the PKCS#11 signer on the SoftHSM2 token run_install_test.cmake
// made (when it could), pins a log key and checks that verification refuses
// an incomplete expected identity; cancels an AsyncClient call (reason
// "cancelled"), waits for one through asio::use_future, and unit-tests an
// integrator's function against the installed testing::FakeClient.
#include <dossier/client/async_client.h>
#include <dossier/client/client.h>
#include <dossier/client/reasons.h>
#include <dossier/client/signer.h>
#include <dossier/client/testing/fake_client.h>
#include <dossier/client/toc_folder.h>
#include <dossier/client/verify.h>
#include <dossier/client/version.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <memory>
#include <sstream>

#include "common/status.h"  // the consumer's own (consumer::Status), not the SDK's
#include "dossier/trust/dsse.h"
#include "dossier/trust/statement.h"

namespace {

// dossierd started from the path the test driver gives, on a free port, with
// its data in `data_dir`; killed when this object goes.
struct Dossierd {
  pid_t pid = -1;
  std::string url;
  ~Dossierd() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  }
  bool Start(const std::string& binary, const std::string& data_dir) {
    int out[2];
    if (::pipe(out) != 0) return false;
    pid = ::fork();
    if (pid == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::execl(binary.c_str(), binary.c_str(), "serve", "--data", data_dir.c_str(), "--listen", "127.0.0.1:0",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    std::string seen;
    char buf[256];
    ssize_t n;
    // dossierd prints "listening on http://127.0.0.1:PORT" once it accepts.
    while (url.empty() && (n = ::read(out[0], buf, sizeof buf)) > 0) {
      seen.append(buf, static_cast<size_t>(n));
      const size_t at = seen.find("listening on ");
      const size_t end = at == std::string::npos ? at : seen.find_first_of(" \n", at + 13);
      if (end != std::string::npos) url = seen.substr(at + 13, end - at - 13);
    }
    return !url.empty();
  }
};

std::string ReadToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  std::getline(in, token);
  return token;
}

std::string DossierJson(const std::string& name) {
  return R"({"tocEdition":"IMDRF-N9-ED4","device":{"tradeName":")" + name + R"("},"sections":[]})";
}

// The integrator's flow against a real server: sign on the token, replay a
// P-256 commit, pin the log, verify with the expected identity.
int AgainstServer(const std::string& binary, const std::string& work_dir,
                  const std::shared_ptr<const dossier::client::Signer>& signer) {
  namespace dc = dossier::client;
  Dossierd server;
  if (!server.Start(binary, work_dir + "/dossierd")) return 10;
  dc::ClientOptions operator_options;
  operator_options.base_url = server.url;
  operator_options.token = ReadToken(work_dir + "/dossierd/operator.token");
  auto op = dc::Client::Create(operator_options);
  if (!op.ok() || !(*op)->CreateTenant({.id = "acme", .display_name = "Acme"}).ok()) return 11;
  auto admin = (*op)->CreateToken("acme", "ADMIN", "consumer");
  if (!admin.ok()) return 12;
  auto log_key = (*op)->GetLogPublicKey();  // published by the operator, pinned by the integrator
  if (!log_key.ok()) return 13;

  dc::ClientOptions options;
  options.base_url = server.url;
  options.token = admin->secret;
  options.log_trust = {.origin = log_key->origin, .keys = {{.public_key_pem = log_key->key.Pem()}}};
  auto client = dc::Client::Create(options);
  if (!client.ok()) return 14;
  auto& c = **client;
  if (!c.RegisterKey("acme", signer->public_key(), "hsm").ok()) return 15;
  for (const char* id : {"scanner", "monitor"}) {
    if (!c.CreateDossier("acme", id).ok()) return 16;
  }
  const dc::CommitRequest request{.tenant = "acme",
                                  .id = "scanner",
                                  .content = DossierJson("Scanner"),
                                  .version = 1,
                                  .parent_digest = ""};
  auto first = c.Commit(request, signer);
  auto replay = c.Commit(request, signer);  // signed anew on the token: another ECDSA signature
  if (!first.ok() || !replay.ok() || !replay->already_committed ||
      replay->receipt.signature != first->receipt.signature) {
    std::cerr << first.status() << " / " << replay.status() << "\n";
    return 17;
  }
  if (!c.Commit({.tenant = "acme", .id = "monitor", .content = DossierJson("Monitor")}, signer).ok())
    return 18;
  dc::ExpectedIdentity expected{
      .tenant = "acme", .id = "scanner", .version = 1, .allowed_signer_key_ids = {signer->key_id()}};
  if (!c.VerifyVersion(expected).ok()) return 19;
  auto bundle = c.GetBundle("acme", dc::ObjectKind::kDossier, "monitor", 1);
  if (!bundle.ok()) return 20;
  if (!dc::VerifyBundleOffline(*bundle, options.log_trust, {.tenant = "acme", .id = "monitor", .version = 1})
           .ok())
    return 21;
  if (dc::VerifyBundleOffline(*bundle, options.log_trust, expected).status().reason() !=
      dc::reasons::kUnexpectedObject)
    return 22;
  return 0;
}

// An integrator's function written against the interface, so that its unit
// test runs without a server: the number of dossiers of `tenant`, every page.
dossier::StatusOr<int> CountDossiers(dossier::client::ClientInterface& client, const std::string& tenant) {
  int n = 0;
  for (auto& object : client.Objects(tenant, dossier::client::ObjectKind::kDossier)) {
    if (!object.ok()) return object.status();
    ++n;
  }
  return n;
}

// Its unit test, with the installed fake: two pages, then a failing tenant.
bool CountDossiersTest() {
  namespace dc = dossier::client;
  dc::testing::FakeClient fake;
  fake.On("ListObjects",
          [](const std::string& tenant, dc::ObjectKind, const std::string& page_token, int,
             const dc::CallOptions&) -> dossier::StatusOr<dc::ObjectPage> {
            if (tenant != "acme") return dossier::NotFound("no such tenant", "unknown-tenant");
            if (page_token.empty())
              return dc::ObjectPage{.items = {{.id = "a"}, {.id = "b"}}, .next_page_token = "p2"};
            return dc::ObjectPage{.items = {{.id = "c"}}};
          });
  auto counted = CountDossiers(fake, "acme");
  if (!counted.ok() || *counted != 3 || fake.CallCount("ListObjects") != 2) return false;
  auto [tenant, kind, token, size, call] =
      fake.Arguments<std::string, dc::ObjectKind, std::string, int, dc::CallOptions>("ListObjects", 1);
  if (tenant != "acme" || token != "p2") return false;
  if (CountDossiers(fake, "other").status().reason() != "unknown-tenant") return false;
  // Nothing programmed: a clear error, not a crash.
  return fake.GetTenant("acme").status().reason() == "fake-not-programmed";
}

}  // namespace

// Both status headers in one translation unit: the consumer's and the SDK's.
static_assert(sizeof(consumer::Status) > 0 && sizeof(dossier::Status) > 0);
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
  // The same through asio::use_future.
  std::future<dossier::Status> ready_future = (*async)->Ready(boost::asio::use_future);
  ioc.restart();
  ioc.run();
  if (!dossier::client::IsTransportError(ready_future.get())) return 1;
  // Cancelling a call through its token's cancellation slot: it completes
  // once, with reason "cancelled", whatever it was waiting for.
  boost::asio::cancellation_signal cancel;
  std::string cancelled_reason;
  int completions = 0;
  (*async)->Ready(dossier::client::CallOptions{.max_retries = 5},
                  boost::asio::bind_cancellation_slot(cancel.slot(), [&](dossier::Status s) {
                    ++completions;
                    cancelled_reason = s.reason();
                  }));
  cancel.emit(boost::asio::cancellation_type::terminal);
  ioc.restart();
  ioc.run();
  if (completions != 1 || cancelled_reason != dossier::client::reasons::kCancelled) {
    std::cerr << "cancelled call: " << completions << " completions, reason " << cancelled_reason << "\n";
    return 1;
  }
  if (!CountDossiersTest()) return 3;
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
    const char* dossierd = std::getenv("DOSSIER_CONSUMER_DOSSIERD");
    const char* work_dir = std::getenv("DOSSIER_CONSUMER_WORK_DIR");
    if (dossierd != nullptr && work_dir != nullptr) {
      const int rc = AgainstServer(dossierd, work_dir, *signer);
      if (rc != 0) return rc;
      pkcs11 +=
          "; against dossierd: committed, replayed P-256 commit got its receipt, pinned log, verified the "
          "expected identity and refused another dossier's bundle";
    }
  }
  std::cout << "consumer ok (SDK " << DOSSIER_CLIENT_VERSION_STRING << "): " << ready.reason()
            << "; async call cancelled (" << cancelled_reason << "); FakeClient unit test passed; pkcs11 "
            << pkcs11 << "\n";
  return 0;
}
