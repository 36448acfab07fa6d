// ClientOptions: how a dossier::client::Client or AsyncClient reaches one
// Dossier Exchange server. Every member has a documented default; a
// default-constructed ClientOptions with only `base_url` and `token` set is a
// working configuration for a plain-HTTP server on localhost.
//
// Thread-safety: a plain value; copy it freely. The client copies the options
// at construction and never reads the caller's instance again.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dossier::client {

// One public key of the server's transparency log, as an integrator pins it
// (from GET /v1/log/public-key, obtained out of band: the operator's release
// notes, a configuration management system, ...), with the period in which
// the log signs with it. Rotation: pin the old and the new key with
// overlapping windows; a key outside its window is not trusted.
struct PinnedLogKey {
  // "-----BEGIN PUBLIC KEY-----" PEM of the log's Ed25519 key. Required.
  std::string public_key_pem{};
  // The key is trusted for signatures made in [not_before, not_after): for a
  // bundle, the time its version was logged (the leaf's timestamp); for a
  // live checkpoint or commit receipt, the time of the call. Default: always.
  std::chrono::system_clock::time_point not_before = std::chrono::system_clock::time_point::min();
  std::chrono::system_clock::time_point not_after = std::chrono::system_clock::time_point::max();
};

// How the client decides which log to believe.
struct LogTrust {
  // The log's origin (the first line of its checkpoints, "dossier.example.org/log").
  // Empty: whatever the server says (trust on first use).
  std::string origin{};
  // The log's keys. Empty: the key the server presents on first use is
  // pinned for the client's lifetime (the behaviour before pinning existed;
  // fine for tests, not for a regulated deployment). Non-empty: the server's
  // key must be one of these (valid now), or every call that verifies fails
  // with reason "log-key-not-pinned"; a different origin is "log-origin-mismatch".
  std::vector<PinnedLogKey> keys{};
};

// The lowest TLS protocol version the client accepts.
enum class TlsVersion { kTls12, kTls13 };

// One HTTP exchange (one attempt of one request) as the client saw it, for an
// integrator's logs, metrics and traces. It carries what identifies and times
// the exchange, and never the Authorization or Proxy-Authorization header,
// the token, a proxy's credentials, or any request or response body.
struct HttpExchangeEvent {
  std::string method;  // "GET", "PUT", ...
  // The request target below the base URL: path and query
  // ("/v1/tenants/acme/dossiers?limit=50"); the SDK never puts a credential there.
  std::string path;
  int status = 0;           // the HTTP status; 0 when no answer arrived (see `error`)
  std::string error;        // transport reason when no answer arrived: "connect-failed", "timeout",
                            // "tls-failed", "connection-lost", "proxy-failed", "io-error"; else empty
  int attempt = 1;          // 1 for the first try, 2 for the first retry, ...
  bool will_retry = false;  // the client sends the request again (after a back-off)
  std::chrono::microseconds duration{
      0};  // connecting (when a new connection was needed) to the end of the answer
  // The X-Request-Id the client sent with the request (32 hex digits, the same
  // on every attempt of one request), or the server's, when it answered one.
  std::string request_id;
  bool via_proxy = false;  // sent through the configured or environment proxy
};

struct ClientOptions {
  // "http://host:port" or "https://host:port", optionally with a path prefix
  // ("https://example.org/dossier"). Required; Client::Create fails with
  // reason "bad-url" otherwise.
  std::string base_url;

  // Bearer token sent on every request ("dxt_..."). Default: none, which only
  // reaches the public routes (/healthz, /readyz).
  std::string token;

  // TLS (https:// only). Default: verify the server against the system CA
  // store (OpenSSL's default paths). Set `ca_file` (a PEM bundle on disk)
  // and/or `ca_pem` (the same, in memory: from a secret store, a config
  // service) to trust only those CAs instead (e.g. a private CA).
  std::filesystem::path ca_file;
  std::string ca_pem;
  // Client certificate (chain) and key (PEM) for mutual TLS, from files or
  // from memory (`client_cert_pem` / `client_key_pem`; the key unencrypted —
  // the SDK does not keep a copy beyond the TLS context). Set a pair of one
  // kind, not both. Default: none. Errors: "bad-tls-config".
  std::filesystem::path client_cert_file;
  std::filesystem::path client_key_file;
  std::string client_cert_pem;
  std::string client_key_pem;
  // The lowest protocol version accepted. Default TLS 1.2; kTls13 refuses a
  // server that cannot speak TLS 1.3 (handshake fails: "tls-failed").
  TlsVersion min_tls_version = TlsVersion::kTls12;
  // Testing only: skip server certificate verification. Default false.
  bool insecure_skip_verify = false;

  // Time allowed to resolve and connect (and finish the TLS handshake).
  std::chrono::milliseconds connect_timeout{10'000};
  // Inactivity limit for an exchange: each read or write must make progress
  // within this time, so long transfers are fine as long as bytes flow.
  std::chrono::milliseconds io_timeout{60'000};

  // Retries of idempotent requests (GET, HEAD, blob PUT, version commits)
  // after a connection failure, a timeout, 429, 502, 503 or 504. Non-idempotent
  // requests (creates) are retried only when the connection could not be
  // established. 0 disables retries. Default 3.
  int max_retries = 3;
  // First back-off delay; doubled on each retry (with ±25% jitter), capped at
  // `max_backoff`. A server's Retry-After is honoured up to `max_backoff`.
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{5'000};

  // Where the client remembers the last verified log checkpoint per server
  // (JSON, written atomically, mode 0600), with the log origin and key it was
  // verified against: a remembered checkpoint of another origin than the
  // log's now fails with "log-origin-changed" rather than being replaced.
  // Default: empty = remember in memory only, for the lifetime of the client.
  std::filesystem::path checkpoint_file;

  // The pinned log key(s) and origin. Default: trust on first use (see LogTrust).
  // Client::Create fails with reason "bad-pin" when a pinned PEM is not a key.
  LogTrust log_trust;

  // Largest JSON response body the client accepts into memory. Default 64 MiB.
  uint64_t max_response_bytes = 64ull << 20;

  // Sent as the User-Agent header.
  std::string user_agent = "dossier-client-cpp/0.1";

  // HTTP proxy, "http://[user:password@]host:port" (a proxy spoken to in
  // plain HTTP; https:// proxies are refused with "bad-proxy"). An https://
  // server is reached through a CONNECT tunnel (TLS end to end, the proxy
  // sees only host and port); an http:// server through absolute-form
  // requests. Default (nullopt): from the environment as curl reads it —
  // https_proxy / HTTPS_PROXY for an https:// base URL, http_proxy /
  // HTTP_PROXY for an http:// one. "" = never a proxy, whatever the environment.
  std::optional<std::string> proxy;
  // Hosts reached directly, not through the proxy: comma-separated names
  // (an entry matches the host and its subdomains; a leading dot is allowed),
  // IP addresses, optionally with ":port", or "*" for all. Default (nullopt):
  // no_proxy / NO_PROXY from the environment.
  std::optional<std::string> no_proxy;

  // Called once per HTTP exchange (each attempt of each request, retries
  // included) when it ends, on the client's strand: keep it short and do not
  // call the client from it. Default: none. See HttpExchangeEvent for what it
  // carries (never credentials or bodies).
  std::function<void(const HttpExchangeEvent&)> on_http_exchange;
};

}  // namespace dossier::client
