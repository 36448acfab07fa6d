// Idempotency independent of the signature scheme, against a real dossierd:
// a P-256 commit re-run (signed anew: ECDSA signatures are randomised, so the
// envelope differs) answers its original receipt, before and after a restart
// of the server; a key reused for another statement is refused.
#define BOOST_TEST_MODULE client_idempotency_test
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <csignal>

#include "dossier/client/client.h"
#include "tests/support/harness.h"

using namespace dossier;
using namespace dossier::client;
namespace json = boost::json;

namespace {

std::unique_ptr<Client> MakeClient(const testing::Server& server, const std::string& token) {
  ClientOptions o;
  o.base_url = server.url();
  o.token = token;
  auto c = Client::Create(o);
  BOOST_REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  return std::move(c).value();
}

}  // namespace

BOOST_AUTO_TEST_CASE(replayed_p256_commit_answers_its_original_receipt_across_a_restart) {
  testing::TempDir dir;
  auto server = testing::Server::Start(dir.path() / "data").value();
  auto admin = testing::ProvisionTenant(*server, "acme").value();
  auto client = MakeClient(*server, admin.token);
  auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEcdsaP256).value();
  BOOST_REQUIRE(client->RegisterKey("acme", key.public_key(), "release").ok());
  BOOST_REQUIRE(client->CreateDossier("acme", "scanner").ok());

  // The caller pins version and parent, as a job that must not commit twice does.
  const CommitRequest request{.tenant = "acme",
                              .id = "scanner",
                              .content = testing::MinimalDossierJson("Scanner", {}),
                              .version = 1,
                              .parent_digest = std::string()};
  auto first = client->Commit(request, key);
  BOOST_REQUIRE_MESSAGE(first.ok(), first.status().ToString());
  BOOST_TEST(!first->already_committed);

  auto again = client->Commit(request, key);
  BOOST_REQUIRE_MESSAGE(again.ok(), again.status().ToString());
  BOOST_TEST(again->already_committed);
  BOOST_TEST(again->version.version == 1u);
  BOOST_TEST(again->receipt.log_index == first->receipt.log_index);
  BOOST_TEST(again->receipt.leaf_hash == first->receipt.leaf_hash);
  BOOST_TEST(again->receipt.signature == first->receipt.signature);
  BOOST_TEST(again->receipt.signature_verified);

  // The key is stored with the version: a crash and restart keep the answer.
  server->Stop(SIGKILL);
  server = testing::Server::Start(dir.path() / "data").value();
  client = MakeClient(*server, admin.token);
  auto after_restart = client->Commit(request, key);
  BOOST_REQUIRE_MESSAGE(after_restart.ok(), after_restart.status().ToString());
  BOOST_TEST(after_restart->already_committed);
  BOOST_TEST(after_restart->receipt.log_index == first->receipt.log_index);
  BOOST_TEST(after_restart->receipt.signature == first->receipt.signature);

  auto versions = client->AllVersions("acme", ObjectKind::kDossier, "scanner");
  BOOST_REQUIRE(versions.ok());
  BOOST_TEST(versions->size() == 1u);

  // A retry is only answered to a registered key's signature.
  auto stranger = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEcdsaP256).value();
  BOOST_TEST(client->Commit(request, stranger).status().reason() == "unknown-key");
}

BOOST_AUTO_TEST_CASE(a_key_reused_for_another_statement_is_refused) {
  testing::TempDir dir;
  auto server = testing::Server::Start(dir.path() / "data").value();
  auto admin = testing::ProvisionTenant(*server, "acme").value();
  auto client = MakeClient(*server, admin.token);
  auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEcdsaP256).value();
  BOOST_REQUIRE(client->RegisterKey("acme", key.public_key(), "release").ok());
  BOOST_REQUIRE(client->CreateDossier("acme", "scanner").ok());

  CommitRequest job{.tenant = "acme",
                    .id = "scanner",
                    .content = testing::MinimalDossierJson("Scanner", {}),
                    .version = 1,
                    .parent_digest = std::string(),
                    .idempotency_key = "release-job-42"};
  auto committed = client->Commit(job, key);
  BOOST_REQUIRE_MESSAGE(committed.ok(), committed.status().ToString());
  BOOST_TEST(client->Commit(job, key)->already_committed);

  // Same key, same version, other content: not a retry.
  CommitRequest other_content = job;
  other_content.content = testing::MinimalDossierJson("Scanner, renamed", {});
  auto refused = client->Commit(other_content, key);
  BOOST_TEST(refused.status().reason() == "idempotency-key-reused");
  BOOST_TEST(refused.status().field() == "Idempotency-Key");
  BOOST_TEST(refused.status().http_status() == 422);

  // Same key for the next version: not a retry either.
  CommitRequest next{.tenant = "acme",
                     .id = "scanner",
                     .content = testing::MinimalDossierJson("Scanner 2", {}),
                     .idempotency_key = "release-job-42"};
  BOOST_TEST(client->Commit(next, key).status().reason() == "idempotency-key-reused");
  next.idempotency_key = "release-job-43";
  auto second = client->Commit(next, key);
  BOOST_REQUIRE_MESSAGE(second.ok(), second.status().ToString());
  BOOST_TEST(second->version.version == 2u);

  CommitRequest malformed = next;
  malformed.idempotency_key = "has a space";
  BOOST_TEST(client->Commit(malformed, key).status().reason() == "bad-idempotency-key");
  malformed.idempotency_key = std::string(129, 'k');
  BOOST_TEST(client->Commit(malformed, key).status().reason() == "bad-idempotency-key");
}
