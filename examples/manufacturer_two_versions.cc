// Example (a): a manufacturer of an AI imaging device creates its dossier and
// commits two signed versions with the C++ SDK.
//
// Needs DOSSIER_SERVER, DOSSIER_TENANT and DOSSIER_TOKEN (an ADMIN token of a
// manufacturer tenant) in the environment.
#include <dossier/client/client.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>

namespace json = boost::json;
using namespace dossier;

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

int Fail(const std::string& what, const Status& status) {
  std::cerr << what << ": " << status.ToString() << "\n";
  return 1;
}

// The dossier content: device identity plus ToC sections naming documents by digest.
std::string Content(const std::vector<std::pair<std::string, client::BlobInfo>>& documents) {
  json::array sections;
  for (const auto& [code, blob] : documents) {
    sections.push_back(json::object{{"code", code},
                                    {"documents", json::array{json::object{{"digest", blob.digest},
                                                                           {"mediaType", "application/pdf"},
                                                                           {"fileName", code + ".pdf"}}}}});
  }
  json::object dossier{
      {"tocEdition", "IMDRF-N9-ED4"},
      {"device", json::object{{"tradeName", "ThoraxTriage AI"},
                              {"identifiers",
                               json::array{json::object{
                                   {"type", "UDI_DI"}, {"value", "08500123450017"}, {"issuer", "GS1"}}}}}},
      {"intendedUse", "Flags chest X-rays suspicious for pneumothorax for prioritised review."},
      {"sections", sections}};
  return json::serialize(dossier);
}

}  // namespace

int main() {
  client::ClientOptions options;
  options.base_url = Env("DOSSIER_SERVER");
  options.token = Env("DOSSIER_TOKEN");
  const std::string tenant = Env("DOSSIER_TENANT");
  auto created_client = client::Client::Create(options);
  if (!created_client.ok()) return Fail("client", created_client.status());
  client::Client& api = **created_client;

  // 1. A signing key. In production it would live in an HSM or a key file;
  //    only the public half is registered with the server.
  auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519);
  auto registered = api.RegisterKey(tenant, key->public_key(), "release signing");
  if (!registered.ok()) return Fail("register key", registered.status());
  std::cout << "registered key " << registered->key_id << "\n";

  // 2. The dossier.
  auto dossier = api.CreateDossier(tenant, "thorax-triage", "ThoraxTriage AI");
  if (!dossier.ok()) return Fail("create dossier", dossier.status());

  // 3. Version 1: device description and software V&V.
  auto description = api.UploadBytes(tenant, "%PDF-1.7 device description ...");
  auto validation = api.UploadBytes(tenant, "%PDF-1.7 software verification and validation ...");
  if (!description.ok() || !validation.ok()) return Fail("upload", description.status());
  client::CommitRequest commit;
  commit.tenant = tenant;
  commit.id = "thorax-triage";
  commit.content = Content({{"2.04.01", *description}, {"3.05.05.08", *validation}});
  commit.message = "initial submission content";
  auto v1 = api.Commit(commit, *key);
  if (!v1.ok()) return Fail("commit version 1", v1.status());
  std::cout << "version " << v1->version.version << " " << v1->version.digest << " (log index "
            << v1->receipt.log_index << ", receipt verified: " << std::boolalpha
            << v1->receipt.signature_verified << ")\n";

  // 4. Version 2: the clinical evaluation arrives. Commit() reads the head and
  //    names version 1 as the parent, so the versions form a hash chain.
  auto clinical = api.UploadBytes(tenant, "%PDF-1.7 clinical evaluation report ...");
  if (!clinical.ok()) return Fail("upload", clinical.status());
  commit.content = Content({{"2.04.01", *description}, {"3.05.05.08", *validation}, {"4.01", *clinical}});
  commit.message = "add clinical evidence";
  auto v2 = api.Commit(commit, *key);
  if (!v2.ok()) return Fail("commit version 2", v2.status());
  std::cout << "version " << v2->version.version << " " << v2->version.digest << " parent "
            << v2->version.parent_digest << "\n";

  // 5. Anyone can check it: bundle + content, verified against the log key.
  auto verified = api.VerifyVersion(tenant, client::ObjectKind::kDossier, "thorax-triage", 2);
  if (!verified.ok()) return Fail("verify", verified.status());
  std::cout << "verified version 2 in a log of " << verified->checkpoint.tree_size << " entries\n";
  return 0;
}
