#define BOOST_TEST_MODULE common_bounded_queue
#include "common/bounded_queue.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

using dossier::BoundedQueue;

BOOST_AUTO_TEST_CASE(items_cross_threads_in_order_and_close_ends_after_the_last) {
  BoundedQueue<std::unique_ptr<int>> queue(3);  // move-only items
  std::thread producer([&] {
    for (int i = 0; i < 10'000; ++i) BOOST_REQUIRE(queue.Push(std::make_unique<int>(i)));
    queue.Close();
  });
  std::vector<int> seen;
  while (auto item = queue.Pop()) seen.push_back(**item);
  producer.join();
  BOOST_REQUIRE_EQUAL(seen.size(), 10'000u);
  for (int i = 0; i < 10'000; ++i) BOOST_TEST(seen[i] == i);
  BOOST_TEST(!queue.Pop().has_value());  // stays ended
}

BOOST_AUTO_TEST_CASE(a_producer_waits_while_the_queue_is_full) {
  BoundedQueue<int> queue(2);
  std::atomic<int> pushed = 0;
  std::thread producer([&] {
    for (int i = 0; i < 5; ++i) {
      if (!queue.Push(i)) return;
      ++pushed;
    }
    queue.Close();
  });
  // Nothing is popped yet: the producer can get exactly `capacity` items in.
  for (int spins = 0; spins < 200 && pushed.load() < 2; ++spins) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  BOOST_TEST(pushed.load() == 2);
  std::vector<int> seen;
  while (auto item = queue.Pop()) seen.push_back(*item);
  producer.join();
  BOOST_TEST(seen == (std::vector<int>{0, 1, 2, 3, 4}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(cancel_releases_a_blocked_producer_and_drops_what_is_queued) {
  BoundedQueue<int> queue(1);
  BOOST_REQUIRE(queue.Push(1));
  std::atomic<bool> refused = false;
  std::thread producer([&] { refused = !queue.Push(2); });  // blocks: the queue is full
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  queue.Cancel();
  producer.join();
  BOOST_TEST(refused.load());
  BOOST_TEST(!queue.Pop().has_value());  // the queued 1 was dropped
  BOOST_TEST(!queue.Push(3));
}

BOOST_AUTO_TEST_CASE(cancel_releases_a_blocked_consumer) {
  BoundedQueue<int> queue(4);
  std::atomic<bool> ended = false;
  std::thread consumer([&] { ended = !queue.Pop().has_value(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  queue.Cancel();
  consumer.join();
  BOOST_TEST(ended.load());
}

BOOST_AUTO_TEST_CASE(push_after_close_is_refused) {
  BoundedQueue<int> queue(0);  // taken as 1
  BOOST_REQUIRE(queue.Push(7));
  queue.Close();
  BOOST_TEST(!queue.Push(8));
  BOOST_TEST(queue.Pop().value_or(0) == 7);
  BOOST_TEST(!queue.Pop().has_value());
}
