// The network front of dossierd: a Boost.Beast listener with one session
// object per connection (plain TCP or TLS), header/body limits, timeouts,
// keep-alive, streamed uploads, and a worker pool that runs the handlers so
// that blocking durable writes never stall network threads.
#pragma once

#include <atomic>
#include <memory>

#include "common/status.h"
#include "server/api.h"

namespace dossier::server {

class HttpServer {
 public:
  // `api` must outlive the server. `staging_dir` receives streamed uploads and
  // must be on the same file system as the blob store.
  HttpServer(Api& api, std::filesystem::path staging_dir);
  ~HttpServer();

  // Binds and listens (TLS when the options name a certificate). Errors are
  // reported, not thrown: a port in use, an unreadable certificate.
  Status Start();
  // The bound port (useful with port 0).
  uint16_t port() const;
  // Serves until SIGTERM/SIGINT or Shutdown(), then drains: stops accepting,
  // waits up to drain_timeout for in-flight requests, closes connections.
  void Run();
  // Thread-safe request to stop, as SIGTERM.
  void Shutdown();

  // Shared with the per-connection session objects in http_server.cc.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::server
