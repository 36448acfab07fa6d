#include "server/api_core.h"

#include <openssl/crypto.h>

#include "common/decimal.h"
#include "server/credentials.h"
#include "server/json_util.h"
#include "server/problem.h"
#include "trust/checkpoint.h"
#include "trust/digest.h"
#include "trust/export_package.h"
#include "trust/merkle.h"

namespace dossier::server {
namespace json = boost::json;

// ------------------------------------------------------- request helpers

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

StatusOr<uint64_t> ParseUintParam(std::string_view text, std::string_view field) {
  // The reason stays "bad-parameter" (part of the API); overflow is refused too.
  auto v = ParseUint64(text, field);
  if (!v.ok()) return InvalidArgument("must be a non-negative integer", "bad-parameter", std::string(field));
  return v;
}

std::string ObjectEtag(const storage::ObjectRecord& o) {
  return "\"" + (o.head_digest().empty() ? std::string("empty") : o.head_digest()) + "\"";
}

// ------------------------------------------------------------------ core

ApiCore::ApiCore(Router& router, storage::Store& store, const ServerOptions& options, LogIdentity log)
    : router_(router),
      store_(store),
      options_(options),
      log_(std::move(log)),
      log_public_(log_.key.public_key()),
      log_verifier_key_(trust::NoteVerifierKey(log_.origin, log_public_)),
      kinds_(BuiltInContentKinds()),
      audit_(store),
      limiter_(options.rate_limit_per_second, options.rate_limit_burst),
      tenant_limiter_(options.tenant_rate_limit_per_second, options.tenant_rate_limit_burst) {}

void ApiCore::CountResponse(int http_status) {
  const int cls = http_status / 100;
  if (cls >= 1 && cls <= 5) ++responses_by_class_[cls];
}

ApiCounters ApiCore::Counters() const {
  ApiCounters counters;
  counters.requests = requests_total_.load();
  for (size_t i = 0; i < responses_by_class_.size(); ++i)
    counters.responses_by_class[i] = responses_by_class_[i].load();
  counters.commits = commits_total_.load();
  return counters;
}

// ------------------------------------------------------- authentication

StatusOr<std::optional<Principal>> ApiCore::Authenticate(const Request& r) {
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

StatusOr<std::optional<Principal>> ApiCore::PrincipalFor(const storage::TokenRecord& token) {
  const int64_t now = NowMs();
  if (token.revoked_ms() != 0 && token.revoked_ms() <= now) {
    return Unauthenticated("the credential was revoked", "token-revoked");
  }
  if (token.expires_ms() != 0 && token.expires_ms() <= now) {
    return Unauthenticated("the token has expired", "token-expired");
  }
  Principal p;
  p.token_id = token.id();
  p.tenant = token.tenant();
  if (token.role() == RoleName(Role::kOperator)) {
    p.role = Role::kOperator;
  } else {
    auto role = ParseTenantRole(token.role());
    if (!role.ok()) return Internal("stored token has an unknown role");
    p.role = *role;
  }
  return std::optional<Principal>(std::move(p));
}

// ------------------------------------------------------ kinds and paging

const ContentKind* ApiCore::KindByCollection(std::string_view collection) const {
  for (const auto& k : kinds_) {
    if (k.collection == collection) return &k;
  }
  return nullptr;
}

size_t ApiCore::PageSize(const Request& r) const {
  auto text = r.Query("page_size");
  if (!text) text = r.Query("pageSize");
  if (!text) return options_.default_page_size;
  auto v = ParseUintParam(*text, "page_size");
  if (!v.ok() || *v == 0) return options_.default_page_size;
  return std::min<size_t>(*v, options_.max_page_size);
}

std::string ApiCore::PageToken(const Request& r) const {
  auto t = r.Query("page_token");
  if (!t) t = r.Query("pageToken");
  return t.value_or("");
}

// ---------------------------------------------------------------- blobs

namespace {

// Parses a single "bytes=" range; nullopt for forms we serve whole (several ranges).
StatusOr<std::optional<std::pair<uint64_t, uint64_t>>> ParseRange(std::string_view header, uint64_t size) {
  using Result = std::optional<std::pair<uint64_t, uint64_t>>;
  const Status unsatisfiable =
      Status(StatusCode::kOutOfRange, "the range is outside the document", "range-not-satisfiable");
  if (header.substr(0, 6) != "bytes=") return Result();
  std::string_view spec = header.substr(6);
  if (spec.find(',') != std::string_view::npos) return Result();
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return unsatisfiable;
  auto num = [](std::string_view s) -> std::optional<uint64_t> {
    auto parsed = ParseUintParam(s, "range");
    return parsed.ok() ? std::optional<uint64_t>(*parsed) : std::nullopt;
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

}  // namespace

StatusOr<Response> ApiCore::ServeBlob(const Request& request, const std::string& tenant,
                                      const std::string& digest) {
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
                                                  std::to_string(first + length - 1) + "/" +
                                                  std::to_string(size));
    }
  }
  // The chunk holding the first byte is verified here, before any header is
  // sent, so a damaged blob answers a problem (500 "blob-corrupt"). A range
  // within that chunk (every blob up to storage::kBlobChunkBytes) is answered
  // from the verified bytes; a longer one streams from the reader, which
  // verifies each further chunk before sending it.
  DOSSIER_ASSIGN_OR_RETURN(std::string_view head, blob->Read(first, length));
  if (head.size() == length) {
    r.body = std::string(head);
    return r;
  }
  r.file = FileSlice{blob->path(), first, length, std::move(blob)};
  return r;
}

// ------------------------------------------------------------------ log

StatusOr<std::string> ApiCore::SignExportManifest(std::string_view manifest) {
  return trust::SignExportManifest(manifest, log_.key);
}

StatusOr<std::string> ApiCore::CurrentCheckpoint() {
  const uint64_t size = store_.LogSize();
  std::lock_guard lock(checkpoint_mu_);
  if (size == checkpoint_size_) return checkpoint_note_;
  DOSSIER_ASSIGN_OR_RETURN(std::string root,
                           size == 0 ? StatusOr<std::string>(trust::EmptyTreeRoot()) : store_.LogRoot(size));
  trust::Checkpoint checkpoint{log_.origin, size, root, {}};
  DOSSIER_ASSIGN_OR_RETURN(std::string note,
                           trust::SignNote(trust::CheckpointBody(checkpoint), log_.origin, log_.key));
  checkpoint_size_ = size;
  checkpoint_note_ = note;
  return note;
}

}  // namespace dossier::server
