// End-to-end test harness: plain HTTP/1.1 to a dossierd started by the
// Server fixture (dossierd.h), and helpers that provision tenants, keys and
// signed commits through the public API. Part of dossier_test_support; it knows
// the server only through its HTTP API, never its internals.
//
// Contract: failures of the server under test throw std::runtime_error
// (Boost.Test reports them); ProvisionTenant returns them as a Status for the
// SDK, CLI and example runners. One HttpClient is used by one thread at a time.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "tests/support/dossierd.h"
#include "tests/support/files.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "trust/keys.h"

namespace dossier::testing {

// The SDK hands JSON over as text (dossier::client::JsonText); tests read it
// here. Throws std::runtime_error (failing the test case) when `json_text` is
// not a JSON object.
boost::json::object ParseObject(std::string_view json_text);

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  boost::json::value Json() const;             // null when the body is not JSON
  std::string ProblemCode() const;             // the problem's "code", or ""
  std::string Header(const std::string& lower_name) const;
};

// One keep-alive connection to 127.0.0.1:port (reconnects when needed).
class HttpClient {
 public:
  explicit HttpClient(unsigned short port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  HttpResult Request(const std::string& method, const std::string& target, const std::string& body = {},
                     const std::map<std::string, std::string>& headers = {});
  // Sends raw bytes and returns what the server answers before closing or
  // `timeout_ms`, for malformed-request tests.
  std::string Raw(const std::string& bytes, int timeout_ms = 3000);

 private:
  struct Impl;
  Impl* impl_;
};

// A tenant with an ADMIN token (no key), for SDK and CLI tests.
struct TenantAdmin {
  std::string tenant;
  std::string token;
};
StatusOr<TenantAdmin> ProvisionTenant(const Server& server, const std::string& tenant);

// A tenant with an ADMIN token and a registered Ed25519 key, ready to commit.
struct Actor {
  std::string tenant;
  std::string token;
  trust::PrivateKey key;
  std::string key_id;
};

// Creates tenant `id` (kind MANUFACTURER unless given; a regulator's
// jurisdiction such as "US" or "SG" when not empty), an ADMIN token and a key.
Actor CreateActor(HttpClient& http, const std::string& operator_token, const std::string& id,
                  const std::string& kind = "MANUFACTURER", const std::string& jurisdiction = "");

std::map<std::string, std::string> Auth(const std::string& token);
std::map<std::string, std::string> JsonAuth(const std::string& token);

std::string DigestOf(const std::string& bytes);  // "sha256:<hex>"

// The transparency log's tree size, from its checkpoint (parsed with trust/,
// not sliced out of the note). Throws std::runtime_error when it is not one.
uint64_t LogSize(HttpClient& http, const std::string& token);

// Uploads bytes as a blob of the actor's tenant; returns the digest.
std::string UploadBlob(HttpClient& http, const Actor& actor, const std::string& bytes);

// The JSON commit request for `content` (already uploaded) as version `n`
// after `parent`, signed by `signer`.
std::string CommitBody(const Actor& actor, const std::string& object, uint64_t version,
                       const std::string& parent, const std::string& content_digest,
                       const trust::PrivateKey& signer,
                       const std::string& media_type = "application/vnd.dossier.v1+json");

// A small valid dossier whose section 2.04.01 holds `documents` (digests).
std::string MinimalDossierJson(const std::string& trade_name, const std::vector<std::string>& documents);

// One quarter of real-world performance results for the ThoraxTriage change
// plan (schema/pccp/testdata): East Asian sensitivity at the Singapore site is
// the value that may drift (the plan's bound is 0.88).
std::string PerformanceQuarterJson(const std::string& software_version, double east_asian_sg);

}  // namespace dossier::testing
