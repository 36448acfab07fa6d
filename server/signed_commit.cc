// The signed-version machinery of the API core: a commit request is checked
// against its signed statement, the object's head, the content and the
// tenant's keys, and lands with its log leaf in one durable batch; the answer
// carries a receipt signed with the node's log key.
#include <algorithm>
#include <cctype>
#include <optional>

#include "schema/dossier_codec.h"
#include "server/api_core.h"
#include "server/json_util.h"
#include "trust/digest.h"
#include "trust/encoding.h"
#include "trust/log_leaf.h"
#include "trust/merkle.h"
#include "trust/statement.h"
#include "trust/json_forms.h"

namespace dossier::server {
namespace json = boost::json;

namespace {

// Content beyond what this server parses keeps its 413 "body-too-large".
Status ContentReadError(const Status& s) {
  if (s.reason() == "blob-too-large") {
    return InvalidArgument("content is larger than this server parses", "body-too-large");
  }
  return s;
}

}  // namespace

StatusOr<SignedCommitResult> ApiCore::CommitSigned(const SignedCommitRequest& spec) {
  const std::string& tenant = spec.tenant;
  const std::string& id = spec.id;
  const ContentKind& kind = *spec.content_kind;
  const Request& http_request = *spec.request;
  DOSSIER_RETURN_IF_ERROR(RequireJsonBody(http_request));
  DOSSIER_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(http_request.body));
  DOSSIER_RETURN_IF_ERROR(RejectUnknownMembers(
      body, {"contentDigest", "content_digest", "mediaType", "media_type", "envelope", "message"}));
  DOSSIER_ASSIGN_OR_RETURN(std::string content_digest,
                           RequiredString(body, {"contentDigest", "content_digest"}));
  if (!trust::IsDigestRef(content_digest)) {
    return InvalidArgument("must be sha256: followed by 64 lowercase hex digits", "bad-digest",
                           "contentDigest");
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
  if (!if_match.empty() && if_match != "*" && if_match != ObjectEtag(object)) {
    return FailedPrecondition(
        "If-Match " + std::string(if_match) + " is not the current ETag " + ObjectEtag(object),
        "etag-mismatch");
  }

  // The statement must say exactly what the request says.
  if (envelope->payload_type != trust::kStatementPayloadType) {
    return InvalidArgument("payloadType must be " + std::string(trust::kStatementPayloadType),
                           "bad-statement", "envelope.payloadType");
  }
  auto statement = trust::ParseStatement(envelope->payload);
  if (!statement.ok()) return statement.status().WithFieldPrefix("envelope.payload");
  const std::string& object_name = spec.object_name;
  auto mismatch = [](std::string what, std::string field) {
    return InvalidArgument("the signed statement's " + what + " does not match the request",
                           "statement-mismatch", "envelope.payload." + field);
  };
  if (statement->tenant != tenant) return mismatch("tenant", "tenant");
  if (statement->object != object_name)
    return mismatch("object (expected \"" + object_name + "\")", "object");
  if (statement->content_digest != content_digest) return mismatch("contentDigest", "contentDigest");
  if (statement->media_type != media_type) return mismatch("mediaType", "mediaType");

  // Idempotency-Key: a retry of a commit that landed answers its original
  // receipt even when the retry was signed anew (ECDSA P-256 signatures are
  // randomised, so the envelope differs; Ed25519's does not). The key is
  // stored in the version record, so this holds across restarts.
  const std::string idempotency_key(http_request.Header("idempotency-key"));
  if (!idempotency_key.empty()) {
    DOSSIER_RETURN_IF_ERROR(CheckIdempotencyKey(idempotency_key));
    DOSSIER_ASSIGN_OR_RETURN(auto replayed,
                             ReplayByIdempotencyKey(spec, object, *statement, *envelope, idempotency_key));
    if (replayed) return std::move(*replayed);
  }

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
    return FailedPrecondition(
        "the statement's parentDigest is not the head (" +
            (object.head_digest().empty() ? std::string("none") : object.head_digest()) + ")",
        "parent-mismatch");
  }

  // The content: present, parseable, valid, and every document it names present.
  DOSSIER_ASSIGN_OR_RETURN(auto format, schema::FormatOfMediaType(media_type, kind.media_base));
  auto content = store_.ReadBlob(tenant, content_digest, options_.max_content_bytes);
  if (content.status().code() == StatusCode::kNotFound) {
    return InvalidArgument("upload the content as a blob first: " + content_digest + " is not stored",
                           "missing-blob", "contentDigest");
  }
  if (!content.ok()) return ContentReadError(content.status());
  // check_content reads the rendered forms; without it, validating is enough.
  auto parsed =
      kind.validate && !spec.check_content ? kind.validate(*content, format) : kind.parse(*content, format);
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
  version.set_idempotency_key(idempotency_key);
  DOSSIER_ASSIGN_OR_RETURN(storage::CommitResult committed, store_.CommitVersion(version));
  ++commits_total_;
  return SignedCommitResult{std::move(committed.version), std::move(committed.log.leaf_hash), false};
}

Status ApiCore::CheckIdempotencyKey(std::string_view key) {
  const bool well_formed =
      key.size() <= 128 && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-';
      });
  if (!well_formed) {
    return InvalidArgument("Idempotency-Key must be 1-128 characters of [A-Za-z0-9._:-]",
                           "bad-idempotency-key", "Idempotency-Key");
  }
  return Status::Ok();
}

// The statement names its version, so the version it would have committed is
// the one record to look at: no separate index of keys is needed. Answers the
// stored version when it was committed with this key and the same statement;
// nullopt when the key was not used at that version (a first attempt).
StatusOr<std::optional<SignedCommitResult>> ApiCore::ReplayByIdempotencyKey(
    const SignedCommitRequest& spec, const storage::ObjectRecord& object, const trust::Statement& statement,
    const trust::DsseEnvelope& envelope, const std::string& key) {
  auto reused = [&](uint64_t version) {
    return InvalidArgument("Idempotency-Key " + key + " was used for another statement (version " +
                               std::to_string(version) + " of " + spec.object_name + ")",
                           "idempotency-key-reused", "Idempotency-Key");
  };
  if (statement.version >= 1 && statement.version <= object.head_version()) {
    auto stored = store_.GetVersion(spec.tenant, spec.kind, spec.id, statement.version);
    if (!stored.ok() || stored->idempotency_key() != key) return std::optional<SignedCommitResult>();
    auto stored_envelope = trust::ParseEnvelope(stored->envelope_json());
    auto stored_statement = stored_envelope.ok() ? trust::ParseStatement(stored_envelope->payload)
                                                 : StatusOr<trust::Statement>(stored_envelope.status());
    if (!stored_statement.ok() ||
        trust::SerializeStatement(*stored_statement) != trust::SerializeStatement(statement)) {
      return reused(statement.version);
    }
    // The retry must itself be signed by a key of the tenant: the key alone
    // does not entitle anyone to the receipt.
    DOSSIER_RETURN_IF_ERROR(FindSigner(spec.tenant, envelope).status());
    return std::optional<SignedCommitResult>(
        SignedCommitResult{*stored, trust::LeafHash(stored->leaf_data()), true});
  }
  // A key already spent on the head cannot start the next version.
  if (statement.version == object.head_version() + 1 && object.head_version() > 0) {
    auto head = store_.GetVersion(spec.tenant, spec.kind, spec.id, object.head_version());
    if (head.ok() && head->idempotency_key() == key) return reused(object.head_version());
  }
  return std::optional<SignedCommitResult>();
}

// A registered key parsed once. Parsing PEM through OpenSSL 3's decoders was
// more than half of every commit's CPU (docs/PERFORMANCE.md). The key id is
// the SPKI's hash, so an entry never goes stale; revocation is read from the
// record on every use, not cached.
StatusOr<trust::PublicKey> ApiCore::ParsedKey(const storage::KeyRecord& record) {
  return key_cache_.GetOrCompute(record.tenant() + "/" + record.key_id(),
                                 [&] { return trust::PublicKey::FromPem(record.public_key_pem()); });
}

StatusOr<storage::KeyRecord> ApiCore::FindSigner(const std::string& tenant,
                                                 const trust::DsseEnvelope& envelope) {
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
  // No key verified. When every signature names (by keyid) a key this tenant
  // never registered, the signer's key is unknown, not the signature wrong:
  // say so, so a client can tell "register your key" from "this was tampered".
  bool any_hint = false;
  bool hint_registered = false;
  for (const auto& s : envelope.signatures) {
    if (s.keyid.empty()) continue;
    any_hint = true;
    for (const auto& k : keys) hint_registered = hint_registered || s.keyid == k.key_id();
  }
  if (any_hint && !hint_registered) {
    return InvalidArgument("the envelope is signed by a key this tenant has not registered", "unknown-key",
                           "envelope.signatures");
  }
  return InvalidArgument("no registered key of this tenant verifies the signature", "signature-invalid",
                         "envelope.signatures");
}

json::object ApiCore::Receipt(uint64_t log_index, const std::string& leaf_hash) {
  json::object receipt;
  receipt["logIndex"] = log_index;
  receipt["leafHash"] = trust::Base64Encode(leaf_hash);
  receipt["origin"] = log_.origin;
  auto sig = log_.key.Sign(trust::ReceiptMessage(log_.origin, log_index, leaf_hash));
  receipt["signature"] = sig.ok() ? trust::Base64Encode(*sig) : std::string();
  receipt["keyId"] = log_public_.KeyId();
  return receipt;
}

Response ApiCore::CommitResponse(int status, const storage::VersionRecord& v, const std::string& leaf_hash) {
  json::object out = VersionJson(v);
  out["receipt"] = Receipt(v.log_index(), leaf_hash);
  Response r = Response::Json(status, json::serialize(out));
  r.headers.emplace_back("Location", "/v1/tenants/" + v.tenant() + "/" + v.kind() + "/" + v.id() +
                                         "/versions/" + std::to_string(v.version()));
  return r;
}

json::object ApiCore::VersionJson(const storage::VersionRecord& v) {
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

StatusOr<std::string> ApiCore::LoadContent(const std::string& tenant, const storage::VersionRecord& v) {
  const std::string cache_key = tenant + "/" + v.content_digest();
  if (auto cached = content_cache_.Find(cache_key)) return std::string(**cached);
  // ReadBlob hashes what it read against the digest: what comes back is verified.
  auto content = store_.ReadBlob(tenant, v.content_digest(), options_.max_content_bytes);
  if (!content.ok()) return ContentReadError(content.status());
  if (content->size() <= kContentCacheMaxBytes) {
    content_cache_.Insert(cache_key, std::make_shared<const std::string>(*content));
  }
  return content;
}

}  // namespace dossier::server
