// The route table: every route the server answers, with who may call it. The
// same table drives dispatch, authorisation, the OpenAPI document and the
// isolation/role matrix tests, so they cannot drift apart.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "server/http_types.h"

namespace dossier::server {

// Roles within a tenant, plus the node operator. ADMIN includes EDITOR,
// EDITOR includes VIEWER; REVIEWER is VIEWER plus recording decisions (ADMIN
// includes REVIEWER too).
enum class Role { kNone, kViewer, kReviewer, kEditor, kAdmin, kOperator };
std::string_view RoleName(Role role);
StatusOr<Role> ParseTenantRole(std::string_view name);  // ADMIN|EDITOR|REVIEWER|VIEWER

// Who may call a route.
enum class Access {
  kPublic,         // anyone, no credential
  kAuthenticated,  // any valid credential
  kOperator,       // the node operator only
  kOperatorOrTenantAdmin,
  kTenantViewer,  // a member of the tenant named in the path ({t})
  kTenantReviewer,
  // EDITOR or REVIEWER (or ADMIN): a party to a submission recording its side
  // of the correspondence (the manufacturer's editors, the regulator's reviewers).
  kTenantEditorOrReviewer,
  kTenantEditor,
  kTenantAdmin,
  // A member of the tenant (VIEWER), or a regulator tenant to which this
  // tenant granted a reliance agreement (the reliance feed).
  kTenantViewerOrReliancePeer,
};
std::string_view AccessName(Access access);

struct Principal {
  std::string token_id;
  std::string tenant;  // empty for the operator
  Role role = Role::kNone;
};

struct RouteContext {
  const Request& request;
  const Principal* principal;  // null on public routes without a credential
  std::map<std::string, std::string> params;

  const std::string& Param(const std::string& name) const { return params.at(name); }
};

using Handler = std::function<StatusOr<Response>(RouteContext&)>;

// A query parameter a route reads, for the OpenAPI document.
struct QueryParam {
  std::string name{};
  std::string description{};
  std::string type = "string";  // JSON Schema type: "string" | "integer" | "boolean"
  std::string format{};         // OpenAPI string format, e.g. "date"; empty = none
  bool required = false;
  std::vector<std::string> allowed{};  // the closed set of values, when there is one
  std::string in = "query";            // OpenAPI's "in": "query", or "header" for a request header
};

// Declared with designated initialisers (server/api_services.h shows how);
// every member has a default so that a declaration names only what it sets.
struct Route {
  std::string method{};
  std::string pattern{};  // "/v1/tenants/{t}/blobs/sha256:{hex}", "/v1/tenants/{t}/keys/{k}:revoke"
  Access access = Access::kAuthenticated;
  std::string summary{};
  std::string tag{};
  Handler handler{};
  bool streams_body = false;  // the body goes to a staged file, not memory (uploads)
  // Answered on the network thread that read the request rather than on the
  // worker pool. For cheap reads only (a few store point reads, bytes already
  // in memory): it saves two thread hand-offs, which were most of the cost of
  // such a GET (docs/PERFORMANCE.md). Never for a route that can take long
  // (exports, PDF rendering, proofs over many nodes, uploads): it would stall
  // every other connection of that network thread meanwhile.
  bool answers_inline = false;
  std::string request_example{};  // JSON example body, for the OpenAPI document
  // Names of schemas in the route table's components (Router::AddSchema):
  // the JSON request body and the JSON body of the success answer. The
  // OpenAPI test validates request_example against request_schema.
  std::string request_schema{};
  std::string response_schema{};
  // The success answer's media type when it is not JSON ("text/plain",
  // "application/zip", "application/octet-stream").
  std::string response_media_type{};
  // The answer may instead be application/x-ndjson: one response_schema
  // object per line, streamed (a many-record import).
  bool response_ndjson = false;
  std::vector<QueryParam> query{};
  int success_status = 0;  // 0: 201 for a POST that creates (not ":verb"), else 200
};

class Router {
 public:
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    bool path_known = false;  // some route has this path with another method

    bool streams_body() const { return route != nullptr && route->streams_body; }
    bool answers_inline() const { return route != nullptr && route->answers_inline; }
  };
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

  // A named JSON Schema (JSON text) that routes refer to by name; the OpenAPI
  // document lists them under components/schemas. Adding a name twice keeps
  // the first (families may share a schema).
  void AddSchema(std::string name, std::string schema_json);
  const std::map<std::string, std::string>& schemas() const { return schemas_; }

 private:
  struct Segment {
    std::string prefix, name, suffix;  // name empty: literal segment == prefix
  };
  struct Compiled {
    std::vector<Segment> segments;
  };
  static bool MatchSegments(const Compiled& compiled, const std::vector<std::string_view>& parts,
                            std::map<std::string, std::string>* params);

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
  std::map<std::string, std::string> schemas_;
};

// Is `principal` allowed by `access` for a route whose tenant parameter is
// `tenant` (empty when the route has none)? NotFound when the principal
// belongs to another tenant (existence is not revealed), PermissionDenied when
// it is this tenant's but its role is too weak, Unauthenticated when there is
// no principal.
// `reliance_peer` says whether the principal's tenant holds a valid reliance
// agreement from `tenant`; only kTenantViewerOrReliancePeer consults it.
Status Authorize(Access access, const Principal* principal, std::string_view tenant,
                 bool reliance_peer = false);

}  // namespace dossier::server
