// The command table, the context every command runs with, and the helpers
// commands share (commands.h).
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
  CheckArgs(args, allowed, min, max, "dossier " + command->usage);
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

trust::PrivateKey LoadSigningKey(Context& c) {
  std::string file = c.args.Get("key", c.config.key_file);
  if (file.empty()) throw Failure{kExitLocal, "no signing key: run `dossier keys create` or pass --key FILE"};
  const std::string pem = ReadTextFile(file, "signing key");
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
