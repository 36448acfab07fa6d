#include "server/http_server.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "common/hex.h"
#include "common/random.h"
#include "server/json_util.h"
#include "server/problem.h"
#include "server/range_file.h"
#include "server/request_decode.h"
#include "server/streamed_body.h"
#include "storage/blob_reader.h"

namespace dossier::server {
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = beast::error_code;

namespace {

using RangeFileBody = http::basic_file_body<RangeFile>;

}  // namespace

struct HttpServer::Impl {
  Api& api;
  const ServerOptions& options;
  std::filesystem::path staging_dir;
  net::io_context ioc;
  net::thread_pool workers;
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor;
  net::signal_set signals;
  std::atomic<int> connections{0};
  std::atomic<bool> draining{false};
  // Streamed bodies being produced: abandoned once the io_context has
  // stopped, so that a producer waiting for a client no strand serves any
  // more returns and the worker pool can be joined.
  std::mutex streams_mu;
  std::vector<std::weak_ptr<BodyPipe>> streams;

  void TrackStream(const std::shared_ptr<BodyPipe>& pipe) {
    std::lock_guard lock(streams_mu);
    std::erase_if(streams, [](const std::weak_ptr<BodyPipe>& p) { return p.expired(); });
    streams.push_back(pipe);
  }
  void AbandonStreams() {
    std::lock_guard lock(streams_mu);
    for (auto& weak : streams) {
      if (auto pipe = weak.lock()) pipe->Abandon();
    }
    streams.clear();
  }

  Impl(Api& a, std::filesystem::path staging)
      : api(a),
        options(a.options()),
        staging_dir(std::move(staging)),
        ioc(static_cast<int>(std::max(1u, a.options().io_threads))),
        workers(std::max(1u, a.options().worker_threads)),
        acceptor(net::make_strand(ioc)),
        signals(ioc, SIGINT, SIGTERM) {}

  Status SetUpTls() {
    if (options.tls_cert.empty() && options.tls_key.empty()) return Status::Ok();
    if (options.tls_cert.empty() || options.tls_key.empty()) {
      return InvalidArgument("--tls-cert and --tls-key go together", "bad-options");
    }
    tls.emplace(ssl::context::tls_server);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
    error_code ec;
    tls->use_certificate_chain_file(options.tls_cert.string(), ec);
    if (ec) return InvalidArgument("cannot load --tls-cert: " + ec.message(), "bad-options");
    tls->use_private_key_file(options.tls_key.string(), ssl::context::pem, ec);
    if (ec) return InvalidArgument("cannot load --tls-key: " + ec.message(), "bad-options");
    if (!options.client_ca.empty()) {
      tls->load_verify_file(options.client_ca.string(), ec);
      if (ec) return InvalidArgument("cannot load --client-ca: " + ec.message(), "bad-options");
      // Ask for a certificate but let token-only clients in; a presented
      // certificate must verify.
      tls->set_verify_mode(ssl::verify_peer);
    }
    return Status::Ok();
  }

  void Accept();
  void Drain();
};

namespace {

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Session(HttpServer::Impl& server, tcp::socket&& socket)
      : server_(server), stream_(MakeStream(server, std::move(socket))) {
    ++server_.connections;
  }
  ~Session() { --server_.connections; }

  void Start() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(server_.options.header_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              beast::bind_front_handler(&Session::OnHandshake, this->shared_from_this()));
    } else {
      net::dispatch(stream_.get_executor(),
                    beast::bind_front_handler(&Session::ReadHeader, this->shared_from_this()));
    }
  }

 private:
  static Stream MakeStream(HttpServer::Impl& server, tcp::socket&& socket) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *server.tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  void OnHandshake(error_code ec) {
    if (ec) return;  // a failed handshake (wrong CA, expired certificate) just closes
    if constexpr (kTls) {
      if (X509* cert = SSL_get1_peer_certificate(stream_.native_handle())) {
        unsigned char* der = nullptr;
        int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
        if (len > 0) {
          unsigned char digest[32];
          unsigned int digest_len = 0;
          if (EVP_Digest(der, static_cast<size_t>(len), digest, &digest_len, EVP_sha256(), nullptr) == 1) {
            client_spki_ = HexEncode(std::string_view(reinterpret_cast<const char*>(digest), digest_len));
          }
        }
        OPENSSL_free(der);
        X509_free(cert);
      }
    }
    ReadHeader();
  }

  void ReadHeader() {
    request_ = Request{};
    route_ = Router::Match{};
    request_.client_spki_sha256 = client_spki_;
    header_parser_.emplace();
    header_parser_->header_limit(server_.options.max_header_bytes);
    // No body limit in the header parser: it would refuse a Content-Length
    // beyond it while parsing the header, an error indistinguishable from
    // malformed framing (400). OnHeader checks the declared length against
    // the limit of the route instead and answers 413; the body parsers it
    // hands over to carry their own limits. A Content-Length that is not a
    // number or overflows 64 bits still fails here (bad_content_length: 400).
    header_parser_->body_limit(boost::none);
    beast::get_lowest_layer(stream_).expires_after(first_request_ ? server_.options.header_timeout
                                                                  : server_.options.idle_timeout);
    first_request_ = false;
    http::async_read_header(stream_, buffer_, *header_parser_,
                            beast::bind_front_handler(&Session::OnHeader, this->shared_from_this()));
  }

  void OnHeader(error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset || ec == net::error::eof) {
      return Close();
    }
    if (ec == http::error::header_limit) {
      return Fail(Status(
          StatusCode::kInvalidArgument,
          "the request header is larger than " + std::to_string(server_.options.max_header_bytes) + " bytes",
          "header-too-large"));
    }
    if (ec) return Fail(InvalidArgument("malformed HTTP request: " + ec.message(), "bad-http"));
    if (Status s = DecodeRequestHeader(header_parser_->get(), &request_); !s.ok()) return Fail(s);
    request_.remote_address = RemoteAddress();
    server_.api.in_flight()++;
    counted_ = true;
    // Found once here; the body limit, the upload precheck, Dispatch and the
    // handler all use this match.
    route_ = server_.api.FindRoute(request_);

    const bool expect_continue = beast::iequals(header_parser_->get()[http::field::expect], "100-continue");
    const bool streams = route_.streams_body();
    // The header parser accepted any length; the limit of this kind of
    // request is checked here, before a byte of body is read.
    const uint64_t limit = streams ? server_.options.max_blob_bytes : server_.options.max_body_bytes;
    if (auto length = header_parser_->content_length(); length && *length > limit) {
      return Fail(BodyError(http::error::body_limit, limit));
    }
    if (streams) {
      if (Status s = server_.api.PrecheckUpload(request_, route_); !s.ok()) return Fail(s);
      file_parser_.emplace(std::move(*header_parser_));
      file_parser_->body_limit(server_.options.max_blob_bytes);
      StatusOr<std::string> staged_name = RandomHex(12);
      if (!staged_name.ok()) return Fail(staged_name.status());
      request_.body_file = server_.staging_dir / ("upload-" + *staged_name);
      error_code open_ec;
      file_parser_->get().body().open(request_.body_file.c_str(), beast::file_mode::write, open_ec);
      if (open_ec) return Fail(Unavailable("cannot stage the upload: " + open_ec.message(), "io-error"));
      beast::get_lowest_layer(stream_).expires_after(server_.options.upload_timeout);
      if (expect_continue) return SendContinue([self = this->shared_from_this()] { self->ReadFileBody(); });
      ReadFileBody();
    } else {
      string_parser_.emplace(std::move(*header_parser_));
      string_parser_->body_limit(server_.options.max_body_bytes);
      beast::get_lowest_layer(stream_).expires_after(server_.options.body_timeout);
      if (expect_continue) return SendContinue([self = this->shared_from_this()] { self->ReadStringBody(); });
      ReadStringBody();
    }
  }

  template <class Next>
  void SendContinue(Next next) {
    auto res = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    http::async_write(stream_, *res, [res, next](error_code ec, std::size_t) {
      if (!ec) next();
    });
  }

  void ReadFileBody() {
    http::async_read(stream_, buffer_, *file_parser_,
                     beast::bind_front_handler(&Session::OnFileBody, this->shared_from_this()));
  }
  void ReadStringBody() {
    http::async_read(stream_, buffer_, *string_parser_,
                     beast::bind_front_handler(&Session::OnStringBody, this->shared_from_this()));
  }

  Status BodyError(error_code ec, uint64_t limit) {
    if (ec == http::error::body_limit) {
      return InvalidArgument("the body is larger than " + std::to_string(limit) + " bytes", "body-too-large");
    }
    return InvalidArgument("the body could not be read: " + ec.message(), "bad-body");
  }

  void OnFileBody(error_code ec, std::size_t) {
    error_code close_ec;
    file_parser_->get().body().close();
    if (ec) {
      std::filesystem::remove(request_.body_file, close_ec);
      if (ec == beast::error::timeout || ec == net::error::eof || ec == http::error::partial_message) {
        return Close();
      }
      if (ec == beast::errc::no_space_on_device) {
        return Fail(
            ResourceExhausted("the server's disk is full; the upload was not stored", "storage-full"));
      }
      return Fail(BodyError(ec, server_.options.max_blob_bytes));
    }
    keep_alive_ = file_parser_->keep_alive();
    request_.body_size = file_parser_->content_length().value_or(0);
    Dispatch();
  }

  void OnStringBody(error_code ec, std::size_t) {
    if (ec) {
      if (ec == beast::error::timeout || ec == net::error::eof || ec == http::error::partial_message)
        return Close();
      return Fail(BodyError(ec, server_.options.max_body_bytes));
    }
    keep_alive_ = string_parser_->keep_alive();
    request_.body = std::move(string_parser_->get().body());
    request_.body_size = request_.body.size();
    Dispatch();
  }

  // Runs the handler on the worker pool, then writes its answer from this
  // connection's strand; a cheap read (Route::answers_inline) is answered
  // here on the strand at once.
  void Dispatch() {
    beast::get_lowest_layer(stream_).expires_never();
    if (request_.body_file.empty() && route_.answers_inline()) {
      return Write(server_.api.Handle(request_, std::move(route_)));
    }
    net::post(server_.workers, [self = this->shared_from_this()] {
      Response response = self->server_.api.Handle(self->request_, std::move(self->route_));
      if (response.stream) {
        // Produced here, on this worker, while the strand sends what is
        // ready; the upload it reads stays until production ends.
        BodyProducer produce = std::move(response.stream);
        auto pipe = std::make_shared<BodyPipe>(
            [self] { net::dispatch(self->stream_.get_executor(), [self] { self->PumpStream(); }); });
        self->server_.TrackStream(pipe);
        net::dispatch(self->stream_.get_executor(), [self, pipe, response = std::move(response)]() mutable {
          self->stream_pipe_ = std::move(pipe);
          self->stream_head_ = std::move(response);
          self->PumpStream();
        });
        Status outcome = produce(*pipe);
        self->RemoveUpload();
        pipe->Finish(std::move(outcome));
        return;
      }
      self->RemoveUpload();
      net::dispatch(self->stream_.get_executor(),
                    [self, response = std::move(response)]() mutable { self->Write(std::move(response)); });
    });
  }

  void RemoveUpload() {
    if (request_.body_file.empty()) return;
    std::error_code ignored;
    std::filesystem::remove(request_.body_file, ignored);
  }

  // Sends a streamed body (Response::stream) as chunks come out of the pipe:
  // the status line once the first chunk is there (before that, a failure is
  // answered as a problem document), one HTTP chunk per pipe chunk, one
  // write at a time, each under the body timeout; then the last chunk, or,
  // when production failed after the status line, a close without it.
  // Runs on the strand whenever the pipe has news or a write completed.
  void PumpStream() {
    if (!stream_pipe_ || stream_writing_) return;
    auto self = this->shared_from_this();
    const auto resume = [self](error_code ec, std::size_t) {
      self->stream_writing_ = false;
      if (ec) return self->EndStream(false, ec);
      self->PumpStream();
    };
    if (!stream_serializer_) {
      BodyPipe::Next next = stream_pipe_->Take();
      if (!next.chunk && !next.finished) return;  // woken again when there is
      if (next.finished && !next.outcome.ok()) {  // failed before committing
        stream_pipe_.reset();
        return Write(ProblemResponse(next.outcome, request_.path));
      }
      if (next.chunk) stream_chunk_ = std::move(*next.chunk);
      stream_header_.emplace(static_cast<http::status>(stream_head_.status), 11);
      Decorate(*stream_header_, stream_head_);
      stream_header_->chunked(true);
      stream_serializer_.emplace(*stream_header_);
      stream_writing_ = true;
      beast::get_lowest_layer(stream_).expires_after(server_.options.body_timeout);
      return http::async_write_header(stream_, *stream_serializer_, resume);
    }
    if (stream_chunk_.empty()) {
      BodyPipe::Next next = stream_pipe_->Take();
      if (next.chunk) {
        stream_chunk_ = std::move(*next.chunk);
      } else if (!next.finished) {
        return;
      } else if (!next.outcome.ok()) {
        return EndStream(false, {});  // no last chunk: the client sees the transfer cut short
      } else {
        stream_writing_ = true;
        beast::get_lowest_layer(stream_).expires_after(server_.options.body_timeout);
        return net::async_write(stream_, http::make_chunk_last(), [self](error_code ec, std::size_t) {
          self->stream_writing_ = false;
          self->EndStream(self->stream_header_->keep_alive(), ec);
        });
      }
    }
    stream_writing_ = true;
    beast::get_lowest_layer(stream_).expires_after(server_.options.body_timeout);
    net::async_write(stream_, http::make_chunk(net::buffer(stream_chunk_)),
                     [self, resume](error_code ec, std::size_t n) {
                       self->stream_chunk_.clear();
                       resume(ec, n);
                     });
  }

  void EndStream(bool keep_alive, error_code ec) {
    stream_pipe_->Abandon();  // a producer still writing stops
    stream_pipe_.reset();     // (the pipe's wake holds this session)
    stream_serializer_.reset();
    stream_header_.reset();
    stream_chunk_.clear();
    stream_head_ = Response();
    OnWrite(keep_alive && !ec, ec, 0);
  }

  // Answers an error found before a handler ran and closes the connection
  // (its body, if any, was not read).
  void Fail(const Status& status) {
    if (!counted_) {
      server_.api.in_flight()++;
      counted_ = true;
    }
    keep_alive_ = false;
    Write(ProblemResponse(status, request_.path.empty() ? std::string("/") : request_.path));
  }

  template <class Body>
  void Decorate(http::response<Body>& res, const Response& r) {
    for (const auto& [name, value] : r.headers) res.set(name, value);
    if (!r.content_type.empty()) res.set(http::field::content_type, r.content_type);
    res.set(http::field::server, "dossierd");
    if (r.status != 304) res.set("X-Content-Type-Options", "nosniff");
    res.keep_alive(keep_alive_ && !server_.draining.load());
  }

  void Write(Response r) {
    // Streams are produced on a worker (Dispatch); any other path that meets
    // one (none today) produces it here rather than send an empty body.
    if (r.stream) r = CollectStreamedBody(std::move(r), request_.path);
    const auto status = static_cast<http::status>(r.status);
    std::optional<http::message_generator> message;
    if (r.file && !r.head_only) {
      http::response<RangeFileBody> res{status, 11};
      error_code ec;
      RangeFile file;
      if (r.file->verified) {
        file.OpenVerified(r.file->verified, r.file->offset, r.file->length);
      } else {
        file.OpenRange(r.file->path, r.file->offset, r.file->length, ec);
      }
      if (!ec) res.body().reset(std::move(file), ec);
      if (ec) {
        Response problem =
            ProblemResponse(Unavailable("cannot read the document", "io-error"), request_.path);
        return Write(std::move(problem));
      }
      Decorate(res, r);
      res.content_length(r.file->length);
      message.emplace(std::move(res));
    } else if (r.head_only) {
      http::response<http::empty_body> res{status, 11};
      Decorate(res, r);
      res.content_length(r.file ? r.file->length : r.body.size());
      message.emplace(std::move(res));
    } else {
      http::response<http::string_body> res{status, 11};
      Decorate(res, r);
      res.body() = std::move(r.body);
      if (r.status != 304 && r.status != 204) res.prepare_payload();
      message.emplace(std::move(res));
    }
    if (r.delete_file_after && r.file) pending_delete_ = r.file->path;
    const bool keep = message->keep_alive();
    beast::get_lowest_layer(stream_).expires_after(server_.options.body_timeout);
    beast::async_write(stream_, std::move(*message),
                       beast::bind_front_handler(&Session::OnWrite, this->shared_from_this(), keep));
  }

  void OnWrite(bool keep_alive, error_code ec, std::size_t) {
    if (!pending_delete_.empty()) {
      std::error_code ignored;
      std::filesystem::remove(pending_delete_, ignored);
      pending_delete_.clear();
    }
    if (counted_) {
      server_.api.in_flight()--;
      counted_ = false;
    }
    header_parser_.reset();
    string_parser_.reset();
    file_parser_.reset();
    if (ec || !keep_alive) return Close();
    ReadHeader();
  }

  void Close() {
    if (counted_) {
      server_.api.in_flight()--;
      counted_ = false;
    }
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = this->shared_from_this()](error_code) {
        error_code ignored;
        beast::get_lowest_layer(self->stream_).socket().close(ignored);
      });
    } else {
      error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  // The peer's address, asked of the kernel once per connection (it cannot
  // change) rather than once per request.
  const std::string& RemoteAddress() {
    if (!remote_address_) {
      error_code ec;
      auto endpoint = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
      if (ec) return remote_address_.emplace();
      remote_address_ = endpoint.address().to_string();
    }
    return *remote_address_;
  }

  HttpServer::Impl& server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  Request request_;
  Router::Match route_;  // request_'s route, found once its header is read
  std::string client_spki_;
  std::optional<std::string> remote_address_;
  std::optional<http::request_parser<http::empty_body>> header_parser_;
  std::optional<http::request_parser<http::string_body>> string_parser_;
  std::optional<http::request_parser<http::file_body>> file_parser_;
  std::filesystem::path pending_delete_;  // a temporary response file to remove once written
  // A streamed response in progress (PumpStream).
  std::shared_ptr<BodyPipe> stream_pipe_;
  Response stream_head_;  // its status and headers
  std::optional<http::response<http::empty_body>> stream_header_;
  std::optional<http::response_serializer<http::empty_body>> stream_serializer_;
  std::string stream_chunk_;  // the chunk being written
  bool stream_writing_ = false;
  bool keep_alive_ = false;
  bool counted_ = false;
  bool first_request_ = true;
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || draining.load()) return;
      return Accept();  // e.g. EMFILE: keep serving the connections we have
    }
    if (connections.load() >= static_cast<int>(options.max_connections)) {
      error_code ignored;
      socket.close(ignored);
    } else if (tls) {
      std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(*this, std::move(socket))->Start();
    } else {
      std::make_shared<Session<beast::tcp_stream>>(*this, std::move(socket))->Start();
    }
    Accept();
  });
}

void HttpServer::Impl::Drain() {
  if (draining.exchange(true)) return;
  error_code ignored;
  acceptor.close(ignored);
  // Wait for requests in flight, then stop: idle keep-alive connections are
  // simply closed when the io_context stops.
  auto deadline = std::chrono::steady_clock::now() + options.drain_timeout;
  auto timer = std::make_shared<net::steady_timer>(ioc);
  std::function<void()> poll;
  auto poll_ptr = std::make_shared<std::function<void()>>();
  *poll_ptr = [this, timer, deadline, poll_ptr] {
    if (api.in_flight().load() <= 0 || std::chrono::steady_clock::now() >= deadline) {
      ioc.stop();
      return;
    }
    timer->expires_after(std::chrono::milliseconds(20));
    timer->async_wait([poll_ptr](error_code) { (*poll_ptr)(); });
  };
  (*poll_ptr)();
}

HttpServer::HttpServer(Api& api, std::filesystem::path staging_dir)
    : impl_(std::make_unique<Impl>(api, std::move(staging_dir))) {}

HttpServer::~HttpServer() { impl_->workers.join(); }

Status HttpServer::Start() {
  DOSSIER_RETURN_IF_ERROR(impl_->SetUpTls());
  const std::string& listen = impl_->options.listen;
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("--listen must be host:port", "bad-options");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) return InvalidArgument("--listen host must be an IP address: " + host, "bad-options");
  unsigned long port = 0;
  try {
    port = std::stoul(listen.substr(colon + 1));
  } catch (...) {
    return InvalidArgument("--listen port is not a number", "bad-options");
  }
  if (port > 65535) return InvalidArgument("--listen port is out of range", "bad-options");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Unavailable("cannot listen on " + listen + ": " + ec.message(), "listen-failed");
  return Status::Ok();
}

uint16_t HttpServer::port() const {
  error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void HttpServer::Run() {
  impl_->signals.async_wait([this](error_code ec, int) {
    if (!ec) impl_->Drain();
  });
  impl_->Accept();
  std::vector<std::thread> threads;
  const unsigned n = std::max(1u, impl_->options.io_threads);
  for (unsigned i = 1; i < n; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
  impl_->AbandonStreams();
  impl_->workers.join();
}

void HttpServer::Shutdown() {
  net::post(impl_->ioc, [this] { impl_->Drain(); });
}

}  // namespace dossier::server
