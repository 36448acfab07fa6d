// Example (d): reliance between two regulators' nodes. The US FDA and
// Singapore's HSA each run their own Dossier Exchange node. A manufacturer
// submits the same device to both (the HSA copy has a different software V&V
// report); the FDA signs a decision whose review report names the digest of
// every section it reviewed. The FDA lets HSA read its decision feed; HSA's
// node pulls it, verifies everything (FDA's log key, checkpoint consistency,
// inclusion proofs, the signer's key registration and signature) and shows
// which sections of HSA's submission are identical to what the FDA reviewed.
//
// Needs DOSSIER_SERVER, DOSSIER_TENANT, DOSSIER_TOKEN (an ADMIN token of the
// manufacturer on the FDA's node), DOSSIER_OPERATOR_TOKEN, and
// DOSSIER_PEER_SERVER with DOSSIER_PEER_OPERATOR_TOKEN (HSA's node), as
// `with_dossierd --two-nodes` provides.
#include <dossier/client/client.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include "trust/keys.h"

using namespace dossier;

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

[[noreturn]] void Die(const std::string& what, const Status& status) {
  std::cerr << what << ": " << status.ToString() << "\n";
  std::exit(1);
}

template <typename T>
T Must(StatusOr<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.status());
  return std::move(r).value();
}

std::unique_ptr<client::Client> Connect(const std::string& url, const std::string& token) {
  client::ClientOptions options;
  options.base_url = url;
  options.token = token;
  return Must(client::Client::Create(options), "client for " + url);
}

// A tenant on a node and a client holding a token of it.
std::unique_ptr<client::Client> Provision(client::Client& op, const std::string& url,
                                          const client::NewTenant& t, const std::string& role = "ADMIN") {
  Must(op.CreateTenant(t), "create tenant " + t.id);
  return Connect(url, Must(op.CreateToken(t.id, role, "example"), "token for " + t.id).secret);
}

// The manufacturer's dossier: three sections, the software V&V report as
// `vv_report` (it differs between the two markets).
uint64_t CommitDossier(client::Client& m, const std::string& tenant, const trust::PrivateKey& key,
                       const std::string& vv_report) {
  auto doc = [&](const std::string& bytes, const std::string& name) {
    auto blob = Must(m.UploadBytes(tenant, bytes), "upload " + name);
    return "{\"digest\":\"" + blob.digest + "\",\"mediaType\":\"application/pdf\",\"fileName\":\"" + name +
           "\"}";
  };
  const std::string content =
      R"({"tocEdition":"IMDRF-N9-ED4","device":{"tradeName":"ThoraxTriage AI","identifiers":[)"
      R"({"type":"UDI_DI","value":"08500123450017","issuer":"GS1"}]},"sections":[)"
      R"({"code":"2.04.01","documents":[)" +
      doc("%PDF-1.7 device description", "description.pdf") + R"(]},{"code":"3.05.05.08","documents":[)" +
      doc(vv_report, "software-vv.pdf") + R"(]},{"code":"6A.04","documents":[)" +
      doc("%PDF-1.7 QMS procedures", "qms.pdf") + "]}]}";
  Must(m.CreateDossier(tenant, "thorax-triage", "ThoraxTriage AI"), "create dossier");
  client::CommitRequest commit;
  commit.tenant = tenant;
  commit.id = "thorax-triage";
  commit.content = content;
  return Must(m.Commit(commit, key), "commit").version.version;
}

}  // namespace

int main() {
  const std::string fda_url = Env("DOSSIER_SERVER"), hsa_url = Env("DOSSIER_PEER_SERVER");
  if (hsa_url.empty()) {
    std::cerr << "needs a second node in DOSSIER_PEER_SERVER (run under with_dossierd --two-nodes)\n";
    return 2;
  }
  const std::string maker = Env("DOSSIER_TENANT");
  auto fda_op = Connect(fda_url, Env("DOSSIER_OPERATOR_TOKEN"));
  auto hsa_op = Connect(hsa_url, Env("DOSSIER_PEER_OPERATOR_TOKEN"));

  // Each node's operator sets up its regulator. On FDA's node, HSA also gets
  // a tenant of its own with a read-only token: the identity its node pulls with.
  auto fda = Provision(*fda_op, fda_url, {"fda", "US FDA", "REGULATOR", "US"});
  auto hsa = Provision(*hsa_op, hsa_url, {"hsa", "HSA Singapore", "REGULATOR", "SG"});
  Must(fda_op->CreateTenant({"hsa-node", "HSA (reliance peer)", "REGULATOR", "SG"}), "create hsa-node");
  const std::string feed_token =
      Must(fda_op->CreateToken("hsa-node", "VIEWER", "HSA node"), "feed token").secret;

  // The manufacturer, a tenant on both nodes, commits and submits on each.
  auto maker_fda = Connect(fda_url, Env("DOSSIER_TOKEN"));
  auto maker_hsa = Provision(*hsa_op, hsa_url, {maker, maker, "MANUFACTURER", ""});
  auto key = Must(trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519), "key");
  Must(maker_fda->RegisterKey(maker, key.public_key(), "release signing"), "register key on FDA's node");
  Must(maker_hsa->RegisterKey(maker, key.public_key(), "release signing"), "register key on HSA's node");
  const uint64_t v_us = CommitDossier(*maker_fda, maker, key, "%PDF-1.7 software V&V, US clinical data");
  const uint64_t v_sg = CommitDossier(*maker_hsa, maker, key, "%PDF-1.7 software V&V, SG clinical data");
  auto to_fda =
      Must(maker_fda->Submit(maker, {"thorax-triage", v_us, "fda", "510k-traditional"}), "submit to FDA");
  auto to_hsa = Must(maker_hsa->Submit(maker, {"thorax-triage", v_sg, "hsa", "abridged"}), "submit to HSA");
  std::cout << "submitted to FDA as " << to_fda.id << " and to HSA as " << to_hsa.id << "\n";

  // FDA reviews what its node received and signs a decision attesting the
  // digest of every section it reviewed.
  auto received = Must(fda->GetSubmission("fda", to_fda.id), "FDA inbox record");
  auto fda_key = Must(trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519), "FDA key");
  Must(fda->RegisterKey("fda", fda_key.public_key(), "decisions"), "register FDA key");
  client::Decision decision{to_fda.id, "CLEARED", "K261234", "2026-11-29", {}};
  for (const auto& [code, digest] : received.section_digests) {
    decision.sections.push_back({code, "ACCEPTABLE", "reviewed", digest});
  }
  auto decided = Must(fda->CommitDecision("fda", decision, fda_key), "FDA decision");
  std::cout << "FDA signed decision " << decision.number << " (log index " << decided.receipt.log_index
            << ", " << decision.sections.size() << " section digests attested)\n";

  // FDA lets HSA read its decisions, with review reports.
  Must(fda->CreateRelianceAgreement("fda", {"hsa-node", true, {}, {}}), "reliance agreement");

  // HSA pins FDA's log key (obtained out of band in real life) and starts
  // pulling FDA's feed; its node verifies every entry before storing it.
  auto fda_log = Must(fda->GetLogPublicKey(), "FDA log key");
  std::cout << "HSA pins FDA's log key " << fda_log.key_id.substr(0, 16) << "... (origin " << fda_log.origin
            << ")\n";
  auto peer = Must(hsa->AddPeer("hsa", {fda_url, "fda", feed_token, fda_log.key.Pem()}), "add peer");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (peer.status != "OK" || peer.entries < 1) {
    if (peer.status == "REJECTED") {
      std::cerr << "HSA's node rejected FDA's feed: " << peer.error << "\n";
      return 1;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      std::cerr << "no verified entry from FDA within 60 s (status " << peer.status << " " << peer.error
                << ")\n";
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    peer = Must(hsa->GetPeer("hsa", peer.id), "peer status");
  }
  std::cout << "HSA's node verified " << peer.entries
            << " FDA decision(s) against FDA's checkpoint at tree size " << peer.verified_tree_size << "\n";

  // Which sections of HSA's submission did FDA review byte for byte?
  auto foreign = Must(hsa->Reliance("hsa", to_hsa.id), "reliance");
  if (foreign.size() != 1) {
    std::cerr << "expected one FDA decision on this device, got " << foreign.size() << "\n";
    return 1;
  }
  const auto& d = foreign.front();
  std::cout << d.peer_tenant << " " << d.outcome << " " << d.number << " (section digests " << d.attestation
            << "): " << d.identical_sections << " identical, " << d.different_sections << " different\n";
  for (const auto& s : d.sections) {
    std::cout << "  " << (s.identical ? "identical  " : "DIFFERENT  ") << s.code;
    if (!s.only_in.empty()) std::cout << " (only in " << s.only_in << ")";
    std::cout << "\n";
  }
  // Only the software V&V report differs between the two markets.
  return d.identical_sections == 2 && d.different_sections == 1 ? 0 : 1;
}
