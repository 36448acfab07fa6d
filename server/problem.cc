#include "server/problem.h"

#include <boost/json.hpp>
#include <unordered_map>

namespace dossier::server {
namespace {

const char* TitleFor(int http_status) {
  switch (http_status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 507: return "Insufficient Storage";
    default: return "Error";
  }
}

}  // namespace

int HttpStatusFor(const Status& status) {
  // "blob-corrupt": a stored copy failed its integrity check, a server fault
  // that a retry will not cure, so 500 and not 503 (which the SDK and proxies
  // retry).
  static const std::unordered_map<std::string, int> kByReason = {
      {"parent-mismatch", 412},      {"version-mismatch", 412},  {"etag-mismatch", 412},
      {"body-too-large", 413},       {"unsupported-media-type", 415},
      {"range-not-satisfiable", 416}, {"storage-full", 507},     {"method-not-allowed", 405},
      {"header-too-large", 431},     {"length-required", 411},   {"blob-corrupt", 500},
      // The request was well-formed but its meaning is refused.
      {"validation-failed", 422},    {"unknown-toc-code", 422},   {"unknown-toc-edition", 422},
      {"missing-field", 422},        {"duplicate-section", 422},  {"missing-blob", 422},
      {"signature-invalid", 422},    {"unknown-key", 422},        {"key-revoked", 422},
      {"statement-mismatch", 422},   {"content-unparsable", 422}, {"digest-mismatch", 422},
      {"bad-statement", 422},        {"unsupported-key", 422},    {"bad-key", 422},
      {"invalid-value", 422},        {"idempotency-key-reused", 422},
  };
  if (auto it = kByReason.find(status.reason()); it != kByReason.end()) return it->second;
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kFailedPrecondition: return 400;
    case StatusCode::kOutOfRange: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kAborted: return 409;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kCancelled: return 499;
    case StatusCode::kUnimplemented: return 501;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kDeadlineExceeded: return 504;
    case StatusCode::kDataLoss:
    case StatusCode::kInternal:
    case StatusCode::kUnknown: return 500;
  }
  return 500;
}

Response ProblemResponse(const Status& status, std::string_view instance) {
  const int http_status = HttpStatusFor(status);
  boost::json::object problem;
  const std::string reason = status.reason();
  problem["type"] = "https://dossier.exchange/problems/" + reason;
  problem["title"] = TitleFor(http_status);
  problem["status"] = http_status;
  // Internal failures are described in the server log, not to the client;
  // a corrupt blob's message names only the digest the client asked for and
  // tells it why, so it is passed on.
  const bool describe =
      http_status < 500 || http_status == 503 || http_status == 507 || reason == "blob-corrupt";
  problem["detail"] = describe ? status.message() : std::string("the server could not complete the request");
  problem["code"] = reason;
  if (!status.field().empty()) problem["field"] = status.field();
  problem["instance"] = std::string(instance);
  Response response;
  response.status = http_status;
  response.content_type = "application/problem+json";
  response.body = boost::json::serialize(problem);
  if (http_status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"dossierd\"");
  return response;
}

}  // namespace dossier::server
