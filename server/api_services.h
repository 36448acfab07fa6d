// What route modules (submissions.cc, reliance.cc, ...) may use of the API
// core: the store, the signed-version machinery, the log identity, paging.
// Implemented by Api's core in api.cc; modules add their routes through
// AddRoute so that every route still goes through the one route table (and so
// through the one authorisation point and the OpenAPI document).
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <string>

#include "server/api.h"
#include "server/content_kinds.h"
#include "storage/store.h"
#include "trust/dsse.h"

namespace dossier::server {

// A signed version to commit: the body of a commit request plus where it goes.
struct SignedCommitRequest {
  std::string tenant;
  std::string kind;         // storage kind (collection), e.g. "dossiers", "decisions"
  std::string id;           // object id within the kind
  std::string object_name;  // what the signed statement must name, e.g. "submissions/s-1/decisions"
  const ContentKind* content_kind = nullptr;
  const Request* request = nullptr;  // JSON body {contentDigest, mediaType, envelope, message?}; If-Match honoured
  // Extra check of the parsed content (e.g. a decision names its submission).
  std::function<Status(const ParsedContent&)> check_content;
};

struct SignedCommitResult {
  storage::VersionRecord version;
  std::string leaf_hash;
  bool replayed = false;  // the same envelope had already landed
};

class ApiServices {
 public:
  virtual ~ApiServices() = default;
  virtual storage::Store& store() = 0;
  virtual const ServerOptions& options() const = 0;
  virtual void AddRoute(Route route) = 0;

  // Verifies and commits a signed version (statement, signature against the
  // tenant's registered unrevoked keys, content parse/validate, referenced
  // blobs present, parent = head). Idempotent for the same envelope.
  virtual StatusOr<SignedCommitResult> CommitSigned(const SignedCommitRequest& request) = 0;
  // The 201/200 answer for a commit: version summary plus signed receipt.
  virtual Response CommitResponse(int status, const storage::VersionRecord& v, const std::string& leaf_hash) = 0;
  virtual boost::json::object VersionJson(const storage::VersionRecord& v) = 0;
  virtual const ContentKind* KindByCollection(std::string_view collection) const = 0;
  // Reads a version's content bytes (bounded by max_content_bytes).
  virtual StatusOr<std::string> LoadContent(const std::string& tenant, const storage::VersionRecord& v) = 0;
  // Serves a blob of `tenant` (Range, HEAD) as the answer to `request`.
  virtual StatusOr<Response> ServeBlob(const Request& request, const std::string& tenant,
                                       const std::string& digest) = 0;
  virtual StatusOr<std::string> CurrentCheckpoint() = 0;
  virtual size_t PageSize(const Request& request) const = 0;
  virtual std::string PageToken(const Request& request) const = 0;
};

// Route modules.
void AddSubmissionRoutes(ApiServices& services);
void AddRegionalRoutes(ApiServices& services);
void AddRelianceRoutes(ApiServices& services);

// Does `grantor` (a regulator tenant) hold a valid reliance agreement letting
// `peer` read its feed? Used by the authorisation step for the feed route.
bool HasRelianceAgreement(storage::Store& store, const std::string& grantor, const std::string& peer);

}  // namespace dossier::server
