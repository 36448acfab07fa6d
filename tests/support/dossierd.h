// The fixture that runs the real dossierd as a child process on 127.0.0.1 for
// end-to-end, SDK, CLI and example tests. Part of dossier_test_support.
//
// Contract
// - The child is `BinDir()/dossierd serve --data DIR --listen 127.0.0.1:PORT`
//   (port 0: any free port) plus `extra` flags; its stderr is appended to
//   DIR/dossierd.stderr; it is killed when the test process dies (PDEATHSIG).
// - Starting waits at most 30 s for the "listening on" line. The constructor
//   throws std::runtime_error when the server does not start; Start() returns
//   that as a Status instead.
// - Not thread-safe: one Server is driven by one thread; the HTTP clients that
//   talk to it may run on any number of threads.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace dossier::testing {

class Server {
 public:
  explicit Server(std::filesystem::path data_dir, std::vector<std::string> extra = {},
                  unsigned short port = 0);
  static StatusOr<std::unique_ptr<Server>> Start(std::filesystem::path data_dir,
                                                 std::vector<std::string> extra = {});
  ~Server();  // Stop(SIGTERM)
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  unsigned short port() const { return port_; }
  // As dossierd announced it: "http://127.0.0.1:PORT" (https with TLS flags).
  const std::string& url() const { return url_; }
  // The operator token dossierd wrote into its data directory at first start.
  std::string operator_token() const;
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::filesystem::path stderr_path() const { return data_dir_ / "dossierd.stderr"; }
  // Sends `signal`, waits for the exit (SIGKILL after 10 s) and returns the
  // wait status; -1 when the server is not running. Idempotent.
  int Stop(int signal = SIGTERM);
  bool running() const { return pid_ > 0; }

 private:
  std::filesystem::path data_dir_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  std::string url_;
};

}  // namespace dossier::testing
