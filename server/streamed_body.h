// Streamed response bodies (Response::stream): the queue that carries a
// producer's bytes from its worker thread to the connection sending them, and
// the collector that runs a producer to completion where there is no
// connection (the in-process API of the tests, the fuzzer).
//
// Both commit to the response's status at the same point, the first full
// chunk (kStreamChunkBytes), so a producer that fails early gets the same 4xx
// in process as over HTTP.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "server/http_types.h"

namespace dossier::server {

// Bytes are handed on in chunks of about this size (one HTTP chunk each).
inline constexpr size_t kStreamChunkBytes = 64 << 10;

// The producer's side is BodySink; the connection's side is Take() and
// Abandon(). Thread-safety: Write()/Finish() from the producer's thread,
// Take()/Abandon() from the connection's strand; `wake` is called (from the
// producer's thread, without the lock held) when Take() has something new
// after answering nothing.
class BodyPipe final : public BodySink {
 public:
  // At most `max_queued_bytes` wait to be sent; a Write() beyond that blocks
  // until the connection takes some or goes away. Default: 4 MiB.
  explicit BodyPipe(std::function<void()> wake, size_t max_queued_bytes = 4 << 20);

  Status Write(std::string_view bytes) override;
  bool committed() const override;
  // The producer is done: what it wrote is queued whatever `outcome` is
  // (after committed() a failing producer may have written its reason).
  void Finish(Status outcome);

  struct Next {
    std::optional<std::string> chunk;  // the next bytes to send, if any yet
    bool finished = false;             // no chunk and no more will come
    Status outcome;                    // the producer's, once finished
  };
  Next Take();
  // The connection is gone: Write() fails from now on and nothing waits.
  void Abandon();

 private:
  Status PushLocked(std::unique_lock<std::mutex>& lock, bool wait_for_room);

  const std::function<void()> wake_;
  const size_t max_queued_bytes_;
  std::string pending_;  // producer's thread only: bytes not yet a chunk
  mutable std::mutex mu_;
  std::condition_variable room_;
  std::deque<std::string> queue_;
  size_t queued_bytes_ = 0;
  bool committed_ = false, finished_ = false, abandoned_ = false, taker_waiting_ = true;
  Status outcome_;
};

// Runs `response.stream` into `response.body` and clears it. A producer that
// fails before writing a full chunk answers its problem document (as the HTTP
// session does); one that fails later leaves status 200, the bytes it wrote and
// `body_incomplete` set. Other responses are returned unchanged.
Response CollectStreamedBody(Response response, std::string_view instance);

}  // namespace dossier::server
