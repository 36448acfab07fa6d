// End-to-end: the SDK against a real dossierd on 127.0.0.1, nothing else.
#define BOOST_TEST_MODULE client_e2e_test
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <random>
#include <thread>

#include "dossier/client/async_client.h"
#include "dossier/client/client.h"
#include "tests/support/harness.h"
#include "trust/digest.h"
#include "trust/encoding.h"

using namespace dossier;
using namespace dossier::client;
using dossier::testing::ParseObject;
using dossier::testing::ReadFile;
using dossier::testing::WriteFile;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string DossierJson(const std::string& trade_name, const std::vector<std::string>& digests,
                        const std::string& code = "3.05.05.08") {
  json::array docs;
  int i = 0;
  for (const auto& d : digests) {
    docs.push_back(json::object{
        {"digest", d}, {"mediaType", "application/pdf"}, {"fileName", "doc" + std::to_string(i++) + ".pdf"}});
  }
  json::object dossier{{"tocEdition", "IMDRF-N9-ED4"},
                       {"device", json::object{{"tradeName", trade_name}}},
                       {"sections", json::array{json::object{{"code", code}, {"documents", docs}}}}};
  return json::serialize(dossier);
}

// One server and one tenant for the whole suite (starting dossierd costs time).
struct Env {
  testing::TempDir dir;
  std::unique_ptr<testing::Server> server;
  testing::TenantAdmin admin;
  std::unique_ptr<Client> client;
  trust::PrivateKey ed25519 = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  trust::PrivateKey p256 = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEcdsaP256).value();

  Env() {
    auto s = testing::Server::Start(dir.path() / "data");
    BOOST_REQUIRE_MESSAGE(s.ok(), s.status().ToString());
    server = std::move(s).value();
    auto a = testing::ProvisionTenant(*server, "acme-imaging");
    BOOST_REQUIRE_MESSAGE(a.ok(), a.status().ToString());
    admin = *a;
    client = MakeClient(admin.token);
  }

  std::unique_ptr<Client> MakeClient(const std::string& token, const fs::path& checkpoint_file = {}) {
    ClientOptions o;
    o.base_url = server->url();
    o.token = token;
    o.checkpoint_file = checkpoint_file;
    auto c = Client::Create(o);
    BOOST_REQUIRE_MESSAGE(c.ok(), c.status().ToString());
    return std::move(c).value();
  }

  std::shared_ptr<AsyncClient> MakeAsyncClient(boost::asio::io_context& ioc) {
    ClientOptions o;
    o.base_url = server->url();
    o.token = admin.token;
    auto c = AsyncClient::Create(ioc.get_executor(), o);
    BOOST_REQUIRE_MESSAGE(c.ok(), c.status().ToString());
    return std::move(c).value();
  }
};

Env& E() {
  static Env env;
  return env;
}

}  // namespace

BOOST_AUTO_TEST_CASE(options_are_validated) {
  ClientOptions o;
  o.base_url = "ftp://example.org";
  BOOST_TEST(Client::Create(o).status().reason() == "bad-url");
  o.base_url = "not a url";
  BOOST_TEST(Client::Create(o).status().reason() == "bad-url");
  o.base_url = "https://127.0.0.1:1";
  o.ca_file = "/nonexistent/ca.pem";
  BOOST_TEST(Client::Create(o).status().reason() == "io-error");
}

BOOST_AUTO_TEST_CASE(keys_blobs_and_resumed_download) {
  auto& e = E();
  auto& c = *e.client;
  BOOST_REQUIRE(c.Ready().ok());
  auto k1 = c.RegisterKey(e.admin.tenant, e.ed25519.public_key(), "ed25519");
  BOOST_REQUIRE_MESSAGE(k1.ok(), k1.status().ToString());
  BOOST_TEST(k1->key_id == e.ed25519.public_key().KeyId());
  auto k2 = c.RegisterKey(e.admin.tenant, e.p256.public_key(), "p256");
  BOOST_REQUIRE_MESSAGE(k2.ok(), k2.status().ToString());
  auto keys = c.ListKeys(e.admin.tenant);
  BOOST_REQUIRE(keys.ok());
  BOOST_TEST(keys->size() == 2u);

  const fs::path file = e.dir.path() / "report.pdf";
  const std::string bytes = RandomBytes(3 * 1024 * 1024 + 17, 1);
  WriteFile(file, bytes);
  uint64_t last_progress = 0;
  auto up = c.UploadFile(e.admin.tenant, file, [&](uint64_t done, uint64_t) { last_progress = done; });
  BOOST_REQUIRE_MESSAGE(up.ok(), up.status().ToString());
  BOOST_TEST(up->digest == trust::DigestRef(trust::Sha256(bytes)));
  BOOST_TEST(up->size == bytes.size());
  BOOST_TEST(last_progress == bytes.size());
  auto again = c.UploadFileIfMissing(e.admin.tenant, file);
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(!again->created);
  auto stat = c.StatBlob(e.admin.tenant, up->digest);
  BOOST_REQUIRE(stat.ok());
  BOOST_REQUIRE(stat->has_value());
  BOOST_TEST((*stat)->size == bytes.size());
  auto missing = c.StatBlob(e.admin.tenant, trust::DigestRef(trust::Sha256("nope")));
  BOOST_REQUIRE(missing.ok());
  BOOST_TEST(!missing->has_value());

  // A download interrupted after 1000 bytes is resumed with Range.
  const fs::path partial = e.dir.path() / "partial.pdf";
  WriteFile(partial, bytes.substr(0, 1000));
  auto down = c.DownloadToFile(e.admin.tenant, up->digest, partial);
  BOOST_REQUIRE_MESSAGE(down.ok(), down.status().ToString());
  BOOST_TEST((ReadFile(partial) == bytes));
  // A corrupt local prefix is detected and fetched again from scratch.
  WriteFile(partial, "garbage" + bytes.substr(7, 5000));
  down = c.DownloadToFile(e.admin.tenant, up->digest, partial);
  BOOST_REQUIRE_MESSAGE(down.ok(), down.status().ToString());
  BOOST_TEST((ReadFile(partial) == bytes));
  // A missing blob is NOT_FOUND with the server's code.
  auto absent =
      c.DownloadToFile(e.admin.tenant, trust::DigestRef(trust::Sha256("x")), e.dir.path() / "absent");
  BOOST_TEST(absent.status().code() == StatusCode::kNotFound);
}

BOOST_AUTO_TEST_CASE(commit_history_diff_verify) {
  auto& e = E();
  auto& c = *e.client;
  const std::string t = e.admin.tenant;
  auto doc1 = c.UploadBytes(t, "design verification report v1");
  auto doc2 = c.UploadBytes(t, "software validation report");
  BOOST_REQUIRE(doc1.ok() && doc2.ok());
  auto created = c.CreateDossier(t, "cxr-triage", "AI chest X-ray triage");
  BOOST_REQUIRE_MESSAGE(created.ok(), created.status().ToString());
  BOOST_TEST(c.CreateDossier(t, "cxr-triage").status().reason() == "object-exists");

  CommitRequest req;
  req.tenant = t;
  req.id = "cxr-triage";
  req.content = DossierJson("ThoraxTriage AI", {doc1->digest});
  req.message = "first";
  auto v1 = c.Commit(req, e.ed25519);
  BOOST_REQUIRE_MESSAGE(v1.ok(), v1.status().ToString());
  BOOST_TEST(v1->version.version == 1u);
  BOOST_TEST(v1->receipt.signature_verified);
  BOOST_TEST(!v1->already_committed);

  // Re-posting the very same signed statement (Ed25519 is deterministic) is
  // answered with the original receipt: commits are safe to retry.
  CommitRequest retry = req;
  retry.version = 1;
  retry.parent_digest = "";
  auto replay = c.Commit(retry, e.ed25519);
  BOOST_REQUIRE_MESSAGE(replay.ok(), replay.status().ToString());
  BOOST_TEST(replay->already_committed);
  BOOST_TEST(replay->receipt.log_index == v1->receipt.log_index);

  req.content = DossierJson("ThoraxTriage AI", {doc1->digest, doc2->digest});
  req.message = "second, signed with P-256";
  auto v2 = c.Commit(req, e.p256);
  BOOST_REQUIRE_MESSAGE(v2.ok(), v2.status().ToString());
  BOOST_TEST(v2->version.version == 2u);
  BOOST_TEST(v2->version.parent_digest == v1->version.digest);

  // A stale parent is refused with the server's code.
  CommitRequest stale = req;
  stale.content = DossierJson("Other", {doc1->digest});
  stale.version = 2;
  stale.parent_digest = v1->version.digest;
  auto refused = c.Commit(stale, e.ed25519);
  BOOST_TEST(refused.status().code() == StatusCode::kFailedPrecondition);
  BOOST_TEST(
      (refused.status().reason() == "version-mismatch" || refused.status().reason() == "parent-mismatch"));

  // Invalid content: the problem's code and field come through.
  CommitRequest bad = req;
  bad.content = DossierJson("X", {doc1->digest}, "9.99");
  auto invalid = c.Commit(bad, e.ed25519);
  BOOST_TEST(invalid.status().reason() == "unknown-toc-code");
  BOOST_TEST(invalid.status().field() == "content.sections[0].code");

  // History with pagination.
  auto page = c.ListVersions(t, ObjectKind::kDossier, "cxr-triage", "", 1);
  BOOST_REQUIRE(page.ok());
  BOOST_TEST(page->versions.size() == 1u);
  BOOST_TEST(!page->next_page_token.empty());
  auto all = c.AllVersions(t, ObjectKind::kDossier, "cxr-triage");
  BOOST_REQUIRE(all.ok());
  BOOST_TEST(all->size() == 2u);
  BOOST_TEST((*all)[1].message == "second, signed with P-256");

  auto v = c.GetVersion(t, ObjectKind::kDossier, "cxr-triage", 2);
  BOOST_REQUIRE(v.ok());
  BOOST_TEST(boost::json::parse(v->content_json_text).at("device").at("tradeName").as_string() ==
             "ThoraxTriage AI");
  auto content = c.GetVersionContent(t, ObjectKind::kDossier, "cxr-triage", 2);
  BOOST_REQUIRE(content.ok());
  BOOST_TEST(*content == req.content);

  auto diff = c.Diff(t, "cxr-triage", 1, 2);
  BOOST_REQUIRE_MESSAGE(diff.ok(), diff.status().ToString());
  const boost::json::object diff_json = ParseObject(*diff);
  const auto& changed = diff_json.at("sections").as_array().at(0).as_object();
  BOOST_TEST(changed.at("code").as_string() == "3.05.05.08");
  BOOST_TEST(changed.at("documentsAdded").as_array().at(0).as_string() == doc2->digest);

  // Offline verification, and the tampered cases.
  auto verified = c.VerifyVersion(t, ObjectKind::kDossier, "cxr-triage", 2);
  BOOST_REQUIRE_MESSAGE(verified.ok(), verified.status().ToString());
  BOOST_TEST(verified->signer_key_id == e.p256.public_key().KeyId());
  auto bundle = c.GetBundle(t, ObjectKind::kDossier, "cxr-triage", 2);
  auto log_key = c.GetLogPublicKey();
  BOOST_REQUIRE(bundle.ok() && log_key.ok());
  std::string tampered = *content;
  tampered[tampered.size() / 2] ^= 1;
  BOOST_TEST(trust::VerifyBundle(*bundle, log_key->origin, log_key->key, &tampered).status().reason() ==
             "content-digest-mismatch");
  auto forged = *bundle;
  forged.envelope.signatures[0].sig[5] ^= 1;
  BOOST_TEST(trust::VerifyBundle(forged, log_key->origin, log_key->key, nullptr).status().reason() ==
             "signature-invalid");

  // Change plans are versioned objects too.
  auto plan = c.CreateChangePlan(t, "cxr-pccp", "cxr-triage", "Re-training PCCP");
  BOOST_REQUIRE_MESSAGE(plan.ok(), plan.status().ToString());
  auto plans = c.ListObjects(t, ObjectKind::kChangePlan);
  BOOST_REQUIRE(plans.ok());
  BOOST_TEST(plans->items.size() == 1u);
}

BOOST_AUTO_TEST_CASE(checkpoints_are_remembered_and_checked) {
  auto& e = E();
  const fs::path memory = e.dir.path() / "checkpoints.json";
  auto first = e.MakeClient(e.admin.token, memory);
  auto cp1 = first->GetCheckpoint();
  BOOST_REQUIRE_MESSAGE(cp1.ok(), cp1.status().ToString());
  BOOST_REQUIRE(fs::exists(memory));
  BOOST_TEST(((fs::status(memory).permissions() & fs::perms::group_read) == fs::perms::none));
  // The log grows; a new client reading the same file checks consistency.
  BOOST_REQUIRE(first
                    ->RegisterKey(e.admin.tenant,
                                  trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519)->public_key(),
                                  "x")
                    .ok());
  auto second = e.MakeClient(e.admin.token, memory);
  auto cp2 = second->GetCheckpoint();
  BOOST_REQUIRE_MESSAGE(cp2.ok(), cp2.status().ToString());
  BOOST_TEST(cp2->tree_size > cp1->tree_size);

  // A remembered checkpoint the server's log does not extend: a rewritten log.
  auto doc = json::parse(ReadFile(memory)).as_object();
  auto& entry = doc["servers"].as_object().begin()->value().as_object();
  entry["rootHash"] = trust::Base64Encode(trust::Sha256("a different history"));
  entry["treeSize"] = cp2->tree_size - 1;
  WriteFile(memory, json::serialize(doc));
  auto third = e.MakeClient(e.admin.token, memory);
  auto cp3 = third->GetCheckpoint();
  BOOST_TEST(cp3.status().reason() == "consistency-proof-invalid");
  entry["treeSize"] = cp2->tree_size;
  WriteFile(memory, json::serialize(doc));
  BOOST_TEST(e.MakeClient(e.admin.token, memory)->GetCheckpoint().status().reason() == "log-fork");
}

BOOST_AUTO_TEST_CASE(async_client_on_callers_io_context) {
  auto& e = E();
  boost::asio::io_context ioc;
  auto ac = e.MakeAsyncClient(ioc);
  auto made = e.client->CreateDossier(e.admin.tenant, "async-one");
  BOOST_REQUIRE(made.ok());
  CommitRequest req;
  req.tenant = e.admin.tenant;
  req.id = "async-one";
  req.content = DossierJson("Async device", {});
  std::optional<StatusOr<CommitResult>> committed;
  std::optional<StatusOr<Version>> fetched;
  std::optional<StatusOr<ObjectInfo>> object;
  ac->Commit(req, e.ed25519, [&](StatusOr<CommitResult> r) {
    committed.emplace(std::move(r));
    // Chain the next call from the callback, as integrators do.
    ac->GetVersion(e.admin.tenant, ObjectKind::kDossier, "async-one", 1,
                   [&](StatusOr<Version> v) { fetched.emplace(std::move(v)); });
  });
  // Meanwhile, an independent request runs concurrently on another connection.
  ac->GetObject(e.admin.tenant, ObjectKind::kDossier, "cxr-triage",
                [&](StatusOr<ObjectInfo> r) { object.emplace(std::move(r)); });
  ioc.run_for(std::chrono::seconds(30));
  BOOST_REQUIRE(committed && fetched && object);
  BOOST_REQUIRE_MESSAGE(committed->ok(), committed->status().ToString());
  BOOST_TEST((*committed)->version.version == 1u);
  BOOST_REQUIRE(fetched->ok());
  BOOST_TEST((*fetched)->info.digest == (*committed)->version.digest);
  BOOST_REQUIRE(object->ok());
  BOOST_TEST((*object)->head_version == 2u);
}

// Every call of Client is a call of AsyncClient (Client waits on them); these
// are ones the synchronous tests above reach only through Client.
BOOST_AUTO_TEST_CASE(async_client_offers_the_calls_of_client) {
  auto& e = E();
  boost::asio::io_context ioc;
  auto created = e.MakeAsyncClient(ioc);
  AsyncClient& a = *created;
  const std::string tenant = e.admin.tenant;
  std::optional<Status> ready;
  std::optional<StatusOr<KeyInfo>> key;
  std::optional<StatusOr<std::vector<VersionInfo>>> versions;
  std::optional<StatusOr<FetchedBundle>> bundle;
  std::optional<StatusOr<std::string>> downloaded;
  a.Ready([&](Status s) { ready = s; });
  a.ListKeys(tenant, [&](StatusOr<std::vector<KeyInfo>> keys) {
    BOOST_REQUIRE(keys.ok() && !keys->empty());
    a.GetKey(tenant, keys->front().key_id, [&](StatusOr<KeyInfo> k) { key.emplace(std::move(k)); });
  });
  a.AllVersions(tenant, ObjectKind::kDossier, "cxr-triage", [&](StatusOr<std::vector<VersionInfo>> all) {
    versions.emplace(std::move(all));
    a.GetBundle(tenant, ObjectKind::kDossier, "cxr-triage", 1,
                [&](StatusOr<FetchedBundle> b) { bundle.emplace(std::move(b)); });
  });
  a.UploadBytes(tenant, "async bytes", [&](StatusOr<BlobInfo> blob) {
    BOOST_REQUIRE(blob.ok());
    a.DownloadBytes(tenant, blob->digest, [&](StatusOr<std::string> b) { downloaded.emplace(std::move(b)); });
  });
  ioc.run_for(std::chrono::seconds(30));
  BOOST_REQUIRE(ready && key && versions && bundle && downloaded);
  BOOST_TEST(ready->ok());
  BOOST_REQUIRE_MESSAGE(key->ok(), key->status().ToString());
  BOOST_REQUIRE(versions->ok());
  BOOST_TEST((*versions)->size() == 2u);
  BOOST_REQUIRE_MESSAGE(bundle->ok(), bundle->status().ToString());
  BOOST_TEST(trust::BundleFromJson((*bundle)->json).ok());  // the text as sent parses to the same bundle
  BOOST_TEST((*bundle)->bundle.log_index == (*versions)->front().log_index);
  BOOST_REQUIRE(downloaded->ok());
  BOOST_TEST(**downloaded == "async bytes");
}

// A ProgressFn runs inside the call on the caller's thread: calling the same
// Client from it fails at once instead of deadlocking; another Client works.
BOOST_AUTO_TEST_CASE(client_called_from_its_own_progress_callback) {
  auto& e = E();
  const fs::path file = e.dir.path() / "reentrant.bin";
  WriteFile(file, RandomBytes(256 * 1024, 7));
  std::optional<Status> nested;
  auto up = e.client->UploadFile(e.admin.tenant, file, [&](uint64_t, uint64_t) {
    if (!nested) nested = e.client->Ready();
  });
  BOOST_REQUIRE_MESSAGE(up.ok(), up.status().ToString());
  BOOST_REQUIRE(nested);
  BOOST_TEST(nested->reason() == "reentrant-call");
  BOOST_TEST(e.client->Ready().ok());  // and the client is usable afterwards

  auto other = e.MakeClient(e.admin.token);
  std::optional<Status> from_other;
  WriteFile(file, RandomBytes(256 * 1024, 8));
  auto up2 = e.client->UploadFile(e.admin.tenant, file, [&](uint64_t, uint64_t) {
    if (!from_other) from_other = other->Ready();
  });
  BOOST_REQUIRE(up2.ok());
  BOOST_REQUIRE(from_other);
  BOOST_TEST(from_other->ok());
}

// Submissions, a signed decision and reliance, through the typed calls: two
// regulator tenants of one node, HSA pulling FDA's feed from the same node.
// (Before errors_wrong_token_and_server_down, which stops the server.)
BOOST_AUTO_TEST_CASE(submissions_decisions_and_reliance) {
  auto& e = E();
  auto op = e.MakeClient(e.server->operator_token());
  std::map<std::string, std::unique_ptr<Client>> regulators;
  for (const std::string id : {"fda", "hsa"}) {
    BOOST_REQUIRE(op->CreateTenant({id, id, "REGULATOR", id == "fda" ? "US" : "SG"}).ok());
    auto token = op->CreateToken(id, "ADMIN", "test");
    BOOST_REQUIRE_MESSAGE(token.ok(), token.status().ToString());
    regulators[id] = e.MakeClient(token->secret);
  }
  auto& fda = *regulators["fda"];
  auto& hsa = *regulators["hsa"];

  // The manufacturer commits one version and submits it to both.
  auto& m = *e.client;
  const std::string t = e.admin.tenant;
  auto maker_key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  BOOST_REQUIRE(m.RegisterKey(t, maker_key.public_key(), "reliance").ok());
  BOOST_REQUIRE(m.CreateDossier(t, "reliance-device").ok());
  auto doc = m.UploadBytes(t, "usability report");
  BOOST_REQUIRE(doc.ok());
  CommitRequest commit;
  commit.tenant = t;
  commit.id = "reliance-device";
  commit.content = DossierJson("RelianceDevice", {doc->digest});
  BOOST_REQUIRE(m.Commit(commit, maker_key).ok());
  auto to_fda = m.Submit(t, {"reliance-device", 1, "fda", "510k-traditional"});
  BOOST_REQUIRE_MESSAGE(to_fda.ok(), to_fda.status().ToString());
  BOOST_TEST(to_fda->agency == "fda");
  BOOST_TEST(to_fda->version == 1u);
  auto to_hsa = m.Submit(t, {"reliance-device", 1, "hsa", "abridged"});
  BOOST_REQUIRE(to_hsa.ok());
  BOOST_TEST(m.Submit(t, {"reliance-device", 9, "fda", "510k-traditional"}).status().code() !=
             StatusCode::kOk);

  // FDA sees it in its inbox and signs a decision attesting each section digest.
  auto inbox = fda.Inbox("fda");
  BOOST_REQUIRE(inbox.ok());
  BOOST_REQUIRE_EQUAL(inbox->size(), 1u);
  BOOST_TEST(inbox->front().id == to_fda->id);
  auto received = fda.GetSubmission("fda", to_fda->id);
  BOOST_REQUIRE(received.ok());
  BOOST_REQUIRE(!received->section_digests.empty());
  auto fda_key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  BOOST_REQUIRE(fda.RegisterKey("fda", fda_key.public_key(), "decisions").ok());
  Decision decision{to_fda->id, "CLEARED", "K269999", "2026-11-29", {}};
  for (const auto& [code, digest] : received->section_digests) {
    decision.sections.push_back({code, "ACCEPTABLE", "reviewed", digest});
  }
  auto decided = fda.CommitDecision("fda", decision, fda_key);
  BOOST_REQUIRE_MESSAGE(decided.ok(), decided.status().ToString());
  BOOST_TEST(decided->version.version == 1u);
  BOOST_TEST(decided->receipt.signature_verified);
  auto decisions = m.ListDecisions(t, to_fda->id);
  BOOST_REQUIRE(decisions.ok());
  BOOST_TEST(decisions->size() == 1u);
  BOOST_TEST(m.GetSubmission(t, to_fda->id)->status == "DECIDED");
  Decision wrong = decision;
  wrong.submission = to_hsa->id;  // FDA did not receive this one
  BOOST_TEST(fda.CommitDecision("fda", wrong, fda_key).status().code() == StatusCode::kNotFound);

  // FDA lets HSA read its feed; HSA pulls it and compares.
  auto agreement = fda.CreateRelianceAgreement("fda", {"hsa", true, {}, {}});
  BOOST_REQUIRE_MESSAGE(agreement.ok(), agreement.status().ToString());
  BOOST_TEST(fda.CreateRelianceAgreement("fda", {"nobody", true, {}, {}}).status().reason() ==
             "unknown-peer");
  auto viewer = op->CreateToken("hsa", "VIEWER", "feed reader");
  auto log_key = hsa.GetLogPublicKey();
  BOOST_REQUIRE(viewer.ok() && log_key.ok());
  auto peer = hsa.AddPeer("hsa", {e.server->url(), "fda", viewer->secret, log_key->key.Pem()});
  BOOST_REQUIRE_MESSAGE(peer.ok(), peer.status().ToString());
  BOOST_TEST(!ParseObject(peer->json_text).contains("token"));
  BOOST_TEST(hsa.AddPeer("hsa", {"ftp://x", "fda", viewer->secret, log_key->key.Pem()}).status().reason() ==
             "bad-url");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  StatusOr<Peer> status = hsa.GetPeer("hsa", peer->id);
  while (status.ok() && (status->status != "OK" || status->last_seq < 1) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = hsa.GetPeer("hsa", peer->id);
  }
  BOOST_REQUIRE(status.ok());
  BOOST_TEST(status->status == "OK");
  BOOST_TEST(status->entries == 1u);
  BOOST_TEST(status->verified_tree_size > 0u);
  auto peers = hsa.ListPeers("hsa");
  BOOST_REQUIRE(peers.ok());
  BOOST_TEST(peers->size() == 1u);

  auto reliance = hsa.Reliance("hsa", to_hsa->id);
  BOOST_REQUIRE_MESSAGE(reliance.ok(), reliance.status().ToString());
  BOOST_REQUIRE_EQUAL(reliance->size(), 1u);
  const ForeignDecision& d = reliance->front();
  BOOST_TEST(d.peer_tenant == "fda");
  BOOST_TEST(d.outcome == "CLEARED");
  BOOST_TEST(d.number == "K269999");
  BOOST_TEST(d.attestation == "regulator-signed");
  BOOST_TEST(d.different_sections == 0u);
  BOOST_TEST(d.identical_sections == received->section_digests.size());
  for (const auto& s : d.sections) BOOST_TEST(s.identical);
}

BOOST_AUTO_TEST_CASE(errors_wrong_token_and_server_down) {
  auto& e = E();
  auto wrong = e.MakeClient("dxt_not-a-token");
  auto denied = wrong->GetObject(e.admin.tenant, ObjectKind::kDossier, "cxr-triage");
  BOOST_TEST(denied.status().code() == StatusCode::kUnauthenticated);
  BOOST_TEST(denied.status().reason() == "bad-credentials");
  BOOST_TEST(!IsTransportError(denied.status()));

  const std::string url = e.server->url();
  e.server->Stop();
  ClientOptions o;
  o.base_url = url;
  o.token = e.admin.token;
  o.max_retries = 2;
  o.initial_backoff = std::chrono::milliseconds(10);
  auto down = Client::Create(o);
  BOOST_REQUIRE(down.ok());
  const auto start = std::chrono::steady_clock::now();
  auto r = (*down)->GetObject(e.admin.tenant, ObjectKind::kDossier, "cxr-triage");
  BOOST_TEST(IsTransportError(r.status()));
  BOOST_TEST(r.status().reason() == "connect-failed");
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(5)));
  // The old client's kept-alive connection is dead too: reconnect fails cleanly.
  BOOST_TEST(
      IsTransportError(e.client->GetObject(e.admin.tenant, ObjectKind::kDossier, "cxr-triage").status()));
}
