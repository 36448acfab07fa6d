// The PostgreSQL Store's transparency log reads, Verify and Scrub.
#include <map>

#include "storage/pg_store_internal.h"
#include "trust/digest.h"

namespace dossier::storage {

using pg::Bytes;
using pg::Int;

StatusOr<std::string> PgStore::StoredNodeSource::CompleteSubtree(int level, uint64_t index) const {
  DOSSIER_ASSIGN_OR_RETURN(pg::Result r,
                           store_->Query("SELECT hash FROM log_nodes WHERE level = $1 AND idx = $2",
                                         {Int(level), Int(static_cast<int64_t>(index))}));
  if (r.rows() == 0) return DataLoss("log node missing", "corruption");
  return r.Bytes(0, 0);
}

// The committed size, read from the database so that a node sees what every
// other node appended. When the database cannot be reached, the last size
// seen: proofs and checkpoints then fail or repeat, they never go backwards.
uint64_t PgStore::LogSize() const {
  auto r = Query("SELECT size FROM log_head WHERE id = 1");
  if (r.ok() && r->rows() == 1) {
    const uint64_t size = static_cast<uint64_t>(r->Int(0, 0));
    uint64_t seen = log_size_.load();
    while (seen < size && !log_size_.compare_exchange_weak(seen, size)) {
    }
    return std::max(seen, size);
  }
  return log_size_.load();
}

Status PgStore::CheckTreeSize(uint64_t tree_size) const {
  const uint64_t size = LogSize();
  if (tree_size > size) {
    return InvalidArgument(
        "treeSize " + std::to_string(tree_size) + " is beyond the log size " + std::to_string(size),
        "bad-proof-request", "treeSize");
  }
  return Status::Ok();
}

StatusOr<std::string> PgStore::LogLeafData(uint64_t index) const {
  if (index >= LogSize()) return NotFound("log index " + std::to_string(index) + " is beyond the log");
  DOSSIER_ASSIGN_OR_RETURN(
      pg::Result r, Query("SELECT data FROM log_leaves WHERE idx = $1", {Int(static_cast<int64_t>(index))}));
  if (r.rows() == 0) return DataLoss("log leaf " + std::to_string(index) + " is missing", "corruption");
  return r.Bytes(0, 0);
}

StatusOr<std::string> PgStore::LogRoot(uint64_t tree_size) const {
  DOSSIER_RETURN_IF_ERROR(CheckTreeSize(tree_size));
  return trust::RootHash(StoredNodeSource(this), tree_size);
}

StatusOr<std::vector<std::string>> PgStore::LogInclusionProof(uint64_t index, uint64_t tree_size) const {
  DOSSIER_RETURN_IF_ERROR(CheckTreeSize(tree_size));
  if (index >= tree_size)
    return InvalidArgument("leafIndex must be below treeSize", "bad-proof-request", "leafIndex");
  return trust::InclusionProof(StoredNodeSource(this), index, tree_size);
}

StatusOr<std::vector<std::string>> PgStore::LogConsistencyProof(uint64_t from_size, uint64_t to_size) const {
  DOSSIER_RETURN_IF_ERROR(CheckTreeSize(to_size));
  if (from_size == 0 || from_size > to_size)
    return InvalidArgument("need 0 < from <= to", "bad-proof-request", "from");
  return trust::ConsistencyProof(StoredNodeSource(this), from_size, to_size);
}

// Recomputes every complete-subtree node from the stored leaves and checks
// that the leaves are numbered without a hole.
Status PgStore::Verify() const {
  const uint64_t size = LogSize();
  DOSSIER_ASSIGN_OR_RETURN(pg::Result leaves,
                           Query("SELECT idx, data FROM log_leaves WHERE idx < $1 ORDER BY idx",
                                 {Int(static_cast<int64_t>(size))}));
  if (static_cast<uint64_t>(leaves.rows()) != size) {
    return DataLoss(
        "the log holds " + std::to_string(leaves.rows()) + " leaves below its size " + std::to_string(size),
        "corruption");
  }
  trust::MemoryMerkleTree tree;
  for (int i = 0; i < leaves.rows(); ++i) {
    if (leaves.Int(i, 0) != i) return DataLoss("log leaf " + std::to_string(i) + " is missing", "corruption");
    tree.Append(trust::LeafHash(leaves.Bytes(i, 1)));
  }
  DOSSIER_ASSIGN_OR_RETURN(pg::Result nodes, Query("SELECT level, idx, hash FROM log_nodes"));
  std::map<std::pair<int, uint64_t>, std::string> stored;
  for (int i = 0; i < nodes.rows(); ++i) {
    stored[{static_cast<int>(nodes.Int(i, 0)), static_cast<uint64_t>(nodes.Int(i, 1))}] = nodes.Bytes(i, 2);
  }
  for (int level = 0; (uint64_t{1} << level) <= size; ++level) {
    for (uint64_t idx = 0; ((idx + 1) << level) <= size; ++idx) {
      DOSSIER_ASSIGN_OR_RETURN(std::string want, tree.CompleteSubtree(level, idx));
      auto got = stored.find({level, idx});
      if (got == stored.end() || got->second != want) {
        return DataLoss("log node (level " + std::to_string(level) + ", index " + std::to_string(idx) +
                            ") does not match its leaves",
                        "corruption");
      }
    }
  }
  return Status::Ok();
}

StatusOr<std::vector<std::string>> PgStore::Scrub() const {
  std::vector<std::string> problems;
  if (Status s = Verify(); !s.ok()) problems.push_back("log/store: " + s.message());
  DOSSIER_ASSIGN_OR_RETURN(auto tenants, ListTenants());
  for (const auto& tenant : tenants) {
    // Every version's leaf is the log's leaf at its index.
    DOSSIER_ASSIGN_OR_RETURN(pg::Result versions,
                             Query("SELECT record FROM versions WHERE tenant = $1 ORDER BY kind, id, version",
                                   {Int(static_cast<int64_t>(tenant.number()))}));
    for (int i = 0; i < versions.rows(); ++i) {
      auto v = DecodeRow<VersionRecord>(versions.Bytes(i, 0));
      if (!v.ok()) {
        problems.push_back("tenant " + tenant.id() + ": a version record does not parse");
        continue;
      }
      const std::string where =
          tenant.id() + "/" + v->kind() + "/" + v->id() + " version " + std::to_string(v->version());
      auto leaf = LogLeafData(v->log_index());
      if (!leaf.ok()) {
        problems.push_back(where + ": log leaf " + std::to_string(v->log_index()) + " is missing");
      } else if (*leaf != v->leaf_data()) {
        problems.push_back(where + ": log leaf " + std::to_string(v->log_index()) +
                           " differs from the version");
      }
      if (!GetBlob(tenant.id(), v->content_digest()).ok()) {
        problems.push_back(where + ": content blob " + v->content_digest() + " is missing");
      }
    }
    DOSSIER_RETURN_IF_ERROR(ScrubBlobs(tenant, problems));
  }
  return problems;
}

}  // namespace dossier::storage
