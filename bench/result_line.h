// The one result line every load driver of bench/ prints and bench/run.sh
// parses (its `field` helper):
//   ops=... seconds=... rate=... p50_us=... p99_us=... errors=...
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <vector>

namespace dossier::bench {

// The p-quantile (0..1) of `latencies_us`, reordering it; 0 when empty.
inline double Quantile(std::vector<double>& latencies_us, double p) {
  if (latencies_us.empty()) return 0.0;
  const size_t i =
      std::min(latencies_us.size() - 1, static_cast<size_t>(p * static_cast<double>(latencies_us.size())));
  std::nth_element(latencies_us.begin(), latencies_us.begin() + static_cast<long>(i), latencies_us.end());
  return latencies_us[i];
}

// Prints the result line for the successful operations' latencies.
inline void PrintResultLine(std::vector<double>& latencies_us, double elapsed_seconds, long errors) {
  const double p50 = Quantile(latencies_us, 0.5), p99 = Quantile(latencies_us, 0.99);
  std::printf("ops=%zu seconds=%.2f rate=%.1f p50_us=%.0f p99_us=%.0f errors=%ld\n", latencies_us.size(),
              elapsed_seconds, static_cast<double>(latencies_us.size()) / elapsed_seconds, p50, p99, errors);
}

}  // namespace dossier::bench
