// Running the built binaries from tests. Part of dossier_test_support.
//
// Contract: BinDir throws std::runtime_error when DOSSIER_BIN_DIR is unset (CTest
// sets it; see cmake/DossierTesting.cmake). RunProcess never throws and never
// outlives `limit`: a child still running then is killed with its process group.
// Both are thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dossier::testing {

// Where dossierd and dossier are built (DOSSIER_BIN_DIR).
std::filesystem::path BinDir();

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or the time limit, or when it could not start
  bool timed_out = false;
  std::string out, err;
};

// Runs argv[0] (a path) with stdin from /dev/null, the current environment
// plus `env` (an empty value unsets the variable) and `cwd` when given.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         std::chrono::seconds limit, const std::filesystem::path& cwd = {});

}  // namespace dossier::testing
