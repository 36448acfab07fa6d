// Request admission and dispatch. Every route, whatever module declares it,
// is admitted here the same way: rate limit, authentication, the one
// authorisation point (router.cc), and an audit entry.
#include "server/api.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "server/api_core.h"
#include "server/json_util.h"
#include "server/openapi_schemas.h"
#include "server/problem.h"

namespace dossier::server {

// A reviewer's upload of decision and ledger-event content (server/submission_blob_routes.cc).
void AddSubmissionBlobRoutes(ApiServices& services);

// The order matters twice: the router tries routes in the order they were
// added, and /openapi.json lists them in that order (server/openapi_test.cc
// compares it with a committed copy).
Api::Api(storage::Store& store, ServerOptions options, LogIdentity log)
    : options_(std::move(options)),
      core_(std::make_unique<ApiCore>(router_, store, options_, std::move(log))) {
  AddSharedSchemas(*core_);
  AddServiceRoutes(*core_);
  AddTenantRoutes(*core_);
  AddKeyRoutes(*core_);
  AddBlobRoutes(*core_);
  AddObjectRoutes(*core_);
  AddAuditRoutes(*core_);
  AddSubmissionRoutes(*core_);
  AddSubmissionBlobRoutes(*core_);
  AddRegionalRoutes(*core_);
  AddRelianceRoutes(*core_);
  AddLedgerRoutes(*core_);
  AddCommentRoutes(*core_);
  AddLogRoutes(*core_);
  AddRedlineRoutes(*core_);
  AddPerformanceRoutes(*core_);
}

Api::~Api() = default;

Router::Match Api::FindRoute(const Request& header_only) const {
  return router_.Find(header_only.method, header_only.path);
}

// The admission of one request to its route, shared by ordinary requests and
// by streamed uploads (checked before their body is read): rate limit (every
// non-public route, also for failed credentials, so guessing tokens and
// probing ids are limited too), authentication, authorisation, and the audit
// entry of whatever is refused here.
struct Admission {
  std::optional<Principal> principal;
  std::string route_tenant;
  Status refusal;  // not OK when the request must not reach its handler
  int retry_after = 0;

  Response RefusalResponse(const Request& request) const {
    Response r = ProblemResponse(refusal, request.path);
    if (retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after));
    return r;
  }
};

namespace {

void AuditRequest(AuditLog& audit, const Principal& p, const Route& route, const Request& request,
                  const std::string& route_tenant, int status) {
  // Filed under the tenant the request addressed when the caller may act
  // there (its own, or any as operator), else under the caller's own.
  AuditEntry entry;
  entry.tenant = (p.role == Role::kOperator || p.tenant == route_tenant) && !route_tenant.empty()
                     ? route_tenant
                     : p.tenant;
  entry.principal = p.token_id;
  entry.role = std::string(RoleName(p.role));
  entry.method = request.method;
  entry.route = route.pattern;
  entry.path = request.path;
  entry.status = status;
  entry.remote = request.remote_address;
  entry.time_ms = NowMs();
  audit.Record(std::move(entry));
}

// The bucket a request is charged to: its credential's; the client
// address's when it has none, and always on the public transparency routes
// (log key, checkpoints, proofs), which anyone may read without a token, so
// that one address cannot make the node compute proofs without bound. The
// service routes (health probes, metrics, the contract) are not charged:
// orchestrators poll them and they cost nothing to answer.
std::optional<std::string> RateLimitBucket(const Route& route, const Principal* p, const Request& request) {
  if (route.access == Access::kPublic) {
    if (route.tag == "service") return std::nullopt;
    return "addr:" + request.remote_address;
  }
  return p ? "token:" + p->token_id : "addr:" + request.remote_address;
}

}  // namespace

static Admission Admit(ApiCore& core, const Route& route, const std::map<std::string, std::string>& params,
                       const Request& request) {
  Admission admission;
  auto tenant = params.find("t");
  admission.route_tenant = tenant == params.end() ? std::string() : tenant->second;
  auto principal = core.Authenticate(request);
  if (principal.ok()) admission.principal = std::move(principal).value();
  const Principal* p = admission.principal ? &*admission.principal : nullptr;

  const std::optional<std::string> bucket = RateLimitBucket(route, p, request);
  if (bucket && !core.limiter().Allow(*bucket, &admission.retry_after)) {
    admission.refusal = ResourceExhausted(
        "too many requests; retry in " + std::to_string(admission.retry_after) + " s", "rate-limited");
  } else if (route.access != Access::kPublic && p && p->role != Role::kOperator &&
             !core.tenant_limiter().Allow("tenant:" + p->tenant, &admission.retry_after)) {
    admission.refusal = ResourceExhausted("too many requests from tenant " + p->tenant + "; retry in " +
                                              std::to_string(admission.retry_after) + " s",
                                          "tenant-rate-limited");
  } else if (!principal.ok()) {
    admission.refusal = principal.status();
  } else {
    bool reliance_peer = false;
    if (route.access == Access::kTenantViewerOrReliancePeer && p && p->tenant != admission.route_tenant &&
        !admission.route_tenant.empty()) {
      reliance_peer = HasRelianceAgreement(core.store(), admission.route_tenant, p->tenant);
    }
    admission.refusal = Authorize(route.access, p, admission.route_tenant, reliance_peer);
  }
  if (!admission.refusal.ok() && p) {
    AuditRequest(core.audit(), *p, route, request, admission.route_tenant, HttpStatusFor(admission.refusal));
  }
  return admission;
}

Status Api::PrecheckUpload(const Request& header_only, const Router::Match& match) {
  if (match.route == nullptr) return NotFound("no such route", "no-such-route");
  return Admit(*core_, *match.route, match.params, header_only).refusal;
}

Response Api::Handle(Request& request, Router::Match match) {
  const auto started = std::chrono::steady_clock::now();
  core_->CountRequest();
  std::string principal_id = "-";
  Response response;
  try {
    std::optional<Response> web_page;
    if (match.route == nullptr && web_ && !match.path_known) web_page = web_->Serve(request);
    if (web_page) {
      response = std::move(*web_page);
    } else if (match.route == nullptr) {
      if (match.path_known) {
        response = ProblemResponse(Status(StatusCode::kInvalidArgument,
                                          request.method + " is not allowed here", "method-not-allowed"),
                                   request.path);
      } else {
        response = ProblemResponse(NotFound("no such route: " + request.path, "no-such-route"), request.path);
      }
    } else {
      Admission admission = Admit(*core_, *match.route, match.params, request);
      const Principal* p = admission.principal ? &*admission.principal : nullptr;
      if (p) principal_id = p->token_id;
      if (!admission.refusal.ok()) {
        response = admission.RefusalResponse(request);
      } else {
        RouteContext context{request, p, std::move(match.params)};
        auto result = match.route->handler(context);
        response = result.ok() ? std::move(result).value() : ProblemResponse(result.status(), request.path);
        // A corrupt blob was reported once by the store; the access log
        // still records every request that met it.
        if (!result.ok() && HttpStatusFor(result.status()) >= 500 &&
            result.status().reason() != "blob-corrupt") {
          LogError(request, result.status().ToString(), result.status().reason());
        }
        if (p)
          AuditRequest(core_->audit(), *p, *match.route, request, admission.route_tenant, response.status);
      }
    }
  } catch (const std::exception& e) {
    LogError(request, std::string("unexpected exception: ") + e.what(), "unexpected-exception");
    response = ProblemResponse(Internal("unexpected failure"), request.path);
  }
  if (request.method == "HEAD") response.head_only = true;
  core_->CountResponse(response.status);
  if (options_.access_log) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started)
            .count();
    // Never the target's query or any header: tokens must not reach logs.
    if (options_.json_logs) {
      boost::json::object line{{"time", FormatTime(NowMs())}, {"level", "info"},
                               {"event", "access"},           {"method", request.method},
                               {"path", request.path},        {"status", response.status},
                               {"principal", principal_id},   {"durationUs", micros}};
      const std::string text = boost::json::serialize(line) + "\n";
      std::fwrite(text.data(), 1, text.size(), stderr);
    } else {
      std::fprintf(stderr, "%s %s %s %d %s %lldus\n", FormatTime(NowMs()).c_str(), request.method.c_str(),
                   request.path.c_str(), response.status, principal_id.c_str(),
                   static_cast<long long>(micros));
    }
  }
  return response;
}

// One line on stderr per request that failed on the server's side (5xx):
// text, or a JSON object with the same facts under --log-format json.
void Api::LogError(const Request& request, const std::string& message, const std::string& reason) const {
  if (options_.json_logs) {
    boost::json::object line{{"time", FormatTime(NowMs())}, {"level", "error"},
                             {"event", "request-error"},    {"method", request.method},
                             {"path", request.path},        {"reason", reason},
                             {"message", message}};
    const std::string text = boost::json::serialize(line) + "\n";
    std::fwrite(text.data(), 1, text.size(), stderr);
    return;
  }
  std::cerr << "error: " << request.method << " " << request.path << ": " << message << "\n";
}

}  // namespace dossier::server
