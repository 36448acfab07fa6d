// Test support: the real Api (every route module, the real admission path of
// rate limit, authentication, authorisation and audit) over a real RocksStore
// in a fresh temporary directory, driven by calling Handle() directly. For
// handler tests that need no socket and no forked dossierd. Test-only.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/api.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace dossier::server {

// A request the server must refuse, and the problem it must answer.
struct Refusal {
  std::string method, target, body;
  int status = 0;
  std::string code, field;  // the problem's "code" and "field" ("" when it has none)
};

class InProcessApi {
 public:
  // Opens the store (without fsync: durability is not what these tests
  // check), creates the log key and the operator token, builds the Api.
  // Throws std::runtime_error when any of that fails, which fails the test.
  InProcessApi();

  // Where the store lives and how it writes, for tests that reopen it (the
  // crash sweep): the folder is the caller's and outlives this object.
  struct StoreSetup {
    std::filesystem::path data_dir;
    std::shared_ptr<rocksdb::FileSystem> file_system;  // null: the real one
    bool sync_writes = true;                           // StoreOptions::sync_writes
    bool sync_blobs = true;                            // StoreOptions::sync_blobs
  };
  // Opens the store in setup.data_dir, creating it when absent. A fresh store
  // bootstraps the operator; a reopened one reads the operator token from the
  // data folder, as dossierd's operator does. Throws like the above.
  explicit InProcessApi(const StoreSetup& setup);
  ~InProcessApi();
  InProcessApi(const InProcessApi&) = delete;
  InProcessApi& operator=(const InProcessApi&) = delete;

  Api& api() { return *api_; }
  storage::Store& store() { return *store_; }
  const std::string& operator_token() const { return operator_token_; }

  // One request as the session layer runs it: `target` (path and query) is
  // decoded by the server's own request decoding; a route that streams its
  // body (uploads) gets it staged in a file first, after the same early
  // admission check. A non-empty `token` is sent as a bearer credential; a
  // non-empty body is sent as application/json unless `headers` says otherwise.
  Response Call(const std::string& method, const std::string& target, const std::string& body = {},
                const std::string& token = {}, const std::map<std::string, std::string>& headers = {});

  // A bodiless request from a client whose TLS certificate (already verified
  // by the TLS layer) has the SPKI SHA-256 `spki_sha256_hex`, without a token.
  Response CallWithClientCertificate(const std::string& method, const std::string& target,
                                     const std::string& spki_sha256_hex);

  // Sends each refusal's request with `token`; returns "" when every answer
  // is the expected problem, else one line per answer that is not.
  std::string RefusalMismatches(const std::string& token, const std::vector<Refusal>& refusals);

  // Setup shortcuts over Call(); each throws std::runtime_error (naming the
  // answer) when the server does not answer 201.
  void CreateTenant(const std::string& id, const std::string& kind = "MANUFACTURER");
  // Issues a token of `role` in `tenant` and returns its secret.
  std::string IssueToken(const std::string& tenant, const std::string& role);

 private:
  Response Send(const std::string& method, const std::string& target, const std::string& body,
                const std::string& token, const std::map<std::string, std::string>& headers,
                const std::string& client_spki_sha256);
  Response Handle(Request& request);

  void Open(const StoreSetup& setup);

  std::optional<testing::TempDir> own_dir_;  // when the caller named no folder
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Api> api_;
  std::string operator_token_;
  int staged_uploads_ = 0;
};

// The "code" (the stable reason) and "field" of a problem+json answer; empty
// when the answer is not a problem document or has no such member.
std::string ProblemCode(const Response& response);
std::string ProblemField(const Response& response);

}  // namespace dossier::server
