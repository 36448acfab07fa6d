// OrderedParallelMap: computes f(0) … f(count - 1) on a few threads and gives
// the results back in index order, as a sequential loop would.
//
// For CPU-bound work over independent items whose results are then consumed in
// order (the peer puller verifies a feed page's entry signatures on two
// threads, then applies the entries one by one: the first entry that does not
// verify is still the one reported).
//
// How: [0, count) is cut into at most `threads` contiguous chunks of nearly
// equal size; the calling thread computes the first and one std::thread each of
// the others. Each thread calls make_worker() once and computes its chunk with
// that worker alone, so a worker may hold state that is not thread-safe (a
// verifier with caches) without sharing it. make_worker itself is called from
// every thread, so it must be safe to call concurrently (copying a value
// captured by reference is; mutating captured state is not).
//
// Errors are values: give Status/StatusOr results. Every index is computed,
// even after an error (the caller decides what an error stops). A thread that
// cannot be started leaves its chunk to the calling thread; an exception thrown
// by a worker is rethrown on the calling thread once every thread has joined.
//
// Thread-safety: a free function; a call returns only after all its threads
// have finished.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace dossier {

template <typename MakeWorker>
auto OrderedParallelMap(size_t count, size_t threads, MakeWorker&& make_worker) {
  using Worker = std::invoke_result_t<MakeWorker&>;
  using Result = std::invoke_result_t<Worker&, size_t>;
  std::vector<std::optional<Result>> slots(count);
  std::exception_ptr first_exception;
  std::mutex exception_mu;
  auto compute_chunk = [&](size_t begin, size_t end) {
    try {
      Worker worker = make_worker();
      for (size_t i = begin; i < end; ++i) slots[i].emplace(worker(i));
    } catch (...) {
      std::lock_guard lock(exception_mu);
      if (!first_exception) first_exception = std::current_exception();
    }
  };

  const size_t chunks = std::max<size_t>(1, std::min(threads, count));
  // Chunk k is [k * count / chunks, (k + 1) * count / chunks): sizes differ by one at most.
  auto chunk_begin = [&](size_t k) { return k * count / chunks; };
  std::vector<std::thread> started;
  std::vector<size_t> left_to_caller;
  started.reserve(chunks - 1);
  for (size_t k = 1; k < chunks; ++k) {
    try {
      started.emplace_back(compute_chunk, chunk_begin(k), chunk_begin(k + 1));
    } catch (const std::system_error&) {
      left_to_caller.push_back(k);  // no thread to be had: the caller computes it
    }
  }
  compute_chunk(chunk_begin(0), chunk_begin(1));
  for (size_t k : left_to_caller) compute_chunk(chunk_begin(k), chunk_begin(k + 1));
  for (auto& t : started) t.join();
  if (first_exception) std::rethrow_exception(first_exception);

  std::vector<Result> results;
  results.reserve(count);
  for (auto& slot : slots) results.push_back(std::move(*slot));
  return results;
}

}  // namespace dossier
