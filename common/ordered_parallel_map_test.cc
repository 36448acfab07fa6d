#define BOOST_TEST_MODULE common_ordered_parallel_map
#include "common/ordered_parallel_map.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/status.h"

using dossier::OrderedParallelMap;
using dossier::StatusOr;

namespace {

// A worker as the puller's: state of its own that is not thread-safe.
struct Squarer {
  size_t calls = 0;
  size_t operator()(size_t i) {
    ++calls;
    return i * i;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(results_come_back_in_index_order_whatever_the_thread_count) {
  for (size_t threads : {0u, 1u, 2u, 3u, 8u}) {
    for (size_t count : {0u, 1u, 2u, 5u, 499u, 500u}) {
      BOOST_TEST_CONTEXT("threads " << threads << ", count " << count) {
        const std::vector<size_t> squares = OrderedParallelMap(count, threads, [] { return Squarer{}; });
        BOOST_REQUIRE_EQUAL(squares.size(), count);
        for (size_t i = 0; i < count; ++i) BOOST_TEST(squares[i] == i * i);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_failure_in_one_item_stays_at_its_index_and_the_others_are_computed) {
  const std::vector<StatusOr<std::string>> results = OrderedParallelMap(10, 2, [] {
    return [](size_t i) -> StatusOr<std::string> {
      if (i == 3 || i == 7) return dossier::InvalidArgument("item " + std::to_string(i), "bad-item");
      return "ok " + std::to_string(i);
    };
  });
  BOOST_REQUIRE_EQUAL(results.size(), 10u);
  size_t first_failure = results.size();
  for (size_t i = 0; i < results.size(); ++i) {
    BOOST_TEST_CONTEXT("item " << i) {
      BOOST_TEST(results[i].ok() == (i != 3 && i != 7));
      if (results[i].ok()) BOOST_TEST(*results[i] == "ok " + std::to_string(i));
      if (!results[i].ok() && first_failure == results.size()) first_failure = i;
    }
  }
  // What a sequential loop would have stopped at, with its own error.
  BOOST_REQUIRE_EQUAL(first_failure, 3u);
  BOOST_TEST(results[3].status().message() == "item 3");
  BOOST_TEST(results[3].status().reason() == "bad-item");
}

BOOST_AUTO_TEST_CASE(each_thread_makes_its_own_worker_and_no_worker_is_shared) {
  std::mutex mu;
  std::set<std::thread::id> makers;
  std::atomic<size_t> made{0};
  const auto owners = OrderedParallelMap(100, 2, [&] {
    ++made;
    {
      std::lock_guard lock(mu);
      makers.insert(std::this_thread::get_id());
    }
    // Every item records the thread that made its worker and the thread that ran it.
    return [maker = std::this_thread::get_id()](size_t) {
      return std::make_pair(maker, std::this_thread::get_id());
    };
  });
  BOOST_TEST(made.load() == 2u);  // one worker per chunk, never one per item
  BOOST_TEST(makers.size() == 2u);
  for (const auto& [maker, runner] : owners) BOOST_TEST((maker == runner));
  // Contiguous chunks: the first half on one thread, the second on the other.
  BOOST_TEST((owners.front().second != owners.back().second));
  BOOST_TEST((owners[49].second == owners.front().second));
  BOOST_TEST((owners[50].second == owners.back().second));
}

BOOST_AUTO_TEST_CASE(the_calling_thread_computes_the_first_chunk) {
  const auto runners =
      OrderedParallelMap(4, 2, [] { return [](size_t) { return std::this_thread::get_id(); }; });
  BOOST_TEST((runners[0] == std::this_thread::get_id()));
  BOOST_TEST((runners[1] == std::this_thread::get_id()));
  BOOST_TEST((runners[2] != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_worker_is_rethrown_to_the_caller_after_the_join) {
  std::atomic<size_t> computed{0};
  BOOST_CHECK_THROW(OrderedParallelMap(8, 2,
                                       [&] {
                                         return [&](size_t i) {
                                           if (i == 6) throw std::runtime_error("item 6");
                                           ++computed;
                                           return i;
                                         };
                                       }),
                    std::runtime_error);
  // The other chunk ran to its end (items 0..3), the failing one up to item 6.
  BOOST_TEST(computed.load() == 6u);
}
