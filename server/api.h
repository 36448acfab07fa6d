// The HTTP API of dossierd as plain functions of Request -> Response: request
// admission (rate limit, authentication, authorisation, audit) and dispatch
// through the route table. The routes themselves live in route modules
// (server/api_services.h lists them) over the API core (server/api_core.h).
// No Beast here; the session layer (http_server.h) feeds it.
//
// Thread-safety: Handle() may be called concurrently from any number of worker
// threads. It blocks while a durable write completes, so call it from a worker
// pool, never from a network thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "server/bootstrap.h"
#include "server/http_types.h"
#include "server/options.h"
#include "server/router.h"
#include "server/web_assets.h"
#include "storage/store.h"

namespace dossier::server {

class ApiCore;  // server/api_core.h

class Api {
 public:
  // `store` must outlive the Api.
  Api(storage::Store& store, ServerOptions options, LogIdentity log);
  ~Api();

  // The route of a request (route and path parameters), found once when its
  // header has been read. The caller keeps it with the request and passes it
  // to every later step: whether the body streams to a file
  // (Route::streams_body), whether the request is answered on the network
  // thread (Route::answers_inline), PrecheckUpload and Handle.
  Router::Match FindRoute(const Request& header_only) const;

  // Never throws; every failure becomes a problem+json response. `match` is
  // FindRoute(request)'s answer.
  Response Handle(Request& request, Router::Match match);

  // Called by the session layer after the header of a streamed upload arrives,
  // before its body is read, so an unauthorised upload is refused early.
  Status PrecheckUpload(const Request& header_only, const Router::Match& match);

  // Serve the web app at "/" (GET/HEAD of paths no route matched, outside
  // /v1). Call before the first Handle(); without it those paths answer 404.
  void ServeWebApp(std::shared_ptr<const WebAssets> assets) { web_ = std::move(assets); }

  const Router& router() const { return router_; }
  const ServerOptions& options() const { return options_; }

  // Counts requests being handled; the server waits for zero when draining.
  std::atomic<int>& in_flight() { return in_flight_; }

 private:
  void LogError(const Request& request, const std::string& message, const std::string& reason) const;
  Router router_;
  ServerOptions options_;
  std::unique_ptr<ApiCore> core_;
  std::shared_ptr<const WebAssets> web_;
  std::atomic<int> in_flight_{0};
};

// The OpenAPI 3.1 document describing every route of `router`.
std::string BuildOpenApi(const Router& router);

}  // namespace dossier::server
