// The web app's static files (web/, built into <build>/web by CMake), served
// by dossierd at "/" beside the API. Only GET and HEAD of paths outside the
// API reach it: Api::Handle asks it when no route matched, so /v1/... and the
// service routes (/healthz, /openapi.json, ...) are never shadowed.
//
// Contract
// - Load() reads every regular file under the directory into memory once (the
//   built app is a few hundred KiB; at most kMaxTotalBytes), so a request can
//   only ever name a file that was there at start-up: no path reaches the file
//   system, and traversal ("..", "\", NUL) is refused with 400 bad-path.
// - "/" and the app's own routes (/dossiers…, /inbox…, /submissions… without an
//   extension in the last segment) answer index.html (the app routes itself in
//   the browser); any other path that names no file, such as a missing "/x.js"
//   or "/nope", is a 404 problem, never HTML.
// - Every answer carries a strict Content-Security-Policy (scripts, styles,
//   fonts and connections only from this origin; no inline script; frames only
//   for blob: documents the app fetched itself), nosniff, no referrer, no
//   framing by other sites. Files are revalidated by ETag (304).
// - Thread-safe after Load(): Serve() only reads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "common/status.h"
#include "server/http_types.h"

namespace dossier::server {

class WebAssets {
 public:
  static constexpr uint64_t kMaxTotalBytes = 64ull << 20;

  // Reads every file under `root`. Errors: "web-root-missing" (no index.html),
  // "web-root-too-large", "io-error".
  static StatusOr<WebAssets> Load(const std::filesystem::path& root);

  // The answer for a GET/HEAD of `request.path`, or nullopt when the path is
  // the API's (under /v1) and so not the web app's to answer.
  std::optional<Response> Serve(const Request& request) const;

  size_t file_count() const { return files_.size(); }

  // The Content-Security-Policy every web answer carries.
  static const std::string& ContentSecurityPolicy();
  // The content type for a file name, by extension ("application/octet-stream" otherwise).
  static std::string ContentTypeFor(std::string_view file_name);

 private:
  struct File {
    std::string content_type;
    std::string bytes;
    std::string etag;
  };
  Response FileResponse(const Request& request, const File& file) const;

  std::map<std::string, File, std::less<>> files_;  // by path relative to the root, "/" separated
};

// Where dossierd looks for the web app when --web-root is not given: beside
// the binary in the build tree (<build>/bin/../web) or in an installed tree
// (<prefix>/bin/../share/dossier-exchange/web). Empty when neither holds an
// index.html.
std::filesystem::path DefaultWebRoot(const std::filesystem::path& executable);

}  // namespace dossier::server
