#include "trust/feed_evidence.h"

#include "trust/encoding.h"
#include "trust/log_leaf.h"
#include "trust/json_forms.h"

namespace dossier::trust {
namespace json = boost::json;

namespace {

Status FeedInvalid(std::string message, std::string field) {
  return InvalidArgument(std::move(message), "feed-invalid", std::move(field));
}

const json::value* Member(const json::object& o, std::string_view name) { return o.if_contains(name); }

StatusOr<std::string> StringOf(const json::object& o, std::string_view name, const std::string& path) {
  const json::value* v = Member(o, name);
  if (v == nullptr || !v->is_string()) return FeedInvalid("must be a string", path + std::string(name));
  return std::string(v->as_string());
}

StatusOr<uint64_t> UintOf(const json::object& o, std::string_view name, const std::string& path) {
  const json::value* v = Member(o, name);
  if (v != nullptr && v->is_uint64()) return v->as_uint64();
  if (v != nullptr && v->is_int64() && v->as_int64() >= 0) return static_cast<uint64_t>(v->as_int64());
  return FeedInvalid("must be a non-negative integer", path + std::string(name));
}

StatusOr<const json::object*> ObjectOf(const json::object& o, std::string_view name,
                                       const std::string& path) {
  const json::value* v = Member(o, name);
  if (v == nullptr || !v->is_object()) return FeedInvalid("must be an object", path + std::string(name));
  return &v->as_object();
}

StatusOr<std::vector<std::string>> ProofOf(const json::object& o, const std::string& path) {
  const std::string field = path + "inclusionProof";
  const json::value* v = Member(o, "inclusionProof");
  if (v == nullptr || !v->is_array()) return FeedInvalid("must be a list of hashes", field);
  std::vector<std::string> out;
  for (const auto& h : v->as_array()) {
    const std::string at = field + "[" + std::to_string(out.size()) + "]";
    if (!h.is_string()) return FeedInvalid("must be a base64 hash", at);
    auto raw = Base64Decode(h.as_string());
    if (!raw.ok() || raw->size() != 32) return FeedInvalid("must be base64 of 32 bytes", at);
    out.push_back(std::move(raw).value());
  }
  return out;
}

StatusOr<LogLeaf> LeafOf(const json::object& o, const std::string& path) {
  DOSSIER_ASSIGN_OR_RETURN(std::string encoded, StringOf(o, "leafData", path));
  auto raw = Base64Decode(encoded);
  if (!raw.ok()) return FeedInvalid("must be base64", path + "leafData");
  auto leaf = DecodeLogLeaf(*raw);
  if (!leaf.ok()) return FeedInvalid(leaf.status().message(), path + "leafData");
  return std::move(leaf).value();
}

}  // namespace

StatusOr<Bundle> BundleFromFeedEntry(const json::object& entry, const std::string& checkpoint_note) {
  Bundle b;
  b.checkpoint_note = checkpoint_note;
  DOSSIER_ASSIGN_OR_RETURN(b.content_digest, StringOf(entry, "contentDigest", ""));
  DOSSIER_ASSIGN_OR_RETURN(b.media_type, StringOf(entry, "mediaType", ""));
  const json::value* envelope = Member(entry, "envelope");
  if (envelope == nullptr) return FeedInvalid("is required", "envelope");
  auto parsed = EnvelopeFromJson(*envelope);
  if (!parsed.ok()) {
    return FeedInvalid(parsed.status().message(), parsed.status().WithFieldPrefix("envelope").field());
  }
  b.envelope = std::move(parsed).value();
  DOSSIER_ASSIGN_OR_RETURN(b.leaf, LeafOf(entry, ""));
  DOSSIER_ASSIGN_OR_RETURN(b.log_index, UintOf(entry, "logIndex", ""));
  DOSSIER_ASSIGN_OR_RETURN(b.inclusion_proof, ProofOf(entry, ""));

  DOSSIER_ASSIGN_OR_RETURN(const json::object* signer, ObjectOf(entry, "signer", ""));
  DOSSIER_ASSIGN_OR_RETURN(b.signer_public_key_pem, StringOf(*signer, "publicKeyPem", "signer."));
  DOSSIER_ASSIGN_OR_RETURN(b.signer_key_leaf, LeafOf(*signer, "signer."));
  DOSSIER_ASSIGN_OR_RETURN(b.signer_key_log_index, UintOf(*signer, "logIndex", "signer."));
  DOSSIER_ASSIGN_OR_RETURN(b.signer_key_inclusion_proof, ProofOf(*signer, "signer."));
  if (const json::value* r = Member(*signer, "revocation"); r != nullptr && !r->is_null()) {
    DOSSIER_ASSIGN_OR_RETURN(const json::object* revocation, ObjectOf(*signer, "revocation", "signer."));
    KeyRevocationEvidence evidence;
    DOSSIER_ASSIGN_OR_RETURN(evidence.leaf, LeafOf(*revocation, "signer.revocation."));
    DOSSIER_ASSIGN_OR_RETURN(evidence.log_index, UintOf(*revocation, "logIndex", "signer.revocation."));
    DOSSIER_ASSIGN_OR_RETURN(evidence.inclusion_proof, ProofOf(*revocation, "signer.revocation."));
    b.signer_key_revocation = std::move(evidence);
  }
  return b;
}

StatusOr<std::optional<std::string>> FeedEntryContent(const json::object& entry) {
  const json::value* content = Member(entry, "content");
  if (content == nullptr || content->is_null()) return std::optional<std::string>();
  if (!content->is_string()) return FeedInvalid("must be a base64 string", "content");
  auto bytes = Base64Decode(content->as_string());
  if (!bytes.ok()) return FeedInvalid("must be base64", "content");
  return std::optional<std::string>(std::move(bytes).value());
}

}  // namespace dossier::trust
