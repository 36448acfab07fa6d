// A catalogue of malformed requests sent raw over TCP to the real dossierd on
// 127.0.0.1: broken request lines, bad percent-encoding and path traversal,
// oversized and broken headers, absurd or inconsistent lengths, chunked
// garbage, wrong content types, invalid UTF-8 and hostile JSON, truncated
// bodies, bad query parameters, wrong methods, slowloris.
//
// The invariant for every case: the server answers a 4xx problem+json (or,
// when the bytes cannot even be framed as a request, closes the connection);
// it never answers 5xx, never hangs and never crashes, and it keeps serving
// (GET /healthz) afterwards.
#define BOOST_TEST_MODULE fault_malformed_requests
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "tests/fault/raw_http.h"
#include "tests/support/harness.h"

using namespace dossier;
using namespace dossier::testing;
using dossier::fault::BuildRequest;
using dossier::fault::RawResult;
using dossier::fault::SendRaw;

namespace {

constexpr uint64_t kMaxBody = 65536;  // --max-body-bytes, so "too large" cases stay cheap

// What a case accepts.
enum class Expect {
  k4xx,         // a 4xx problem+json
  k4xxOrClose,  // a 4xx problem+json, or the connection closed without an answer (unframeable bytes)
  kNot5xx,  // anything but a 5xx or a hang (for inputs a lenient server may accept, e.g. duplicate JSON keys)
};

struct Case {
  std::string name;
  std::string bytes;
  Expect expect = Expect::k4xx;
  int exact_status = 0;  // when non-zero, the status must be exactly this
  // A deviation reported upstream and tolerated until fixed: when the answer
  // has this status instead of exact_status, the test warns instead of failing.
  int known_wrong_status = 0;
  std::string known_issue;
};

struct Node {
  TempDir dir;
  Server server{dir.path() / "data",
                {"--max-body-bytes", std::to_string(kMaxBody), "--quiet", "--rate-limit", "0"}};
  HttpClient http{server.port()};
  std::string op = server.operator_token();
};

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// The catalogue. `token` is a tenant ADMIN token of tenant "acme", which has a
// dossier "d1" with one committed version.
std::vector<Case> Catalogue(const std::string& op, const std::string& token) {
  std::vector<Case> cases;
  auto add = [&](std::string name, std::string bytes, Expect expect = Expect::k4xx, int exact = 0) {
    cases.push_back({std::move(name), std::move(bytes), expect, exact, 0, {}});
  };
  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + token}};
  auto with = [&](std::map<std::string, std::string> extra) {
    extra.emplace("Authorization", "Bearer " + token);
    return extra;
  };
  const std::string json = "application/json";

  // ---- 1. Request lines the parser must refuse (framing: a close is fine).
  const char* bad_lines[] = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET /\r\n\r\n",  // HTTP/0.9
      "GET / HTTP/2.0\r\n\r\n",
      "GET / HTTP/1.10\r\n\r\n",
      "GET / http/1.1\r\n\r\n",
      "GET / HTTP/1.1 extra\r\n\r\n",
      "GET  /healthz HTTP/1.1\r\n\r\n",
      "GET\t/healthz HTTP/1.1\r\n\r\n",
      " GET /healthz HTTP/1.1\r\n\r\n",
      "GE T /healthz HTTP/1.1\r\n\r\n",
      "G\x01T /healthz HTTP/1.1\r\n\r\n",
      "GET /a b HTTP/1.1\r\n\r\n",
      "GET /healthz HTTP/1.1\rHost: x\r\n\r\n",
      "GET /healthz HTTP/1.1\n\n",
      "GET /\x7f HTTP/1.1\r\n\r\n",
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",              // HTTP/2 preface on an HTTP/1 port
      "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03",  // a TLS ClientHello on a plain port
      "GET /healthz HTTP/1.1\r\nHost: x\r\n",          // header never finished
      "\r\n\r\n\r\n",
  };
  int i = 0;
  for (const char* line : bad_lines) {
    add("request-line-" + std::to_string(i++), std::string(line, std::char_traits<char>::length(line)),
        Expect::k4xxOrClose);
  }
  add("request-line-nul", std::string("GET /\0 HTTP/1.1\r\n\r\n", 19), Expect::k4xxOrClose);
  add("request-line-long-method", Repeat("A", 8000) + " / HTTP/1.1\r\n\r\n", Expect::k4xxOrClose);
  std::mt19937 rng(42);  // deterministic junk
  for (int j = 0; j < 10; ++j) {
    std::string junk(64 + j * 50, '\0');
    for (char& c : junk) c = static_cast<char>(rng() & 0xff);
    add("random-junk-" + std::to_string(j), junk, Expect::k4xxOrClose);
  }

  // ---- 2. Methods and targets the router must refuse.
  add("method-unknown", BuildRequest("FOO", "/healthz"), Expect::k4xx, 405);
  add("method-lowercase", BuildRequest("get", "/healthz"), Expect::k4xxOrClose);
  add("method-trace", BuildRequest("TRACE", "/healthz"), Expect::k4xx, 405);
  add("method-connect", "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", Expect::k4xxOrClose);
  add("method-options-star", "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", Expect::k4xxOrClose);
  add("method-delete-tenants", BuildRequest("DELETE", "/v1/tenants", {{"Authorization", "Bearer " + op}}),
      Expect::k4xx, 405);
  add("method-patch-tenant", BuildRequest("PATCH", "/v1/tenants/acme", auth, "{}"), Expect::k4xx, 405);
  add("method-put-dossiers",
      BuildRequest("PUT", "/v1/tenants/acme/dossiers", with({{"Content-Type", json}}), "{}"), Expect::k4xx,
      405);
  add("method-post-healthz", BuildRequest("POST", "/healthz", {}, "x"), Expect::k4xx, 405);
  add("method-delete-version", BuildRequest("DELETE", "/v1/tenants/acme/dossiers/d1/versions/1", auth),
      Expect::k4xx, 405);
  add("method-propfind", BuildRequest("PROPFIND", "/v1/tenants/acme", auth), Expect::k4xx, 405);
  add("target-star", "GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", Expect::k4xxOrClose);
  add("target-absolute-form", BuildRequest("GET", "http://127.0.0.1/healthz"));
  add("target-relative", BuildRequest("GET", "healthz"));
  add("target-unknown", BuildRequest("GET", "/nope"), Expect::k4xx, 404);
  add("target-long-10k", BuildRequest("GET", "/" + Repeat("a", 10000)), Expect::k4xx, 404);
  add("target-long-20k", BuildRequest("GET", "/" + Repeat("a", 20000)), Expect::k4xxOrClose, 431);
  add("target-raw-utf8", BuildRequest("GET", "/v1/tenants/\xc3\xa9t\xc3\xa9", auth));
  add("target-raw-bad-utf8", BuildRequest("GET", "/v1/tenants/\xff\xfe", auth));

  // ---- 3. Percent-encoding and path traversal.
  const char* bad_paths[] = {
      "/v1/tenants/%",
      "/v1/tenants/%2",
      "/v1/tenants/%zz",
      "/v1/tenants/%%",
      "/v1/tenants/%0",
      "/v1/tenants/%00",
      "/v1/tenants/acme%00/dossiers",
      "/v1/tenants/%2500",
      "/v1/tenants/%C0%AE%C0%AE/dossiers",
      "/v1/tenants/%ff%fe/dossiers",
      "/v1/tenants/%ED%A0%80/dossiers",  // UTF-8 encoded surrogate
      "/v1/tenants/%E2%80%AE/dossiers",  // right-to-left override
      "/v1/tenants/..",
      "/v1/tenants/%2e%2e",
      "/v1/tenants/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/v1/tenants/../../etc/passwd",
      "/v1/../../../../etc/passwd",
      "/v1/tenants/acme/../other/dossiers",
      "/v1/tenants/acme%2Fother/dossiers",
      "/v1/tenants/acme/dossiers/..%2F..%2Fx",
      "/v1/tenants/acme/dossiers/%2e%2e",
      "/v1/tenants/acme/dossiers/d1/versions/%2e%2e%2f1",
      "/v1/tenants/acme/blobs/sha256:../../../../etc/passwd",
      "/v1/tenants/acme/blobs/sha256:%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/v1/tenants/acme/blobs/..%2f..%2f..%2fdb%2fCURRENT",
      "/v1/tenants/acme/blobs/sha256:ZZZZ",
      "/v1/tenants/acme/blobs/sha256:",
      "/v1/tenants/acme/blobs/sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
      "/v1/tenants/a%0d%0aSet-Cookie:x/dossiers",
      "/v1/tenants/acme/dossiers/d1?page_size=%",
      "/v1/tenants/acme/dossiers?page_token=%zz",
      "/v1/tenants/acme/dossiers?%=1",
      "/v1/tenants/acme/dossiers?a=%",
      "//v1//tenants//acme",
      "/v1/tenants/acme/./dossiers",
      "/%76%31/tenants/nobody",
      "/v1/tenants/"
      "\xef\xbc\x8e\xef\xbc\x8e",  // fullwidth dots
  };
  i = 0;
  for (const char* path : bad_paths)
    add("path-" + std::to_string(i++) + " " + path, BuildRequest("GET", path, auth));

  // ---- 4. Headers: size limits, syntax, lengths, transfer codings.
  add("header-huge-20k", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + Repeat("a", 20000) + "\r\n\r\n",
      Expect::k4xxOrClose, 431);
  add("header-huge-17k", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + Repeat("a", 17000) + "\r\n\r\n",
      Expect::k4xxOrClose, 431);
  {
    std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int h = 0; h < 2000; ++h) many += "X-H" + std::to_string(h) + ": v\r\n";
    add("header-2000-fields", many + "\r\n", Expect::k4xxOrClose, 431);
  }
  add("header-huge-1MB", "GET /healthz HTTP/1.1\r\nX-Big: " + Repeat("a", 1 << 20) + "\r\n\r\n",
      Expect::k4xxOrClose, 431);
  add("header-huge-cookie", "GET /healthz HTTP/1.1\r\nCookie: " + Repeat("k=v; ", 5000) + "\r\n\r\n",
      Expect::k4xxOrClose, 431);
  const char* bad_headers[] = {
      "NoColon\r\n",
      "Host : x\r\n",
      "Ho(st: x\r\n",
      ": empty-name\r\n",
      "X-Fold: a\r\n b\r\n",
      "X-Ctl: a\x01"
      "b\r\n",
      "X-Del: a\x7f"
      "b\r\n",
      "X Space: v\r\n",
      "X-Bare-CR: a\rb\r\n",
      "Content-Length: -1\r\n",
      "Content-Length: abc\r\n",
      "Content-Length: 1.5\r\n",
      "Content-Length: +5\r\n",
      "Content-Length: 0x10\r\n",
      "Content-Length: 99999999999999999999999\r\n",
      "Content-Length: 5\r\nContent-Length: 6\r\n",
      "Content-Length: 5, 6\r\n",
      "Transfer-Encoding: gzip\r\n",
      "Transfer-Encoding: chunked, gzip\r\n",
      "Transfer-Encoding: xchunked\r\n",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
  };
  i = 0;
  for (const char* h : bad_headers) {
    add("header-" + std::to_string(i++),
        std::string("POST /v1/tenants/acme/dossiers HTTP/1.1\r\nHost: x\r\n") + "Authorization: Bearer " +
            token + "\r\nContent-Type: application/json\r\n" + h + "\r\n{}",
        Expect::k4xxOrClose);
  }
  add("header-nul-in-value", std::string("GET /healthz HTTP/1.1\r\nX-Nul: a\0b\r\n\r\n", 38),
      Expect::k4xxOrClose);
  add("header-only-lf", "GET /healthz HTTP/1.1\nHost: x\n\n", Expect::k4xxOrClose);

  // Absurd or too-large Content-Length: refused before any body byte is read.
  const std::map<std::string, std::string> json_auth = with({{"Content-Type", json}});
  auto post_len = [&](const std::string& target, const std::string& length, const std::string& type) {
    return "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
           "\r\nContent-Type: " + type + "\r\nContent-Length: " + length + "\r\n\r\n{";
  };
  add("length-over-body-limit", post_len("/v1/tenants/acme/dossiers", std::to_string(kMaxBody + 1), json),
      Expect::k4xx, 413);
  add("length-1G-json", post_len("/v1/tenants/acme/dossiers", "1000000000", json), Expect::k4xx, 413);
  add("length-1T-json", post_len("/v1/tenants/acme/dossiers", "1000000000000", json), Expect::k4xx, 413);
  add("length-max-u64", post_len("/v1/tenants/acme/dossiers", "18446744073709551615", json), Expect::k4xx,
      413);
  const std::string zero_blob = "/v1/tenants/acme/blobs/sha256:" + std::string(64, '0');
  auto put_len = [&](const std::string& length) {
    return "PUT " + zero_blob + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
           "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\nabc";
  };
  add("length-blob-2G", put_len("2147483648"), Expect::k4xx, 413);
  add("length-blob-1P", put_len("1000000000000000"), Expect::k4xx, 413);
  add("length-blob-max-u64", put_len("18446744073709551615"), Expect::k4xx, 413);
  add("length-blob-limit-plus-1", put_len("1073741825"), Expect::k4xx, 413);
  add("length-blob-2p63", put_len("9223372036854775808"), Expect::k4xx, 413);
  add("length-max-u64-leading-zeros", post_len("/v1/tenants/acme/dossiers", "0018446744073709551615", json),
      Expect::k4xx, 413);
  // Not a 64-bit number: malformed framing, 400, whatever the route.
  add("length-2p64", put_len("18446744073709551616"), Expect::k4xx, 400);
  add("length-overflow-json", post_len("/v1/tenants/acme/dossiers", "99999999999999999999999", json),
      Expect::k4xx, 400);
  add("length-overflow-blob", put_len("340282366920938463463374607431768211456"), Expect::k4xx, 400);
  add("length-huge-on-get", "GET /healthz HTTP/1.1\r\nContent-Length: 1000000000000\r\n\r\n", Expect::k4xx,
      413);

  // Chunked garbage.
  auto chunked = [&](const std::string& body) {
    return "POST /v1/tenants/acme/dossiers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
           "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
  };
  const char* chunk_bodies[] = {
      "zz\r\n{}\r\n0\r\n\r\n",
      "-2\r\n{}\r\n0\r\n\r\n",
      "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
      "2\r\n{}",                            // no final chunk
      "5\r\n{}\r\n0\r\n\r\n",               // chunk shorter than declared
      "1\r\n{}\r\n0\r\n\r\n",               // chunk longer than declared
      "2;\x01\r\n{}\r\n0\r\n\r\n",          // bad chunk extension
      "2\r\n{}0\r\n\r\n",                   // missing CRLF after data
      "2\r\n{}\r\n0\r\nX-Trailer\r\n\r\n",  // bad trailer
      "2\n{}\n0\n\n",                       // bare LF
      "\r\n",
      "0x2\r\n{}\r\n0\r\n\r\n",
  };
  i = 0;
  for (const char* b : chunk_bodies) add("chunked-" + std::to_string(i++), chunked(b), Expect::k4xxOrClose);
  add("chunked-over-limit", chunked("20000\r\n" + Repeat("a", 0x20000) + "\r\n0\r\n\r\n"),
      Expect::k4xxOrClose, 413);
  add("chunked-and-length",
      "POST /v1/tenants/acme/dossiers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
          "\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: "
          "chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
      Expect::k4xxOrClose);

  // ---- 5. Authentication headers.
  add("auth-missing", BuildRequest("GET", "/v1/tenants/acme/dossiers"), Expect::k4xx, 401);
  for (const std::string& value :
       std::vector<std::string>{"Bearer", "Bearer ", "Bearer  x", "Basic YWRtaW46YWRtaW4=", "Bearer \xff\xfe",
                                "Bearer " + Repeat("t", 8000), "Bearer " + token + "x",
                                "Bearer " + token + " extra", "Token " + token, "Bearer\t" + token}) {
    add("auth-" + value.substr(0, 24),
        BuildRequest("GET", "/v1/tenants/acme/dossiers", {{"Authorization", value}}), Expect::k4xx, 401);
  }
  add("auth-operator-route-with-tenant-token", BuildRequest("GET", "/v1/tenants", auth), Expect::k4xx, 403);
  add("auth-other-tenant", BuildRequest("GET", "/v1/tenants/other/dossiers", auth), Expect::k4xx);
  add("expect-continue-no-auth",
      "POST /v1/tenants/acme/dossiers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: "
      "100-continue\r\nContent-Length: 2\r\n\r\n{}",
      Expect::k4xx, 401);
  add("expect-continue-blob-no-auth",
      "PUT " + zero_blob + " HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
      Expect::k4xx, 401);
  add("expect-unknown", BuildRequest("POST", "/v1/tenants/acme/dossiers",
                                     with({{"Content-Type", json}, {"Expect", "teapot"}}), "[]"));

  // ---- 6. Bodies of every JSON route: content types, encodings, hostile JSON.
  struct Route {
    std::string target;
    std::string token;
  };
  const std::vector<Route> routes = {
      {"/v1/tenants", op},
      {"/v1/tenants/acme/tokens", token},
      {"/v1/tenants/acme/keys", token},
      {"/v1/tenants/acme/dossiers", token},
      {"/v1/tenants/acme/dossiers/d1/versions", token},
  };
  const std::vector<std::pair<std::string, std::string>> bad_types = {
      {"text-plain", "text/plain"},
      {"xml", "application/xml"},
      {"multipart", "multipart/form-data; boundary=x"},
      {"jsonx", "application/jsonx"},
      {"empty", ""},
  };
  const std::vector<std::pair<std::string, std::string>> bad_bodies = {
      {"empty", ""},
      {"open-brace", "{"},
      {"truncated", R"({"id":"abc)"},
      {"array", "[]"},
      {"null", "null"},
      {"string", "\"x\""},
      {"bad-utf8", "{\"id\":\"\xff\xfe\"}"},
      {"overlong-utf8", "{\"id\":\"\xc0\xae\"}"},
      {"lone-surrogate", R"({"id":"\ud800"})"},
      {"utf8-surrogate", "{\"id\":\"\xed\xa0\x80\"}"},
      {"nan", R"({"id":NaN})"},
      {"huge-number", R"({"id":1e999999})"},
      {"deep-array", Repeat("[", 10000) + Repeat("]", 10000)},
      {"deep-object", Repeat(R"({"a":)", 100) + "1" + Repeat("}", 100)},
      {"bom", "\xef\xbb\xbf{}"},
      {"trailing-garbage", "{}x"},
      {"nul-escape",
       R"({"id":"a\u0000b","displayName":"x","kind":"MANUFACTURER","role":"ADMIN","publicKeyPem":"\u0000"})"},
      {"raw-control",
       "{\"id\":\"a\x01"
       "b\"}"},
      {"wrong-types",
       R"({"id":123,"displayName":[],"kind":{},"role":7,"label":false,"publicKeyPem":1,"title":null,"contentDigest":1,"mediaType":2,"envelope":"x"})"},
      {"comments", "/* c */ {}"},
      {"binary", std::string("\x00\x01\x02\x03", 4)},
  };
  for (const auto& route : routes) {
    const std::string r = route.target.substr(route.target.rfind('/') + 1);
    for (const auto& [name, type] : bad_types) {
      std::map<std::string, std::string> h = {{"Authorization", "Bearer " + route.token}};
      if (!type.empty()) h["Content-Type"] = type;
      add("type-" + name + " " + r, BuildRequest("POST", route.target, h, "{}"), Expect::k4xx, 415);
    }
    for (const auto& [name, body] : bad_bodies) {
      add("body-" + name + " " + r,
          BuildRequest("POST", route.target,
                       {{"Authorization", "Bearer " + route.token}, {"Content-Type", json}}, body));
    }
    // A lenient JSON reader may accept duplicate keys; whatever it does, no 5xx.
    add("body-duplicate-keys " + r,
        BuildRequest("POST", route.target,
                     {{"Authorization", "Bearer " + route.token}, {"Content-Type", json}},
                     R"({"id":"dup-a","id":"dup-b"})"),
        Expect::kNot5xx);
  }
  // Semantically bad bodies of the commit route.
  const std::string commit = "/v1/tenants/acme/dossiers/d1/versions";
  for (
      const auto& [name, body] : std::vector<std::pair<std::string, std::string>>{
          {"no-envelope", R"({"contentDigest":"sha256:00","mediaType":"application/vnd.dossier.v1+json"})"},
          {"bad-digest",
           R"({"contentDigest":"md5:00","mediaType":"application/vnd.dossier.v1+json","envelope":{}})"},
          {"envelope-empty", R"({"contentDigest":"sha256:)" + std::string(64, 'a') +
                                 R"(","mediaType":"application/vnd.dossier.v1+json","envelope":{}})"},
          {"envelope-bad-b64",
           R"({"contentDigest":"sha256:)" + std::string(64, 'a') +
               R"(","mediaType":"application/vnd.dossier.v1+json","envelope":{"payloadType":"application/vnd.dossier.statement.v1+json","payload":"!!!","signatures":[{"sig":"@@"}]}})"},
          {"envelope-no-sigs",
           R"({"contentDigest":"sha256:)" + std::string(64, 'a') +
               R"(","mediaType":"application/vnd.dossier.v1+json","envelope":{"payloadType":"application/vnd.dossier.statement.v1+json","payload":"e30=","signatures":[]}})"},
          {"envelope-100-sigs",
           R"({"contentDigest":"sha256:)" + std::string(64, 'a') +
               R"(","mediaType":"application/vnd.dossier.v1+json","envelope":{"payloadType":"x","payload":"e30=","signatures":[)" +
               Repeat(R"({"sig":"AAAA"},)", 99) + R"({"sig":"AAAA"}]}})"},
          {"media-type-unknown",
           R"({"contentDigest":"sha256:)" + std::string(64, 'a') +
               R"(","mediaType":"text/html","envelope":{"payloadType":"x","payload":"e30=","signatures":[{"sig":"AAAA"}]}})"},
      }) {
    add("commit-" + name, BuildRequest("POST", commit, json_auth, body));
  }
  // Keys that are not keys.
  for (const auto& [name, pem] : std::vector<std::pair<std::string, std::string>>{
           {"empty", ""},
           {"garbage", "not a pem"},
           {"truncated", "-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEA\\n-----END PUBLIC KEY-----\\n"},
           {"private",
            "-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIA==\\n-----END PRIVATE KEY-----\\n"},
           {"huge", "-----BEGIN PUBLIC KEY-----\\n" + Repeat("A", 40000) + "\\n-----END PUBLIC KEY-----\\n"},
       }) {
    add("key-" + name, BuildRequest("POST", "/v1/tenants/acme/keys", json_auth,
                                    R"({"publicKeyPem":")" + pem + R"(","label":"x"})"));
  }
  add("tenant-bad-kind",
      BuildRequest("POST", "/v1/tenants", {{"Authorization", "Bearer " + op}, {"Content-Type", json}},
                   R"({"id":"t-bad","displayName":"x","kind":"ALIEN"})"));
  add("tenant-bad-id",
      BuildRequest("POST", "/v1/tenants", {{"Authorization", "Bearer " + op}, {"Content-Type", json}},
                   R"({"id":"../etc","displayName":"x","kind":"MANUFACTURER"})"));
  add("tenant-id-nl",
      BuildRequest("POST", "/v1/tenants", {{"Authorization", "Bearer " + op}, {"Content-Type", json}},
                   R"({"id":"a\nb","displayName":"x","kind":"MANUFACTURER"})"));
  add("tenant-id-long",
      BuildRequest("POST", "/v1/tenants", {{"Authorization", "Bearer " + op}, {"Content-Type", json}},
                   R"({"id":")" + Repeat("a", 5000) + R"(","displayName":"x","kind":"MANUFACTURER"})"));
  add("token-bad-role", BuildRequest("POST", "/v1/tenants/acme/tokens", json_auth, R"({"role":"ROOT"})"));
  add("dossier-id-slash", BuildRequest("POST", "/v1/tenants/acme/dossiers", json_auth, R"({"id":"a/b"})"));
  add("dossier-id-dotdot", BuildRequest("POST", "/v1/tenants/acme/dossiers", json_auth, R"({"id":".."})"));
  add("dossier-exists", BuildRequest("POST", "/v1/tenants/acme/dossiers", json_auth, R"({"id":"d1"})"),
      Expect::k4xx, 409);

  // ---- 7. Truncated bodies: the declared length never arrives (we half-close).
  add("truncated-json",
      "POST /v1/tenants/acme/dossiers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
          "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":",
      Expect::k4xxOrClose);
  add("truncated-blob", put_len("1000"), Expect::k4xxOrClose);
  add("truncated-commit",
      "POST " + commit + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
          "\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"envelope\":{",
      Expect::k4xxOrClose);
  add("truncated-zero-body",
      "POST /v1/tenants/acme/dossiers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
          "\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n",
      Expect::k4xxOrClose);
  add("post-no-length",
      "POST /v1/tenants/acme/dossiers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
          "\r\nContent-Type: application/json\r\n\r\n",
      Expect::k4xxOrClose);

  // ---- 8. Blob uploads and downloads.
  add("blob-digest-mismatch",
      BuildRequest("PUT", zero_blob, with({{"Content-Type", "application/octet-stream"}}), "not zeros"));
  add("blob-bad-digest-path", BuildRequest("PUT", "/v1/tenants/acme/blobs/sha256:xyz",
                                           with({{"Content-Type", "application/octet-stream"}}), "x"));
  add("blob-uppercase-digest", BuildRequest("PUT", "/v1/tenants/acme/blobs/sha256:" + std::string(64, 'A'),
                                            with({{"Content-Type", "application/octet-stream"}}), "x"));
  add("blob-other-tenant", BuildRequest("PUT", "/v1/tenants/other/blobs/sha256:" + std::string(64, 'a'),
                                        with({{"Content-Type", "application/octet-stream"}}), "x"));
  add("blob-get-missing", BuildRequest("GET", zero_blob, auth), Expect::k4xx, 404);
  const std::string existing_blob = "/v1/tenants/acme/blobs/" + DigestOf("%PDF-1.7 fault test document\n");
  for (std::string range : {"bytes=abc", "bytes=5-1", "bytes=999999-", "bytes=-0", "items=0-1",
                            "bytes=0-1,2-3,4-5", "bytes=99999999999999999999999-"}) {
    add("range-" + range, BuildRequest("GET", existing_blob, with({{"Range", range}})), Expect::kNot5xx);
  }

  // ---- 9. Query parameters and path parameters.
  const char* bad_queries[] = {
      "/v1/tenants/acme/dossiers/d1/versions?page_token=zzz",
      "/v1/tenants/acme/dossiers/d1/versions/abc",
      "/v1/tenants/acme/dossiers/d1/versions/0",
      "/v1/tenants/acme/dossiers/d1/versions/-1",
      "/v1/tenants/acme/dossiers/d1/versions/99999999999999999999999",
      "/v1/tenants/acme/dossiers/d1/versions/18446744073709551615",
      "/v1/tenants/acme/dossiers/d1/versions/2/content",
      "/v1/tenants/acme/dossiers/d1/versions/99/bundle",
      "/v1/tenants/acme/dossiers/d1/diff?from=abc&to=1",
      "/v1/tenants/acme/dossiers/d1/diff?from=1&to=99",
      "/v1/tenants/acme/dossiers/nope/versions",
      "/v1/log/proofs/inclusion?index=abc&treeSize=1",
      "/v1/log/proofs/inclusion?index=99999&treeSize=1",
      "/v1/log/proofs/inclusion?index=0&treeSize=99999999999999999999",
      "/v1/log/proofs/inclusion?index=0&treeSize=0",
      "/v1/log/proofs/inclusion",
      "/v1/log/proofs/consistency?from=5&to=1",
      "/v1/log/proofs/consistency?from=abc&to=1",
      "/v1/log/proofs/consistency?from=0&to=18446744073709551615",
      "/v1/log/proofs/consistency",
  };
  i = 0;
  for (const char* q : bad_queries)
    add("query-" + std::to_string(i++) + " " + q, BuildRequest("GET", q, auth));
  // Page sizes and tokens a lenient server may clamp or ignore rather than
  // refuse (dossierd falls back to the default page size).
  for (std::string q : {"page_size=-1", "page_size=abc", "page_size=99999999999999999999999", "page_size=%FF",
                        "page_token=%00%01", "page_token=\xff", "page_token=zzz"}) {
    add("query-lenient " + q, BuildRequest("GET", "/v1/tenants/acme/dossiers?" + q, auth), Expect::kNot5xx);
  }
  add("query-page-size-0", BuildRequest("GET", "/v1/tenants/acme/dossiers?page_size=0", auth),
      Expect::kNot5xx);
  add("query-page-size-huge", BuildRequest("GET", "/v1/tenants/acme/dossiers?page_size=100000000", auth),
      Expect::kNot5xx);
  add("query-repeated",
      BuildRequest("GET", "/v1/tenants/acme/dossiers?page_size=1&page_size=2&page_size=x", auth),
      Expect::kNot5xx);
  add("query-many-params", BuildRequest("GET", "/v1/tenants/acme/dossiers?" + Repeat("a=1&", 2000), auth),
      Expect::kNot5xx);
  return cases;
}

void CheckHealthy(unsigned short port, const std::string& after) {
  auto health = SendRaw(port, BuildRequest("GET", "/healthz"));
  BOOST_REQUIRE_MESSAGE(health.kind == RawResult::kResponse && health.status == 200,
                        "GET /healthz after " << after << ": " << health.Describe());
}

}  // namespace

BOOST_AUTO_TEST_CASE(catalogue_of_malformed_requests_gets_4xx_never_5xx) {
  Node node;
  Actor acme = CreateActor(node.http, node.op, "acme");
  CreateActor(node.http, node.op, "other");
  BOOST_REQUIRE_EQUAL(
      node.http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d1"})", JsonAuth(acme.token)).status,
      201);
  const std::string doc = UploadBlob(node.http, acme, "%PDF-1.7 fault test document\n");
  const std::string content = MinimalDossierJson("Fault", {doc});
  const std::string digest = UploadBlob(node.http, acme, content);
  auto v1 = node.http.Request("POST", "/v1/tenants/acme/dossiers/d1/versions",
                              CommitBody(acme, "dossiers/d1", 1, "", digest, acme.key), JsonAuth(acme.token));
  BOOST_REQUIRE_MESSAGE(v1.status == 201, v1.body);

  const auto cases = Catalogue(node.op, acme.token);
  BOOST_TEST_MESSAGE("malformed-request catalogue: " << cases.size() << " cases");
  BOOST_REQUIRE_GE(cases.size(), 200u);

  std::map<std::string, int> tally;  // outcome -> count, printed at the end
  size_t n = 0;
  for (const Case& c : cases) {
    RawResult r = SendRaw(node.server.port(), c.bytes);
    const std::string where = "case '" + c.name + "': " + r.Describe();
    const bool is_response = r.kind == RawResult::kResponse;
    tally[is_response ? std::to_string(r.status) : r.kind == RawResult::kClosed ? "closed" : "other"]++;
    BOOST_CHECK_MESSAGE(r.kind != RawResult::kTimeout, where);
    BOOST_CHECK_MESSAGE(r.kind != RawResult::kGarbage, where);
    if (is_response) {
      BOOST_CHECK_MESSAGE(r.status < 500, where);
      if (c.expect != Expect::kNot5xx) {
        BOOST_CHECK_MESSAGE(r.status >= 400 && r.status < 500, where);
        BOOST_CHECK_MESSAGE(r.content_type.rfind("application/problem+json", 0) == 0, where);
        if (c.exact_status != 0 && c.known_wrong_status != 0 && r.status == c.known_wrong_status) {
          BOOST_WARN_MESSAGE(false, "KNOWN ISSUE: " << c.known_issue << " -- " << where);
          tally["known-issue"]++;
        } else if (c.exact_status != 0) {
          BOOST_CHECK_MESSAGE(r.status == c.exact_status, where << " (want " << c.exact_status << ")");
        }
      }
    } else if (r.kind == RawResult::kClosed) {
      BOOST_CHECK_MESSAGE(c.expect != Expect::k4xx, where << " (a framed request deserves an answer)");
    }
    if (++n % 25 == 0) CheckHealthy(node.server.port(), c.name);
  }
  std::ostringstream summary;
  for (const auto& [outcome, count] : tally) summary << outcome << "×" << count << " ";
  BOOST_TEST_MESSAGE("outcomes: " << summary.str());
  CheckHealthy(node.server.port(), "the whole catalogue");

  // Nothing the catalogue did may have been logged as an internal error.
  std::ifstream log(node.server.stderr_path());
  std::string line;
  while (std::getline(log, line)) {
    BOOST_CHECK_MESSAGE(line.find("unexpected exception") == std::string::npos, "server log: " << line);
    BOOST_CHECK_MESSAGE(line.rfind("error: ", 0) != 0, "server log: " << line);
  }
  // Real work still succeeds afterwards.
  const std::string content2 = MinimalDossierJson("Fault 2", {doc});
  const std::string digest2 = UploadBlob(node.http, acme, content2);
  auto v2 =
      node.http.Request("POST", "/v1/tenants/acme/dossiers/d1/versions",
                        CommitBody(acme, "dossiers/d1", 2, digest, digest2, acme.key), JsonAuth(acme.token));
  BOOST_CHECK_MESSAGE(v2.status == 201, v2.body);
}

// A valid request followed by garbage on the same keep-alive connection: the
// first is answered, the garbage is refused or the connection closed.
BOOST_AUTO_TEST_CASE(pipelined_garbage_after_a_valid_request) {
  Node node;
  RawResult r = SendRaw(node.server.port(), BuildRequest("GET", "/healthz") + "GARBAGE \x01\x02\r\n\r\n");
  BOOST_REQUIRE(r.kind == RawResult::kResponse);
  BOOST_TEST(r.status == 200);
  CheckHealthy(node.server.port(), "pipelined garbage");
}

// Slowloris: headers dribbled one byte a second are cut off by the header
// timeout (30 s, ServerOptions::header_timeout; dossierd has no flag to shorten
// it, so this test takes ~30 s), while other clients keep being served.
BOOST_AUTO_TEST_CASE(slowloris_headers_are_cut_off) {
  Node node;
  constexpr int kSlowClients = 20;
  std::atomic<int> cut_off{0};
  std::atomic<int> still_open{0};
  std::vector<std::thread> slow;
  const auto started = std::chrono::steady_clock::now();
  for (int c = 0; c < kSlowClients; ++c) {
    slow.emplace_back([&] {
      // Dribble "X-Slow: aaaa..." one byte per second; stop when the server closes.
      std::string bytes = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ";
      // SendRaw sends everything at once; a dribble needs its own socket loop.
      int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(node.server.port());
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
      ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(45);
      while (std::chrono::steady_clock::now() < deadline) {
        if (::send(fd, "a", 1, MSG_NOSIGNAL) != 1) break;  // reset by the server
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, 1000) > 0) {
          char buf[512];
          if (::recv(fd, buf, sizeof buf, 0) <= 0) break;  // closed by the server
        }
      }
      if (std::chrono::steady_clock::now() < deadline) {
        cut_off++;
      } else {
        still_open++;
      }
      ::close(fd);
    });
  }
  // While they dribble, normal clients are served promptly.
  for (int k = 0; k < 10; ++k) {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    auto r = SendRaw(node.server.port(), BuildRequest("GET", "/healthz"));
    BOOST_CHECK_MESSAGE(r.kind == RawResult::kResponse && r.status == 200,
                        "healthz during slowloris: " << r.Describe());
    BOOST_CHECK_LT(r.elapsed.count(), 1000);
  }
  for (auto& t : slow) t.join();
  const auto took =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
  BOOST_TEST_MESSAGE("slowloris: " << cut_off.load() << " cut off, " << still_open.load()
                                   << " still open after " << took.count() << " s");
  BOOST_TEST(cut_off.load() == kSlowClients);
  BOOST_TEST(still_open.load() == 0);
  CheckHealthy(node.server.port(), "slowloris");
}
