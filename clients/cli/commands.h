// The dossier CLI's one command table and what every command shares: the
// context (parsed arguments, config, the SDK client) and small helpers.
//
// A new verb goes into the file of its family (`<family>_commands.cc`): a
// function `int Verb(Context&)` and one `table.Add({...})` line in that
// file's `Add<Family>Commands`. `dossier help` is generated from the table.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli_util.h"
#include "dossier/client/client.h"
#include "trust/keys.h"

namespace dossier::cli {

struct Command;

// What a command runs with. `args.positional` holds the arguments after the
// command's name (for "keys create ID", just "ID").
struct Context {
  Args args;
  Config config;
  bool json = false;
  const Command* command = nullptr;
  std::unique_ptr<client::Client> client;

  // flag, then environment, then config file.
  std::string Setting(const char* flag, const char* env, const std::string& from_config) const;
  std::string Server() const;
  // Throws Failure (usage) when no tenant is configured.
  std::string Tenant() const;
  bool ProgressAllowed() const { return !json && !args.Has("no-progress"); }
  // The SDK client, created on first use with the CLI's fail-fast settings.
  client::Client& Connect();
  // CheckArgs with this command's usage line.
  void Check(const std::set<std::string>& allowed, size_t min, size_t max) const;
  // "usage: dossier <usage>" as a usage Failure.
  Failure UsageError() const;
  // The value of a flag the command cannot run without.
  std::string Require(const std::string& flag) const;
};

struct Command {
  std::string name;     // one or two words: "push", "keys create"
  std::string usage;    // after "dossier ": "keys create [--label L] ..."
  std::string summary;  // one line for `dossier help`; empty hides an alias
  int (*run)(Context&);
};

class CommandTable {
 public:
  void Add(Command command) { commands_.push_back(std::move(command)); }
  // The command named by the first one or two positionals (two words win),
  // which are removed from `positional`. Throws Failure (usage) when there is
  // none; a known family with an unknown sub-command lists its usages.
  const Command& Find(std::vector<std::string>& positional) const;
  // The command lines of `dossier help`, in table order.
  std::string Summary() const;

 private:
  std::vector<Command> commands_;
};

void AddAccountCommands(CommandTable& table);     // login, whoami, keys, tenants, tokens
void AddDossierCommands(CommandTable& table);     // create, push, pull, log, diff, bundle
void AddVerifyCommands(CommandTable& table);      // verify
void AddRegionalCommands(CommandTable& table);    // export, import, readiness
void AddSubmissionCommands(CommandTable& table);  // submit, submissions list/show/withdraw, inbox
void AddRelianceCommands(CommandTable& table);    // agreements, peers, sync, reliance, log-key
void AddPlanCommands(CommandTable& table);        // plans, modifications, performance
void AddReviewCommands(CommandTable& table);      // submissions (regulator side), decide, decisions
void AddFollowUpCommands(
    CommandTable& table);  // redline, response-package, export-profiles, performance post/show, alerts
void AddCorrespondenceCommands(CommandTable& table);  // ledger, clock, ai-request, comment

// ------------------------------------------------------------ shared helpers

template <typename T>
T Must(StatusOr<T> r, const std::string& context = {}) {
  if (!r.ok()) throw FromStatus(r.status(), context);
  return std::move(r).value();
}
inline void Must(const Status& s, const std::string& context = {}) {
  if (!s.ok()) throw FromStatus(s, context);
}

// A version number >= 1, else a usage Failure naming `what`.
uint64_t ParseVersion(const std::string& text, const char* what);
// The version named by --version, or the head of dossier `d`.
uint64_t VersionOrHead(Context& c, const std::string& tenant, const std::string& d);
void PrintJson(const boost::json::value& v);
// The signing key of a command that signs (one that accepts --key), through
// the SDK's signers: a PKCS#11 token (--pkcs11-module, --pkcs11-token,
// --pkcs11-key-label and/or --pkcs11-key-id, or the config's pkcs11* entries;
// PIN from --pkcs11-pin-env VAR / --pkcs11-pin-file FILE, default
// $DOSSIER_PKCS11_PIN), else the key file (--key FILE or the configured one):
// an encrypted PKCS#8 PEM (passphrase from --key-passphrase-env VAR /
// --key-passphrase-file FILE, default $DOSSIER_KEY_PASSPHRASE) or a plain
// PEM. Secrets never come from the command line.
client::SigningKey LoadSigningKey(Context& c);
// The flags LoadSigningKey reads; allowed wherever --key is.
extern const std::set<std::string> kSignerFlags;

// After an export to `out`: the file, its size and its loss report (from the
// package's loss.json), or with --json `result` plus "file", "bytes", "loss".
int ReportExport(Context& c, const std::filesystem::path& out, const std::string& what,
                 boost::json::object result);

// A ToC-folder problem (dossier/client/toc_folder.h) is a local one.
[[noreturn]] void ThrowLocal(const Status& s);
template <typename T>
T LocalMust(StatusOr<T> r) {
  if (!r.ok()) ThrowLocal(r.status());
  return std::move(r).value();
}

}  // namespace dossier::cli
