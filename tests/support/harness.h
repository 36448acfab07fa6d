// Test harness: starts the real dossierd on 127.0.0.1 with a temporary data
// directory and talks plain HTTP/1.1 to it. Used by the end-to-end tests.
#pragma once

#include <sys/types.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "trust/keys.h"

namespace dossier::testing {

// A fresh directory under /tmp, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The built binaries (DOSSIER_BIN_DIR, set by CTest).
std::filesystem::path BinDir();

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  boost::json::value Json() const;              // null when the body is not JSON
  std::string ProblemCode() const;              // the problem's "code", or ""
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

// A dossierd child process.
class Server {
 public:
  // Starts `dossierd serve --data DIR --listen 127.0.0.1:PORT` (port 0: any)
  // and waits until it listens. `extra` are more flags.
  explicit Server(std::filesystem::path data_dir, std::vector<std::string> extra = {}, unsigned short port = 0);
  ~Server();  // SIGTERM, then SIGKILL if it does not stop in 10 s

  unsigned short port() const { return port_; }
  std::string operator_token() const;
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::filesystem::path stderr_path() const { return data_dir_ / "dossierd.stderr"; }
  // Sends `signal` and waits for the process to exit; returns its wait status.
  int Stop(int signal);
  bool running() const { return pid_ > 0; }

 private:
  std::filesystem::path data_dir_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

// A tenant with an ADMIN token and a registered Ed25519 key, ready to commit.
struct Actor {
  std::string tenant;
  std::string token;
  trust::PrivateKey key;
  std::string key_id;
};

// Creates tenant `id` (kind MANUFACTURER unless given), an ADMIN token and a key.
Actor CreateActor(HttpClient& http, const std::string& operator_token, const std::string& id,
                  const std::string& kind = "MANUFACTURER");

std::map<std::string, std::string> Auth(const std::string& token);
std::map<std::string, std::string> JsonAuth(const std::string& token);

std::string DigestOf(const std::string& bytes);  // "sha256:<hex>"

// Uploads bytes as a blob of the actor's tenant; returns the digest.
std::string UploadBlob(HttpClient& http, const Actor& actor, const std::string& bytes);

// The JSON commit request for `content` (already uploaded) as version `n`
// after `parent`, signed by `signer`.
std::string CommitBody(const Actor& actor, const std::string& object, uint64_t version, const std::string& parent,
                       const std::string& content_digest, const trust::PrivateKey& signer,
                       const std::string& media_type = "application/vnd.dossier.v1+json");

// A small valid dossier whose section 2.04.01 holds `documents` (digests).
std::string MinimalDossierJson(const std::string& trade_name, const std::vector<std::string>& documents);

}  // namespace dossier::testing
