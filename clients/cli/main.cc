// dossier: the command-line client of Dossier Exchange (API.md "dossier CLI").
// Every command talks to the server only through the SDK (dossier_client).
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "cli_util.h"
#include "common/decimal.h"
#include "dossier/client/client.h"
#include "dossier/client/toc_folder.h"
#include "schema/dossier_codec.h"
#include "schema/toc.h"
#include "schema/validate.h"
#include "trust/bundle.h"
#include "trust/checkpoint.h"
#include "trust/digest.h"

namespace dossier::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using client::Client;
using client::ObjectKind;

constexpr const char* kHelp = R"(dossier - command-line client of Dossier Exchange

usage: dossier [global flags] COMMAND [args]

  login --server URL --tenant T --token TOKEN   save server, tenant and token (config, mode 0600)
  whoami                                        show the server, tenant and signing key in use
  keys create [--label L] [--algorithm ed25519|p256]   new local key, registered with the server
  keys list
  create D [--title T]                          a new dossier
  push D DIR [--message M] [--key FILE]         DIR laid out by ToC headings -> one signed version
  pull D DIR [--version N]                      write a version's documents back in the same layout
  log D                                         history
  diff D A B                                    section-level differences between versions A and B
  bundle D --version N -o FILE                  save the offline verification bundle of a version
  verify BUNDLE [--content FILE] [--log-key PEM] [--origin O]   offline verification
  export D [--version N] --format F -o FILE     regional package (imdrf-toc, fda-estar, eu-mdr, hsa-csdt, fhir-r5)
  import --format F FILE                        regional package or record -> canonical content (JSON)
  readiness D [--version N] --agency FDA|EU|HSA [--pathway P]
  tenants create ID [--kind MANUFACTURER|REGULATOR|NOTIFIED_BODY] [--name N]   (operator token)
  tokens create --role ADMIN|EDITOR|REVIEWER|VIEWER [--label L]   prints the new secret
  submit D --version N --agency REGULATOR --pathway P   submit a version to a regulator tenant
  inbox                                         submissions addressed to this regulator
  sync status                                   this regulator's peers: status, last entry, verified log size
  reliance show SUBMISSION                      foreign decisions on the same device, section by section

global flags: --server URL  --token TOKEN  --tenant T  --json (machine-readable output)
              --ca-file PEM  --timeout SECONDS  --no-progress
environment:  DOSSIER_CONFIG (config file), DOSSIER_SERVER, DOSSIER_TENANT, DOSSIER_TOKEN
config file:  $XDG_CONFIG_HOME/dossier/config.json or ~/.config/dossier/config.json

exit status:
  0  success
  1  the server refused the request (the problem's code is shown in [brackets])
  2  usage error
  3  local problem: missing or unreadable file, folder, key or config
  4  cannot reach the server (connection refused, timeout, TLS)
  5  verification failed (signature, inclusion or consistency proof, digest)
)";

// ------------------------------------------------------------------ context

struct Context {
  Args args;
  Config config;
  bool json = false;
  std::unique_ptr<Client> client;

  std::string Setting(const char* flag, const char* env, const std::string& from_config) const {
    if (args.values.count(flag)) return args.Get(flag);
    if (const char* e = std::getenv(env); e && *e) return e;
    return from_config;
  }
  std::string Server() const { return Setting("server", "DOSSIER_SERVER", config.server); }
  std::string Tenant() const {
    std::string t = Setting("tenant", "DOSSIER_TENANT", config.tenant);
    if (t.empty()) throw Failure{kExitUsage, "no tenant: pass --tenant or run `dossier login`"};
    return t;
  }
  bool ProgressAllowed() const { return !json && !args.Has("no-progress"); }

  Client& Connect() {
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
};

template <typename T>
T Must(StatusOr<T> r, const std::string& context = {}) {
  if (!r.ok()) throw FromStatus(r.status(), context);
  return std::move(r).value();
}

uint64_t ParseVersion(const std::string& text, const char* what) {
  const StatusOr<uint64_t> version = ParseUint64(text, what);
  if (!version.ok() || *version == 0) {
    throw Failure{kExitUsage, std::string(what) + " must be a version number >= 1, not \"" + text + "\""};
  }
  return *version;
}

// The version named by --version, or the head.
uint64_t VersionOrHead(Context& c, const std::string& tenant, const std::string& d) {
  if (c.args.values.count("version")) return ParseVersion(c.args.Get("version"), "--version");
  auto head = Must(c.Connect().GetObject(tenant, ObjectKind::kDossier, d), "dossier " + d);
  if (head.head_version == 0) throw Failure{kExitRefused, "dossier " + d + " has no version yet"};
  return head.head_version;
}

void PrintJson(const json::value& v) { std::cout << json::serialize(v) << "\n"; }

trust::PrivateKey LoadSigningKey(Context& c) {
  std::string file = c.args.Get("key", c.config.key_file);
  if (file.empty()) throw Failure{kExitLocal, "no signing key: run `dossier keys create` or pass --key FILE"};
  const std::string pem = ReadTextFile(file, "signing key");
  auto key = trust::PrivateKey::FromPem(pem);
  if (!key.ok())
    throw Failure{kExitLocal, "signing key " + file + " is not a usable Ed25519/P-256 PEM private key"};
  return *key;
}

// A ToC-folder problem (dossier/client/toc_folder.h) is a local one.
template <typename T>
T LocalMust(StatusOr<T> r) {
  if (r.ok()) return std::move(r).value();
  const Status& s = r.status();
  const bool names_entry = !s.field().empty() && s.message().find(s.field()) == std::string::npos;
  throw Failure{kExitLocal, s.message() + (names_entry ? " at " + s.field() : std::string())};
}

// ----------------------------------------------------------------- commands

int Login(Context& c) {
  CheckArgs(c.args, {"server", "tenant", "token"}, 0, 0,
            "dossier login --server URL --tenant T --token TOKEN");
  if (c.Server().empty() || !c.args.values.count("tenant") || !c.args.values.count("token")) {
    throw Failure{kExitUsage, "usage: dossier login --server URL --tenant T --token TOKEN"};
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
  CheckArgs(c.args, {}, 0, 0, "dossier whoami");
  auto& cl = c.Connect();
  const std::string tenant = c.Tenant();
  auto t = Must(cl.GetTenant(tenant));
  auto cp = Must(cl.GetCheckpoint());
  if (c.json) {
    PrintJson(json::object{{"server", c.Server()},
                           {"tenant", t.json},
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

int Keys(Context& c) {
  const std::string sub = c.args.positional.empty() ? "" : c.args.positional[0];
  if (sub == "list") {
    CheckArgs(c.args, {}, 1, 1, "dossier keys list");
    auto keys = Must(c.Connect().ListKeys(c.Tenant()));
    if (c.json) {
      json::array a;
      for (auto& k : keys) a.push_back(k.json);
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
  if (sub != "create")
    throw Failure{kExitUsage, "usage: dossier keys create [--label L] | dossier keys list"};
  CheckArgs(c.args, {"label", "algorithm"}, 1, 1,
            "dossier keys create [--label L] [--algorithm ed25519|p256]");
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

int Create(Context& c) {
  CheckArgs(c.args, {"title"}, 1, 1, "dossier create D [--title T]");
  auto o = Must(c.Connect().CreateDossier(c.Tenant(), c.args.positional[0], c.args.Get("title")), "create");
  if (c.json) {
    PrintJson(o.json);
  } else {
    std::cout << "created dossier " << o.id << "\n";
  }
  return kExitOk;
}

int Push(Context& c) {
  CheckArgs(c.args, {"message", "key"}, 2, 2, "dossier push D DIR [--message M] [--key FILE]");
  const std::string d = c.args.positional[0];
  const fs::path dir = c.args.positional[1];
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Failure{kExitLocal, "no such folder: " + dir.string()};
  const trust::PrivateKey key = LoadSigningKey(c);
  json::object fields = LocalMust(client::ReadDossierFields(dir));
  std::vector<client::FolderSection> local = LocalMust(client::ReadTocFolder(dir));

  // Upload: hash each document, skip what the server already holds (HEAD).
  uint64_t total = 0, files = 0, uploaded = 0;
  for (auto& s : local) {
    for (auto& doc : s.documents) total += doc.size, ++files;
  }
  const std::string tenant = c.Tenant();
  auto& cl = c.Connect();
  {
    Progress bar("uploading", total, c.ProgressAllowed());
    uint64_t base = 0, n = 0;
    for (auto& s : local) {
      for (auto& doc : s.documents) {
        bar.Note(std::to_string(++n) + "/" + std::to_string(files) + " " + doc.file_name);
        auto blob = Must(
            cl.UploadFileIfMissing(tenant, doc.path, [&](uint64_t done, uint64_t) { bar.Set(base + done); }),
            doc.path.string());
        doc.digest = blob.digest;
        uploaded += blob.created ? 1 : 0;
        base += doc.size;
        bar.Set(base);
      }
    }
  }

  // Content: dossier.json's fields, its sections merged with the folders.
  const json::object content = LocalMust(client::MergeTocFolder(std::move(fields), local));

  // Check locally before signing: a clear message beats a refused commit.
  auto parsed = schema::ParseDossier(json::serialize(content), schema::ContentFormat::kJson);
  if (!parsed.ok()) throw Failure{kExitLocal, "dossier.json: " + parsed.status().message()};
  Status valid = schema::ValidateDossier(*parsed, schema::TocCatalog::BuiltIn());
  if (!valid.ok()) {
    throw Failure{kExitLocal, "invalid dossier content at " + valid.field() + ": " + valid.message() + " [" +
                                  valid.reason() + "]"};
  }
  client::CommitRequest req;
  req.tenant = tenant;
  req.id = d;
  req.content = schema::DossierToJson(*parsed);
  req.message = c.args.Get("message");
  auto result = Must(cl.Commit(req, key), "push");
  if (c.json) {
    json::object out = result.version.json;
    out["documents"] = files;
    out["uploaded"] = uploaded;
    PrintJson(out);
  } else {
    std::cout << "pushed " << d << " version " << result.version.version << ": " << files << " documents ("
              << uploaded << " uploaded, " << files - uploaded << " already on the server)\n  digest "
              << result.version.digest << ", log index " << result.receipt.log_index << "\n";
  }
  return kExitOk;
}

int Pull(Context& c) {
  CheckArgs(c.args, {"version"}, 2, 2, "dossier pull D DIR [--version N]");
  const std::string d = c.args.positional[0];
  const fs::path dir = c.args.positional[1];
  const std::string tenant = c.Tenant();
  auto& cl = c.Connect();
  const uint64_t n = VersionOrHead(c, tenant, d);
  auto version = Must(cl.GetVersion(tenant, ObjectKind::kDossier, d, n), "pull");
  // The exact signed bytes (digest-checked by the SDK), not a re-serialisation.
  const std::string bytes = Must(cl.GetVersionContent(tenant, ObjectKind::kDossier, d, n), "pull");
  auto format = schema::FormatOfMediaType(version.info.media_type, schema::kDossierMediaTypeBase);
  if (!format.ok()) throw Failure{kExitRefused, "version " + std::to_string(n) + " is not dossier content"};
  auto dossier = schema::ParseDossier(bytes, *format);
  if (!dossier.ok())
    throw Failure{kExitRefused, "version content does not parse: " + dossier.status().message()};

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Failure{kExitLocal, "cannot create " + dir.string() + ": " + ec.message()};
  uint64_t total = 0, files = 0, fetched = 0;
  for (const auto& s : dossier->sections()) {
    for (const auto& doc : s.documents()) total += static_cast<uint64_t>(doc.size_bytes()), ++files;
  }
  {
    Progress bar("downloading", total, c.ProgressAllowed());
    uint64_t base = 0;
    for (const auto& s : dossier->sections()) {
      const fs::path folder = dir / client::TocFolderName(s.code(), s.title());
      fs::create_directories(folder, ec);
      if (ec) throw Failure{kExitLocal, "cannot create " + folder.string() + ": " + ec.message()};
      for (const auto& doc : s.documents()) {
        std::string name = doc.file_name().empty() ? doc.digest().substr(7) : doc.file_name();
        if (!client::IsSafeDocumentPath(name))
          throw Failure{kExitVerify, "refusing unsafe document file name \"" + name + "\""};
        const fs::path target = folder / name;
        fs::create_directories(target.parent_path(), ec);
        // Already there and identical: nothing to fetch.
        auto have = fs::exists(target, ec) ? trust::Sha256File(target) : StatusOr<std::string>(NotFound(""));
        if (!have.ok() || trust::DigestRef(*have) != doc.digest()) {
          fs::remove(target, ec);
          Must(cl.DownloadToFile(tenant, doc.digest(), target,
                                 [&](uint64_t done, uint64_t) { bar.Set(base + done); }),
               target.string());
          ++fetched;
        }
        base += static_cast<uint64_t>(doc.size_bytes());
        bar.Set(base);
      }
    }
  }
  // dossier.json: the structured fields; titles live in folder names and
  // documents in the folders, so only what those cannot hold stays here.
  v1::Dossier fields = *dossier;
  fields.clear_sections();
  for (const auto& s : dossier->sections()) {
    if (!s.has_data() && s.not_applicable_justification().empty()) continue;
    auto* kept = fields.add_sections();
    *kept = s;
    kept->clear_documents();
    kept->clear_title();
  }
  boost::system::error_code jec;
  json::value pretty = json::parse(schema::DossierToJson(fields), jec);
  std::ofstream(dir / "dossier.json", std::ios::binary) << PrettyJson(pretty);
  if (c.json) {
    PrintJson(json::object{
        {"version", n}, {"digest", version.info.digest}, {"documents", files}, {"downloaded", fetched}});
  } else {
    std::cout << "pulled " << d << " version " << n << " into " << dir.string() << ": " << files
              << " documents (" << fetched << " downloaded)\n";
  }
  return kExitOk;
}

int Log(Context& c) {
  CheckArgs(c.args, {}, 1, 1, "dossier log D");
  const std::string d = c.args.positional[0];
  auto versions = Must(c.Connect().AllVersions(c.Tenant(), ObjectKind::kDossier, d), "log");
  if (c.json) {
    json::array a;
    for (auto& v : versions) a.push_back(v.json);
    PrintJson(json::object{{"versions", a}});
    return kExitOk;
  }
  std::printf("%-7s  %-24s  %-19s  %-12s  %s\n", "VERSION", "CREATED", "DIGEST", "SIGNER", "MESSAGE");
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    std::printf("%-7llu  %-24s  %-19s  %-12s  %s\n", static_cast<unsigned long long>(it->version),
                it->created_at.c_str(), it->digest.substr(0, 19).c_str(),
                it->signer_key_id.substr(0, 12).c_str(), it->message.c_str());
  }
  return kExitOk;
}

int Diff(Context& c) {
  CheckArgs(c.args, {}, 3, 3, "dossier diff D A B");
  const uint64_t a = ParseVersion(c.args.positional[1], "A"), b = ParseVersion(c.args.positional[2], "B");
  auto diff = Must(c.Connect().Diff(c.Tenant(), c.args.positional[0], a, b), "diff");
  if (c.json) {
    PrintJson(diff);
    return kExitOk;
  }
  size_t changes = 0;
  if (auto* secs = diff.if_contains("sections"); secs && secs->is_array()) {
    for (const auto& s : secs->as_array()) {
      const auto& o = s.as_object();
      const std::string kind = o.if_contains("kind") ? std::string(o.at("kind").as_string()) : "";
      const size_t added = o.if_contains("documentsAdded") ? o.at("documentsAdded").as_array().size() : 0;
      const size_t removed =
          o.if_contains("documentsRemoved") ? o.at("documentsRemoved").as_array().size() : 0;
      const bool data = o.if_contains("dataChanged") && o.at("dataChanged").as_bool();
      std::cout << (kind == "ADDED"     ? "A"
                    : kind == "REMOVED" ? "D"
                                        : "M")
                << "  " << std::string(o.at("code").as_string()) << "  +" << added << " -" << removed
                << " documents" << (data ? ", data changed" : "") << "\n";
      ++changes;
    }
  }
  if (auto* fields = diff.if_contains("changedFields"); fields && fields->is_array()) {
    for (const auto& f : fields->as_array()) {
      std::cout << "F  " << std::string(f.as_string()) << "\n";
      ++changes;
    }
  }
  if (changes == 0) std::cout << "no differences between version " << a << " and " << b << "\n";
  return kExitOk;
}

int Bundle(Context& c) {
  CheckArgs(c.args, {"version", "output"}, 1, 1, "dossier bundle D --version N -o FILE");
  if (!c.args.values.count("output"))
    throw Failure{kExitUsage, "usage: dossier bundle D --version N -o FILE"};
  const std::string tenant = c.Tenant(), d = c.args.positional[0];
  const uint64_t n = VersionOrHead(c, tenant, d);
  std::string raw;
  Must(c.Connect().GetBundle(tenant, ObjectKind::kDossier, d, n, &raw), "bundle");
  std::ofstream out(c.args.Get("output"), std::ios::binary);
  out << raw;
  if (!out) throw Failure{kExitLocal, "cannot write " + c.args.Get("output")};
  if (!c.json)
    std::cout << "saved the bundle of " << d << " version " << n << " to " << c.args.Get("output") << "\n";
  return kExitOk;
}

int Verify(Context& c) {
  CheckArgs(c.args, {"content", "log-key", "origin"}, 1, 1,
            "dossier verify BUNDLE [--content FILE] [--log-key PEM] [--origin O]");
  const std::string text = ReadTextFile(c.args.positional[0], "bundle");
  auto bundle = trust::BundleFromJson(text);
  if (!bundle.ok())
    throw Failure{kExitVerify, "verification failed: not a valid bundle: " + bundle.status().message()};
  std::string pem = c.config.log_key_pem, origin = c.config.log_origin;
  if (c.args.values.count("log-key")) {
    pem = ReadTextFile(c.args.Get("log-key"), "log key");
    origin.clear();
  }
  if (pem.empty())
    throw Failure{kExitUsage,
                  "no log key: pass --log-key PEM (from GET /v1/log/public-key) or run `dossier login`"};
  auto log_key = trust::PublicKey::FromPem(pem);
  if (!log_key.ok()) throw Failure{kExitLocal, "the log key is not a PEM public key"};
  // Our log names itself in the first line of its checkpoints; the signature
  // by the pinned key is what makes that trustworthy.
  origin = c.args.Get("origin", origin);
  if (origin.empty()) {
    auto claimed = trust::ParseUnverifiedCheckpoint(bundle->checkpoint_note);
    if (!claimed.ok()) {
      throw Failure{kExitVerify, "verification failed: " + claimed.status().message() + " [" +
                                     claimed.status().reason() + "]"};
    }
    origin = claimed->origin;
  }
  std::optional<std::string> content;
  if (c.args.values.count("content")) content = ReadTextFile(c.args.Get("content"), "content");
  auto v = trust::VerifyBundle(*bundle, origin, *log_key, content ? &*content : nullptr);
  if (!v.ok()) {
    throw Failure{kExitVerify,
                  "verification failed: " + v.status().message() + " [" + v.status().reason() + "]"};
  }
  if (c.json) {
    PrintJson(json::object{{"verified", true},
                           {"tenant", v->statement.tenant},
                           {"object", v->statement.object},
                           {"version", v->statement.version},
                           {"contentDigest", v->statement.content_digest},
                           {"signerKeyId", v->signer_key_id},
                           {"logIndex", bundle->log_index},
                           {"treeSize", v->checkpoint.tree_size},
                           {"contentChecked", content.has_value()}});
  } else {
    std::cout << "verified: " << v->statement.tenant << "/" << v->statement.object << " version "
              << v->statement.version << "\n  content " << v->statement.content_digest
              << (content ? " (file matches)" : " (content not checked: pass --content FILE)")
              << "\n  signed by key " << v->signer_key_id << ", registered in the log\n  log index "
              << bundle->log_index << " in tree of size " << v->checkpoint.tree_size << " ("
              << v->checkpoint.origin << ")\n";
  }
  return kExitOk;
}

int Export(Context& c) {
  CheckArgs(c.args, {"version", "format", "output"}, 1, 1,
            "dossier export D [--version N] --format F -o FILE");
  if (!c.args.values.count("format") || !c.args.values.count("output")) {
    throw Failure{kExitUsage, "usage: dossier export D [--version N] --format F -o FILE"};
  }
  const std::string tenant = c.Tenant(), d = c.args.positional[0];
  const uint64_t n = VersionOrHead(c, tenant, d);
  const fs::path out = c.args.Get("output");
  {
    Progress bar("exporting", 0, c.ProgressAllowed());
    Status s = c.Connect().Export(tenant, d, n, c.args.Get("format"), out,
                                  [&](uint64_t done, uint64_t) { bar.Set(done); });
    if (!s.ok()) {
      std::error_code ec;
      fs::remove(out, ec);
      throw FromStatus(s, "export");
    }
  }
  std::error_code ec;
  if (c.json) {
    PrintJson(json::object{{"file", out.string()}, {"bytes", fs::file_size(out, ec)}, {"version", n}});
  } else {
    std::cout << "exported " << d << " version " << n << " as " << c.args.Get("format") << " to "
              << out.string() << " (" << fs::file_size(out, ec) << " bytes)\n";
  }
  return kExitOk;
}

int Import(Context& c) {
  CheckArgs(c.args, {"format"}, 1, 1, "dossier import --format F FILE");
  if (!c.args.values.count("format")) throw Failure{kExitUsage, "usage: dossier import --format F FILE"};
  const fs::path in = c.args.positional[0];
  std::error_code ec;
  if (!fs::is_regular_file(in, ec))
    throw Failure{kExitLocal, "cannot read " + in.string() + ": no such file"};
  Progress bar("importing", fs::file_size(in, ec), c.ProgressAllowed());
  auto r = Must(c.Connect().Import(c.Tenant(), c.args.Get("format"), in,
                                   [&](uint64_t done, uint64_t) { bar.Set(done); }),
                "import");
  bar.Finish();
  boost::system::error_code jec;
  json::value v = json::parse(r.body, jec);
  std::cout << (!jec && !c.json ? PrettyJson(v) : r.body);
  if (!r.body.empty() && r.body.back() != '\n' && (jec || c.json)) std::cout << "\n";
  return kExitOk;
}

int Readiness(Context& c) {
  CheckArgs(c.args, {"version", "agency", "pathway"}, 1, 1,
            "dossier readiness D [--version N] --agency FDA|EU|HSA [--pathway P]");
  if (!c.args.values.count("agency"))
    throw Failure{kExitUsage, "usage: dossier readiness D --version N --agency FDA|EU|HSA"};
  const std::string tenant = c.Tenant(), d = c.args.positional[0];
  const uint64_t n = VersionOrHead(c, tenant, d);
  auto report =
      Must(c.Connect().Readiness(tenant, d, n, c.args.Get("agency"), c.args.Get("pathway")), "readiness");
  if (c.json) {
    PrintJson(report);
  } else {
    std::cout << PrettyJson(report);
  }
  return kExitOk;
}

int Tenants(Context& c) {
  if (c.args.positional.empty() || c.args.positional[0] != "create") {
    throw Failure{kExitUsage, "usage: dossier tenants create ID [--kind K] [--name N] [--jurisdiction J]"};
  }
  CheckArgs(c.args, {"kind", "name", "jurisdiction"}, 2, 2,
            "dossier tenants create ID [--kind K] [--name N] [--jurisdiction J]");
  client::NewTenant t;
  t.id = c.args.positional[1];
  t.display_name = c.args.Get("name", t.id);
  t.kind = c.args.Get("kind", "MANUFACTURER");
  t.jurisdiction = c.args.Get("jurisdiction");
  auto created = Must(c.Connect().CreateTenant(t), "tenants create");
  if (c.json) {
    PrintJson(created.json);
  } else {
    std::cout << "created tenant " << created.id << " (" << created.kind << ")\n";
  }
  return kExitOk;
}

int Tokens(Context& c) {
  if (c.args.positional.empty() || c.args.positional[0] != "create") {
    throw Failure{kExitUsage, "usage: dossier tokens create --role ROLE [--label L]"};
  }
  CheckArgs(c.args, {"role", "label"}, 1, 1,
            "dossier tokens create --role ADMIN|EDITOR|REVIEWER|VIEWER [--label L]");
  if (!c.args.values.count("role"))
    throw Failure{kExitUsage, "usage: dossier tokens create --role ROLE [--label L]"};
  auto token =
      Must(c.Connect().CreateToken(c.Tenant(), c.args.Get("role"), c.args.Get("label", "dossier CLI")),
           "tokens create");
  if (c.json) {
    PrintJson(token.json);
  } else {
    // Only the secret on stdout, so scripts can capture it; the rest on stderr.
    std::cerr << "created " << token.role << " token " << token.id << " (shown once)\n";
    std::cout << token.secret << "\n";
  }
  return kExitOk;
}

// ---------------------------------------------------- submissions, reliance

int Submit(Context& c) {
  CheckArgs(c.args, {"version", "agency", "pathway"}, 1, 1,
            "dossier submit D --version N --agency REGULATOR --pathway P");
  for (const char* f : {"version", "agency", "pathway"}) {
    if (!c.args.values.count(f)) throw Failure{kExitUsage, std::string("submit needs --") + f};
  }
  uint64_t version = 0;
  try {
    version = ParseVersion(c.args.Get("version"), "--version");
  } catch (...) {
    throw Failure{kExitUsage, "--version must be a number"};
  }
  auto s = Must(c.Connect().Submit(
                    c.Tenant(), {c.args.positional[0], version, c.args.Get("agency"), c.args.Get("pathway")}),
                "submit");
  if (c.json) {
    PrintJson(s.json);
  } else {
    std::cout << "submitted " << c.args.positional[0] << " version " << version << " to "
              << c.args.Get("agency") << " as " << s.id << " (" << s.status << ")\n";
  }
  return kExitOk;
}

int Inbox(Context& c) {
  CheckArgs(c.args, {}, 0, 0, "dossier inbox");
  auto inbox = Must(c.Connect().Inbox(c.Tenant()), "inbox");
  if (c.json) {
    json::array items;
    for (auto& s : inbox) items.push_back(std::move(s.json));
    PrintJson(json::object{{"submissions", std::move(items)}});
    return kExitOk;
  }
  std::printf("%-20s  %-14s  %-16s  %-18s  %s\n", "SUBMISSION", "STATUS", "MANUFACTURER", "PATHWAY",
              "DOSSIER");
  for (const auto& s : inbox) {
    std::printf("%-20s  %-14s  %-16s  %-18s  %s v%llu\n", s.id.c_str(), s.status.c_str(),
                s.manufacturer.c_str(), s.pathway.c_str(), s.dossier.c_str(),
                static_cast<unsigned long long>(s.version));
  }
  return kExitOk;
}

int Sync(Context& c) {
  if (c.args.positional.empty() || c.args.positional[0] != "status") {
    throw Failure{kExitUsage, "usage: dossier sync status"};
  }
  CheckArgs(c.args, {}, 1, 1, "dossier sync status");
  auto peers = Must(c.Connect().ListPeers(c.Tenant()), "sync status");
  if (c.json) {
    json::array items;
    for (auto& p : peers) items.push_back(std::move(p.json));
    PrintJson(json::object{{"peers", std::move(items)}});
    return kExitOk;
  }
  std::printf("%-16s  %-10s  %-8s  %-10s  %-32s  %s\n", "PEER", "STATUS", "LAST SEQ", "LOG SIZE", "URL",
              "ERROR");
  for (const auto& p : peers) {
    std::printf("%-16s  %-10s  %-8llu  %-10llu  %-32s  %s\n", p.id.c_str(), p.status.c_str(),
                static_cast<unsigned long long>(p.last_seq),
                static_cast<unsigned long long>(p.verified_tree_size), p.url.c_str(), p.error.c_str());
  }
  return kExitOk;
}

int Reliance(Context& c) {
  if (c.args.positional.size() != 2 || c.args.positional[0] != "show") {
    throw Failure{kExitUsage, "usage: dossier reliance show SUBMISSION"};
  }
  CheckArgs(c.args, {}, 2, 2, "dossier reliance show SUBMISSION");
  const std::string s = c.args.positional[1];
  auto decisions = Must(c.Connect().Reliance(c.Tenant(), s), "reliance show");
  if (c.json) {
    json::array items;
    for (auto& d : decisions) items.push_back(std::move(d.json));
    PrintJson(json::object{{"submission", s}, {"decisions", std::move(items)}});
    return kExitOk;
  }
  if (decisions.empty()) std::cout << "no foreign decision on this device has been pulled yet\n";
  for (const auto& d : decisions) {
    std::cout << d.peer_tenant << " (" << d.peer_origin << "): " << d.outcome << " " << d.number << " "
              << d.date << "; section digests " << d.attestation << "; " << d.identical_sections
              << " identical, " << d.different_sections << " different\n";
    for (const auto& sec : d.sections) {
      std::cout << "  " << (sec.identical ? "identical  " : "DIFFERENT  ") << sec.code;
      if (!sec.only_in.empty()) std::cout << " (only in " << sec.only_in << ")";
      std::cout << "\n";
    }
  }
  return kExitOk;
}

int Run(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kHelp;
    return kExitUsage;
  }
  Context c;
  // Global flags may come before or after the command.
  c.args = ParseArgs(argc, argv, 1);
  if (c.args.positional.empty()) {
    if (c.args.Has("help")) {
      std::cout << kHelp;
      return kExitOk;
    }
    throw Failure{kExitUsage, "no command; see dossier --help"};
  }
  const std::string command = c.args.positional.front();
  c.args.positional.erase(c.args.positional.begin());
  if (command == "help" || c.args.Has("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  if (command == "version") {
    std::cout << "dossier 0.1.0\n";
    return kExitOk;
  }
  if (c.args.values.count("config")) ::setenv("DOSSIER_CONFIG", c.args.Get("config").c_str(), 1);
  c.config = LoadConfig();
  c.json = c.args.Has("json");
  static const std::map<std::string, int (*)(Context&)> commands = {
      {"login", Login},   {"whoami", Whoami},       {"status", Whoami},   {"keys", Keys},
      {"create", Create}, {"push", Push},           {"pull", Pull},       {"log", Log},
      {"diff", Diff},     {"bundle", Bundle},       {"verify", Verify},   {"export", Export},
      {"import", Import}, {"readiness", Readiness}, {"tenants", Tenants}, {"tokens", Tokens},
      {"submit", Submit}, {"inbox", Inbox},         {"sync", Sync},       {"reliance", Reliance}};
  auto it = commands.find(command);
  if (it == commands.end())
    throw Failure{kExitUsage, "unknown command \"" + command + "\"; see dossier --help"};
  return it->second(c);
}

}  // namespace
}  // namespace dossier::cli

int main(int argc, char** argv) {
  try {
    return dossier::cli::Run(argc, argv);
  } catch (const dossier::cli::Failure& f) {
    std::cerr << "dossier: " << f.message << "\n";
    return f.code;
  } catch (const std::exception& e) {
    // Never a stack trace: one line, and the local-problem exit code.
    std::cerr << "dossier: unexpected error: " << e.what() << "\n";
    return dossier::cli::kExitLocal;
  }
}
