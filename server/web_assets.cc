// Static serving of the web app; see web_assets.h for the contract.
#include "server/web_assets.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include "common/hex.h"
#include "server/problem.h"
#include "trust/digest.h"

namespace dossier::server {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kIndex = "index.html";

// Security headers of every web answer (the API's JSON answers are not pages
// and keep their own headers).
void AddSecurityHeaders(Response& r) {
  r.headers.emplace_back("Content-Security-Policy", WebAssets::ContentSecurityPolicy());
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  r.headers.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
  r.headers.emplace_back("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
}

// A path segment that could climb out of the root or be read differently by
// another layer (a Windows separator, a NUL) is refused outright.
bool IsTraversal(std::string_view path) {
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) return true;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == ".." || segment == ".") return true;
    start = end + 1;
  }
  return false;
}

bool IsApiPath(std::string_view path) { return path == "/v1" || path.starts_with("/v1/"); }

StatusOr<std::string> ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("cannot read " + path.string(), "io-error");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return Internal("cannot read " + path.string(), "io-error");
  return std::move(bytes).str();
}

}  // namespace

const std::string& WebAssets::ContentSecurityPolicy() {
  // frame-src/object-src blob: lets a PDF the app fetched (with the caller's
  // token) open inline in Chromium's viewer; nothing else may be framed or
  // embedded, and nothing is loaded from another origin.
  static const std::string policy =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
      "font-src 'self'; connect-src 'self'; frame-src blob:; object-src blob:; worker-src 'none'; "
      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  return policy;
}

std::string WebAssets::ContentTypeFor(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (name.ends_with(extension)) return std::string(type);
  }
  return "application/octet-stream";
}

StatusOr<WebAssets> WebAssets::Load(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_regular_file(root / kIndex, ec)) {
    return FailedPrecondition("no " + std::string(kIndex) + " in the web root " + root.string(),
                              "web-root-missing");
  }
  WebAssets assets;
  uint64_t total = 0;
  fs::recursive_directory_iterator it(root, ec), end;
  if (ec) return Internal("cannot list " + root.string() + ": " + ec.message(), "io-error");
  for (; it != end; it.increment(ec)) {
    if (ec) return Internal("cannot list " + root.string() + ": " + ec.message(), "io-error");
    // Symbolic links are not followed: the root holds the app, nothing it points at.
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    total += it->file_size(ec);
    if (total > kMaxTotalBytes) {
      return FailedPrecondition("the web root " + root.string() + " holds more than " +
                                    std::to_string(kMaxTotalBytes >> 20) + " MiB",
                                "web-root-too-large");
    }
    DOSSIER_ASSIGN_OR_RETURN(std::string bytes, ReadWhole(it->path()));
    const std::string relative = it->path().lexically_relative(root).generic_string();
    File file{ContentTypeFor(relative), std::move(bytes), {}};
    file.etag = "\"" + HexEncode(trust::Sha256(file.bytes)).substr(0, 32) + "\"";
    assets.files_.emplace(relative, std::move(file));
  }
  return assets;
}

Response WebAssets::FileResponse(const Request& request, const File& file) const {
  Response r;
  AddSecurityHeaders(r);
  r.headers.emplace_back("ETag", file.etag);
  // Names are stable (app.js, app.css), so every file is revalidated; the ETag
  // makes that a 304 without a body.
  r.headers.emplace_back("Cache-Control", "no-cache");
  if (request.Header("if-none-match") == file.etag) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.content_type = file.content_type;
  r.body = file.bytes;
  return r;
}

namespace {

// The first path segments the app's router answers (web/src/App.tsx); any
// other path that names no file is a 404 problem, as before the app existed.
bool IsAppRoute(std::string_view relative) {
  if (relative.empty()) return true;  // "/"
  const std::string_view root = relative.substr(0, relative.find('/'));
  const std::string_view last = relative.substr(relative.rfind('/') + 1);
  return (root == "dossiers" || root == "inbox" || root == "submissions") &&
         last.find('.') == std::string_view::npos;
}

}  // namespace

std::optional<Response> WebAssets::Serve(const Request& request) const {
  if (IsApiPath(request.path)) return std::nullopt;
  Response refusal;
  if (request.method != "GET" && request.method != "HEAD") {
    refusal = ProblemResponse(
        Status(StatusCode::kInvalidArgument, request.method + " is not allowed here", "method-not-allowed"),
        request.path);
  } else if (request.path.empty() || request.path.front() != '/' || IsTraversal(request.path)) {
    refusal = ProblemResponse(
        InvalidArgument("the path may not contain '.', '..', '\\' or NUL segments", "bad-path", "path"),
        request.path);
  } else {
    const std::string_view relative = std::string_view(request.path).substr(1);
    if (auto it = files_.find(relative); it != files_.end() && !relative.empty()) {
      return FileResponse(request, it->second);
    }
    if (IsAppRoute(relative)) {
      // An app route such as /dossiers/pump-x: the app reads its own URL.
      return FileResponse(request, files_.find(kIndex)->second);
    }
    refusal = ProblemResponse(NotFound("no such file: " + request.path, "no-such-file"), request.path);
  }
  AddSecurityHeaders(refusal);
  return refusal;
}

fs::path DefaultWebRoot(const fs::path& executable) {
  std::error_code ec;
  const fs::path bin = fs::absolute(executable, ec).parent_path();
  for (const fs::path& candidate :
       {bin.parent_path() / "web", bin.parent_path() / "share" / "dossier-exchange" / "web"}) {
    if (fs::is_regular_file(candidate / kIndex, ec)) return candidate;
  }
  return {};
}

}  // namespace dossier::server
