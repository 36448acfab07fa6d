// RFC 6962 §2.1 / RFC 9162 §2.1 Merkle tree hashing, proofs and their
// verification, over a log that stores every complete subtree hash.
//
// Contract
// - Hashes are 32 raw bytes. Leaf hash = SHA-256(0x00 || data); interior node
//   = SHA-256(0x01 || left || right); the empty tree's root = SHA-256("").
// - Storage model: the log keeps node(level, index) for every COMPLETE subtree,
//   i.e. the hash of leaves [index << level, (index + 1) << level); level 0 is
//   the leaf hashes. Such a node never changes once written, so it can be
//   stored append-only. Any root or proof then needs O(log n) node reads.
// - Proof functions read through a caller-supplied MerkleNodeSource and pass
//   its errors through unchanged. They are thread-safe if the source is.
//   Requests outside the tree are OutOfRange reason "out-of-range"; a source
//   returning a hash that is not 32 bytes is DataLoss reason "bad-node".
// - Verification functions are pure. Reasons "inclusion-proof-invalid" and
//   "consistency-proof-invalid" cover every failure, including malformed
//   input (wrong hash sizes, sizes out of range).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dossier::trust {

// SHA-256(0x00 || leaf_data).
std::string LeafHash(std::string_view leaf_data);
// SHA-256(0x01 || left || right).
std::string NodeHash(std::string_view left, std::string_view right);
// SHA-256 of the empty string: the root of a tree with no leaves.
std::string EmptyTreeRoot();
// The Merkle Tree Hash of a list of leaf hashes, computed in memory.
std::string RootFromLeafHashes(const std::vector<std::string>& leaf_hashes);

// Read access to stored complete-subtree hashes. Implementations return
// NotFound (any reason) for nodes they do not hold.
class MerkleNodeSource {
 public:
  virtual ~MerkleNodeSource() = default;
  virtual StatusOr<std::string> CompleteSubtree(int level, uint64_t index) const = 0;
};

struct MerkleNode {
  int level;
  uint64_t index;
  std::string hash;
};

// The nodes that become complete when leaf `leaf_index` (hash `leaf_hash`) is
// appended to a tree of size `leaf_index`: the leaf itself (level 0) and each
// parent whose right child it completes, bottom-up. Reads the left siblings
// from `source`. At most 64 entries. The caller stores them all (atomically
// with the leaf) to keep the source complete.
StatusOr<std::vector<MerkleNode>> NodesCompletedByAppend(const MerkleNodeSource& source, uint64_t leaf_index,
                                                         std::string_view leaf_hash);

// Root of the first `tree_size` leaves (EmptyTreeRoot() for 0).
StatusOr<std::string> RootHash(const MerkleNodeSource& source, uint64_t tree_size);
// RFC 6962 PATH(leaf_index, D[tree_size]), leaf-adjacent hash first.
// Requires leaf_index < tree_size.
StatusOr<std::vector<std::string>> InclusionProof(const MerkleNodeSource& source, uint64_t leaf_index,
                                                  uint64_t tree_size);
// RFC 6962 PROOF(from_size, D[to_size]). Requires from_size <= to_size; the
// proof is empty when from_size is 0 or equal to to_size.
StatusOr<std::vector<std::string>> ConsistencyProof(const MerkleNodeSource& source, uint64_t from_size,
                                                    uint64_t to_size);

// RFC 9162 §2.1.3.2.
Status VerifyInclusion(std::string_view leaf_hash, uint64_t leaf_index, uint64_t tree_size,
                       const std::vector<std::string>& proof, std::string_view root);
// RFC 9162 §2.1.4.2, plus the trivial cases: from_size == to_size needs an
// empty proof and equal roots; from_size == 0 needs an empty proof and
// from_root == EmptyTreeRoot() (every tree extends the empty tree).
Status VerifyConsistency(uint64_t from_size, uint64_t to_size, const std::vector<std::string>& proof,
                         std::string_view from_root, std::string_view to_root);

// An in-memory MerkleNodeSource holding every complete subtree; for tests, the
// SDK and small tools. Memory is about 2 × 32 bytes per leaf. Not
// synchronised: concurrent const calls are safe, Append needs exclusive access.
class MemoryMerkleTree : public MerkleNodeSource {
 public:
  // Appends a leaf hash (must be 32 bytes; asserted) and returns its index.
  uint64_t Append(std::string_view leaf_hash);
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  // Root of the whole tree.
  std::string Root() const;

  StatusOr<std::string> CompleteSubtree(int level, uint64_t index) const override;

 private:
  std::vector<std::vector<std::string>> levels_;  // levels_[l][i] = node(l, i)
};

}  // namespace dossier::trust
