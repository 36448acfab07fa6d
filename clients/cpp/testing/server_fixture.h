// Test support for the SDK, CLI and example tests: a real dossierd child
// process on 127.0.0.1 with a temporary data directory, and a way to run a
// command with a time limit. Not part of the installed SDK.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace dossier::client::testing {

// DOSSIER_BIN_DIR (set by CTest), where dossierd and dossier are built.
std::filesystem::path BinDir();

// A fresh directory under $TMPDIR (or /tmp), removed with its contents.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class TestServer {
 public:
  // Starts `dossierd serve --data DIR --listen 127.0.0.1:0` and waits (at most
  // 30 s) for its "listening on" line.
  static StatusOr<std::unique_ptr<TestServer>> Start(const std::filesystem::path& data_dir);
  ~TestServer();  // Stop()

  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT"
  std::string operator_token() const;
  // SIGTERM, then SIGKILL after 10 s. Idempotent.
  void Stop();

 private:
  TestServer() = default;
  std::filesystem::path data_dir_;
  pid_t pid_ = -1;
  std::string url_;
};

// A tenant with an ADMIN token, created through the SDK with the operator token.
struct TenantAdmin {
  std::string tenant;
  std::string token;
};
StatusOr<TenantAdmin> ProvisionTenant(const TestServer& server, const std::string& tenant);

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or the time limit
  bool timed_out = false;
  std::string out, err;
};
// Runs argv[0] (a path) with the current environment plus `env` (an empty
// value unsets the variable), killing it after `limit`.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         std::chrono::seconds limit, const std::filesystem::path& cwd = {});

}  // namespace dossier::client::testing
