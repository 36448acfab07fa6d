// TLS for the security tests: a throw-away PKI generated with the OpenSSL API
// (a CA, server and client certificates, expired ones) and a small blocking
// HTTPS client whose protocol versions and client certificate are chosen by
// the test.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "tests/support/harness.h"

typedef struct evp_pkey_st EVP_PKEY;
typedef struct x509_st X509;

namespace dossier::testing::security {

// A certificate and its private key, as PEM files.
struct CertFiles {
  std::filesystem::path cert, key;
  std::string cert_pem;
};

// A self-signed certificate authority (EC P-256) writing its files into `dir`.
class TestCa {
 public:
  TestCa(std::filesystem::path dir, const std::string& name);
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const CertFiles& files() const { return files_; }

  // A leaf certificate named `name`, valid from now + not_before_s to now +
  // not_after_s. A server certificate carries subjectAltName IP:127.0.0.1.
  CertFiles Issue(const std::string& name, bool server, long not_before_s = -3600, long not_after_s = 86400);

 private:
  std::filesystem::path dir_;
  EVP_PKEY* key_ = nullptr;
  X509* cert_ = nullptr;
  CertFiles files_;
  long serial_ = 1;
};

struct TlsOptions {
  std::filesystem::path trust;           // CA that must have signed the server's certificate
  std::optional<CertFiles> client;       // present this client certificate
  int min_version = 0, max_version = 0;  // TLS1_2_VERSION etc.; 0: library default
};

struct TlsResult {
  bool handshake = false;  // the client completed its side of the handshake
  int version = 0;         // the negotiated protocol (TLS1_2_VERSION, TLS1_3_VERSION)
  std::string error;       // why no HTTP answer arrived, when none did
  HttpResult http;         // status 0 when the server answered nothing
};

// One request over a fresh TLS connection to 127.0.0.1:port (Connection: close).
TlsResult TlsRequest(unsigned short port, const TlsOptions& options, const std::string& method,
                     const std::string& target, const std::string& body = {},
                     const std::map<std::string, std::string>& headers = {});

}  // namespace dossier::testing::security
