#include "transport.h"

#include <openssl/ssl.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <cstdio>
#include <random>

namespace dossier::client::internal {
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using net::awaitable;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTuple = net::as_tuple(net::use_awaitable);
// Pooled connections idle longer than this are dropped rather than reused:
// the server closes idle connections after 60 s.
constexpr auto kMaxIdle = std::chrono::seconds(30);

Status TransportError(const beast::error_code& ec, const std::string& what) {
  if (ec == beast::error::timeout) {
    return Status(StatusCode::kDeadlineExceeded, what + ": timed out", "timeout");
  }
  if (ec.category() == net::error::get_ssl_category() || ec == ssl::error::stream_truncated) {
    return Unavailable(what + ": TLS: " + ec.message(), "tls-failed");
  }
  if (ec == net::error::connection_refused || ec == net::error::host_unreachable ||
      ec == net::error::network_unreachable || ec == net::error::host_not_found) {
    return Unavailable(what + ": " + ec.message(), "connect-failed");
  }
  return Unavailable(what + ": " + ec.message(), "connection-lost");
}

struct Connection {
  std::unique_ptr<beast::tcp_stream> tcp;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  std::chrono::steady_clock::time_point idle_since;
  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *tcp; }
};

}  // namespace

std::string HttpResponse::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return {};
}

struct Transport::Impl {
  ClientOptions options;
  net::strand<net::any_io_executor> strand;
  std::optional<ssl::context> tls;
  std::string host, port, base_path, server_key;
  std::vector<std::unique_ptr<Connection>> pool;  // touched only on the strand
  std::minstd_rand rng{std::random_device{}()};

  Impl(net::any_io_executor ex, ClientOptions o) : options(std::move(o)), strand(net::make_strand(ex)) {}

  std::unique_ptr<Connection> TakeIdle() {
    while (!pool.empty()) {
      auto c = std::move(pool.back());
      pool.pop_back();
      if (std::chrono::steady_clock::now() - c->idle_since < kMaxIdle) return c;
    }
    return nullptr;
  }

  awaitable<StatusOr<std::unique_ptr<Connection>>> Connect() {
    const std::string where = host + ":" + port;
    tcp::resolver resolver(strand);
    auto [rec, endpoints] = co_await resolver.async_resolve(host, port, kTuple);
    if (rec) co_return Unavailable("cannot resolve " + host + ": " + rec.message(), "connect-failed");
    auto conn = std::make_unique<Connection>();
    if (tls) {
      conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(strand, *tls);
    } else {
      conn->tcp = std::make_unique<beast::tcp_stream>(strand);
    }
    auto& low = conn->lowest();
    low.expires_after(options.connect_timeout);
    auto [cec, ep] = co_await low.async_connect(endpoints, kTuple);
    if (cec) co_return TransportError(cec, "cannot connect to " + where);
    if (tls) {
      // SNI, and the certificate must name the host we asked for.
      SSL_set_tlsext_host_name(conn->tls->native_handle(), host.c_str());
      if (!options.insecure_skip_verify) conn->tls->set_verify_callback(ssl::host_name_verification(host));
      auto [hec] = co_await conn->tls->async_handshake(ssl::stream_base::client, kTuple);
      if (hec) co_return TransportError(hec, "TLS handshake with " + where);
    }
    low.expires_never();
    co_return conn;
  }

  template <class Body>
  void SetHeaders(http::request<Body>& m, const HttpRequest& r) {
    m.set(http::field::host, host + ":" + port);
    m.set(http::field::user_agent, options.user_agent);
    if (!options.token.empty()) m.set(http::field::authorization, "Bearer " + options.token);
    if (!r.content_type.empty()) m.set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) m.set(k, v);
    m.keep_alive(true);
  }

  // One request and its answer on `stream`. `answered` becomes true once any
  // byte of the answer was read (then a resend could duplicate effects).
  template <class Stream>
  awaitable<StatusOr<HttpResponse>> Exchange(Stream& stream, Connection& conn, const HttpRequest& r,
                                             bool& answered) {
    auto& low = conn.lowest();
    const auto verb = http::string_to_verb(r.method);
    const std::string target = base_path + r.target;
    beast::error_code wec;
    if (!r.body_file.empty()) {
      http::request<http::file_body> m{verb, target, 11};
      SetHeaders(m, r);
      beast::error_code oec;
      m.body().open(r.body_file.c_str(), beast::file_mode::scan, oec);
      if (oec)
        co_return Status(StatusCode::kNotFound, "cannot open " + r.body_file.string() + ": " + oec.message(),
                         "io-error");
      m.prepare_payload();
      const uint64_t total = m.body().size();
      http::request_serializer<http::file_body> sr{m};
      uint64_t sent = 0;
      while (!sr.is_done()) {
        low.expires_after(options.io_timeout);
        auto [ec, n] = co_await http::async_write_some(stream, sr, kTuple);
        if (ec) {
          wec = ec;
          break;
        }
        sent += n;
        if (r.progress) r.progress(std::min(sent, total), total);
      }
    } else {
      http::request<http::string_body> m{verb, target, 11};
      SetHeaders(m, r);
      m.body() = r.body;
      if (!r.body.empty() || verb == http::verb::post || verb == http::verb::put) m.prepare_payload();
      low.expires_after(options.io_timeout);
      auto [ec, n] = co_await http::async_write(stream, m, kTuple);
      wec = ec;
    }

    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);  // bounded below, per destination
    if (r.method == "HEAD") parser.skip(true);
    // Even when sending failed, the server may have answered (a refused upload
    // is answered before its body is read); prefer that answer.
    low.expires_after(wec ? std::chrono::milliseconds(2000) : options.io_timeout);
    auto [hec, hn] = co_await http::async_read_header(stream, conn.buffer, parser, kTuple);
    if (hec) co_return TransportError(wec ? wec : hec, wec ? "sending the request" : "reading the answer");
    answered = true;

    HttpResponse out;
    out.status = parser.get().result_int();
    for (const auto& f : parser.get()) {
      std::string name(f.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      out.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    const bool to_file = !r.response_file.empty() && (out.status == 200 || out.status == 206);
    std::FILE* file = nullptr;
    if (to_file) {
      file = std::fopen(r.response_file.c_str(), out.status == 206 ? "ab" : "wb");
      if (!file)
        co_return Status(StatusCode::kInternal, "cannot write " + r.response_file.string(), "io-error");
    }
    // A cancelled call (AsyncClient) may leave this frame by an exception
    // (operation_aborted at the next co_await): the file is closed then too.
    struct CloseOnUnwind {
      std::FILE*& file;
      ~CloseOnUnwind() {
        if (file) std::fclose(file);
      }
    } close_on_unwind{file};
    const uint64_t total = parser.content_length().value_or(0);
    uint64_t received = 0;
    std::string chunk(64 * 1024, '\0');
    Status failure;
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      low.expires_after(options.io_timeout);
      auto [ec, n] = co_await http::async_read(stream, conn.buffer, parser, kTuple);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) {
        failure = TransportError(ec, "reading the answer");
        break;
      }
      const size_t got = chunk.size() - parser.get().body().size;
      received += got;
      if (file) {
        if (std::fwrite(chunk.data(), 1, got, file) != got) {
          failure = Status(StatusCode::kInternal, "cannot write " + r.response_file.string(), "io-error");
          break;
        }
      } else {
        if (out.body.size() + got > options.max_response_bytes) {
          failure = ResourceExhausted("the answer is larger than max_response_bytes", "response-too-large");
          break;
        }
        out.body.append(chunk.data(), got);
      }
      if (r.progress && to_file) r.progress(received, total);
    }
    if (file) {
      const bool closed = std::fclose(file) == 0;
      file = nullptr;
      if (!closed && failure.ok()) {
        failure = Status(StatusCode::kInternal, "cannot write " + r.response_file.string(), "io-error");
      }
    }
    if (!failure.ok()) co_return failure;
    out.file_bytes = to_file ? received : 0;
    out.keep_alive = parser.get().keep_alive() && !wec;
    co_return out;
  }

  awaitable<void> Backoff(int attempt, std::chrono::milliseconds at_least) {
    auto delay = options.initial_backoff * (1 << std::min(attempt, 16));
    delay = std::min(delay, options.max_backoff);
    std::uniform_real_distribution<double> jitter(0.75, 1.25);
    auto wait =
        std::chrono::milliseconds(static_cast<int64_t>(static_cast<double>(delay.count()) * jitter(rng)));
    wait = std::max(wait, std::min(at_least, options.max_backoff));
    net::steady_timer timer(strand, wait);
    co_await timer.async_wait(kTuple);
  }

  // True once the call was cancelled (AsyncClient: the caller's cancellation
  // slot or the call's deadline): the failure it caused is not retried.
  static awaitable<bool> Cancelled() {
    co_return (co_await net::this_coro::cancellation_state).cancelled() != net::cancellation_type::none;
  }

  awaitable<StatusOr<HttpResponse>> Send(HttpRequest r) {
    const int max_retries = r.max_retries.value_or(options.max_retries);
    const Status cancelled(StatusCode::kCancelled, "the call was cancelled", "cancelled");
    int attempt = 0;
    for (;;) {
      std::unique_ptr<Connection> conn = TakeIdle();
      const bool reused = conn != nullptr;
      if (!conn) {
        auto connected = co_await Connect();
        if (!connected.ok()) {
          if (co_await Cancelled()) co_return cancelled;
          // Nothing was sent: safe to retry whatever the method.
          if (attempt < max_retries && connected.status().reason() != "tls-failed") {
            co_await Backoff(attempt++, {});
            continue;
          }
          co_return connected.status();
        }
        conn = std::move(connected).value();
      }
      bool answered = false;
      // (Not a ?: with co_await in both arms: GCC 12 miscompiles that.)
      std::optional<StatusOr<HttpResponse>> exchanged;
      if (conn->tls) {
        exchanged.emplace(co_await Exchange(*conn->tls, *conn, r, answered));
      } else {
        exchanged.emplace(co_await Exchange(*conn->tcp, *conn, r, answered));
      }
      StatusOr<HttpResponse> result = std::move(*exchanged);
      if (result.ok()) {
        if (result->keep_alive) {
          conn->idle_since = std::chrono::steady_clock::now();
          pool.push_back(std::move(conn));
        }
        const int s = result->status;
        if ((s == 429 || s == 502 || s == 503 || s == 504) && r.idempotent && attempt < max_retries) {
          std::chrono::milliseconds retry_after{0};
          const std::string ra = result->Header("retry-after");
          if (!ra.empty() && ra.find_first_not_of("0123456789") == std::string::npos && ra.size() < 6) {
            retry_after = std::chrono::seconds(std::stoi(ra));
          }
          co_await Backoff(attempt++, retry_after);
          continue;
        }
        co_return result;
      }
      if (co_await Cancelled()) co_return cancelled;                 // the connection is dropped with `conn`
      if (result.status().reason() == "io-error") co_return result;  // a local file: resending won't help
      // A kept-alive connection the server had closed in the meantime: the
      // request never reached a handler, resend at once on a new connection.
      if (reused && !answered) continue;
      // A partly received file answer is resumed by the caller (Range), not here.
      const bool partial_file = answered && !r.response_file.empty();
      if (r.idempotent && !partial_file && attempt < max_retries) {
        co_await Backoff(attempt++, {});
        continue;
      }
      co_return result;
    }
  }
};

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transport::~Transport() = default;

StatusOr<std::shared_ptr<Transport>> Transport::Create(net::any_io_executor executor,
                                                       const ClientOptions& options) {
  auto impl = std::make_unique<Impl>(executor, options);
  auto url = boost::urls::parse_absolute_uri(options.base_url);
  if (!url) return InvalidArgument("base URL \"" + options.base_url + "\" is not an absolute URL", "bad-url");
  const std::string scheme(url->scheme());
  if (scheme != "http" && scheme != "https") {
    return InvalidArgument("base URL must start with http:// or https://", "bad-url");
  }
  impl->host = std::string(url->host_address());
  if (impl->host.empty()) return InvalidArgument("base URL has no host", "bad-url");
  impl->port = url->has_port() ? std::string(url->port()) : (scheme == "https" ? "443" : "80");
  impl->base_path = std::string(url->encoded_path());
  while (!impl->base_path.empty() && impl->base_path.back() == '/') impl->base_path.pop_back();
  impl->server_key = scheme + "://" + impl->host + ":" + impl->port + impl->base_path;
  if (scheme == "https") {
    impl->tls.emplace(ssl::context::tls_client);
    auto& ctx = *impl->tls;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    beast::error_code ec;
    if (!options.ca_file.empty()) {
      ctx.load_verify_file(options.ca_file.string(), ec);
      if (ec)
        return InvalidArgument("cannot load CA file " + options.ca_file.string() + ": " + ec.message(),
                               "io-error");
    } else {
      ctx.set_default_verify_paths(ec);
      if (ec) return Unavailable("cannot load the system CA store: " + ec.message(), "tls-failed");
    }
    ctx.set_verify_mode(options.insecure_skip_verify ? ssl::verify_none : ssl::verify_peer);
    if (!options.client_cert_file.empty() || !options.client_key_file.empty()) {
      ctx.use_certificate_chain_file(options.client_cert_file.string(), ec);
      if (ec)
        return InvalidArgument("cannot load client certificate " + options.client_cert_file.string(),
                               "io-error");
      ctx.use_private_key_file(options.client_key_file.string(), ssl::context::pem, ec);
      if (ec)
        return InvalidArgument("cannot load client key " + options.client_key_file.string(), "io-error");
    }
  }
  return std::shared_ptr<Transport>(new Transport(std::move(impl)));
}

net::any_io_executor Transport::strand() const { return impl_->strand; }
const std::string& Transport::server_key() const { return impl_->server_key; }
awaitable<StatusOr<HttpResponse>> Transport::Send(HttpRequest request) {
  return impl_->Send(std::move(request));
}

}  // namespace dossier::client::internal
