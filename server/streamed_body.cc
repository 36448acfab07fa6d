#include "server/streamed_body.h"

#include <utility>

#include "server/problem.h"

namespace dossier::server {
namespace {

Status ClientGone() { return Status(StatusCode::kCancelled, "the client went away", "connection-lost"); }

// The in-process stand-in for a connection: everything in one string,
// committed at the same size the pipe commits at.
class StringSink final : public BodySink {
 public:
  Status Write(std::string_view bytes) override {
    body_.append(bytes);
    committed_ = committed_ || body_.size() >= kStreamChunkBytes;
    return Status::Ok();
  }
  bool committed() const override { return committed_; }
  std::string& body() { return body_; }

 private:
  std::string body_;
  bool committed_ = false;
};

}  // namespace

BodyPipe::BodyPipe(std::function<void()> wake, size_t max_queued_bytes)
    : wake_(std::move(wake)), max_queued_bytes_(max_queued_bytes) {}

Status BodyPipe::Write(std::string_view bytes) {
  pending_.append(bytes);
  if (pending_.size() < kStreamChunkBytes) return Status::Ok();
  std::unique_lock lock(mu_);
  return PushLocked(lock, /*wait_for_room=*/true);
}

bool BodyPipe::committed() const {
  std::lock_guard lock(mu_);
  return committed_;
}

Status BodyPipe::PushLocked(std::unique_lock<std::mutex>& lock, bool wait_for_room) {
  if (wait_for_room) room_.wait(lock, [this] { return abandoned_ || queued_bytes_ < max_queued_bytes_; });
  if (abandoned_) return ClientGone();
  queued_bytes_ += pending_.size();
  queue_.push_back(std::move(pending_));
  pending_.clear();
  committed_ = true;
  const bool wake = std::exchange(taker_waiting_, false);
  lock.unlock();
  if (wake) wake_();
  return Status::Ok();
}

void BodyPipe::Finish(Status outcome) {
  std::unique_lock lock(mu_);
  // Before the first chunk a failure discards what was written: the
  // connection answers the problem instead. After it, the bytes go out.
  if (!abandoned_ && !pending_.empty() && (outcome.ok() || committed_)) {
    queued_bytes_ += pending_.size();
    queue_.push_back(std::move(pending_));
    committed_ = true;
  }
  pending_.clear();
  finished_ = true;
  outcome_ = std::move(outcome);
  const bool wake = std::exchange(taker_waiting_, false);
  lock.unlock();
  if (wake) wake_();
}

BodyPipe::Next BodyPipe::Take() {
  std::lock_guard lock(mu_);
  Next next;
  if (!queue_.empty()) {
    next.chunk = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= next.chunk->size();
    room_.notify_one();
  } else if (finished_) {
    next.finished = true;
    next.outcome = outcome_;
  } else {
    taker_waiting_ = true;
  }
  return next;
}

void BodyPipe::Abandon() {
  std::lock_guard lock(mu_);
  abandoned_ = true;
  queue_.clear();
  queued_bytes_ = 0;
  room_.notify_all();
}

Response CollectStreamedBody(Response response, std::string_view instance) {
  if (!response.stream) return response;
  StringSink sink;
  const Status outcome = response.stream(sink);
  response.stream = nullptr;
  if (!outcome.ok() && !sink.committed()) return ProblemResponse(outcome, instance);
  response.body = std::move(sink.body());
  response.body_incomplete = !outcome.ok();
  return response;
}

}  // namespace dossier::server
