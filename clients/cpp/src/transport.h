// Internal: one HTTP/1.1 exchange at a time per pooled connection, over plain
// TCP or TLS, as C++20 coroutines on a strand. The only part of the SDK that
// sees Boost.Beast (slow to compile), kept to transport.cc.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "dossier/client/options.h"
#include "dossier/client/types.h"

namespace dossier::client::internal {

struct HttpResponse;

struct HttpRequest {
  std::string method;  // "GET", "HEAD", "PUT", "POST", "DELETE"
  std::string target;  // path and query below the base URL, e.g. "/v1/log/checkpoint"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;         // for a body
  std::string body;                 // sent when body_file is empty
  std::filesystem::path body_file;  // streamed from disk when set
  // When set, the body is produced piece by piece and sent chunked; such a
  // request always gets a new connection and is never resent once sending began.
  BodyProducer body_producer;
  bool idempotent = false;  // may be re-sent after a failure
  // When set, a 200 body is written to this file (truncating it) and a 206
  // body appended to it; other answers are read into HttpResponse::body.
  std::filesystem::path response_file;
  // When set, a failure while reading the body of an answer whose header
  // arrived is returned in HttpResponse::body_failure with the bytes read so
  // far, and not retried (a streamed NDJSON answer says in its last line why
  // the server cut it short). Otherwise such a failure is the call's Status.
  bool keep_partial_body = false;
  // When set, the body of a 2xx answer is handed to it piece by piece as it is
  // read (at most 64 KiB at a time, never held whole: HttpResponse::body stays
  // empty, max_response_bytes does not apply), with the answer's status and
  // headers in `head`; other answers are read into HttpResponse::body. Once a
  // 2xx header arrived nothing is retried: a failure reading the body is
  // returned in HttpResponse::body_failure (as with keep_partial_body), and so
  // is a non-OK Status returned by the sink, which stops reading and closes
  // the connection.
  std::function<Status(const HttpResponse& head, std::string_view bytes)> body_sink;
  ProgressFn progress;             // bytes of the file body sent, or of the answer received
  std::optional<int> max_retries;  // this call's (CallOptions), else ClientOptions::max_retries
  // Sent as X-Request-Id on every attempt; Send makes one when empty.
  std::string request_id;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
  std::string body;
  uint64_t file_bytes = 0;  // bytes written to response_file
  bool keep_alive = false;
  Status body_failure;  // HttpRequest::keep_partial_body: why `body` is incomplete
  std::string Header(std::string_view lower_name) const;
};

class Transport {
 public:
  // `executor` runs everything; the transport wraps it in a strand.
  static StatusOr<std::shared_ptr<Transport>> Create(boost::asio::any_io_executor executor,
                                                     const ClientOptions& options);
  ~Transport();

  // The strand every Send must be awaited on.
  boost::asio::any_io_executor strand() const;

  // Sends `request`, retrying as ClientOptions describes. Returns any HTTP
  // answer (also 4xx/5xx) or a transport Status ("connect-failed", "timeout",
  // "tls-failed", "connection-lost", "proxy-failed", or "io-error" for the
  // local files). Each attempt is reported to ClientOptions::on_http_exchange.
  boost::asio::awaitable<StatusOr<HttpResponse>> Send(HttpRequest request);

  // "http://127.0.0.1:8080" + base path: identifies the server (checkpoint memory).
  const std::string& server_key() const;

 private:
  struct Impl;
  explicit Transport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::client::internal
