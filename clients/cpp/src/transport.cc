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
#include <cstdlib>
#include <random>

#include "common/random.h"
#include "trust/encoding.h"

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

// The proxy a base URL is reached through (ClientOptions::proxy / no_proxy,
// else the environment as curl reads it).
struct Proxy {
  std::string host, port;
  std::string authorization;  // "Basic ..." from the proxy URL's user info; never logged
};

std::string Getenv(const char* lower, const char* upper) {
  // curl's order: the lower-case name first (a CGI program's HTTP_PROXY can
  // come from a client's "Proxy:" header; curl ignores it for http, we take
  // it only when the lower-case one is absent).
  for (const char* name : {lower, upper}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return v;
  }
  return {};
}

// NO_PROXY semantics as curl: comma-separated entries, "*" = everything; an
// entry matches the host itself and its subdomains (a leading dot is allowed);
// "host:port" only that port.
bool Bypassed(const std::string& no_proxy, const std::string& host, const std::string& port) {
  size_t at = 0;
  while (at <= no_proxy.size()) {
    size_t end = no_proxy.find(',', at);
    if (end == std::string::npos) end = no_proxy.size();
    std::string entry = no_proxy.substr(at, end - at);
    at = end + 1;
    while (!entry.empty() && std::isspace(static_cast<unsigned char>(entry.front()))) entry.erase(0, 1);
    while (!entry.empty() && std::isspace(static_cast<unsigned char>(entry.back()))) entry.pop_back();
    if (entry.empty()) continue;
    if (entry == "*") return true;
    std::string entry_port;
    if (const size_t colon = entry.rfind(':'); colon != std::string::npos && entry.find(':') == colon) {
      entry_port = entry.substr(colon + 1);
      entry.resize(colon);
    }
    if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
    for (auto& ch : entry) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string h = host;
    for (auto& ch : h) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const bool host_match = h == entry || (h.size() > entry.size() && h.ends_with(entry) &&
                                           h[h.size() - entry.size() - 1] == '.');
    if (host_match && (entry_port.empty() || entry_port == port)) return true;
  }
  return false;
}

StatusOr<std::optional<Proxy>> ChooseProxy(const ClientOptions& options, bool https, const std::string& host,
                                           const std::string& port) {
  std::string url = options.proxy
                        ? *options.proxy
                        : (https ? Getenv("https_proxy", "HTTPS_PROXY") : Getenv("http_proxy", "HTTP_PROXY"));
  if (url.empty()) return std::optional<Proxy>();
  const std::string no_proxy = options.no_proxy ? *options.no_proxy : Getenv("no_proxy", "NO_PROXY");
  if (Bypassed(no_proxy, host, port)) return std::optional<Proxy>();
  if (url.find("://") == std::string::npos) url = "http://" + url;  // "proxy:3128", as curl accepts it
  auto parsed = boost::urls::parse_absolute_uri(url);
  // The message never repeats the URL: it may hold a password.
  if (!parsed) return InvalidArgument("the proxy is not a URL", "bad-proxy");
  if (parsed->scheme() != "http") {
    return InvalidArgument(
        "only http:// proxies are supported (an https server is still reached through TLS "
        "end to end, in a CONNECT tunnel)",
        "bad-proxy");
  }
  Proxy proxy;
  proxy.host = std::string(parsed->host_address());
  if (proxy.host.empty()) return InvalidArgument("the proxy URL has no host", "bad-proxy");
  proxy.port = parsed->has_port() ? std::string(parsed->port()) : "1080";  // curl's default
  if (parsed->has_userinfo()) {
    proxy.authorization =
        "Basic " + trust::Base64Encode(std::string(parsed->user()) + ":" + std::string(parsed->password()));
  }
  return std::optional<Proxy>(std::move(proxy));
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
  std::optional<Proxy> proxy;
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
    // Through a proxy the TCP connection goes to the proxy; TLS (in a CONNECT
    // tunnel) and the Host header still name the server.
    const std::string& dial_host = proxy ? proxy->host : host;
    const std::string& dial_port = proxy ? proxy->port : port;
    const std::string dialled = proxy ? "proxy " + dial_host + ":" + dial_port : where;
    tcp::resolver resolver(strand);
    auto [rec, endpoints] = co_await resolver.async_resolve(dial_host, dial_port, kTuple);
    if (rec) co_return Unavailable("cannot resolve " + dial_host + ": " + rec.message(), "connect-failed");
    auto conn = std::make_unique<Connection>();
    if (tls) {
      conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(strand, *tls);
    } else {
      conn->tcp = std::make_unique<beast::tcp_stream>(strand);
    }
    auto& low = conn->lowest();
    low.expires_after(options.connect_timeout);
    auto [cec, ep] = co_await low.async_connect(endpoints, kTuple);
    if (cec) co_return TransportError(cec, "cannot connect to " + dialled);
    if (proxy && tls) {
      if (Status s = co_await Tunnel(low); !s.ok()) co_return s;
    }
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

  // CONNECT host:port through the proxy on `low` (connected to it, within
  // the connect timeout); the TLS handshake with the server follows.
  awaitable<Status> Tunnel(beast::tcp_stream& low) {
    const std::string authority = host + ":" + port;
    http::request<http::empty_body> connect{http::verb::connect, authority, 11};
    connect.set(http::field::host, authority);
    connect.set(http::field::user_agent, options.user_agent);
    if (!proxy->authorization.empty()) connect.set(http::field::proxy_authorization, proxy->authorization);
    auto [wec, wn] = co_await http::async_write(low, connect, kTuple);
    if (wec) co_return TransportError(wec, "CONNECT through proxy " + proxy->host + ":" + proxy->port);
    // The answer to a CONNECT has no body: after its header the stream is the
    // tunnel, and nothing may follow the header before our ClientHello.
    http::response_parser<http::empty_body> parser;
    parser.skip(true);
    beast::flat_buffer buffer;
    auto [rec, rn] = co_await http::async_read_header(low, buffer, parser, kTuple);
    if (rec) co_return TransportError(rec, "CONNECT through proxy " + proxy->host + ":" + proxy->port);
    const int status = parser.get().result_int();
    if (status / 100 != 2 || buffer.size() != 0) {
      co_return Unavailable("proxy " + proxy->host + ":" + proxy->port + " answered " +
                                std::to_string(status) + " to CONNECT " + authority,
                            "proxy-failed");
    }
    co_return Status::Ok();
  }

  template <class Body>
  void SetHeaders(http::request<Body>& m, const HttpRequest& r) {
    m.set(http::field::host, host + ":" + port);
    m.set(http::field::user_agent, options.user_agent);
    if (!options.token.empty()) m.set(http::field::authorization, "Bearer " + options.token);
    // Plain HTTP through a proxy: the proxy reads the request itself.
    if (proxy && !tls && !proxy->authorization.empty()) {
      m.set(http::field::proxy_authorization, proxy->authorization);
    }
    m.set("X-Request-Id", r.request_id);
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
    // Absolute-form ("http://host:port/v1/...") for a plain-HTTP proxy;
    // origin-form otherwise (also inside a CONNECT tunnel).
    const std::string target =
        (proxy && !tls ? "http://" + host + ":" + port : std::string()) + base_path + r.target;
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
    } else if (r.body_producer) {
      http::request<http::buffer_body> m{verb, target, 11};
      SetHeaders(m, r);
      m.chunked(true);
      m.body().data = nullptr;
      m.body().more = true;
      http::request_serializer<http::buffer_body> sr{m};
      low.expires_after(options.io_timeout);
      auto [hec, hn] = co_await http::async_write_header(stream, sr, kTuple);
      wec = hec;
      std::string chunk(64 * 1024, '\0');
      uint64_t sent = 0;
      while (!wec) {
        StatusOr<size_t> produced = r.body_producer(std::span<char>(chunk.data(), chunk.size()));
        // The connection is left mid-body and dropped (never pooled) by Send.
        if (!produced.ok()) co_return produced.status();
        const size_t n = *produced;
        m.body().data = n > 0 ? chunk.data() : nullptr;
        m.body().size = n;
        m.body().more = n > 0;
        low.expires_after(options.io_timeout);
        auto [ec, w] = co_await http::async_write(stream, sr, kTuple);
        if (ec == http::error::need_buffer) ec = {};
        if (ec) {
          wec = ec;
          break;
        }
        sent += n;
        if (r.progress && n > 0) r.progress(sent, 0);
        if (n == 0) break;
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
    const bool to_sink = !to_file && r.body_sink && out.status / 100 == 2;
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
      // A sink gets what arrived as soon as it arrived (read_some); else the
      // buffer is filled, or the body ends, before it is written on.
      beast::error_code ec;
      if (to_sink) {
        auto [some_ec, n] = co_await http::async_read_some(stream, conn.buffer, parser, kTuple);
        ec = some_ec;
      } else {
        auto [read_ec, n] = co_await http::async_read(stream, conn.buffer, parser, kTuple);
        ec = read_ec;
      }
      if (ec == http::error::need_buffer) ec = {};
      // Bytes parsed before a failure are kept too (the last line of a
      // streamed answer that the server cut short says why).
      const size_t got = chunk.size() - parser.get().body().size;
      if (ec) failure = TransportError(ec, "reading the answer");
      received += got;
      if (file) {
        if (std::fwrite(chunk.data(), 1, got, file) != got) {
          failure = Status(StatusCode::kInternal, "cannot write " + r.response_file.string(), "io-error");
          break;
        }
      } else if (to_sink) {
        // The bytes read before a failure are handed on too (the sink's
        // reader finds the cut-short answer's problem line in them).
        if (got > 0) {
          Status taken = r.body_sink(out, std::string_view(chunk.data(), got));
          if (!taken.ok()) {
            failure = std::move(taken);
            break;
          }
        }
      } else {
        if (out.body.size() + got > options.max_response_bytes) {
          failure = ResourceExhausted("the answer is larger than max_response_bytes", "response-too-large");
          break;
        }
        out.body.append(chunk.data(), got);
      }
      if (r.progress && to_file) r.progress(received, total);
      if (!failure.ok()) break;
    }
    if (file) {
      const bool closed = std::fclose(file) == 0;
      file = nullptr;
      if (!closed && failure.ok()) {
        failure = Status(StatusCode::kInternal, "cannot write " + r.response_file.string(), "io-error");
      }
    }
    if (!failure.ok() && (r.keep_partial_body || to_sink) && !to_file && answered) {
      out.body_failure = std::move(failure);
      out.keep_alive = false;
      co_return out;
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

  // Reports one attempt to ClientOptions::on_http_exchange.
  void Report(const HttpRequest& r, int attempt, std::chrono::steady_clock::time_point started,
              const StatusOr<HttpResponse>& result, bool will_retry) {
    if (!options.on_http_exchange) return;
    HttpExchangeEvent e;
    e.method = r.method;
    e.path = r.target;
    e.attempt = attempt + 1;
    e.will_retry = will_retry;
    e.via_proxy = proxy.has_value();
    e.duration =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    e.request_id = r.request_id;
    if (result.ok()) {
      e.status = result->status;
      if (std::string server_id = result->Header("x-request-id"); !server_id.empty())
        e.request_id = server_id;
    } else {
      e.error = result.status().reason();
    }
    options.on_http_exchange(e);
  }

  awaitable<StatusOr<HttpResponse>> Send(HttpRequest r) {
    const int max_retries = r.max_retries.value_or(options.max_retries);
    const Status cancelled(StatusCode::kCancelled, "the call was cancelled", "cancelled");
    if (r.request_id.empty()) {
      auto id = RandomHex(16);
      r.request_id = id.ok() ? *id : std::to_string(rng()) + std::to_string(rng());
    }
    int attempt = 0;
    for (;;) {
      const auto started = std::chrono::steady_clock::now();
      // A produced body cannot be sent twice: never risk a stale pooled connection.
      std::unique_ptr<Connection> conn = r.body_producer ? nullptr : TakeIdle();
      const bool reused = conn != nullptr;
      if (!conn) {
        auto connected = co_await Connect();
        if (!connected.ok()) {
          if (co_await Cancelled()) co_return cancelled;
          // Nothing was sent: safe to retry whatever the method. A certificate
          // or a proxy's refusal will not change by retrying.
          const std::string reason = connected.status().reason();
          const bool retry = attempt < max_retries && reason != "tls-failed" && reason != "proxy-failed";
          Report(r, attempt, started, connected.status(), retry);
          if (retry) {
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
          Report(r, attempt, started, result, true);
          std::chrono::milliseconds retry_after{0};
          const std::string ra = result->Header("retry-after");
          if (!ra.empty() && ra.find_first_not_of("0123456789") == std::string::npos && ra.size() < 6) {
            retry_after = std::chrono::seconds(std::stoi(ra));
          }
          co_await Backoff(attempt++, retry_after);
          continue;
        }
        Report(r, attempt, started, result, false);
        co_return result;
      }
      if (co_await Cancelled()) co_return cancelled;  // the connection is dropped with `conn`
      if (result.status().reason() == "io-error") {   // a local file: resending won't help
        Report(r, attempt, started, result, false);
        co_return result;
      }
      // A kept-alive connection the server had closed in the meantime: the
      // request never reached a handler, resend at once on a new connection.
      if (reused && !answered) {
        Report(r, attempt, started, result, true);
        continue;
      }
      // A partly received file answer is resumed by the caller (Range), not here.
      const bool partial_file = answered && !r.response_file.empty();
      if (r.idempotent && !partial_file && attempt < max_retries) {
        Report(r, attempt, started, result, true);
        co_await Backoff(attempt++, {});
        continue;
      }
      Report(r, attempt, started, result, false);
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
  DOSSIER_ASSIGN_OR_RETURN(impl->proxy, ChooseProxy(options, scheme == "https", impl->host, impl->port));
  if (scheme == "https") {
    impl->tls.emplace(ssl::context::tls_client);
    auto& ctx = *impl->tls;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    const int min_version = options.min_tls_version == TlsVersion::kTls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
    if (SSL_CTX_set_min_proto_version(ctx.native_handle(), min_version) != 1) {
      return InvalidArgument("cannot set the minimum TLS version", "bad-tls-config");
    }
    beast::error_code ec;
    if (!options.ca_file.empty() || !options.ca_pem.empty()) {
      if (!options.ca_file.empty()) {
        ctx.load_verify_file(options.ca_file.string(), ec);
        if (ec)
          return InvalidArgument("cannot load CA file " + options.ca_file.string() + ": " + ec.message(),
                                 "io-error");
      }
      if (!options.ca_pem.empty()) {
        ctx.add_certificate_authority(net::buffer(options.ca_pem), ec);
        if (ec) return InvalidArgument("ca_pem is not a PEM certificate: " + ec.message(), "bad-tls-config");
      }
    } else {
      ctx.set_default_verify_paths(ec);
      if (ec) return Unavailable("cannot load the system CA store: " + ec.message(), "tls-failed");
    }
    ctx.set_verify_mode(options.insecure_skip_verify ? ssl::verify_none : ssl::verify_peer);
    const bool cert_files = !options.client_cert_file.empty() || !options.client_key_file.empty();
    const bool cert_pems = !options.client_cert_pem.empty() || !options.client_key_pem.empty();
    if (cert_files && cert_pems) {
      return InvalidArgument("give the client certificate and key as files or as PEM strings, not both",
                             "bad-tls-config");
    }
    if (cert_pems) {
      // The key is checked against the certificate by OpenSSL when loaded.
      ctx.use_certificate_chain(net::buffer(options.client_cert_pem), ec);
      if (ec) return InvalidArgument("client_cert_pem is not a PEM certificate chain", "bad-tls-config");
      ctx.use_private_key(net::buffer(options.client_key_pem), ssl::context::pem, ec);
      if (ec) {
        return InvalidArgument("client_key_pem is not an unencrypted PEM key of the client certificate",
                               "bad-tls-config");
      }
    }
    if (cert_files) {
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
