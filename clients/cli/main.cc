// dossier: the command-line client of Dossier Exchange (API.md "dossier CLI").
// Every command talks to the server only through the SDK (dossier_client).
// This file parses the global options and dispatches through the one command
// table (commands.h); the commands live in <family>_commands.cc.
#include <cstdlib>
#include <iostream>

#include "commands.h"

namespace dossier::cli {
namespace {

CommandTable BuildTable() {
  CommandTable table;
  AddAccountCommands(table);
  AddDossierCommands(table);
  AddVerifyCommands(table);
  AddRegionalCommands(table);
  AddPlanCommands(table);
  AddSubmissionCommands(table);
  AddReviewCommands(table);
  AddRelianceCommands(table);
  AddFollowUpCommands(table);
  AddCorrespondenceCommands(table);
  return table;
}

std::string Help(const CommandTable& table) {
  return "dossier - command-line client of Dossier Exchange\n\n"
         "usage: dossier [global flags] COMMAND [args]\n\n" +
         table.Summary() +
         R"(
global flags: --server URL  --token TOKEN  --tenant T  --json (machine-readable output)
              --ca-file PEM  --timeout SECONDS  --no-progress  --config FILE
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
}

int Run(int argc, char** argv) {
  const CommandTable table = BuildTable();
  if (argc < 2) {
    std::cerr << Help(table);
    return kExitUsage;
  }
  Context c;
  // Global flags may come before or after the command.
  c.args = ParseArgs(argc, argv, 1);
  if (c.args.positional.empty()) {
    if (c.args.Has("help")) {
      std::cout << Help(table);
      return kExitOk;
    }
    throw Failure{kExitUsage, "no command; see dossier --help"};
  }
  const std::string word = c.args.positional.front();
  if (word == "help" || c.args.Has("help")) {
    std::cout << Help(table);
    return kExitOk;
  }
  if (word == "version") {
    std::cout << "dossier 0.2.0\n";
    return kExitOk;
  }
  c.command = &table.Find(c.args.positional);
  if (c.args.values.count("config")) ::setenv("DOSSIER_CONFIG", c.args.Get("config").c_str(), 1);
  c.config = LoadConfig();
  c.json = c.args.Has("json");
  return c.command->run(c);
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
