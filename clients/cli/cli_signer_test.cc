// The dossier CLI signing with the SDK's signers against a real dossierd: an
// encrypted PKCS#8 PEM (passphrase from an environment variable or a file) and
// a PKCS#11 key on a SoftHSM2 token made in a temp dir (from flags and from the
// config file; PIN from the environment or a file); secrets on the command
// line are refused. Without SoftHSM2/pkcs11-tool the PKCS#11 case is skipped
// with a message, and fails when CI is set.
#define BOOST_TEST_MODULE cli_signer_test
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "clients/cli/cli_test_support.h"
#include "dossier/client/client.h"
#include "tests/support/harness.h"
#include "tests/support/softhsm.h"

using namespace dossier;
using namespace dossier::testing;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr char kPin[] = "482913";

struct Env {
  TempDir dir;
  std::unique_ptr<Server> server;
  TenantAdmin admin;
  std::unique_ptr<client::Client> sdk;  // registers the keys the CLI signs with
  std::map<std::string, std::string> env;
  int pushes = 0;

  Env() {
    server = Server::Start(dir.path() / "data").value();
    admin = ProvisionTenant(*server, "acme").value();
    env = CliTestEnvironment(dir.path());
    client::ClientOptions o;
    o.base_url = server->url();
    o.token = admin.token;
    sdk = client::Client::Create(o).value();
    BOOST_REQUIRE(sdk->CreateDossier("acme", "scanner").ok());
    BOOST_REQUIRE(
        Run({"login", "--server", server->url(), "--tenant", "acme", "--token", admin.token}).exit_code == 0);
  }

  ProcessResult Run(std::vector<std::string> args, const std::map<std::string, std::string>& extra = {}) {
    return RunDossierCli(std::move(args), env, extra);
  }

  // `dossier push scanner FOLDER --json` with a new trade name each time
  // (so each is a new version), plus `flags`; returns the process result.
  ProcessResult Push(const std::vector<std::string>& flags, std::map<std::string, std::string> extra = {}) {
    const fs::path folder = dir.path() / ("push-" + std::to_string(++pushes));
    WriteFile(folder / "dossier.json", MinimalDossierJson("Scanner " + std::to_string(pushes), {}));
    std::vector<std::string> args = {"push", "scanner", folder.string(), "--json"};
    args.insert(args.end(), flags.begin(), flags.end());
    return Run(args, std::move(extra));
  }
};

Env& E() {
  static Env env;
  return env;
}

void ExpectFailure(const ProcessResult& r, int code, const std::string& needle) {
  BOOST_TEST(r.exit_code == code, "exit " << r.exit_code << " stderr: " << r.err);
  BOOST_TEST(r.err.find(needle) != std::string::npos, "expected \"" << needle << "\" in: " << r.err);
}

void ExpectPushed(const ProcessResult& r) {
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "push failed: " << r.err);
  BOOST_TEST(json::parse(r.out).as_object().at("version").as_int64() >= 1);
}

}  // namespace

BOOST_AUTO_TEST_CASE(encrypted_pem_with_the_passphrase_from_the_environment_or_a_file) {
  auto& e = E();
  const fs::path key = e.dir.path() / "release.enc.pem";
  const std::string passphrase = "correct horse battery";
  auto made = RunProcess({"/usr/bin/openssl", "genpkey", "-algorithm", "ED25519", "-aes-256-cbc", "-pass",
                          "pass:" + passphrase, "-out", key.string()},
                         {}, std::chrono::seconds(30));
  BOOST_REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  BOOST_REQUIRE(ReadFile(key).find("ENCRYPTED PRIVATE KEY") != std::string::npos);
  auto signer =
      client::LoadEncryptedPemSigner(key, [&] { return StatusOr<std::string>(passphrase); }).value();
  BOOST_REQUIRE(e.sdk->RegisterKey("acme", signer->public_key(), "encrypted pem").ok());

  ExpectPushed(e.Push({"--key", key.string()}, {{"DOSSIER_KEY_PASSPHRASE", passphrase}}));
  ExpectPushed(e.Push({"--key", key.string(), "--key-passphrase-env", "RELEASE_PASS"},
                      {{"RELEASE_PASS", passphrase}}));
  WriteFile(e.dir.path() / "passphrase.txt", passphrase + "\n");
  ExpectPushed(
      e.Push({"--key", key.string(), "--key-passphrase-file", (e.dir.path() / "passphrase.txt").string()}));

  ExpectFailure(e.Push({"--key", key.string()}, {{"DOSSIER_KEY_PASSPHRASE", "wrong"}}), 3, "bad-passphrase");
  ExpectFailure(e.Push({"--key", key.string()}), 3, "DOSSIER_KEY_PASSPHRASE");
  ExpectFailure(e.Push({"--key", key.string(), "--key-passphrase", passphrase}), 2,
                "never go on the command line");
}

BOOST_AUTO_TEST_CASE(pkcs11_key_on_a_softhsm_token_from_flags_and_from_the_config) {
  if (const std::string missing = SoftHsmMissing(); !missing.empty()) {
    BOOST_REQUIRE_MESSAGE(std::getenv("CI") == nullptr, "CI is set but " << missing);
    BOOST_TEST_MESSAGE("skipped: " << missing);
    return;
  }
  auto& e = E();
  auto hsm = SoftHsmToken::Create(e.dir.path() / "softhsm", "cli-token", kPin);
  BOOST_REQUIRE_MESSAGE(hsm.ok(), hsm.status().ToString());
  Status made = hsm->GenerateKeyPair("EC:prime256v1", "0a", "release");
  BOOST_REQUIRE_MESSAGE(made.ok(), made.ToString());
  const std::string slot = hsm->slot();
  BOOST_REQUIRE_MESSAGE(!slot.empty(), "softhsm2-util did not name the slot");
  // The CLI processes see the token this process reads the public key from.
  e.env["SOFTHSM2_CONF"] = hsm->conf();
  auto module = client::Pkcs11Module::Load(kSoftHsmModule).value();
  auto token_key =
      client::OpenPkcs11Signer(module, {.token_label = "cli-token",
                                        .key_label = "release",
                                        .pin = [] { return StatusOr<std::string>(std::string(kPin)); }})
          .value();
  BOOST_REQUIRE(e.sdk->RegisterKey("acme", token_key->public_key(), "hsm").ok());

  const std::vector<std::string> token = {"--pkcs11-module", kSoftHsmModule,       "--pkcs11-token",
                                          "cli-token",       "--pkcs11-key-label", "release"};
  ExpectPushed(e.Push(token, {{"DOSSIER_PKCS11_PIN", kPin}}));
  WriteFile(e.dir.path() / "pin.txt", std::string(kPin) + "\n");
  auto by_file = token;
  by_file.insert(by_file.end(), {"--pkcs11-pin-file", (e.dir.path() / "pin.txt").string()});
  ExpectPushed(e.Push(by_file));
  // By CKA_ID instead of label, PIN from a named variable.
  ExpectPushed(e.Push({"--pkcs11-module", kSoftHsmModule, "--pkcs11-token", "cli-token", "--pkcs11-key-id",
                       "0a", "--pkcs11-pin-env", "HSM_PIN"},
                      {{"HSM_PIN", kPin}}));

  // By slot instead of token label.
  ExpectPushed(
      e.Push({"--pkcs11-module", kSoftHsmModule, "--pkcs11-slot", slot, "--pkcs11-key-label", "release"},
             {{"DOSSIER_PKCS11_PIN", kPin}}));
  ExpectFailure(
      e.Push({"--pkcs11-module", kSoftHsmModule, "--pkcs11-slot", "4242", "--pkcs11-key-label", "release"},
             {{"DOSSIER_PKCS11_PIN", kPin}}),
      3, "pkcs11-token-not-found");
  ExpectFailure(e.Push(token, {{"DOSSIER_PKCS11_PIN", "000000"}}), 3, "pkcs11-login-failed");
  ExpectFailure(e.Push(token), 3, "DOSSIER_PKCS11_PIN");
  auto other_token = token;
  other_token[3] = "no-such-token";
  ExpectFailure(e.Push(other_token, {{"DOSSIER_PKCS11_PIN", kPin}}), 3, "pkcs11-token-not-found");
  auto with_pin = token;
  with_pin.insert(with_pin.end(), {"--pkcs11-pin", kPin});
  ExpectFailure(e.Push(with_pin), 2, "never go on the command line");

  // The token named in the config: `dossier push` with no key flag signs on it.
  const fs::path config = e.env["DOSSIER_CONFIG"];
  auto o = json::parse(ReadFile(config)).as_object();
  o["pkcs11Module"] = kSoftHsmModule;
  o["pkcs11Token"] = "cli-token";
  o["pkcs11KeyLabel"] = "release";
  WriteFile(config, json::serialize(o));
  ExpectPushed(e.Push({}, {{"DOSSIER_PKCS11_PIN", kPin}}));
}
