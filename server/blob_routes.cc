// Documents (blobs), named by the SHA-256 of their bytes: uploads are streamed
// to a staging file by the session layer and adopted by the store once their
// digest matches the name; downloads are served by the core (Range, HEAD).
#include "server/api_services.h"
#include "server/json_util.h"
#include "trust/digest.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

class BlobRoutes {
 public:
  explicit BlobRoutes(ApiServices& api) : api_(api) {}

  StatusOr<Response> PutBlob(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(std::string digest, DigestParam(c));
    if (c.request.body_file.empty()) return InvalidArgument("the upload has no body", "length-required");
    return Adopt(c, digest, c.request.path);
  }

  // An upload whose digest the client does not know up front (it produces the
  // bytes as it sends them, chunked): named here by the SHA-256 of what
  // arrived; the client compares it with the digest it computed while sending.
  StatusOr<Response> PostBlob(RouteContext& c) {
    if (c.request.body_file.empty()) return InvalidArgument("the upload has no body", "length-required");
    DOSSIER_ASSIGN_OR_RETURN(std::string raw, trust::Sha256File(c.request.body_file));
    const std::string digest = trust::DigestRef(raw);
    return Adopt(c, digest, c.request.path + "/" + digest);
  }

  StatusOr<Response> GetBlob(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(std::string digest, DigestParam(c));
    return api_.ServeBlob(c.request, c.Param("t"), digest);
  }

 private:
  // The staged upload becomes blob `digest` (the store checks the bytes against it).
  StatusOr<Response> Adopt(RouteContext& c, const std::string& digest, const std::string& location) {
    storage::Store& store = api_.store();
    const bool existed = store.GetBlob(c.Param("t"), digest).ok();
    DOSSIER_ASSIGN_OR_RETURN(auto blob, store.AdoptBlob(c.Param("t"), digest, c.request.body_file));
    json::object out{
        {"digest", blob.digest()}, {"size", blob.size()}, {"createdAt", FormatTime(blob.created_ms())}};
    Response r = Response::Json(existed ? 200 : 201, json::serialize(out));
    r.headers.emplace_back("Location", location);
    return r;
  }

  static StatusOr<std::string> DigestParam(RouteContext& c) {
    std::string digest = "sha256:" + c.Param("hex");
    if (!trust::IsDigestRef(digest)) {
      return InvalidArgument("a blob is named sha256: and 64 lowercase hex digits", "bad-digest", "digest");
    }
    return digest;
  }

  ApiServices& api_;
};

}  // namespace

void AddBlobRoutes(ApiServices& services) {
  services.AddSchema("Blob", R"json({"type":"object","required":["digest","size"],
    "properties":{"digest":{"$ref":"#/components/schemas/Digest"},"size":{"type":"integer"},
      "createdAt":{"type":"string","format":"date-time"}}})json");
  auto routes = std::make_shared<BlobRoutes>(services);
  services.AddRoute({.method = "PUT",
                     .pattern = "/v1/tenants/{t}/blobs/sha256:{hex}",
                     .access = Access::kTenantEditor,
                     .summary = "Upload a document; its SHA-256 must match the name",
                     .tag = "blobs",
                     .handler = Bind(routes, &BlobRoutes::PutBlob),
                     .streams_body = true,
                     .response_schema = "Blob",
                     .success_status = 201});
  services.AddRoute({.method = "POST",
                     .pattern = "/v1/tenants/{t}/blobs",
                     .access = Access::kTenantEditor,
                     .summary = "Upload a document of unknown digest (e.g. chunked); named by the SHA-256 of "
                                "the bytes received",
                     .tag = "blobs",
                     .handler = Bind(routes, &BlobRoutes::PostBlob),
                     .streams_body = true,
                     .response_schema = "Blob",
                     .success_status = 201});
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/tenants/{t}/blobs/sha256:{hex}",
                     .access = Access::kTenantViewer,
                     .summary = "Download a document (Range supported)",
                     .tag = "blobs",
                     .handler = Bind(routes, &BlobRoutes::GetBlob),
                     .response_media_type = "application/octet-stream"});
}

}  // namespace dossier::server
