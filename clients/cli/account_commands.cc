// Account commands: login, whoami, keys, tenants, tokens.
#include <iostream>

#include "commands.h"
#include "trust/keys.h"

namespace dossier::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using client::ObjectKind;

int Login(Context& c) {
  c.Check({"server", "tenant", "token"}, 0, 0);
  if (c.Server().empty() || !c.args.values.count("tenant") || !c.args.values.count("token")) {
    throw c.UsageError();
  }
  auto& cl = c.Connect();
  const std::string tenant = c.Tenant();
  auto t = Must(cl.GetTenant(tenant), "login");
  // Pin the log key now (trust on first use); `verify` uses it offline later.
  auto log_key = Must(cl.GetLogPublicKey(), "login");
  if (c.config.server != c.Server() || c.config.tenant != tenant) {
    c.config.key_file.clear();
    c.config.key_id.clear();
  }
  c.config.server = c.Server();
  c.config.tenant = tenant;
  c.config.token = c.args.Get("token");
  c.config.log_key_pem = log_key.key.Pem();
  c.config.log_origin = log_key.origin;
  if (c.args.values.count("ca-file")) c.config.ca_file = fs::absolute(c.args.Get("ca-file")).string();
  SaveConfig(c.config);
  if (c.json) {
    PrintJson(
        json::object{{"server", c.config.server}, {"tenant", tenant}, {"config", c.config.path.string()}});
  } else {
    std::cout << "logged in to " << c.config.server << " as tenant " << tenant << " (" << t.display_name
              << "); config " << c.config.path.string() << "\n";
  }
  return kExitOk;
}

int Whoami(Context& c) {
  c.Check({}, 0, 0);
  auto& cl = c.Connect();
  const std::string tenant = c.Tenant();
  auto t = Must(cl.GetTenant(tenant));
  auto cp = Must(cl.GetCheckpoint());
  if (c.json) {
    PrintJson(json::object{{"server", c.Server()},
                           {"tenant", ParseObject(t.json_text)},
                           {"keyId", c.config.key_id},
                           {"logSize", cp.tree_size},
                           {"config", c.config.path.string()}});
  } else {
    std::cout << "server  " << c.Server() << "\ntenant  " << tenant << " (" << t.display_name << ", "
              << t.kind << ")\nkey     "
              << (c.config.key_id.empty() ? "(none: run `dossier keys create`)" : c.config.key_id)
              << "\nlog     " << cp.origin << ", " << cp.tree_size
              << " entries (consistent with what this client saw)\n";
  }
  return kExitOk;
}

int KeysList(Context& c) {
  c.Check({}, 0, 0);
  auto keys = Must(c.Connect().ListKeys(c.Tenant()));
  if (c.json) {
    json::array a;
    for (auto& k : keys) a.push_back(ParseObject(k.json_text));
    PrintJson(a);
    return kExitOk;
  }
  std::printf("%-64s  %-10s  %-8s  %s\n", "KEY ID", "ALGORITHM", "STATUS", "LABEL");
  for (auto& k : keys) {
    std::printf("%-64s  %-10s  %-8s  %s\n", k.key_id.c_str(), k.algorithm.c_str(),
                k.revoked ? "revoked" : "active", k.label.c_str());
  }
  return kExitOk;
}

int KeysCreate(Context& c) {
  c.Check({"label", "algorithm"}, 0, 0);
  const std::string algorithm = c.args.Get("algorithm", "ed25519");
  if (algorithm != "ed25519" && algorithm != "p256")
    throw Failure{kExitUsage, "--algorithm is ed25519 or p256"};
  auto key = Must(trust::PrivateKey::Generate(algorithm == "ed25519" ? trust::KeyAlgorithm::kEd25519
                                                                     : trust::KeyAlgorithm::kEcdsaP256));
  const std::string tenant = c.Tenant();
  auto info = Must(c.Connect().RegisterKey(tenant, key.public_key(), c.args.Get("label", "dossier CLI")),
                   "keys create");
  // The private key never leaves this machine: beside the config, mode 0600.
  const fs::path file = c.config.dir() / "keys" / (info.key_id + ".pem");
  WriteSecretFile(file, key.Pem());
  c.config.key_file = file.string();
  c.config.key_id = info.key_id;
  if (c.config.server.empty()) c.config.server = c.Server();
  if (c.config.tenant.empty()) c.config.tenant = tenant;
  SaveConfig(c.config);
  if (c.json) {
    PrintJson(json::object{{"keyId", info.key_id}, {"algorithm", info.algorithm}, {"file", file.string()}});
  } else {
    std::cout << "created " << info.algorithm << " key " << info.key_id
              << "\n  private key: " << file.string() << " (mode 0600)\n";
  }
  return kExitOk;
}

int TenantsCreate(Context& c) {
  c.Check({"kind", "name", "jurisdiction"}, 1, 1);
  client::NewTenant t;
  t.id = c.args.positional[0];
  t.display_name = c.args.Get("name", t.id);
  t.kind = c.args.Get("kind", "MANUFACTURER");
  t.jurisdiction = c.args.Get("jurisdiction");
  auto created = Must(c.Connect().CreateTenant(t), "tenants create");
  if (c.json) {
    PrintJson(ParseObject(created.json_text));
  } else {
    std::cout << "created tenant " << created.id << " (" << created.kind << ")\n";
  }
  return kExitOk;
}

int TokensCreate(Context& c) {
  c.Check({"role", "label"}, 0, 0);
  c.Require("role");
  auto token =
      Must(c.Connect().CreateToken(c.Tenant(), c.args.Get("role"), c.args.Get("label", "dossier CLI")),
           "tokens create");
  if (c.json) {
    PrintJson(ParseObject(token.json_text));
  } else {
    // Only the secret on stdout, so scripts can capture it; the rest on stderr.
    std::cerr << "created " << token.role << " token " << token.id << " (shown once)\n";
    std::cout << token.secret << "\n";
  }
  return kExitOk;
}

// The audit log, walked page by page (never whole in memory): the tenant's,
// or with --operator the operator's. --json: one JSON array, streamed.
int Audit(Context& c) {
  c.Check({"operator", "page-size"}, 0, 0);
  const std::string tenant = c.args.Has("operator") ? std::string() : c.Tenant();
  int page_size = 0;
  if (c.args.Has("page-size")) {
    const std::string text = c.args.Get("page-size");
    if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(text) == 0)
      throw Failure{kExitUsage, "--page-size must be a number 1-9999"};
    page_size = std::stoi(text);
  }
  size_t n = 0;
  if (c.json) std::cout << "[";
  for (auto& entry : c.Connect().AuditEntries(tenant, page_size)) {
    const json::object o = ParseObject(Must(std::move(entry), "audit"));
    if (c.json) {
      std::cout << (n == 0 ? "" : ",") << "\n" << json::serialize(o);
    } else {
      auto text = [&](std::string_view key) {
        const json::value* v = o.if_contains(key);
        return !v ? std::string() : v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
      };
      std::cout << text("seq") << "  " << text("time") << "  " << text("principal") << " (" << text("role")
                << ")  " << text("method") << " " << text("object") << "  " << text("status") << "\n";
    }
    ++n;
  }
  if (c.json) std::cout << "\n]\n";
  if (!c.json && n == 0) std::cout << "no audit entry\n";
  return kExitOk;
}

}  // namespace

void AddAccountCommands(CommandTable& table) {
  table.Add({"login", "login --server URL --tenant T --token TOKEN",
             "save server, tenant and token (config, mode 0600)", Login});
  table.Add({"whoami", "whoami", "show the server, tenant and signing key in use", Whoami});
  table.Add({"status", "status", "", Whoami});
  table.Add({"keys create", "keys create [--label L] [--algorithm ed25519|p256]",
             "new local key, registered with the server", KeysCreate});
  table.Add({"keys list", "keys list", "the tenant's registered keys", KeysList});
  table.Add({"tenants create", "tenants create ID [--kind K] [--name N] [--jurisdiction J]",
             "(operator token) K: MANUFACTURER|REGULATOR|NOTIFIED_BODY", TenantsCreate});
  table.Add({"tokens create", "tokens create --role ADMIN|EDITOR|REVIEWER|VIEWER [--label L]",
             "prints the new secret", TokensCreate});
  table.Add({"audit", "audit [--operator] [--page-size N]",
             "the tenant's audit log (tenant ADMIN), or the operator's (operator token)", Audit});
}

}  // namespace dossier::cli
