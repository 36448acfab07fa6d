#include "tests/security/tls_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace dossier::testing::security {
namespace fs = std::filesystem;
namespace http = boost::beast::http;

namespace {

std::string OpenSslError() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

void Check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what + ": " + OpenSslError());
}

EVP_PKEY* NewKey() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  Check(key != nullptr, "EC key generation");
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(ext != nullptr, std::string("extension ") + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named `cn`, signed by issuer_key (self-signed when
// issuer is null).
X509* MakeCert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, bool ca, bool server,
               long not_before_s, long not_after_s, long serial) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), not_before_s);
  X509_gmtime_adj(X509_getm_notAfter(cert), not_after_s);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Dossier test"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name);
  X509* signer = issuer ? issuer : cert;
  AddExtension(cert, signer, NID_subject_key_identifier, "hash");
  AddExtension(cert, signer, NID_authority_key_identifier, "keyid:always");
  if (ca) {
    AddExtension(cert, signer, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert, signer, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(cert, signer, NID_key_usage, "critical,digitalSignature");
    AddExtension(cert, signer, NID_ext_key_usage, server ? "serverAuth" : "clientAuth");
    if (server) AddExtension(cert, signer, NID_subject_alt_name, "IP:127.0.0.1");
  }
  Check(X509_sign(cert, issuer_key ? issuer_key : key, EVP_sha256()) > 0, "signing " + cn);
  return cert;
}

CertFiles Write(const fs::path& dir, const std::string& stem, X509* cert, EVP_PKEY* key) {
  CertFiles files{dir / (stem + ".crt"), dir / (stem + ".key"), ""};
  FILE* f = std::fopen(files.cert.c_str(), "w");
  Check(f && PEM_write_X509(f, cert), "writing " + files.cert.string());
  std::fclose(f);
  f = std::fopen(files.key.c_str(), "w");
  Check(f && PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr),
        "writing " + files.key.string());
  std::fclose(f);
  BIO* mem = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(mem, cert);
  char* data = nullptr;
  long len = BIO_get_mem_data(mem, &data);
  files.cert_pem.assign(data, static_cast<size_t>(len));
  BIO_free(mem);
  return files;
}

std::string Stem(const std::string& name) {
  std::string s;
  for (char c : name) s.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '-');
  return s;
}

}  // namespace

TestCa::TestCa(fs::path dir, const std::string& name) : dir_(std::move(dir)) {
  fs::create_directories(dir_);
  key_ = NewKey();
  cert_ = MakeCert(key_, name, nullptr, nullptr, /*ca=*/true, false, -86400, 30 * 86400, serial_++);
  files_ = Write(dir_, Stem(name), cert_, key_);
}

TestCa::~TestCa() {
  X509_free(cert_);
  EVP_PKEY_free(key_);
}

CertFiles TestCa::Issue(const std::string& name, bool server, long not_before_s, long not_after_s) {
  EVP_PKEY* key = NewKey();
  X509* cert = MakeCert(key, name, cert_, key_, /*ca=*/false, server, not_before_s, not_after_s, serial_++);
  CertFiles files = Write(dir_, Stem(name), cert, key);
  X509_free(cert);
  EVP_PKEY_free(key);
  return files;
}

TlsResult TlsRequest(unsigned short port, const TlsOptions& options, const std::string& method,
                     const std::string& target, const std::string& body,
                     const std::map<std::string, std::string>& headers) {
  TlsResult result;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  Check(ctx != nullptr, "SSL_CTX_new");
  // Let the client offer old protocols when asked to, so that a refusal is the server's.
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_cipher_list(ctx.get(), "DEFAULT:@SECLEVEL=0");
  if (options.min_version) SSL_CTX_set_min_proto_version(ctx.get(), options.min_version);
  if (options.max_version) SSL_CTX_set_max_proto_version(ctx.get(), options.max_version);
  Check(SSL_CTX_load_verify_locations(ctx.get(), options.trust.c_str(), nullptr) == 1,
        "loading the trust anchor");
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (options.client) {
    Check(SSL_CTX_use_certificate_chain_file(ctx.get(), options.client->cert.c_str()) == 1,
          "client certificate");
    Check(SSL_CTX_use_PrivateKey_file(ctx.get(), options.client->key.c_str(), SSL_FILETYPE_PEM) == 1,
          "client key");
  }

  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  Check(fd >= 0, "socket");
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    result.error = "connect failed";
    return result;
  }
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()),
                                "127.0.0.1");  // the server certificate names 127.0.0.1
  ERR_clear_error();
  if (SSL_connect(ssl.get()) != 1) {
    result.error = "handshake: " + OpenSslError();
    ::close(fd);
    return result;
  }
  result.handshake = true;
  result.version = SSL_version(ssl.get());

  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) request += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT")
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  std::string received;
  if (SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) <= 0) {
    result.error = "write: " + OpenSslError();
  } else {
    char buf[16384];
    while (true) {
      int n = SSL_read(ssl.get(), buf, sizeof buf);
      if (n <= 0) {
        const int err = SSL_get_error(ssl.get(), n);
        if (err != SSL_ERROR_ZERO_RETURN && received.empty()) result.error = "read: " + OpenSslError();
        break;
      }
      received.append(buf, static_cast<size_t>(n));
    }
  }
  SSL_shutdown(ssl.get());
  ::close(fd);
  if (received.empty()) {
    if (result.error.empty()) result.error = "the server closed the connection without answering";
    return result;
  }

  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(1ull << 30);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(received), ec);
  if (!parser.is_done()) parser.put_eof(ec);
  if (ec && !parser.is_header_done()) {
    result.error = "unparsable answer: " + received.substr(0, 200);
    return result;
  }
  const auto& res = parser.get();
  result.http.status = res.result_int();
  result.http.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.http.headers[name] = std::string(f.value());
  }
  return result;
}

}  // namespace dossier::testing::security
