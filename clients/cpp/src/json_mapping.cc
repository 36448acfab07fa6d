#include "json_mapping.h"

#include <type_traits>

#include "json_members.h"

namespace dossier::client::internal {
namespace json = boost::json;

namespace {

// Types a caller writes (request bodies, signed content): an unknown member
// in them is a mistake, not a newer server.
template <typename T>
constexpr bool kRejectsUnknown = std::is_same_v<T, NewTenant> || std::is_same_v<T, NewSubmission> ||
                                 std::is_same_v<T, Decision> || std::is_same_v<T, DecisionSection> ||
                                 std::is_same_v<T, NewRelianceAgreement> || std::is_same_v<T, NewPeer>;

}  // namespace

// ------------------------------------------------ each type's members, once
// A Describe overload lists a type's members for both Reader and Writer.

template <typename V>
void Describe(V& v, Tenant& t) {
  v("id", t.id, kRequired);
  v("displayName", t.display_name);
  v("kind", t.kind);
  v("jurisdiction", t.jurisdiction);
  v.Raw(t.json_text);
}

template <typename V>
void Describe(V& v, NewTenant& t) {
  v("id", t.id, kRequired);
  v("displayName", t.display_name);
  v("kind", t.kind);
  v("jurisdiction", t.jurisdiction);
}

template <typename V>
void Describe(V& v, TokenInfo& t) {
  v("id", t.id, kRequired);
  v("role", t.role);
  v("label", t.label);
  v("token", t.secret);
  v("revokedAt", RevocationTime{t.revoked_at, t.revoked});
  v.Raw(t.json_text);
}

template <typename V>
void Describe(V& v, KeyInfo& k) {
  v("keyId", k.key_id, kRequired);
  v("algorithm", k.algorithm);
  v("label", k.label);
  v("publicKeyPem", k.public_key_pem);
  v("logIndex", k.log_index);
  v("revokedAt", RevocationTime{k.revoked_at, k.revoked});
  v.Raw(k.json_text);
}

template <typename V>
void Describe(V& v, BlobInfo& b) {
  v("digest", b.digest, kRequired);
  v("size", b.size, kRequired);
}

template <typename V>
void Describe(V& v, ObjectInfo& o) {
  v("id", o.id, kRequired);
  v("title", o.title);
  v("headVersion", o.head_version);
  v("headDigest", o.head_digest);
  v.Raw(o.json_text);
}

template <typename V>
void Describe(V& v, VersionInfo& i) {
  v("version", i.version, kRequired);
  v("digest", i.digest, kRequired);
  v("parentDigest", i.parent_digest);
  v("mediaType", i.media_type);
  v("signerKeyId", i.signer_key_id);
  v("logIndex", i.log_index);
  v("createdAt", i.created_at);
  v("message", i.message);
  v.Raw(i.json_text);
}

template <typename V>
void Describe(V& v, VersionPage& p) {
  v("versions", p.versions);
  v("nextPageToken", p.next_page_token);
}

template <typename V>
void Describe(V& v, Version& t) {
  v("envelope", JsonValueText{t.envelope_json_text}, kRequired);
  v("content", JsonValueText{t.content_json_text});
  v.Flatten(t.info);  // the version's summary members sit beside them
}

template <typename V>
void Describe(V& v, Receipt& r) {
  v("logIndex", r.log_index, kRequired);
  v("leafHash", Base64Bytes{r.leaf_hash}, kRequired);
  v("origin", r.origin, kRequired);
  v("signature", Base64Bytes{r.signature}, kRequired);
  v("keyId", r.key_id);
}

template <typename V>
void Describe(V& v, CommitResult& c) {
  v.Flatten(c.version);  // first, so version.json keeps the receipt as sent
  v("receipt", c.receipt, kRequired);
}

template <typename V>
void Describe(V& v, LogPublicKey& k) {
  v("publicKeyPem", PemPublicKey{k.key}, kRequired);
  // Servers send the note key name as "origin" and, newer ones, "keyName";
  // read in this order the key name wins, and both are written.
  v("origin", k.origin);
  v("keyName", k.origin);
  v("keyId", k.key_id);
  v("noteVerifierKey", k.note_verifier_key);
}

template <typename V>
void Describe(V& v, NewSubmission& s) {
  v("dossier", s.dossier, kRequired);
  v("version", s.version, kRequired);
  v("agency", s.agency, kRequired);
  v("pathway", s.pathway, kRequired);
  v("changePlan", s.change_plan);
  v("changePlanVersion", s.change_plan_version, kOptionalNumber);
  v("note", s.note);
}

template <typename V>
void Describe(V& v, Submission& s) {
  v("id", s.id, kRequired);
  v("manufacturer", s.manufacturer);
  v("agency", s.agency);
  v("dossier", s.dossier);
  v("version", s.version);
  v("pathway", s.pathway);
  v("status", s.status);
  v("contentDigest", s.content_digest);
  v("mediaType", s.media_type);
  v("changePlan", s.change_plan);
  v("changePlanVersion", s.change_plan_version, kOptionalNumber);
  v("sectionDigests", s.section_digests);
  v.Raw(s.json_text);
}

template <typename V>
void Describe(V& v, DecisionSection& s) {
  v("code", s.code, kRequired);
  v("outcome", s.outcome);
  v("notes", s.notes);
  v("digest", s.digest);
}

template <typename V>
void Describe(V& v, Decision& d) {
  v("submission", d.submission, kRequired);
  v("outcome", d.outcome, kRequired);
  v("number", d.number);
  v("date", d.date);
  v("sections", d.sections);
}

template <typename V>
void Describe(V& v, NewRelianceAgreement& a) {
  v("peer", a.peer, kRequired);
  v("includeReviewReports", a.include_review_reports);
  v("outcomes", a.outcomes);
  v("validUntil", a.valid_until);
}

template <typename V>
void Describe(V& v, NewPeer& p) {
  v("url", p.url, kRequired);
  v("tenant", p.tenant, kRequired);
  v("token", p.token, kRequired);
  v("logPublicKeyPem", p.log_public_key_pem, kRequired);
}

template <typename V>
void Describe(V& v, Peer& p) {
  v("id", p.id, kRequired);
  v("url", p.url);
  v("tenant", p.tenant);
  v("status", p.status);
  v("error", p.error);
  v("origin", p.origin);
  v("lastSeq", p.last_seq);
  v("verifiedTreeSize", p.verified_tree_size);
  v("entries", p.entries);
  v.Raw(p.json_text);
}

template <typename V>
void Describe(V& v, SectionComparison& s) {
  v("code", s.code, kRequired);
  v("identical", s.identical);
  v("onlyIn", s.only_in);
}

template <typename V>
void Describe(V& v, ForeignDecision& d) {
  v("peer", d.peer);
  v("peerTenant", d.peer_tenant);
  v("peerOrigin", d.peer_origin);
  v("outcome", d.outcome);
  v("number", d.number);
  v("date", d.date);
  v("logIndex", d.log_index);
  v("attestation", d.attestation);
  v("identicalSections", d.identical_sections);
  v("differentSections", d.different_sections);
  v("sections", d.sections);
  v.Raw(d.json_text);
}

template <typename V>
void Describe(V& v, ProblemDocument& p) {
  v("code", p.code);
  v("title", p.title);
  v("detail", p.detail);
  v("field", p.field);
}

template <typename V>
void Describe(V& v, RememberedCheckpoint& c) {
  v("treeSize", c.tree_size, kRequired);
  v("rootHash", Base64Bytes{c.root_hash}, kRequired);
  v("origin", c.origin);
  v("keyId", c.key_id);
}

// ------------------------------------------------------------ the directions

template <typename T>
StatusOr<T> FromJson(const json::value& value, std::string_view path) {
  if (!value.is_object())
    return Problem(kRejectsUnknown<T>, std::string(path), "must be an object", "bad-field");
  T out;
  Reader reader(value.as_object(), path, kRejectsUnknown<T>);
  Describe(reader, out);
  DOSSIER_RETURN_IF_ERROR(reader.Finish());
  return out;
}

template <typename T>
json::object ToJson(const T& value) {
  Writer writer;
  Describe(writer, const_cast<T&>(value));  // Describe only reads through a Writer
  return writer.Take();
}

template <typename T>
StatusOr<std::vector<T>> ListFromJson(const json::object& object, std::string_view member) {
  std::vector<T> out;
  const json::value* items = object.if_contains(member);
  if (items == nullptr || items->is_null()) return out;
  if (!items->is_array()) return Problem(false, std::string(member), "must be an array", "bad-field");
  for (size_t i = 0; i < items->as_array().size(); ++i) {
    DOSSIER_ASSIGN_OR_RETURN(T item, FromJson<T>(items->as_array()[i], IndexPath(member, i)));
    out.push_back(std::move(item));
  }
  return out;
}

#define DOSSIER_JSON_MAPPED(T)                                            \
  template StatusOr<T> FromJson<T>(const json::value&, std::string_view); \
  template json::object ToJson<T>(const T&);                              \
  template StatusOr<std::vector<T>> ListFromJson<T>(const json::object&, std::string_view);
DOSSIER_JSON_MAPPED(Tenant)
DOSSIER_JSON_MAPPED(NewTenant)
DOSSIER_JSON_MAPPED(TokenInfo)
DOSSIER_JSON_MAPPED(KeyInfo)
DOSSIER_JSON_MAPPED(BlobInfo)
DOSSIER_JSON_MAPPED(ObjectInfo)
DOSSIER_JSON_MAPPED(VersionInfo)
DOSSIER_JSON_MAPPED(VersionPage)
DOSSIER_JSON_MAPPED(Version)
DOSSIER_JSON_MAPPED(Receipt)
DOSSIER_JSON_MAPPED(CommitResult)
DOSSIER_JSON_MAPPED(LogPublicKey)
DOSSIER_JSON_MAPPED(NewSubmission)
DOSSIER_JSON_MAPPED(Submission)
DOSSIER_JSON_MAPPED(DecisionSection)
DOSSIER_JSON_MAPPED(Decision)
DOSSIER_JSON_MAPPED(NewRelianceAgreement)
DOSSIER_JSON_MAPPED(NewPeer)
DOSSIER_JSON_MAPPED(Peer)
DOSSIER_JSON_MAPPED(SectionComparison)
DOSSIER_JSON_MAPPED(ForeignDecision)
DOSSIER_JSON_MAPPED(ProblemDocument)
DOSSIER_JSON_MAPPED(RememberedCheckpoint)
#undef DOSSIER_JSON_MAPPED

// ------------------------------------------------- shapes without their type

std::string_view ObjectListMember(ObjectKind kind) {
  return kind == ObjectKind::kDossier ? "dossiers" : "changePlans";
}

StatusOr<ObjectPage> ObjectPageFromJson(const json::value& value, ObjectKind kind) {
  if (!value.is_object()) return Problem(false, "", "must be an object", "bad-field");
  ObjectPage page;
  const auto& o = value.as_object();
  DOSSIER_ASSIGN_OR_RETURN(page.items, ListFromJson<ObjectInfo>(o, ObjectListMember(kind)));
  if (const json::value* token = o.if_contains("nextPageToken"); token && !token->is_null()) {
    if (!token->is_string()) return Problem(false, "nextPageToken", "must be a string", "bad-field");
    page.next_page_token = std::string(token->as_string());
  }
  return page;
}

json::object ObjectPageToJson(const ObjectPage& page, ObjectKind kind) {
  json::array items;
  for (const auto& item : page.items) items.push_back(ToJson(item));
  json::object o{{ObjectListMember(kind), std::move(items)}};
  if (!page.next_page_token.empty()) o["nextPageToken"] = page.next_page_token;
  return o;
}

StatusOr<std::vector<std::string>> ProofFromJson(const json::value& value) {
  const json::value* hashes = value.is_object() ? value.as_object().if_contains("hashes") : nullptr;
  if (hashes == nullptr || !hashes->is_array())
    return Problem(false, "hashes", "is required", "missing-field");
  std::vector<std::string> out;
  for (size_t i = 0; i < hashes->as_array().size(); ++i) {
    const json::value& h = hashes->as_array()[i];
    const std::string path = IndexPath("hashes", i);
    if (!h.is_string()) return Problem(false, path, "must be base64", "bad-field");
    auto raw = trust::Base64Decode(h.as_string());
    if (!raw.ok()) return Problem(false, path, "must be base64", "bad-field");
    out.push_back(std::move(raw).value());
  }
  return out;
}

json::object ProofToJson(const std::vector<std::string>& hashes) {
  json::array a;
  for (const auto& h : hashes) a.emplace_back(trust::Base64Encode(h));
  return json::object{{"hashes", std::move(a)}};
}

StatusOr<json::object> ParseCallerObject(std::string_view text, std::string_view argument) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return InvalidArgument(
        std::string(argument) + " is not JSON text of an object" + (ec ? ": " + ec.message() : std::string()),
        "bad-json", std::string(argument));
  }
  return std::move(v.as_object());
}

StatusOr<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Problem(false, "", "is not a JSON object", "bad-field");
  return std::move(v.as_object());
}

}  // namespace dossier::client::internal
