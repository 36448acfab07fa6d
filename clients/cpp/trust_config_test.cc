// Trust configuration against a real dossierd: the log key and origin pinned
// in ClientOptions (with validity windows for rotation), the checkpoint file
// remembering the log's origin, and every verification failing closed, with
// its own reason, when the version is not the one expected.
#define BOOST_TEST_MODULE client_trust_config_test
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "dossier/client/client.h"
#include "dossier/client/verify.h"
#include "tests/support/harness.h"

using namespace dossier;
using namespace dossier::client;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// One dossierd, two tenants, each with a dossier at version 2 (acme) or 1 (other).
struct Env {
  testing::TempDir dir;
  std::unique_ptr<testing::Server> server;
  testing::TenantAdmin acme, other;
  trust::PrivateKey acme_key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEcdsaP256).value();
  trust::PrivateKey other_key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  LogPublicKey log;  // as the operator would publish it out of band

  Env() {
    auto s = testing::Server::Start(dir.path() / "data");
    BOOST_REQUIRE_MESSAGE(s.ok(), s.status().ToString());
    server = std::move(s).value();
    acme = testing::ProvisionTenant(*server, "acme").value();
    other = testing::ProvisionTenant(*server, "other").value();
    auto a = Make(acme.token, {});
    BOOST_REQUIRE(a->RegisterKey("acme", acme_key.public_key(), "release").ok());
    BOOST_REQUIRE(a->CreateDossier("acme", "scanner").ok());
    BOOST_REQUIRE(a->CreateDossier("acme", "monitor").ok());
    for (int v = 1; v <= 2; ++v) {
      auto c = a->Commit({.tenant = "acme",
                          .id = "scanner",
                          .content = testing::MinimalDossierJson("Scanner " + std::to_string(v), {})},
                         acme_key);
      BOOST_REQUIRE_MESSAGE(c.ok(), c.status().ToString());
    }
    BOOST_REQUIRE(
        a->Commit({.tenant = "acme", .id = "monitor", .content = testing::MinimalDossierJson("Monitor", {})},
                  acme_key)
            .ok());
    auto o = Make(other.token, {});
    BOOST_REQUIRE(o->RegisterKey("other", other_key.public_key(), "release").ok());
    BOOST_REQUIRE(o->CreateDossier("other", "scanner").ok());
    BOOST_REQUIRE(
        o->Commit({.tenant = "other", .id = "scanner", .content = testing::MinimalDossierJson("Theirs", {})},
                  other_key)
            .ok());
    log = a->GetLogPublicKey().value();
  }

  LogTrust Pinned() const { return {.origin = log.origin, .keys = {{.public_key_pem = log.key.Pem()}}}; }

  std::unique_ptr<Client> Make(const std::string& token, LogTrust trust,
                               const fs::path& checkpoint_file = {}) {
    ClientOptions o;
    o.base_url = server->url();
    o.token = token;
    o.log_trust = std::move(trust);
    o.checkpoint_file = checkpoint_file;
    auto c = Client::Create(o);
    BOOST_REQUIRE_MESSAGE(c.ok(), c.status().ToString());
    return std::move(c).value();
  }
};

Env& E() {
  static Env env;
  return env;
}

std::string StrangerPem() {
  return trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value().public_key().Pem();
}

ExpectedIdentity AcmeScanner(uint64_t version) {
  return {.tenant = "acme", .kind = ObjectKind::kDossier, .id = "scanner", .version = version};
}

}  // namespace

BOOST_AUTO_TEST_CASE(pinned_log_key_and_origin_are_accepted) {
  auto& e = E();
  auto c = e.Make(e.acme.token, e.Pinned());
  auto verified = c->VerifyVersion(AcmeScanner(2));
  BOOST_REQUIRE_MESSAGE(verified.ok(), verified.status().ToString());
  BOOST_TEST(verified->statement.version == 2u);
  auto committed =
      c->Commit({.tenant = "acme", .id = "monitor", .content = testing::MinimalDossierJson("Monitor 2", {})},
                e.acme_key);
  BOOST_REQUIRE_MESSAGE(committed.ok(), committed.status().ToString());
  BOOST_TEST(committed->receipt.signature_verified);
}

BOOST_AUTO_TEST_CASE(a_server_with_another_log_key_is_refused) {
  auto& e = E();
  auto c = e.Make(e.acme.token, {.origin = e.log.origin, .keys = {{.public_key_pem = StrangerPem()}}});
  BOOST_TEST(c->GetLogPublicKey().status().reason() == "log-key-not-pinned");
  BOOST_TEST(c->GetCheckpoint().status().reason() == "log-key-not-pinned");
  BOOST_TEST(c->VerifyVersion(AcmeScanner(1)).status().reason() == "log-key-not-pinned");
  // The commit lands (the server cannot know the pin) but its receipt is not believed.
  auto committed =
      c->Commit({.tenant = "acme", .id = "monitor", .content = testing::MinimalDossierJson("Monitor x", {})},
                e.acme_key);
  BOOST_TEST(committed.status().reason() == "log-key-not-pinned");
}

BOOST_AUTO_TEST_CASE(a_server_with_another_origin_is_refused) {
  auto& e = E();
  auto c = e.Make(e.acme.token, {.origin = "elsewhere.example/log", .keys = e.Pinned().keys});
  BOOST_TEST(c->GetLogPublicKey().status().reason() == "log-origin-mismatch");
  BOOST_TEST(c->VerifyVersion(AcmeScanner(1)).status().reason() == "log-origin-mismatch");
}

BOOST_AUTO_TEST_CASE(rotation_windows_decide_which_key_is_trusted) {
  auto& e = E();
  const auto now = std::chrono::system_clock::now();
  // The server's key retired an hour ago, its successor (a stranger) current: refused.
  auto retired = e.Make(e.acme.token, {.origin = e.log.origin,
                                       .keys = {{.public_key_pem = e.log.key.Pem(), .not_after = now - 1h},
                                                {.public_key_pem = StrangerPem(), .not_before = now - 1h}}});
  BOOST_TEST(retired->VerifyVersion(AcmeScanner(1)).status().reason() == "log-key-not-pinned");
  // The server's key is the successor, the retired one a stranger: accepted.
  auto rotated =
      e.Make(e.acme.token, {.origin = e.log.origin,
                            .keys = {{.public_key_pem = StrangerPem(), .not_after = now - 1h},
                                     {.public_key_pem = e.log.key.Pem(), .not_before = now - 2h}}});
  BOOST_TEST(rotated->VerifyVersion(AcmeScanner(1)).ok());
  // A key not yet valid is not trusted either.
  auto early = e.Make(e.acme.token, {.origin = e.log.origin,
                                     .keys = {{.public_key_pem = e.log.key.Pem(), .not_before = now + 1h}}});
  BOOST_TEST(early->GetLogPublicKey().status().reason() == "log-key-not-pinned");
  // A pin that is not a key is refused when the client is made.
  ClientOptions o;
  o.base_url = e.server->url();
  o.log_trust.keys = {{.public_key_pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}};
  BOOST_TEST(Client::Create(o).status().reason() == "bad-pin");
  o.log_trust.keys = {{.public_key_pem = e.log.key.Pem(), .not_before = now, .not_after = now}};
  BOOST_TEST(Client::Create(o).status().reason() == "bad-pin");
}

BOOST_AUTO_TEST_CASE(verify_version_refuses_another_identity) {
  auto& e = E();
  auto c = e.Make(e.acme.token, e.Pinned());
  ExpectedIdentity by_release_key = AcmeScanner(2);
  by_release_key.allowed_signer_key_ids = {e.acme_key.public_key().KeyId()};
  BOOST_TEST(c->VerifyVersion(by_release_key).ok());
  ExpectedIdentity by_someone_else = AcmeScanner(2);
  by_someone_else.allowed_signer_key_ids = {e.other_key.public_key().KeyId()};
  BOOST_TEST(c->VerifyVersion(by_someone_else).status().reason() == "unexpected-signer");
  ExpectedIdentity no_version = AcmeScanner(2);
  no_version.version.reset();
  BOOST_TEST(c->VerifyVersion(no_version).status().reason() == "identity-required");
}

BOOST_AUTO_TEST_CASE(offline_bundle_verification_fails_closed_for_each_difference) {
  auto& e = E();
  auto c = e.Make(e.acme.token, e.Pinned());
  auto bundle = c->GetBundle("acme", ObjectKind::kDossier, "scanner", 1).value();
  auto content = c->GetVersionContent("acme", ObjectKind::kDossier, "scanner", 1).value();
  const LogTrust pinned = e.Pinned();

  auto good = VerifyBundleOffline(bundle, pinned, AcmeScanner(1), &content);
  BOOST_REQUIRE_MESSAGE(good.ok(), good.status().ToString());
  ExpectedIdentity any_version = AcmeScanner(1);
  any_version.version.reset();
  BOOST_TEST(VerifyBundleOffline(bundle, pinned, any_version).ok());

  auto reason = [&](const ExpectedIdentity& expected, const LogTrust& trust) {
    return VerifyBundleOffline(bundle, trust, expected, &content).status().reason();
  };
  BOOST_TEST(reason({.tenant = "other", .id = "scanner", .version = 1}, pinned) == "unexpected-tenant");
  BOOST_TEST(reason({.tenant = "acme", .id = "monitor", .version = 1}, pinned) == "unexpected-object");
  BOOST_TEST(reason({.tenant = "acme", .kind = ObjectKind::kChangePlan, .id = "scanner", .version = 1},
                    pinned) == "unexpected-object");
  BOOST_TEST(reason(AcmeScanner(2), pinned) == "unexpected-version");
  ExpectedIdentity other_signer = AcmeScanner(1);
  other_signer.allowed_signer_key_ids = {e.other_key.public_key().KeyId()};
  BOOST_TEST(reason(other_signer, pinned) == "unexpected-signer");
  BOOST_TEST(reason({.tenant = "", .id = "scanner"}, pinned) == "identity-required");

  BOOST_TEST(reason(AcmeScanner(1), {.origin = pinned.origin, .keys = {{.public_key_pem = StrangerPem()}}}) ==
             "log-key-not-pinned");
  BOOST_TEST(reason(AcmeScanner(1), {.origin = "elsewhere.example/log", .keys = pinned.keys}) ==
             "log-origin-mismatch");
  BOOST_TEST(reason(AcmeScanner(1), {.origin = pinned.origin}) == "bad-pin");
  // The version was logged before this window opened: its key was not yet trusted.
  const auto later = std::chrono::system_clock::now() + 1h;
  BOOST_TEST(reason(AcmeScanner(1), {.origin = pinned.origin,
                                     .keys = {{.public_key_pem = e.log.key.Pem(), .not_before = later}}}) ==
             "log-key-not-pinned");

  // Another tenant's valid bundle for a dossier of the same name verifies
  // cryptographically, and is refused for who it is.
  auto o = e.Make(e.other.token, pinned);
  auto their_bundle = o->GetBundle("other", ObjectKind::kDossier, "scanner", 1).value();
  BOOST_TEST(VerifyBundleOffline(their_bundle, pinned, {.tenant = "other", .id = "scanner"}).ok());
  BOOST_TEST(VerifyBundleOffline(their_bundle, pinned, AcmeScanner(1)).status().reason() ==
             "unexpected-tenant");
  // Tampered content still fails with the bundle's own reason.
  std::string tampered = content;
  tampered[tampered.size() / 2] ^= 1;
  BOOST_TEST(VerifyBundleOffline(bundle, pinned, AcmeScanner(1), &tampered).status().reason() ==
             "content-digest-mismatch");
}

BOOST_AUTO_TEST_CASE(checkpoint_file_remembers_the_log_origin) {
  auto& e = E();
  testing::TempDir dir;
  const fs::path file = dir.path() / "checkpoints.json";
  {
    auto c = e.Make(e.acme.token, e.Pinned(), file);
    BOOST_REQUIRE(c->GetCheckpoint().ok());
  }
  auto saved = json::parse(testing::ReadFile(file)).as_object();
  auto& servers = saved["servers"].as_object();
  BOOST_REQUIRE(servers.size() == 1u);
  auto& entry = servers.begin()->value().as_object();
  BOOST_TEST(entry["origin"].as_string() == e.log.origin);
  BOOST_TEST(entry["keyId"].as_string() == e.log.key_id);
  {
    auto again = e.Make(e.acme.token, e.Pinned(), file);
    BOOST_TEST(again->GetCheckpoint().ok());
  }
  // The file says this server was another log: not silently replaced.
  entry["origin"] = "elsewhere.example/log";
  testing::WriteFile(file, json::serialize(saved));
  auto c = e.Make(e.acme.token, e.Pinned(), file);
  BOOST_TEST(c->GetCheckpoint().status().reason() == "log-origin-changed");
}
