// Fuzz target (d): what a client or monitor reads from the log: signed notes
// and checkpoints, note verifier keys, encoded leaves, inclusion/consistency
// proofs and whole offline bundles.
//
// Input: one selector byte, then the bytes.
//   0: checkpoint body; invariant: strict parse is the inverse of CheckpointBody.
//   1: signed note -> OpenNote / OpenCheckpoint with the fixed log key.
//   2: note verifier key text.
//   3: encoded log leaf; invariant: DecodeLogLeaf is the inverse of EncodeLogLeaf.
//   4: bundle JSON -> BundleFromJson -> VerifyBundle (fixed log key), with the
//      content the seeds were built from.
//   5: a proof request in binary: sizes, index and hashes taken from the bytes
//      -> VerifyInclusion / VerifyConsistency; and proofs generated over an
//      in-memory tree of the fuzzed size must verify.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "fuzz/fuzz_common.h"
#include "trust/json_forms.h"

using namespace dossier;

namespace {

uint64_t TakeU64(std::string_view& in) {
  uint64_t v = 0;
  const size_t n = std::min<size_t>(8, in.size());
  std::memcpy(&v, in.data(), n);
  in.remove_prefix(n);
  return v;
}

std::vector<std::string> TakeHashes(std::string_view& in) {
  std::vector<std::string> out;
  while (in.size() >= 32 && out.size() < 70) {
    out.emplace_back(in.substr(0, 32));
    in.remove_prefix(32);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  static const trust::PublicKey log_key = fuzz::LogKey().public_key();
  static const std::string content = fuzz::SmallDossierJson("Fuzz", {});
  switch (data[0] % 6) {
    case 0: {
      auto cp = trust::ParseCheckpointBody(bytes);
      if (!cp.ok()) return 0;
      if (trust::CheckpointBody(*cp) != bytes) fuzz::Violation("checkpoint body parse is not strict");
      break;
    }
    case 1: {
      (void)trust::OpenNote(bytes, fuzz::kLogOrigin, log_key);
      (void)trust::OpenCheckpoint(bytes, fuzz::kLogOrigin, log_key);
      break;
    }
    case 2: {
      auto vk = trust::ParseNoteVerifierKey(bytes);
      if (vk.ok()) (void)trust::NoteVerifierKey(vk->first, vk->second);
      break;
    }
    case 3: {
      auto leaf = trust::DecodeLogLeaf(bytes);
      if (!leaf.ok()) return 0;
      if (!trust::ValidateLogLeaf(*leaf).ok()) fuzz::Violation("decoded leaf does not validate");
      if (trust::EncodeLogLeaf(*leaf) != bytes) fuzz::Violation("leaf decoding is not strict");
      break;
    }
    case 4: {
      auto bundle = trust::BundleFromJson(bytes);
      if (!bundle.ok()) return 0;
      (void)trust::BundleToJson(*bundle);
      (void)trust::VerifyBundle(*bundle, fuzz::kLogOrigin, log_key, &content);
      (void)trust::VerifyBundle(*bundle, fuzz::kLogOrigin, log_key, nullptr);
      break;
    }
    default: {
      const uint64_t a = TakeU64(bytes), b = TakeU64(bytes), c = TakeU64(bytes);
      std::string root(32, '\0'), other(32, '\0');
      if (bytes.size() >= 64) {
        root.assign(bytes.substr(0, 32));
        other.assign(bytes.substr(32, 32));
        bytes.remove_prefix(64);
      }
      const auto proof = TakeHashes(bytes);
      (void)trust::VerifyInclusion(other, a, b, proof, root);
      (void)trust::VerifyConsistency(a, b, proof, other, root);
      // Proofs generated over a real tree of the fuzzed size (1 to 300
      // leaves) always verify. The tree of n leaves is the first n leaves of
      // one 300-leaf tree built once: proofs and roots for an earlier size
      // read only those (RFC 6962), and rebuilding up to 300 leaves for every
      // input was most of this target's time.
      static const trust::MemoryMerkleTree tree = [] {
        trust::MemoryMerkleTree t;
        for (int i = 0; i < 300; ++i) t.Append(trust::LeafHash(std::to_string(i)));
        return t;
      }();
      const uint64_t n = 1 + c % 300;
      const uint64_t leaf = a % n, from = b % (n + 1);
      auto real_root = trust::RootHash(tree, n);
      if (!real_root.ok())
        fuzz::Violation("no root for a size within the tree: " + real_root.status().ToString());
      auto inc = trust::InclusionProof(tree, leaf, n);
      if (!inc.ok() ||
          !trust::VerifyInclusion(trust::LeafHash(std::to_string(leaf)), leaf, n, *inc, *real_root).ok()) {
        fuzz::Violation("generated inclusion proof does not verify");
      }
      auto old_root = trust::RootHash(tree, from);
      auto cons = trust::ConsistencyProof(tree, from, n);
      if (!old_root.ok() || !cons.ok() ||
          !trust::VerifyConsistency(from, n, *cons, *old_root, *real_root).ok()) {
        fuzz::Violation("generated consistency proof does not verify");
      }
      break;
    }
  }
  return 0;
}
