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
#include <string>

namespace dossier::client {

struct ClientOptions {
  // "http://host:port" or "https://host:port", optionally with a path prefix
  // ("https://example.org/dossier"). Required; Client::Create fails with
  // reason "bad-url" otherwise.
  std::string base_url;

  // Bearer token sent on every request ("dxt_..."). Default: none, which only
  // reaches the public routes (/healthz, /readyz).
  std::string token;

  // TLS (https:// only). Default: verify the server against the system CA
  // store (OpenSSL's default paths). Set `ca_file` to trust only that PEM
  // bundle instead (e.g. a private CA).
  std::filesystem::path ca_file;
  // Client certificate and key (PEM) for mutual TLS. Default: none.
  std::filesystem::path client_cert_file;
  std::filesystem::path client_key_file;
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
  // (JSON, written atomically, mode 0600). Default: empty = remember in memory
  // only, for the lifetime of the client.
  std::filesystem::path checkpoint_file;

  // Largest JSON response body the client accepts into memory. Default 64 MiB.
  uint64_t max_response_bytes = 64ull << 20;

  // Sent as the User-Agent header.
  std::string user_agent = "dossier-client-cpp/0.1";
};

}  // namespace dossier::client
