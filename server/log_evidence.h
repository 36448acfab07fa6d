// The log evidence of a signed version, as bundles (GET .../bundle) and
// reliance feed entries carry it: the signer key's registration and, when
// there is one, its revocation, each with an inclusion proof; and the
// trust::Bundle a pulling node rebuilds from a feed entry
// (trust/feed_evidence.h), to check it with trust::VerifyBundle, the one
// verification path also used by the SDK and `dossier verify`.
//
// Wire format of the evidence members of one feed entry (other members, such
// as "seq", "outcome" or "reviewed", are the feed route's business):
//   {"object": "submissions/<id>/decisions", "version": 1,
//    "contentDigest": "sha256:<hex>", "mediaType": "...",
//    "logIndex": 17, "leafData": "<base64 encoded log leaf>",
//    "inclusionProof": ["<base64 32 bytes>", ...],
//    "envelope": { DSSE envelope },
//    "content": "<base64 decision bytes>",            (only with review reports)
//    "signer": {"keyId": "<hex>", "publicKeyPem": "...", "logIndex": 3,
//               "leafData": "<base64>", "inclusionProof": [...],
//               "revocation": {"logIndex": 40, "leafData": "<base64>",
//                              "inclusionProof": [...]}}}   (only when revoked)
// Every proof is against the page's "checkpoint". "revocation" was added in
// issue 13; a puller from before ignores it, and a peer from before never
// sends it (its entries then verify as though the key were not revoked).
//
// Thread-safety: pure functions (the store's own guarantees apply).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/store.h"
#include "trust/bundle.h"
#include "trust/feed_evidence.h"

namespace dossier::server {

// Fills `bundle`'s signer members from the registered key `key`: its public
// key, registration leaf and, when the key's revocation is among the first
// `tree_size` leaves, its revocation leaf, each with an inclusion proof
// against a tree of `tree_size` leaves.
Status AddSignerKeyEvidence(const storage::Store& store, const storage::KeyRecord& key, uint64_t tree_size,
                            trust::Bundle& bundle);

// The offline bundle of version `v` of `tenant` (GET .../bundle, and the
// bundle inside every export): envelope, signer key evidence, the version's
// leaf and its inclusion proof against a tree of `tree_size` leaves, whose
// signed checkpoint is `checkpoint_note`.
StatusOr<trust::Bundle> VersionBundle(const storage::Store& store, const std::string& tenant,
                                      const storage::VersionRecord& v, const std::string& checkpoint_note,
                                      uint64_t tree_size);

// Hashes (inclusion proofs) as a JSON list of base64 strings.
boost::json::array Base64HashList(const std::vector<std::string>& hashes);

// The "signer" member of a feed entry, from a bundle's signer members and the
// key's id.
boost::json::object SignerFeedJson(const trust::Bundle& bundle, const std::string& key_id);

// Reading a feed entry back into a bundle is trust/feed_evidence.h, shared
// with the SDK (which builds a decision's offline bundle from its feed).
using trust::BundleFromFeedEntry;
using trust::FeedEntryContent;

}  // namespace dossier::server
