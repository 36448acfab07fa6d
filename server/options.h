// Settings of one dossierd process, with their defaults.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dossier::server {

struct ServerOptions {
  // Required: where the store, blobs, the log key and operator.token live.
  std::filesystem::path data_dir;
  // host:port to listen on. Default 127.0.0.1:8080.
  std::string listen = "127.0.0.1:8080";
  // TLS: both set to serve HTTPS only (TLS 1.2+). client_ca additionally
  // requests client certificates and verifies them against that CA.
  std::filesystem::path tls_cert, tls_key, client_ca;

  // Threads running network I/O. Default 2 (one per core here).
  unsigned io_threads = 2;
  // Threads running handlers. Durable writes block a worker until fsync; many
  // workers let RocksDB group-commit concurrent writes. Default 64.
  unsigned worker_threads = 64;

  uint32_t max_header_bytes = 16 * 1024;      // 431 beyond
  uint64_t max_body_bytes = 8ull << 20;       // JSON bodies; 413 beyond
  uint64_t max_blob_bytes = 1ull << 30;       // one uploaded document; 413 beyond
  uint64_t max_content_bytes = 32ull << 20;   // a version's content blob that is parsed
  unsigned max_connections = 2048;            // further connections are refused
  std::chrono::seconds header_timeout{30};    // to receive a request's header (slowloris)
  std::chrono::seconds body_timeout{120};     // to receive an ordinary body
  std::chrono::seconds upload_timeout{3600};  // to receive a streamed upload
  std::chrono::seconds idle_timeout{60};      // keep-alive connection with no request
  std::chrono::seconds drain_timeout{20};     // SIGTERM: wait this long for in-flight requests

  // Requests per second per credential (anonymous: per remote address), with
  // bursts up to rate_limit_burst; beyond it 429 with Retry-After. 0 disables.
  double rate_limit_per_second = 200;
  double rate_limit_burst = 400;
  // Requests per second of all the credentials of one tenant together, so a
  // tenant cannot multiply its share of the node by issuing more tokens (or
  // client certificates); 429 "tenant-rate-limited" beyond it. Operator
  // requests are not counted. 0 disables.
  double tenant_rate_limit_per_second = 1000;
  double tenant_rate_limit_burst = 2000;

  // How often a reliance peer's feed is polled when it has nothing new, and
  // the longest back-off after failures.
  std::chrono::milliseconds peer_poll_interval{5000};
  std::chrono::milliseconds peer_max_backoff{60000};
  // Hosts reliance peers may be registered at and pulled from ("host",
  // "host:port", "[v6]:port"; server/peer_url.h). Empty: any host except
  // addresses that are never a peer (link-local, metadata, multicast, ...).
  std::vector<std::string> peer_allowed_hosts;

  size_t default_page_size = 50;
  size_t max_page_size = 500;

  // Origin line of the log's checkpoints. Default: "dossier-exchange/" plus
  // the first 16 hex digits of the log key id, unique per node.
  std::string log_origin;

  // The HTML-to-PDF renderer for redlines (Debian's wkhtmltopdf), run as a
  // child process with this wall-clock bound and no network; a missing
  // binary answers 503 "pdf-renderer-unavailable" for PDF requests only.
  std::filesystem::path pdf_renderer = "/usr/bin/wkhtmltopdf";
  std::chrono::seconds pdf_timeout{30};

  // Export format -> the profile exports use when neither the request
  // (?profile=) nor a submission's pinned profile names one. Empty: each
  // format's built-in default (schema/translate/profiles.h).
  std::map<std::string, std::string> export_profile_defaults;

  // Write one access-log line per request to stderr.
  bool access_log = true;
  // Access and request-error lines on stderr as one JSON object each
  // (--log-format json) instead of text, for log shippers.
  bool json_logs = false;
};

}  // namespace dossier::server
