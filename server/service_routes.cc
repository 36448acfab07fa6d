// The node's own routes: liveness, readiness, Prometheus metrics and the
// OpenAPI description of every route.
#include "server/api_services.h"
#include "server/ledger.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

class ServiceRoutes {
 public:
  explicit ServiceRoutes(ApiServices& api) : api_(api) {}

  // A store that stopped writing for good (storage-failed) needs a restart,
  // so liveness fails; a full disk only makes the node read-only, which
  // readiness reports without taking the node out of service for reads.
  StatusOr<Response> Liveness(RouteContext&) {
    Status writes = api_.store().WriteHealth();
    if (writes.reason() == "storage-failed") return writes;
    return Response::Json(200, R"({"status":"ok"})");
  }

  StatusOr<Response> Readiness(RouteContext&) {
    storage::Store& store = api_.store();
    auto probe = store.GetSetting("operator-bootstrapped");
    if (!probe.ok()) return Unavailable("the store does not answer", "not-ready");
    Status writes = store.WriteHealth();
    json::object out{{"status", "ready"}, {"logSize", store.LogSize()}, {"writable", writes.ok()}};
    if (!writes.ok()) out["writeError"] = writes.reason();
    return Response::Json(200, json::serialize(out));
  }

  StatusOr<Response> Metrics(RouteContext&) {
    const ApiCounters counters = api_.Counters();
    storage::Store& store = api_.store();
    std::string out;
    out += "# HELP dossier_requests_total HTTP requests handled.\n# TYPE dossier_requests_total counter\n";
    out += "dossier_requests_total " + std::to_string(counters.requests) + "\n";
    out +=
        "# HELP dossier_responses_total HTTP responses by status class.\n# TYPE dossier_responses_total "
        "counter\n";
    for (int i = 1; i <= 5; ++i) {
      out += "dossier_responses_total{class=\"" + std::to_string(i) + "xx\"} " +
             std::to_string(counters.responses_by_class[i]) + "\n";
    }
    out += "# HELP dossier_commits_total Versions committed.\n# TYPE dossier_commits_total counter\n";
    out += "dossier_commits_total " + std::to_string(counters.commits) + "\n";
    out += "# HELP dossier_log_size Leaves in the transparency log.\n# TYPE dossier_log_size gauge\n";
    out += "dossier_log_size " + std::to_string(store.LogSize()) + "\n";
    out +=
        "# HELP dossier_store_writable 1 while the store accepts writes, 0 after a storage failure.\n"
        "# TYPE dossier_store_writable gauge\n";
    out += std::string("dossier_store_writable ") + (store.WriteHealth().ok() ? "1" : "0") + "\n";
    out += ReviewClockMetrics(api_);
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = std::move(out);
    return r;
  }

  StatusOr<Response> OpenApi(RouteContext&) { return Response::Json(200, BuildOpenApi(api_.router())); }

 private:
  ApiServices& api_;
};

}  // namespace

void AddServiceRoutes(ApiServices& services) {
  services.AddSchema("Health", R"json({"type":"object","required":["status"],
    "properties":{"status":{"type":"string"},"logSize":{"type":"integer"},"writable":{"type":"boolean"},
      "writeError":{"type":"string"}}})json");
  services.AddSchema("OpenApiDocument",
                     R"json({"type":"object","required":["openapi","info","paths","components"],
    "description":"This document (OpenAPI 3.1), built from the route table",
    "properties":{"openapi":{"const":"3.1.0"},"info":{"type":"object","additionalProperties":true},
      "servers":{"type":"array","items":{"type":"object","additionalProperties":true}},
      "security":{"type":"array","items":{"type":"object","additionalProperties":true}},
      "tags":{"type":"array","items":{"type":"object","additionalProperties":true}},
      "paths":{"type":"object","additionalProperties":true},
      "components":{"type":"object","additionalProperties":true}}})json");
  auto routes = std::make_shared<ServiceRoutes>(services);
  services.AddRoute({.method = "GET",
                     .pattern = "/healthz",
                     .access = Access::kPublic,
                     .summary = "Liveness",
                     .tag = "service",
                     .handler = Bind(routes, &ServiceRoutes::Liveness),
                     .response_schema = "Health"});
  services.AddRoute({.method = "GET",
                     .pattern = "/readyz",
                     .access = Access::kPublic,
                     .summary = "Readiness: the store is open and answers; whether it accepts writes",
                     .tag = "service",
                     .handler = Bind(routes, &ServiceRoutes::Readiness),
                     .response_schema = "Health"});
  services.AddRoute({.method = "GET",
                     .pattern = "/metrics",
                     .access = Access::kPublic,
                     .summary = "Prometheus metrics",
                     .tag = "service",
                     .handler = Bind(routes, &ServiceRoutes::Metrics),
                     .response_media_type = "text/plain"});
  services.AddRoute({.method = "GET",
                     .pattern = "/openapi.json",
                     .access = Access::kPublic,
                     .summary = "This API's OpenAPI 3.1 description",
                     .tag = "service",
                     .handler = Bind(routes, &ServiceRoutes::OpenApi),
                     .response_schema = "OpenApiDocument"});
}

}  // namespace dossier::server
