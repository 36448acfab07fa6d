// BoundedCache: a small, thread-safe, size-bounded map from a string key to a
// value that is expensive to compute (a parsed PEM key, a parsed document).
//
// It is only correct for values that can never go stale under their key: the
// caller must choose a key that determines the value (a key id that is the
// hash of the key itself, a content digest, a committed version, which is
// immutable). Nothing is ever invalidated; anything that can change (e.g. a
// key's revocation) must be read from its record on every use, not cached.
//
// Bound: at most `capacity` entries; when full, the oldest inserted entry is
// evicted (FIFO, not LRU: a hit takes only a shared lock and never reorders,
// so concurrent readers do not contend). Values are returned by copy, so make
// them cheap to copy (trust::PublicKey is a reference-counted handle).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "common/status.h"

namespace dossier::server {

template <typename V>
class BoundedCache {
 public:
  explicit BoundedCache(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
  BoundedCache(const BoundedCache&) = delete;
  BoundedCache& operator=(const BoundedCache&) = delete;

  std::optional<V> Find(const std::string& key) const {
    std::shared_lock lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }

  // Keeps the first value inserted for a key (both are equal by contract).
  void Insert(const std::string& key, V value) {
    std::unique_lock lock(mu_);
    if (!map_.emplace(key, std::move(value)).second) return;
    order_.push_back(key);
    while (map_.size() > capacity_) {
      map_.erase(order_.front());
      order_.pop_front();
    }
  }

  // The cached value, or compute() (a StatusOr<V>) stored when it succeeds.
  // compute() runs without the lock held, so two threads missing the same key
  // at once may both compute it; failures are not cached.
  template <typename Compute>
  StatusOr<V> GetOrCompute(const std::string& key, Compute&& compute) {
    if (auto hit = Find(key)) return *std::move(hit);
    StatusOr<V> computed = compute();
    if (computed.ok()) Insert(key, *computed);
    return computed;
  }

  size_t size() const {
    std::shared_lock lock(mu_);
    return map_.size();
  }
  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, V> map_;
  std::deque<std::string> order_;  // insertion order, for eviction
};

}  // namespace dossier::server
