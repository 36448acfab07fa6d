#include "server/api.h"

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <unistd.h>

#include "schema/diff.h"
#include "schema/dossier_codec.h"
#include "schema/toc.h"
#include "schema/validate.h"
#include "server/api_services.h"
#include "server/audit.h"
#include "server/bounded_cache.h"
#include "server/rate_limiter.h"
#include "server/content_kinds.h"
#include "server/log_evidence.h"
#include "server/json_util.h"
#include "server/problem.h"
#include "trust/bundle.h"
#include "trust/checkpoint.h"
#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/encoding.h"
#include "trust/log_leaf.h"
#include "trust/merkle.h"
#include "trust/statement.h"

namespace dossier::server {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return out;
}

// Tokens: "dxt_" + 32 random bytes, base64url. The prefix lets secret scanners
// recognise a leaked token.
constexpr std::string_view kTokenPrefix = "dxt_";

std::string NewTokenSecret() { return std::string(kTokenPrefix) + trust::Base64UrlEncode(RandomBytes(32)); }
std::string NewTokenId() { return "tok_" + trust::HexEncode(RandomBytes(8)); }

Status WriteSecretFile(const fs::path& path, std::string_view contents) {
  const std::string tmp = path.string() + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Unavailable("cannot write " + tmp, "io-error");
  ::fchmod(fileno(f), 0600);
  bool ok = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size();
  ok = std::fflush(f) == 0 && ok;
  ok = ::fsync(fileno(f)) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return Unavailable("cannot write " + tmp, "io-error");
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Unavailable("cannot rename " + tmp + ": " + ec.message(), "io-error");
  return Status::Ok();
}

StatusOr<std::string> ReadFile(const fs::path& path, uint64_t limit) {
  std::error_code ec;
  const uint64_t size = fs::file_size(path, ec);
  if (ec) return Unavailable("cannot stat " + path.string() + ": " + ec.message(), "io-error");
  if (size > limit) return InvalidArgument("content is larger than this server parses", "body-too-large");
  std::ifstream in(path, std::ios::binary);
  std::string out(size, '\0');
  in.read(out.data(), static_cast<std::streamsize>(size));
  if (!in) return Unavailable("cannot read " + path.string(), "io-error");
  return out;
}

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

json::object ObjectJson(const storage::ObjectRecord& o) {
  json::object out;
  out["id"] = o.id();
  if (!o.title().empty()) out["title"] = o.title();
  if (!o.attributes_json().empty()) {
    boost::system::error_code ec;
    json::value attrs = json::parse(o.attributes_json(), ec);
    if (!ec && attrs.is_object()) {
      for (auto& [k, v] : attrs.as_object()) out[k] = v;
    }
  }
  out["headVersion"] = o.head_version();
  if (!o.head_digest().empty()) out["headDigest"] = o.head_digest();
  out["createdAt"] = FormatTime(o.created_ms());
  out["updatedAt"] = FormatTime(o.updated_ms());
  return out;
}

json::object VersionSummaryJson(const storage::VersionRecord& v) {
  json::object o;
  o["version"] = v.version();
  o["digest"] = v.content_digest();
  o["parentDigest"] = v.parent_digest();
  o["mediaType"] = v.media_type();
  o["signerKeyId"] = v.signer_key_id();
  o["logIndex"] = v.log_index();
  o["createdAt"] = FormatTime(v.created_ms());
  if (!v.message().empty()) o["message"] = v.message();
  return o;
}

std::string EtagFor(const storage::ObjectRecord& o) {
  return "\"" + (o.head_digest().empty() ? std::string("empty") : o.head_digest()) + "\"";
}

StatusOr<uint64_t> ParseUintParam(std::string_view text, std::string_view field) {
  if (text.empty() || text.size() > 19) {
    return InvalidArgument("must be a non-negative integer", "bad-parameter", std::string(field));
  }
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return InvalidArgument("must be a non-negative integer", "bad-parameter", std::string(field));
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

Status RequireJsonBody(const Request& r) {
  std::string_view type = r.Header("content-type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type == "application/json" || (type.size() > 5 && type.substr(type.size() - 5) == "+json")) {
    return Status::Ok();
  }
  return InvalidArgument("send the body as application/json (got \"" + std::string(type) + "\")",
                         "unsupported-media-type");
}

// Client certificates authenticate as a credential whose "secret" is the
// certificate's SPKI hash; the store finds it like a token, by hash.
std::string ClientCertificateSecretHash(std::string_view spki_sha256_hex) {
  return trust::Sha256("mtls:" + std::string(spki_sha256_hex));
}

StatusOr<std::string> SpkiSha256OfCertificate(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (cert == nullptr) return InvalidArgument("not a PEM certificate", "bad-certificate", "certificatePem");
  unsigned char* der = nullptr;
  const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  X509_free(cert);
  if (len <= 0) return InvalidArgument("the certificate has no public key", "bad-certificate", "certificatePem");
  std::string spki(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return trust::HexEncode(trust::Sha256(spki));
}

json::array HashesJson(const std::vector<std::string>& hashes) {
  json::array a;
  for (const auto& h : hashes) a.emplace_back(trust::Base64Encode(h));
  return a;
}

}  // namespace

// ---------------------------------------------------------------- bootstrap

StatusOr<LogIdentity> LoadOrCreateLogIdentity(const ServerOptions& options) {
  const fs::path path = options.data_dir / "log-key.pem";
  std::error_code ec;
  auto key = [&]() -> StatusOr<trust::PrivateKey> {
    if (fs::exists(path, ec)) {
      DOSSIER_ASSIGN_OR_RETURN(std::string pem, ReadFile(path, 1 << 16));
      auto loaded = trust::PrivateKey::FromPem(pem);
      if (!loaded.ok()) return loaded.status().Annotate("log key " + path.string());
      return loaded;
    }
    DOSSIER_ASSIGN_OR_RETURN(auto created, trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519));
    DOSSIER_RETURN_IF_ERROR(WriteSecretFile(path, created.Pem()));
    return created;
  }();
  if (!key.ok()) return key.status();
  LogIdentity identity{std::move(key).value(), ""};
  identity.origin = options.log_origin.empty()
                        ? "dossier-exchange/" + identity.key.public_key().KeyId().substr(0, 16)
                        : options.log_origin;
  return identity;
}

StatusOr<std::optional<std::string>> BootstrapOperator(storage::Store& store, const fs::path& data_dir) {
  DOSSIER_ASSIGN_OR_RETURN(auto done, store.GetSetting("operator-bootstrapped"));
  if (done) return std::optional<std::string>();
  const std::string secret = NewTokenSecret();
  storage::TokenRecord token;
  token.set_id(NewTokenId());
  token.set_role(std::string(RoleName(Role::kOperator)));
  token.set_label("operator (created at first start)");
  token.set_secret_hash(trust::Sha256(secret));
  token.set_created_ms(NowMs());
  DOSSIER_RETURN_IF_ERROR(store.PutToken(token));
  DOSSIER_RETURN_IF_ERROR(WriteSecretFile(data_dir / "operator.token", secret + "\n"));
  DOSSIER_RETURN_IF_ERROR(store.PutSetting("operator-bootstrapped", token.id()));
  return std::optional<std::string>(secret);
}

// --------------------------------------------------------------------- impl

struct Api::Impl final : ApiServices {
  Router& router;
  storage::Store& store_;
  const ServerOptions& opts;
  LogIdentity log;
  trust::PublicKey log_public;
  std::string log_verifier_key;
  std::vector<ContentKind> kinds;

  // Metrics.
  std::atomic<uint64_t> requests_total{0};
  std::array<std::atomic<uint64_t>, 6> responses_by_class{};  // 1xx..5xx
  std::atomic<uint64_t> commits_total{0};

  AuditLog audit;
  RateLimiter limiter;

  // "tenant/keyid" -> parsed key. 4096 keys (a few hundred bytes each) cover
  // every signer of a busy node; an evicted key is only parsed again.
  static constexpr size_t kKeyCacheEntries = 4096;
  BoundedCache<trust::PublicKey> key_cache{kKeyCacheEntries};

  // "tenant/kind/id/version/format" -> the rendered body of GET …/versions/{n}
  // (format "json" or "pb"). A version is immutable, so its rendering never
  // goes stale; only bodies up to kRenderedVersionMaxBytes are kept, so the
  // cache holds at most 1024 × 64 KiB. Rendering parses the content and
  // re-serialises it, which made this route 0.09× of nginx (PERFORMANCE.md).
  static constexpr size_t kRenderedVersionEntries = 1024;
  static constexpr size_t kRenderedVersionMaxBytes = 64u << 10;
  BoundedCache<std::shared_ptr<const std::string>> rendered_versions{kRenderedVersionEntries};

  // The latest checkpoint, signed on demand when the log has grown.
  std::mutex checkpoint_mu;
  uint64_t checkpoint_size = UINT64_MAX;
  std::string checkpoint_note;

  Impl(Router& r, storage::Store& s, const ServerOptions& o, LogIdentity l)
      : router(r),
        store_(s),
        opts(o),
        log(std::move(l)),
        log_public(log.key.public_key()),
        audit(s),
        limiter(o.rate_limit_per_second, o.rate_limit_burst) {
    log_verifier_key = trust::NoteVerifierKey(log.origin, log_public);
    kinds = BuiltInContentKinds();
  }

  // ------------------------------------------------------------- auth
  StatusOr<std::optional<Principal>> Authenticate(const Request& r) {
    std::string_view header = r.Header("authorization");
    if (header.empty() && !r.client_spki_sha256.empty()) {
      // A verified client certificate (the TLS layer checked it against the CA).
      auto cert = store_.GetTokenBySecretHash(ClientCertificateSecretHash(r.client_spki_sha256));
      if (!cert.ok()) return Unauthenticated("this client certificate is not registered", "bad-credentials");
      return PrincipalFor(*cert);
    }
    if (header.empty()) return std::optional<Principal>();
    constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size() || header.substr(0, kBearer.size()) != kBearer) {
      return Unauthenticated("Authorization must be \"Bearer <token>\"", "bad-credentials");
    }
    std::string_view secret = header.substr(kBearer.size());
    const std::string hash = trust::Sha256(secret);
    auto token = store_.GetTokenBySecretHash(hash);
    if (!token.ok()) {
      if (token.status().code() == StatusCode::kNotFound) {
        return Unauthenticated("the token is not valid", "bad-credentials");
      }
      return token.status();
    }
    // Found by hash already; compare again in constant time as defence in depth.
    if (token->secret_hash().size() != hash.size() ||
        CRYPTO_memcmp(token->secret_hash().data(), hash.data(), hash.size()) != 0) {
      return Unauthenticated("the token is not valid", "bad-credentials");
    }
    return PrincipalFor(*token);
  }

  StatusOr<std::optional<Principal>> PrincipalFor(const storage::TokenRecord& record) {
    const storage::TokenRecord* token = &record;
    const int64_t now = NowMs();
    if (token->revoked_ms() != 0 && token->revoked_ms() <= now) {
      return Unauthenticated("the credential was revoked", "token-revoked");
    }
    if (token->expires_ms() != 0 && token->expires_ms() <= now) {
      return Unauthenticated("the token has expired", "token-expired");
    }
    Principal p;
    p.token_id = token->id();
    p.tenant = token->tenant();
    if (token->role() == RoleName(Role::kOperator)) {
      p.role = Role::kOperator;
    } else {
      auto role = ParseTenantRole(token->role());
      if (!role.ok()) return Internal("stored token has an unknown role");
      p.role = *role;
    }
    return std::optional<Principal>(std::move(p));
  }

  // ApiServices.
  storage::Store& store() override { return store_; }
  const ServerOptions& options() const override { return opts; }
  void AddRoute(Route route) override { router.Add(std::move(route)); }
  boost::json::object VersionJson(const storage::VersionRecord& v) override { return VersionSummaryJson(v); }

  const ContentKind* KindByCollection(std::string_view collection) const override {
    for (const auto& k : kinds) {
      if (k.collection == collection) return &k;
    }
    return nullptr;
  }

  size_t PageSize(const Request& r) const override {
    auto text = r.Query("page_size");
    if (!text) text = r.Query("pageSize");
    if (!text) return opts.default_page_size;
    auto v = ParseUintParam(*text, "page_size");
    if (!v.ok() || *v == 0) return opts.default_page_size;
    return std::min<size_t>(*v, opts.max_page_size);
  }
  std::string PageToken(const Request& r) const override {
    auto t = r.Query("page_token");
    if (!t) t = r.Query("pageToken");
    return t.value_or("");
  }

  // ------------------------------------------------------------ tenants
  StatusOr<Response> CreateTenant(RouteContext& c) {
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(body, {"id", "displayName", "display_name", "kind", "jurisdiction"}));
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

  // ------------------------------------------------------------- tokens
  StatusOr<Response> CreateToken(RouteContext& c) {
    const std::string& tenant = c.Param("t");
    DOSSIER_RETURN_IF_ERROR(store_.GetTenant(tenant).status());
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(body, {"role", "label", "expiresAt", "expires_at", "ttlSeconds", "ttl_seconds"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string role_name, RequiredString(body, {"role"}));
    DOSSIER_ASSIGN_OR_RETURN(Role role, ParseTenantRole(role_name));
    DOSSIER_ASSIGN_OR_RETURN(auto label, OptionalString(body, {"label"}));
    DOSSIER_ASSIGN_OR_RETURN(auto expires_at, OptionalString(body, {"expiresAt", "expires_at"}));
    DOSSIER_ASSIGN_OR_RETURN(auto ttl, OptionalUint(body, {"ttlSeconds", "ttl_seconds"}));
    const int64_t now = NowMs();
    int64_t expires_ms = 0;
    if (expires_at) {
      DOSSIER_ASSIGN_OR_RETURN(expires_ms, ParseTime(*expires_at, "expiresAt"));
      if (expires_ms <= now) return InvalidArgument("must be in the future", "bad-time", "expiresAt");
    } else if (ttl) {
      if (*ttl == 0 || *ttl > 10ull * 365 * 86400) {
        return InvalidArgument("must be between 1 s and 10 years", "bad-parameter", "ttlSeconds");
      }
      expires_ms = now + static_cast<int64_t>(*ttl) * 1000;
    }
    const std::string secret = NewTokenSecret();
    storage::TokenRecord token;
    token.set_id(NewTokenId());
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
    std::string spki_hex;
    if (pem) {
      DOSSIER_ASSIGN_OR_RETURN(spki_hex, SpkiSha256OfCertificate(*pem));
    } else if (spki) {
      auto raw = trust::HexDecode(*spki);
      if (!raw.ok() || raw->size() != 32) {
        return InvalidArgument("must be 64 hex digits", "bad-digest", "spkiSha256");
      }
      spki_hex = trust::HexEncode(*raw);
    } else {
      return InvalidArgument("give certificatePem or spkiSha256", "missing-field", "certificatePem");
    }
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

  // --------------------------------------------------------------- keys
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
    trust::LogLeaf leaf;
    leaf.kind = "key-registered";
    leaf.tenant = tenant;
    leaf.object = "keys/" + record.key_id();
    leaf.envelope_digest = trust::DigestRef(trust::Sha256(key->SpkiDer()));
    leaf.timestamp_ms = now;
    DOSSIER_ASSIGN_OR_RETURN(record, store_.RegisterKey(record, trust::EncodeLogLeaf(leaf)));
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
    trust::LogLeaf leaf;
    leaf.kind = "key-revoked";
    leaf.tenant = tenant;
    leaf.object = "keys/" + existing.key_id();
    auto key = trust::PublicKey::FromPem(existing.public_key_pem());
    if (!key.ok()) return Internal("stored key does not parse");
    leaf.envelope_digest = trust::DigestRef(trust::Sha256(key->SpkiDer()));
    leaf.timestamp_ms = revoked_ms;
    DOSSIER_ASSIGN_OR_RETURN(auto record, store_.RevokeKey(tenant, c.Param("k"), revoked_ms, trust::EncodeLogLeaf(leaf)));
    return Response::Json(200, json::serialize(KeyJson(record)));
  }

  // -------------------------------------------------------------- blobs
  StatusOr<std::string> BlobDigestParam(RouteContext& c) {
    std::string digest = "sha256:" + c.Param("hex");
    if (!trust::IsDigestRef(digest)) {
      return InvalidArgument("a blob is named sha256: and 64 lowercase hex digits", "bad-digest", "digest");
    }
    return digest;
  }

  StatusOr<Response> PutBlob(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(std::string digest, BlobDigestParam(c));
    if (c.request.body_file.empty()) return InvalidArgument("the upload has no body", "length-required");
    const bool existed = store_.GetBlob(c.Param("t"), digest).ok();
    DOSSIER_ASSIGN_OR_RETURN(auto blob, store_.AdoptBlob(c.Param("t"), digest, c.request.body_file));
    json::object out{{"digest", blob.digest()}, {"size", blob.size()}, {"createdAt", FormatTime(blob.created_ms())}};
    Response r = Response::Json(existed ? 200 : 201, json::serialize(out));
    r.headers.emplace_back("Location", c.request.path);
    return r;
  }

  StatusOr<Response> GetBlob(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(std::string digest, BlobDigestParam(c));
    return ServeBlob(c.request, c.Param("t"), digest);
  }

  StatusOr<Response> ServeBlob(const Request& request, const std::string& tenant,
                               const std::string& digest) override {
    DOSSIER_ASSIGN_OR_RETURN(std::shared_ptr<storage::BlobReader> blob, store_.OpenBlob(tenant, digest));
    Response r;
    r.content_type = "application/octet-stream";
    r.headers.emplace_back("Accept-Ranges", "bytes");
    r.headers.emplace_back("ETag", "\"" + digest + "\"");
    r.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
    r.head_only = request.method == "HEAD";
    const uint64_t size = blob->size();
    uint64_t first = 0, length = size;
    std::string_view range = request.Header("range");
    if (!range.empty()) {
      auto parsed = ParseRange(range, size);
      if (!parsed.ok()) {
        Response bad = ProblemResponse(parsed.status(), request.path);
        bad.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
        return bad;
      }
      if (parsed->has_value()) {
        first = (*parsed)->first;
        length = (*parsed)->second - first + 1;
        r.status = 206;
        r.headers.emplace_back("Content-Range", "bytes " + std::to_string(first) + "-" +
                                                    std::to_string(first + length - 1) + "/" + std::to_string(size));
      }
    }
    // The chunk holding the first byte is verified here, before any header
    // is sent, so a damaged blob answers a problem (500 "blob-corrupt"). A
    // range within that chunk (every blob up to storage::kBlobChunkBytes)
    // is answered from the verified bytes; a longer one streams from the
    // reader, which verifies each further chunk before sending it.
    DOSSIER_ASSIGN_OR_RETURN(std::string_view head, blob->Read(first, length));
    if (head.size() == length) {
      r.body = std::string(head);
      return r;
    }
    r.file = FileSlice{blob->path(), first, length, std::move(blob)};
    return r;
  }

  // Parses a single "bytes=" range; nullopt for forms we serve whole (several ranges).
  static StatusOr<std::optional<std::pair<uint64_t, uint64_t>>> ParseRange(std::string_view header, uint64_t size) {
    using Result = std::optional<std::pair<uint64_t, uint64_t>>;
    const Status unsatisfiable = Status(StatusCode::kOutOfRange, "the range is outside the document",
                                        "range-not-satisfiable");
    if (header.substr(0, 6) != "bytes=") return Result();
    std::string_view spec = header.substr(6);
    if (spec.find(',') != std::string_view::npos) return Result();
    size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return unsatisfiable;
    auto num = [](std::string_view s) -> std::optional<uint64_t> {
      if (s.empty() || s.size() > 19) return std::nullopt;
      uint64_t v = 0;
      for (char ch : s) {
        if (ch < '0' || ch > '9') return std::nullopt;
        v = v * 10 + static_cast<uint64_t>(ch - '0');
      }
      return v;
    };
    std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
    if (a.empty()) {  // suffix range: the last N bytes
      auto n = num(b);
      if (!n || *n == 0 || size == 0) return unsatisfiable;
      uint64_t len = std::min(*n, size);
      return Result(std::make_pair(size - len, size - 1));
    }
    auto first = num(a);
    if (!first || *first >= size) return unsatisfiable;
    uint64_t last = size - 1;
    if (!b.empty()) {
      auto l = num(b);
      if (!l || *l < *first) return unsatisfiable;
      last = std::min(*l, size - 1);
    }
    return Result(std::make_pair(*first, last));
  }

  // ----------------------------------------------------- versioned objects
  StatusOr<Response> CreateObject(RouteContext& c, const ContentKind& kind) {
    const std::string& tenant = c.Param("t");
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(c.request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.request.body));
    std::vector<std::string_view> allowed = {"id", "title"};
    for (const auto& a : kind.create_attributes) allowed.push_back(a);
    for (const auto& member : body) {
      if (std::find(allowed.begin(), allowed.end(), std::string_view(member.key())) == allowed.end()) {
        return InvalidArgument("unknown member \"" + std::string(member.key()) + "\"", "unknown-field",
                               std::string(member.key()));
      }
    }
    DOSSIER_ASSIGN_OR_RETURN(std::string id, RequiredString(body, {"id"}));
    DOSSIER_RETURN_IF_ERROR(ValidateId(id, "id"));
    DOSSIER_ASSIGN_OR_RETURN(auto title, OptionalString(body, {"title"}));
    json::object attributes;
    for (const auto& a : kind.create_attributes) {
      DOSSIER_ASSIGN_OR_RETURN(auto value, OptionalString(body, {a}));
      if (!value) return InvalidArgument("is required", "missing-field", a);
      // Attributes name other objects of the same tenant (a change plan's dossier).
      DOSSIER_RETURN_IF_ERROR(ValidateId(*value, a));
      auto target = store_.GetObject(tenant, "dossiers", *value);
      if (!target.ok()) {
        return InvalidArgument("no dossier \"" + *value + "\" in this tenant", "unknown-reference", a);
      }
      attributes[a] = *value;
    }
    storage::ObjectRecord record;
    record.set_tenant(tenant);
    record.set_kind(kind.collection);
    record.set_id(id);
    record.set_title(title.value_or(""));
    if (!attributes.empty()) record.set_attributes_json(json::serialize(attributes));
    DOSSIER_ASSIGN_OR_RETURN(record, store_.CreateObject(record));
    Response r = Response::Json(201, json::serialize(ObjectJson(record)));
    r.headers.emplace_back("Location", "/v1/tenants/" + tenant + "/" + kind.collection + "/" + id);
    r.headers.emplace_back("ETag", EtagFor(record));
    return r;
  }

  StatusOr<Response> ListObjects(RouteContext& c, const ContentKind& kind) {
    DOSSIER_ASSIGN_OR_RETURN(auto page, store_.ListObjects(c.Param("t"), kind.collection, PageToken(c.request),
                                                          PageSize(c.request)));
    json::array items;
    for (const auto& o : page.items) items.push_back(ObjectJson(o));
    json::object out;
    out[kind.list_member] = std::move(items);
    if (!page.next_page_token.empty()) out["nextPageToken"] = page.next_page_token;
    return Response::Json(200, json::serialize(out));
  }

  StatusOr<Response> GetObject(RouteContext& c, const ContentKind& kind) {
    DOSSIER_ASSIGN_OR_RETURN(auto o, store_.GetObject(c.Param("t"), kind.collection, c.Param("d")));
    const std::string etag = EtagFor(o);
    if (c.request.Header("if-none-match") == etag) {
      Response r;
      r.status = 304;
      r.headers.emplace_back("ETag", etag);
      return r;
    }
    Response r = Response::Json(200, json::serialize(ObjectJson(o)));
    r.headers.emplace_back("ETag", etag);
    return r;
  }

  StatusOr<Response> CommitVersion(RouteContext& c, const ContentKind& kind) {
    SignedCommitRequest request;
    request.tenant = c.Param("t");
    request.kind = kind.collection;
    request.id = c.Param("d");
    request.object_name = kind.collection + "/" + request.id;
    request.content_kind = &kind;
    request.request = &c.request;
    DOSSIER_ASSIGN_OR_RETURN(SignedCommitResult result, CommitSigned(request));
    return CommitResponse(result.replayed ? 200 : 201, result.version, result.leaf_hash);
  }

  StatusOr<SignedCommitResult> CommitSigned(const SignedCommitRequest& spec) override {
    const std::string& tenant = spec.tenant;
    const std::string& id = spec.id;
    const ContentKind& kind = *spec.content_kind;
    const Request& http_request = *spec.request;
    DOSSIER_RETURN_IF_ERROR(RequireJsonBody(http_request));
    DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(http_request.body));
    DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(
        body, {"contentDigest", "content_digest", "mediaType", "media_type", "envelope", "message"}));
    DOSSIER_ASSIGN_OR_RETURN(std::string content_digest, RequiredString(body, {"contentDigest", "content_digest"}));
    if (!trust::IsDigestRef(content_digest)) {
      return InvalidArgument("must be sha256: followed by 64 lowercase hex digits", "bad-digest", "contentDigest");
    }
    DOSSIER_ASSIGN_OR_RETURN(std::string media_type, RequiredString(body, {"mediaType", "media_type"}));
    DOSSIER_ASSIGN_OR_RETURN(auto message, OptionalString(body, {"message"}));
    auto envelope_it = body.find("envelope");
    if (envelope_it == body.end()) return InvalidArgument("is required", "missing-field", "envelope");
    auto envelope = trust::EnvelopeFromJson(envelope_it->value());
    if (!envelope.ok()) return envelope.status().WithFieldPrefix("envelope");

    // The object, and optimistic concurrency against its ETag.
    DOSSIER_ASSIGN_OR_RETURN(auto object, store_.GetObject(tenant, spec.kind, id));
    std::string_view if_match = http_request.Header("if-match");
    if (!if_match.empty() && if_match != "*" && if_match != EtagFor(object)) {
      return FailedPrecondition("If-Match " + std::string(if_match) + " is not the current ETag " + EtagFor(object),
                                "etag-mismatch");
    }

    // The statement must say exactly what the request says.
    if (envelope->payload_type != trust::kStatementPayloadType) {
      return InvalidArgument("payloadType must be " + std::string(trust::kStatementPayloadType), "bad-statement",
                             "envelope.payloadType");
    }
    auto statement = trust::ParseStatement(envelope->payload);
    if (!statement.ok()) return statement.status().WithFieldPrefix("envelope.payload");
    const std::string& object_name = spec.object_name;
    auto mismatch = [](std::string what, std::string field) {
      return InvalidArgument("the signed statement's " + what + " does not match the request", "statement-mismatch",
                             "envelope.payload." + field);
    };
    if (statement->tenant != tenant) return mismatch("tenant", "tenant");
    if (statement->object != object_name) return mismatch("object (expected \"" + object_name + "\")", "object");
    if (statement->content_digest != content_digest) return mismatch("contentDigest", "contentDigest");
    if (statement->media_type != media_type) return mismatch("mediaType", "mediaType");

    // A retried commit that already landed answers as it did the first time.
    if (statement->version == object.head_version() && object.head_version() > 0) {
      auto head = store_.GetVersion(tenant, spec.kind, id, object.head_version());
      if (head.ok() && head->content_digest() == content_digest &&
          head->envelope_json() == trust::SerializeEnvelope(*envelope)) {
        return SignedCommitResult{*head, trust::LeafHash(head->leaf_data()), true};
      }
    }
    if (statement->version != object.head_version() + 1) {
      return FailedPrecondition("the statement is for version " + std::to_string(statement->version) +
                                    " but the next version is " + std::to_string(object.head_version() + 1),
                                "version-mismatch");
    }
    if (statement->parent_digest != object.head_digest()) {
      return FailedPrecondition("the statement's parentDigest is not the head (" +
                                    (object.head_digest().empty() ? std::string("none") : object.head_digest()) + ")",
                                "parent-mismatch");
    }

    // The content: present, parseable, valid, and every document it names present.
    DOSSIER_ASSIGN_OR_RETURN(auto format, schema::FormatOfMediaType(media_type, kind.media_base));
    auto content = store_.ReadBlob(tenant, content_digest, opts.max_content_bytes);
    if (content.status().code() == StatusCode::kNotFound) {
      return InvalidArgument("upload the content as a blob first: " + content_digest + " is not stored",
                             "missing-blob", "contentDigest");
    }
    if (!content.ok()) return ContentReadError(content.status());
    auto parsed = kind.parse(*content, format);
    if (!parsed.ok()) return parsed.status().WithFieldPrefix("content");
    if (spec.check_content) DOSSIER_RETURN_IF_ERROR(spec.check_content(*parsed).WithFieldPrefix("content"));
    for (const auto& [path, digest] : parsed->referenced_blobs) {
      if (!store_.GetBlob(tenant, digest).ok()) {
        return InvalidArgument("document " + digest + " is not uploaded", "missing-blob", "content." + path);
      }
    }

    // The signature, by a registered key of this tenant that is not revoked.
    DOSSIER_ASSIGN_OR_RETURN(storage::KeyRecord signer, FindSigner(tenant, *envelope));

    const int64_t now = NowMs();
    const std::string envelope_json = trust::SerializeEnvelope(*envelope);
    trust::LogLeaf leaf;
    leaf.kind = "version";
    leaf.tenant = tenant;
    leaf.object = object_name;
    leaf.version = statement->version;
    leaf.content_digest = content_digest;
    leaf.envelope_digest = trust::DigestRef(trust::Sha256(envelope_json));
    leaf.timestamp_ms = now;

    storage::VersionRecord version;
    version.set_tenant(tenant);
    version.set_kind(spec.kind);
    version.set_id(id);
    version.set_version(statement->version);
    version.set_content_digest(content_digest);
    version.set_media_type(media_type);
    version.set_parent_digest(statement->parent_digest);
    version.set_envelope_json(envelope_json);
    version.set_signer_key_id(signer.key_id());
    version.set_leaf_data(trust::EncodeLogLeaf(leaf));
    version.set_created_ms(now);
    version.set_message(message.value_or(""));
    DOSSIER_ASSIGN_OR_RETURN(storage::CommitResult committed, store_.CommitVersion(version));
    ++commits_total;
    return SignedCommitResult{std::move(committed.version), std::move(committed.log.leaf_hash), false};
  }

  // A registered key parsed once. Parsing PEM through OpenSSL 3's decoders
  // was more than half of every commit's CPU (docs/PERFORMANCE.md). The key id
  // is the SPKI's hash, so an entry never goes stale; revocation is read from
  // the record on every use, not cached.
  StatusOr<trust::PublicKey> ParsedKey(const storage::KeyRecord& record) {
    return key_cache.GetOrCompute(record.tenant() + "/" + record.key_id(),
                                  [&] { return trust::PublicKey::FromPem(record.public_key_pem()); });
  }

  StatusOr<storage::KeyRecord> FindSigner(const std::string& tenant, const trust::DsseEnvelope& envelope) {
    if (envelope.signatures.empty()) {
      return InvalidArgument("the envelope has no signature", "signature-invalid", "envelope.signatures");
    }
    // keyid is only a hint: try the hinted keys first, then every key of the tenant.
    DOSSIER_ASSIGN_OR_RETURN(auto keys, store_.ListKeys(tenant));
    std::stable_sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
      auto hinted = [&](const storage::KeyRecord& k) {
        for (const auto& s : envelope.signatures) {
          if (s.keyid == k.key_id()) return true;
        }
        return false;
      };
      return hinted(a) && !hinted(b);
    });
    const int64_t now = NowMs();
    bool revoked_match = false;
    for (const auto& record : keys) {
      auto key = ParsedKey(record);
      if (!key.ok()) continue;
      if (!trust::VerifyEnvelope(envelope, *key).ok()) continue;
      if (record.revoked_ms() != 0 && record.revoked_ms() <= now) {
        revoked_match = true;
        continue;
      }
      return record;
    }
    if (revoked_match) {
      return InvalidArgument("the envelope is signed by a revoked key", "key-revoked", "envelope.signatures");
    }
    if (keys.empty()) {
      return InvalidArgument("this tenant has no registered key", "unknown-key", "envelope.signatures");
    }
    return InvalidArgument("no registered key of this tenant verifies the signature", "signature-invalid",
                           "envelope.signatures");
  }

  json::object Receipt(uint64_t log_index, const std::string& leaf_hash) {
    json::object receipt;
    receipt["logIndex"] = log_index;
    receipt["leafHash"] = trust::Base64Encode(leaf_hash);
    receipt["origin"] = log.origin;
    auto sig = log.key.Sign(trust::ReceiptMessage(log.origin, log_index, leaf_hash));
    receipt["signature"] = sig.ok() ? trust::Base64Encode(*sig) : std::string();
    receipt["keyId"] = log_public.KeyId();
    return receipt;
  }

  Response CommitResponse(int status, const storage::VersionRecord& v, const std::string& leaf_hash) override {
    json::object out = VersionSummaryJson(v);
    out["receipt"] = Receipt(v.log_index(), leaf_hash);
    Response r = Response::Json(status, json::serialize(out));
    r.headers.emplace_back("Location", "/v1/tenants/" + v.tenant() + "/" + v.kind() + "/" + v.id() + "/versions/" +
                                           std::to_string(v.version()));
    return r;
  }

  StatusOr<Response> ListVersions(RouteContext& c, const ContentKind& kind) {
    DOSSIER_RETURN_IF_ERROR(store_.GetObject(c.Param("t"), kind.collection, c.Param("d")).status());
    DOSSIER_ASSIGN_OR_RETURN(auto page, store_.ListVersions(c.Param("t"), kind.collection, c.Param("d"),
                                                           PageToken(c.request), PageSize(c.request)));
    json::array items;
    for (const auto& v : page.items) items.push_back(VersionSummaryJson(v));
    json::object out{{"versions", std::move(items)}};
    if (!page.next_page_token.empty()) out["nextPageToken"] = page.next_page_token;
    return Response::Json(200, json::serialize(out));
  }

  StatusOr<storage::VersionRecord> LoadVersion(RouteContext& c, const ContentKind& kind, std::string_view param) {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t n, ParseUintParam(c.Param(std::string(param)), param));
    return store_.GetVersion(c.Param("t"), kind.collection, c.Param("d"), n);
  }

  StatusOr<std::string> LoadContent(const std::string& tenant, const storage::VersionRecord& v) override {
    auto content = store_.ReadBlob(tenant, v.content_digest(), opts.max_content_bytes);
    if (!content.ok()) return ContentReadError(content.status());
    return content;
  }

  // Content beyond what this server parses keeps its 413 "body-too-large".
  static Status ContentReadError(const Status& s) {
    if (s.reason() == "blob-too-large") {
      return InvalidArgument("content is larger than this server parses", "body-too-large");
    }
    return s;
  }

  StatusOr<Response> GetVersion(RouteContext& c, const ContentKind& kind) {
    DOSSIER_ASSIGN_OR_RETURN(auto v, LoadVersion(c, kind, "n"));
    std::string_view accept = c.request.Header("accept");
    const bool protobuf = accept.find("application/x-protobuf") != std::string_view::npos ||
                          accept.find(kind.media_base + "+protobuf") != std::string_view::npos;
    auto respond = [&](std::string body) {
      Response r = protobuf ? Response() : Response::Json(200, std::move(body));
      if (protobuf) {
        r.content_type = "application/x-protobuf";
        r.body = std::move(body);
      }
      r.headers.emplace_back("ETag", "\"" + v.content_digest() + "\"");
      return r;
    };
    const std::string cache_key = c.Param("t") + "/" + kind.collection + "/" + c.Param("d") + "/" +
                                  std::to_string(v.version()) + (protobuf ? "/pb" : "/json");
    if (auto cached = rendered_versions.Find(cache_key)) return respond(**cached);

    DOSSIER_ASSIGN_OR_RETURN(std::string content, LoadContent(c.Param("t"), v));
    DOSSIER_ASSIGN_OR_RETURN(auto format, schema::FormatOfMediaType(v.media_type(), kind.media_base));
    DOSSIER_ASSIGN_OR_RETURN(auto parsed, kind.parse(content, format));
    std::string body;
    if (protobuf) {
      body = std::move(parsed.protobuf_bytes);
    } else {
      json::object out = VersionSummaryJson(v);
      boost::system::error_code ec;
      json::value envelope = json::parse(v.envelope_json(), ec);
      out["envelope"] = ec ? json::value() : envelope;
      json::value content_json = json::parse(parsed.canonical_json, ec);
      out["content"] = ec ? json::value() : content_json;
      body = json::serialize(out);
    }
    if (body.size() <= kRenderedVersionMaxBytes) {
      rendered_versions.Insert(cache_key, std::make_shared<const std::string>(body));
    }
    return respond(std::move(body));
  }

  StatusOr<Response> GetVersionContent(RouteContext& c, const ContentKind& kind) {
    DOSSIER_ASSIGN_OR_RETURN(auto v, LoadVersion(c, kind, "n"));
    DOSSIER_ASSIGN_OR_RETURN(std::string content, LoadContent(c.Param("t"), v));
    Response r;
    r.content_type = v.media_type();
    r.body = std::move(content);
    r.headers.emplace_back("ETag", "\"" + v.content_digest() + "\"");
    return r;
  }

  StatusOr<Response> Diff(RouteContext& c, const ContentKind& kind) {
    if (!kind.diff) return InvalidArgument("this kind has no diff", "unsupported");
    auto from = c.request.Query("from");
    auto to = c.request.Query("to");
    if (!from) return InvalidArgument("is required", "missing-field", "from");
    if (!to) return InvalidArgument("is required", "missing-field", "to");
    std::string contents[2];
    std::string media[2];
    const std::string* versions[2] = {&*from, &*to};
    for (int i = 0; i < 2; ++i) {
      DOSSIER_ASSIGN_OR_RETURN(uint64_t n, ParseUintParam(*versions[i], i == 0 ? "from" : "to"));
      DOSSIER_ASSIGN_OR_RETURN(auto v, store_.GetVersion(c.Param("t"), kind.collection, c.Param("d"), n));
      DOSSIER_ASSIGN_OR_RETURN(contents[i], LoadContent(c.Param("t"), v));
      media[i] = v.media_type();
    }
    DOSSIER_ASSIGN_OR_RETURN(json::object diff, kind.diff(contents[0], media[0], contents[1], media[1]));
    diff["from"] = ParseUintParam(*from, "from").value();
    diff["to"] = ParseUintParam(*to, "to").value();
    return Response::Json(200, json::serialize(diff));
  }

  StatusOr<Response> Bundle(RouteContext& c, const ContentKind& kind) {
    DOSSIER_ASSIGN_OR_RETURN(auto v, LoadVersion(c, kind, "n"));
    DOSSIER_ASSIGN_OR_RETURN(auto key, store_.GetKey(c.Param("t"), v.signer_key_id()));
    DOSSIER_ASSIGN_OR_RETURN(std::string note, CurrentCheckpoint());
    DOSSIER_ASSIGN_OR_RETURN(trust::Checkpoint checkpoint, trust::OpenCheckpoint(note, log.origin, log_public));
    trust::Bundle bundle;
    bundle.content_digest = v.content_digest();
    bundle.media_type = v.media_type();
    DOSSIER_ASSIGN_OR_RETURN(bundle.envelope, trust::ParseEnvelope(v.envelope_json()));
    DOSSIER_RETURN_IF_ERROR(AddSignerKeyEvidence(store_, key, checkpoint.tree_size, bundle));
    DOSSIER_ASSIGN_OR_RETURN(bundle.leaf, trust::DecodeLogLeaf(v.leaf_data()));
    bundle.log_index = v.log_index();
    DOSSIER_ASSIGN_OR_RETURN(bundle.inclusion_proof, store_.LogInclusionProof(v.log_index(), checkpoint.tree_size));
    bundle.checkpoint_note = note;
    json::object out = trust::BundleToJson(bundle);
    return Response::Json(200, json::serialize(out));
  }

  // ---------------------------------------------------------------- log
  StatusOr<std::string> CurrentCheckpoint() override {
    const uint64_t size = store_.LogSize();
    std::lock_guard lock(checkpoint_mu);
    if (size == checkpoint_size) return checkpoint_note;
    DOSSIER_ASSIGN_OR_RETURN(std::string root, size == 0 ? StatusOr<std::string>(trust::EmptyTreeRoot())
                                                         : store_.LogRoot(size));
    trust::Checkpoint checkpoint{log.origin, size, root, {}};
    DOSSIER_ASSIGN_OR_RETURN(std::string note, trust::SignNote(trust::CheckpointBody(checkpoint), log.origin, log.key));
    checkpoint_size = size;
    checkpoint_note = note;
    return note;
  }

  StatusOr<Response> GetCheckpoint(RouteContext&) {
    DOSSIER_ASSIGN_OR_RETURN(std::string note, CurrentCheckpoint());
    Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(note);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }

  StatusOr<Response> GetLogPublicKey(RouteContext& c) {
    if (c.request.Header("accept").find("application/x-pem-file") != std::string_view::npos) {
      Response r;
      r.content_type = "application/x-pem-file";
      r.body = log_public.Pem();
      return r;
    }
    json::object out{{"publicKeyPem", log_public.Pem()},
                     {"keyName", log.origin},
                     {"origin", log.origin},
                     {"keyId", log_public.KeyId()},
                     {"noteVerifierKey", log_verifier_key}};
    return Response::Json(200, json::serialize(out));
  }

  StatusOr<uint64_t> RequiredUintQuery(const Request& r, std::string_view name) {
    auto v = r.Query(name);
    if (!v) return InvalidArgument("is required", "missing-field", std::string(name));
    return ParseUintParam(*v, name);
  }

  StatusOr<Response> InclusionProof(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t index, RequiredUintQuery(c.request, "leafIndex"));
    DOSSIER_ASSIGN_OR_RETURN(uint64_t size, RequiredUintQuery(c.request, "treeSize"));
    DOSSIER_ASSIGN_OR_RETURN(auto hashes, store_.LogInclusionProof(index, size));
    json::object out{{"leafIndex", index}, {"treeSize", size}, {"hashes", HashesJson(hashes)}};
    return Response::Json(200, json::serialize(out));
  }

  StatusOr<Response> ConsistencyProof(RouteContext& c) {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t from, RequiredUintQuery(c.request, "from"));
    DOSSIER_ASSIGN_OR_RETURN(uint64_t to, RequiredUintQuery(c.request, "to"));
    DOSSIER_ASSIGN_OR_RETURN(auto hashes, store_.LogConsistencyProof(from, to));
    json::object out{{"fromSize", from}, {"toSize", to}, {"hashes", HashesJson(hashes)}};
    return Response::Json(200, json::serialize(out));
  }

  // -------------------------------------------------------------- audit
  StatusOr<Response> ReadAudit(const Request& r, const std::string& tenant) {
    DOSSIER_ASSIGN_OR_RETURN(auto page, audit.Read(tenant, PageToken(r), PageSize(r)));
    json::array items;
    for (auto& e : page.items) items.push_back(std::move(e));
    json::object out{{"entries", std::move(items)}};
    if (!page.next_page_token.empty()) out["nextPageToken"] = page.next_page_token;
    return Response::Json(200, json::serialize(out));
  }
  StatusOr<Response> TenantAudit(RouteContext& c) { return ReadAudit(c.request, c.Param("t")); }
  StatusOr<Response> OperatorAudit(RouteContext& c) { return ReadAudit(c.request, ""); }
  StatusOr<Response> VerifyTenantAudit(RouteContext& c) {
    DOSSIER_RETURN_IF_ERROR(audit.VerifyChain(c.Param("t")));
    return Response::Json(200, R"({"verified":true})");
  }

  // ------------------------------------------------------------ service
  StatusOr<Response> Metrics(RouteContext&) {
    std::string out;
    out += "# HELP dossier_requests_total HTTP requests handled.\n# TYPE dossier_requests_total counter\n";
    out += "dossier_requests_total " + std::to_string(requests_total.load()) + "\n";
    out += "# HELP dossier_responses_total HTTP responses by status class.\n# TYPE dossier_responses_total counter\n";
    for (int i = 1; i <= 5; ++i) {
      out += "dossier_responses_total{class=\"" + std::to_string(i) + "xx\"} " +
             std::to_string(responses_by_class[i].load()) + "\n";
    }
    out += "# HELP dossier_commits_total Versions committed.\n# TYPE dossier_commits_total counter\n";
    out += "dossier_commits_total " + std::to_string(commits_total.load()) + "\n";
    out += "# HELP dossier_log_size Leaves in the transparency log.\n# TYPE dossier_log_size gauge\n";
    out += "dossier_log_size " + std::to_string(store_.LogSize()) + "\n";
    out += "# HELP dossier_store_writable 1 while the store accepts writes, 0 after a storage failure.\n"
           "# TYPE dossier_store_writable gauge\n";
    out += std::string("dossier_store_writable ") + (store_.WriteHealth().ok() ? "1" : "0") + "\n";
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = std::move(out);
    return r;
  }
};

// ---------------------------------------------------------------- routes

Api::Api(storage::Store& store, ServerOptions options, LogIdentity log)
    : options_(std::move(options)), impl_(std::make_unique<Impl>(router_, store, options_, std::move(log))) {
  Impl* impl = impl_.get();
  auto bind = [impl](StatusOr<Response> (Impl::*fn)(RouteContext&)) {
    return [impl, fn](RouteContext& c) { return (impl->*fn)(c); };
  };
  auto add = [this](std::string method, std::string pattern, Access access, std::string summary, std::string tag,
                    Handler handler, std::string example = {}) {
    Route r;
    r.method = std::move(method);
    r.pattern = std::move(pattern);
    r.access = access;
    r.summary = std::move(summary);
    r.tag = std::move(tag);
    r.handler = std::move(handler);
    r.request_example = std::move(example);
    router_.Add(std::move(r));
  };

  // A store that stopped writing for good (storage-failed) needs a restart,
  // so liveness fails; a full disk only makes the node read-only, which
  // readiness reports without taking the node out of service for reads.
  add("GET", "/healthz", Access::kPublic, "Liveness", "service", [impl](RouteContext&) -> StatusOr<Response> {
    Status writes = impl->store_.WriteHealth();
    if (writes.reason() == "storage-failed") return writes;
    return Response::Json(200, R"({"status":"ok"})");
  });
  add("GET", "/readyz", Access::kPublic, "Readiness: the store is open and answers; whether it accepts writes",
      "service", [impl](RouteContext&) -> StatusOr<Response> {
        auto probe = impl->store_.GetSetting("operator-bootstrapped");
        if (!probe.ok()) return Unavailable("the store does not answer", "not-ready");
        Status writes = impl->store_.WriteHealth();
        json::object out{{"status", "ready"}, {"logSize", impl->store_.LogSize()}, {"writable", writes.ok()}};
        if (!writes.ok()) out["writeError"] = writes.reason();
        return Response::Json(200, json::serialize(out));
      });
  add("GET", "/metrics", Access::kPublic, "Prometheus metrics", "service", bind(&Impl::Metrics));
  add("GET", "/openapi.json", Access::kPublic, "This API's OpenAPI 3.1 description", "service",
      [this](RouteContext&) -> StatusOr<Response> { return Response::Json(200, BuildOpenApi(router_)); });

  add("POST", "/v1/tenants", Access::kOperator, "Create a tenant", "tenants", bind(&Impl::CreateTenant),
      R"({"id":"acme-medical","displayName":"Acme Medical","kind":"MANUFACTURER"})");
  add("GET", "/v1/tenants", Access::kOperator, "List tenants", "tenants", bind(&Impl::ListTenants));
  add("GET", "/v1/tenants/{t}", Access::kTenantViewer, "Get a tenant", "tenants", bind(&Impl::GetTenant));
  add("POST", "/v1/tenants/{t}/tokens", Access::kOperatorOrTenantAdmin, "Issue a token (secret returned once)",
      "tokens", bind(&Impl::CreateToken), R"({"role":"EDITOR","label":"ci pipeline"})");
  add("POST", "/v1/tenants/{t}/client-certificates", Access::kOperatorOrTenantAdmin,
      "Map a client certificate (by SPKI hash) to a role in this tenant, for mTLS", "tokens",
      bind(&Impl::RegisterClientCertificate), R"({"certificatePem":"-----BEGIN CERTIFICATE-----\n...","role":"VIEWER"})");
  add("GET", "/v1/tenants/{t}/tokens", Access::kOperatorOrTenantAdmin, "List tokens (no secrets)", "tokens",
      bind(&Impl::ListTokens));
  add("DELETE", "/v1/tenants/{t}/tokens/{id}", Access::kOperatorOrTenantAdmin, "Revoke a token", "tokens",
      bind(&Impl::RevokeToken));
  add("POST", "/v1/tenants/{t}/keys", Access::kTenantAdmin, "Register a signing public key (PEM)", "keys",
      bind(&Impl::RegisterKey), R"({"publicKeyPem":"-----BEGIN PUBLIC KEY-----\n...","label":"release signing"})");
  add("GET", "/v1/tenants/{t}/keys", Access::kTenantViewer, "List signing keys", "keys", bind(&Impl::ListKeys));
  add("GET", "/v1/tenants/{t}/keys/{k}", Access::kTenantViewer, "Get a signing key", "keys", bind(&Impl::GetKey));
  add("POST", "/v1/tenants/{t}/keys/{k}:revoke", Access::kTenantAdmin, "Revoke a signing key from a time", "keys",
      bind(&Impl::RevokeKey), R"({"revokedAt":"2026-11-29T08:00:00Z"})");

  {
    Route put;
    put.method = "PUT";
    put.pattern = "/v1/tenants/{t}/blobs/sha256:{hex}";
    put.access = Access::kTenantEditor;
    put.summary = "Upload a document; its SHA-256 must match the name";
    put.tag = "blobs";
    put.handler = bind(&Impl::PutBlob);
    put.streams_body = true;
    router_.Add(std::move(put));
  }
  add("GET", "/v1/tenants/{t}/blobs/sha256:{hex}", Access::kTenantViewer, "Download a document (Range supported)",
      "blobs", bind(&Impl::GetBlob));

  for (const ContentKind& kind : impl->kinds) {
    const ContentKind* k = &kind;
    const std::string base = "/v1/tenants/{t}/" + kind.collection;
    auto with_kind = [impl, k](StatusOr<Response> (Impl::*fn)(RouteContext&, const ContentKind&)) {
      return [impl, k, fn](RouteContext& c) { return (impl->*fn)(c, *k); };
    };
    add("POST", base, Access::kTenantEditor, "Create " + kind.singular, kind.collection,
        with_kind(&Impl::CreateObject), kind.create_example);
    add("GET", base, Access::kTenantViewer, "List " + kind.collection, kind.collection, with_kind(&Impl::ListObjects));
    add("GET", base + "/{d}", Access::kTenantViewer, "Get " + kind.singular + " (head, ETag)", kind.collection,
        with_kind(&Impl::GetObject));
    add("POST", base + "/{d}/versions", Access::kTenantEditor, "Commit a signed version", kind.collection,
        with_kind(&Impl::CommitVersion),
        R"({"contentDigest":"sha256:...","mediaType":")" + kind.media_base +
            R"(+json","envelope":{"payloadType":"application/vnd.dossier.statement.v1+json","payload":"...","signatures":[{"keyid":"...","sig":"..."}]}})");
    add("GET", base + "/{d}/versions", Access::kTenantViewer, "Version history", kind.collection,
        with_kind(&Impl::ListVersions));
    add("GET", base + "/{d}/versions/{n}", Access::kTenantViewer, "One version (JSON, or protobuf by Accept)",
        kind.collection, with_kind(&Impl::GetVersion));
    add("GET", base + "/{d}/versions/{n}/content", Access::kTenantViewer, "The content bytes exactly as signed",
        kind.collection, with_kind(&Impl::GetVersionContent));
    add("GET", base + "/{d}/versions/{n}/bundle", Access::kTenantViewer, "Offline verification bundle",
        kind.collection, with_kind(&Impl::Bundle));
    if (kind.diff) {
      add("GET", base + "/{d}/diff", Access::kTenantViewer, "Section-level differences between two versions",
          kind.collection, with_kind(&Impl::Diff));
    }
  }

  add("GET", "/v1/tenants/{t}/audit", Access::kTenantAdmin, "This tenant's audit log (hash-chained)", "audit",
      bind(&Impl::TenantAudit));
  add("GET", "/v1/tenants/{t}/audit/verify", Access::kTenantAdmin, "Recompute this tenant's audit hash chain",
      "audit", bind(&Impl::VerifyTenantAudit));
  add("GET", "/v1/audit", Access::kOperator, "The operator's audit log", "audit", bind(&Impl::OperatorAudit));

  AddSubmissionRoutes(*impl);
  AddRegionalRoutes(*impl);
  AddRelianceRoutes(*impl);

  add("GET", "/v1/log/checkpoint", Access::kAuthenticated, "Latest signed checkpoint (C2SP signed note)", "log",
      bind(&Impl::GetCheckpoint));
  add("GET", "/v1/log/public-key", Access::kAuthenticated, "The log's Ed25519 public key and note key name", "log",
      bind(&Impl::GetLogPublicKey));
  add("GET", "/v1/log/proofs/inclusion", Access::kAuthenticated, "RFC 6962 inclusion proof", "log",
      bind(&Impl::InclusionProof));
  add("GET", "/v1/log/proofs/consistency", Access::kAuthenticated, "RFC 6962 consistency proof", "log",
      bind(&Impl::ConsistencyProof));
}

Api::~Api() = default;

bool Api::StreamsBody(std::string_view method, std::string_view path) const {
  auto match = router_.Find(method, path);
  return match.route != nullptr && match.route->streams_body;
}

// The admission of one request to its route, shared by ordinary requests and
// by streamed uploads (checked before their body is read): rate limit (every
// non-public route, also for failed credentials, so guessing tokens and
// probing ids are limited too), authentication, authorisation, and the audit
// entry of whatever is refused here.
struct Admission {
  std::optional<Principal> principal;
  std::string route_tenant;
  Status refusal;  // not OK when the request must not reach its handler
  int retry_after = 0;

  Response RefusalResponse(const Request& request) const {
    Response r = ProblemResponse(refusal, request.path);
    if (retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after));
    return r;
  }
};

namespace {

void AuditRequest(AuditLog& audit, const Principal& p, const Route& route, const Request& request,
                  const std::string& route_tenant, int status) {
  // Filed under the tenant the request addressed when the caller may act
  // there (its own, or any as operator), else under the caller's own.
  AuditEntry entry;
  entry.tenant =
      (p.role == Role::kOperator || p.tenant == route_tenant) && !route_tenant.empty() ? route_tenant : p.tenant;
  entry.principal = p.token_id;
  entry.role = std::string(RoleName(p.role));
  entry.method = request.method;
  entry.route = route.pattern;
  entry.path = request.path;
  entry.status = status;
  entry.remote = request.remote_address;
  entry.time_ms = NowMs();
  audit.Record(std::move(entry));
}

}  // namespace

static Admission Admit(Api::Impl& impl, const Route& route, const std::map<std::string, std::string>& params,
                       const Request& request) {
  Admission admission;
  auto tenant = params.find("t");
  admission.route_tenant = tenant == params.end() ? std::string() : tenant->second;
  auto principal = impl.Authenticate(request);
  if (principal.ok()) admission.principal = std::move(principal).value();
  const Principal* p = admission.principal ? &*admission.principal : nullptr;

  if (route.access != Access::kPublic &&
      !impl.limiter.Allow(p ? "token:" + p->token_id : "addr:" + request.remote_address, &admission.retry_after)) {
    admission.refusal = ResourceExhausted(
        "too many requests; retry in " + std::to_string(admission.retry_after) + " s", "rate-limited");
  } else if (!principal.ok()) {
    admission.refusal = principal.status();
  } else {
    bool reliance_peer = false;
    if (route.access == Access::kTenantViewerOrReliancePeer && p && p->tenant != admission.route_tenant &&
        !admission.route_tenant.empty()) {
      reliance_peer = HasRelianceAgreement(impl.store_, admission.route_tenant, p->tenant);
    }
    admission.refusal = Authorize(route.access, p, admission.route_tenant, reliance_peer);
  }
  if (!admission.refusal.ok() && p) {
    AuditRequest(impl.audit, *p, route, request, admission.route_tenant, HttpStatusFor(admission.refusal));
  }
  return admission;
}

Status Api::PrecheckUpload(const Request& header_only) {
  auto match = router_.Find(header_only.method, header_only.path);
  if (match.route == nullptr) return NotFound("no such route", "no-such-route");
  return Admit(*impl_, *match.route, match.params, header_only).refusal;
}

Response Api::Handle(Request& request) {
  const auto started = std::chrono::steady_clock::now();
  ++impl_->requests_total;
  std::string principal_id = "-";
  Response response;
  try {
    auto match = router_.Find(request.method, request.path);
    if (match.route == nullptr) {
      if (match.path_known) {
        response = ProblemResponse(
            Status(StatusCode::kInvalidArgument, request.method + " is not allowed here", "method-not-allowed"),
            request.path);
      } else {
        response = ProblemResponse(NotFound("no such route: " + request.path, "no-such-route"), request.path);
      }
    } else {
      Admission admission = Admit(*impl_, *match.route, match.params, request);
      const Principal* p = admission.principal ? &*admission.principal : nullptr;
      if (p) principal_id = p->token_id;
      if (!admission.refusal.ok()) {
        response = admission.RefusalResponse(request);
      } else {
        RouteContext context{request, p, std::move(match.params)};
        auto result = match.route->handler(context);
        response = result.ok() ? std::move(result).value() : ProblemResponse(result.status(), request.path);
        // A corrupt blob was reported once by the store; the access log
        // still records every request that met it.
        if (!result.ok() && HttpStatusFor(result.status()) >= 500 &&
            result.status().reason() != "blob-corrupt") {
          std::cerr << "error: " << request.method << " " << request.path << ": " << result.status().ToString()
                    << "\n";
        }
        if (p) AuditRequest(impl_->audit, *p, *match.route, request, admission.route_tenant, response.status);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << request.method << " " << request.path << ": unexpected exception: " << e.what() << "\n";
    response = ProblemResponse(Internal("unexpected failure"), request.path);
  }
  if (request.method == "HEAD") response.head_only = true;
  const int cls = response.status / 100;
  if (cls >= 1 && cls <= 5) ++impl_->responses_by_class[cls];
  if (options_.access_log) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    // Never the target's query or any header: tokens must not reach logs.
    std::fprintf(stderr, "%s %s %s %d %s %lldus\n", FormatTime(NowMs()).c_str(), request.method.c_str(),
                 request.path.c_str(), response.status, principal_id.c_str(), static_cast<long long>(micros));
  }
  return response;
}

}  // namespace dossier::server
