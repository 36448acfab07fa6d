// The crash sweep one layer up (storage/crash_sweep_test.cc is the store's):
// the real Api, every request through the admission path and the handlers,
// over a durable RocksDB store on the fault-injecting file system. Tenants,
// tokens and keys are set up first; then a workload of requests (content
// uploads, signed commits, a submission, a key registration and a revocation,
// the regulator's signed decision) runs once per sync point with the power
// cut there (unsynced bytes and directory entries dropped). The Api is then
// reopened on the same folder and what it answers must be what it answered
// after the acknowledged requests, compared with a run without a cut: the
// same requests up to the last acknowledged one, or one more (the request in
// flight may have landed), never a part of a request. Its log verifies, the
// last checkpoint it served is a prefix of the new one (consistency proof
// verified) and a scrub finds every blob complete.
#define BOOST_TEST_MODULE server_crash_sweep
#include <rocksdb/file_system.h>

#include <algorithm>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <functional>
#include <optional>

#include "server/in_process_api.h"
#include "storage/fault_injection_fs.h"
#include "tests/support/harness.h"
#include "tests/support/temp_dir.h"
#include "trust/checkpoint.h"
#include "trust/encoding.h"
#include "trust/merkle.h"

using namespace dossier;
using namespace dossier::server;
namespace json = boost::json;

namespace {

constexpr std::string_view kDecisionMedia = "application/vnd.dossier.decision.v1+json";

// Fixed keys, so that every run signs the same statements.
trust::PrivateKey FixedKey(char seed) {
  return trust::PrivateKey::FromRawEd25519(std::string(32, seed)).value();
}

struct Parties {
  testing::Actor acme{"acme", "", FixedKey('\x11'), ""};
  testing::Actor fda{"fda", "", FixedKey('\x12'), ""};
  trust::PrivateKey acme_second = FixedKey('\x13');
  std::string acme_second_id;
  std::string submission;  // learnt when the submission is acknowledged
};

json::value Json(const Response& r) { return json::parse(r.body); }
bool Acknowledged(const Response& r) { return r.status >= 200 && r.status < 300; }

void Require(const Response& r, int status, const std::string& what) {
  if (r.status != status)
    throw std::runtime_error(what + " answered " + std::to_string(r.status) + " " + r.body);
}

// Setup, not swept: two tenants with ADMIN tokens, a key each, the dossier.
void SetUp(InProcessApi& api, Parties& p) {
  api.CreateTenant("acme");
  Require(api.Call("POST", "/v1/tenants",
                   R"({"id":"fda","displayName":"FDA","kind":"REGULATOR","jurisdiction":"US"})",
                   api.operator_token()),
          201, "create fda");
  for (testing::Actor* actor : {&p.acme, &p.fda}) {
    actor->token = api.IssueToken(actor->tenant, "ADMIN");
    json::object key{{"publicKeyPem", actor->key.public_key().Pem()}, {"label", "release"}};
    Response r =
        api.Call("POST", "/v1/tenants/" + actor->tenant + "/keys", json::serialize(key), actor->token);
    Require(r, 201, "register key");
    actor->key_id = std::string(Json(r).at("keyId").as_string());
  }
  Require(api.Call("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", p.acme.token), 201,
          "create dossier");
}

struct Step {
  std::string name;
  std::function<Response(InProcessApi&, Parties&)> run;
  std::function<void(const Response&, Parties&)> learn = [](const Response&, Parties&) {};
};

Response Upload(InProcessApi& api, const testing::Actor& actor, const std::string& bytes) {
  return api.Call("PUT", "/v1/tenants/" + actor.tenant + "/blobs/" + testing::DigestOf(bytes), bytes,
                  actor.token, {{"content-type", "application/octet-stream"}});
}

const std::string& ContentV1() {
  static const std::string bytes = testing::MinimalDossierJson("CXR", {});
  return bytes;
}
const std::string& ContentV2() {
  static const std::string bytes = testing::MinimalDossierJson("CXR Plus", {});
  return bytes;
}
std::string DecisionJson(const std::string& submission) {
  return R"({"submission":")" + submission +
         R"(","outcome":"CLEARED","number":"K261234","date":"2026-11-29"})";
}

std::vector<Step> Workload() {
  const std::string v1 = ContentV1(), v2 = ContentV2();
  std::vector<Step> steps;
  steps.push_back({"upload v1", [=](InProcessApi& api, Parties& p) { return Upload(api, p.acme, v1); }});
  steps.push_back({"commit v1", [=](InProcessApi& api, Parties& p) {
                     return api.Call("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                                     testing::CommitBody(p.acme, "dossiers/cxr", 1, "", testing::DigestOf(v1),
                                                         p.acme.key),
                                     p.acme.token);
                   }});
  steps.push_back(
      {"submit v1",
       [](InProcessApi& api, Parties& p) {
         return api.Call("POST", "/v1/tenants/acme/submissions",
                         R"({"dossier":"cxr","version":1,"agency":"fda","pathway":"510k-traditional"})",
                         p.acme.token);
       },
       [](const Response& r, Parties& p) { p.submission = std::string(Json(r).at("id").as_string()); }});
  steps.push_back(
      {"register a second key",
       [](InProcessApi& api, Parties& p) {
         json::object key{{"publicKeyPem", p.acme_second.public_key().Pem()}, {"label", "second"}};
         return api.Call("POST", "/v1/tenants/acme/keys", json::serialize(key), p.acme.token);
       },
       [](const Response& r, Parties& p) {
         p.acme_second_id = std::string(Json(r).at("keyId").as_string());
       }});
  steps.push_back({"revoke the first key", [](InProcessApi& api, Parties& p) {
                     return api.Call("POST", "/v1/tenants/acme/keys/" + p.acme.key_id + ":revoke", "",
                                     p.acme.token);
                   }});
  steps.push_back({"upload v2", [=](InProcessApi& api, Parties& p) { return Upload(api, p.acme, v2); }});
  steps.push_back({"commit v2 with the second key", [=](InProcessApi& api, Parties& p) {
                     return api.Call("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                                     testing::CommitBody(p.acme, "dossiers/cxr", 2, testing::DigestOf(v1),
                                                         testing::DigestOf(v2), p.acme_second),
                                     p.acme.token);
                   }});
  steps.push_back({"upload the decision", [](InProcessApi& api, Parties& p) {
                     return Upload(api, p.fda, DecisionJson(p.submission));
                   }});
  steps.push_back({"decide", [](InProcessApi& api, Parties& p) {
                     const std::string decision = DecisionJson(p.submission);
                     return api.Call("POST", "/v1/tenants/fda/submissions/" + p.submission + "/decisions",
                                     testing::CommitBody(p.fda, "submissions/" + p.submission + "/decisions",
                                                         1, "", testing::DigestOf(decision), p.fda.key,
                                                         std::string(kDecisionMedia)),
                                     p.fda.token);
                   }});
  return steps;
}

// What the Api answers about everything the workload touches, without
// timestamps, tokens or server-chosen ids: equal strings, equal states.
std::string Observe(InProcessApi& api, const Parties& p) {
  // The workload's uploads, as "tenant digest".
  std::vector<std::string> blobs = {"acme " + testing::DigestOf(ContentV1()),
                                    "acme " + testing::DigestOf(ContentV2())};
  if (!p.submission.empty()) blobs.push_back("fda " + testing::DigestOf(DecisionJson(p.submission)));
  std::string out;
  Response head = api.Call("GET", "/v1/tenants/acme/dossiers/cxr", "", p.acme.token);
  const uint64_t n = Json(head).at("headVersion").to_number<uint64_t>();
  out += "cxr head " + std::to_string(n) + ":";
  for (uint64_t v = 1; v <= n; ++v) {
    Response r =
        api.Call("GET", "/v1/tenants/acme/dossiers/cxr/versions/" + std::to_string(v), "", p.acme.token);
    out += " " + std::to_string(r.status) + " " +
           (r.status == 200 ? std::string(Json(r).at("digest").as_string()) : "");
  }
  out += "\nkeys:";
  const json::value keys = Json(api.Call("GET", "/v1/tenants/acme/keys", "", p.acme.token));
  for (const auto& k : keys.at("keys").as_array()) {
    out += " " + std::string(k.at("keyId").as_string()).substr(0, 12) +
           (k.as_object().contains("revokedAt") ? " revoked" : "");
  }
  out += "\nsubmissions:";
  const json::value submissions = Json(api.Call("GET", "/v1/tenants/acme/submissions", "", p.acme.token));
  for (const auto& s : submissions.at("submissions").as_array()) {
    const std::string id(s.at("id").as_string());
    out += " " + std::string(s.at("status").as_string());
    Response decisions =
        api.Call("GET", "/v1/tenants/acme/submissions/" + id + "/decisions", "", p.acme.token);
    out += " decisions " + std::to_string(Json(decisions).at("decisions").as_array().size());
    Response inbox = api.Call("GET", "/v1/tenants/fda/submissions/" + id, "", p.fda.token);
    out += " inbox " + std::to_string(inbox.status) +
           (inbox.status == 200 ? " " + std::string(Json(inbox).at("status").as_string()) : "");
  }
  out += "\nblobs:";
  for (const auto& b : blobs) {
    const auto space = b.find(' ');
    const std::string tenant = b.substr(0, space), digest = b.substr(space + 1);
    Response r = api.Call("GET", "/v1/tenants/" + tenant + "/blobs/" + digest, "",
                          tenant == "acme" ? p.acme.token : p.fda.token);
    out += " " + std::to_string(r.status);
  }
  out += "\nlog " + std::to_string(api.store().LogSize());
  return out;
}

struct Checkpoint {
  uint64_t size = 0;
  std::string root;
};

Checkpoint ServedCheckpoint(InProcessApi& api, const Parties& p) {
  Response r = api.Call("GET", "/v1/log/checkpoint", "", p.acme.token);
  Require(r, 200, "checkpoint");
  auto parsed = trust::ParseCheckpointBody(r.body.substr(0, r.body.find("\n\n") + 1));
  if (!parsed.ok()) throw std::runtime_error("checkpoint: " + parsed.status().ToString());
  return {parsed->tree_size, parsed->root_hash};
}

struct SweepResult {
  uint64_t crash_points = 0, in_flight_landed = 0;
  std::vector<std::string> failures;  // one line per broken invariant
};

// Cuts the power at every sync point of the workload (after setup); with
// `stop_at_first_failure`, returns at the first cut that breaks an invariant.
SweepResult Sweep(bool sync_blobs, bool stop_at_first_failure) {
  const std::vector<Step> steps = Workload();
  // What the Api answers after setup and after each request, in a run without a cut.
  std::vector<std::string> expected;
  {
    testing::TempDir dir("dossier-api-sweep-");
    InProcessApi api(
        {.data_dir = dir.path(), .file_system = nullptr, .sync_writes = false, .sync_blobs = false});
    Parties p;
    SetUp(api, p);
    expected.push_back(Observe(api, p));
    for (const Step& step : steps) {
      Response r = step.run(api, p);
      if (!Acknowledged(r))
        throw std::runtime_error(step.name + ": " + std::to_string(r.status) + " " + r.body);
      step.learn(r, p);
      expected.push_back(Observe(api, p));
    }
  }

  SweepResult result;
  for (uint64_t k = 1;; ++k) {
    testing::TempDir dir("dossier-api-sweep-");
    auto files = std::make_shared<storage::FaultInjectionFileSystem>(rocksdb::FileSystem::Default());
    files->PassSyncsToDisk(false);  // the model decides what survives
    Parties p;
    size_t acknowledged = 0;
    std::string when = "closing";
    std::optional<Checkpoint> served;
    {
      InProcessApi api(
          {.data_dir = dir.path(), .file_system = files, .sync_writes = true, .sync_blobs = sync_blobs});
      SetUp(api, p);
      files->CrashAtSyncPoint(files->sync_points() + k);
      for (const Step& step : steps) {
        Response r = step.run(api, p);
        if (files->frozen()) {
          when = step.name;
          break;
        }
        if (!Acknowledged(r))
          throw std::runtime_error(step.name + ": " + std::to_string(r.status) + " " + r.body);
        step.learn(r, p);
        ++acknowledged;
        served = ServedCheckpoint(api, p);
      }
    }
    if (!files->frozen()) break;  // no sync point left to cut at
    ++result.crash_points;
    files->SimulatePowerLoss();

    auto after_reboot = std::make_shared<storage::FaultInjectionFileSystem>(rocksdb::FileSystem::Default());
    after_reboot->PassSyncsToDisk(false);
    InProcessApi api(
        {.data_dir = dir.path(), .file_system = after_reboot, .sync_writes = true, .sync_blobs = true});
    // The submission's id is the server's; learn it again if it landed unacknowledged.
    if (p.submission.empty()) {
      const json::value listed_json = Json(api.Call("GET", "/v1/tenants/acme/submissions", "", p.acme.token));
      const json::value& listed = listed_json.at("submissions");
      if (!listed.as_array().empty()) p.submission = std::string(listed.as_array()[0].at("id").as_string());
    }
    const std::string context = "cut " + std::to_string(k) + " during '" + when + "' after " +
                                std::to_string(acknowledged) + " acknowledged requests";
    const size_t failures_before = result.failures.size();
    const std::string seen = Observe(api, p);
    if (seen == expected[acknowledged]) {
    } else if (acknowledged + 1 < expected.size() && seen == expected[acknowledged + 1]) {
      ++result.in_flight_landed;
    } else {
      result.failures.push_back(context + ": the Api answers\n" + seen + "\nexpected\n" +
                                expected[acknowledged]);
    }
    auto scrub = api.store().Scrub();
    if (!scrub.ok()) result.failures.push_back(context + ": scrub: " + scrub.status().ToString());
    if (scrub.ok()) {
      for (const auto& line : *scrub) result.failures.push_back(context + ": scrub: " + line);
    }
    if (Status verified = api.store().Verify(); !verified.ok())
      result.failures.push_back(context + ": " + verified.ToString());
    if (served) {
      const Checkpoint now = ServedCheckpoint(api, p);
      if (now.size < served->size) {
        result.failures.push_back(context + ": the log shrank below a served checkpoint");
      } else if (served->size > 0) {
        Response proof = api.Call("GET",
                                  "/v1/log/proofs/consistency?from=" + std::to_string(served->size) +
                                      "&to=" + std::to_string(now.size),
                                  "", p.acme.token);
        Require(proof, 200, "consistency proof");
        std::vector<std::string> hashes;
        const json::value proof_json = Json(proof);
        for (const auto& h : proof_json.at("hashes").as_array())
          hashes.push_back(*trust::Base64Decode(std::string(h.as_string())));
        if (!trust::VerifyConsistency(served->size, now.size, hashes, served->root, now.root).ok())
          result.failures.push_back(context + ": the served checkpoint is not a prefix of the new log");
      }
    }
    if (stop_at_first_failure && result.failures.size() > failures_before) return result;
  }
  return result;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_sync_point_of_an_api_workload_is_a_safe_place_to_lose_power) {
  const SweepResult result = Sweep(/*sync_blobs=*/true, /*stop_at_first_failure=*/false);
  BOOST_TEST_MESSAGE("API crash points covered: " << result.crash_points << " (" << Workload().size()
                                                  << " requests); the request in flight landed after "
                                                  << result.in_flight_landed << " cuts");
  for (const auto& failure : result.failures) BOOST_ERROR(failure);
  BOOST_TEST(result.crash_points > 20u);
}

// The sweep can fail: without the blob fsyncs an acknowledged upload is lost
// at some cut, and the Api's answers show it.
BOOST_AUTO_TEST_CASE(without_blob_fsyncs_some_cut_loses_an_acknowledged_upload) {
  const SweepResult result = Sweep(/*sync_blobs=*/false, /*stop_at_first_failure=*/true);
  BOOST_REQUIRE(!result.failures.empty());
  for (const auto& failure : result.failures) BOOST_TEST_MESSAGE("as expected: " << failure);
  BOOST_TEST(std::any_of(result.failures.begin(), result.failures.end(),
                         [](const std::string& f) { return f.find("is unreadable") != std::string::npos; }));
}
