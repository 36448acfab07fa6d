// Example (c): submit once to three agencies. A manufacturer commits one signed
// dossier version and submits it to the US FDA, an EU notified body and
// Singapore's HSA; each regulator finds it in its inbox, checks readiness for
// its pathway; the FDA signs a decision, which the manufacturer then sees.
//
// Needs DOSSIER_SERVER, DOSSIER_TENANT, DOSSIER_TOKEN (an ADMIN token of a
// manufacturer tenant) and DOSSIER_OPERATOR_TOKEN (to set up the three
// regulator tenants, as a node operator would) in the environment.
#include <dossier/client/client.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>

#include "trust/dsse.h"
#include "trust/json_forms.h"
#include "trust/statement.h"

namespace json = boost::json;
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

std::unique_ptr<client::Client> Connect(const std::string& token) {
  client::ClientOptions options;
  options.base_url = Env("DOSSIER_SERVER");
  options.token = token;
  return Must(client::Client::Create(options), "client");
}

json::object CallJson(client::Client& c, const std::string& method, const std::string& target,
                      const std::string& body = {}) {
  auto r = Must(c.Call(method, target, body), method + " " + target);
  return json::parse(r.body).as_object();
}

struct Regulator {
  std::string id, kind, jurisdiction, agency, pathway;
  std::shared_ptr<client::Client> api;
};

}  // namespace

int main() {
  const std::string maker = Env("DOSSIER_TENANT");
  auto manufacturer = Connect(Env("DOSSIER_TOKEN"));
  auto op = Connect(Env("DOSSIER_OPERATOR_TOKEN"));

  // The three regulators, each with an ADMIN token (in real life each agency
  // gets its credentials from the node operator once).
  std::vector<Regulator> regulators = {{"fda", "REGULATOR", "US", "FDA", "510k-traditional", nullptr},
                                       {"tuv-nb", "NOTIFIED_BODY", "EU", "EU", "annex-ix", nullptr},
                                       {"hsa", "REGULATOR", "SG", "HSA", "abridged", nullptr}};
  for (auto& r : regulators) {
    Must(op->CreateTenant({r.id, r.id, r.kind, r.jurisdiction}), "create " + r.id);
    r.api = Connect(Must(op->CreateToken(r.id, "ADMIN", "example"), "token " + r.id).secret);
  }

  // One signed dossier version.
  auto key = Must(trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519), "key");
  Must(manufacturer->RegisterKey(maker, key.public_key(), "release signing"), "register key");
  Must(manufacturer->CreateDossier(maker, "thorax-triage", "ThoraxTriage AI"), "create dossier");
  auto description = Must(manufacturer->UploadBytes(maker, "%PDF-1.7 device description ..."), "upload");
  auto validation = Must(manufacturer->UploadBytes(maker, "%PDF-1.7 software V&V ..."), "upload");
  json::object content{
      {"tocEdition", "IMDRF-N9-ED4"},
      {"device", json::object{{"tradeName", "ThoraxTriage AI"},
                              {"identifiers", json::array{json::object{
                                                  {"type", "UDI_DI"}, {"value", "08500123450017"}, {"issuer", "GS1"}}}}}},
      {"intendedUse", "Flags chest X-rays suspicious for pneumothorax for prioritised review."},
      {"sections",
       json::array{json::object{{"code", "2.04.01"},
                                {"documents", json::array{json::object{{"digest", description.digest},
                                                                       {"mediaType", "application/pdf"},
                                                                       {"fileName", "description.pdf"}}}}},
                   json::object{{"code", "3.05.05.08"},
                                {"documents", json::array{json::object{{"digest", validation.digest},
                                                                       {"mediaType", "application/pdf"},
                                                                       {"fileName", "software-vv.pdf"}}}}}}}};
  client::CommitRequest commit;
  commit.tenant = maker;
  commit.id = "thorax-triage";
  commit.content = json::serialize(content);
  auto v1 = Must(manufacturer->Commit(commit, key), "commit");
  std::cout << "committed version " << v1.version.version << " " << v1.version.digest << "\n";

  // Submit once to each agency.
  std::map<std::string, std::string> submissions;
  for (auto& r : regulators) {
    json::object body{{"dossier", "thorax-triage"}, {"version", 1}, {"agency", r.id}, {"pathway", r.pathway}};
    auto s = CallJson(*manufacturer, "POST", "/v1/tenants/" + maker + "/submissions", json::serialize(body));
    submissions[r.id] = std::string(s.at("id").as_string());
    std::cout << "submitted to " << r.id << " as " << submissions[r.id] << "\n";
  }

  // Each regulator: its inbox and what its pathway still needs.
  for (auto& r : regulators) {
    auto inbox = CallJson(*r.api, "GET", "/v1/tenants/" + r.id + "/inbox");
    auto readiness = CallJson(*r.api, "GET", "/v1/tenants/" + r.id + "/submissions/" + submissions[r.id] +
                                                 "/readiness?agency=" + r.agency + "&pathway=" + r.pathway);
    size_t missing = 0;
    for (const auto& item : readiness.at("items").as_array()) {
      missing += item.at("status").as_string() == "missing";
    }
    std::cout << r.id << ": " << inbox.at("submissions").as_array().size() << " submission(s) in the inbox; "
              << missing << " item(s) still missing for " << r.pathway << "\n";
  }

  // The FDA signs a decision (a DSSE statement over the decision content).
  Regulator& fda = regulators[0];
  const std::string s = submissions["fda"];
  auto fda_key = Must(trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519), "key");
  Must(fda.api->RegisterKey("fda", fda_key.public_key(), "decisions"), "register FDA key");
  const std::string decision = json::serialize(json::object{
      {"submission", s}, {"outcome", "CLEARED"}, {"number", "K261234"}, {"date", "2026-11-29"},
      {"sections", json::array{json::object{{"code", "3.05.05.08"}, {"outcome", "ACCEPTABLE"}, {"notes", "adequate"}}}}});
  auto blob = Must(fda.api->UploadBytes("fda", decision), "upload decision");
  const std::string media = "application/vnd.dossier.decision.v1+json";
  trust::Statement statement{"fda", "submissions/" + s + "/decisions", 1, "", blob.digest, media};
  auto envelope = Must(trust::SignEnvelope(trust::kStatementPayloadType, trust::SerializeStatement(statement), fda_key),
                       "sign decision");
  json::object request{{"contentDigest", blob.digest}, {"mediaType", media}, {"envelope", trust::EnvelopeToJson(envelope)}};
  CallJson(*fda.api, "POST", "/v1/tenants/fda/submissions/" + s + "/decisions", json::serialize(request));

  // The manufacturer sees every submission's status, and FDA's decision.
  for (auto& r : regulators) {
    auto seen = CallJson(*manufacturer, "GET", "/v1/tenants/" + maker + "/submissions/" + submissions[r.id]);
    std::cout << r.id << ": " << std::string(seen.at("status").as_string());
    if (const json::value* d = seen.if_contains("decision")) {
      std::cout << " (" << std::string(d->at("outcome").as_string()) << " "
                << std::string(d->at("number").as_string()) << ")";
    }
    std::cout << "\n";
  }
  auto fda_view = CallJson(*manufacturer, "GET", "/v1/tenants/" + maker + "/submissions/" + s);
  return fda_view.at("status").as_string() == "DECIDED" ? 0 : 1;
}
