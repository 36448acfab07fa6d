// What route modules may use of the API core (server/api_core.h): the store,
// the signed-version machinery, the log identity, blob serving, paging. Every
// route family lives in its own file and adds its routes through AddRoute, so
// that every route goes through the one route table (and so through the one
// admission path: rate limit, authentication, the one authorisation point,
// audit) and appears in /openapi.json.
//
// Declaring routes (the one way). A route module is a class whose handlers are
// members taking a RouteContext; its Add…Routes function keeps one instance
// alive in the route table through Bind and names each field of the Route:
//
//   void AddKeyRoutes(ApiServices& services) {
//     auto keys = std::make_shared<KeyRoutes>(services);
//     services.AddRoute({.method = "GET",
//                        .pattern = "/v1/tenants/{t}/keys/{k}",
//                        .access = Access::kTenantViewer,
//                        .summary = "Get a signing key",
//                        .tag = "keys",
//                        .handler = Bind(keys, &KeyRoutes::GetKey)});
//   }
//
// Optional fields: .streams_body = true for uploads staged to a file; for
// the OpenAPI document .request_example, .request_schema and .response_schema
// (names of schemas the family adds with AddSchema, or of the components
// every family shares, server/openapi_schemas.cc), .response_media_type for a
// success answer that is not JSON, .query for the query parameters read, and
// .success_status when the inferred one (201 for a creating POST) is wrong. The router tries routes in the
// order they were added, and /openapi.json lists them in that order: add a new
// family's function to the list in Api's constructor (api.cc), and check the
// committed copy of the document (server/openapi_test.cc says how to update it).
#pragma once

#include <array>
#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/api.h"
#include "server/content_kinds.h"
#include "storage/store.h"
#include "trust/bundle.h"
#include "trust/dsse.h"
#include "trust/keys.h"

namespace dossier::server {

class AuditLog;  // server/audit.h

// A handler of a route module kept alive by the route table.
template <typename Module>
Handler Bind(std::shared_ptr<Module> module, StatusOr<Response> (Module::*handler)(RouteContext&)) {
  return [module = std::move(module), handler](RouteContext& c) { return ((*module).*handler)(c); };
}

// A signed version to commit: the body of a commit request plus where it goes.
struct SignedCommitRequest {
  std::string tenant;
  std::string kind;         // storage kind (collection), e.g. "dossiers", "decisions"
  std::string id;           // object id within the kind
  std::string object_name;  // what the signed statement must name, e.g. "submissions/s-1/decisions"
  const ContentKind* content_kind = nullptr;
  const Request* request =
      nullptr;  // JSON body {contentDigest, mediaType, envelope, message?}; If-Match honoured
  // Extra check of the parsed content (e.g. a decision names its submission).
  std::function<Status(const ParsedContent&)> check_content;
};

struct SignedCommitResult {
  storage::VersionRecord version;
  std::string leaf_hash;
  bool replayed = false;  // the same envelope had already landed
};

// Request and response counts since the process started, for /metrics.
struct ApiCounters {
  uint64_t requests = 0;
  std::array<uint64_t, 6> responses_by_class{};  // [1] = 1xx … [5] = 5xx
  uint64_t commits = 0;
};

class ApiServices {
 public:
  virtual ~ApiServices() = default;
  virtual storage::Store& store() = 0;
  virtual const ServerOptions& options() const = 0;
  virtual void AddRoute(Route route) = 0;
  // A JSON Schema routes name in .request_schema / .response_schema.
  virtual void AddSchema(std::string name, std::string schema_json) = 0;
  // Every route added so far, in order (for the OpenAPI document).
  virtual const Router& router() const = 0;
  virtual AuditLog& audit() = 0;
  virtual ApiCounters Counters() const = 0;

  // Verifies and commits a signed version (statement, signature against the
  // tenant's registered unrevoked keys, content parse/validate, referenced
  // blobs present, parent = head). Idempotent for the same envelope.
  virtual StatusOr<SignedCommitResult> CommitSigned(const SignedCommitRequest& request) = 0;
  // The 201/200 answer for a commit: version summary plus signed receipt.
  virtual Response CommitResponse(int status, const storage::VersionRecord& v,
                                  const std::string& leaf_hash) = 0;
  virtual boost::json::object VersionJson(const storage::VersionRecord& v) = 0;
  // The kinds of versioned objects (dossiers, change plans); stable for the Api's life.
  virtual const std::vector<ContentKind>& ContentKinds() const = 0;
  virtual const ContentKind* KindByCollection(std::string_view collection) const = 0;
  // Reads a version's content bytes (bounded by max_content_bytes).
  virtual StatusOr<std::string> LoadContent(const std::string& tenant, const storage::VersionRecord& v) = 0;
  // Serves a blob of `tenant` (Range, HEAD) as the answer to `request`.
  virtual StatusOr<Response> ServeBlob(const Request& request, const std::string& tenant,
                                       const std::string& digest) = 0;

  // The node's transparency log: the latest signed checkpoint (a C2SP signed
  // note), its origin line, the log's public key and its note verifier key.
  virtual StatusOr<std::string> CurrentCheckpoint() = 0;
  virtual const std::string& LogOrigin() const = 0;
  virtual const trust::PublicKey& LogPublicKey() const = 0;
  virtual const std::string& LogVerifierKey() const = 0;
  // manifest.sig.json for an export's manifest: a DSSE envelope over its
  // exact bytes signed with the log key (trust/export_package.h).
  virtual StatusOr<std::string> SignExportManifest(std::string_view manifest) = 0;

  virtual size_t PageSize(const Request& request) const = 0;
  virtual std::string PageToken(const Request& request) const = 0;

  // The lock held across every read-modify-write of one stored record, and
  // by every write that could fall inside one: without it two such writes
  // read the same record and the second silently undid the first (a
  // withdrawal overwritten by start-review; a granted document dropped; an
  // agreement renewed while being revoked left with its old terms). Striped
  // by (collection, id): two records may share a stripe, one never has two.
  // Not re-entrant: take one per request.
  virtual std::mutex& RecordLock(std::string_view collection, std::string_view id) = 0;
  // A submission's record (both copies), in whichever route family changes
  // it: status changes, decisions, plan attachment, ledger events.
  std::mutex& SubmissionLock(std::string_view submission_id) {
    return RecordLock("submissions", submission_id);
  }
};

// Request helpers shared by the route modules (defined in api_core.cc).
// The body must be application/json or +json; reason "unsupported-media-type".
Status RequireJsonBody(const Request& request);
// A decimal path or query parameter; reason "bad-parameter" naming `field`.
StatusOr<uint64_t> ParseUintParam(std::string_view text, std::string_view field);
// The ETag of an object: its head digest, quoted.
std::string ObjectEtag(const storage::ObjectRecord& object);

// The offline verification bundle of a committed version (envelope, signer
// key evidence, inclusion proof against the current checkpoint), as served by
// GET …/versions/{n}/bundle (object_routes.cc).
StatusOr<trust::Bundle> VersionBundle(ApiServices& api, const std::string& tenant,
                                      const storage::VersionRecord& version);
// The diff of two dossier versions as a redline document, `format` "html" or
// "pdf" (redline_routes.cc); `diff` is the diff route's JSON answer.
StatusOr<Response> RedlineResponse(ApiServices& api, const std::string& tenant, const std::string& dossier,
                                   uint64_t from, uint64_t to, const boost::json::object& diff,
                                   std::string_view format);

// Route modules, in the order Api's constructor adds them.
void AddServiceRoutes(ApiServices& services);  // health, readiness, metrics, OpenAPI
void AddTenantRoutes(ApiServices& services);   // tenants, tokens, client certificates
void AddKeyRoutes(ApiServices& services);
void AddBlobRoutes(ApiServices& services);
void AddObjectRoutes(ApiServices& services);  // every content kind's objects and versions
void AddAuditRoutes(ApiServices& services);
void AddSubmissionRoutes(ApiServices& services);
void AddRegionalRoutes(ApiServices& services);
void AddRelianceRoutes(ApiServices& services);
void AddLedgerRoutes(ApiServices& services);   // correspondence ledger, review clocks
void AddCommentRoutes(ApiServices& services);  // section comments on submissions
void AddLogRoutes(ApiServices& services);
void AddRedlineRoutes(ApiServices& services);      // response packages (the redline is the diff route's)
void AddPerformanceRoutes(ApiServices& services);  // post-market performance reports and drift alerts

// Does `grantor` (a regulator tenant) hold a valid reliance agreement letting
// `peer` read its feed? Used by the authorisation step for the feed route.
bool HasRelianceAgreement(storage::Store& store, const std::string& grantor, const std::string& peer);

}  // namespace dossier::server
