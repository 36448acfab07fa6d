// BoundedQueue<T>: hands items from one thread to another, in order, with at
// most `capacity` waiting, so a fast producer waits for a slow consumer instead
// of filling memory.
//
// For two-stage work where each stage is CPU-bound and the second must see the
// items in order (a many-record import parses on one thread while another
// prints the records and sends them): the stages overlap on two cores, and the
// memory in flight stays bounded.
//
// Ending: the producer calls Close() when it has pushed everything; the
// consumer's Pop() then drains what is queued and answers nullopt. Either side
// may Cancel(): queued items are dropped, Push() answers false (the producer
// should stop) and Pop() answers nullopt, from then on and for anyone blocked.
//
// Thread-safety: every member may be called from any thread. Items are moved
// in and out; the queue owns what it holds.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace dossier {

template <typename T>
class BoundedQueue {
 public:
  // `capacity` 0 is taken as 1.
  explicit BoundedQueue(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  // Waits for room. False (and `item` dropped) once the queue is cancelled or
  // closed.
  [[nodiscard]] bool Push(T item) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [this] { return items_.size() < capacity_ || cancelled_ || closed_; });
    if (cancelled_ || closed_) return false;
    items_.push_back(std::move(item));
    ready_.notify_one();
    return true;
  }

  // Waits for an item. nullopt once the queue is closed and drained, or
  // cancelled.
  std::optional<T> Pop() {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [this] { return !items_.empty() || cancelled_ || closed_; });
    if (cancelled_ || items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    room_.notify_one();
    return item;
  }

  // No more items will come; what is queued can still be popped.
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    ready_.notify_all();
    room_.notify_all();
  }

  // Stop both sides now: queued items are dropped.
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    items_.clear();
    ready_.notify_all();
    room_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<T> items_;
  bool closed_ = false, cancelled_ = false;
};

}  // namespace dossier
