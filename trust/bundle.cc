#include "trust/bundle.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/decimal.h"
#include "trust/digest.h"
#include "trust/encoding.h"
#include "trust/json_forms.h"
#include "trust/merkle.h"

namespace dossier::trust {
namespace {

Status BadBundle(std::string message, std::string field) {
  return InvalidArgument(std::move(message), "bad-bundle", std::move(field));
}

Status Mismatch(std::string reason, std::string message) {
  return InvalidArgument(std::move(message), std::move(reason));
}

StatusOr<std::string> GetString(const boost::json::object& obj, const char* name, const std::string& path) {
  const boost::json::value* v = obj.if_contains(name);
  if (v == nullptr || !v->is_string()) return BadBundle(std::string(name) + " must be a string", path + name);
  return std::string(v->get_string());
}

// A JSON number, or a decimal string (protobuf JSON mapping for 64-bit ints).
template <typename T>
StatusOr<T> GetInteger(const boost::json::object& obj, const char* name, const std::string& path) {
  auto bad = [&] { return BadBundle(std::string(name) + " must be an integer", path + name); };
  const boost::json::value* v = obj.if_contains(name);
  if (v == nullptr) return bad();
  if (v->is_int64()) {
    int64_t i = v->get_int64();
    if (std::is_unsigned_v<T> && i < 0) return bad();
    return static_cast<T>(i);
  }
  if (v->is_uint64()) {
    if (std::is_signed_v<T>) return bad();
    return static_cast<T>(v->get_uint64());
  }
  if (v->is_string()) {
    const std::string_view s = v->get_string();
    StatusOr<T> parsed = [&]() -> StatusOr<T> {
      if constexpr (std::is_signed_v<T>) {
        return ParseInt64(s, path + name);
      } else {
        return ParseUint64(s, path + name);
      }
    }();
    if (!parsed.ok()) return bad();
    return *parsed;
  }
  return bad();
}

StatusOr<std::vector<std::string>> GetHashes(const boost::json::object& obj, const char* name,
                                             const std::string& path) {
  const boost::json::value* v = obj.if_contains(name);
  if (v == nullptr || !v->is_array()) return BadBundle(std::string(name) + " must be an array", path + name);
  std::vector<std::string> out;
  const boost::json::array& arr = v->get_array();
  if (arr.size() > 64) return BadBundle(std::string(name) + " is too long", path + name);
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string at = path + name + "[" + std::to_string(i) + "]";
    if (!arr[i].is_string()) return BadBundle("hash must be a base64 string", at);
    StatusOr<std::string> h = Base64Decode(std::string(arr[i].get_string()));
    if (!h.ok() || h->size() != kSha256Size) return BadBundle("hash must be base64 of 32 bytes", at);
    out.push_back(std::move(h).value());
  }
  return out;
}

boost::json::array HashesToJson(const std::vector<std::string>& hashes) {
  boost::json::array arr;
  for (const std::string& h : hashes) arr.emplace_back(Base64Encode(h));
  return arr;
}

// `parent_path` is the JSON path of `parent` with a trailing "." ("" at the top).
StatusOr<LogLeaf> LeafFromJson(const boost::json::object& parent, const char* name,
                               const std::string& parent_path = "") {
  std::string path = parent_path + name + ".";
  const boost::json::value* v = parent.if_contains(name);
  if (v == nullptr || !v->is_object())
    return BadBundle(std::string(name) + " must be an object", parent_path + name);
  const boost::json::object& obj = v->get_object();
  LogLeaf leaf;
  DOSSIER_ASSIGN_OR_RETURN(leaf.kind, GetString(obj, "kind", path));
  DOSSIER_ASSIGN_OR_RETURN(leaf.tenant, GetString(obj, "tenant", path));
  DOSSIER_ASSIGN_OR_RETURN(leaf.object, GetString(obj, "object", path));
  DOSSIER_ASSIGN_OR_RETURN(leaf.version, GetInteger<uint64_t>(obj, "version", path));
  DOSSIER_ASSIGN_OR_RETURN(leaf.content_digest, GetString(obj, "contentDigest", path));
  DOSSIER_ASSIGN_OR_RETURN(leaf.envelope_digest, GetString(obj, "envelopeDigest", path));
  DOSSIER_ASSIGN_OR_RETURN(leaf.timestamp_ms, GetInteger<int64_t>(obj, "timestampMs", path));
  if (Status s = ValidateLogLeaf(leaf); !s.ok()) return BadBundle(s.message(), path + s.field());
  return leaf;
}

constexpr const char* kRevocationMember = "signerKeyRevocation";

StatusOr<std::optional<KeyRevocationEvidence>> RevocationFromJson(const boost::json::object& bundle) {
  const boost::json::value* v = bundle.if_contains(kRevocationMember);
  if (v == nullptr || v->is_null()) return std::optional<KeyRevocationEvidence>();
  if (!v->is_object()) return BadBundle("signerKeyRevocation must be an object", kRevocationMember);
  const boost::json::object& obj = v->get_object();
  const std::string path = std::string(kRevocationMember) + ".";
  KeyRevocationEvidence revocation;
  DOSSIER_ASSIGN_OR_RETURN(revocation.leaf, LeafFromJson(obj, "leaf", path));
  DOSSIER_ASSIGN_OR_RETURN(revocation.log_index, GetInteger<uint64_t>(obj, "logIndex", path));
  DOSSIER_ASSIGN_OR_RETURN(revocation.inclusion_proof, GetHashes(obj, "inclusionProof", path));
  return std::optional<KeyRevocationEvidence>(std::move(revocation));
}

// A signer key is known by its PEM text; parsing it is costly (see BundleVerifier).
constexpr size_t kMaxSignerKeys = 256;

}  // namespace

boost::json::object LogLeafToJson(const LogLeaf& leaf) {
  boost::json::object o;
  o["kind"] = leaf.kind;
  o["tenant"] = leaf.tenant;
  o["object"] = leaf.object;
  o["version"] = leaf.version;
  o["contentDigest"] = leaf.content_digest;
  o["envelopeDigest"] = leaf.envelope_digest;
  o["timestampMs"] = leaf.timestamp_ms;
  return o;
}

boost::json::object BundleToJson(const Bundle& bundle) {
  boost::json::object o;
  o["contentDigest"] = bundle.content_digest;
  o["mediaType"] = bundle.media_type;
  o["envelope"] = EnvelopeToJson(bundle.envelope);
  o["signerPublicKeyPem"] = bundle.signer_public_key_pem;
  o["signerKeyLeaf"] = LogLeafToJson(bundle.signer_key_leaf);
  o["signerKeyLogIndex"] = bundle.signer_key_log_index;
  o["signerKeyInclusionProof"] = HashesToJson(bundle.signer_key_inclusion_proof);
  if (bundle.signer_key_revocation) {
    const KeyRevocationEvidence& revocation = *bundle.signer_key_revocation;
    o[kRevocationMember] = boost::json::object{{"leaf", LogLeafToJson(revocation.leaf)},
                                               {"logIndex", revocation.log_index},
                                               {"inclusionProof", HashesToJson(revocation.inclusion_proof)}};
  }
  o["leaf"] = LogLeafToJson(bundle.leaf);
  o["logIndex"] = bundle.log_index;
  o["inclusionProof"] = HashesToJson(bundle.inclusion_proof);
  o["checkpoint"] = bundle.checkpoint_note;
  return o;
}

StatusOr<Bundle> BundleFromJson(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(boost::json::string_view(json.data(), json.size()), ec);
  if (ec) return BadBundle("bundle is not valid JSON: " + ec.message(), "");
  const boost::json::object* obj = v.if_object();
  if (obj == nullptr) return BadBundle("bundle must be a JSON object", "");
  Bundle b;
  DOSSIER_ASSIGN_OR_RETURN(b.content_digest, GetString(*obj, "contentDigest", ""));
  DOSSIER_ASSIGN_OR_RETURN(b.media_type, GetString(*obj, "mediaType", ""));
  const boost::json::value* env = obj->if_contains("envelope");
  if (env == nullptr) return BadBundle("envelope is required", "envelope");
  StatusOr<DsseEnvelope> envelope = EnvelopeFromJson(*env);
  if (!envelope.ok()) {
    return InvalidArgument(envelope.status().message(), "bad-bundle",
                           envelope.status().WithFieldPrefix("envelope").field());
  }
  b.envelope = std::move(envelope).value();
  DOSSIER_ASSIGN_OR_RETURN(b.signer_public_key_pem, GetString(*obj, "signerPublicKeyPem", ""));
  DOSSIER_ASSIGN_OR_RETURN(b.signer_key_leaf, LeafFromJson(*obj, "signerKeyLeaf"));
  DOSSIER_ASSIGN_OR_RETURN(b.signer_key_log_index, GetInteger<uint64_t>(*obj, "signerKeyLogIndex", ""));
  DOSSIER_ASSIGN_OR_RETURN(b.signer_key_inclusion_proof, GetHashes(*obj, "signerKeyInclusionProof", ""));
  DOSSIER_ASSIGN_OR_RETURN(b.signer_key_revocation, RevocationFromJson(*obj));
  DOSSIER_ASSIGN_OR_RETURN(b.leaf, LeafFromJson(*obj, "leaf"));
  DOSSIER_ASSIGN_OR_RETURN(b.log_index, GetInteger<uint64_t>(*obj, "logIndex", ""));
  DOSSIER_ASSIGN_OR_RETURN(b.inclusion_proof, GetHashes(*obj, "inclusionProof", ""));
  DOSSIER_ASSIGN_OR_RETURN(b.checkpoint_note, GetString(*obj, "checkpoint", ""));
  return b;
}

BundleVerifier::BundleVerifier(std::string log_origin, PublicKey log_key)
    : log_origin_(std::move(log_origin)), log_key_(std::move(log_key)) {}

StatusOr<Checkpoint> BundleVerifier::VerifyCheckpoint(const std::string& note) {
  if (!verified_note_.empty() && note == verified_note_) return verified_checkpoint_;
  DOSSIER_ASSIGN_OR_RETURN(Checkpoint checkpoint, OpenCheckpoint(note, log_origin_, log_key_));
  if (checkpoint.origin != log_origin_) {
    return Mismatch("wrong-log-origin", "checkpoint origin \"" + checkpoint.origin + "\" is not this log");
  }
  verified_note_ = note;
  verified_checkpoint_ = checkpoint;
  return checkpoint;
}

StatusOr<BundleVerifier::SignerKeyFacts> BundleVerifier::SignerKey(const std::string& pem) {
  if (auto found = signer_keys_.find(pem); found != signer_keys_.end()) return found->second;
  DOSSIER_ASSIGN_OR_RETURN(PublicKey key, PublicKey::FromPem(pem));
  SignerKeyFacts facts{key, key.KeyId(), KeyLeafDigest(key)};
  if (signer_keys_.size() >= kMaxSignerKeys) signer_keys_.clear();
  signer_keys_.emplace(pem, facts);
  return facts;
}

StatusOr<BundleVerification> VerifyBundle(const Bundle& bundle, std::string_view log_origin,
                                          const PublicKey& log_key, const std::string* content_bytes) {
  BundleVerifier verifier{std::string(log_origin), log_key};
  return verifier.Verify(bundle, content_bytes);
}

StatusOr<BundleVerification> BundleVerifier::Verify(const Bundle& bundle, const std::string* content_bytes) {
  BundleVerification out;
  // 1. The checkpoint is the root of trust: signed by the log, for this log.
  DOSSIER_ASSIGN_OR_RETURN(out.checkpoint, VerifyCheckpoint(bundle.checkpoint_note));

  // 2. The envelope is signed by the signer key and carries a statement.
  DOSSIER_ASSIGN_OR_RETURN(SignerKeyFacts signer, SignerKey(bundle.signer_public_key_pem));
  out.signer_key_id = signer.key_id;
  if (bundle.envelope.payload_type != kStatementPayloadType) {
    return Mismatch("wrong-payload-type",
                    "envelope payload type is not " + std::string(kStatementPayloadType));
  }
  DOSSIER_RETURN_IF_ERROR(VerifyEnvelope(bundle.envelope, signer.key));
  DOSSIER_ASSIGN_OR_RETURN(out.statement, ParseStatement(bundle.envelope.payload));
  const Statement& st = out.statement;
  if (st.content_digest != bundle.content_digest || st.media_type != bundle.media_type) {
    return Mismatch("statement-mismatch", "signed statement names a different content digest or media type");
  }

  // 3. The leaf records exactly this statement and envelope...
  const LogLeaf& leaf = bundle.leaf;
  DOSSIER_RETURN_IF_ERROR(ValidateLogLeaf(leaf).WithFieldPrefix("leaf"));
  if (leaf.kind == kLeafKindKeyRegistered || leaf.kind == kLeafKindKeyRevoked || leaf.tenant != st.tenant ||
      leaf.object != st.object || leaf.version != st.version || leaf.content_digest != st.content_digest ||
      leaf.envelope_digest != DigestRef(Sha256(SerializeEnvelope(bundle.envelope)))) {
    return Mismatch("leaf-mismatch", "log leaf does not record this statement and envelope");
  }
  // ...and is in the checkpointed tree.
  if (Status s = VerifyInclusion(LogLeafHash(leaf), bundle.log_index, out.checkpoint.tree_size,
                                 bundle.inclusion_proof, out.checkpoint.root_hash);
      !s.ok()) {
    return s;
  }

  // 4. The signer key was registered by the same tenant, earlier in the log.
  const LogLeaf& key_leaf = bundle.signer_key_leaf;
  DOSSIER_RETURN_IF_ERROR(ValidateLogLeaf(key_leaf).WithFieldPrefix("signerKeyLeaf"));
  if (key_leaf.kind != kLeafKindKeyRegistered || key_leaf.tenant != st.tenant ||
      key_leaf.envelope_digest != signer.leaf_digest) {
    return Mismatch("signer-key-mismatch",
                    "signer key leaf is not this tenant's registration of the signer key");
  }
  if (bundle.signer_key_log_index >= bundle.log_index) {
    return Mismatch("signer-key-not-before-leaf", "signer key was registered after the signed version");
  }
  if (Status s = VerifyInclusion(LogLeafHash(key_leaf), bundle.signer_key_log_index, out.checkpoint.tree_size,
                                 bundle.signer_key_inclusion_proof, out.checkpoint.root_hash);
      !s.ok()) {
    return Mismatch("signer-key-inclusion-invalid", "signer key leaf: " + s.message());
  }

  // 5. The key was not revoked at or before the leaf.
  if (bundle.signer_key_revocation) {
    const KeyRevocationEvidence& revocation = *bundle.signer_key_revocation;
    DOSSIER_RETURN_IF_ERROR(ValidateLogLeaf(revocation.leaf).WithFieldPrefix("signerKeyRevocation.leaf"));
    if (revocation.leaf.kind != kLeafKindKeyRevoked || revocation.leaf.tenant != key_leaf.tenant ||
        revocation.leaf.object != key_leaf.object ||
        revocation.leaf.envelope_digest != key_leaf.envelope_digest) {
      return Mismatch("signer-key-revocation-mismatch",
                      "signer key revocation is not a revocation of the signer key by its tenant");
    }
    if (Status s =
            VerifyInclusion(LogLeafHash(revocation.leaf), revocation.log_index, out.checkpoint.tree_size,
                            revocation.inclusion_proof, out.checkpoint.root_hash);
        !s.ok()) {
      return Mismatch("signer-key-revocation-inclusion-invalid",
                      "signer key revocation leaf: " + s.message());
    }
    // Times are milliseconds, so a revocation "from now" and a version can
    // share one. In that millisecond the log's order is the order of events:
    // a revocation logged after the version did not precede it (the server
    // accepted the version while the key was valid), one logged before did.
    const bool revoked_logged_first = revocation.log_index < bundle.log_index;
    if (revocation.leaf.timestamp_ms < leaf.timestamp_ms ||
        (revocation.leaf.timestamp_ms == leaf.timestamp_ms && revoked_logged_first)) {
      if (revoked_logged_first) {
        return Mismatch("signer-key-revoked",
                        "the log recorded the version after the signer key's revocation took effect");
      }
      return Mismatch("signer-key-revoked-retroactively",
                      "the signer key was later revoked from a time at or before the version");
    }
  }

  // 6. Optionally, the content itself.
  if (content_bytes != nullptr && DigestRef(Sha256(*content_bytes)) != bundle.content_digest) {
    return Mismatch("content-digest-mismatch", "content bytes do not hash to the content digest");
  }
  return out;
}

}  // namespace dossier::trust
