// Pieces of the dossier CLI that are not commands: argument parsing, the
// config file, exit codes, output helpers, the progress bar.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"

namespace dossier::cli {

// Exit codes (documented in `dossier --help` and README.md).
enum Exit : int {
  kExitOk = 0,
  kExitRefused = 1,      // the server refused the request (4xx/5xx problem)
  kExitUsage = 2,        // bad command line
  kExitLocal = 3,        // a local file, folder, key or config problem
  kExitUnreachable = 4,  // cannot reach the server (refused, timeout, TLS)
  kExitVerify = 5,       // verification failed (signature, proof, digest)
};

// A failure that ends the command: one line on stderr, then exit `code`.
struct Failure {
  int code;
  std::string message;
};

// Parsed command line: positionals in order and --name value flags.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // "server" -> "http://..."
  std::set<std::string> switches;             // "json"
  bool Has(const std::string& name) const { return switches.count(name) || values.count(name); }
  std::string Get(const std::string& name, const std::string& fallback = {}) const;
};

// Flags that take no value; every other --flag takes one.
inline const std::set<std::string> kSwitches = {
    "json", "help", "no-progress", "insecure", "no-review-reports", "from-comments", "operator"};
// Throws Failure (usage) on malformed input.
Args ParseArgs(int argc, char** argv, int first);
// Throws Failure (usage) when `args` has a flag outside `allowed` (plus the
// global ones) or a positional count outside [min, max].
void CheckArgs(const Args& args, const std::set<std::string>& allowed, size_t min, size_t max,
               const std::string& usage);

struct Config {
  std::filesystem::path path;  // the config file
  std::string server, tenant, token, key_file, key_id, log_key_pem, log_origin, ca_file;
  // A PKCS#11 signing key instead of key_file (the PIN is never stored).
  std::string pkcs11_module, pkcs11_token, pkcs11_slot, pkcs11_key_label, pkcs11_key_id;
  std::filesystem::path dir() const { return path.parent_path(); }
};
// $DOSSIER_CONFIG, else $XDG_CONFIG_HOME/dossier/config.json, else
// ~/.config/dossier/config.json. A missing file is an empty config.
Config LoadConfig();
// Writes atomically with mode 0600 (directory 0700).
void SaveConfig(const Config& config);
// Writes `bytes` to `path` with mode 0600, atomically.
void WriteSecretFile(const std::filesystem::path& path, const std::string& bytes);
std::string ReadTextFile(const std::filesystem::path& path, const std::string& what);
// Writes `bytes` to `path` (a file the user named: bundle, key, content);
// throws Failure (local) when it cannot.
void WriteOutputFile(const std::filesystem::path& path, const std::string& bytes);

// Maps an SDK failure to an exit code and one line.
Failure FromStatus(const Status& status, const std::string& context = {});

// Indented JSON for humans.
std::string PrettyJson(const boost::json::value& v);

// The SDK hands JSON over as text (dossier::client::JsonText); the CLI reads
// it here, in one place. Text that does not parse (or, for ParseObject, is
// not an object) would be the SDK's fault: Failure (refused) saying so.
boost::json::value ParseValue(std::string_view json_text);
boost::json::object ParseObject(std::string_view json_text);

// A one-line progress bar on stderr, only when stderr is a terminal.
class Progress {
 public:
  Progress(std::string label, uint64_t total, bool allowed);
  ~Progress();
  void Add(uint64_t bytes);
  void Set(uint64_t done);
  void Note(std::string label);
  void Finish();

 private:
  void Draw(bool force);
  std::string label_;
  uint64_t total_, done_ = 0;
  bool enabled_;
  int64_t last_draw_ms_ = 0;
};

}  // namespace dossier::cli
