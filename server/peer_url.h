// Which URLs the reliance puller may fetch: the server-side request forgery
// (SSRF, OWASP API7:2023) defence for peer registration.
//
// A regulator registers a peer by URL, and the node then fetches that URL
// from inside the operator's network. Without a check, a REGULATOR token could
// make the node fetch cloud metadata (169.254.169.254), any internal service,
// or a file. CheckPeerUrl is called when a peer is registered and again before
// every pull (the allow-list may have narrowed since), so a stored URL is
// never trusted because it was once accepted. The SDK client the puller uses
// follows no redirects, so a peer cannot bounce the node elsewhere.
//
// Contract: pure functions of their arguments; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dossier::server {

// OK when `url` is an absolute http or https URL with a host and nothing else
// that could change where or how it is fetched, and its host may be a peer:
// - reason "bad-url" (field "url"): another scheme, no host, userinfo
//   (user:pass@), a query or fragment, port 0, an IPvFuture literal, or a host
//   written as a number that is not a dotted quad ("2130706433", "127.1",
//   "0x7f.0.0.1": resolvers read them as addresses, so they would slip past
//   the address checks below);
// - reason "peer-url-not-allowed" (field "url"): an address that is never a
//   peer node — unspecified (0.0.0.0/8, ::), link-local (169.254/16 with the
//   cloud metadata service, fe80::/10), multicast, broadcast, or those
//   addresses inside IPv4-mapped IPv6 — or, when `allowed_hosts` is not
//   empty, a host that none of its entries matches.
// Loopback and private addresses are allowed unless the allow-list says
// otherwise: peers often run beside each other or on a private network.
// An allow-list entry is "host" (any port) or "host:port"; "[v6]" and
// "[v6]:port" for IPv6; host names compare case-insensitively. Names are not
// resolved here (DNS answers may change between check and fetch): an
// operator who lets peers be named by DNS relies on the allow-list.
[[nodiscard]] Status CheckPeerUrl(std::string_view url, const std::vector<std::string>& allowed_hosts);

// OK when every entry is a well-formed allow-list entry (see above); else
// "bad-peer-allow-list" naming the entry. Checked once at start-up so a
// typo stops the server instead of silently allowing nothing.
[[nodiscard]] Status CheckPeerHostAllowList(const std::vector<std::string>& allowed_hosts);

}  // namespace dossier::server
