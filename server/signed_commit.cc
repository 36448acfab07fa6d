// The signed-version machinery of the API core: a commit request is checked
// against its signed statement, the object's head, the content and the
// tenant's keys, and lands with its log leaf in one durable batch; the answer
// carries a receipt signed with the node's log key.
#include <algorithm>

#include "schema/dossier_codec.h"
#include "server/api_core.h"
#include "server/json_util.h"
#include "trust/digest.h"
#include "trust/encoding.h"
#include "trust/log_leaf.h"
#include "trust/merkle.h"
#include "trust/statement.h"

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
  ++commits_total_;
  return SignedCommitResult{std::move(committed.version), std::move(committed.log.leaf_hash), false};
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
  auto content = store_.ReadBlob(tenant, v.content_digest(), options_.max_content_bytes);
  if (!content.ok()) return ContentReadError(content.status());
  return content;
}

}  // namespace dossier::server
