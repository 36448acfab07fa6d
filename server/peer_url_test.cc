// CheckPeerUrl and CheckPeerHostAllowList (server/peer_url.h): the SSRF
// defence for reliance peer URLs, case by case. The route and the puller
// using them are tested end to end in tests/security/peer_fetch_test.cc.
#include "server/peer_url.h"

#include <boost/test/unit_test.hpp>

using dossier::server::CheckPeerHostAllowList;
using dossier::server::CheckPeerUrl;

namespace {

std::string ReasonOf(std::string_view url, const std::vector<std::string>& allow = {}) {
  const dossier::Status s = CheckPeerUrl(url, allow);
  if (!s.ok()) BOOST_TEST(s.field() == "url");
  return s.ok() ? "ok" : s.reason();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(peer_url)

BOOST_AUTO_TEST_CASE(ordinary_peer_urls_pass) {
  BOOST_TEST(ReasonOf("https://fda.example") == "ok");
  BOOST_TEST(ReasonOf("https://fda.example:8443/base/") == "ok");
  BOOST_TEST(ReasonOf("http://127.0.0.1:18080") == "ok");  // a peer beside this node
  BOOST_TEST(ReasonOf("http://10.1.2.3") == "ok");         // a private network
  BOOST_TEST(ReasonOf("http://[::1]:8080") == "ok");
  BOOST_TEST(ReasonOf("HTTPS://FDA.Example") == "ok");
}

BOOST_AUTO_TEST_CASE(other_schemes_and_forms_are_bad_urls) {
  for (const char* url :
       {"file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "ftp://fda.example", "//fda.example",
        "fda.example", "http://", "https://user:pw@fda.example", "https://fda.example@169.254.169.254",
        "https://fda.example/?x=1", "https://fda.example/#frag", "http://fda.example:0", "http://[v1.x]/",
        "http://fda%2eexample", "http://fda.example:/"}) {
    BOOST_TEST_CONTEXT(url) { BOOST_TEST(ReasonOf(url) == "bad-url"); }
  }
}

BOOST_AUTO_TEST_CASE(numbers_that_resolvers_read_as_addresses_are_bad_urls) {
  // inet_aton reads each of these as an address (127.0.0.1 or
  // 169.254.169.254); only the dotted quad is checked as one.
  for (const char* url : {"http://2130706433", "http://127.1", "http://0x7f.0.0.1", "http://0x7f000001",
                          "http://169.254.43518", "http://2852039166/latest/meta-data", "http://a.b.0x10"}) {
    BOOST_TEST_CONTEXT(url) { BOOST_TEST(ReasonOf(url) == "bad-url"); }
  }
  BOOST_TEST(ReasonOf("http://node1.example") == "ok");  // a digit inside a label is fine
  BOOST_TEST(ReasonOf("http://1node.example") == "ok");
}

BOOST_AUTO_TEST_CASE(addresses_that_are_never_peers_are_refused) {
  for (const char* url :
       {"http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:8080", "http://0.1.2.3",
        "http://224.0.0.1", "http://239.255.255.250:1900", "http://255.255.255.255", "http://[::]:8080",
        "http://[fe80::1]", "http://[ff02::1]", "http://[::ffff:169.254.169.254]",
        "http://[::ffff:a9fe:a9fe]", "http://[64:ff9b::169.254.169.254]", "http://[::ffff:0.0.0.0]"}) {
    BOOST_TEST_CONTEXT(url) { BOOST_TEST(ReasonOf(url) == "peer-url-not-allowed"); }
  }
  BOOST_TEST(ReasonOf("http://[::ffff:127.0.0.1]:8080") == "ok");
}

BOOST_AUTO_TEST_CASE(allow_list_matches_host_and_port) {
  const std::vector<std::string> allow = {"fda.example", "hsa.example:8443", "127.0.0.1:18080", "[::1]:9000"};
  BOOST_TEST(ReasonOf("https://fda.example", allow) == "ok");
  BOOST_TEST(ReasonOf("https://FDA.EXAMPLE:9443/x", allow) == "ok");  // any port for a bare host
  BOOST_TEST(ReasonOf("https://hsa.example:8443", allow) == "ok");
  BOOST_TEST(ReasonOf("https://hsa.example", allow) == "peer-url-not-allowed");  // 443 is not 8443
  BOOST_TEST(ReasonOf("http://127.0.0.1:18080", allow) == "ok");
  BOOST_TEST(ReasonOf("http://127.0.0.1:18081", allow) == "peer-url-not-allowed");
  BOOST_TEST(ReasonOf("http://[0:0::1]:9000", allow) == "ok");  // compared in canonical form
  BOOST_TEST(ReasonOf("https://evil.example", allow) == "peer-url-not-allowed");
  BOOST_TEST(ReasonOf("https://fda.example.evil.example", allow) == "peer-url-not-allowed");
  // The allow-list never admits what is never a peer.
  BOOST_TEST(ReasonOf("http://169.254.169.254", {"169.254.169.254"}) == "peer-url-not-allowed");
}

BOOST_AUTO_TEST_CASE(malformed_allow_list_entries_are_named) {
  BOOST_TEST(CheckPeerHostAllowList({"fda.example", "10.0.0.7:8080", "[::1]"}).ok());
  for (const char* entry : {"", "https://fda.example", "fda.example/path", "user@fda.example",
                            "fda.example:0", "127.1", "fda.example:http", "a b"}) {
    BOOST_TEST_CONTEXT(entry) {
      const dossier::Status s = CheckPeerHostAllowList({"fda.example", entry});
      BOOST_TEST(s.reason() == "bad-peer-allow-list");
      BOOST_TEST(s.message().find("'" + std::string(entry) + "'") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
