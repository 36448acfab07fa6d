#include "server/log_evidence.h"

#include "trust/encoding.h"
#include "trust/log_leaf.h"

namespace dossier::server {
namespace json = boost::json;

json::array Base64HashList(const std::vector<std::string>& hashes) {
  json::array a;
  for (const auto& h : hashes) a.emplace_back(trust::Base64Encode(h));
  return a;
}

Status AddSignerKeyEvidence(const storage::Store& store, const storage::KeyRecord& key, uint64_t tree_size,
                            trust::Bundle& bundle) {
  bundle.signer_public_key_pem = key.public_key_pem();
  DOSSIER_ASSIGN_OR_RETURN(bundle.signer_key_leaf, trust::DecodeLogLeaf(key.leaf_data()));
  bundle.signer_key_log_index = key.log_index();
  DOSSIER_ASSIGN_OR_RETURN(bundle.signer_key_inclusion_proof,
                           store.LogInclusionProof(key.log_index(), tree_size));
  bundle.signer_key_revocation.reset();
  // A key revoked after the checkpoint was signed is revoked in the next one.
  if (key.revoked_ms() != 0 && key.revoked_log_index() < tree_size) {
    trust::KeyRevocationEvidence revocation;
    DOSSIER_ASSIGN_OR_RETURN(std::string leaf_data, store.LogLeafData(key.revoked_log_index()));
    DOSSIER_ASSIGN_OR_RETURN(revocation.leaf, trust::DecodeLogLeaf(leaf_data));
    revocation.log_index = key.revoked_log_index();
    DOSSIER_ASSIGN_OR_RETURN(revocation.inclusion_proof,
                             store.LogInclusionProof(revocation.log_index, tree_size));
    bundle.signer_key_revocation = std::move(revocation);
  }
  return Status::Ok();
}

StatusOr<trust::Bundle> VersionBundle(const storage::Store& store, const std::string& tenant,
                                      const storage::VersionRecord& v, const std::string& checkpoint_note,
                                      uint64_t tree_size) {
  DOSSIER_ASSIGN_OR_RETURN(auto key, store.GetKey(tenant, v.signer_key_id()));
  trust::Bundle bundle;
  bundle.content_digest = v.content_digest();
  bundle.media_type = v.media_type();
  DOSSIER_ASSIGN_OR_RETURN(bundle.envelope, trust::ParseEnvelope(v.envelope_json()));
  DOSSIER_RETURN_IF_ERROR(AddSignerKeyEvidence(store, key, tree_size, bundle));
  DOSSIER_ASSIGN_OR_RETURN(bundle.leaf, trust::DecodeLogLeaf(v.leaf_data()));
  bundle.log_index = v.log_index();
  DOSSIER_ASSIGN_OR_RETURN(bundle.inclusion_proof, store.LogInclusionProof(v.log_index(), tree_size));
  bundle.checkpoint_note = checkpoint_note;
  return bundle;
}

json::object SignerFeedJson(const trust::Bundle& bundle, const std::string& key_id) {
  json::object signer{{"keyId", key_id},
                      {"publicKeyPem", bundle.signer_public_key_pem},
                      {"logIndex", bundle.signer_key_log_index},
                      {"leafData", trust::Base64Encode(trust::EncodeLogLeaf(bundle.signer_key_leaf))},
                      {"inclusionProof", Base64HashList(bundle.signer_key_inclusion_proof)}};
  if (bundle.signer_key_revocation) {
    const trust::KeyRevocationEvidence& r = *bundle.signer_key_revocation;
    signer["revocation"] = json::object{{"logIndex", r.log_index},
                                        {"leafData", trust::Base64Encode(trust::EncodeLogLeaf(r.leaf))},
                                        {"inclusionProof", Base64HashList(r.inclusion_proof)}};
  }
  return signer;
}

}  // namespace dossier::server
