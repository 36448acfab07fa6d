// Uploading the content of a submission's signed records (a decision, a
// ledger event) by the receiving regulator's reviewers. A signed commit reads
// its content from the tenant's blobs, and `PUT /v1/tenants/{t}/blobs/…` is
// EDITOR-level, which a reviewer is not: without this route only an ADMIN
// token could record a decision. The route is narrow on purpose — the caller's
// tenant must have received the submission, and the bytes must be a small
// JSON object naming that submission (what a decision or a ledger event is);
// anything else is refused before the store sees it. The commit that follows
// validates the content in full, as for any signed version.
#include <filesystem>
#include <fstream>

#include "server/api_services.h"
#include "server/json_util.h"
#include "server/submission_records.h"
#include "trust/digest.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

// Decisions and ledger events are a few kilobytes; a review report is a
// document uploaded by an EDITOR, not inlined here.
constexpr uint64_t kMaxRecordBytes = 256 * 1024;

class SubmissionBlobRoutes {
 public:
  explicit SubmissionBlobRoutes(ApiServices& api) : api_(api) {}

  StatusOr<Response> PutRecordContent(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    const std::string& id = c.Param("s");
    const std::string digest = "sha256:" + c.Param("hex");
    if (!trust::IsDigestRef(digest)) {
      return InvalidArgument("a blob is named sha256: and 64 lowercase hex digits", "bad-digest", "digest");
    }
    storage::Store& store = api_.store();
    DOSSIER_ASSIGN_OR_RETURN(SubmissionCopy copy, FindSubmission(store, tenant, id));
    if (!copy.is_regulator) return NotFound("submission " + id + " was not received by this tenant");
    if (c.request.body_file.empty()) return InvalidArgument("the upload has no body", "length-required");
    DOSSIER_ASSIGN_OR_RETURN(std::string bytes, ReadBounded(c.request.body_file));
    DOSSIER_RETURN_IF_ERROR(CheckNamesSubmission(bytes, id));
    const bool existed = store.GetBlob(tenant, digest).ok();
    DOSSIER_ASSIGN_OR_RETURN(auto blob, store.AdoptBlob(tenant, digest, c.request.body_file));
    json::object out{
        {"digest", blob.digest()}, {"size", blob.size()}, {"createdAt", FormatTime(blob.created_ms())}};
    Response r = Response::Json(existed ? 200 : 201, json::serialize(out));
    r.headers.emplace_back("Location", c.request.path);
    return r;
  }

 private:
  static StatusOr<std::string> ReadBounded(const std::filesystem::path& path) {
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) return Unavailable("cannot stat the staged upload: " + ec.message(), "io-error");
    if (size > kMaxRecordBytes) {
      return InvalidArgument("a decision or ledger event is at most " + std::to_string(kMaxRecordBytes) +
                                 " bytes; upload documents with an EDITOR token",
                             "body-too-large");
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes(size, '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
      return Unavailable("cannot read the staged upload", "io-error");
    }
    return bytes;
  }

  // The content of a decision or a ledger event: a JSON object whose
  // "submission" is this one.
  static Status CheckNamesSubmission(const std::string& bytes, const std::string& id) {
    boost::system::error_code ec;
    json::value v = json::parse(bytes, ec);
    if (ec || !v.is_object()) {
      return InvalidArgument("the content must be a JSON object (a decision or a ledger event)",
                             "not-a-submission-record");
    }
    const json::value* named = v.as_object().if_contains("submission");
    if (!named || !named->is_string() || named->as_string() != id) {
      return InvalidArgument("the content must name submission " + id, "not-a-submission-record",
                             "submission");
    }
    return Status::Ok();
  }

  ApiServices& api_;
};

}  // namespace

void AddSubmissionBlobRoutes(ApiServices& services) {
  auto routes = std::make_shared<SubmissionBlobRoutes>(services);
  services.AddRoute(
      {.method = "PUT",
       .pattern = "/v1/tenants/{t}/submissions/{s}/blobs/sha256:{hex}",
       .access = Access::kTenantEditorOrReviewer,
       .summary =
           "Upload the content of a decision or ledger event on a submission this tenant received (a JSON "
           "object naming the submission, at most 256 KiB); its SHA-256 must match the name",
       .tag = "blobs",
       .handler = Bind(routes, &SubmissionBlobRoutes::PutRecordContent),
       .streams_body = true,
       .response_schema = "Blob",
       .success_status = 201});
}

}  // namespace dossier::server
