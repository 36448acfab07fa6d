// Builds against the installed package only: creates a client, signs a
// statement locally, checks that an unreachable server is a clean error (also
// through AsyncClient) and that the ToC-folder helpers carry their ToC data.
#include <dossier/client/async_client.h>
#include <dossier/client/client.h>
#include <dossier/client/toc_folder.h>

#include <boost/asio/io_context.hpp>
#include <iostream>

#include "trust/dsse.h"
#include "trust/statement.h"

int main() {
  dossier::client::ClientOptions options;
  options.base_url = "http://127.0.0.1:1";  // nothing listens on port 1
  options.max_retries = 0;
  auto client = dossier::client::Client::Create(options);
  if (!client.ok()) return 1;
  auto key = dossier::trust::PrivateKey::Generate(dossier::trust::KeyAlgorithm::kEd25519);
  dossier::trust::Statement statement{
      "acme", "dossiers/x", 1, "", "sha256:" + std::string(64, '0'), "application/vnd.dossier.v1+json"};
  auto envelope = dossier::trust::SignEnvelope(dossier::trust::kStatementPayloadType,
                                               dossier::trust::SerializeStatement(statement), *key);
  if (!envelope.ok() || !dossier::trust::VerifyEnvelope(*envelope, key->public_key()).ok()) return 1;
  auto ready = (*client)->Ready();
  if (!dossier::client::IsTransportError(ready)) return 1;
  boost::asio::io_context ioc;
  auto async = dossier::client::AsyncClient::Create(ioc.get_executor(), options);
  if (!async.ok()) return 1;
  bool async_failed_cleanly = false;
  (*async)->Ready([&](dossier::Status s) { async_failed_cleanly = dossier::client::IsTransportError(s); });
  ioc.run();
  if (!async_failed_cleanly) return 1;
  if (dossier::client::MediaTypeForFile("report.pdf") != "application/pdf") return 1;
  if (dossier::client::TocRank("IMDRF-N9-ED4", "1.01") >=
      dossier::client::TocRank("IMDRF-N9-ED4", "3.05.05.08"))
    return 1;
  std::cout << "consumer ok: " << ready.reason() << "\n";
  return 0;
}
