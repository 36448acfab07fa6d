// The command table, the context every command runs with, and the helpers
// commands share (commands.h).
#include <cstdlib>
#include <iostream>

#include "cli_output.h"
#include "commands.h"
#include "common/decimal.h"

namespace dossier::cli {
namespace json = boost::json;
using client::Client;
using client::ObjectKind;

// ------------------------------------------------------------------ context

std::string Context::Setting(const char* flag, const char* env, const std::string& from_config) const {
  if (args.values.count(flag)) return args.Get(flag);
  if (const char* e = std::getenv(env); e && *e) return e;
  return from_config;
}

std::string Context::Server() const { return Setting("server", "DOSSIER_SERVER", config.server); }

std::string Context::Tenant() const {
  std::string t = Setting("tenant", "DOSSIER_TENANT", config.tenant);
  if (t.empty()) throw Failure{kExitUsage, "no tenant: pass --tenant or run `dossier login`"};
  return t;
}

Client& Context::Connect() {
  if (client) return *client;
  client::ClientOptions o;
  o.base_url = Server();
  if (o.base_url.empty()) throw Failure{kExitUsage, "no server: pass --server URL or run `dossier login`"};
  o.token = Setting("token", "DOSSIER_TOKEN", config.token);
  o.ca_file = args.Get("ca-file", config.ca_file);
  o.insecure_skip_verify = args.Has("insecure");
  // A CLI should fail fast when the server is away: short connect timeout, few retries.
  o.connect_timeout = std::chrono::seconds(5);
  o.max_retries = 2;
  o.initial_backoff = std::chrono::milliseconds(100);
  if (args.values.count("timeout")) {
    try {
      o.io_timeout = std::chrono::seconds(std::stoi(args.Get("timeout")));
    } catch (...) {
      throw Failure{kExitUsage, "--timeout needs a number of seconds"};
    }
  }
  if (!config.path.empty()) o.checkpoint_file = config.dir() / "checkpoints.json";
  auto c = Client::Create(o);
  if (!c.ok()) throw FromStatus(c.status());
  client = std::move(c).value();
  return *client;
}

void Context::Check(const std::set<std::string>& allowed, size_t min, size_t max) const {
  // A secret on the command line lands in shell history and `ps`: refused
  // with the way to pass it instead (before the generic unknown-flag error).
  for (const std::string secret : {"pin", "pkcs11-pin", "passphrase", "key-passphrase"}) {
    if (args.values.count(secret) || args.switches.count(secret)) {
      const std::string way = secret.find("pin") != std::string::npos ? "--pkcs11-pin" : "--key-passphrase";
      throw Failure{kExitUsage, "--" + secret +
                                    " is not accepted: secrets never go on the command line; use " + way +
                                    "-env VAR or " + way + "-file FILE"};
    }
  }
  std::set<std::string> flags = allowed;
  if (flags.count("key")) flags.insert(kSignerFlags.begin(), kSignerFlags.end());
  CheckArgs(args, flags, min, max, "dossier " + command->usage);
}

Failure Context::UsageError() const { return Failure{kExitUsage, "usage: dossier " + command->usage}; }

std::string Context::Require(const std::string& flag) const {
  if (!args.values.count(flag)) throw UsageError();
  return args.Get(flag);
}

// -------------------------------------------------------------------- table

const Command& CommandTable::Find(std::vector<std::string>& positional) const {
  const std::string first = positional.front();
  if (positional.size() >= 2) {
    const std::string two = first + " " + positional[1];
    for (const auto& c : commands_) {
      if (c.name == two) {
        positional.erase(positional.begin(), positional.begin() + 2);
        return c;
      }
    }
  }
  for (const auto& c : commands_) {
    if (c.name == first) {
      positional.erase(positional.begin());
      return c;
    }
  }
  // A family ("keys") without a known sub-command: say which exist.
  std::string usages;
  for (const auto& c : commands_) {
    if (c.name.rfind(first + " ", 0) == 0) usages += (usages.empty() ? "" : " | ") + ("dossier " + c.usage);
  }
  if (!usages.empty()) throw Failure{kExitUsage, "usage: " + usages};
  throw Failure{kExitUsage, "unknown command \"" + first + "\"; see dossier --help"};
}

std::string CommandTable::Summary() const {
  constexpr size_t kColumn = 46;
  std::string out;
  for (const auto& c : commands_) {
    if (c.summary.empty()) continue;
    std::string line = "  " + c.usage;
    line += line.size() < kColumn + 2 ? std::string(kColumn + 2 - line.size(), ' ') : "   ";
    out += line + c.summary + "\n";
  }
  return out;
}

// ----------------------------------------------------------------- helpers

uint64_t ParseVersion(const std::string& text, const char* what) {
  const StatusOr<uint64_t> version = ParseUint64(text, what);
  if (!version.ok() || *version == 0) {
    throw Failure{kExitUsage, std::string(what) + " must be a version number >= 1, not \"" + text + "\""};
  }
  return *version;
}

uint64_t VersionOrHead(Context& c, const std::string& tenant, const std::string& d) {
  if (c.args.values.count("version")) return ParseVersion(c.args.Get("version"), "--version");
  auto head = Must(c.Connect().GetObject(tenant, ObjectKind::kDossier, d), "dossier " + d);
  if (head.head_version == 0) throw Failure{kExitRefused, "dossier " + d + " has no version yet"};
  return head.head_version;
}

void PrintJson(const json::value& v) { std::cout << CompactJson(v) << "\n"; }

const std::set<std::string> kSignerFlags = {"key-passphrase-env", "key-passphrase-file", "pkcs11-module",
                                            "pkcs11-token",       "pkcs11-key-label",    "pkcs11-key-id",
                                            "pkcs11-pin-env",     "pkcs11-pin-file",     "pkcs11-slot"};

namespace {

// A secret (passphrase, PIN) from the environment variable named by
// --<flag>-env, the file named by --<flag>-file (its first line), or the
// default variable; asked by the SDK when it needs it. Throws Failure (local)
// up front when none is available, so no token session is opened in vain.
client::SecretFn SecretFrom(const Context& c, const std::string& flag, const char* default_env,
                            const std::string& what) {
  if (c.args.values.count(flag + "-file")) {
    const std::string file = c.args.Get(flag + "-file");
    std::string secret = ReadTextFile(file, what + " file");
    if (const size_t eol = secret.find_first_of("\r\n"); eol != std::string::npos) secret.resize(eol);
    if (secret.empty()) throw Failure{kExitLocal, what + " file " + file + " is empty"};
    return [secret] { return StatusOr<std::string>(secret); };
  }
  const std::string variable = c.args.Get(flag + "-env", default_env);
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0') {
    throw Failure{kExitLocal, "the " + what + " is needed: set $" + variable + " (or pass --" + flag +
                                  "-env VAR or --" + flag + "-file FILE)"};
  }
  return [secret = std::string(value)] { return StatusOr<std::string>(secret); };
}

}  // namespace

client::SigningKey LoadSigningKey(Context& c) {
  const std::string module = c.args.Get("pkcs11-module", c.config.pkcs11_module);
  if (!module.empty()) {
    client::Pkcs11KeySpec spec;
    spec.token_label = c.args.Get("pkcs11-token", c.config.pkcs11_token);
    spec.key_label = c.args.Get("pkcs11-key-label", c.config.pkcs11_key_label);
    spec.key_id_hex = c.args.Get("pkcs11-key-id", c.config.pkcs11_key_id);
    if (const std::string slot = c.args.Get("pkcs11-slot", c.config.pkcs11_slot); !slot.empty()) {
      const StatusOr<uint64_t> id = ParseUint64(slot, "--pkcs11-slot");
      if (!id.ok()) throw Failure{kExitUsage, "--pkcs11-slot needs a slot number, not \"" + slot + "\""};
      spec.slot_id = static_cast<unsigned long>(*id);
    }
    if ((spec.token_label.empty() && !spec.slot_id) || (spec.key_label.empty() && spec.key_id_hex.empty())) {
      throw Failure{
          kExitUsage,
          "a PKCS#11 key needs --pkcs11-token LABEL and/or --pkcs11-slot N, and --pkcs11-key-label LABEL "
          "and/or --pkcs11-key-id HEX"};
    }
    spec.pin = SecretFrom(c, "pkcs11-pin", "DOSSIER_PKCS11_PIN", "PKCS#11 user PIN");
    auto loaded = client::Pkcs11Module::Load(module);
    if (!loaded.ok()) throw FromStatus(loaded.status(), "PKCS#11 module " + module);
    auto signer = client::OpenPkcs11Signer(*loaded, spec);
    if (!signer.ok()) throw FromStatus(signer.status(), "token " + spec.token_label);
    return *signer;
  }
  std::string file = c.args.Get("key", c.config.key_file);
  if (file.empty()) {
    throw Failure{
        kExitLocal,
        "no signing key: run `dossier keys create`, pass --key FILE or a PKCS#11 key (--pkcs11-module ...)"};
  }
  const std::string pem = ReadTextFile(file, "signing key");
  if (pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string::npos) {
    auto signer = client::LoadEncryptedPemSigner(
        file, SecretFrom(c, "key-passphrase", "DOSSIER_KEY_PASSPHRASE", "passphrase of " + file));
    if (!signer.ok()) throw FromStatus(signer.status(), "signing key " + file);
    return *signer;
  }
  auto key = trust::PrivateKey::FromPem(pem);
  if (!key.ok())
    throw Failure{kExitLocal, "signing key " + file + " is not a usable Ed25519/P-256 PEM private key"};
  return *key;
}

void ThrowLocal(const Status& s) {
  const bool names_entry = !s.field().empty() && s.message().find(s.field()) == std::string::npos;
  throw Failure{kExitLocal, s.message() + (names_entry ? " at " + s.field() : std::string())};
}

}  // namespace dossier::cli
