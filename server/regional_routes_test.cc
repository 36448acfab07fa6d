// The change-plan modification route through the real Api: the evaluation
// follows the evaluationDate query parameter (the EU verdict turns on the AI
// Act Art 43(4) date for MDR/IVDR devices, 2 Aug 2028), and a bad date is a
// 400 problem naming the parameter.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

#include "server/in_process_api.h"
#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/keys.h"
#include "trust/statement.h"
#include "trust/json_forms.h"

using namespace dossier;
using namespace dossier::server;
namespace json = boost::json;

namespace {

constexpr const char* kPlanMediaType = "application/vnd.dossier.change-plan.v1+json";

std::string PccpTestdata(const std::string& name) {
  std::ifstream in(std::string(PCCP_TESTDATA_DIR) + "/" + name, std::ios::binary);
  BOOST_TEST_REQUIRE(in.good(), "cannot read schema/pccp/testdata/" << name);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Tenant "acme" with the ThoraxTriage change plan committed as version 1
// (authorised in the US, EU and Singapore) and an editor token.
struct PlanWorld {
  InProcessApi server;
  std::string editor;
  trust::PrivateKey signer = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();

  PlanWorld() {
    server.CreateTenant("acme");
    editor = server.IssueToken("acme", "EDITOR");
    const std::string admin = server.IssueToken("acme", "ADMIN");
    json::object key{{"publicKeyPem", signer.public_key().Pem()}};
    Expect(server.Call("POST", "/v1/tenants/acme/keys", json::serialize(key), admin), 201, "register key");
    Expect(server.Call("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr","title":"ThoraxTriage"})", editor),
           201, "create dossier");
    Expect(server.Call("POST", "/v1/tenants/acme/change-plans", R"({"id":"pccp","dossier":"cxr"})", editor),
           201, "create change plan");
    const std::string plan = PccpTestdata("thoraxtriage.pccp.json");
    Expect(server.Call("PUT", "/v1/tenants/acme/blobs/" + trust::DigestRef(trust::Sha256(plan)), plan, editor,
                       {{"content-type", "application/octet-stream"}}),
           201, "upload plan");
    trust::Statement statement{
        "acme", "change-plans/pccp", 1, "", trust::DigestRef(trust::Sha256(plan)), kPlanMediaType};
    auto envelope =
        trust::SignEnvelope(trust::kStatementPayloadType, trust::SerializeStatement(statement), signer)
            .value();
    json::object body{{"contentDigest", statement.content_digest},
                      {"mediaType", statement.media_type},
                      {"envelope", trust::EnvelopeToJson(envelope)}};
    Expect(server.Call("POST", "/v1/tenants/acme/change-plans/pccp/versions", json::serialize(body), editor),
           201, "commit plan");
  }

  static void Expect(const Response& r, int status, const std::string& what) {
    BOOST_TEST_REQUIRE(r.status == status, what << " answered " << r.status << " " << r.body);
  }

  // The within-plan re-training record, against stored version 1.
  static std::string Record() {
    json::object record = json::parse(PccpTestdata("retrain-within-plan.json")).as_object();
    record["planVersion"] = 1;
    return json::serialize(record);
  }

  Response Post(const std::string& query) {
    return server.Call("POST", "/v1/tenants/acme/change-plans/pccp/modifications" + query, Record(), editor);
  }
};

const json::object& Verdict(const json::object& evaluation, const std::string& jurisdiction) {
  for (const auto& j : evaluation.at("jurisdictions").as_array()) {
    if (j.at("jurisdiction").as_string() == jurisdiction) return j.as_object();
  }
  throw std::runtime_error("no verdict for " + jurisdiction);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(regional_routes)

BOOST_AUTO_TEST_CASE(the_eu_verdict_follows_the_evaluation_date_across_the_ai_act_date) {
  PlanWorld w;
  Response before = w.Post("?evaluationDate=2028-08-01");
  BOOST_TEST_REQUIRE(before.status == 201, before.body);
  const json::object early = json::parse(before.body).as_object();
  BOOST_TEST(early.at("evaluationDate").as_string() == "2028-08-01");
  BOOST_TEST(!Verdict(early, "EU").at("withinPlan").as_bool());  // AI Act Art 43(4) not yet applicable
  BOOST_TEST(Verdict(early, "US").at("withinPlan").as_bool());

  Response after = w.Post("?evaluationDate=2028-08-02");
  BOOST_TEST_REQUIRE(after.status == 201, after.body);
  const json::object late = json::parse(after.body).as_object();
  BOOST_TEST(late.at("evaluationDate").as_string() == "2028-08-02");
  BOOST_TEST(Verdict(late, "EU").at("withinPlan").as_bool());

  // Without the parameter the evaluation is for today (UTC), before the date.
  Response today = w.Post("");
  BOOST_TEST_REQUIRE(today.status == 201, today.body);
  BOOST_TEST(json::parse(today.body).at("evaluationDate").as_string() != "");

  // The stored evaluations keep the date they were made for.
  Response listed = w.server.Call("GET", "/v1/tenants/acme/change-plans/pccp/modifications", "", w.editor);
  BOOST_TEST_REQUIRE(listed.status == 200, listed.body);
  BOOST_TEST(json::parse(listed.body).at("modifications").as_array().size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_bad_evaluation_date_is_a_400_naming_the_parameter) {
  PlanWorld w;
  const std::string target = "/v1/tenants/acme/change-plans/pccp/modifications?evaluationDate=";
  std::vector<Refusal> refusals;
  for (const char* bad : {"2028-8-2", "2028-02-30", "02-08-2028", "2028-08-02T00:00:00Z", "today", ""})
    refusals.push_back(
        {"POST", target + bad, PlanWorld::Record(), 400, "bad-evaluation-date", "evaluationDate"});
  BOOST_TEST(w.server.RefusalMismatches(w.editor, refusals) == "");
  // Nothing was recorded.
  Response listed = w.server.Call("GET", "/v1/tenants/acme/change-plans/pccp/modifications", "", w.editor);
  BOOST_TEST(json::parse(listed.body).at("modifications").as_array().empty());
}

BOOST_AUTO_TEST_SUITE_END()
