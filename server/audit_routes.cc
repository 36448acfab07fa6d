// Reading the audit log (hash-chained per tenant, written by the admission
// path in api.cc): a tenant's own, the operator's, and a check of a chain.
#include "server/api_services.h"
#include "server/audit.h"
#include "server/openapi_schemas.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

class AuditRoutes {
 public:
  explicit AuditRoutes(ApiServices& api) : api_(api) {}

  StatusOr<Response> TenantAudit(RouteContext& c) { return Read(c.request, c.Param("t")); }
  StatusOr<Response> OperatorAudit(RouteContext& c) { return Read(c.request, ""); }

  StatusOr<Response> VerifyTenantAudit(RouteContext& c) {
    DOSSIER_RETURN_IF_ERROR(api_.audit().VerifyChain(c.Param("t")));
    return Response::Json(200, R"({"verified":true})");
  }

 private:
  // `tenant` empty: the operator's entries.
  StatusOr<Response> Read(const Request& r, const std::string& tenant) {
    DOSSIER_ASSIGN_OR_RETURN(auto page, api_.audit().Read(tenant, api_.PageToken(r), api_.PageSize(r)));
    json::array items;
    for (auto& e : page.items) items.push_back(std::move(e));
    json::object out{{"entries", std::move(items)}};
    if (!page.next_page_token.empty()) out["nextPageToken"] = page.next_page_token;
    return Response::Json(200, json::serialize(out));
  }

  ApiServices& api_;
};

}  // namespace

void AddAuditRoutes(ApiServices& services) {
  services.AddSchema("AuditPage", R"json({"type":"object","required":["entries"],
    "properties":{"entries":{"type":"array","description":"hash-chained audit entries (server/audit.h)",
      "items":{"type":"object","required":["seq","time","principal","role","method","route","object","status","remote","prevHash","hash"],
        "properties":{"seq":{"type":"integer","minimum":1},"time":{"type":"string","format":"date-time"},
          "principal":{"type":"string","description":"the token or certificate id"},"role":{"type":"string"},
          "method":{"type":"string"},"route":{"type":"string","description":"the route pattern"},
          "object":{"type":"string","description":"the request path"},"status":{"type":"integer"},
          "remote":{"type":"string"},"prevHash":{"type":"string","description":"empty for the first entry"},
          "hash":{"type":"string","description":"SHA-256 over the entry with prevHash"}}}},
      "nextPageToken":{"type":"string"}}})json");
  services.AddSchema("AuditVerification", R"json({"type":"object","required":["verified"],
    "properties":{"verified":{"type":"boolean"}}})json");
  auto routes = std::make_shared<AuditRoutes>(services);
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/tenants/{t}/audit",
                     .access = Access::kTenantAdmin,
                     .summary = "This tenant's audit log (hash-chained)",
                     .tag = "audit",
                     .handler = Bind(routes, &AuditRoutes::TenantAudit),
                     .response_schema = "AuditPage",
                     .query = PagingQuery()});
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/tenants/{t}/audit/verify",
                     .access = Access::kTenantAdmin,
                     .summary = "Recompute this tenant's audit hash chain",
                     .tag = "audit",
                     .handler = Bind(routes, &AuditRoutes::VerifyTenantAudit),
                     .response_schema = "AuditVerification"});
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/audit",
                     .access = Access::kOperator,
                     .summary = "The operator's audit log",
                     .tag = "audit",
                     .handler = Bind(routes, &AuditRoutes::OperatorAudit),
                     .response_schema = "AuditPage",
                     .query = PagingQuery()});
}

}  // namespace dossier::server
