// The node's transparency log: the latest signed checkpoint, the log's public
// key, and RFC 6962 inclusion and consistency proofs.
#include "server/api_services.h"
#include "trust/encoding.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

json::array HashesJson(const std::vector<std::string>& hashes) {
  json::array a;
  for (const auto& h : hashes) a.emplace_back(trust::Base64Encode(h));
  return a;
}

StatusOr<uint64_t> RequiredUintQuery(const Request& r, std::string_view name) {
  auto v = r.Query(name);
  if (!v) return InvalidArgument("is required", "missing-field", std::string(name));
  return ParseUintParam(*v, name);
}

class LogRoutes {
 public:
  explicit LogRoutes(ApiServices& api) : api_(api) {}

  StatusOr<Response> GetCheckpoint(RouteContext&) {
    DOSSIER_ASSIGN_OR_RETURN(std::string note, api_.CurrentCheckpoint());
    Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(note);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }

  // JSON by default; the bare PEM when the client accepts application/x-pem-file.
  StatusOr<Response> GetLogPublicKey(RouteContext& c) {
    const trust::PublicKey& key = api_.LogPublicKey();
    if (c.request.Header("accept").find("application/x-pem-file") != std::string_view::npos) {
      Response r;
      r.content_type = "application/x-pem-file";
      r.body = key.Pem();
      return r;
    }
    json::object out{{"publicKeyPem", key.Pem()},
                     {"keyName", api_.LogOrigin()},
                     {"origin", api_.LogOrigin()},
                     {"keyId", key.KeyId()},
                     {"noteVerifierKey", api_.LogVerifierKey()}};
    return Response::Json(200, json::serialize(out));
  }

  StatusOr<Response> InclusionProof(RouteContext& c) {
    return Proof(c.request, {"leafIndex", "leafIndex"}, {"treeSize", "treeSize"},
                 &storage::Store::LogInclusionProof);
  }

  StatusOr<Response> ConsistencyProof(RouteContext& c) {
    return Proof(c.request, {"from", "fromSize"}, {"to", "toSize"}, &storage::Store::LogConsistencyProof);
  }

 private:
  // A proof between two log positions read from the query; the answer names
  // them (under its own member names) beside the proof's hashes.
  struct Position {
    std::string_view query, member;
  };
  using ProofFn = StatusOr<std::vector<std::string>> (storage::Store::*)(uint64_t, uint64_t) const;
  StatusOr<Response> Proof(const Request& r, Position first, Position second, ProofFn proof) {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t a, RequiredUintQuery(r, first.query));
    DOSSIER_ASSIGN_OR_RETURN(uint64_t b, RequiredUintQuery(r, second.query));
    DOSSIER_ASSIGN_OR_RETURN(auto hashes, (api_.store().*proof)(a, b));
    json::object out{{first.member, a}, {second.member, b}, {"hashes", HashesJson(hashes)}};
    return Response::Json(200, json::serialize(out));
  }

  ApiServices& api_;
};

}  // namespace

// Public: an outside party verifies bundles, exports and checkpoints with
// these alone. They name no tenant and hold only hashes (a leaf's content
// stays with its tenant), so nothing tenant-private is exposed
// (tests/security/public_routes_test.cc checks that).
void AddLogRoutes(ApiServices& services) {
  auto routes = std::make_shared<LogRoutes>(services);
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/log/checkpoint",
                     .access = Access::kPublic,
                     .summary = "Latest signed checkpoint (C2SP signed note)",
                     .tag = "log",
                     .handler = Bind(routes, &LogRoutes::GetCheckpoint),
                     .response_media_type = "text/plain"});
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/log/public-key",
                     .access = Access::kPublic,
                     .summary = "The log's Ed25519 public key and note key name",
                     .tag = "log",
                     .handler = Bind(routes, &LogRoutes::GetLogPublicKey),
                     .response_schema = "LogPublicKey"});
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/log/proofs/inclusion",
                     .access = Access::kPublic,
                     .summary = "RFC 6962 inclusion proof",
                     .tag = "log",
                     .handler = Bind(routes, &LogRoutes::InclusionProof),
                     .response_schema = "InclusionProof",
                     .query = {{.name = "leafIndex", .type = "integer", .required = true},
                               {.name = "treeSize", .type = "integer", .required = true}}});
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/log/proofs/consistency",
                     .access = Access::kPublic,
                     .summary = "RFC 6962 consistency proof",
                     .tag = "log",
                     .handler = Bind(routes, &LogRoutes::ConsistencyProof),
                     .response_schema = "ConsistencyProof",
                     .query = {{.name = "from", .type = "integer", .required = true},
                               {.name = "to", .type = "integer", .required = true}}});
}

}  // namespace dossier::server
