// The web app's static serving through the real Api: files with their types
// and security headers, index.html for app routes, traversal refused, and the
// API's own paths (/v1, /openapi.json, /healthz) answered as before.
#include "server/web_assets.h"

#include <boost/test/unit_test.hpp>

#include "server/in_process_api.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

using namespace dossier;
using namespace dossier::server;

namespace {

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

struct WebWorld {
  testing::TempDir dir{"dossier-web-"};
  const std::filesystem::path root = dir.path() / "web";
  InProcessApi server;

  WebWorld() {
    std::filesystem::create_directories(root / "img");
    testing::WriteFile(root / "index.html", "<!doctype html><title>app</title>");
    testing::WriteFile(root / "app.js", "console.log(1)");
    testing::WriteFile(root / "app.css", "body{}");
    testing::WriteFile(root / "img" / "logo.svg", "<svg/>");
    auto assets = WebAssets::Load(root);
    BOOST_REQUIRE_MESSAGE(assets.ok(), assets.status().ToString());
    server.api().ServeWebApp(std::make_shared<const WebAssets>(std::move(assets).value()));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(web_assets)

BOOST_AUTO_TEST_CASE(files_have_their_types_and_every_answer_the_security_headers) {
  WebWorld w;
  struct Case {
    std::string target, type, body;
  } cases[] = {{"/", "text/html; charset=utf-8", "<!doctype html><title>app</title>"},
               {"/app.js", "text/javascript; charset=utf-8", "console.log(1)"},
               {"/app.css", "text/css; charset=utf-8", "body{}"},
               {"/img/logo.svg", "image/svg+xml", "<svg/>"}};
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.target) {
      Response r = w.server.Call("GET", c.target);
      BOOST_TEST(r.status == 200);
      BOOST_TEST(r.content_type == c.type);
      BOOST_TEST(r.body == c.body);
      BOOST_TEST(HeaderOf(r, "Content-Security-Policy") == WebAssets::ContentSecurityPolicy());
      BOOST_TEST(HeaderOf(r, "X-Content-Type-Options") == "nosniff");
      BOOST_TEST(HeaderOf(r, "X-Frame-Options") == "DENY");
    }
  }
  const std::string csp = WebAssets::ContentSecurityPolicy();
  BOOST_TEST(csp.find("default-src 'self'") != std::string::npos);
  BOOST_TEST(csp.find("script-src 'self';") != std::string::npos);
  BOOST_TEST(csp.find("unsafe") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(app_routes_answer_index_html_and_missing_files_404) {
  WebWorld w;
  Response deep = w.server.Call("GET", "/dossiers/pump-x?tab=history");
  BOOST_TEST(deep.status == 200);
  BOOST_TEST(deep.body == "<!doctype html><title>app</title>");
  for (const char* not_the_app : {"/nope", "//v1//tenants//acme", "/inboxes"}) {
    Response other = w.server.Call("GET", not_the_app);
    BOOST_TEST(other.status == 404, not_the_app);
    BOOST_TEST(ProblemCode(other) == "no-such-file", not_the_app);
  }
  Response missing = w.server.Call("GET", "/missing.js");
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(ProblemCode(missing) == "no-such-file");
  BOOST_TEST(!HeaderOf(missing, "Content-Security-Policy").empty());

  Response head = w.server.Call("HEAD", "/app.js");
  BOOST_TEST(head.status == 200);
  BOOST_TEST(head.head_only);
  const std::string etag = HeaderOf(head, "ETag");
  BOOST_TEST(!etag.empty());
  Response again = w.server.Call("GET", "/app.js", "", "", {{"If-None-Match", etag}});
  BOOST_TEST(again.status == 304);
  BOOST_TEST(again.body.empty());

  Response post = w.server.Call("POST", "/", "{}");
  BOOST_TEST(post.status == 405);
  BOOST_TEST(ProblemCode(post) == "method-not-allowed");
}

BOOST_AUTO_TEST_CASE(traversal_is_refused) {
  WebWorld w;
  // Beside the web root, where a climbing path would lead.
  testing::WriteFile(w.dir.path() / "secret.txt", "TOP-SECRET-BYTES");
  for (const std::string target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/img/../../secret.txt", "/img/%2E%2E/%2e%2e/secret.txt",
        "/./app.js", "/img\\..\\app.js", "/%5c..%5csecret.txt", "/app.js%00.html"}) {
    BOOST_TEST_CONTEXT(target) {
      Response r = w.server.Call("GET", target);
      BOOST_TEST(r.status >= 400);
      BOOST_TEST(r.body.find("TOP-SECRET-BYTES") == std::string::npos);
    }
  }
  BOOST_TEST(ProblemCode(w.server.Call("GET", "/%2e%2e/secret.txt")) == "bad-path");
}

BOOST_AUTO_TEST_CASE(the_api_answers_as_before) {
  WebWorld w;
  Response unknown = w.server.Call("GET", "/v1/no-such-route");
  BOOST_TEST(unknown.status == 404);
  BOOST_TEST(ProblemCode(unknown) == "no-such-route");
  BOOST_TEST(HeaderOf(unknown, "Content-Security-Policy").empty());
  Response bare = w.server.Call("GET", "/v1");
  BOOST_TEST(bare.status == 404);
  BOOST_TEST(ProblemCode(bare) == "no-such-route");
  Response openapi = w.server.Call("GET", "/openapi.json");
  BOOST_TEST(openapi.status == 200);
  BOOST_TEST(openapi.body.find("\"openapi\"") != std::string::npos);
  BOOST_TEST(w.server.Call("GET", "/healthz").status == 200);
  // A known API path with another method is still the API's answer.
  Response wrong_method = w.server.Call("DELETE", "/openapi.json");
  BOOST_TEST(ProblemCode(wrong_method) == "method-not-allowed");
  BOOST_TEST(HeaderOf(wrong_method, "Content-Security-Policy").empty());
}

BOOST_AUTO_TEST_CASE(a_root_without_index_html_is_refused_at_load) {
  testing::TempDir empty{"dossier-web-empty-"};
  auto assets = WebAssets::Load(empty.path());
  BOOST_TEST(!assets.ok());
  BOOST_TEST(assets.status().reason() == "web-root-missing");
  BOOST_TEST(DefaultWebRoot(empty.path() / "bin" / "dossierd").empty());
  std::filesystem::create_directories(empty.path() / "web");
  testing::WriteFile(empty.path() / "web" / "index.html", "x");
  BOOST_TEST(DefaultWebRoot(empty.path() / "bin" / "dossierd") == empty.path() / "web");
}

BOOST_AUTO_TEST_SUITE_END()
