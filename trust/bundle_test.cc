#define BOOST_TEST_MODULE trust_bundle
#include "trust/bundle.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>
#include <functional>

#include "trust/digest.h"
#include "trust/encoding.h"
#include "trust/json_forms.h"
#include "trust/merkle.h"

using namespace dossier::trust;

namespace {

constexpr std::string_view kOrigin = "dossier.test/log";

LogLeaf Filler(int i) {
  LogLeaf l;
  l.kind = "version";
  l.tenant = "other";
  l.object = "dossiers/filler";
  l.version = static_cast<uint64_t>(i + 1);
  l.content_digest = DigestRef(Sha256("filler content " + std::to_string(i)));
  l.envelope_digest = DigestRef(Sha256("filler envelope " + std::to_string(i)));
  l.timestamp_ms = 1700000000000 + i;
  return l;
}

// A realistic log: fillers, the signer's key registration at index 2, the
// signed version at index 5, more fillers, checkpoint at size 9.
struct World {
  World() {
    log_key = PrivateKey::Generate(KeyAlgorithm::kEd25519).value();
    signer = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256).value();
    content = R"({"tocEdition":"IMDRF-N9-ED4","device":{"tradeName":"Pump X"},"sections":[]})";

    Statement st;
    st.tenant = "acme";
    st.object = "dossiers/pump-x";
    st.version = 1;
    st.content_digest = DigestRef(Sha256(content));
    st.media_type = "application/vnd.dossier.v1+json";
    bundle.envelope = SignEnvelope(kStatementPayloadType, SerializeStatement(st), signer).value();
    bundle.content_digest = st.content_digest;
    bundle.media_type = st.media_type;
    bundle.signer_public_key_pem = signer.public_key().Pem();

    bundle.signer_key_leaf.kind = "key-registered";
    bundle.signer_key_leaf.tenant = "acme";
    bundle.signer_key_leaf.object = "keys/" + signer.public_key().KeyId();
    bundle.signer_key_leaf.envelope_digest = KeyLeafDigest(signer.public_key());
    bundle.signer_key_leaf.timestamp_ms = 1700000000100;

    bundle.leaf.kind = "version";
    bundle.leaf.tenant = st.tenant;
    bundle.leaf.object = st.object;
    bundle.leaf.version = st.version;
    bundle.leaf.content_digest = st.content_digest;
    bundle.leaf.envelope_digest = DigestRef(Sha256(SerializeEnvelope(bundle.envelope)));
    bundle.leaf.timestamp_ms = 1700000000500;

    for (int i = 0; i < 9; ++i) {
      LogLeaf l = i == 2 ? bundle.signer_key_leaf : i == 5 ? bundle.leaf : Filler(i);
      tree.Append(LogLeafHash(l));
    }
    bundle.signer_key_log_index = 2;
    bundle.signer_key_inclusion_proof = InclusionProof(tree, 2, 9).value();
    bundle.log_index = 5;
    bundle.inclusion_proof = InclusionProof(tree, 5, 9).value();
    bundle.checkpoint_note = SignCheckpoint(9);
  }

  std::string SignCheckpoint(uint64_t size, std::string_view origin = kOrigin) const {
    Checkpoint cp;
    cp.origin = std::string(origin);
    cp.tree_size = size;
    cp.root_hash = RootHash(tree, size).value();
    return SignNote(CheckpointBody(cp), kOrigin, log_key).value();
  }

  std::string Verify(const Bundle& b, const std::string* bytes = nullptr) const {
    auto r = VerifyBundle(b, kOrigin, log_key.public_key(), bytes);
    return r.ok() ? "ok" : r.status().reason();
  }

  PrivateKey log_key = PrivateKey::Generate(KeyAlgorithm::kEd25519).value();
  PrivateKey signer = PrivateKey::Generate(KeyAlgorithm::kEd25519).value();
  std::string content;
  MemoryMerkleTree tree;
  Bundle bundle;
};

// Re-signs a tampered statement so only the intended check fails.
void ResignStatement(Bundle& b, const PrivateKey& key, const std::function<void(Statement&)>& edit) {
  Statement st = ParseStatement(b.envelope.payload).value();
  edit(st);
  b.envelope = SignEnvelope(kStatementPayloadType, SerializeStatement(st), key).value();
}

}  // namespace

BOOST_AUTO_TEST_CASE(log_leaf_encoding) {
  LogLeaf leaf = Filler(3);
  leaf.timestamp_ms = -5;
  std::string enc = EncodeLogLeaf(leaf);
  BOOST_TEST(enc == "dossier-log-leaf/v1\nversion\nother\ndossiers/filler\n4\n" + leaf.content_digest + "\n" +
                        leaf.envelope_digest + "\n-5\n");
  BOOST_TEST((*DecodeLogLeaf(enc) == leaf));
  BOOST_TEST(LogLeafHash(leaf) == LeafHash(enc));
  LogLeaf key_leaf;
  key_leaf.kind = "key-registered";
  key_leaf.tenant = "acme";
  key_leaf.object = "keys/x";
  key_leaf.envelope_digest = DigestRef(Sha256("spki"));
  BOOST_TEST((*DecodeLogLeaf(EncodeLogLeaf(key_leaf)) == key_leaf));

  std::string digest = leaf.content_digest;
  for (const std::string& bad : std::vector<std::string>{
           std::string(""),
           enc.substr(0, enc.size() - 1),
           enc + "extra\n",
           "dossier-log-leaf/v2" + enc.substr(19),
           "dossier-log-leaf/v1\nVersion\nt\no\n1\n\n" + digest + "\n0\n",
           "dossier-log-leaf/v1\nversion\nt\no\n01\n\n" + digest + "\n0\n",
           "dossier-log-leaf/v1\nversion\nt\no\n-1\n\n" + digest + "\n0\n",
           "dossier-log-leaf/v1\nversion\nt\no\n1\n\n" + digest + "\n-0\n",
           "dossier-log-leaf/v1\nversion\nt\no\n1\n\n" + digest + "\n007\n",
           "dossier-log-leaf/v1\nversion\nt\no\n1\nsha256:x\n" + digest + "\n0\n",
           "dossier-log-leaf/v1\nversion\nt\no\n1\n\n\n0\n",
           "dossier-log-leaf/v1\nversion\nt\to\n1\n\n" + digest + "\n0\n",
       }) {
    BOOST_TEST(DecodeLogLeaf(bad).status().reason() == "bad-log-leaf", bad);
  }
  BOOST_TEST(ReceiptMessage("o", 7, std::string(32, '\0')) ==
             "dossier-receipt/v1\no\n7\n" + Base64Encode(std::string(32, '\0')) + "\n");
}

BOOST_AUTO_TEST_CASE(valid_bundle_verifies_and_round_trips_json) {
  World w;
  auto v = VerifyBundle(w.bundle, kOrigin, w.log_key.public_key(), &w.content);
  BOOST_REQUIRE(v.ok());
  BOOST_TEST(v->statement.tenant == "acme");
  BOOST_TEST(v->checkpoint.tree_size == 9u);
  BOOST_TEST(v->signer_key_id == w.signer.public_key().KeyId());

  std::string json = boost::json::serialize(BundleToJson(w.bundle));
  auto parsed = BundleFromJson(json);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(boost::json::serialize(BundleToJson(*parsed)) == json);
  BOOST_TEST(w.Verify(*parsed, &w.content) == "ok");

  // 64-bit integers as strings (protobuf JSON mapping) are accepted.
  boost::json::object o = BundleToJson(w.bundle);
  o["logIndex"] = "5";
  o["leaf"].as_object()["timestampMs"] = "1700000000500";
  auto stringly = BundleFromJson(boost::json::serialize(o));
  BOOST_REQUIRE(stringly.ok());
  BOOST_TEST(w.Verify(*stringly) == "ok");
}

BOOST_AUTO_TEST_CASE(bundle_json_rejects_with_field_paths) {
  World w;
  auto with = [&](const std::function<void(boost::json::object&)>& edit) {
    boost::json::object o = BundleToJson(w.bundle);
    edit(o);
    return BundleFromJson(boost::json::serialize(o)).status();
  };
  const std::pair<std::function<void(boost::json::object&)>, const char*> cases[] = {
      {[](auto& o) { o.erase("contentDigest"); }, "contentDigest"},
      {[](auto& o) { o["logIndex"] = -1; }, "logIndex"},
      {[](auto& o) { o["logIndex"] = 1.5; }, "logIndex"},
      {[](auto& o) { o["logIndex"] = "5x"; }, "logIndex"},
      {[](auto& o) { o["inclusionProof"].as_array()[1] = "AAAA"; }, "inclusionProof[1]"},
      {[](auto& o) { o["inclusionProof"] = "x"; }, "inclusionProof"},
      {[](auto& o) { o["envelope"].as_object()["payload"] = "!"; }, "envelope.payload"},
      {[](auto& o) { o["leaf"].as_object()["kind"] = 3; }, "leaf.kind"},
      {[](auto& o) { o["leaf"].as_object()["envelopeDigest"] = "sha256:0"; }, "leaf.envelopeDigest"},
      {[](auto& o) { o["signerKeyLeaf"] = nullptr; }, "signerKeyLeaf"},
      {[](auto& o) { o.erase("checkpoint"); }, "checkpoint"},
  };
  for (const auto& [edit, field] : cases) {
    dossier::Status s = with(edit);
    BOOST_TEST(s.reason() == "bad-bundle", field);
    BOOST_TEST(s.field() == field);
  }
  BOOST_TEST(BundleFromJson("[]").status().reason() == "bad-bundle");
  BOOST_TEST(BundleFromJson("{").status().reason() == "bad-bundle");
}

BOOST_AUTO_TEST_CASE(every_tamper_has_its_reason) {
  World w;
  const Bundle& good = w.bundle;
  auto check = [&](const char* what, const std::function<void(Bundle&)>& edit, const char* reason,
                   const std::string* bytes = nullptr) {
    Bundle b = good;
    edit(b);
    BOOST_TEST(w.Verify(b, bytes) == reason, what);
  };

  // Checkpoint.
  check(
      "checkpoint signed by another key",
      [&](Bundle& b) {
        auto other = PrivateKey::Generate(KeyAlgorithm::kEd25519).value();
        Checkpoint cp =
            *ParseCheckpointBody(b.checkpoint_note.substr(0, b.checkpoint_note.rfind("\n\n") + 1));
        b.checkpoint_note = *SignNote(CheckpointBody(cp), kOrigin, other);
      },
      "note-signature-invalid");
  check(
      "checkpoint size edited",
      [](Bundle& b) { b.checkpoint_note.replace(b.checkpoint_note.find("\n9\n"), 3, "\n8\n"); },
      "note-signature-invalid");
  check(
      "checkpoint for another origin",
      [&](Bundle& b) { b.checkpoint_note = w.SignCheckpoint(9, "elsewhere"); }, "wrong-log-origin");
  check(
      "checkpoint garbage", [](Bundle& b) { b.checkpoint_note = "nonsense"; }, "bad-note");

  // Signer key and envelope.
  check(
      "signer key not PEM", [](Bundle& b) { b.signer_public_key_pem = "x"; }, "bad-key");
  check(
      "signer key swapped",
      [](Bundle& b) {
        b.signer_public_key_pem = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256)->public_key().Pem();
      },
      "signature-invalid");
  check(
      "payload type", [](Bundle& b) { b.envelope.payload_type = "application/json"; }, "wrong-payload-type");
  check(
      "payload edited", [](Bundle& b) { b.envelope.payload[10] ^= 1; }, "signature-invalid");
  check(
      "sig edited", [](Bundle& b) { b.envelope.signatures[0].sig[8] ^= 1; }, "signature-invalid");
  check(
      "no sigs", [](Bundle& b) { b.envelope.signatures.clear(); }, "no-signatures");
  check(
      "payload not a statement",
      [&](Bundle& b) { b.envelope = *SignEnvelope(kStatementPayloadType, "{}", w.signer); }, "bad-statement");

  // Statement vs bundle.
  check(
      "content digest", [](Bundle& b) { b.content_digest = DigestRef(Sha256("other")); },
      "statement-mismatch");
  check(
      "media type", [](Bundle& b) { b.media_type = "application/vnd.dossier.v1+protobuf"; },
      "statement-mismatch");

  // Leaf vs statement and envelope (statement re-signed so the leaf check is what fails).
  check(
      "statement tenant",
      [&](Bundle& b) { ResignStatement(b, w.signer, [](Statement& s) { s.tenant = "evil"; }); },
      "leaf-mismatch");
  check(
      "statement object",
      [&](Bundle& b) { ResignStatement(b, w.signer, [](Statement& s) { s.object = "dossiers/y"; }); },
      "leaf-mismatch");
  check(
      "statement version",
      [&](Bundle& b) { ResignStatement(b, w.signer, [](Statement& s) { s.version = 2; }); }, "leaf-mismatch");
  check(
      "envelope re-signed (different envelope digest)",
      [&](Bundle& b) { ResignStatement(b, w.signer, [](Statement&) {}); }, "leaf-mismatch");
  check(
      "leaf kind", [](Bundle& b) { b.leaf.kind = "key-registered"; }, "leaf-mismatch");
  check(
      "leaf content digest", [](Bundle& b) { b.leaf.content_digest = DigestRef(Sha256("x")); },
      "leaf-mismatch");
  check(
      "leaf envelope digest", [](Bundle& b) { b.leaf.envelope_digest = DigestRef(Sha256("x")); },
      "leaf-mismatch");
  check(
      "leaf invalid", [](Bundle& b) { b.leaf.envelope_digest = "x"; }, "bad-log-leaf");

  // Leaf inclusion.
  check(
      "leaf timestamp (not covered by the proof)", [](Bundle& b) { b.leaf.timestamp_ms += 1; },
      "inclusion-proof-invalid");
  check(
      "log index", [](Bundle& b) { b.log_index = 4; }, "inclusion-proof-invalid");
  check(
      "log index beyond tree", [](Bundle& b) { b.log_index = 9; }, "inclusion-proof-invalid");
  for (size_t i = 0; i < good.inclusion_proof.size(); ++i) {
    check(
        "proof hash", [i](Bundle& b) { b.inclusion_proof[i][i] ^= 1; }, "inclusion-proof-invalid");
  }
  check(
      "proof truncated", [](Bundle& b) { b.inclusion_proof.pop_back(); }, "inclusion-proof-invalid");

  // Signer key leaf.
  check(
      "key leaf kind", [](Bundle& b) { b.signer_key_leaf.kind = "key-revoked"; }, "signer-key-mismatch");
  check(
      "key leaf tenant", [](Bundle& b) { b.signer_key_leaf.tenant = "other"; }, "signer-key-mismatch");
  check(
      "key leaf digest", [](Bundle& b) { b.signer_key_leaf.envelope_digest = DigestRef(Sha256("x")); },
      "signer-key-mismatch");
  check(
      "key registered after", [](Bundle& b) { b.signer_key_log_index = 5; }, "signer-key-not-before-leaf");
  check(
      "key registered later still", [](Bundle& b) { b.signer_key_log_index = 7; },
      "signer-key-not-before-leaf");
  check(
      "key leaf index", [](Bundle& b) { b.signer_key_log_index = 1; }, "signer-key-inclusion-invalid");
  check(
      "key leaf object", [](Bundle& b) { b.signer_key_leaf.object = "keys/other"; },
      "signer-key-inclusion-invalid");
  for (size_t i = 0; i < good.signer_key_inclusion_proof.size(); ++i) {
    check(
        "key proof hash", [i](Bundle& b) { b.signer_key_inclusion_proof[i][31 - i] ^= 1; },
        "signer-key-inclusion-invalid");
  }

  // Content bytes.
  std::string wrong = w.content + " ";
  check(
      "content bytes", [](Bundle&) {}, "content-digest-mismatch", &wrong);
  check(
      "content bytes ok", [](Bundle&) {}, "ok", &w.content);
  check(
      "no content bytes", [](Bundle&) {}, "ok", nullptr);
}

// ------------------------------------------------- signer key history
// Bundles whose every proof and signature is valid, built leaf by leaf, so
// that only the check under test can fail (the tampers above mostly break a
// proof as well, which another check would catch).
namespace {

constexpr int64_t kT0 = 1700000000000;

struct HistoryLog {
  LogLeaf KeyLeaf(std::string_view kind, const std::string& tenant, const PublicKey& key, int64_t at) const {
    LogLeaf l;
    l.kind = std::string(kind);
    l.tenant = tenant;
    l.object = "keys/" + key.KeyId();
    l.envelope_digest = KeyLeafDigest(key);
    l.timestamp_ms = at;
    return l;
  }
  uint64_t Add(const LogLeaf& l) { return tree.Append(LogLeafHash(l)); }
  // A version of "fda" signed by `signer` with `payload_type`, appended at `at`.
  // Returns the bundle with its leaf and envelope; proofs come from Finish.
  Bundle AddVersion(const PrivateKey& signer, int64_t at,
                    std::string_view payload_type = kStatementPayloadType) {
    Statement st;
    st.tenant = "fda";
    st.object = "submissions/s-1/decisions";
    st.version = 1;
    st.content_digest = DigestRef(Sha256("decision"));
    st.media_type = "application/vnd.dossier.decision.v1+json";
    Bundle b;
    b.envelope = SignEnvelope(payload_type, SerializeStatement(st), signer).value();
    b.content_digest = st.content_digest;
    b.media_type = st.media_type;
    b.signer_public_key_pem = signer.public_key().Pem();
    b.leaf = {"version",  st.tenant,         st.object,
              st.version, st.content_digest, DigestRef(Sha256(SerializeEnvelope(b.envelope))),
              at};
    b.log_index = Add(b.leaf);
    return b;
  }
  // Fills in the key leaf, the optional revocation and every proof against a
  // checkpoint of the whole log.
  Bundle Finish(Bundle b, const LogLeaf& key_leaf, uint64_t key_index,
                std::optional<std::pair<LogLeaf, uint64_t>> revocation = std::nullopt) const {
    const uint64_t size = tree.size();
    b.signer_key_leaf = key_leaf;
    b.signer_key_log_index = key_index;
    b.signer_key_inclusion_proof = InclusionProof(tree, key_index, size).value();
    if (revocation) {
      b.signer_key_revocation = KeyRevocationEvidence{revocation->first, revocation->second,
                                                      InclusionProof(tree, revocation->second, size).value()};
    }
    b.inclusion_proof = InclusionProof(tree, b.log_index, size).value();
    Checkpoint cp{std::string(kOrigin), size, RootHash(tree, size).value(), {}};
    b.checkpoint_note = SignNote(CheckpointBody(cp), kOrigin, log_key).value();
    return b;
  }
  std::string Verify(const Bundle& b) const {
    auto r = VerifyBundle(b, kOrigin, log_key.public_key(), nullptr);
    return r.ok() ? "ok" : r.status().reason();
  }

  PrivateKey log_key = PrivateKey::Generate(KeyAlgorithm::kEd25519).value();
  PrivateKey fda_key = PrivateKey::Generate(KeyAlgorithm::kEd25519).value();
  MemoryMerkleTree tree;
};

}  // namespace

BOOST_AUTO_TEST_CASE(key_registered_after_the_version_is_refused) {
  HistoryLog log;
  Bundle b = log.AddVersion(log.fda_key, kT0 + 10);
  const LogLeaf key = log.KeyLeaf(kLeafKindKeyRegistered, "fda", log.fda_key.public_key(), kT0 + 20);
  const uint64_t key_index = log.Add(key);
  BOOST_TEST(log.Verify(log.Finish(b, key, key_index)) == "signer-key-not-before-leaf");
}

BOOST_AUTO_TEST_CASE(foreign_payload_type_is_refused_even_when_validly_signed) {
  HistoryLog log;
  const LogLeaf key = log.KeyLeaf(kLeafKindKeyRegistered, "fda", log.fda_key.public_key(), kT0);
  const uint64_t key_index = log.Add(key);
  BOOST_TEST(log.Verify(log.Finish(log.AddVersion(log.fda_key, kT0 + 10), key, key_index)) == "ok");
  // The same statement bytes under another DSSE type: the signature (over
  // PAE(type, payload)) is valid, the statement parses, the leaf records it.
  Bundle foreign = log.AddVersion(log.fda_key, kT0 + 20, "application/vnd.in-toto+json");
  BOOST_TEST(log.Verify(log.Finish(foreign, key, key_index)) == "wrong-payload-type");
}

BOOST_AUTO_TEST_CASE(key_of_another_tenant_is_refused) {
  HistoryLog log;
  // "hsa" registered the key that signed fda's statement, in the same log.
  const LogLeaf key = log.KeyLeaf(kLeafKindKeyRegistered, "hsa", log.fda_key.public_key(), kT0);
  const uint64_t key_index = log.Add(key);
  BOOST_TEST(log.Verify(log.Finish(log.AddVersion(log.fda_key, kT0 + 10), key, key_index)) ==
             "signer-key-mismatch");
}

BOOST_AUTO_TEST_CASE(revocation_at_or_before_the_version_is_refused) {
  HistoryLog log;
  const PublicKey& pub = log.fda_key.public_key();
  const LogLeaf key = log.KeyLeaf(kLeafKindKeyRegistered, "fda", pub, kT0);
  const uint64_t key_index = log.Add(key);

  {  // Revoked (effective at once), then a version signed by it lands.
    HistoryLog l2 = log;
    const LogLeaf revoked = l2.KeyLeaf(kLeafKindKeyRevoked, "fda", pub, kT0 + 5);
    const uint64_t revoked_index = l2.Add(revoked);
    Bundle b = l2.AddVersion(l2.fda_key, kT0 + 10);
    BOOST_TEST(l2.Verify(l2.Finish(b, key, key_index, {{revoked, revoked_index}})) == "signer-key-revoked");
    // Effective in the same millisecond as the version: still revoked.
    HistoryLog l3 = log;
    const LogLeaf same_ms = l3.KeyLeaf(kLeafKindKeyRevoked, "fda", pub, kT0 + 10);
    const uint64_t same_index = l3.Add(same_ms);
    Bundle b3 = l3.AddVersion(l3.fda_key, kT0 + 10);
    BOOST_TEST(l3.Verify(l3.Finish(b3, key, key_index, {{same_ms, same_index}})) == "signer-key-revoked");
    // Without the revocation leaf, the same bundle verifies: the bundle must carry it.
    BOOST_TEST(l2.Verify(l2.Finish(b, key, key_index)) == "ok");
  }
  {  // A revocation logged first but effective later (scheduled): the version stands.
    HistoryLog l2 = log;
    const LogLeaf scheduled = l2.KeyLeaf(kLeafKindKeyRevoked, "fda", pub, kT0 + 1000);
    const uint64_t scheduled_index = l2.Add(scheduled);
    Bundle b = l2.AddVersion(l2.fda_key, kT0 + 10);
    BOOST_TEST(l2.Verify(l2.Finish(b, key, key_index, {{scheduled, scheduled_index}})) == "ok");
  }
  {  // The version, then a revocation effective from before it (key compromised).
    HistoryLog l2 = log;
    Bundle b = l2.AddVersion(l2.fda_key, kT0 + 10);
    const LogLeaf backdated = l2.KeyLeaf(kLeafKindKeyRevoked, "fda", pub, kT0 + 9);
    const uint64_t backdated_index = l2.Add(backdated);
    BOOST_TEST(l2.Verify(l2.Finish(b, key, key_index, {{backdated, backdated_index}})) ==
               "signer-key-revoked-retroactively");
    // Revoked from now in the millisecond the version was logged, and logged
    // after it: the version came first, so it stands (the log orders a tie).
    HistoryLog l4 = log;
    Bundle b4 = l4.AddVersion(l4.fda_key, kT0 + 10);
    const LogLeaf same_ms_after = l4.KeyLeaf(kLeafKindKeyRevoked, "fda", pub, kT0 + 10);
    const uint64_t same_ms_after_index = l4.Add(same_ms_after);
    BOOST_TEST(l4.Verify(l4.Finish(b4, key, key_index, {{same_ms_after, same_ms_after_index}})) == "ok");
    // Revoked later, effective later: the version stands.
    HistoryLog l3 = log;
    Bundle b3 = l3.AddVersion(l3.fda_key, kT0 + 10);
    const LogLeaf later = l3.KeyLeaf(kLeafKindKeyRevoked, "fda", pub, kT0 + 11);
    const uint64_t later_index = l3.Add(later);
    BOOST_TEST(l3.Verify(l3.Finish(b3, key, key_index, {{later, later_index}})) == "ok");
  }
}

BOOST_AUTO_TEST_CASE(revocation_evidence_must_be_the_keys_and_in_the_log) {
  HistoryLog log;
  const PublicKey& pub = log.fda_key.public_key();
  const LogLeaf key = log.KeyLeaf(kLeafKindKeyRegistered, "fda", pub, kT0);
  const uint64_t key_index = log.Add(key);
  const LogLeaf revoked = log.KeyLeaf(kLeafKindKeyRevoked, "fda", pub, kT0 + 1000);
  const uint64_t revoked_index = log.Add(revoked);
  const LogLeaf other_key = log.KeyLeaf(kLeafKindKeyRevoked, "fda",
                                        PrivateKey::Generate(KeyAlgorithm::kEd25519)->public_key(), kT0);
  const uint64_t other_index = log.Add(other_key);
  LogLeaf other_tenant = revoked;
  other_tenant.tenant = "hsa";
  const uint64_t other_tenant_index = log.Add(other_tenant);
  const Bundle b = log.AddVersion(log.fda_key, kT0 + 10);
  const Bundle good = log.Finish(b, key, key_index, {{revoked, revoked_index}});
  BOOST_TEST(log.Verify(good) == "ok");

  BOOST_TEST(log.Verify(log.Finish(b, key, key_index, {{other_key, other_index}})) ==
             "signer-key-revocation-mismatch");
  BOOST_TEST(log.Verify(log.Finish(b, key, key_index, {{other_tenant, other_tenant_index}})) ==
             "signer-key-revocation-mismatch");
  BOOST_TEST(log.Verify(log.Finish(b, key, key_index, {{key, key_index}})) ==
             "signer-key-revocation-mismatch");
  Bundle moved = good;
  moved.signer_key_revocation->log_index = other_index;
  BOOST_TEST(log.Verify(moved) == "signer-key-revocation-inclusion-invalid");
  Bundle backdated = good;  // the timestamp is covered by the proof
  backdated.signer_key_revocation->leaf.timestamp_ms = kT0;
  BOOST_TEST(log.Verify(backdated) == "signer-key-revocation-inclusion-invalid");
  Bundle invalid = good;
  invalid.signer_key_revocation->leaf.envelope_digest = "x";
  BOOST_TEST(log.Verify(invalid) == "bad-log-leaf");

  // JSON: the revocation round-trips; absent stays absent; bad shapes have paths.
  const std::string json = boost::json::serialize(BundleToJson(good));
  auto parsed = BundleFromJson(json);
  BOOST_REQUIRE(parsed.ok());
  BOOST_REQUIRE(parsed->signer_key_revocation.has_value());
  BOOST_TEST(parsed->signer_key_revocation->log_index == revoked_index);
  BOOST_TEST(boost::json::serialize(BundleToJson(*parsed)) == json);
  BOOST_TEST(log.Verify(*parsed) == "ok");
  // A finished bundle without a revocation (`b` alone has no signer key leaf
  // yet, so it does not parse: reading its value was undefined behaviour
  // until StatusOr::value() began to fail loudly).
  auto without = BundleFromJson(boost::json::serialize(BundleToJson(log.Finish(b, key, key_index, {}))));
  BOOST_REQUIRE_MESSAGE(without.ok(), without.status().ToString());
  BOOST_TEST(!without->signer_key_revocation.has_value());
  boost::json::object o = BundleToJson(good);
  o["signerKeyRevocation"].as_object()["logIndex"] = "x";
  BOOST_TEST(BundleFromJson(boost::json::serialize(o)).status().field() == "signerKeyRevocation.logIndex");
  o = BundleToJson(good);
  o["signerKeyRevocation"].as_object()["leaf"].as_object().erase("kind");
  BOOST_TEST(BundleFromJson(boost::json::serialize(o)).status().field() == "signerKeyRevocation.leaf.kind");
  o["signerKeyRevocation"] = 3;
  BOOST_TEST(BundleFromJson(boost::json::serialize(o)).status().field() == "signerKeyRevocation");
}

// The many-bundle verifier gives VerifyBundle's answer for each bundle, also
// when the note or a signer key it remembered changes.
BOOST_AUTO_TEST_CASE(bundle_verifier_agrees_with_verify_bundle) {
  World w;
  BundleVerifier verifier(std::string(kOrigin), w.log_key.public_key());
  BOOST_TEST(verifier.Verify(w.bundle, &w.content).ok());
  Bundle other_note = w.bundle;
  other_note.checkpoint_note = w.SignCheckpoint(9, "elsewhere");
  BOOST_TEST(verifier.Verify(other_note, nullptr).status().reason() == "wrong-log-origin");
  Bundle forged_note = w.bundle;
  forged_note.checkpoint_note.replace(forged_note.checkpoint_note.find("\n9\n"), 3, "\n8\n");
  BOOST_TEST(verifier.Verify(forged_note, nullptr).status().reason() == "note-signature-invalid");
  Bundle swapped = w.bundle;
  swapped.signer_public_key_pem = PrivateKey::Generate(KeyAlgorithm::kEd25519)->public_key().Pem();
  BOOST_TEST(verifier.Verify(swapped, nullptr).status().reason() == "signature-invalid");
  BOOST_TEST(verifier.Verify(w.bundle, &w.content).ok());
}
