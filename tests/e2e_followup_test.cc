// After "submit" on real dossierd nodes (issue 16 items 5 and 6): a pinned
// export is byte for byte the same after the deployment's default profile
// moves on; a drifting post-market performance report raises an alert in the
// inbox of FDA (which holds a submission of the device) and, through the
// verified reliance feed between two nodes, in HSA's.
#define BOOST_TEST_MODULE e2e_followup
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

#include "tests/support/files.h"
#include "tests/support/harness.h"

using namespace dossier;
using namespace dossier::testing;
namespace json = boost::json;

namespace {

const std::vector<std::string> kFlags = {"--rate-limit", "0", "--peer-poll-ms", "200", "--quiet"};
constexpr const char* kPlanMedia = "application/vnd.dossier.change-plan.v1+json";
constexpr const char* kReportMedia = "application/vnd.dossier.performance-report.v1+json";

// ThoraxTriage AI 2.4.0 as released: one section with one document.
std::string ReleasedDossier(HttpClient& http, const Actor& acme) {
  const std::string doc = UploadBlob(http, acme, "%PDF-1.7 software description\n");
  json::object dossier{
      {"tocEdition", "IMDRF-N9-ED4"},
      {"device", json::object{{"tradeName", "ThoraxTriage AI"},
                              {"softwareVersion", "2.4.0"},
                              {"identifiers",
                               json::array{json::object{
                                   {"type", "UDI_DI"}, {"value", "08500123450017"}, {"issuer", "GS1"}}}}}},
      {"sections",
       json::array{json::object{
           {"code", "2.04.01"},
           {"documents", json::array{json::object{
                             {"digest", doc}, {"mediaType", "application/pdf"}, {"fileName", "sw.pdf"}}}}}}}};
  return json::serialize(dossier);
}

void Expect(const HttpResult& r, int status, const std::string& what) {
  BOOST_REQUIRE_MESSAGE(r.status == status, what << ": " << r.status << " " << r.body);
}

// Creates dossier "thorax" v1 (and, with a plan, change plan "thorax-pccp"
// v1) and submits both to `agency`; returns the submission id.
std::string SubmitThorax(HttpClient& http, const Actor& acme, const std::string& agency, bool with_plan) {
  Expect(http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"thorax"})", JsonAuth(acme.token)), 201,
         "create dossier");
  const std::string content = ReleasedDossier(http, acme);
  Expect(http.Request("POST", "/v1/tenants/acme/dossiers/thorax/versions",
                      CommitBody(acme, "dossiers/thorax", 1, "", UploadBlob(http, acme, content), acme.key),
                      JsonAuth(acme.token)),
         201, "commit dossier");
  json::object submission{
      {"dossier", "thorax"}, {"version", 1}, {"agency", agency}, {"pathway", "510k-traditional"}};
  if (with_plan) {
    Expect(http.Request("POST", "/v1/tenants/acme/change-plans", R"({"id":"thorax-pccp","dossier":"thorax"})",
                        JsonAuth(acme.token)),
           201, "create change plan");
    const std::string plan = ReadFile(std::filesystem::path(PCCP_TESTDATA_DIR) / "thoraxtriage.pccp.json");
    Expect(http.Request("POST", "/v1/tenants/acme/change-plans/thorax-pccp/versions",
                        CommitBody(acme, "change-plans/thorax-pccp", 1, "", UploadBlob(http, acme, plan),
                                   acme.key, kPlanMedia),
                        JsonAuth(acme.token)),
           201, "commit change plan");
    submission["changePlan"] = "thorax-pccp";
    submission["changePlanVersion"] = 1;
  }
  auto s =
      http.Request("POST", "/v1/tenants/acme/submissions", json::serialize(submission), JsonAuth(acme.token));
  Expect(s, 201, "submit");
  return std::string(s.Json().at("id").as_string());
}

HttpResult PostReport(HttpClient& http, const Actor& acme, const std::string& report, uint64_t version,
                      const std::string& parent) {
  return http.Request("POST", "/v1/tenants/acme/change-plans/thorax-pccp/performance-reports",
                      CommitBody(acme, "change-plans/thorax-pccp/performance-reports", version, parent,
                                 UploadBlob(http, acme, report), acme.key, kReportMedia),
                      JsonAuth(acme.token));
}

bool HasDuty(const json::value& alert, const std::string& id) {
  for (const auto& d : alert.at("reportingDuties").as_array()) {
    if (d.at("id").as_string() == id) return true;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_drift_report_reaches_fda_and_through_reliance_hsa) {
  TempDir dir;
  Server fda_node(dir.path() / "fda", kFlags);
  HttpClient fda_http(fda_node.port());
  const std::string fda_op = fda_node.operator_token();
  const Actor acme = CreateActor(fda_http, fda_op, "acme");
  const Actor fda = CreateActor(fda_http, fda_op, "fda", "REGULATOR", "US");
  const Actor other = CreateActor(fda_http, fda_op, "globex");
  const std::string submission = SubmitThorax(fda_http, acme, "fda", true);

  // HSA's node may read FDA's feed: a VIEWER tenant on FDA's node and an agreement.
  CreateActor(fda_http, fda_op, "hsa-node", "REGULATOR", "SG");
  auto viewer =
      fda_http.Request("POST", "/v1/tenants/hsa-node/tokens", R"({"role":"VIEWER"})", JsonAuth(fda_op));
  Expect(viewer, 201, "hsa-node token");
  Expect(fda_http.Request("POST", "/v1/tenants/fda/reliance-agreements", R"({"peer":"hsa-node"})",
                          JsonAuth(fda.token)),
         201, "agreement");

  // Only a released version is reported on; bad content names its field.
  auto unreleased = PostReport(fda_http, acme, PerformanceQuarterJson("9.9.9", 0.9), 1, "");
  BOOST_TEST(unreleased.status == 400);
  BOOST_TEST(unreleased.ProblemCode() == "unreleased-version", unreleased.body);
  auto within = PostReport(fda_http, acme, PerformanceQuarterJson("2.4.0", 0.901), 1, "");
  Expect(within, 201, "report within the plan");
  BOOST_TEST(!within.Json().at("evaluation").at("drift").as_bool());
  BOOST_TEST(within.Json().at("alerts").as_array().empty());

  const std::string first_digest = DigestOf(PerformanceQuarterJson("2.4.0", 0.901));
  auto drifting = PostReport(fda_http, acme, PerformanceQuarterJson("2.4.0", 0.862), 2, first_digest);
  Expect(drifting, 201, "drifting report");
  const json::value answer = drifting.Json();
  BOOST_TEST(answer.at("evaluation").at("drift").as_bool());
  BOOST_REQUIRE_EQUAL(answer.at("alerts").as_array().size(), 1u);
  BOOST_TEST(answer.at("alerts").at(0).at("agency").as_string() == "fda");

  // FDA's inbox of alerts: the drift at the Singapore site and the US duties it may trigger.
  auto fda_alerts = fda_http.Request("GET", "/v1/tenants/fda/alerts", "", Auth(fda.token));
  Expect(fda_alerts, 200, "fda alerts");
  const json::value fda_json = fda_alerts.Json();  // named: a reference into a temporary dangles
  const json::array& at_fda = fda_json.at("alerts").as_array();
  BOOST_REQUIRE_EQUAL(at_fda.size(), 1u);
  BOOST_TEST(at_fda[0].at("submissions").at(0).as_string() == submission);
  BOOST_TEST(at_fda[0].at("driftFlags").at(0).at("site").as_string() == "site-05-sg");
  BOOST_TEST(HasDuty(at_fda[0], "us-803-30-day"));
  BOOST_TEST(HasDuty(at_fda[0], "us-806-correction-removal"));
  // Another manufacturer sees no FDA alert; the manufacturer sees its own copy.
  BOOST_TEST(fda_http.Request("GET", "/v1/tenants/fda/alerts", "", Auth(other.token)).status == 404);
  auto own = fda_http.Request("GET", "/v1/tenants/acme/alerts", "", Auth(acme.token));
  Expect(own, 200, "acme alerts");
  BOOST_TEST(own.Json().at("alerts").as_array().size() == 1u);

  // HSA's node pulls FDA's feed; the alert arrives verified and re-evaluated there.
  Server hsa_node(dir.path() / "hsa", kFlags);
  HttpClient hsa_http(hsa_node.port());
  const Actor hsa = CreateActor(hsa_http, hsa_node.operator_token(), "hsa", "REGULATOR", "SG");
  auto key = fda_http.Request("GET", "/v1/log/public-key", "", Auth(fda.token));
  json::object peer{{"url", fda_node.url()},
                    {"tenant", "fda"},
                    {"token", viewer.Json().at("token")},
                    {"logPublicKeyPem", key.Json().at("publicKeyPem")}};
  Expect(hsa_http.Request("POST", "/v1/tenants/hsa/peers", json::serialize(peer), JsonAuth(hsa.token)), 201,
         "peer");
  json::array at_hsa;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (at_hsa.empty() && std::chrono::steady_clock::now() < deadline) {
    auto r = hsa_http.Request("GET", "/v1/tenants/hsa/alerts", "", Auth(hsa.token));
    if (r.status == 200) at_hsa = r.Json().at("alerts").as_array();
    if (at_hsa.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_REQUIRE_MESSAGE(at_hsa.size() == 1u, "no relayed alert at HSA within 30 s");
  const json::value& relayed = at_hsa[0];
  BOOST_TEST(relayed.at("origin").as_string() == "relayed");
  BOOST_TEST(relayed.at("peerTenant").as_string() == "fda");
  BOOST_TEST(relayed.at("manufacturer").as_string() == "acme");
  BOOST_TEST(relayed.at("drift").as_bool());
  BOOST_TEST(relayed.at("jurisdiction").as_string() == "SG");
  BOOST_TEST(HasDuty(relayed, "sg-reg42-30-days"));
  BOOST_TEST(!HasDuty(relayed, "us-803-30-day"));
  BOOST_TEST(relayed.at("reportDigest").as_string() == DigestOf(PerformanceQuarterJson("2.4.0", 0.862)));

  // The same through the CLI a reviewer at HSA uses.
  const auto out = dir.path() / "alerts.txt";
  const std::string cli = (BinDir() / "dossier").string() + " --server " + hsa_node.url() +
                          " --tenant hsa --token " + hsa.token + " ";
  BOOST_TEST(std::system((cli + "alerts > " + out.string()).c_str()) == 0);
  const std::string text = ReadFile(out);
  BOOST_TEST(text.find("relayed") != std::string::npos, text);
  BOOST_TEST(text.find("Regulation 42(1)(c)") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(a_pinned_export_is_unchanged_after_the_default_profile_moves) {
  TempDir dir;
  const auto data = dir.path() / "node";
  std::string first_export, v5_export, submission, fda_token, acme_token;
  {
    Server node(data, kFlags);
    HttpClient http(node.port());
    const Actor acme = CreateActor(http, node.operator_token(), "acme");
    const Actor fda = CreateActor(http, node.operator_token(), "fda", "REGULATOR", "US");
    fda_token = fda.token;
    acme_token = acme.token;
    submission = SubmitThorax(http, acme, "fda", false);
    auto s = http.Request("GET", "/v1/tenants/fda/submissions/" + submission, "", Auth(fda.token));
    BOOST_TEST(s.Json().at("exportProfiles").at("fda-estar").as_string() == "nivd-estar-v6");
    auto pinned = http.Request(
        "GET", "/v1/tenants/fda/submissions/" + submission + "/export?format=fda-estar", "", Auth(fda.token));
    Expect(pinned, 200, "export");
    BOOST_TEST(pinned.Header("x-dossier-export-profile") == "nivd-estar-v6");
    first_export = pinned.body;
    // The same version exports to the same bytes; another profile side by side differs.
    BOOST_TEST(http.Request("GET", "/v1/tenants/fda/submissions/" + submission + "/export?format=fda-estar",
                            "", Auth(fda.token))
                   .body == first_export);
    auto v5 = http.Request(
        "GET", "/v1/tenants/fda/submissions/" + submission + "/export?format=fda-estar&profile=nivd-estar-v5",
        "", Auth(fda.token));
    Expect(v5, 200, "export v5");
    v5_export = v5.body;
    BOOST_TEST((v5_export != first_export));
    auto unknown = http.Request(
        "GET", "/v1/tenants/fda/submissions/" + submission + "/export?format=fda-estar&profile=x", "",
        Auth(fda.token));
    BOOST_TEST(unknown.status == 400);
    BOOST_TEST(unknown.ProblemCode() == "unknown-profile");
  }
  // The deployment moves the default on; the pinned submission does not move.
  std::vector<std::string> flags = kFlags;
  flags.insert(flags.end(), {"--export-profile", "fda-estar=nivd-estar-v5"});
  Server node(data, flags);
  HttpClient http(node.port());
  auto again = http.Request("GET", "/v1/tenants/fda/submissions/" + submission + "/export?format=fda-estar",
                            "", Auth(fda_token));
  Expect(again, 200, "re-export");
  BOOST_TEST(again.Header("x-dossier-export-profile") == "nivd-estar-v6");
  BOOST_TEST((again.body == first_export));
  // An unpinned export (the manufacturer's own version) follows the new default.
  auto unpinned = http.Request("GET", "/v1/tenants/acme/dossiers/thorax/versions/1/export?format=fda-estar",
                               "", Auth(acme_token));
  Expect(unpinned, 200, "version export");
  BOOST_TEST(unpinned.Header("x-dossier-export-profile") == "nivd-estar-v5");
  BOOST_TEST((unpinned.body == v5_export));
  auto profiles = http.Request("GET", "/v1/export-profiles", "", Auth(acme_token));
  Expect(profiles, 200, "profiles");
  const json::value listed = profiles.Json();
  for (const auto& p : listed.at("profiles").as_array()) {
    if (p.at("format").as_string() == "fda-estar") {
      BOOST_TEST(p.at("default").as_bool() == (p.at("name").as_string() == "nivd-estar-v5"));
    }
  }
}
