#include "trust/merkle.h"

#include <bit>
#include <cassert>

#include "trust/digest.h"

namespace dossier::trust {
namespace {

Status OutOfRange(std::string message) {
  return Status(StatusCode::kOutOfRange, std::move(message), "out-of-range");
}

// Reads one stored node and checks its size, so corrupt storage is reported
// rather than hashed into a wrong root.
StatusOr<std::string> ReadNode(const MerkleNodeSource& source, int level, uint64_t index) {
  DOSSIER_ASSIGN_OR_RETURN(std::string hash, source.CompleteSubtree(level, index));
  if (hash.size() != kSha256Size) {
    return DataLoss(
        "stored node (" + std::to_string(level) + ", " + std::to_string(index) + ") is not 32 bytes",
        "bad-node");
  }
  return hash;
}

// Largest power of two strictly less than n (n >= 2): RFC 6962's split point k.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

// MTH of leaves [begin, end) where the range is one that appears in RFC 6962's
// recursion: begin is aligned to a power of two >= end - begin, so the range
// decomposes into complete subtrees of decreasing size, each stored. The hash
// is the right fold N(S1, N(S2, ... Sk)). O(log n) reads.
StatusOr<std::string> RangeHash(const MerkleNodeSource& source, uint64_t begin, uint64_t end) {
  assert(end > begin);
  std::vector<std::string> parts;
  uint64_t offset = begin;
  for (int level = 63; level >= 0; --level) {
    uint64_t size = uint64_t{1} << level;
    if (((end - begin) & size) == 0) continue;
    DOSSIER_ASSIGN_OR_RETURN(std::string h, ReadNode(source, level, offset >> level));
    parts.push_back(std::move(h));
    offset += size;
  }
  std::string acc = std::move(parts.back());
  for (size_t i = parts.size() - 1; i-- > 0;) acc = NodeHash(parts[i], acc);
  return acc;
}

// PATH(m, D[begin:end]) per RFC 6962 §2.1.1, appended bottom-up to `out`.
Status AppendPath(const MerkleNodeSource& source, uint64_t m, uint64_t begin, uint64_t end,
                  std::vector<std::string>& out) {
  if (end - begin <= 1) return Status::Ok();
  uint64_t k = SplitPoint(end - begin);
  if (m < begin + k) {
    DOSSIER_RETURN_IF_ERROR(AppendPath(source, m, begin, begin + k, out));
    DOSSIER_ASSIGN_OR_RETURN(std::string right, RangeHash(source, begin + k, end));
    out.push_back(std::move(right));
  } else {
    DOSSIER_RETURN_IF_ERROR(AppendPath(source, m, begin + k, end, out));
    DOSSIER_ASSIGN_OR_RETURN(std::string left, RangeHash(source, begin, begin + k));
    out.push_back(std::move(left));
  }
  return Status::Ok();
}

// SUBPROOF(m, D[begin:end], b) per RFC 6962 §2.1.2, appended to `out`; m is
// relative to begin.
Status AppendSubproof(const MerkleNodeSource& source, uint64_t m, uint64_t begin, uint64_t end, bool b,
                      std::vector<std::string>& out) {
  uint64_t n = end - begin;
  if (m == n) {
    if (!b) {
      DOSSIER_ASSIGN_OR_RETURN(std::string h, RangeHash(source, begin, end));
      out.push_back(std::move(h));
    }
    return Status::Ok();
  }
  uint64_t k = SplitPoint(n);
  if (m <= k) {
    DOSSIER_RETURN_IF_ERROR(AppendSubproof(source, m, begin, begin + k, b, out));
    DOSSIER_ASSIGN_OR_RETURN(std::string right, RangeHash(source, begin + k, end));
    out.push_back(std::move(right));
  } else {
    DOSSIER_RETURN_IF_ERROR(AppendSubproof(source, m - k, begin + k, end, false, out));
    DOSSIER_ASSIGN_OR_RETURN(std::string left, RangeHash(source, begin, begin + k));
    out.push_back(std::move(left));
  }
  return Status::Ok();
}

bool AllHashes(const std::vector<std::string>& proof) {
  for (const std::string& h : proof) {
    if (h.size() != kSha256Size) return false;
  }
  return true;
}

}  // namespace

std::string LeafHash(std::string_view leaf_data) {
  Sha256Hasher h;
  h.Update(std::string_view("\x00", 1));
  h.Update(leaf_data);
  return h.Finish();
}

std::string NodeHash(std::string_view left, std::string_view right) {
  std::string buf;
  buf.reserve(1 + left.size() + right.size());
  buf.push_back('\x01');
  buf.append(left);
  buf.append(right);
  return Sha256(buf);
}

std::string EmptyTreeRoot() { return Sha256(""); }

std::string RootFromLeafHashes(const std::vector<std::string>& leaf_hashes) {
  if (leaf_hashes.empty()) return EmptyTreeRoot();
  // Pair up level by level; an odd node at the right edge is carried up
  // unchanged, which yields exactly RFC 6962's MTH.
  std::vector<std::string> level = leaf_hashes;
  while (level.size() > 1) {
    std::vector<std::string> next;
    next.reserve((level.size() + 1) / 2);
    for (size_t i = 0; i + 1 < level.size(); i += 2) next.push_back(NodeHash(level[i], level[i + 1]));
    if (level.size() % 2 == 1) next.push_back(std::move(level.back()));
    level = std::move(next);
  }
  return level[0];
}

StatusOr<std::vector<MerkleNode>> NodesCompletedByAppend(const MerkleNodeSource& source, uint64_t leaf_index,
                                                         std::string_view leaf_hash) {
  if (leaf_hash.size() != kSha256Size) return InvalidArgument("leaf hash must be 32 bytes", "bad-leaf-hash");
  std::vector<MerkleNode> nodes;
  nodes.push_back(MerkleNode{0, leaf_index, std::string(leaf_hash)});
  uint64_t index = leaf_index;
  int level = 0;
  // While this node is a right child, its parent just became complete.
  while (index & 1) {
    DOSSIER_ASSIGN_OR_RETURN(std::string left, ReadNode(source, level, index - 1));
    std::string parent = NodeHash(left, nodes.back().hash);
    index >>= 1;
    ++level;
    nodes.push_back(MerkleNode{level, index, std::move(parent)});
  }
  return nodes;
}

StatusOr<std::string> RootHash(const MerkleNodeSource& source, uint64_t tree_size) {
  if (tree_size == 0) return EmptyTreeRoot();
  return RangeHash(source, 0, tree_size);
}

StatusOr<std::vector<std::string>> InclusionProof(const MerkleNodeSource& source, uint64_t leaf_index,
                                                  uint64_t tree_size) {
  if (leaf_index >= tree_size) {
    return OutOfRange("leaf index " + std::to_string(leaf_index) + " is not below tree size " +
                      std::to_string(tree_size));
  }
  std::vector<std::string> proof;
  DOSSIER_RETURN_IF_ERROR(AppendPath(source, leaf_index, 0, tree_size, proof));
  return proof;
}

StatusOr<std::vector<std::string>> ConsistencyProof(const MerkleNodeSource& source, uint64_t from_size,
                                                    uint64_t to_size) {
  if (from_size > to_size) {
    return OutOfRange("from size " + std::to_string(from_size) + " exceeds to size " +
                      std::to_string(to_size));
  }
  std::vector<std::string> proof;
  if (from_size == 0 || from_size == to_size) return proof;
  DOSSIER_RETURN_IF_ERROR(AppendSubproof(source, from_size, 0, to_size, true, proof));
  return proof;
}

Status VerifyInclusion(std::string_view leaf_hash, uint64_t leaf_index, uint64_t tree_size,
                       const std::vector<std::string>& proof, std::string_view root) {
  auto invalid = [](std::string why) { return InvalidArgument(std::move(why), "inclusion-proof-invalid"); };
  if (leaf_index >= tree_size) return invalid("leaf index is not below tree size");
  if (leaf_hash.size() != kSha256Size || root.size() != kSha256Size || !AllHashes(proof)) {
    return invalid("hashes must be 32 bytes");
  }
  uint64_t fn = leaf_index;
  uint64_t sn = tree_size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0) return invalid("proof is too long");
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return invalid("proof is too short");
  if (r != root) return invalid("computed root does not match");
  return Status::Ok();
}

Status VerifyConsistency(uint64_t from_size, uint64_t to_size, const std::vector<std::string>& proof,
                         std::string_view from_root, std::string_view to_root) {
  auto invalid = [](std::string why) { return InvalidArgument(std::move(why), "consistency-proof-invalid"); };
  if (from_root.size() != kSha256Size || to_root.size() != kSha256Size || !AllHashes(proof)) {
    return invalid("hashes must be 32 bytes");
  }
  if (from_size > to_size) return invalid("from size exceeds to size");
  if (from_size == to_size) {
    if (!proof.empty()) return invalid("proof between equal sizes must be empty");
    if (from_root != to_root) return invalid("roots of equal sizes differ");
    return Status::Ok();
  }
  if (from_size == 0) {
    if (!proof.empty()) return invalid("proof from the empty tree must be empty");
    if (from_root != EmptyTreeRoot()) return invalid("root of the empty tree is wrong");
    return Status::Ok();
  }
  if (proof.empty()) return invalid("proof is empty");
  std::vector<std::string> path;
  path.reserve(proof.size() + 1);
  // A power-of-two old tree is itself a node of the new tree; the proof omits it.
  if (std::has_single_bit(from_size)) path.emplace_back(from_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = from_size - 1;
  uint64_t sn = to_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];
  std::string sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) return invalid("proof is too long");
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return invalid("proof is too short");
  if (fr != from_root) return invalid("computed old root does not match");
  if (sr != to_root) return invalid("computed new root does not match");
  return Status::Ok();
}

uint64_t MemoryMerkleTree::Append(std::string_view leaf_hash) {
  assert(leaf_hash.size() == kSha256Size);
  uint64_t index = size();
  StatusOr<std::vector<MerkleNode>> nodes = NodesCompletedByAppend(*this, index, leaf_hash);
  assert(nodes.ok());  // every left sibling is held, so reads cannot fail
  for (MerkleNode& node : *nodes) {
    if (levels_.size() <= static_cast<size_t>(node.level)) levels_.resize(node.level + 1);
    levels_[node.level].push_back(std::move(node.hash));
  }
  return index;
}

std::string MemoryMerkleTree::Root() const { return RootHash(*this, size()).value(); }

StatusOr<std::string> MemoryMerkleTree::CompleteSubtree(int level, uint64_t index) const {
  if (level < 0 || static_cast<size_t>(level) >= levels_.size() || index >= levels_[level].size()) {
    return NotFound("no complete subtree (" + std::to_string(level) + ", " + std::to_string(index) + ")",
                    "node-not-found");
  }
  return levels_[level][index];
}

}  // namespace dossier::trust
