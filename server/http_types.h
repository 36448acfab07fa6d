// Transport-neutral request and response values exchanged between the Beast
// session layer (http_server.cc) and the handlers (api.cc). Keeping Beast out
// of the handlers keeps them quick to compile and easy to test.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace dossier::storage {
class BlobReader;  // storage/blob_reader.h
}

namespace dossier::server {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // as received, e.g. "/v1/tenants/acme/dossiers?page_size=10"
  std::string path;                            // percent-decoded path without the query
  std::map<std::string, std::string> query;    // decoded query parameters (last one wins)
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;                            // for ordinary requests
  std::filesystem::path body_file;             // for streamed uploads (blobs); empty otherwise
  uint64_t body_size = 0;
  std::string remote_address;
  std::string client_spki_sha256;  // hex, when a TLS client certificate was presented

  std::string_view Header(std::string_view lower_name) const {
    auto it = headers.find(std::string(lower_name));
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  }
  std::optional<std::string> Query(std::string_view name) const {
    auto it = query.find(std::string(name));
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

// A byte range of a file to send as the body.
struct FileSlice {
  std::filesystem::path path;
  uint64_t offset = 0;
  uint64_t length = 0;
  // For a stored blob: the bytes are read through this reader, which checks
  // each chunk against its recorded digest before it is sent; on a mismatch
  // the connection is closed mid-body (the client sees a short transfer,
  // never wrong bytes). Null for the server's own files (import results).
  std::shared_ptr<storage::BlobReader> verified;
};

// Where a streamed body's bytes go (Response::stream). Used by one producer
// thread at a time.
class BodySink {
 public:
  virtual ~BodySink() = default;
  // Hands `bytes` on, in order. May block while the client reads slower than
  // the producer writes (bounded buffering). Fails (Cancelled "connection-lost")
  // once the connection is gone: the producer should stop.
  virtual Status Write(std::string_view bytes) = 0;
  // Whether the status line has been sent, i.e. a failure can no longer be
  // answered as a problem document. Until then a producer that fails gets
  // its 4xx exactly as a handler returning that status would.
  virtual bool committed() const = 0;
};

// Produces a body while it is sent (HTTP/1.1 chunked), on a worker thread,
// after the handler returned. Returns the production's outcome: a failure
// after committed() ends the body without its last chunk, so a client sees
// an incomplete transfer rather than a short answer that looks whole.
using BodyProducer = std::function<Status(BodySink&)>;

struct Response {
  int status = 200;
  std::string content_type;
  std::string body;
  std::optional<FileSlice> file;  // when set, sent instead of `body`
  std::vector<std::pair<std::string, std::string>> headers;
  bool head_only = false;          // HEAD: send Content-Length of the body but no bytes
  bool delete_file_after = false;  // `file` is a temporary result: remove it once sent
  // When set, the body: produced after the handler returns, sent as it is
  // produced (`body` and `file` unused). The request's body_file stays until
  // the producer is done.
  BodyProducer stream;
  // Set by CollectStreamedBody (server/streamed_body.h) when the producer
  // failed after committing: `body` is what a client would have received.
  bool body_incomplete = false;

  static Response Json(int status, std::string json) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(json);
    return r;
  }
};

}  // namespace dossier::server
