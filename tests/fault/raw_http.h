// Raw HTTP/1.1 over a TCP socket to 127.0.0.1, for fault tests that must send
// bytes no well-behaved client would (broken framing, bad encodings, slow
// dribbles). The harness's HttpClient::Raw waits for the server to close; here
// we stop as soon as one complete response has been parsed, so a catalogue of
// hundreds of cases runs in seconds.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace dossier::fault {

struct RawResult {
  enum Kind {
    kResponse,  // a complete response was parsed (status/headers/body below)
    kClosed,    // the server closed (or reset) the connection without a response
    kTimeout,   // nothing complete arrived before the deadline, connection still open
    kGarbage,   // bytes arrived that are not an HTTP response
  };
  Kind kind = kTimeout;
  int status = 0;
  std::string content_type;
  std::string body;
  std::string raw;  // every byte received
  std::chrono::milliseconds elapsed{0};

  std::string Describe() const;
};

struct RawOptions {
  // Half-close our sending side after the bytes: a server waiting for more
  // body or header bytes then sees EOF at once instead of timing out.
  bool half_close = true;
  std::chrono::milliseconds timeout{5000};
};

// Connects, sends `bytes` (ignoring send errors: the server may legitimately
// close early, e.g. after a 431), and reads the first complete response
// (skipping interim 1xx responses).
RawResult SendRaw(unsigned short port, const std::string& bytes, RawOptions options = {});

// Builds a request with a correct Content-Length (unless `headers` sets one or
// sets Transfer-Encoding).
std::string BuildRequest(const std::string& method, const std::string& target,
                         const std::map<std::string, std::string>& headers = {}, const std::string& body = {},
                         bool add_length = true);

}  // namespace dossier::fault
