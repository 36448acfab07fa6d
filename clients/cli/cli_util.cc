#include "cli_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli_output.h"
#include "common/time.h"
#include "dossier/client/client.h"
#include "dossier/client/reasons.h"

namespace dossier::cli {
namespace fs = std::filesystem;
namespace json = boost::json;

std::string Args::Get(const std::string& name, const std::string& fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second;
}

Args ParseArgs(int argc, char** argv, int first) {
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h") a = "--help";
    if (a == "-o") a = "--output";
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a.substr(2), value;
      const auto eq = name.find('=');
      const bool inline_value = eq != std::string::npos;
      if (inline_value) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      if (kSwitches.count(name)) {
        if (inline_value) throw Failure{kExitUsage, "--" + name + " takes no value"};
        args.switches.insert(name);
        continue;
      }
      if (!inline_value) {
        if (i + 1 >= argc) throw Failure{kExitUsage, "--" + name + " needs a value"};
        value = argv[++i];
      }
      args.values[name] = value;
    } else if (a == "--") {
      for (++i; i < argc; ++i) args.positional.emplace_back(argv[i]);
    } else {
      args.positional.push_back(a);
    }
  }
  return args;
}

void CheckArgs(const Args& args, const std::set<std::string>& allowed, size_t min, size_t max,
               const std::string& usage) {
  static const std::set<std::string> global = {"server", "token",       "tenant",  "json",     "help",
                                               "config", "no-progress", "ca-file", "insecure", "timeout"};
  auto check = [&](const std::string& name) {
    if (!allowed.count(name) && !global.count(name))
      throw Failure{kExitUsage, "unknown flag --" + name + "; usage: " + usage};
  };
  for (const auto& [k, v] : args.values) check(k);
  for (const auto& k : args.switches) check(k);
  if (args.positional.size() < min || args.positional.size() > max)
    throw Failure{kExitUsage, "usage: " + usage};
}

static fs::path ConfigPath() {
  if (const char* p = std::getenv("DOSSIER_CONFIG"); p && *p) return p;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return fs::path(x) / "dossier" / "config.json";
  if (const char* h = std::getenv("HOME"); h && *h)
    return fs::path(h) / ".config" / "dossier" / "config.json";
  return fs::path(".dossier") / "config.json";
}

std::string ReadTextFile(const fs::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Failure{kExitLocal, "cannot read " + what + " " + path.string() + ": " + std::strerror(errno)};
  std::stringstream s;
  s << in.rdbuf();
  if (in.bad()) throw Failure{kExitLocal, "cannot read " + what + " " + path.string()};
  return s.str();
}

void WriteOutputFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw Failure{kExitLocal, "cannot write " + path.string()};
}

Config LoadConfig() {
  Config c;
  c.path = ConfigPath();
  std::error_code ec;
  if (!fs::exists(c.path, ec)) return c;
  const std::string text = ReadTextFile(c.path, "config file");
  boost::system::error_code jec;
  json::value v = json::parse(text, jec);
  if (jec || !v.is_object())
    throw Failure{kExitLocal, "config file " + c.path.string() + " is not a JSON object"};
  auto get = [&](const char* k) {
    auto* p = v.as_object().if_contains(k);
    return p && p->is_string() ? std::string(p->as_string()) : std::string();
  };
  c.server = get("server");
  c.tenant = get("tenant");
  c.token = get("token");
  c.key_file = get("keyFile");
  c.key_id = get("keyId");
  c.log_key_pem = get("logPublicKeyPem");
  c.log_origin = get("logOrigin");
  c.ca_file = get("caFile");
  c.pkcs11_module = get("pkcs11Module");
  c.pkcs11_token = get("pkcs11Token");
  c.pkcs11_slot = get("pkcs11Slot");
  c.pkcs11_key_label = get("pkcs11KeyLabel");
  c.pkcs11_key_id = get("pkcs11KeyId");
  return c;
}

void WriteSecretFile(const fs::path& path, const std::string& bytes) {
  std::error_code ec;
  if (!path.parent_path().empty()) {
    fs::create_directories(path.parent_path(), ec);
    ::chmod(path.parent_path().c_str(), 0700);
  }
  const std::string tmp = path.string() + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw Failure{kExitLocal, "cannot write " + tmp + ": " + std::strerror(errno)};
  ::fchmod(fileno(f), 0600);  // before any secret byte lands in it
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = std::fclose(f) == 0 && ok;
  fs::rename(tmp, path, ec);
  if (!ok || ec) throw Failure{kExitLocal, "cannot write " + path.string()};
}

void SaveConfig(const Config& c) {
  json::object o;
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) o[k] = v;
  };
  put("server", c.server);
  put("tenant", c.tenant);
  put("token", c.token);
  put("keyFile", c.key_file);
  put("keyId", c.key_id);
  put("logPublicKeyPem", c.log_key_pem);
  put("logOrigin", c.log_origin);
  put("caFile", c.ca_file);
  put("pkcs11Module", c.pkcs11_module);
  put("pkcs11Token", c.pkcs11_token);
  put("pkcs11Slot", c.pkcs11_slot);
  put("pkcs11KeyLabel", c.pkcs11_key_label);
  put("pkcs11KeyId", c.pkcs11_key_id);
  WriteSecretFile(c.path, PrettyJson(o));
}

Failure FromStatus(const Status& s, const std::string& context) {
  const std::string prefix = context.empty() ? "" : context + ": ";
  const std::string reason = s.reason();
  if (client::IsTransportError(s))
    return {kExitUnreachable, prefix + "cannot reach the server: " + s.message()};
  if (reason == "io-error") return {kExitLocal, prefix + s.message()};
  // The signing key's own failures (a token, a passphrase) happen before anything is sent.
  if (reason == client::reasons::kSignerMismatch || reason == client::reasons::kBadPassphrase ||
      reason == client::reasons::kUnsupportedKey || reason == client::reasons::kKeyNotEncrypted ||
      reason.rfind("pkcs11-", 0) == 0) {
    return {kExitLocal, prefix + "cannot sign: " + s.message() + " [" + reason + "]"};
  }
  if (reason == "digest-mismatch" || reason == "receipt-invalid" || reason == "consistency-proof-invalid" ||
      reason == "log-fork" || reason == "log-key-changed" || reason == "wrong-log-origin" ||
      reason == "note-signature-invalid" || reason == client::reasons::kLogKeyNotPinned ||
      reason == client::reasons::kLogOriginMismatch || reason == client::reasons::kLogOriginChanged ||
      reason == client::reasons::kUnexpectedTenant || reason == client::reasons::kUnexpectedObject ||
      reason == client::reasons::kUnexpectedVersion || reason == client::reasons::kUnexpectedSigner) {
    return {kExitVerify, prefix + "verification failed: " + s.message() + " [" + reason + "]"};
  }
  if (reason == "bad-url") return {kExitUsage, prefix + s.message()};
  std::string line = prefix + "server refused: " + ReadableSchemaMessage(s.message()) + " [" + reason + "]";
  if (!s.field().empty()) line += " at " + s.field();
  if (s.code() == StatusCode::kUnauthenticated) line += " (check --token or run `dossier login`)";
  return {kExitRefused, line};
}

static void Pretty(std::string& out, const json::value& v, int indent) {
  const std::string pad(indent * 2, ' ');
  if (v.is_object() && !v.as_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [k, val] : v.as_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + "  " + json::serialize(json::value(k)) + ": ";
      Pretty(out, val, indent + 1);
    }
    out += "\n" + pad + "}";
  } else if (v.is_array() && !v.as_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& val : v.as_array()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + "  ";
      Pretty(out, val, indent + 1);
    }
    out += "\n" + pad + "]";
  } else {
    out += CompactJson(v);  // plain decimals, not 9.3E-1
  }
}

json::value ParseValue(std::string_view json_text) {
  boost::system::error_code ec;
  json::value v = json::parse(json_text, ec);
  if (ec) throw Failure{kExitRefused, "the answer is not JSON: " + ec.message()};
  return v;
}

json::object ParseObject(std::string_view json_text) {
  json::value v = ParseValue(json_text);
  if (!v.is_object()) throw Failure{kExitRefused, "the answer is not a JSON object"};
  return std::move(v.as_object());
}

std::string PrettyJson(const json::value& v) {
  std::string out;
  Pretty(out, v, 0);
  return out + "\n";
}

Progress::Progress(std::string label, uint64_t total, bool allowed)
    : label_(std::move(label)), total_(total), enabled_(allowed && ::isatty(2)) {}
Progress::~Progress() { Finish(); }
void Progress::Add(uint64_t bytes) {
  done_ += bytes;
  Draw(false);
}
void Progress::Set(uint64_t done) {
  done_ = done;
  Draw(false);
}
void Progress::Note(std::string label) {
  label_ = std::move(label);
  Draw(false);
}
void Progress::Draw(bool force) {
  if (!enabled_) return;
  const int64_t now = NowMs();
  if (!force && now - last_draw_ms_ < 100) return;  // at most 10 redraws a second
  last_draw_ms_ = now;
  const double fraction =
      total_ ? std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_)) : 0;
  const int width = 30, filled = static_cast<int>(fraction * width);
  char line[256];
  std::snprintf(line, sizeof line, "\r[%-*s] %3d%% %7.1f/%.1f MB %.60s\033[K", width,
                std::string(filled, '#').c_str(), static_cast<int>(fraction * 100),
                static_cast<double>(done_) / 1e6, static_cast<double>(total_) / 1e6, label_.c_str());
  std::fputs(line, stderr);
}
void Progress::Finish() {
  if (!enabled_) return;
  Draw(true);
  std::fputs("\n", stderr);
  enabled_ = false;
}

}  // namespace dossier::cli
