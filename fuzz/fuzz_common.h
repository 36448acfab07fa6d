// Shared by the fuzz targets and the seed generator: fixed keys (so seeds
// generated once verify inside every fuzzer process), a small valid dossier
// and a complete, valid offline bundle built in memory.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "trust/bundle.h"
#include "trust/checkpoint.h"
#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/keys.h"
#include "trust/log_leaf.h"
#include "trust/merkle.h"
#include "trust/statement.h"

namespace dossier::fuzz {

// The transparency log's origin (also its note key name) in every seed.
inline constexpr std::string_view kLogOrigin = "fuzz.example/log";
inline constexpr std::string_view kTenant = "acme";
inline constexpr std::string_view kDossierMediaType = "application/vnd.dossier.v1+json";

// An Ed25519 key from a seed of 32 equal bytes: 1 = the log, 2 = the signer.
inline const trust::PrivateKey& FixedKey(unsigned char which) {
  static const trust::PrivateKey log = trust::PrivateKey::FromRawEd25519(std::string(32, '\x01')).value();
  static const trust::PrivateKey signer = trust::PrivateKey::FromRawEd25519(std::string(32, '\x02')).value();
  return which == 1 ? log : signer;
}
inline const trust::PrivateKey& LogKey() { return FixedKey(1); }
inline const trust::PrivateKey& SignerKey() { return FixedKey(2); }

// A valid dossier.v1 JSON whose one section names `documents`.
inline std::string SmallDossierJson(const std::string& trade_name,
                                    const std::vector<std::string>& documents) {
  std::string docs;
  for (size_t i = 0; i < documents.size(); ++i) {
    if (i) docs += ",";
    docs += R"({"digest":")" + documents[i] + R"(","mediaType":"application/pdf","fileName":"doc-)" +
            std::to_string(i) + R"(.pdf"})";
  }
  return R"({"tocEdition":"IMDRF-N9-ED4","device":{"tradeName":")" + trade_name +
         R"(","identifiers":[{"type":"UDI_DI","value":"00614141999996","issuer":"GS1"}]},"sections":[{"code":"2.04.01","documents":[)" +
         docs + "]}]}";
}

// The documents and version contents the HTTP fuzzer's world stores (and the
// seeds refer to): document i is "%PDF-1.7 fuzz document i\n".
inline std::string WorldDocument(int i) { return "%PDF-1.7 fuzz document " + std::to_string(i) + "\n"; }
inline std::vector<std::string> WorldDocumentDigests() {
  std::vector<std::string> out;
  for (int i = 0; i < 4; ++i) out.push_back(trust::DigestRef(trust::Sha256(WorldDocument(i))));
  return out;
}
inline std::string WorldContent(int version) {
  return SmallDossierJson("Fuzz v" + std::to_string(version), WorldDocumentDigests());
}

// The signed envelope of a statement by SignerKey().
inline trust::DsseEnvelope SignedStatement(const trust::Statement& statement) {
  return trust::SignEnvelope(trust::kStatementPayloadType, trust::SerializeStatement(statement), SignerKey())
      .value();
}

// A complete bundle for version 1 of acme's dossiers/d with `content`, in a
// two-leaf log (the signer key's registration, then the version), checkpoint
// signed by LogKey(). VerifyBundle(bundle, kLogOrigin, LogKey().public_key(),
// &content) succeeds.
inline trust::Bundle ValidBundle(const std::string& content) {
  const trust::PublicKey signer = SignerKey().public_key();
  trust::Statement st{
      std::string(kTenant),          "dossiers/d", 1, "", trust::DigestRef(trust::Sha256(content)),
      std::string(kDossierMediaType)};
  trust::Bundle b;
  b.content_digest = st.content_digest;
  b.media_type = st.media_type;
  b.envelope = SignedStatement(st);
  b.signer_public_key_pem = signer.Pem();
  b.signer_key_leaf = trust::LogLeaf{std::string(trust::kLeafKindKeyRegistered),
                                     std::string(kTenant),
                                     "keys/" + signer.KeyId(),
                                     0,
                                     "",
                                     trust::KeyLeafDigest(signer),
                                     1000};
  b.signer_key_log_index = 0;
  b.leaf = trust::LogLeaf{std::string(trust::kLeafKindVersion),
                          std::string(kTenant),
                          st.object,
                          1,
                          st.content_digest,
                          trust::DigestRef(trust::Sha256(trust::SerializeEnvelope(b.envelope))),
                          2000};
  b.log_index = 1;
  trust::MemoryMerkleTree tree;
  tree.Append(trust::LogLeafHash(b.signer_key_leaf));
  tree.Append(trust::LogLeafHash(b.leaf));
  b.signer_key_inclusion_proof = trust::InclusionProof(tree, 0, 2).value();
  b.inclusion_proof = trust::InclusionProof(tree, 1, 2).value();
  trust::Checkpoint cp{std::string(kLogOrigin), 2, tree.Root(), {}};
  b.checkpoint_note = trust::SignNote(trust::CheckpointBody(cp), kLogOrigin, LogKey()).value();
  return b;
}

// A fuzz-found invariant violation: print and abort so libFuzzer saves the input.
[[noreturn]] inline void Violation(const std::string& what) {
  std::cerr << "INVARIANT VIOLATED: " << what << std::endl;
  std::abort();
}

}  // namespace dossier::fuzz
