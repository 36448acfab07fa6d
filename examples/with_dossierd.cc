// with_dossierd [--two-nodes] CMD [ARGS...] [:: CMD2 [ARGS...]]...
//
// Starts dossierd on 127.0.0.1 (any free port) with a temporary data
// directory, creates tenant "acme-imaging" with an ADMIN token, runs each
// command in turn with DOSSIER_SERVER, DOSSIER_TENANT, DOSSIER_TOKEN and a
// private DOSSIER_CONFIG in its environment, then stops the server (SIGTERM).
// With --two-nodes a second, independent dossierd (its own data directory and
// log key) is started too, for examples of reliance between regulators' nodes:
// DOSSIER_PEER_SERVER and DOSSIER_PEER_OPERATOR_TOKEN name it.
// Exits with the first failing command's status. Used by CTest for examples.
#include <iostream>

#include "tests/support/harness.h"

using namespace dossier::testing;

int main(int argc, char** argv) {
  std::vector<std::vector<std::string>> commands(1);
  int first = 1;
  const bool two_nodes = argc > 1 && std::string(argv[1]) == "--two-nodes";
  if (two_nodes) ++first;
  for (int i = first; i < argc; ++i) {
    if (std::string(argv[i]) == "::") {
      commands.emplace_back();
    } else {
      commands.back().push_back(argv[i]);
    }
  }
  if (commands.front().empty()) {
    std::cerr << "usage: with_dossierd [--two-nodes] CMD [ARGS...] [:: CMD2 [ARGS...]]...\n";
    return 2;
  }
  TempDir dir;
  auto server = Server::Start(dir.path() / "data");
  if (!server.ok()) {
    std::cerr << "with_dossierd: " << server.status().message() << "\n";
    return 1;
  }
  auto admin = ProvisionTenant(**server, "acme-imaging");
  if (!admin.ok()) {
    std::cerr << "with_dossierd: " << admin.status().ToString() << "\n";
    return 1;
  }
  std::map<std::string, std::string> env = {
      {"DOSSIER_SERVER", (*server)->url()},
      {"DOSSIER_TENANT", admin->tenant},
      {"DOSSIER_TOKEN", admin->token},
      // For examples that set up other tenants, as a node operator would.
      {"DOSSIER_OPERATOR_TOKEN", (*server)->operator_token()},
      {"DOSSIER_CONFIG", (dir.path() / "config" / "config.json").string()},
      {"EXAMPLE_WORK_DIR", (dir.path() / "work").string()}};
  dossier::StatusOr<std::unique_ptr<Server>> peer = std::unique_ptr<Server>();
  if (two_nodes) {
    peer = Server::Start(dir.path() / "peer-data");
    if (!peer.ok()) {
      std::cerr << "with_dossierd: " << peer.status().message() << "\n";
      return 1;
    }
    env["DOSSIER_PEER_SERVER"] = (*peer)->url();
    env["DOSSIER_PEER_OPERATOR_TOKEN"] = (*peer)->operator_token();
  }
  std::filesystem::create_directories(dir.path() / "work");
  for (const auto& command : commands) {
    std::cout << "$ " << command.front() << "\n" << std::flush;
    auto r = RunProcess(command, env, std::chrono::seconds(150), dir.path() / "work");
    std::cout << r.out;
    std::cerr << r.err;
    if (r.exit_code != 0) {
      std::cerr << "with_dossierd: " << command.front() << (r.timed_out ? " timed out" : " failed")
                << " (exit " << r.exit_code << ")\n";
      return r.exit_code > 0 ? r.exit_code : 1;
    }
  }
  return 0;
}
