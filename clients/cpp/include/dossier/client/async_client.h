// dossier::client::AsyncClient: the asynchronous form of the SDK for
// integrators who run their own Boost.Asio io_context.
//
// Each call starts the exchange on the client's strand and returns at once;
// the callback runs later, on that strand (a thread running the executor's
// io_context), exactly once, with the result. Requests from several calls run
// concurrently, each on its own pooled keep-alive connection. The same
// machinery implements the synchronous Client, so results, errors and retries
// are identical (see client.h).
//
// Ownership: Create returns a shared_ptr; every pending operation holds a
// reference, so the client lives until its last callback has run even if the
// caller drops it. The io_context must outlive the client and keep running
// until the callbacks have run.
//
// Thread-safety: all methods may be called from any thread.
// Cancellation: not supported per call; destroy the io_context to abandon all.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>

#include "common/status.h"
#include "dossier/client/options.h"
#include "dossier/client/types.h"
#include "trust/keys.h"

namespace dossier::client {

class ClientCore;  // internal

template <typename T>
using Callback = std::function<void(StatusOr<T>)>;

class AsyncClient {
 public:
  static StatusOr<std::shared_ptr<AsyncClient>> Create(boost::asio::any_io_executor executor,
                                                       ClientOptions options);
  ~AsyncClient();

  // As Client::Commit: uploads the content, signs with `signer`, commits.
  void Commit(CommitRequest request, trust::PrivateKey signer, Callback<CommitResult> done);
  void GetVersion(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                  Callback<Version> done);
  void GetVersionContent(std::string tenant, ObjectKind kind, std::string id, uint64_t version,
                         Callback<std::string> done);
  void GetObject(std::string tenant, ObjectKind kind, std::string id, Callback<ObjectInfo> done);
  void ListVersions(std::string tenant, ObjectKind kind, std::string id, std::string page_token,
                    Callback<VersionPage> done);
  void UploadBytes(std::string tenant, std::string bytes, Callback<BlobInfo> done);
  void GetCheckpoint(Callback<trust::Checkpoint> done);
  // Any route, as Client::Call.
  void Call(std::string method, std::string target, std::string body, Callback<RawResponse> done);

 private:
  explicit AsyncClient(std::shared_ptr<ClientCore> core);
  std::shared_ptr<ClientCore> core_;
};

}  // namespace dossier::client
