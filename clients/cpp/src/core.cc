// ClientCore: plumbing (requests, problem documents) and the calls on
// tenants, tokens and signing keys.
#include "core.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace dossier::client {
namespace json = boost::json;
using internal::Enc;
using internal::FromJson;
using internal::HttpRequest;
using internal::HttpResponse;
using internal::ToJson;

std::string_view CollectionName(ObjectKind kind) {
  return kind == ObjectKind::kDossier ? "dossiers" : "change-plans";
}

bool IsTransportError(const Status& status) {
  const std::string r = status.reason();
  return r == "connect-failed" || r == "timeout" || r == "tls-failed" || r == "connection-lost" ||
         r == "proxy-failed";
}

std::string internal::TenantPath(const std::string& tenant) { return "/v1/tenants/" + Enc(tenant); }

std::string internal::SubmissionPath(const std::string& tenant, const std::string& submission) {
  return TenantPath(tenant) + "/submissions/" + Enc(submission);
}

std::string internal::Enc(std::string_view s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

namespace {

StatusCode CodeForHttp(int status) {
  switch (status) {
    case 400:
    case 405:
    case 411:
    case 415:
    case 422:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
      return StatusCode::kAlreadyExists;
    case 412:
      return StatusCode::kFailedPrecondition;
    case 413:
    case 429:
    case 431:
      return StatusCode::kResourceExhausted;
    case 416:
      return StatusCode::kOutOfRange;
    case 501:
      return StatusCode::kUnimplemented;
    case 503:
      return StatusCode::kUnavailable;
    case 504:
      return StatusCode::kDeadlineExceeded;
    default:
      return status >= 500 ? StatusCode::kInternal : StatusCode::kUnknown;
  }
}

}  // namespace

Status internal::ProblemStatus(const HttpResponse& r) {
  internal::ProblemDocument problem;
  if (auto o = internal::ParseObject(r.body); o.ok()) {
    auto read = FromJson<internal::ProblemDocument>(json::value(std::move(*o)));
    if (read.ok()) problem = std::move(*read);
  }
  std::string reason = problem.code.empty() ? "http-" + std::to_string(r.status) : problem.code;
  std::string detail = problem.detail.empty() ? problem.title : problem.detail;
  if (detail.empty()) detail = "the server answered HTTP " + std::to_string(r.status);
  return Status(CodeForHttp(r.status), detail, reason, problem.field).WithHttpStatus(r.status);
}

Status internal::CutShortStatus(const HttpResponse& r) {
  std::string_view body = r.body;
  if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  const size_t newline = body.rfind('\n');
  const std::string_view last = newline == std::string_view::npos ? body : body.substr(newline + 1);
  if (auto line = internal::ParseObject(last); line.ok()) {
    if (const json::value* problem = line->if_contains("problem"); problem && problem->is_object()) {
      HttpResponse refusal;
      const json::value* status = problem->as_object().if_contains("status");
      refusal.status = status && status->is_int64() ? static_cast<int>(status->as_int64()) : 500;
      refusal.body = json::serialize(*problem);
      return ProblemStatus(refusal);
    }
  }
  return r.body_failure;
}

// ------------------------------------------------------------------ plumbing

StatusOr<std::shared_ptr<ClientCore>> ClientCore::Create(boost::asio::any_io_executor executor,
                                                         ClientOptions options) {
  DOSSIER_ASSIGN_OR_RETURN(auto pins, internal::ParsePins(options.log_trust));
  DOSSIER_ASSIGN_OR_RETURN(auto transport, internal::Transport::Create(executor, options));
  auto core = std::shared_ptr<ClientCore>(new ClientCore(std::move(options), std::move(transport)));
  core->memory_->pins = std::move(pins);
  return core;
}

std::shared_ptr<ClientCore> ClientCore::ForCall(CallOptions call) const {
  auto copy = std::shared_ptr<ClientCore>(new ClientCore(*this));
  copy->call_ = std::move(call);
  return copy;
}

std::string ClientCore::ObjectPath(const std::string& tenant, ObjectKind kind, const std::string& id) const {
  return "/v1/tenants/" + Enc(tenant) + "/" + std::string(CollectionName(kind)) + "/" + Enc(id);
}

ClientCore::Task<HttpResponse> ClientCore::Call(HttpRequest request) {
  if (call_.max_retries) request.max_retries = call_.max_retries;
  auto response = co_await transport_->Send(std::move(request));
  if (!response.ok()) co_return response.status();
  if (response->status < 200 || response->status > 299) co_return internal::ProblemStatus(*response);
  co_return response;
}

ClientCore::Task<json::object> ClientCore::CallJson(std::string method, std::string target, std::string body,
                                                    bool idempotent) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers.emplace_back("Accept", "application/json");
  if (!body.empty()) r.content_type = "application/json";
  r.body = std::move(body);
  r.idempotent = idempotent;
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  if (response.body.empty()) co_return json::object();
  co_return internal::ParseObject(response.body);
}

ClientCore::Task<RawResponse> ClientCore::CallRaw(std::string method, std::string target, std::string body) {
  HttpRequest r;
  r.idempotent = method == "GET" || method == "HEAD";
  r.method = std::move(method);
  r.target = std::move(target);
  if (!body.empty()) r.content_type = "application/json";
  r.body = std::move(body);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  co_return RawResponse{response.status, response.Header("content-type"), std::move(response.body)};
}

ClientCore::Task<json::object> ClientCore::GetAllPages(std::string target, std::string member) {
  CO_ASSIGN_OR_RETURN(auto first, co_await CallJson("GET", target, {}, true));
  for (;;) {
    const json::value* next = first.if_contains("nextPageToken");
    if (next == nullptr || !next->is_string() || next->as_string().empty()) break;
    std::string token(next->as_string());
    first.erase("nextPageToken");
    CO_ASSIGN_OR_RETURN(auto page,
                        co_await CallJson("GET", internal::PageTarget(target, token, 0), {}, true));
    json::value* items = page.if_contains(member);
    json::value* into = first.if_contains(member);
    if (items == nullptr || !items->is_array() || into == nullptr || !into->is_array()) {
      co_return Status(StatusCode::kInternal, "a page of " + target + " has no array \"" + member + "\"",
                       "bad-response", member);
    }
    for (auto& item : items->as_array()) into->as_array().push_back(std::move(item));
    if (const json::value* more = page.if_contains("nextPageToken")) first["nextPageToken"] = *more;
  }
  co_return first;
}

ClientCore::Task<ClientCore::Done> ClientCore::Ready() {
  CO_ASSIGN_OR_RETURN(auto ignored, co_await CallJson("GET", "/readyz", {}, true));
  (void)ignored;
  co_return Done{};
}

// ------------------------------------------------------------------- tenants

ClientCore::Task<Tenant> ClientCore::CreateTenant(NewTenant tenant) {
  if (tenant.display_name.empty()) tenant.display_name = tenant.id;
  co_return co_await SendAs<Tenant>("POST", "/v1/tenants", ToJson(tenant), false);
}

ClientCore::Task<Tenant> ClientCore::GetTenant(std::string tenant) {
  co_return co_await GetAs<Tenant>("/v1/tenants/" + Enc(tenant));
}

ClientCore::Task<std::vector<Tenant>> ClientCore::ListTenants() {
  co_return co_await GetList<Tenant>("/v1/tenants", "tenants");
}

// -------------------------------------------------------------------- tokens

ClientCore::Task<TokenInfo> ClientCore::CreateToken(std::string tenant, std::string role, std::string label) {
  // Bodies are built before co_await: GCC 12 cannot keep a braced
  // initializer list alive across a suspension ("array used as initializer").
  json::object body{{"role", role}, {"label", label}};
  co_return co_await SendAs<TokenInfo>("POST", "/v1/tenants/" + Enc(tenant) + "/tokens", std::move(body),
                                       false);
}

ClientCore::Task<std::vector<TokenInfo>> ClientCore::ListTokens(std::string tenant) {
  co_return co_await GetList<TokenInfo>("/v1/tenants/" + Enc(tenant) + "/tokens", "tokens");
}

ClientCore::Task<ClientCore::Done> ClientCore::RevokeToken(std::string tenant, std::string token_id) {
  CO_ASSIGN_OR_RETURN(
      auto ignored,
      co_await CallJson("DELETE", "/v1/tenants/" + Enc(tenant) + "/tokens/" + Enc(token_id), {}, true));
  (void)ignored;
  co_return Done{};
}

// ---------------------------------------------------------------------- keys

ClientCore::Task<KeyInfo> ClientCore::RegisterKey(std::string tenant, trust::PublicKey key,
                                                  std::string label) {
  json::object body{{"publicKeyPem", key.Pem()}, {"label", label}};
  co_return co_await SendAs<KeyInfo>("POST", "/v1/tenants/" + Enc(tenant) + "/keys", std::move(body), false);
}

ClientCore::Task<std::vector<KeyInfo>> ClientCore::ListKeys(std::string tenant) {
  co_return co_await GetList<KeyInfo>("/v1/tenants/" + Enc(tenant) + "/keys", "keys");
}

ClientCore::Task<KeyInfo> ClientCore::GetKey(std::string tenant, std::string key_id) {
  co_return co_await GetAs<KeyInfo>("/v1/tenants/" + Enc(tenant) + "/keys/" + Enc(key_id));
}

ClientCore::Task<KeyInfo> ClientCore::RevokeKey(std::string tenant, std::string key_id,
                                                std::string revoked_at) {
  // An empty body revokes from now; the route refuses an empty "revokedAt".
  std::string body;
  if (!revoked_at.empty()) body = json::serialize(json::object{{"revokedAt", revoked_at}});
  CO_ASSIGN_OR_RETURN(
      auto o, co_await CallJson("POST", "/v1/tenants/" + Enc(tenant) + "/keys/" + Enc(key_id) + ":revoke",
                                std::move(body), true));
  co_return FromJson<KeyInfo>(json::value(std::move(o)));
}

}  // namespace dossier::client
