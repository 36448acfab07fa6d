// Internal: the operations of the SDK as coroutines on the transport's strand,
// shared by Client (which runs them on its own io_context) and AsyncClient
// (which runs them on the integrator's executor).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>
#include <map>
#include <memory>
#include <optional>

#include "dossier/client/client.h"
#include "transport.h"
#include "trust/bundle.h"
#include "trust/statement.h"

namespace dossier::client {

namespace internal {
// Path segment, percent-encoded (unreserved characters kept).
std::string Enc(std::string_view s);
// Member readers for server JSON: a missing or mistyped member reads as "" or
// 0; a uint64 may also come as a decimal string (protobuf's JSON mapping).
std::string Str(const boost::json::object& o, std::string_view key);
uint64_t U64(const boost::json::object& o, std::string_view key);
}  // namespace internal

class ClientCore {
 public:
  template <typename T>
  using Task = boost::asio::awaitable<StatusOr<T>>;

  static StatusOr<std::shared_ptr<ClientCore>> Create(boost::asio::any_io_executor executor,
                                                      ClientOptions options);

  const ClientOptions& options() const { return options_; }
  boost::asio::any_io_executor strand() const { return transport_->strand(); }

  // Every parameter is taken by value: a coroutine outlives its caller's frame.
  Task<internal::HttpResponse> Call(internal::HttpRequest request);  // 2xx or the problem as Status
  Task<boost::json::object> CallJson(std::string method, std::string target, std::string body,
                                     bool idempotent);
  Task<RawResponse> CallRaw(std::string method, std::string target, std::string body);

  Task<std::optional<BlobInfo>> StatBlob(std::string tenant, std::string digest);
  Task<BlobInfo> UploadFile(std::string tenant, std::filesystem::path path, bool skip_existing,
                            ProgressFn progress);
  Task<BlobInfo> UploadBytes(std::string tenant, std::string bytes);
  Task<BlobInfo> DownloadToFile(std::string tenant, std::string digest, std::filesystem::path path,
                                ProgressFn progress);
  Task<ObjectInfo> GetObject(std::string tenant, ObjectKind kind, std::string id);
  Task<CommitResult> Commit(CommitRequest request, trust::PrivateKey signer);
  // Uploads `content`, signs the statement {tenant, object, version, parent,
  // digest, media type} and POSTs it to `target`; checks the receipt.
  Task<CommitResult> CommitStatement(trust::Statement statement, std::string target, std::string content,
                                     std::string message, trust::PrivateKey signer);
  Task<std::vector<VersionInfo>> ListDecisions(std::string tenant, std::string submission);
  Task<CommitResult> CommitDecision(std::string tenant, Decision decision, trust::PrivateKey signer);
  Task<VersionPage> ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                                 int page_size);
  Task<Version> GetVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version);
  Task<std::string> GetVersionContent(std::string tenant, ObjectKind kind, std::string id, uint64_t version);
  Task<trust::Bundle> GetBundle(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                                std::string* raw_json);
  Task<trust::BundleVerification> VerifyVersion(std::string tenant, ObjectKind kind, std::string id,
                                                uint64_t version);
  Task<LogPublicKey> GetLogPublicKey();
  Task<trust::Checkpoint> GetCheckpoint();
  Task<bool> Remember(trust::Checkpoint checkpoint);
  Task<std::vector<std::string>> Proof(std::string target);
  Task<RawResponse> Import(std::string tenant, std::string format, std::filesystem::path path,
                           ProgressFn progress);
  Task<bool> Export(std::string tenant, std::string dossier, uint64_t version, std::string format,
                    std::filesystem::path path, ProgressFn progress);

 private:
  ClientCore(ClientOptions options, std::shared_ptr<internal::Transport> transport)
      : options_(std::move(options)), transport_(std::move(transport)) {}
  std::string ObjectPath(const std::string& tenant, ObjectKind kind, const std::string& id) const;
  void LoadCheckpointFile();
  Status SaveCheckpointFile();

  struct Remembered {
    uint64_t size = 0;
    std::string root;
  };
  ClientOptions options_;
  std::shared_ptr<internal::Transport> transport_;
  std::optional<LogPublicKey> log_key_;  // pinned on first fetch
  bool checkpoint_file_loaded_ = false;
  std::map<std::string, Remembered> checkpoints_;  // by server key
};

// Runs `task` on `core`'s strand and hands its result to `done` (exactly once,
// also when the coroutine throws, e.g. std::bad_alloc).
template <typename T>
boost::asio::awaitable<void> RunAndDeliver(std::shared_ptr<ClientCore> keep_alive,
                                           boost::asio::awaitable<StatusOr<T>> task,
                                           std::function<void(StatusOr<T>)> done) {
  std::optional<StatusOr<T>> result;
  try {
    result.emplace(co_await std::move(task));
  } catch (const std::exception& e) {
    result.emplace(Internal(std::string("unexpected failure in the client: ") + e.what()));
  }
  done(std::move(*result));
  (void)keep_alive;
}

template <typename T>
void Spawn(std::shared_ptr<ClientCore> core, boost::asio::awaitable<StatusOr<T>> task,
           std::function<void(StatusOr<T>)> done) {
  auto strand = core->strand();
  boost::asio::co_spawn(strand, RunAndDeliver<T>(std::move(core), std::move(task), std::move(done)),
                        boost::asio::detached);
}

}  // namespace dossier::client
