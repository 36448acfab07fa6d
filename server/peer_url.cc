#include "server/peer_url.h"

#include <algorithm>
#include <array>
#include <boost/url/ipv4_address.hpp>
#include <boost/url/ipv6_address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cstdint>
#include <optional>

#include "common/strings.h"

namespace dossier::server {
namespace {

namespace urls = boost::urls;

Status BadUrl(std::string message) { return InvalidArgument(std::move(message), "bad-url", "url"); }

Status NotAllowed(std::string message) {
  return InvalidArgument(std::move(message), "peer-url-not-allowed", "url");
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiHexDigit(char c) { return IsAsciiDigit(c) || (c >= 'a' && c <= 'f'); }

// WHATWG URL's "ends in a number": a name whose last label is decimal or 0x
// hex is read as an IPv4 address by resolvers (inet_aton), in forms such as
// "2130706433" or "127.1". No DNS top-level label is numeric.
bool EndsInANumber(std::string_view lower_name) {
  if (!lower_name.empty() && lower_name.back() == '.') lower_name.remove_suffix(1);
  const size_t dot = lower_name.rfind('.');
  std::string_view last = dot == std::string_view::npos ? lower_name : lower_name.substr(dot + 1);
  if (last.empty()) return false;
  bool all_digits = true;
  for (char c : last) all_digits = all_digits && IsAsciiDigit(c);
  if (all_digits) return true;
  if (last.size() >= 2 && last[0] == '0' && last[1] == 'x') {
    for (char c : last.substr(2)) {
      if (!IsAsciiHexDigit(c)) return false;
    }
    return true;
  }
  return false;
}

// Why an IPv4 address can never be a peer node, or nullopt.
std::optional<std::string> NeverAPeer(const urls::ipv4_address& a) {
  const uint32_t v = a.to_uint();
  if ((v >> 24) == 0) return "0.0.0.0/8 (this host, unspecified) is not a peer address";
  if ((v >> 16) == 0xA9FE) return "169.254.0.0/16 (link-local, cloud metadata) is not a peer address";
  if ((v >> 28) == 0xE) return "224.0.0.0/4 (multicast) is not a peer address";
  if (v == 0xFFFFFFFFu) return "255.255.255.255 (broadcast) is not a peer address";
  return std::nullopt;
}

std::optional<std::string> NeverAPeer(const urls::ipv6_address& a) {
  const std::array<unsigned char, 16> b = a.to_bytes();
  if (a.is_unspecified()) return ":: (unspecified) is not a peer address";
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return "fe80::/10 (link-local) is not a peer address";
  if (b[0] == 0xFF) return "ff00::/8 (multicast) is not a peer address";
  // IPv4-mapped (::ffff:a.b.c.d) and the NAT64 well-known prefix
  // (64:ff9b::a.b.c.d) reach the embedded IPv4 address.
  const bool mapped = a.is_v4_mapped();
  const bool nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B &&
                     std::all_of(b.begin() + 4, b.begin() + 12, [](unsigned char x) { return x == 0; });
  if (mapped || nat64) {
    const urls::ipv4_address v4(urls::ipv4_address::bytes_type{b[12], b[13], b[14], b[15]});
    if (auto why = NeverAPeer(v4)) return "an IPv6 address embedding " + v4.to_string() + ": " + *why;
  }
  return std::nullopt;
}

// The host as allow-list entries spell it: lower-case name, dotted quad, or
// [canonical IPv6].
struct Endpoint {
  std::string host;
  std::optional<uint16_t> port;
};

// Parses the authority of an absolute URL into an Endpoint, refusing what
// CheckPeerUrl documents as "bad-url".
StatusOr<Endpoint> EndpointOf(const urls::url_view& u) {
  if (!u.has_authority() || u.host_type() == urls::host_type::none) return BadUrl("a peer URL needs a host");
  if (u.has_userinfo()) return BadUrl("a peer URL may not hold a user name or password (user:pass@host)");
  Endpoint e;
  switch (u.host_type()) {
    case urls::host_type::ipv4:
      e.host = u.host_ipv4_address().to_string();
      break;
    case urls::host_type::ipv6:
      e.host = "[" + u.host_ipv6_address().to_string() + "]";
      break;
    case urls::host_type::name: {
      // Percent-encoding in a host ("fda%2eexample") is refused rather than
      // decoded: the name compared here must be the name that is resolved.
      e.host = AsciiLower(u.encoded_host());
      if (e.host.empty()) return BadUrl("a peer URL needs a host");
      for (char c : e.host) {
        if (!(IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '.' || c == '_')) {
          return BadUrl("a host name may hold only letters, digits, '-', '.' and '_'");
        }
      }
      if (EndsInANumber(e.host)) {
        return BadUrl("host '" + e.host +
                      "' is a number but not a dotted-quad IPv4 address; write the address as a.b.c.d");
      }
      break;
    }
    default:
      return BadUrl("IPvFuture host literals are not supported");
  }
  if (u.has_port()) {
    if (u.port().empty()) return BadUrl("empty port after ':'");
    if (u.port_number() == 0) return BadUrl("port must be 1-65535");
    e.port = u.port_number();
  }
  return e;
}

StatusOr<Endpoint> ParseAllowEntry(std::string_view entry) {
  const std::string as_url = "http://" + std::string(entry) + "/";
  auto parsed = urls::parse_absolute_uri(as_url);
  if (entry.empty() || !parsed || parsed->encoded_path() != "/" || parsed->has_query() ||
      parsed->has_fragment()) {
    return InvalidArgument(
        "peer allow-list entry '" + std::string(entry) + "' is not host, host:port, [ipv6] or [ipv6]:port",
        "bad-peer-allow-list");
  }
  auto endpoint = EndpointOf(*parsed);
  if (!endpoint.ok()) {
    return InvalidArgument(
        "peer allow-list entry '" + std::string(entry) + "': " + endpoint.status().message(),
        "bad-peer-allow-list");
  }
  return endpoint;
}

}  // namespace

Status CheckPeerUrl(std::string_view url, const std::vector<std::string>& allowed_hosts) {
  auto parsed = urls::parse_absolute_uri(url);
  if (!parsed) return BadUrl("not an absolute URL: " + parsed.error().message());
  const urls::url_view& u = *parsed;
  if (u.scheme_id() != urls::scheme::http && u.scheme_id() != urls::scheme::https) {
    return BadUrl("a peer URL must start with http:// or https://");
  }
  if (u.has_query() || u.has_fragment()) {
    return BadUrl("a peer URL is the node's base URL: no query (?) or fragment (#)");
  }
  DOSSIER_ASSIGN_OR_RETURN(Endpoint endpoint, EndpointOf(u));
  std::optional<std::string> never;
  if (u.host_type() == urls::host_type::ipv4) never = NeverAPeer(u.host_ipv4_address());
  if (u.host_type() == urls::host_type::ipv6) never = NeverAPeer(u.host_ipv6_address());
  if (never) return NotAllowed(*never);
  if (allowed_hosts.empty()) return Status::Ok();
  const uint16_t port = endpoint.port.value_or(u.scheme_id() == urls::scheme::https ? 443 : 80);
  for (const std::string& entry : allowed_hosts) {
    auto allowed = ParseAllowEntry(entry);
    if (!allowed.ok()) continue;  // refused at start-up (CheckPeerHostAllowList)
    if (allowed->host == endpoint.host && (!allowed->port || *allowed->port == port)) return Status::Ok();
  }
  return NotAllowed("host " + endpoint.host + ":" + std::to_string(port) +
                    " is not on this node's peer allow-list (--peer-allow)");
}

Status CheckPeerHostAllowList(const std::vector<std::string>& allowed_hosts) {
  for (const std::string& entry : allowed_hosts) {
    auto parsed = ParseAllowEntry(entry);
    if (!parsed.ok()) return parsed.status();
  }
  return Status::Ok();
}

}  // namespace dossier::server
