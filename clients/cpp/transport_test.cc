// The SDK's transport options against real servers: an HTTP forward proxy
// written here (CONNECT tunnels for https, absolute-form requests for http,
// Basic proxy authentication) in front of a real dossierd, with and without
// TLS; NO_PROXY and the environment; TLS trust and client certificates from
// memory and the minimum protocol version (against dossierd with a PKI made by
// the test, and a TLS 1.2-only server); the per-exchange event hook, which
// must never carry a token, a proxy password or a body.
#define BOOST_TEST_MODULE client_transport_test
#include <openssl/ssl.h>
#include <stdlib.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <boost/url/parse.hpp>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include "dossier/client/client.h"
#include "dossier/client/reasons.h"
#include "tests/security/tls_support.h"
#include "tests/support/gudid_release.h"
#include "tests/support/harness.h"
#include "trust/digest.h"
#include "trust/encoding.h"

using namespace dossier;
using namespace dossier::client;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

constexpr auto kTuple = net::as_tuple(net::use_awaitable);

// 127.0.0.1:<any port>, accepting on its own thread; each connection is
// served by the coroutine `serve` returns. Declared as the last member of its
// owner, it stops and joins before the members `serve` uses are destroyed.
class LoopbackServer {
 public:
  using Serve = std::function<net::awaitable<void>(tcp::socket)>;
  explicit LoopbackServer(Serve serve)
      : serve_(std::move(serve)), acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
    net::co_spawn(ioc_, Accept(), net::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~LoopbackServer() {
    ioc_.stop();
    thread_.join();
  }
  std::string port() const { return std::to_string(acceptor_.local_endpoint().port()); }

 private:
  net::awaitable<void> Accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kTuple);
      if (ec) co_return;
      net::co_spawn(ioc_, serve_(std::move(socket)), net::detached);
    }
  }
  Serve serve_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

// A forward proxy on 127.0.0.1:<any port>, run on its own thread: CONNECT
// host:port opens a byte tunnel; an absolute-form request is forwarded in
// origin form to its host over one upstream connection per client
// connection. With `required_authorization`, a request without that
// Proxy-Authorization value gets 407.
class ForwardProxy {
 public:
  explicit ForwardProxy(std::string required_authorization = {})
      : required_(std::move(required_authorization)) {}
  std::string url() const { return "http://127.0.0.1:" + server_.port(); }
  int tunnels() const { return tunnels_; }
  int forwarded() const { return forwarded_; }
  int refused() const { return refused_; }
  // Every request line and header the proxy itself read (not the tunnelled bytes).
  std::string seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  static net::awaitable<void> Pump(tcp::socket& from, tcp::socket& to) {
    std::array<char, 16384> buf;
    for (;;) {
      auto [ec, n] = co_await from.async_read_some(net::buffer(buf), kTuple);
      if (ec) break;
      auto [wec, wn] = co_await net::async_write(to, net::buffer(buf.data(), n), kTuple);
      if (wec) break;
    }
    boost::system::error_code ignored;
    to.shutdown(tcp::socket::shutdown_send, ignored);
  }

  net::awaitable<void> Serve(tcp::socket socket) {
    auto ex = co_await net::this_coro::executor;
    beast::tcp_stream down(std::move(socket));
    beast::flat_buffer buffer;
    std::optional<beast::tcp_stream> up;
    std::string up_authority;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(boost::none);
      auto [ec, n] = co_await http::async_read(down, buffer, parser, kTuple);
      if (ec) co_return;
      auto request = parser.release();
      {
        std::lock_guard lock(mu_);
        seen_ += std::string(request.method_string()) + " " + std::string(request.target()) + "\n";
        for (const auto& f : request)
          seen_ += std::string(f.name_string()) + ": " + std::string(f.value()) + "\n";
      }
      if (!required_.empty() && request[http::field::proxy_authorization] != required_) {
        ++refused_;
        http::response<http::empty_body> answer{http::status::proxy_authentication_required, 11};
        answer.set(http::field::proxy_authenticate, "Basic realm=\"test\"");
        answer.keep_alive(false);
        co_await http::async_write(down, answer, kTuple);
        co_return;
      }
      if (request.method() == http::verb::connect) {
        const std::string authority(request.target());
        const size_t colon = authority.rfind(':');
        tcp::socket upstream(ex);
        tcp::resolver resolver(ex);
        auto [rec, endpoints] =
            co_await resolver.async_resolve(authority.substr(0, colon), authority.substr(colon + 1), kTuple);
        if (rec) co_return;
        auto [cec, ep] = co_await net::async_connect(upstream, endpoints, kTuple);
        if (cec) co_return;
        ++tunnels_;
        const std::string established = "HTTP/1.1 200 Connection established\r\n\r\n";
        co_await net::async_write(down.socket(), net::buffer(established), kTuple);
        co_await (Pump(down.socket(), upstream) && Pump(upstream, down.socket()));
        co_return;
      }
      // Absolute form: "http://host:port/path?query".
      auto url = boost::urls::parse_absolute_uri(request.target());
      if (!url) co_return;
      const std::string host(url->host_address());
      const std::string port = url->has_port() ? std::string(url->port()) : "80";
      if (!up || up_authority != host + ":" + port) {
        up.emplace(ex);
        tcp::resolver resolver(ex);
        auto [rec, endpoints] = co_await resolver.async_resolve(host, port, kTuple);
        if (rec) co_return;
        auto [cec, ep] = co_await up->async_connect(endpoints, kTuple);
        if (cec) co_return;
        up_authority = host + ":" + port;
      }
      std::string origin_form(url->encoded_path());
      if (origin_form.empty()) origin_form = "/";
      if (url->has_query()) origin_form += "?" + std::string(url->encoded_query());
      request.target(origin_form);
      request.erase(http::field::proxy_authorization);
      auto [wec, wn] = co_await http::async_write(*up, request, kTuple);
      if (wec) co_return;
      http::response_parser<http::string_body> response;
      response.body_limit(boost::none);
      if (request.method() == http::verb::head) response.skip(true);
      beast::flat_buffer up_buffer;
      auto [uec, un] = co_await http::async_read(*up, up_buffer, response, kTuple);
      if (uec) co_return;
      ++forwarded_;
      auto answer = response.release();
      const bool keep = answer.keep_alive() && request.keep_alive();
      if (request.method() == http::verb::head) {
        http::response_serializer<http::string_body> sr{answer};
        sr.split(true);
        co_await http::async_write_header(down, sr, kTuple);
      } else {
        co_await http::async_write(down, answer, kTuple);
      }
      if (!keep) co_return;
    }
  }

  std::string required_;
  std::atomic<int> tunnels_{0}, forwarded_{0}, refused_{0};
  mutable std::mutex mu_;
  std::string seen_;
  LoopbackServer server_{[this](tcp::socket s) { return Serve(std::move(s)); }};
};

// A TLS server on 127.0.0.1 that speaks at most TLS 1.2 and answers every
// request with 200 "{}": to show that min_tls_version = kTls13 refuses it.
class Tls12Server {
 public:
  explicit Tls12Server(const testing::security::CertFiles& cert) : ctx_(net::ssl::context::tls_server) {
    ctx_.use_certificate_chain_file(cert.cert.string());
    ctx_.use_private_key_file(cert.key.string(), net::ssl::context::pem);
    SSL_CTX_set_max_proto_version(ctx_.native_handle(), TLS1_2_VERSION);
    server_.emplace([this](tcp::socket s) { return Serve(std::move(s)); });
  }
  std::string url() const { return "https://127.0.0.1:" + server_->port(); }
  int handshakes() const { return handshakes_; }

 private:
  net::awaitable<void> Serve(tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), ctx_);
    auto [hec] = co_await stream.async_handshake(net::ssl::stream_base::server, kTuple);
    if (hec) co_return;
    ++handshakes_;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    auto [rec, rn] = co_await http::async_read(stream, buffer, request, kTuple);
    if (rec) co_return;
    http::response<http::string_body> answer{http::status::ok, 11};
    answer.set(http::field::content_type, "application/json");
    answer.body() = "{}";
    answer.prepare_payload();
    answer.keep_alive(false);
    co_await http::async_write(stream, answer, kTuple);
  }

  net::ssl::context ctx_;
  std::atomic<int> handshakes_{0};
  std::optional<LoopbackServer> server_;  // last: stops first; started once ctx_ is set up
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The events of one client, collected from the client's strand.
struct EventLog {
  std::mutex mu;
  std::vector<HttpExchangeEvent> events;
  std::function<void(const HttpExchangeEvent&)> Hook() {
    return [this](const HttpExchangeEvent& e) {
      std::lock_guard lock(mu);
      events.push_back(e);
    };
  }
  std::vector<HttpExchangeEvent> Take() {
    std::lock_guard lock(mu);
    return std::exchange(events, {});
  }
};

// Everything an event carries, as text, to search for secrets.
std::string Text(const HttpExchangeEvent& e) {
  return e.method + " " + e.path + " " + std::to_string(e.status) + " " + e.error + " " + e.request_id;
}

std::unique_ptr<Client> Make(ClientOptions o) {
  auto c = Client::Create(std::move(o));
  BOOST_REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  return std::move(c).value();
}

// Clears the proxy variables of the test process for the scope, restoring nothing
// (the test owns its environment).
struct CleanProxyEnvironment {
  CleanProxyEnvironment() { Clear(); }
  ~CleanProxyEnvironment() { Clear(); }
  static void Clear() {
    for (const char* v : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"}) {
      ::unsetenv(v);
    }
  }
};

struct TlsPki {
  explicit TlsPki(const std::filesystem::path& dir)
      : ca(dir / "ca", "SDK Test CA"), other_ca(dir / "other-ca", "Some Other CA") {
    server = ca.Issue("dossierd 127.0.0.1", /*server=*/true);
    client = ca.Issue("sdk client", /*server=*/false);
    other_client = ca.Issue("another client", /*server=*/false);
  }
  testing::security::TestCa ca, other_ca;
  testing::security::CertFiles server, client, other_client;
  std::vector<std::string> ServerFlags() const {
    return {"--rate-limit", "0",
            "--tls-cert",   server.cert.string(),
            "--tls-key",    server.key.string(),
            "--client-ca",  ca.files().cert.string()};
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(plain_http_goes_through_the_proxy_in_absolute_form_unless_no_proxy_says_so) {
  CleanProxyEnvironment clean;
  testing::TempDir dir;
  testing::Server server(dir.path() / "data");
  ForwardProxy proxy;
  EventLog log;
  ClientOptions o;
  o.base_url = server.url();
  o.token = server.operator_token();
  o.proxy = proxy.url();
  o.on_http_exchange = log.Hook();
  auto client = Make(o);
  BOOST_REQUIRE(client->CreateTenant({.id = "acme", .display_name = "Acme"}).ok());
  auto tenants = client->ListTenants();
  BOOST_REQUIRE_MESSAGE(tenants.ok(), tenants.status().ToString());
  BOOST_TEST(tenants->size() == 1u);
  BOOST_TEST(proxy.forwarded() == 2);
  BOOST_TEST(proxy.tunnels() == 0);
  BOOST_TEST(proxy.seen().find("GET " + server.url() + "/v1/tenants\n") != std::string::npos, proxy.seen());
  for (const auto& e : log.Take()) BOOST_TEST(e.via_proxy);

  // The same proxy from the environment, and NO_PROXY naming the server's host (with its port).
  ::setenv("HTTP_PROXY", proxy.url().c_str(), 1);
  ClientOptions from_env = o;
  from_env.proxy.reset();
  Make(from_env)->ListTenants().value();
  BOOST_TEST(proxy.forwarded() == 3);
  for (const auto& e : log.Take()) BOOST_TEST(e.via_proxy);
  ::setenv("NO_PROXY", ("example.org, 127.0.0.1:" + std::to_string(server.port())).c_str(), 1);
  Make(from_env)->ListTenants().value();
  BOOST_TEST(proxy.forwarded() == 3);
  for (const auto& e : log.Take()) BOOST_TEST(!e.via_proxy);
  // NO_PROXY with another port does not match; the option overrides the variable.
  ::setenv("NO_PROXY", "127.0.0.1:1", 1);
  Make(from_env)->ListTenants().value();
  BOOST_TEST(proxy.forwarded() == 4);
  from_env.no_proxy = "*";
  Make(from_env)->ListTenants().value();
  BOOST_TEST(proxy.forwarded() == 4);
  // proxy = "" is "never a proxy", whatever the environment says.
  ::unsetenv("NO_PROXY");
  ClientOptions direct = o;
  direct.proxy = "";
  Make(direct)->ListTenants().value();
  BOOST_TEST(proxy.forwarded() == 4);

  // An https:// proxy and a proxy that is no URL are refused at Create.
  ClientOptions bad = o;
  bad.proxy = "https://127.0.0.1:3128";
  BOOST_TEST(Client::Create(bad).status().reason() == reasons::kBadProxy);
  bad.proxy = "http://";
  BOOST_TEST(Client::Create(bad).status().reason() == reasons::kBadProxy);
}

BOOST_AUTO_TEST_CASE(https_goes_through_a_connect_tunnel_with_proxy_credentials_from_the_environment) {
  CleanProxyEnvironment clean;
  testing::TempDir dir;
  TlsPki pki(dir.path() / "pki");
  testing::Server server(dir.path() / "data", pki.ServerFlags());
  BOOST_REQUIRE(server.url().starts_with("https://"));
  const std::string proxy_password = "pr0xy-s3cret";
  ForwardProxy proxy("Basic " + trust::Base64Encode("sdk:" + proxy_password));
  ::setenv("HTTPS_PROXY", ("http://sdk:" + proxy_password + "@" + proxy.url().substr(7)).c_str(), 1);
  // An http_proxy is not used for an https server.
  ::setenv("http_proxy", "http://127.0.0.1:1", 1);

  EventLog log;
  ClientOptions o;
  o.base_url = server.url();
  o.token = server.operator_token();
  o.ca_pem = pki.ca.files().cert_pem;  // the private CA, from memory
  o.on_http_exchange = log.Hook();
  auto client = Make(o);
  BOOST_REQUIRE(client->CreateTenant({.id = "acme", .display_name = "Acme"}).ok());
  for (int i = 0; i < 3; ++i) BOOST_REQUIRE(client->ListTenants().ok());
  // One tunnel, kept alive and reused by the pooled connection; the proxy never
  // saw a request of ours, only the CONNECT (and no bearer token).
  BOOST_TEST(proxy.tunnels() == 1);
  BOOST_TEST(proxy.forwarded() == 0);
  const std::string seen = proxy.seen();
  BOOST_TEST(seen.find("CONNECT 127.0.0.1:" + std::to_string(server.port())) == 0u, seen);
  BOOST_TEST(seen.find("Bearer") == std::string::npos, seen);
  BOOST_TEST(seen.find("/v1/") == std::string::npos, seen);

  // Wrong proxy password: the proxy answers 407, "proxy-failed", not retried.
  ::setenv("HTTPS_PROXY", ("http://sdk:wrong@" + proxy.url().substr(7)).c_str(), 1);
  ClientOptions wrong = o;
  wrong.max_retries = 3;
  auto refused = Make(wrong)->ListTenants();
  BOOST_TEST(refused.status().reason() == reasons::kProxyFailed, refused.status().ToString());
  BOOST_TEST(IsTransportError(refused.status()));
  BOOST_TEST(proxy.refused() == 1);
  BOOST_TEST(refused.status().message().find("wrong") == std::string::npos);

  // no_proxy (lower case) listing the server's address: direct, no new tunnel.
  ::setenv("HTTPS_PROXY", ("http://sdk:" + proxy_password + "@" + proxy.url().substr(7)).c_str(), 1);
  ::setenv("no_proxy", "localhost,127.0.0.1", 1);
  Make(o)->ListTenants().value();
  BOOST_TEST(proxy.tunnels() == 1);

  for (const auto& e : log.Take()) {
    BOOST_TEST(Text(e).find(proxy_password) == std::string::npos, Text(e));
    BOOST_TEST(Text(e).find(o.token) == std::string::npos, Text(e));
  }
}

BOOST_AUTO_TEST_CASE(tls_trust_client_certificates_from_memory_and_the_minimum_version) {
  CleanProxyEnvironment clean;
  testing::TempDir dir;
  TlsPki pki(dir.path() / "pki");
  testing::Server server(dir.path() / "data", pki.ServerFlags());
  ClientOptions op;
  op.base_url = server.url();
  op.token = server.operator_token();
  op.ca_pem = pki.ca.files().cert_pem;
  auto admin_client = Make(op);
  BOOST_REQUIRE(admin_client->CreateTenant({.id = "acme", .display_name = "Acme"}).ok());
  auto admin = admin_client->CreateToken("acme", "ADMIN", "tls test").value();
  ClientOptions as_admin = op;
  as_admin.token = admin.secret;
  auto acme = Make(as_admin);
  BOOST_REQUIRE(acme->CreateDossier("acme", "scanner").ok());
  auto registered = acme->Call("POST", "/v1/tenants/acme/client-certificates",
                               boost::json::serialize(boost::json::object{
                                   {"certificatePem", pki.client.cert_pem}, {"role", "VIEWER"}}));
  BOOST_REQUIRE_MESSAGE(registered.ok(), registered.status().ToString());

  // The client certificate and key from memory, no token: the certificate is the principal.
  ClientOptions by_cert;
  by_cert.base_url = server.url();
  by_cert.ca_pem = pki.ca.files().cert_pem;
  by_cert.client_cert_pem = pki.client.cert_pem;
  by_cert.client_key_pem = ReadFile(pki.client.key);
  auto read = Make(by_cert)->Call("GET", "/v1/tenants/acme/dossiers/scanner");
  BOOST_TEST(read.ok(), read.status().ToString());
  // The same from files still works; without any certificate there is no principal.
  ClientOptions by_file = by_cert;
  by_file.client_cert_pem.clear();
  by_file.client_key_pem.clear();
  by_file.client_cert_file = pki.client.cert;
  by_file.client_key_file = pki.client.key;
  BOOST_TEST(Make(by_file)->Call("GET", "/v1/tenants/acme/dossiers/scanner").ok());
  ClientOptions anonymous = by_cert;
  anonymous.client_cert_pem.clear();
  anonymous.client_key_pem.clear();
  BOOST_TEST(Make(anonymous)->Call("GET", "/v1/tenants/acme/dossiers/scanner").status().http_status() == 401);

  // Configuration errors are found at Create: a key of another certificate,
  // files and PEM strings together, a CA that is not PEM.
  ClientOptions mismatched = by_cert;
  mismatched.client_key_pem = ReadFile(pki.other_client.key);
  BOOST_TEST(Client::Create(mismatched).status().reason() == reasons::kBadTlsConfig);
  ClientOptions both = by_cert;
  both.client_cert_file = pki.client.cert;
  both.client_key_file = pki.client.key;
  BOOST_TEST(Client::Create(both).status().reason() == reasons::kBadTlsConfig);
  ClientOptions not_pem = by_cert;
  not_pem.ca_pem = "not a certificate";
  BOOST_TEST(Client::Create(not_pem).status().reason() == reasons::kBadTlsConfig);
  // Trusting only another CA (from memory) refuses dossierd's certificate.
  ClientOptions distrust = by_cert;
  distrust.ca_pem = pki.other_ca.files().cert_pem;
  distrust.max_retries = 0;
  BOOST_TEST(Make(distrust)->Call("GET", "/healthz").status().reason() == reasons::kTlsFailed);

  // Minimum version: dossierd speaks TLS 1.3, so kTls13 reaches it; a server
  // that stops at TLS 1.2 is refused with kTls13 and reached with the default.
  ClientOptions tls13 = by_cert;
  tls13.min_tls_version = TlsVersion::kTls13;
  BOOST_TEST(Make(tls13)->Call("GET", "/v1/tenants/acme/dossiers/scanner").ok());
  Tls12Server old_server(pki.server);
  ClientOptions to_old;
  to_old.base_url = old_server.url();
  to_old.ca_pem = pki.ca.files().cert_pem;
  to_old.max_retries = 0;
  auto reached = Make(to_old)->Call("GET", "/healthz");
  BOOST_TEST(reached.ok(), reached.status().ToString());
  BOOST_TEST(old_server.handshakes() == 1);
  to_old.min_tls_version = TlsVersion::kTls13;
  BOOST_TEST(Make(to_old)->Call("GET", "/healthz").status().reason() == reasons::kTlsFailed);
  BOOST_TEST(old_server.handshakes() == 1);
}

BOOST_AUTO_TEST_CASE(one_event_per_exchange_and_never_a_credential_or_body) {
  CleanProxyEnvironment clean;
  testing::TempDir dir;
  testing::Server server(dir.path() / "data");
  EventLog log;
  ClientOptions o;
  o.base_url = server.url();
  o.token = server.operator_token();
  o.on_http_exchange = log.Hook();
  auto client = Make(o);
  const std::string body_marker = "Body-Marker-7f3a";
  BOOST_REQUIRE(client->CreateTenant({.id = "acme", .display_name = body_marker}).ok());
  auto admin = client->CreateToken("acme", "ADMIN", "events").value();
  // The operator may not read a tenant's content: a refusal is an exchange like any other.
  BOOST_TEST(client->GetTenant("acme").status().http_status() == 403);
  auto events = log.Take();
  BOOST_REQUIRE_EQUAL(events.size(), 3u);
  BOOST_TEST(events[0].method == "POST");
  BOOST_TEST(events[0].path == "/v1/tenants");
  BOOST_TEST(events[0].status == 201);
  BOOST_TEST(events[1].path == "/v1/tenants/acme/tokens");
  BOOST_TEST(events[2].method == "GET");
  BOOST_TEST(events[2].path == "/v1/tenants/acme");
  BOOST_TEST(events[2].status == 403);
  const std::regex hex32("[0-9a-f]{32}");
  for (const auto& e : events) {
    BOOST_TEST(e.attempt == 1);
    BOOST_TEST(!e.will_retry);
    BOOST_TEST(e.error.empty());
    BOOST_TEST(!e.via_proxy);
    BOOST_TEST(e.duration.count() > 0);
    BOOST_TEST(std::regex_match(e.request_id, hex32), e.request_id);
  }
  BOOST_TEST(events[0].request_id != events[1].request_id);

  // Retries: each attempt is one event, with the same request id.
  ClientOptions down = o;
  down.base_url = "http://127.0.0.1:1";
  down.max_retries = 2;
  down.initial_backoff = std::chrono::milliseconds(1);
  BOOST_TEST(IsTransportError(Make(down)->ListTenants().status()));
  auto retried = log.Take();
  BOOST_REQUIRE_EQUAL(retried.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(retried[i].attempt == i + 1);
    BOOST_TEST(retried[i].will_retry == (i < 2));
    BOOST_TEST(retried[i].status == 0);
    BOOST_TEST(retried[i].error == "connect-failed");
    BOOST_TEST(retried[i].request_id == retried[0].request_id);
  }

  // Neither the operator's token, the new tenant token (in the answer's body)
  // nor the request body appear anywhere in any event.
  events.insert(events.end(), retried.begin(), retried.end());
  for (const auto& e : events) {
    const std::string text = Text(e);
    BOOST_TEST(text.find(o.token) == std::string::npos, text);
    BOOST_TEST(text.find(admin.secret) == std::string::npos, text);
    BOOST_TEST(text.find("Bearer") == std::string::npos, text);
    BOOST_TEST(text.find(body_marker) == std::string::npos, text);
  }
}

// A real dossierd with tenant "acme", and a client holding its ADMIN token
// whose HTTP exchanges are logged.
struct TenantClientOnARealServer {
  CleanProxyEnvironment clean;
  testing::TempDir dir;
  testing::Server server{dir.path() / "data"};
  testing::TenantAdmin admin = testing::ProvisionTenant(server, "acme").value();
  EventLog log;
  std::unique_ptr<Client> client = Make(Options());

  ClientOptions Options() {
    ClientOptions o;
    o.base_url = server.url();
    o.token = admin.token;
    o.on_http_exchange = log.Hook();
    return o;
  }
};

BOOST_FIXTURE_TEST_CASE(upload_from_a_producer_streams_chunked_and_checks_the_digest_it_computed,
                        TenantClientOnARealServer) {
  // 6 MiB + 17 bytes of pseudo-random data, produced in pieces of irregular
  // size (never the whole body in memory: each call makes only what it returns).
  constexpr uint64_t kSize = (6ull << 20) + 17;
  struct Generator {
    uint64_t made = 0;
    uint32_t state = 12345;
    int calls = 0;
    size_t Fill(std::span<char> buffer) {
      ++calls;
      const size_t want = std::min<uint64_t>({buffer.size(), 1000 + (state % 50000), kSize - made});
      for (size_t i = 0; i < want; ++i) {
        state = state * 1664525u + 1013904223u;
        buffer[i] = static_cast<char>(state >> 24);
      }
      made += want;
      return want;
    }
  };
  // The digest the bytes must have, computed independently with the same generator.
  trust::Sha256Hasher expected_hasher;
  {
    Generator g;
    std::string piece(64 * 1024, '\0');
    while (size_t n = g.Fill(piece)) expected_hasher.Update(std::string_view(piece.data(), n));
  }
  const std::string expected = trust::DigestRef(expected_hasher.Finish());

  Generator g;
  uint64_t progressed = 0;
  auto uploaded = client->UploadFromProducer(
      "acme", [&](std::span<char> buffer) -> StatusOr<size_t> { return g.Fill(buffer); },
      [&](uint64_t done, uint64_t) { progressed = done; });
  BOOST_REQUIRE_MESSAGE(uploaded.ok(), uploaded.status().ToString());
  BOOST_TEST(uploaded->digest == expected);
  BOOST_TEST(uploaded->size == kSize);
  BOOST_TEST(uploaded->created);
  BOOST_TEST(progressed == kSize);
  BOOST_TEST(g.calls > 100);  // many pieces, the last one empty
  auto stat = client->StatBlob("acme", expected);
  BOOST_REQUIRE(stat.ok());
  BOOST_TEST((stat->has_value() && (*stat)->size == kSize));
  auto events = log.Take();
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_TEST(events[0].method == "POST");
  BOOST_TEST(events[0].path == "/v1/tenants/acme/blobs");
  BOOST_TEST(events[0].status == 201);

  // The same bytes again: stored already (200, created false).
  Generator again;
  auto second = client->UploadFromProducer(
      "acme", [&](std::span<char> b) -> StatusOr<size_t> { return again.Fill(b); });
  BOOST_REQUIRE_MESSAGE(second.ok(), second.status().ToString());
  BOOST_TEST(second->digest == expected);
  BOOST_TEST(!second->created);
  log.Take();

  // A producer that fails half-way: its error is the call's, nothing is
  // stored, the upload is not resent, and the client goes on working.
  Generator broken;
  auto failed = client->UploadFromProducer("acme", [&](std::span<char> b) -> StatusOr<size_t> {
    if (broken.made > (1u << 20)) return Status(StatusCode::kAborted, "the source went away", "source-gone");
    return broken.Fill(b);
  });
  BOOST_TEST(failed.status().reason() == "source-gone", failed.status().ToString());
  auto broken_events = log.Take();
  BOOST_REQUIRE_EQUAL(broken_events.size(), 1u);
  BOOST_TEST(broken_events[0].error == "source-gone");
  BOOST_TEST(!broken_events[0].will_retry);
  // One that claims more bytes than its buffer holds is stopped locally.
  auto lying =
      client->UploadFromProducer("acme", [](std::span<char> b) -> StatusOr<size_t> { return b.size() + 1; });
  BOOST_TEST(lying.status().reason() == "bad-producer");
  // An empty body is a valid (empty) blob.
  auto empty =
      client->UploadFromProducer("acme", [](std::span<char>) -> StatusOr<size_t> { return size_t{0}; });
  BOOST_REQUIRE_MESSAGE(empty.ok(), empty.status().ToString());
  BOOST_TEST(empty->digest == trust::DigestRef(trust::Sha256("")));
  BOOST_TEST(client->StatBlob("acme", expected).ok());
}

// A many-record import is streamed (chunked NDJSON). When the input breaks
// after the first chunk, the server ends the answer with a problem line and
// no last chunk: Import returns that problem (not "connection-lost"), at once
// (not retried, though imports are idempotent).
BOOST_FIXTURE_TEST_CASE(an_import_cut_short_by_the_server_returns_the_problem_of_its_last_line,
                        TenantClientOnARealServer) {
  const auto whole = dir.path() / "whole.xml", broken = dir.path() / "broken.xml";
  testing::WriteFile(whole, testing::GudidRelease(600));
  testing::WriteFile(broken, testing::GudidRelease(600, testing::kBrokenGudidDevice));

  auto ok = client->Import("acme", "gudid-xml", whole);
  BOOST_REQUIRE_MESSAGE(ok.ok(), ok.status().ToString());
  BOOST_TEST(ok->content_type == "application/x-ndjson");
  BOOST_TEST(std::count(ok->body.begin(), ok->body.end(), '\n') == 600);

  log.Take();
  auto cut = client->Import("acme", "gudid-xml", broken);
  BOOST_REQUIRE(!cut.ok());
  BOOST_TEST(cut.status().reason() == "bad-xml", cut.status().ToString());
  BOOST_TEST(cut.status().field() == "line 602");  // <data>, 600 devices, the broken one
  BOOST_TEST(cut.status().http_status() == 400);
  BOOST_TEST(log.Take().size() == 1u);  // one exchange: not retried
}

// ---- ImportRecords: the streaming form of Import (API.md "streamed as
// parsed, so a 200 MB release never sits whole in memory on either side").

namespace {

// One HTTP chunk holding `bytes`.
std::string Chunk(std::string_view bytes) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
  return std::string(size) + std::string(bytes) + "\r\n";
}

// Accepts one connection and reads its request; the socket is closed when
// either failed.
tcp::socket AcceptAndReadRequest(net::io_context& io, tcp::acceptor& acceptor) {
  beast::error_code ec;
  tcp::socket socket(io);
  acceptor.accept(socket, ec);
  if (ec) return socket;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::read(socket, buffer, request, ec);
  if (ec) socket.close(ec);
  return socket;
}

// A server on 127.0.0.1 answering one request with `answer` (raw bytes,
// written once the request was read), then closing the connection.
struct OneAnswerServer {
  net::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
  std::thread thread;
  explicit OneAnswerServer(std::string answer) {
    thread = std::thread([this, answer = std::move(answer)] {
      tcp::socket socket = AcceptAndReadRequest(io, acceptor);
      if (!socket.is_open()) return;
      beast::error_code ec;
      net::write(socket, net::buffer(answer), ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
      socket.close(ec);
    });
  }
  ~OneAnswerServer() { thread.join(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()); }
};

const std::string kNdjsonHead =
    "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n";

}  // namespace

// Every record of a many-record import reaches the callback, in order, each
// exactly the line the buffered Import returns; a single-record answer
// (application/json) is one call with the whole record.
BOOST_FIXTURE_TEST_CASE(import_records_hands_on_every_record_in_order_as_import_returns_them,
                        TenantClientOnARealServer) {
  const auto release = dir.path() / "release.xml";
  testing::WriteFile(release, testing::GudidRelease(600));
  auto whole = client->Import("acme", "gudid-xml", release);
  BOOST_REQUIRE_MESSAGE(whole.ok(), whole.status().ToString());
  BOOST_TEST(whole->content_type == "application/x-ndjson");
  const std::vector<std::string> expected = testing::SplitLines(whole->body);
  BOOST_TEST_REQUIRE(expected.size() == 600u);

  std::vector<std::string> records;
  const RecordFn collect = [&](std::string_view record) {
    records.emplace_back(record);
    return Status::Ok();
  };
  uint64_t uploaded = 0;
  log.Take();
  Status s = client->ImportRecords("acme", "gudid-xml", release, collect,
                                   [&](uint64_t done, uint64_t) { uploaded = done; });
  BOOST_REQUIRE_MESSAGE(s.ok(), s.ToString());
  BOOST_TEST(log.Take().size() == 1u);
  BOOST_TEST(uploaded == std::filesystem::file_size(release));
  BOOST_TEST_REQUIRE(records.size() == expected.size());
  BOOST_TEST(records == expected, boost::test_tools::per_element());
  for (size_t i : {0u, 299u, 599u}) {
    const boost::json::value record = boost::json::parse(records[i]);
    BOOST_TEST(record.at("content").at("device").at("tradeName").as_string() == "Brand " + std::to_string(i));
  }

  const auto one = dir.path() / "k123456.json";
  testing::WriteFile(one, R"({"k_number": "K123456", "device_name": "Widget"})");
  auto single = client->Import("acme", "openfda-510k", one);
  BOOST_REQUIRE_MESSAGE(single.ok(), single.status().ToString());
  BOOST_TEST(single->content_type.starts_with("application/json"), single->content_type);
  records.clear();
  s = client->ImportRecords("acme", "openfda-510k", one, collect);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.ToString());
  BOOST_TEST_REQUIRE(records.size() == 1u);
  BOOST_TEST(boost::json::parse(records[0]) == boost::json::parse(single->body));
}

// The whole answer is never held: a client that takes at most 64 KiB of
// answer into memory cannot Import the release, yet ImportRecords hands on
// all of its records (several times that size).
BOOST_FIXTURE_TEST_CASE(import_records_never_holds_the_whole_answer, TenantClientOnARealServer) {
  const auto release = dir.path() / "release.xml";
  testing::WriteFile(release, testing::GudidRelease(2000));
  ClientOptions o = Options();
  o.max_response_bytes = 64 << 10;
  auto small = Make(o);
  auto whole = small->Import("acme", "gudid-xml", release);
  BOOST_REQUIRE(!whole.ok());
  BOOST_TEST(whole.status().reason() == "response-too-large", whole.status().ToString());

  size_t records = 0, bytes = 0;
  Status s = small->ImportRecords("acme", "gudid-xml", release, [&](std::string_view record) {
    ++records;
    bytes += record.size() + 1;
    return Status::Ok();
  });
  BOOST_REQUIRE_MESSAGE(s.ok(), s.ToString());
  BOOST_TEST(records == 2000u);
  BOOST_TEST(bytes > 4u * o.max_response_bytes);
}

// A callback returning non-OK stops a large import after its first record:
// that Status is the call's, the callback is not called again, nothing is
// retried, and the client goes on (on a new connection).
BOOST_FIXTURE_TEST_CASE(a_record_callback_returning_an_error_stops_the_import, TenantClientOnARealServer) {
  const auto release = dir.path() / "release.xml";
  testing::WriteFile(release, testing::GudidRelease(20000));  // about 8 MB of answer
  const Status stop(StatusCode::kAborted, "seen enough", "stopped-by-test");
  int calls = 0;
  log.Take();
  Status s = client->ImportRecords("acme", "gudid-xml", release, [&](std::string_view record) {
    ++calls;
    BOOST_TEST(boost::json::parse(record).at("content").at("device").at("tradeName").as_string() ==
               "Brand 0");
    return stop;
  });
  BOOST_TEST(s.code() == StatusCode::kAborted);
  BOOST_TEST(s.reason() == "stopped-by-test");
  BOOST_TEST(s.message() == "seen enough");
  BOOST_TEST(calls == 1);
  BOOST_TEST(log.Take().size() == 1u);  // not retried
  BOOST_TEST(client->Ready().ok());
  BOOST_TEST(server.running());
}

// An answer the server cut short (the input broke after its first 64 KiB of
// answer): the records before the break reach the callback, the problem line
// never does, and the call returns the problem (not "connection-lost"), at
// once. A break early on is an ordinary 4xx: no record, the same problem.
BOOST_FIXTURE_TEST_CASE(import_records_cut_short_returns_the_problem_and_never_hands_on_its_line,
                        TenantClientOnARealServer) {
  const auto broken = dir.path() / "broken.xml", early = dir.path() / "early.xml";
  testing::WriteFile(broken, testing::GudidRelease(600, testing::kBrokenGudidDevice));
  testing::WriteFile(early, testing::GudidRelease(3, testing::kBrokenGudidDevice));
  std::vector<std::string> records;
  const RecordFn collect = [&](std::string_view record) {
    records.emplace_back(record);
    return Status::Ok();
  };
  log.Take();
  Status s = client->ImportRecords("acme", "gudid-xml", broken, collect);
  BOOST_TEST(s.reason() == "bad-xml", s.ToString());
  BOOST_TEST(s.field() == "line 602");  // <data>, 600 devices, the broken one
  BOOST_TEST(s.http_status() == 400);
  BOOST_TEST(log.Take().size() == 1u);  // not retried
  // Streamed (a 4xx would give none): the devices before the break, in order
  // (how many the server wrote before it stopped is its business), and not
  // the problem line.
  BOOST_TEST_MESSAGE("records before the break: " << records.size());
  BOOST_TEST(records.size() > 100u);
  BOOST_TEST(records.size() <= 600u);
  for (size_t i = 0; i < records.size(); ++i) {
    BOOST_TEST(records[i].find("problem") == std::string::npos, records[i]);
    const boost::json::value record = boost::json::parse(records[i]);
    BOOST_TEST(record.at("content").at("device").at("tradeName").as_string() == "Brand " + std::to_string(i));
  }

  records.clear();
  s = client->ImportRecords("acme", "gudid-xml", early, collect);
  BOOST_TEST(s.reason() == "bad-xml", s.ToString());
  BOOST_TEST(s.http_status() == 400);
  BOOST_TEST(records.empty());
}

// Records reach the callback while the answer is still coming: a server
// written here sends the first record and the start of the second, then
// waits (at most 20 s) until the callback has seen the first before it sends
// the rest. A client that read the whole answer before handing records on
// would see the first only after the rest was sent. The second record is
// split across two chunks and two reads.
BOOST_AUTO_TEST_CASE(records_reach_the_callback_while_the_answer_is_still_coming) {
  CleanProxyEnvironment clean;
  testing::TempDir dir;
  const auto input = dir.path() / "release.xml";
  testing::WriteFile(input, testing::GudidRelease(3));
  net::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  const unsigned short port = acceptor.local_endpoint().port();
  std::mutex mu;
  std::condition_variable cv;
  bool first_seen = false, rest_sent = false;
  const auto chunk = Chunk;
  std::thread server([&] {
    tcp::socket socket = AcceptAndReadRequest(io, acceptor);
    if (!socket.is_open()) return;
    beast::error_code ec;
    net::write(socket,
               net::buffer("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n" +
                           chunk("{\"content\":{\"n\":1},\"loss\":[]}\n{\"content\"")),
               ec);
    {
      std::unique_lock lock(mu);
      cv.wait_for(lock, std::chrono::seconds(20), [&] { return first_seen; });
      rest_sent = true;
    }
    net::write(socket,
               net::buffer(chunk(":{\"n\":2},\"loss\":[]}\n") +
                           chunk("{\"content\":{\"n\":3},\"loss\":[]}\n") + "0\r\n\r\n"),
               ec);
    socket.shutdown(tcp::socket::shutdown_send, ec);
    char drain[256];
    while (!ec) socket.read_some(net::buffer(drain), ec);  // until the client closes
  });
  ClientOptions o;
  o.base_url = "http://127.0.0.1:" + std::to_string(port);
  o.token = "dxt_test";
  std::vector<std::string> records;
  std::vector<bool> rest_sent_before;
  {
    auto client = Make(o);
    Status s = client->ImportRecords("acme", "gudid-xml", input, [&](std::string_view record) {
      std::lock_guard lock(mu);
      records.emplace_back(record);
      rest_sent_before.push_back(rest_sent);
      first_seen = true;
      cv.notify_all();
      return Status::Ok();
    });
    BOOST_TEST(s.ok(), s.ToString());
  }
  server.join();
  BOOST_TEST_REQUIRE(records.size() == 3u);
  BOOST_TEST(records[0] == "{\"content\":{\"n\":1},\"loss\":[]}");
  BOOST_TEST(records[1] == "{\"content\":{\"n\":2},\"loss\":[]}");
  BOOST_TEST(records[2] == "{\"content\":{\"n\":3},\"loss\":[]}");
  BOOST_TEST(!rest_sent_before[0]);  // the first record came before the server sent the rest
  BOOST_TEST(rest_sent_before[1]);
}

// The last line of an answer cut short is held back until the answer is known
// to be whole: every record before it is handed on, the problem line (here
// split over two chunks) never is, and its problem is the call's. A connection
// lost in the middle of a record hands on the complete records before it and
// fails "connection-lost". Neither is retried.
BOOST_AUTO_TEST_CASE(the_last_line_of_a_cut_short_answer_is_never_handed_on) {
  CleanProxyEnvironment clean;
  testing::TempDir dir;
  const auto input = dir.path() / "release.xml";
  testing::WriteFile(input, testing::GudidRelease(3));
  const std::string one = "{\"content\":{\"n\":1},\"loss\":[]}", two = "{\"content\":{\"n\":2},\"loss\":[]}";
  const std::string problem =
      "{\"problem\":{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"code\":\"bad-xml\","
      "\"detail\":\"the input is not well-formed XML\",\"field\":\"line 9\"}}\n";
  std::vector<std::string> records;
  const RecordFn collect = [&](std::string_view record) {
    records.emplace_back(record);
    return Status::Ok();
  };
  {
    OneAnswerServer server(kNdjsonHead + Chunk(one + "\n" + two + "\n" + problem.substr(0, 5)) +
                           Chunk(problem.substr(5)));  // no last chunk
    EventLog log;
    ClientOptions o;
    o.base_url = server.url();
    o.on_http_exchange = log.Hook();
    Status s = Make(o)->ImportRecords("acme", "gudid-xml", input, collect);
    BOOST_TEST(s.reason() == "bad-xml", s.ToString());
    BOOST_TEST(s.field() == "line 9");
    BOOST_TEST(s.http_status() == 400);
    BOOST_TEST(s.message() == "the input is not well-formed XML");
    BOOST_TEST(records == (std::vector<std::string>{one, two}), boost::test_tools::per_element());
    BOOST_TEST(log.Take().size() == 1u);
  }
  records.clear();
  {
    OneAnswerServer server(kNdjsonHead + Chunk(one + "\n" + two + "\n{\"content\":"));
    EventLog log;
    ClientOptions o;
    o.base_url = server.url();
    o.on_http_exchange = log.Hook();
    Status s = Make(o)->ImportRecords("acme", "gudid-xml", input, collect);
    BOOST_TEST(s.reason() == "connection-lost", s.ToString());
    BOOST_TEST(IsTransportError(s));
    BOOST_TEST(records == (std::vector<std::string>{one, two}), boost::test_tools::per_element());
    BOOST_TEST(log.Take().size() == 1u);
  }
}
