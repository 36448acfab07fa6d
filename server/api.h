// The HTTP API of dossierd as plain functions of Request -> Response: route
// table, authentication, authorisation and every handler. No Beast here; the
// session layer (http_server.h) feeds it.
//
// Thread-safety: Handle() may be called concurrently from any number of worker
// threads. It blocks while a durable write completes, so call it from a worker
// pool, never from a network thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "server/http_types.h"
#include "server/options.h"
#include "server/router.h"
#include "storage/store.h"
#include "trust/keys.h"

namespace dossier::server {

// The node's transparency-log identity: its Ed25519 key and checkpoint origin.
struct LogIdentity {
  trust::PrivateKey key;
  std::string origin;
};

// Loads DIR/log-key.pem, creating it (mode 0600) on first start.
StatusOr<LogIdentity> LoadOrCreateLogIdentity(const ServerOptions& options);

// On the first start of a store, creates the operator token, writes it to
// DIR/operator.token (mode 0600) and returns it; afterwards returns nullopt.
StatusOr<std::optional<std::string>> BootstrapOperator(storage::Store& store, const std::filesystem::path& data_dir);

class Api {
 public:
  // `store` must outlive the Api.
  Api(storage::Store& store, ServerOptions options, LogIdentity log);
  ~Api();

  // Never throws; every failure becomes a problem+json response.
  Response Handle(Request& request);

  // Called by the session layer after the header of a streamed upload arrives,
  // before its body is read, so an unauthorised upload is refused early.
  Status PrecheckUpload(const Request& header_only);

  // Does this method+path stream its body to a file?
  bool StreamsBody(std::string_view method, std::string_view path) const;

  const Router& router() const { return router_; }
  const ServerOptions& options() const { return options_; }

  // Counts requests being handled; the server waits for zero when draining.
  std::atomic<int>& in_flight() { return in_flight_; }

  // The core behind the route table; defined in api.cc, where request
  // admission (rate limit, authentication, authorisation, audit) uses it.
  struct Impl;

 private:
  Router router_;
  ServerOptions options_;
  std::unique_ptr<Impl> impl_;
  std::atomic<int> in_flight_{0};
};

// The OpenAPI 3.1 document describing every route of `router`.
std::string BuildOpenApi(const Router& router);

}  // namespace dossier::server
