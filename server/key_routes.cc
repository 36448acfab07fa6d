// A tenant's signing keys. Registering and revoking a key each append a leaf
// to the transparency log, so a verifier can tell which keys were valid when.
#include "server/api_services.h"
#include "server/json_util.h"
#include "trust/log_leaf.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

json::object KeyJson(const storage::KeyRecord& k) {
  json::object o;
  o["keyId"] = k.key_id();
  o["algorithm"] = k.algorithm();
  o["label"] = k.label();
  o["publicKeyPem"] = k.public_key_pem();
  o["createdAt"] = FormatTime(k.created_ms());
  o["logIndex"] = k.log_index();
  if (k.revoked_ms()) {
    o["revokedAt"] = FormatTime(k.revoked_ms());
    o["revokedLogIndex"] = k.revoked_log_index();
  }
  return o;
}

// The log leaf of a key's registration or revocation ("key-registered",
// "key-revoked"): it names the key and commits to its SPKI.
std::string KeyLeaf(std::string_view kind, const storage::KeyRecord& record, const trust::PublicKey& key,
                    int64_t time_ms) {
  trust::LogLeaf leaf;
  leaf.kind = std::string(kind);
  leaf.tenant = record.tenant();
  leaf.object = "keys/" + record.key_id();
  leaf.envelope_digest = trust::KeyLeafDigest(key);
  leaf.timestamp_ms = time_ms;
  return trust::EncodeLogLeaf(leaf);
}

class KeyRoutes {
 public:
  explicit KeyRoutes(ApiServices& api) : store_(api.store()) {}

  StatusOr<Response> RegisterKey(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(body, {"publicKeyPem", "public_key_pem", "label"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string pem, RequiredString(body, {"publicKeyPem", "public_key_pem"}));
    DOSSIER_ASSIGN_OR_RETURN(auto label, OptionalString(body, {"label"}));
    auto key = trust::PublicKey::FromPem(pem);
    if (!key.ok()) return key.status().WithFieldPrefix("publicKeyPem");
    const int64_t now = NowMs();
    storage::KeyRecord record;
    record.set_tenant(tenant);
    record.set_key_id(key->KeyId());
    record.set_public_key_pem(key->Pem());
    record.set_algorithm(std::string(trust::KeyAlgorithmName(key->algorithm())));
    record.set_label(label.value_or(""));
    record.set_created_ms(now);
    DOSSIER_ASSIGN_OR_RETURN(
        record, store_.RegisterKey(record, KeyLeaf(trust::kLeafKindKeyRegistered, record, *key, now)));
    return Response::Json(201, json::serialize(KeyJson(record)));
  }

  StatusOr<Response> ListKeys(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto keys, store_.ListKeys(c.Param("t")));
    json::array items;
    for (const auto& k : keys) items.push_back(KeyJson(k));
    return Response::Json(200, json::serialize(json::object{{"keys", std::move(items)}}));
  }

  StatusOr<Response> GetKey(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(auto key, store_.GetKey(c.Param("t"), c.Param("k")));
    return Response::Json(200, json::serialize(KeyJson(key)));
  }

  // The body is optional: without one the key is revoked from now.
  StatusOr<Response> RevokeKey(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    int64_t revoked_ms = NowMs();
    if (!c.request.body.empty()) {
      DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
      DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
      DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(body, {"revokedAt", "revoked_at"}));
      DOSSIER_ASSIGN_OR_RETURN(auto at, OptionalString(body, {"revokedAt", "revoked_at"}));
      if (at) {
        DOSSIER_ASSIGN_OR_RETURN(revoked_ms, ParseTime(*at, "revokedAt"));
      }
    }
    DOSSIER_ASSIGN_OR_RETURN(auto existing, store_.GetKey(tenant, c.Param("k")));
    auto key = trust::PublicKey::FromPem(existing.public_key_pem());
    if (!key.ok()) return Internal("stored key does not parse");
    DOSSIER_ASSIGN_OR_RETURN(
        auto record, store_.RevokeKey(tenant, c.Param("k"), revoked_ms,
                                      KeyLeaf(trust::kLeafKindKeyRevoked, existing, *key, revoked_ms)));
    return Response::Json(200, json::serialize(KeyJson(record)));
  }

 private:
  storage::Store& store_;
};

}  // namespace

void AddKeyRoutes(ApiServices& services) {
  services.AddSchema("KeyRegister", R"json({"type":"object","required":["publicKeyPem"],
    "properties":{"publicKeyPem":{"type":"string","description":"Ed25519 or P-256 SubjectPublicKeyInfo, PEM"},
      "label":{"type":"string"}}})json");
  services.AddSchema("Key",
                     R"json({"type":"object","required":["keyId","algorithm","publicKeyPem","logIndex"],
    "properties":{"keyId":{"type":"string"},"algorithm":{"type":"string"},"label":{"type":"string"},
      "publicKeyPem":{"type":"string"},"createdAt":{"type":"string","format":"date-time"},
      "logIndex":{"type":"integer"},"revokedAt":{"type":"string","format":"date-time"},
      "revokedLogIndex":{"type":"integer"}}})json");
  services.AddSchema("KeyList", R"json({"type":"object","required":["keys"],
    "properties":{"keys":{"type":"array","items":{"$ref":"#/components/schemas/Key"}}}})json");
  services.AddSchema("KeyRevoke", R"json({"type":"object",
    "properties":{"revokedAt":{"type":"string","format":"date-time",
      "description":"when the revocation takes effect (default now; earlier for a compromised key)"}}})json");
  auto routes = std::make_shared<KeyRoutes>(services);
  services.AddRoute(
      {.method = "POST",
       .pattern = "/v1/tenants/{t}/keys",
       .access = Access::kTenantAdmin,
       .summary = "Register a signing public key (PEM)",
       .tag = "keys",
       .handler = Bind(routes, &KeyRoutes::RegisterKey),
       .request_example =
           R"({"publicKeyPem":"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAT343DkaxYKLdfD9RMnMdf2pMKyId4D1Ap1ODdIi6WRk=\n-----END PUBLIC KEY-----\n","label":"release signing"})",
       .request_schema = "KeyRegister",
       .response_schema = "Key"});
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/tenants/{t}/keys",
                     .access = Access::kTenantViewer,
                     .summary = "List signing keys",
                     .tag = "keys",
                     .handler = Bind(routes, &KeyRoutes::ListKeys),
                     .response_schema = "KeyList"});
  services.AddRoute({.method = "GET",
                     .pattern = "/v1/tenants/{t}/keys/{k}",
                     .access = Access::kTenantViewer,
                     .summary = "Get a signing key",
                     .tag = "keys",
                     .handler = Bind(routes, &KeyRoutes::GetKey),
                     .response_schema = "Key"});
  services.AddRoute({.method = "POST",
                     .pattern = "/v1/tenants/{t}/keys/{k}:revoke",
                     .access = Access::kTenantAdmin,
                     .summary = "Revoke a signing key from a time",
                     .tag = "keys",
                     .handler = Bind(routes, &KeyRoutes::RevokeKey),
                     .request_example = R"({"revokedAt":"2026-11-29T08:00:00Z"})",
                     .request_schema = "KeyRevoke",
                     .response_schema = "Key"});
}

}  // namespace dossier::server
