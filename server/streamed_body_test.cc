// BodyPipe and CollectStreamedBody without a socket: ordering, back-pressure,
// a client that goes away, and when a failure can still be a 4xx.
#include "server/streamed_body.h"

#include <atomic>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

using namespace dossier;
using namespace dossier::server;

namespace {

std::string Bytes(size_t n, char c) { return std::string(n, c); }

}  // namespace

BOOST_AUTO_TEST_SUITE(streamed_body)

BOOST_AUTO_TEST_CASE(chunks_arrive_in_order_and_the_queue_is_bounded) {
  std::atomic<int> wakes{0};
  // Room for two chunks: a producer of ten must wait for the taker.
  BodyPipe pipe([&] { ++wakes; }, 2 * kStreamChunkBytes);
  BOOST_TEST(!pipe.Take().chunk);  // nothing yet: the next push wakes
  std::atomic<int> written{0};
  std::atomic<bool> all_ok{true};  // Boost.Test asserts only on the test's thread
  std::thread producer([&] {
    for (int i = 0; i < 10; ++i) {
      if (!pipe.Write(Bytes(kStreamChunkBytes, static_cast<char>('a' + i))).ok()) all_ok = false;
      ++written;
    }
    pipe.Finish(Status::Ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  BOOST_TEST(written.load() <= 3, "the producer ran ahead of the bound: " << written.load());
  BOOST_TEST(wakes.load() == 1);
  std::string received;
  while (true) {
    BodyPipe::Next next = pipe.Take();
    if (next.chunk) {
      received += *next.chunk;
      continue;
    }
    if (next.finished) {
      BOOST_TEST(next.outcome.ok());
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  producer.join();
  BOOST_TEST(all_ok.load());
  BOOST_TEST_REQUIRE(received.size() == 10 * kStreamChunkBytes);
  for (int i = 0; i < 10; ++i) BOOST_TEST(received[i * kStreamChunkBytes] == static_cast<char>('a' + i));
  BOOST_TEST(pipe.committed());
}

BOOST_AUTO_TEST_CASE(a_client_that_goes_away_releases_a_waiting_producer) {
  BodyPipe pipe([] {}, kStreamChunkBytes);
  Status last;
  std::thread producer([&] {
    for (int i = 0; i < 100 && last.ok(); ++i) last = pipe.Write(Bytes(kStreamChunkBytes, 'x'));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  pipe.Abandon();
  producer.join();  // would hang if Abandon did not wake it
  BOOST_TEST(last.reason() == "connection-lost");
  BOOST_TEST(!pipe.Write(Bytes(kStreamChunkBytes, 'y')).ok());
}

BOOST_AUTO_TEST_CASE(a_failure_before_the_first_chunk_discards_what_was_written) {
  BodyPipe pipe([] {});
  BOOST_TEST(pipe.Write("{\"a\":1}\n").ok());
  BOOST_TEST(!pipe.committed());
  pipe.Finish(InvalidArgument("broken at record 2", "bad-xml"));
  BodyPipe::Next next = pipe.Take();
  BOOST_TEST(!next.chunk);
  BOOST_TEST(next.finished);
  BOOST_TEST(next.outcome.reason() == "bad-xml");
}

BOOST_AUTO_TEST_CASE(a_failure_after_committing_keeps_the_bytes_sent_and_the_tail) {
  BodyPipe pipe([] {});
  BOOST_TEST(pipe.Write(Bytes(kStreamChunkBytes, 'r')).ok());
  BOOST_TEST(pipe.committed());
  BOOST_TEST(pipe.Write("tail\n").ok());
  pipe.Finish(InvalidArgument("broken", "bad-xml"));
  BOOST_TEST(pipe.Take().chunk->size() == kStreamChunkBytes);
  BOOST_TEST(*pipe.Take().chunk == "tail\n");
  BodyPipe::Next end = pipe.Take();
  BOOST_TEST(end.finished);
  BOOST_TEST(end.outcome.reason() == "bad-xml");
}

BOOST_AUTO_TEST_CASE(collected_bodies_commit_where_the_pipe_does) {
  const auto producing = [](size_t bytes, Status outcome) {
    Response r;
    r.content_type = "application/x-ndjson";
    r.stream = [bytes, outcome](BodySink& sink) {
      if (Status s = sink.Write(Bytes(bytes, 'n')); !s.ok()) return s;
      return outcome;
    };
    return r;
  };
  Response whole = CollectStreamedBody(producing(10, Status::Ok()), "/v1/x");
  BOOST_TEST(whole.status == 200);
  BOOST_TEST(whole.body == Bytes(10, 'n'));
  BOOST_TEST(!whole.stream);
  BOOST_TEST(!whole.body_incomplete);

  Response early = CollectStreamedBody(producing(10, InvalidArgument("no", "bad-xml")), "/v1/x");
  BOOST_TEST(early.status == 400);
  BOOST_TEST(boost::json::parse(early.body).at("code").as_string() == "bad-xml");

  Response late =
      CollectStreamedBody(producing(kStreamChunkBytes, InvalidArgument("no", "bad-xml")), "/v1/x");
  BOOST_TEST(late.status == 200);
  BOOST_TEST(late.body.size() == kStreamChunkBytes);
  BOOST_TEST(late.body_incomplete);
}

BOOST_AUTO_TEST_SUITE_END()
