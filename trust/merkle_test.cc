#define BOOST_TEST_MODULE trust_merkle
#include "trust/merkle.h"

#include <boost/test/unit_test.hpp>
#include <map>

#include "trust/digest.h"
#include "trust/encoding.h"

using namespace dossier::trust;
using dossier::StatusOr;

namespace {

// Naive reference: RFC 6962 §2.1 definitions, straight recursion over leaf
// data, sharing nothing with the implementation except SHA-256.
using Leaves = std::vector<std::string>;

std::string RefLeaf(const std::string& d) { return Sha256(std::string(1, '\0') + d); }
std::string RefNode(const std::string& l, const std::string& r) {
  return Sha256(std::string(1, '\1') + l + r);
}
uint64_t RefK(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
Leaves Slice(const Leaves& d, uint64_t b, uint64_t e) { return Leaves(d.begin() + b, d.begin() + e); }

std::string Mth(const Leaves& d) {
  if (d.empty()) return Sha256("");
  if (d.size() == 1) return RefLeaf(d[0]);
  uint64_t k = RefK(d.size());
  return RefNode(Mth(Slice(d, 0, k)), Mth(Slice(d, k, d.size())));
}

Leaves Path(uint64_t m, const Leaves& d) {
  if (d.size() <= 1) return {};
  uint64_t k = RefK(d.size());
  Leaves out;
  if (m < k) {
    out = Path(m, Slice(d, 0, k));
    out.push_back(Mth(Slice(d, k, d.size())));
  } else {
    out = Path(m - k, Slice(d, k, d.size()));
    out.push_back(Mth(Slice(d, 0, k)));
  }
  return out;
}

Leaves Subproof(uint64_t m, const Leaves& d, bool b) {
  uint64_t n = d.size();
  if (m == n) return b ? Leaves{} : Leaves{Mth(d)};
  uint64_t k = RefK(n);
  Leaves out;
  if (m <= k) {
    out = Subproof(m, Slice(d, 0, k), b);
    out.push_back(Mth(Slice(d, k, n)));
  } else {
    out = Subproof(m - k, Slice(d, k, n), false);
    out.push_back(Mth(Slice(d, 0, k)));
  }
  return out;
}

// Counts node reads, to check the O(log n) claim.
class CountingSource : public MerkleNodeSource {
 public:
  explicit CountingSource(const MerkleNodeSource& inner) : inner_(inner) {}
  StatusOr<std::string> CompleteSubtree(int level, uint64_t index) const override {
    ++reads;
    return inner_.CompleteSubtree(level, index);
  }
  mutable int reads = 0;

 private:
  const MerkleNodeSource& inner_;
};

constexpr uint64_t kMax = 64;

struct Fixture {
  Fixture() {
    for (uint64_t i = 0; i < kMax; ++i) {
      data.push_back("leaf " + std::to_string(i));
      tree.Append(LeafHash(data.back()));
    }
  }
  Leaves data;
  MemoryMerkleTree tree;
};

std::string Flip(std::string h, size_t byte = 0) {
  h[byte] ^= 1;
  return h;
}

}  // namespace

BOOST_AUTO_TEST_CASE(hash_primitives) {
  BOOST_TEST(HexEncode(EmptyTreeRoot()) ==
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(LeafHash("x") == RefLeaf("x"));
  BOOST_TEST(NodeHash("a", "b") == RefNode("a", "b"));
  // RFC 6962 leaf hash of the empty string (known value).
  BOOST_TEST(HexEncode(LeafHash("")) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

BOOST_FIXTURE_TEST_CASE(roots_match_reference, Fixture) {
  BOOST_TEST(*RootHash(tree, 0) == EmptyTreeRoot());
  BOOST_TEST(RootFromLeafHashes({}) == EmptyTreeRoot());
  Leaves hashes;
  for (uint64_t n = 1; n <= kMax; ++n) {
    hashes.push_back(LeafHash(data[n - 1]));
    std::string expected = Mth(Slice(data, 0, n));
    CountingSource counting(tree);
    BOOST_TEST(*RootHash(counting, n) == expected, "n=" << n);
    BOOST_TEST(counting.reads <= 7);
    BOOST_TEST(RootFromLeafHashes(hashes) == expected, "n=" << n);
  }
  BOOST_TEST(tree.Root() == Mth(data));
}

BOOST_FIXTURE_TEST_CASE(inclusion_proofs_match_reference_and_verify, Fixture) {
  for (uint64_t n = 1; n <= kMax; ++n) {
    std::string root = Mth(Slice(data, 0, n));
    for (uint64_t m = 0; m < n; ++m) {
      CountingSource counting(tree);
      auto proof = InclusionProof(counting, m, n);
      BOOST_REQUIRE(proof.ok());
      BOOST_TEST((*proof == Path(m, Slice(data, 0, n))), "m=" << m << " n=" << n);
      BOOST_TEST(counting.reads <= 2 * 7);
      std::string leaf = LeafHash(data[m]);
      BOOST_TEST(VerifyInclusion(leaf, m, n, *proof, root).ok(), "m=" << m << " n=" << n);
      // Tamper each proof hash, the leaf, the root, the index and the size.
      for (size_t i = 0; i < proof->size(); ++i) {
        auto bad = *proof;
        bad[i] = Flip(bad[i], i % 32);
        BOOST_TEST(VerifyInclusion(leaf, m, n, bad, root).reason() == "inclusion-proof-invalid");
      }
      BOOST_TEST(!VerifyInclusion(Flip(leaf), m, n, *proof, root).ok());
      BOOST_TEST(!VerifyInclusion(leaf, m, n, *proof, Flip(root)).ok());
      if (n > 1) BOOST_TEST(!VerifyInclusion(leaf, (m + 1) % n, n, *proof, root).ok());
      // (A different tree size with the same root is not a tamper: a proof for
      // size 3 is also a valid proof shape for size 4, and only the root binds.)
      if (n < kMax) BOOST_TEST(!VerifyInclusion(leaf, m, n + 1, *proof, Mth(Slice(data, 0, n + 1))).ok());
      auto longer = *proof;
      longer.push_back(root);
      BOOST_TEST(!VerifyInclusion(leaf, m, n, longer, root).ok());
      if (!proof->empty()) {
        auto shorter = *proof;
        shorter.pop_back();
        BOOST_TEST(!VerifyInclusion(leaf, m, n, shorter, root).ok());
      }
    }
  }
  BOOST_TEST(InclusionProof(tree, 5, 5).status().reason() == "out-of-range");
  BOOST_TEST(VerifyInclusion(LeafHash("x"), 5, 5, {}, EmptyTreeRoot()).reason() == "inclusion-proof-invalid");
  BOOST_TEST((InclusionProof(tree, 0, kMax + 1).status().code() == dossier::StatusCode::kNotFound));
}

BOOST_FIXTURE_TEST_CASE(consistency_proofs_match_reference_and_verify, Fixture) {
  for (uint64_t n = 1; n <= kMax; ++n) {
    std::string new_root = Mth(Slice(data, 0, n));
    for (uint64_t m = 0; m <= n; ++m) {
      std::string old_root = Mth(Slice(data, 0, m));
      CountingSource counting(tree);
      auto proof = ConsistencyProof(counting, m, n);
      BOOST_REQUIRE(proof.ok());
      Leaves expected = (m == 0 || m == n) ? Leaves{} : Subproof(m, Slice(data, 0, n), true);
      BOOST_TEST((*proof == expected), "m=" << m << " n=" << n);
      BOOST_TEST(counting.reads <= 3 * 7);
      BOOST_TEST(VerifyConsistency(m, n, *proof, old_root, new_root).ok(), "m=" << m << " n=" << n);
      for (size_t i = 0; i < proof->size(); ++i) {
        auto bad = *proof;
        bad[i] = Flip(bad[i], 31 - i % 32);
        BOOST_TEST(VerifyConsistency(m, n, bad, old_root, new_root).reason() == "consistency-proof-invalid",
                   "m=" << m << " n=" << n << " i=" << i);
      }
      BOOST_TEST(!VerifyConsistency(m, n, *proof, Flip(old_root), new_root).ok());
      // Every tree extends the empty tree, so only m > 0 binds the new root.
      if (m > 0) BOOST_TEST(!VerifyConsistency(m, n, *proof, old_root, Flip(new_root)).ok());
      if (m > 0 && m < n) {
        if (n < kMax)
          BOOST_TEST(!VerifyConsistency(m, n + 1, *proof, old_root, Mth(Slice(data, 0, n + 1))).ok());
        BOOST_TEST(!VerifyConsistency(m - 1, n, *proof, old_root, new_root).ok());
        BOOST_TEST(!VerifyConsistency(m, n, {}, old_root, new_root).ok());
        auto longer = *proof;
        longer.push_back(new_root);
        BOOST_TEST(!VerifyConsistency(m, n, longer, old_root, new_root).ok());
      }
    }
  }
  BOOST_TEST(ConsistencyProof(tree, 3, 2).status().reason() == "out-of-range");
  BOOST_TEST(VerifyConsistency(3, 2, {}, EmptyTreeRoot(), EmptyTreeRoot()).reason() ==
             "consistency-proof-invalid");
}

BOOST_AUTO_TEST_CASE(nodes_completed_by_append) {
  // A map-backed source written only through NodesCompletedByAppend, as the
  // server's storage would be, must agree with the reference everywhere.
  class MapSource : public MerkleNodeSource {
   public:
    StatusOr<std::string> CompleteSubtree(int level, uint64_t index) const override {
      auto it = nodes.find({level, index});
      if (it == nodes.end()) return dossier::NotFound("missing");
      return it->second;
    }
    std::map<std::pair<int, uint64_t>, std::string> nodes;
  } source;
  Leaves data;
  for (uint64_t i = 0; i < 33; ++i) {
    data.push_back(std::to_string(i));
    auto nodes = NodesCompletedByAppend(source, i, LeafHash(data.back()));
    BOOST_REQUIRE(nodes.ok());
    BOOST_TEST(nodes->size() == 1u + static_cast<size_t>(std::countr_one(i)));
    for (const MerkleNode& node : *nodes) {
      uint64_t b = node.index << node.level;
      BOOST_TEST(node.hash == Mth(Slice(data, b, b + (uint64_t{1} << node.level))));
      source.nodes[{node.level, node.index}] = node.hash;
    }
    BOOST_TEST(*RootHash(source, i + 1) == Mth(data));
  }
  BOOST_TEST(NodesCompletedByAppend(source, 0, "short").status().reason() == "bad-leaf-hash");
  // A corrupt stored node is reported, not hashed.
  source.nodes[{0, 32}] = "short";
  BOOST_TEST(RootHash(source, 33).status().reason() == "bad-node");
}
