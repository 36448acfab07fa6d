// Unrestricted resource consumption (OWASP API4): per-credential and
// per-tenant rate limits answer 429 with Retry-After and do not touch other
// credentials or tenants; bodies beyond --max-body-bytes answer 413, headers
// beyond 16 KiB 431.
#define BOOST_TEST_MODULE security_limits
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <sstream>
#include <thread>

#include "tests/security/security_fixture.h"

using namespace dossier::testing;
using namespace dossier::testing::security;

namespace {

// Tenants acme and globex, created by the operator (whose requests no tenant's
// budget counts), with no token or key yet.
void AddManufacturers(HttpClient& http, const std::string& operator_token) {
  for (const char* t : {"acme", "globex"}) {
    BOOST_REQUIRE_EQUAL(
        http.Request("POST", "/v1/tenants",
                     std::string(R"({"id":")") + t + R"(","displayName":"x","kind":"MANUFACTURER"})",
                     JsonAuth(operator_token))
            .status,
        201);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(rate_limit_is_per_credential) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "5", "--rate-burst", "5"});
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  // Set-up with the operator's own bucket: tenant + two tokens.
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants", R"({"id":"acme","displayName":"Acme","kind":"MANUFACTURER"})",
                   JsonAuth(op))
          .status,
      201);
  const std::string busy = IssueToken(http, op, "acme", "VIEWER").second;
  const std::string quiet = IssueToken(http, op, "acme", "VIEWER").second;

  int ok = 0, limited = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = http.Request("GET", "/v1/tenants/acme", "", Auth(busy));
    if (r.status == 200) {
      ++ok;
    } else {
      BOOST_TEST_CONTEXT("request " << i << ": " << r.status << " " << r.body) {
        BOOST_TEST(r.status == 429);
        BOOST_TEST(r.Header("content-type") == "application/problem+json");
        BOOST_TEST(r.ProblemCode() == "rate-limited");
        const std::string retry = r.Header("retry-after");
        BOOST_TEST(!retry.empty());
        BOOST_TEST(retry.find_first_not_of("0123456789") == std::string::npos);
        if (!retry.empty()) BOOST_TEST(std::stoi(retry) >= 1);
      }
      ++limited;
    }
  }
  BOOST_TEST_MESSAGE("burst of 20: " << ok << " allowed, " << limited << " limited");
  BOOST_TEST(ok >= 5);   // the burst
  BOOST_TEST(ok <= 10);  // 20 fast requests cannot refill much more than that
  BOOST_TEST(limited >= 10);
  // Another credential of the same tenant is unaffected.
  for (int i = 0; i < 3; ++i)
    BOOST_TEST(http.Request("GET", "/v1/tenants/acme", "", Auth(quiet)).status == 200);
  // Public routes are not charged to the limited credential's bucket.
  BOOST_TEST(http.Request("GET", "/healthz").status == 200);
  // The bucket refills: after Retry-After the busy token works again.
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme", "", Auth(busy)).status == 200);
}

// A tenant cannot multiply its share of the node by issuing more tokens: all
// its credentials draw on one tenant budget (--tenant-rate-limit), which
// answers 429 tenant-rate-limited; other tenants and the operator go on.
BOOST_AUTO_TEST_CASE(rate_limit_is_per_tenant_across_its_credentials) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "1000", "--rate-burst", "1000", "--tenant-rate-limit",
                                      "5", "--tenant-rate-burst", "10"});
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  AddManufacturers(http, op);
  std::vector<std::string> tokens;  // issued by the operator, whose requests the tenant budget does not count
  for (int i = 0; i < 5; ++i) tokens.push_back(IssueToken(http, op, "acme", "VIEWER").second);
  const std::string other = IssueToken(http, op, "globex", "VIEWER").second;

  int ok = 0, limited = 0;
  for (int i = 0; i < 40; ++i) {  // 8 per token: far below each token's own budget
    auto r = http.Request("GET", "/v1/tenants/acme", "", Auth(tokens[i % tokens.size()]));
    if (r.status == 200) {
      ++ok;
      continue;
    }
    ++limited;
    BOOST_TEST_CONTEXT("request " << i << ": " << r.status << " " << r.body) {
      BOOST_TEST(r.status == 429);
      BOOST_TEST(r.ProblemCode() == "tenant-rate-limited");
      BOOST_TEST(!r.Header("retry-after").empty());
    }
  }
  BOOST_TEST_MESSAGE("40 requests over 5 tokens of one tenant: " << ok << " allowed, " << limited
                                                                 << " limited");
  BOOST_TEST(ok >= 10);  // the tenant's burst
  BOOST_TEST(ok <= 20);
  BOOST_TEST(limited >= 20);
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(http.Request("GET", "/v1/tenants/globex", "", Auth(other)).status == 200);
    BOOST_TEST(http.Request("GET", "/v1/tenants", "", Auth(op)).status == 200);
  }
}

// A limit that only counts successful requests does not slow down guessing:
// wrong tokens (per remote address) and another tenant's ids (per credential)
// must be charged too.
BOOST_AUTO_TEST_CASE(guessing_tokens_or_ids_is_rate_limited_too) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "5", "--rate-burst", "5"});
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  AddManufacturers(http, op);
  const std::string intruder = IssueToken(http, op, "globex", "ADMIN").second;

  int limited = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = http.Request("GET", "/v1/tenants/acme", "", Auth("dxt_guess-" + std::to_string(i)));
    BOOST_TEST((r.status == 401 || r.status == 429), r.status);
    limited += r.status == 429;
  }
  BOOST_TEST(limited >= 10,
             "20 wrong tokens from one address in a burst of 5: " << limited << " answered 429");

  limited = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = http.Request("GET", "/v1/tenants/acme/dossiers/guess-" + std::to_string(i), "", Auth(intruder));
    BOOST_TEST((r.status == 404 || r.status == 429), r.status);
    limited += r.status == 429;
  }
  BOOST_TEST(limited >= 10, "20 probes of another tenant in a burst of 5: " << limited << " answered 429");
}

namespace {

// The status of `GET target` sent from the local address `from` (any of
// 127.0.0.0/8 on Linux), so that the server sees another client address.
int StatusFrom(const char* from, unsigned short port, const std::string& target) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  BOOST_TEST_REQUIRE(fd >= 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, from, &local.sin_addr);
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
  const bool connected = ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0 &&
                         ::connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) == 0;
  std::string answer;
  if (connected) {
    const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
        answer.append(buffer, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  BOOST_TEST_REQUIRE(connected, "cannot connect from " << from);
  BOOST_TEST_REQUIRE(answer.rfind("HTTP/1.1 ", 0) == 0u, "no HTTP answer: " << answer.substr(0, 100));
  return std::stoi(answer.substr(9, 3));
}

}  // namespace

// The transparency log is readable without a token (issue 15), so its routes
// are charged to the client address: one address cannot make the node sign
// and prove without bound, another address is unaffected, and a token does
// not buy more. Health probes stay free.
BOOST_AUTO_TEST_CASE(public_log_routes_are_rate_limited_per_client_address) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "5", "--rate-burst", "5"});
  HttpClient http(server.port());
  // A tenant whose key registration puts a leaf in the log, for the proof.
  const std::string viewer = CreateTenant(http, server.operator_token(), "acme", "MANUFACTURER").token;

  for (const std::string target :
       {"/v1/log/checkpoint", "/v1/log/public-key", "/v1/log/proofs/inclusion?leafIndex=0&treeSize=1"}) {
    BOOST_TEST_CONTEXT(target) {
      int ok = 0, limited = 0;
      for (int i = 0; i < 20; ++i) {
        // Half of them with a token: on a public route it is not a bucket of its own.
        auto r = http.Request("GET", target, "", i % 2 ? Auth(viewer) : std::map<std::string, std::string>{});
        if (r.status == 200) {
          ++ok;
        } else {
          BOOST_TEST(r.status == 429, r.body);
          BOOST_TEST(r.ProblemCode() == "rate-limited");
          BOOST_TEST(!r.Header("retry-after").empty());
          ++limited;
        }
      }
      BOOST_TEST(ok >= 5);
      BOOST_TEST(ok <= 10);
      BOOST_TEST(limited >= 10);
      // Another client address has its own bucket; health probes are never charged.
      BOOST_TEST(StatusFrom("127.0.0.2", server.port(), target) == 200);
      BOOST_TEST(http.Request("GET", "/healthz").status == 200);
      BOOST_TEST(http.Request("GET", "/readyz").status == 200);
      // The token's own bucket is untouched by the public reads it made.
      BOOST_TEST(http.Request("GET", "/v1/tenants/acme", "", Auth(viewer)).status == 200);
      std::this_thread::sleep_for(std::chrono::milliseconds(1300));  // refill before the next route
    }
  }
}

BOOST_AUTO_TEST_CASE(body_and_header_limits) {
  TempDir dir;
  Server server(dir.path() / "data", {"--rate-limit", "0", "--max-body-bytes", "4096"});
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants", R"({"id":"acme","displayName":"Acme","kind":"MANUFACTURER"})",
                   JsonAuth(op))
          .status,
      201);
  const std::string admin = IssueToken(http, op, "acme", "ADMIN").second;

  // A JSON body of `size` bytes creating a dossier whose title pads it.
  auto body_of = [](size_t size, const std::string& id) {
    const std::string head = R"({"id":")" + id + R"(","title":")";
    return head + std::string(size - head.size() - 2, 'x') + "\"}";
  };
  auto small = http.Request("POST", "/v1/tenants/acme/dossiers", body_of(300, "small"), JsonAuth(admin));
  BOOST_TEST(small.status != 413);
  auto big = http.Request("POST", "/v1/tenants/acme/dossiers", body_of(5000, "big"), JsonAuth(admin));
  BOOST_TEST(big.status == 413, big.body);
  BOOST_TEST(big.ProblemCode() == "body-too-large");
  BOOST_TEST(big.Header("content-type") == "application/problem+json");
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers/big", "", Auth(admin)).status == 404);

  // Without Content-Length (chunked) the limit holds while reading.
  std::string chunk = body_of(5000, "chunked");
  std::ostringstream hex;
  hex << std::hex << chunk.size();
  const std::string raw =
      "POST /v1/tenants/acme/dossiers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin +
      "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + hex.str() + "\r\n" +
      chunk + "\r\n0\r\n\r\n";
  const std::string answer = http.Raw(raw);
  BOOST_TEST(answer.rfind("HTTP/1.1 413", 0) == 0, answer.substr(0, 200));
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers/chunked", "", Auth(admin)).status == 404);

  // A header section beyond 16 KiB.
  auto huge =
      http.Request("GET", "/v1/tenants/acme", "",
                   {{"Authorization", "Bearer " + admin}, {"X-Padding", std::string(17 * 1024, 'a')}});
  BOOST_TEST(huge.status == 431, huge.body);
  BOOST_TEST(huge.ProblemCode() == "header-too-large");
  // Just under the limit is fine.
  auto fits =
      http.Request("GET", "/v1/tenants/acme", "",
                   {{"Authorization", "Bearer " + admin}, {"X-Padding", std::string(12 * 1024, 'a')}});
  BOOST_TEST(fits.status == 200);

  // Page sizes are capped (500) whatever the client asks.
  auto page = http.Request("GET", "/v1/tenants/acme/audit?pageSize=100000", "", Auth(admin));
  BOOST_TEST(page.status == 200);
  BOOST_TEST(page.Json().at("entries").as_array().size() <= 500u);
}
