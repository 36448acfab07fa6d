// Manufacturer -> regulator: submission, inbox, reads of exactly what was
// submitted, signed decisions seen by both parties.
#define BOOST_TEST_MODULE e2e_submissions
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <latch>
#include <thread>

#include "tests/support/harness.h"

using namespace dossier;
using namespace dossier::testing;
namespace json = boost::json;

namespace {

// acme's dossier "cxr" with version 1: a minimal dossier naming one document.
void CreateMinimalCxr(HttpClient& http, const Actor& acme) {
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", JsonAuth(acme.token)).status, 201);
  const std::string d1 = UploadBlob(http, acme, MinimalDossierJson("CXR", {UploadBlob(http, acme, "doc")}));
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                   CommitBody(acme, "dossiers/cxr", 1, "", d1, acme.key), JsonAuth(acme.token))
          .status,
      201);
}

}  // namespace

BOOST_AUTO_TEST_CASE(submit_review_decide) {
  TempDir dir;
  Server server(dir.path() / "data");
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  Actor acme = CreateActor(http, op, "acme");
  Actor fda = CreateActor(http, op, "fda", "REGULATOR");
  Actor hsa = CreateActor(http, op, "hsa", "REGULATOR");

  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", JsonAuth(acme.token)).status, 201);
  const std::string doc = UploadBlob(http, acme, "software description v1");
  const std::string secret_doc = UploadBlob(http, acme, "unrelated confidential document");
  const std::string v1 = MinimalDossierJson("CXR", {doc});
  const std::string d1 = UploadBlob(http, acme, v1);
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                   CommitBody(acme, "dossiers/cxr", 1, "", d1, acme.key), JsonAuth(acme.token))
          .status,
      201);

  // Only a regulator can be the agency; only an editor of the manufacturer submits.
  auto bad_agency = http.Request(
      "POST", "/v1/tenants/acme/submissions",
      R"({"dossier":"cxr","version":1,"agency":"acme","pathway":"510k-traditional"})", JsonAuth(acme.token));
  BOOST_TEST(bad_agency.ProblemCode() == "unknown-agency");
  auto bad_version = http.Request(
      "POST", "/v1/tenants/acme/submissions",
      R"({"dossier":"cxr","version":7,"agency":"fda","pathway":"510k-traditional"})", JsonAuth(acme.token));
  BOOST_TEST(bad_version.ProblemCode() == "unknown-version");
  auto submitted = http.Request(
      "POST", "/v1/tenants/acme/submissions",
      R"({"dossier":"cxr","version":1,"agency":"fda","pathway":"510k-traditional"})", JsonAuth(acme.token));
  BOOST_REQUIRE_MESSAGE(submitted.status == 201, submitted.body);
  const std::string s(submitted.Json().at("id").as_string());
  BOOST_TEST(submitted.Json().at("status").as_string() == "SUBMITTED");

  // A newer version committed after the submission is not visible to the regulator.
  const std::string v2 = MinimalDossierJson("CXR v2", {doc});
  const std::string d2 = UploadBlob(http, acme, v2);
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                   CommitBody(acme, "dossiers/cxr", 2, d1, d2, acme.key), JsonAuth(acme.token))
          .status,
      201);

  auto inbox = http.Request("GET", "/v1/tenants/fda/inbox", "", Auth(fda.token));
  BOOST_REQUIRE_EQUAL(inbox.status, 200);
  BOOST_TEST(inbox.Json().at("submissions").as_array().size() == 1u);
  BOOST_TEST(http.Request("GET", "/v1/tenants/hsa/inbox", "", Auth(hsa.token))
                 .Json()
                 .at("submissions")
                 .as_array()
                 .empty());

  auto content = http.Request("GET", "/v1/tenants/fda/submissions/" + s + "/content", "", Auth(fda.token));
  BOOST_REQUIRE_EQUAL(content.status, 200);
  BOOST_TEST(content.Json().at("content").at("device").at("tradeName").as_string() == "CXR");
  auto exact =
      http.Request("GET", "/v1/tenants/fda/submissions/" + s + "/content", "",
                   {{"Authorization", "Bearer " + fda.token}, {"Accept", "application/vnd.dossier.v1+json"}});
  BOOST_TEST(exact.body == v1);
  BOOST_TEST(
      http.Request("GET", "/v1/tenants/fda/submissions/" + s + "/blobs/" + doc, "", Auth(fda.token)).body ==
      "software description v1");
  // Outside the grant: another document, another regulator, the manufacturer's own store.
  BOOST_TEST(
      http.Request("GET", "/v1/tenants/fda/submissions/" + s + "/blobs/" + secret_doc, "", Auth(fda.token))
          .status == 404);
  BOOST_TEST(
      http.Request("GET", "/v1/tenants/hsa/submissions/" + s + "/content", "", Auth(hsa.token)).status ==
      404);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/blobs/" + doc, "", Auth(fda.token)).status == 404);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers/cxr/versions/2", "", Auth(fda.token)).status ==
             404);
  // The manufacturer does not read through the regulator's grant route.
  BOOST_TEST(
      http.Request("GET", "/v1/tenants/acme/submissions/" + s + "/content", "", Auth(acme.token)).status ==
      404);

  BOOST_TEST(http.Request("POST", "/v1/tenants/fda/submissions/" + s + ":start-review", "", Auth(fda.token))
                 .Json()
                 .at("status")
                 .as_string() == "UNDER_REVIEW");

  // The regulator signs a decision with a review report keyed by ToC heading.
  const std::string decision =
      R"({"submission":")" + s +
      R"(","outcome":"CLEARED","number":"K261234","date":"2026-11-29","sections":[{"code":"2.04.01","outcome":"ACCEPTABLE","notes":"adequate"}]})";
  const std::string dd = UploadBlob(http, fda, decision);
  const std::string url = "/v1/tenants/fda/submissions/" + s + "/decisions";
  const std::string media = "application/vnd.dossier.decision.v1+json";
  // The manufacturer cannot decide; a statement naming another object is refused.
  BOOST_TEST(http.Request("POST", "/v1/tenants/acme/submissions/" + s + "/decisions",
                          CommitBody(acme, "submissions/" + s + "/decisions", 1, "", dd, acme.key, media),
                          JsonAuth(acme.token))
                 .status == 404);
  auto wrong =
      http.Request("POST", url, CommitBody(fda, "submissions/other/decisions", 1, "", dd, fda.key, media),
                   JsonAuth(fda.token));
  BOOST_TEST(wrong.ProblemCode() == "statement-mismatch");
  auto decided =
      http.Request("POST", url, CommitBody(fda, "submissions/" + s + "/decisions", 1, "", dd, fda.key, media),
                   JsonAuth(fda.token));
  BOOST_REQUIRE_MESSAGE(decided.status == 201, decided.body);

  auto seen = http.Request("GET", "/v1/tenants/acme/submissions/" + s, "", Auth(acme.token));
  BOOST_REQUIRE_EQUAL(seen.status, 200);
  BOOST_TEST(seen.Json().at("status").as_string() == "DECIDED");
  BOOST_TEST(seen.Json().at("decision").at("number").as_string() == "K261234");
  BOOST_TEST(seen.Json().at("decision").at("outcome").as_string() == "CLEARED");
  BOOST_TEST(!seen.Json().as_object().contains("documents"));
  auto listed = http.Request("GET", "/v1/tenants/acme/submissions/" + s + "/decisions", "", Auth(acme.token));
  BOOST_TEST(listed.Json().at("decisions").as_array().size() == 1u);
  auto withdraw =
      http.Request("POST", "/v1/tenants/acme/submissions/" + s + ":withdraw", "", Auth(acme.token));
  BOOST_TEST(withdraw.status == 409);
  BOOST_TEST(withdraw.ProblemCode() == "already-decided");
}

// A decision is checked against the body that records it (issue 14, error
// 13): a notified body cannot record an FDA clearance ("CLEARED", "K12"); it
// certifies, with a certificate number and an expiry date.
BOOST_AUTO_TEST_CASE(decision_checked_against_the_deciding_body) {
  TempDir dir;
  Server server(dir.path() / "data");
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  Actor acme = CreateActor(http, op, "acme");
  Actor nb = CreateActor(http, op, "tuv-nb", "NOTIFIED_BODY");
  CreateMinimalCxr(http, acme);
  auto submitted = http.Request("POST", "/v1/tenants/acme/submissions",
                                R"({"dossier":"cxr","version":1,"agency":"tuv-nb","pathway":"annex-ix"})",
                                JsonAuth(acme.token));
  BOOST_REQUIRE_MESSAGE(submitted.status == 201, submitted.body);
  const std::string s(submitted.Json().at("id").as_string());
  const std::string url = "/v1/tenants/tuv-nb/submissions/" + s + "/decisions";
  const std::string media = "application/vnd.dossier.decision.v1+json";
  auto decide = [&](const std::string& body) {
    const std::string digest = UploadBlob(http, nb, body);
    return http.Request("POST", url,
                        CommitBody(nb, "submissions/" + s + "/decisions", 1, "", digest, nb.key, media),
                        JsonAuth(nb.token));
  };
  auto cleared =
      decide(R"({"submission":")" + s + R"(","outcome":"CLEARED","number":"K12","date":"2026-11-29"})");
  BOOST_TEST(cleared.status == 422);
  BOOST_TEST(cleared.ProblemCode() == "invalid-value");
  BOOST_TEST(cleared.Json().at("field").as_string() == "content.outcome");
  auto no_expiry = decide(R"({"submission":")" + s +
                          R"(","outcome":"CERTIFIED","number":"G1 2797 0001","date":"2026-11-29"})");
  BOOST_TEST(no_expiry.status == 422);
  BOOST_TEST(no_expiry.Json().at("field").as_string() == "content.validUntil");
  auto certified = decide(
      R"({"submission":")" + s +
      R"(","outcome":"CERTIFIED","number":"G1 2797 0001","date":"2026-11-29","validUntil":"2031-11-28"})");
  BOOST_TEST(certified.status == 201, certified.body);
}

// Checks at the door (issue 15): the pathway must be one the agency offers for
// the device's class (schema/translate/data/pathways.tsv), and a version still
// open at an agency is not submitted to it a second time.
BOOST_AUTO_TEST_CASE(door_checks_pathway_for_class_and_one_open_submission) {
  TempDir dir;
  Server server(dir.path() / "data");
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  Actor acme = CreateActor(http, op, "acme");
  // A regulator of a jurisdiction: its agency's pathways apply.
  BOOST_REQUIRE_EQUAL(http.Request("POST", "/v1/tenants",
                                   R"({"id":"fda","kind":"REGULATOR","jurisdiction":"US"})", JsonAuth(op))
                          .status,
                      201);
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", JsonAuth(acme.token)).status, 201);
  json::value content = json::parse(MinimalDossierJson("CXR", {UploadBlob(http, acme, "doc")}));
  content.as_object()["classifications"] = json::object{{"us", json::object{{"deviceClass", "CLASS_II"}}}};
  const std::string d1 = UploadBlob(http, acme, json::serialize(content));
  auto committed = http.Request("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                                CommitBody(acme, "dossiers/cxr", 1, "", d1, acme.key), JsonAuth(acme.token));
  BOOST_REQUIRE_MESSAGE(committed.status == 201, committed.body);
  auto submit = [&](const std::string& pathway) {
    return http.Request("POST", "/v1/tenants/acme/submissions",
                        R"({"dossier":"cxr","version":1,"agency":"fda","pathway":")" + pathway + "\"}",
                        JsonAuth(acme.token));
  };

  auto pma = submit("pma");
  BOOST_TEST(pma.status == 400);
  BOOST_TEST(pma.ProblemCode() == "pathway-not-offered");
  BOOST_TEST(pma.Json().at("field").as_string() == "pathway");
  BOOST_TEST(std::string(pma.Json().at("detail").as_string()).find("21 CFR") != std::string::npos, pma.body);
  BOOST_TEST(submit("510k-express").ProblemCode() == "unknown-pathway");

  auto first = submit("510k-traditional");
  BOOST_REQUIRE_MESSAGE(first.status == 201, first.body);
  const std::string s(first.Json().at("id").as_string());
  for (const char* pathway : {"510k-traditional", "de-novo"}) {
    auto again = submit(pathway);
    BOOST_TEST(again.status == 409, again.body);
    BOOST_TEST(again.Header("content-type") == "application/problem+json");
    BOOST_TEST(again.ProblemCode() == "already-submitted");
    BOOST_TEST(again.Json().at("existingSubmission").as_string() == s);
    BOOST_TEST(std::string(again.Json().at("detail").as_string()).find(s) != std::string::npos);
    BOOST_TEST(again.Header("location") == "/v1/tenants/acme/submissions/" + s);
  }
  // Withdrawn, the version may go to the agency again.
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/submissions/" + s + ":withdraw", "", Auth(acme.token)).status,
      200);
  BOOST_TEST(submit("510k-traditional").status == 201);
}

// Two changes of one submission at the same moment — the manufacturer
// withdraws while the regulator starts its review — each read the stored
// record and wrote it back whole; without one lock per submission across
// those read-modify-writes the later write undid the earlier one, and a
// withdrawn submission came back as UNDER_REVIEW. A withdrawal that answered
// 200 must stay withdrawn, whatever ran beside it. (Racing over real HTTP, so
// one round may or may not overlap; 40 rounds made the lost update show
// several times before the fix.)
BOOST_AUTO_TEST_CASE(concurrent_changes_of_one_submission_never_undo_each_other) {
  TempDir dir;
  Server server(dir.path() / "data");
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  Actor acme = CreateActor(http, op, "acme");
  Actor fda = CreateActor(http, op, "fda", "REGULATOR");
  CreateMinimalCxr(http, acme);
  HttpClient manufacturer(server.port()), regulator(server.port());
  int under_review_first = 0;
  for (int round = 0; round < 40; ++round) {
    auto submitted = http.Request(
        "POST", "/v1/tenants/acme/submissions",
        R"({"dossier":"cxr","version":1,"agency":"fda","pathway":"510k-traditional"})", JsonAuth(acme.token));
    BOOST_REQUIRE_MESSAGE(submitted.status == 201, submitted.body);
    const std::string s(submitted.Json().at("id").as_string());
    std::latch start(2);
    HttpResult withdrawn, reviewed;
    std::thread withdraw([&] {
      start.arrive_and_wait();
      withdrawn = manufacturer.Request("POST", "/v1/tenants/acme/submissions/" + s + ":withdraw", "",
                                       Auth(acme.token));
    });
    std::thread review([&] {
      start.arrive_and_wait();
      reviewed = regulator.Request("POST", "/v1/tenants/fda/submissions/" + s + ":start-review", "",
                                   Auth(fda.token));
    });
    withdraw.join();
    review.join();
    // Withdrawal is allowed until a decision, so it always succeeds here;
    // start-review succeeds when it came first and is refused after it.
    BOOST_REQUIRE_MESSAGE(withdrawn.status == 200, withdrawn.body);
    BOOST_TEST((reviewed.status == 200 || reviewed.ProblemCode() == "withdrawn"), reviewed.body);
    if (reviewed.status == 200) ++under_review_first;
    for (const auto& [tenant, token] : {std::pair{"acme", acme.token}, std::pair{"fda", fda.token}}) {
      auto now =
          http.Request("GET", std::string("/v1/tenants/") + tenant + "/submissions/" + s, "", Auth(token));
      BOOST_REQUIRE_EQUAL(now.status, 200);
      BOOST_TEST(now.Json().at("status").as_string() == "WITHDRAWN",
                 "round " << round << ": " << tenant << "'s copy after a 200 withdrawal: " << now.body);
    }
  }
  BOOST_TEST_MESSAGE(under_review_first << " of 40 rounds started the review before the withdrawal");
}

// A change plan written after submitting is attached to the submission
// (issue 15): the regulator then reads it as if it had been named at
// submission; the plan already attached is a no-op, anything else that would
// change what the regulator reviews is refused.
BOOST_AUTO_TEST_CASE(change_plan_attached_after_submitting) {
  TempDir dir;
  Server server(dir.path() / "data");
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  Actor acme = CreateActor(http, op, "acme");
  Actor fda = CreateActor(http, op, "fda", "REGULATOR", "US");
  for (const char* d : {"cxr", "other"}) {
    BOOST_REQUIRE_EQUAL(http.Request("POST", "/v1/tenants/acme/dossiers",
                                     std::string(R"({"id":")") + d + R"("})", JsonAuth(acme.token))
                            .status,
                        201);
  }
  const std::string d1 =
      UploadBlob(http, acme, MinimalDossierJson("CXR", {UploadBlob(http, acme, "description")}));
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                   CommitBody(acme, "dossiers/cxr", 1, "", d1, acme.key), JsonAuth(acme.token))
          .status,
      201);
  const char* source = std::getenv("DOSSIER_SOURCE_DIR");
  BOOST_TEST_REQUIRE(source != nullptr, "DOSSIER_SOURCE_DIR is not set (run under ctest)");
  const std::string plan =
      ReadFile(std::filesystem::path(source) / "schema/pccp/testdata/thoraxtriage.pccp.json");
  const std::string plan_media = "application/vnd.dossier.change-plan.v1+json";
  for (const char* p : {"cxr-pccp", "other-pccp"}) {
    const std::string d = std::string(p) == "cxr-pccp" ? "cxr" : "other";
    BOOST_REQUIRE_EQUAL(
        http.Request("POST", "/v1/tenants/acme/change-plans",
                     std::string(R"({"id":")") + p + R"(","dossier":")" + d + R"("})", JsonAuth(acme.token))
            .status,
        201);
    const auto committed =
        http.Request("POST", std::string("/v1/tenants/acme/change-plans/") + p + "/versions",
                     CommitBody(acme, std::string("change-plans/") + p, 1, "", UploadBlob(http, acme, plan),
                                acme.key, plan_media),
                     JsonAuth(acme.token));
    BOOST_REQUIRE_MESSAGE(committed.status == 201, committed.body);
  }
  auto submitted = http.Request(
      "POST", "/v1/tenants/acme/submissions",
      R"({"dossier":"cxr","version":1,"agency":"fda","pathway":"510k-traditional"})", JsonAuth(acme.token));
  BOOST_REQUIRE_MESSAGE(submitted.status == 201, submitted.body);
  const std::string s(submitted.Json().at("id").as_string());
  const std::string attach = "/v1/tenants/acme/submissions/" + s + ":attach-plan";
  // Nothing to read before; bad requests change nothing.
  BOOST_TEST(
      http.Request("GET", "/v1/tenants/fda/submissions/" + s + "/change-plan", "", Auth(fda.token)).status ==
      404);
  BOOST_TEST(
      http.Request("POST", attach, R"({"changePlan":"cxr-pccp"})", JsonAuth(acme.token)).ProblemCode() ==
      "missing-field");
  BOOST_TEST(http.Request("POST", attach, R"({"changePlan":"cxr-pccp","changePlanVersion":1,"x":1})",
                          JsonAuth(acme.token))
                 .status == 400);
  BOOST_TEST(
      http.Request("POST", attach, R"({"changePlan":"cxr-pccp","changePlanVersion":9})", JsonAuth(acme.token))
          .ProblemCode() == "unknown-version");
  BOOST_TEST(
      http.Request("POST", attach, R"({"changePlan":"nope","changePlanVersion":1})", JsonAuth(acme.token))
          .ProblemCode() == "unknown-change-plan");
  BOOST_TEST(http.Request("POST", attach, R"({"changePlan":"other-pccp","changePlanVersion":1})",
                          JsonAuth(acme.token))
                 .ProblemCode() == "plan-of-another-dossier");
  // The regulator cannot attach a plan to what it received.
  BOOST_TEST(http.Request("POST", "/v1/tenants/fda/submissions/" + s + ":attach-plan",
                          R"({"changePlan":"cxr-pccp","changePlanVersion":1})", JsonAuth(fda.token))
                 .status == 403);

  auto attached = http.Request("POST", attach, R"({"changePlan":"cxr-pccp","changePlanVersion":1})",
                               JsonAuth(acme.token));
  BOOST_REQUIRE_MESSAGE(attached.status == 200, attached.body);
  BOOST_TEST(attached.Json().at("changePlan").as_string() == "cxr-pccp");
  BOOST_TEST(attached.Json().at("changePlanVersion").to_number<int>() == 1);
  // Both copies changed: the regulator sees and reads the plan, by its digest.
  auto received = http.Request("GET", "/v1/tenants/fda/submissions/" + s, "", Auth(fda.token));
  BOOST_TEST(received.Json().at("changePlanDigest") == attached.Json().at("changePlanDigest"));
  auto plan_read =
      http.Request("GET", "/v1/tenants/fda/submissions/" + s + "/change-plan", "", Auth(fda.token));
  BOOST_TEST_REQUIRE(plan_read.status == 200, plan_read.body);
  BOOST_TEST(plan_read.Json().at("digest") == attached.Json().at("changePlanDigest"));
  const std::string plan_hex = std::string(attached.Json().at("changePlanDigest").as_string()).substr(7);
  BOOST_TEST(http.Request("GET", "/v1/tenants/fda/submissions/" + s + "/blobs/sha256:" + plan_hex, "",
                          Auth(fda.token))
                 .status == 200);

  // The same plan again changes nothing; another one is refused.
  auto again = http.Request("POST", attach, R"({"changePlan":"cxr-pccp","changePlanVersion":1})",
                            JsonAuth(acme.token));
  BOOST_TEST(again.status == 200);
  BOOST_TEST(again.Json().at("updatedAt") == attached.Json().at("updatedAt"));
  auto other = http.Request("POST", attach, R"({"changePlan":"other-pccp","changePlanVersion":1})",
                            JsonAuth(acme.token));
  BOOST_TEST(other.status == 409);
  BOOST_TEST(other.ProblemCode() == "change-plan-attached");

  // A withdrawn submission takes no plan.
  auto second = http.Request("POST", "/v1/tenants/acme/submissions",
                             R"({"dossier":"cxr","version":1,"agency":"fda","pathway":"510k-traditional"})",
                             JsonAuth(acme.token));
  BOOST_TEST(second.status == 409);  // the first is still open
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/submissions/" + s + ":withdraw", "", JsonAuth(acme.token))
          .status,
      200);
  auto resubmitted = http.Request(
      "POST", "/v1/tenants/acme/submissions",
      R"({"dossier":"cxr","version":1,"agency":"fda","pathway":"510k-traditional"})", JsonAuth(acme.token));
  BOOST_REQUIRE_MESSAGE(resubmitted.status == 201, resubmitted.body);
  const std::string s2(resubmitted.Json().at("id").as_string());
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/submissions/" + s2 + ":withdraw", "", JsonAuth(acme.token))
          .status,
      200);
  auto withdrawn = http.Request("POST", "/v1/tenants/acme/submissions/" + s2 + ":attach-plan",
                                R"({"changePlan":"cxr-pccp","changePlanVersion":1})", JsonAuth(acme.token));
  BOOST_TEST(withdrawn.status == 409);
  BOOST_TEST(withdrawn.ProblemCode() == "withdrawn");
}
