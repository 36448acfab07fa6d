// What the CLI's end-to-end tests (cli_test, cli_signer_test) share: the
// environment that keeps the `dossier` binary away from the user's own
// configuration, and running it with a bound. Boost.Test only: include it
// after BOOST_TEST_MODULE and <boost/test/unit_test.hpp>.
#pragma once

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace dossier::testing {

// The variables `dossier` reads, set so that a test sees none of the
// developer's: its config file and HOME under `dir`, no server, token, tenant,
// key passphrase or PKCS#11 PIN from the environment (empty = unset).
inline std::map<std::string, std::string> CliTestEnvironment(const std::filesystem::path& dir) {
  return {{"DOSSIER_CONFIG", (dir / "config" / "config.json").string()},
          {"HOME", dir.string()},
          {"DOSSIER_SERVER", ""},
          {"DOSSIER_TOKEN", ""},
          {"DOSSIER_TENANT", ""},
          {"DOSSIER_KEY_PASSPHRASE", ""},
          {"DOSSIER_PKCS11_PIN", ""}};
}

// Runs `dossier args...` with `env` plus `extra` (extra wins), bounded to
// 60 s: a run that hits the bound fails the test case, with its stderr.
inline ProcessResult RunDossierCli(std::vector<std::string> args, std::map<std::string, std::string> env,
                                   const std::map<std::string, std::string>& extra = {}) {
  args.insert(args.begin(), (BinDir() / "dossier").string());
  for (const auto& [name, value] : extra) env[name] = value;
  ProcessResult result = RunProcess(args, env, std::chrono::seconds(60));
  BOOST_TEST_INFO("stderr: " << result.err);
  BOOST_REQUIRE(!result.timed_out);
  return result;
}

}  // namespace dossier::testing
