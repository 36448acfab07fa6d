// Tenants and their credentials: tokens (the secret shown once, only its hash
// stored) and client certificates mapped to a role for mTLS.
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "server/api_services.h"
#include "server/credentials.h"
#include "server/json_util.h"
#include "trust/digest.h"
#include "trust/encoding.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

json::object TenantJson(const storage::TenantRecord& t) {
  json::object o;
  o["id"] = t.id();
  o["displayName"] = t.display_name();
  o["kind"] = t.kind();
  if (!t.jurisdiction().empty()) o["jurisdiction"] = t.jurisdiction();
  o["createdAt"] = FormatTime(t.created_ms());
  return o;
}

json::object TokenJson(const storage::TokenRecord& t) {
  json::object o;
  o["id"] = t.id();
  o["role"] = t.role();
  o["label"] = t.label();
  o["createdAt"] = FormatTime(t.created_ms());
  if (t.expires_ms()) o["expiresAt"] = FormatTime(t.expires_ms());
  if (t.revoked_ms()) o["revokedAt"] = FormatTime(t.revoked_ms());
  return o;
}

StatusOr<std::string> SpkiSha256OfCertificate(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (cert == nullptr) return InvalidArgument("not a PEM certificate", "bad-certificate", "certificatePem");
  unsigned char* der = nullptr;
  const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  X509_free(cert);
  if (len <= 0)
    return InvalidArgument("the certificate has no public key", "bad-certificate", "certificatePem");
  std::string spki(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return trust::HexEncode(trust::Sha256(spki));
}

// The SPKI hash a client-certificate registration names: from the
// certificate when given, else the hash itself.
StatusOr<std::string> RegisteredSpkiSha256(const std::optional<std::string>& pem,
                                           const std::optional<std::string>& spki) {
  if (pem) return SpkiSha256OfCertificate(*pem);
  if (!spki) return InvalidArgument("give certificatePem or spkiSha256", "missing-field", "certificatePem");
  auto raw = trust::HexDecode(*spki);
  if (!raw.ok() || raw->size() != 32)
    return InvalidArgument("must be 64 hex digits", "bad-digest", "spkiSha256");
  return trust::HexEncode(*raw);
}

// When a new token expires (0: never): at `expiresAt`, or `ttlSeconds` from now.
StatusOr<int64_t> TokenExpiry(const std::optional<std::string>& expires_at,
                              const std::optional<uint64_t>& ttl, int64_t now) {
  if (expires_at) {
    DOSSIER_ASSIGN_OR_RETURN(int64_t expires_ms, ParseTime(*expires_at, "expiresAt"));
    if (expires_ms <= now) return InvalidArgument("must be in the future", "bad-time", "expiresAt");
    return expires_ms;
  }
  if (!ttl) return 0;
  if (*ttl == 0 || *ttl > 10ull * 365 * 86400) {
    return InvalidArgument("must be between 1 s and 10 years", "bad-parameter", "ttlSeconds");
  }
  return now + static_cast<int64_t>(*ttl) * 1000;
}

class TenantRoutes {
 public:
  explicit TenantRoutes(ApiServices& api) : store_(api.store()) {}

  StatusOr<Response> CreateTenant(RouteContext& c) {
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(
        RejectUnknownMembers(body, {"id", "displayName", "display_name", "kind", "jurisdiction"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string id, RequiredString(body, {"id"}));
    DOSSIER_RETURN_IF_ERROR(ValidateId(id, "id"));
    DOSSIER_ASSIGN_OR_RETURN(auto display, OptionalString(body, {"displayName", "display_name"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string kind, RequiredString(body, {"kind"}));
    if (kind != "MANUFACTURER" && kind != "REGULATOR" && kind != "NOTIFIED_BODY") {
      return InvalidArgument("kind must be MANUFACTURER, REGULATOR or NOTIFIED_BODY", "bad-enum", "kind");
    }
    DOSSIER_ASSIGN_OR_RETURN(auto jurisdiction, OptionalString(body, {"jurisdiction"}));
    storage::TenantRecord record;
    record.set_id(id);
    record.set_display_name(display.value_or(id));
    record.set_kind(kind);
    record.set_jurisdiction(jurisdiction.value_or(""));
    DOSSIER_ASSIGN_OR_RETURN(record, store_.CreateTenant(record));
    Response r = Response::Json(201, json::serialize(TenantJson(record)));
    r.headers.emplace_back("Location", "/v1/tenants/" + id);
    return r;
  }

  StatusOr<Response> GetTenant(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto t, store_.GetTenant(c.Param("t")));
    return Response::Json(200, json::serialize(TenantJson(t)));
  }

  StatusOr<Response> ListTenants(RouteContext&) {
    DOSSIER_ASSIGN_OR_RETURN(auto tenants, store_.ListTenants());
    json::array items;
    for (const auto& t : tenants) items.push_back(TenantJson(t));
    return Response::Json(200, json::serialize(json::object{{"tenants", std::move(items)}}));
  }

  StatusOr<Response> CreateToken(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    DOSSIER_RETURN_IF_ERROR(store_.GetTenant(tenant).status());
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(
        body, {"role", "label", "expiresAt", "expires_at", "ttlSeconds", "ttl_seconds"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string role_name, RequiredString(body, {"role"}));
    DOSSIER_ASSIGN_OR_RETURN(Role role, ParseTenantRole(role_name));
    DOSSIER_ASSIGN_OR_RETURN(auto label, OptionalString(body, {"label"}));
    DOSSIER_ASSIGN_OR_RETURN(auto expires_at, OptionalString(body, {"expiresAt", "expires_at"}));
    DOSSIER_ASSIGN_OR_RETURN(auto ttl, OptionalUint(body, {"ttlSeconds", "ttl_seconds"}));
    const int64_t now = NowMs();
    DOSSIER_ASSIGN_OR_RETURN(int64_t expires_ms, TokenExpiry(expires_at, ttl, now));
    DOSSIER_ASSIGN_OR_RETURN(const std::string secret, NewTokenSecret());
    storage::TokenRecord token;
    DOSSIER_ASSIGN_OR_RETURN(std::string token_id, NewTokenId());
    token.set_id(token_id);
    token.set_tenant(tenant);
    token.set_role(std::string(RoleName(role)));
    token.set_label(label.value_or(""));
    token.set_secret_hash(trust::Sha256(secret));
    token.set_created_ms(now);
    token.set_expires_ms(expires_ms);
    DOSSIER_RETURN_IF_ERROR(store_.PutToken(token));
    json::object out = TokenJson(token);
    out["token"] = secret;  // shown once; only its hash is stored
    return Response::Json(201, json::serialize(out));
  }

  StatusOr<Response> RegisterClientCertificate(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    DOSSIER_RETURN_IF_ERROR(store_.GetTenant(tenant).status());
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(body, {"certificatePem", "spkiSha256", "role", "label"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string role_name, RequiredString(body, {"role"}));
    DOSSIER_ASSIGN_OR_RETURN(Role role, ParseTenantRole(role_name));
    DOSSIER_ASSIGN_OR_RETURN(auto label, OptionalString(body, {"label"}));
    DOSSIER_ASSIGN_OR_RETURN(auto pem, OptionalString(body, {"certificatePem"}));
    DOSSIER_ASSIGN_OR_RETURN(auto spki, OptionalString(body, {"spkiSha256"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string spki_hex, RegisteredSpkiSha256(pem, spki));
    storage::TokenRecord credential;
    credential.set_id("cert_" + spki_hex.substr(0, 16));
    credential.set_tenant(tenant);
    credential.set_role(std::string(RoleName(role)));
    credential.set_label(label.value_or("client certificate"));
    credential.set_secret_hash(ClientCertificateSecretHash(spki_hex));
    credential.set_created_ms(NowMs());
    DOSSIER_RETURN_IF_ERROR(store_.PutToken(credential));
    json::object out = TokenJson(credential);
    out["spkiSha256"] = spki_hex;
    return Response::Json(201, json::serialize(out));
  }

  StatusOr<Response> ListTokens(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto tokens, store_.ListTokens(c.Param("t")));
    json::array items;
    for (const auto& t : tokens) items.push_back(TokenJson(t));
    return Response::Json(200, json::serialize(json::object{{"tokens", std::move(items)}}));
  }

  StatusOr<Response> RevokeToken(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto token, store_.RevokeToken(c.Param("t"), c.Param("id"), NowMs()));
    return Response::Json(200, json::serialize(TokenJson(token)));
  }

 private:
  storage::Store& store_;
};

}  // namespace

// The JSON shapes of this family (TenantJson, TokenJson and the requests the
// handlers read), for /openapi.json.
void AddTenantSchemas(ApiServices& services) {
  services.AddSchema("TenantCreate", R"json({"type":"object","required":["id","kind"],
    "properties":{"id":{"type":"string","pattern":"^[a-z0-9-]{1,64}$"},"displayName":{"type":"string"},
      "kind":{"type":"string","enum":["MANUFACTURER","REGULATOR","NOTIFIED_BODY"]},
      "jurisdiction":{"type":"string","description":"US, EU, SG, ... (a regulator's agency)"}}})json");
  services.AddSchema("Tenant", R"json({"type":"object","required":["id","displayName","kind","createdAt"],
    "properties":{"id":{"type":"string"},"displayName":{"type":"string"},"kind":{"type":"string"},
      "jurisdiction":{"type":"string"},"createdAt":{"type":"string","format":"date-time"}}})json");
  services.AddSchema("TenantList", R"json({"type":"object","required":["tenants"],
    "properties":{"tenants":{"type":"array","items":{"$ref":"#/components/schemas/Tenant"}}}})json");
  services.AddSchema("TokenCreate", R"json({"type":"object","required":["role"],
    "properties":{"role":{"type":"string","enum":["ADMIN","EDITOR","REVIEWER","VIEWER"]},"label":{"type":"string"},
      "expiresAt":{"type":"string","format":"date-time"},"ttlSeconds":{"type":"integer","minimum":1}}})json");
  services.AddSchema("Token", R"json({"type":"object","required":["id","role","createdAt"],
    "properties":{"id":{"type":"string"},"role":{"type":"string"},"label":{"type":"string"},
      "createdAt":{"type":"string","format":"date-time"},"expiresAt":{"type":"string","format":"date-time"},
      "revokedAt":{"type":"string","format":"date-time"},
      "token":{"type":"string","description":"the secret, only in the answer that issues it"},
      "spkiSha256":{"type":"string","description":"only for a client certificate"}}})json");
  services.AddSchema("TokenList", R"json({"type":"object","required":["tokens"],
    "properties":{"tokens":{"type":"array","items":{"$ref":"#/components/schemas/Token"}}}})json");
  services.AddSchema("ClientCertificateCreate", R"json({"type":"object","required":["role"],
    "description":"certificatePem, or the SHA-256 of its SubjectPublicKeyInfo as 64 hex digits",
    "properties":{"certificatePem":{"type":"string"},"spkiSha256":{"type":"string","pattern":"^[0-9a-fA-F]{64}$"},
      "role":{"type":"string","enum":["ADMIN","EDITOR","REVIEWER","VIEWER"]},"label":{"type":"string"}}})json");
}

void AddTenantRoutes(ApiServices& services) {
  AddTenantSchemas(services);
  auto routes = std::make_shared<TenantRoutes>(services);
  services.AddRoute(
      {.method = "POST",
       .pattern = "/v1/tenants",
       .access = Access::kOperator,
       .summary = "Create a tenant",
       .tag = "tenants",
       .handler = Bind(routes, &TenantRoutes::CreateTenant),
       .request_example = R"({"id":"acme-medical","displayName":"Acme Medical","kind":"MANUFACTURER"})",
       .request_schema = "TenantCreate",
       .response_schema = "Tenant"});
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/tenants",
                     .access = Access::kOperator,
                     .summary = "List tenants",
                     .tag = "tenants",
                     .handler = Bind(routes, &TenantRoutes::ListTenants),
                     .response_schema = "TenantList"});
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/tenants/{t}",
                     .access = Access::kTenantViewer,
                     .summary = "Get a tenant",
                     .tag = "tenants",
                     .handler = Bind(routes, &TenantRoutes::GetTenant),
                     .response_schema = "Tenant"});
  services.AddRoute({.method = "POST",
                     .pattern = "/v1/tenants/{t}/tokens",
                     .access = Access::kOperatorOrTenantAdmin,
                     .summary = "Issue a token (secret returned once)",
                     .tag = "tokens",
                     .handler = Bind(routes, &TenantRoutes::CreateToken),
                     .request_example = R"({"role":"EDITOR","label":"ci pipeline"})",
                     .request_schema = "TokenCreate",
                     .response_schema = "Token"});
  services.AddRoute(
      {.method = "POST",
       .pattern = "/v1/tenants/{t}/client-certificates",
       .access = Access::kOperatorOrTenantAdmin,
       .summary = "Map a client certificate (by SPKI hash) to a role in this tenant, for mTLS",
       .tag = "tokens",
       .handler = Bind(routes, &TenantRoutes::RegisterClientCertificate),
       .request_example =
           R"({"spkiSha256":"3b0c6bd2d0f4e3c9a7d5b8e1f2a4c6d8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0","role":"VIEWER","label":"partner gateway"})",
       .request_schema = "ClientCertificateCreate",
       .response_schema = "Token"});
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/tenants/{t}/tokens",
                     .access = Access::kOperatorOrTenantAdmin,
                     .summary = "List tokens (no secrets)",
                     .tag = "tokens",
                     .handler = Bind(routes, &TenantRoutes::ListTokens),
                     .response_schema = "TokenList"});
  services.AddRoute({.method = "DELETE",
                     .pattern = "/v1/tenants/{t}/tokens/{id}",
                     .access = Access::kOperatorOrTenantAdmin,
                     .summary = "Revoke a token",
                     .tag = "tokens",
                     .handler = Bind(routes, &TenantRoutes::RevokeToken),
                     .response_schema = "Token"});
}

}  // namespace dossier::server
