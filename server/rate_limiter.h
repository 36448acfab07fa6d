// Per-credential token buckets: each credential (or, for anonymous requests,
// each remote address) may make `rate` requests per second on average with
// bursts of up to `burst`. Thread-safe. Memory is bounded: idle buckets are
// dropped when the table grows past `max_keys`.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace dossier::server {

class RateLimiter {
 public:
  RateLimiter(double rate_per_second, double burst, size_t max_keys = 100000)
      : rate_(rate_per_second), burst_(burst), max_keys_(max_keys) {}

  // True when `key` may proceed now. Otherwise false, and `*retry_after_s`
  // holds the whole seconds until one request would be allowed.
  bool Allow(const std::string& key, int* retry_after_s) {
    if (rate_ <= 0) return true;  // disabled
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    if (buckets_.size() > max_keys_) Prune(now);
    auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!inserted) {
      const double elapsed = std::chrono::duration<double>(now - b.last).count();
      b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
      b.last = now;
    }
    if (b.tokens >= 1.0) {
      b.tokens -= 1.0;
      return true;
    }
    const double wait = (1.0 - b.tokens) / rate_;
    *retry_after_s = static_cast<int>(wait) + 1;
    return false;
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  void Prune(std::chrono::steady_clock::time_point now) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      // A bucket idle long enough to be full again carries no state.
      if (std::chrono::duration<double>(now - it->second.last).count() * rate_ >= burst_) {
        it = buckets_.erase(it);
      } else {
        ++it;
      }
    }
  }

  const double rate_, burst_;
  const size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace dossier::server
