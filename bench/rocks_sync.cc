// Baseline for durable commits: raw RocksDB puts with WriteOptions::sync=true
// at a given concurrency, on the same file system as dossierd's data. This is
// the floor a durable commit cannot beat: one WAL fsync, shared by concurrent
// writers through RocksDB's own group commit.
//
//   dossier_rocks_sync --dir DIR --concurrency C --seconds S --value-size BYTES
//
// Prints the same result line as dossier_load:
//   ops=... seconds=... rate=... p50_us=... p99_us=... errors=0
#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/result_line.h"

using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  std::string dir;
  int concurrency = 1;
  double seconds = 3;
  size_t value_size = 1024;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--dir")
      dir = argv[i + 1];
    else if (flag == "--concurrency")
      concurrency = std::stoi(argv[i + 1]);
    else if (flag == "--seconds")
      seconds = std::stod(argv[i + 1]);
    else if (flag == "--value-size")
      value_size = std::stoul(argv[i + 1]);
  }
  if (dir.empty()) {
    std::fprintf(stderr,
                 "usage: dossier_rocks_sync --dir DIR --concurrency C --seconds S --value-size BYTES\n");
    return 2;
  }
  std::filesystem::remove_all(dir);
  rocksdb::Options options;
  options.create_if_missing = true;
  // The same settings dossierd uses where they matter for the write path.
  options.IncreaseParallelism(2);
  options.compression = rocksdb::kLZ4Compression;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(options, dir, &raw);
  if (!s.ok()) {
    std::fprintf(stderr, "open: %s\n", s.ToString().c_str());
    return 1;
  }
  std::unique_ptr<rocksdb::DB> db(raw);

  std::atomic<long> errors{0};
  std::mutex mu;
  std::vector<double> all;
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<uint64_t>(t) + 1);
      // Random (incompressible) values, so LZ4 does not shrink them.
      std::string value(value_size, '\0');
      for (size_t i = 0; i + 8 <= value.size(); i += 8) {
        uint64_t v = rng();
        std::memcpy(&value[i], &v, 8);
      }
      rocksdb::WriteOptions wo;
      wo.sync = true;
      std::vector<double> local;
      for (uint64_t n = 0; Clock::now() < deadline; ++n) {
        char key[32];
        std::snprintf(key, sizeof key, "t%03d-%012llu", t, static_cast<unsigned long long>(n));
        value[0] = static_cast<char>(n);
        const auto t0 = Clock::now();
        auto st = db->Put(wo, key, value);
        const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
        if (st.ok())
          local.push_back(us);
        else
          errors++;
      }
      std::lock_guard<std::mutex> lock(mu);
      all.insert(all.end(), local.begin(), local.end());
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  dossier::bench::PrintResultLine(all, elapsed, errors.load());
  db.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
