// After "submit": the correspondence ledger (signed events of both parties),
// review clocks as FDA and HSA count them, and section comments with their
// isolation, on a real dossierd. Every event carries its own date, and every
// clock is read ?asOf a fixed day, so the values do not depend on today.
#define BOOST_TEST_MODULE e2e_correspondence
#include <boost/test/unit_test.hpp>

#include "tests/support/harness.h"

using namespace dossier;
using namespace dossier::testing;
namespace json = boost::json;

namespace {

constexpr const char* kEventMedia = "application/vnd.dossier.ledger-event.v1+json";

// One party's side of one submission's ledger: signs and records its events.
struct Side {
  HttpClient& http;
  const Actor& actor;
  std::string submission;
  uint64_t next = 1;
  std::string parent;

  HttpResult Record(const json::object& event) {
    const std::string digest = UploadBlob(http, actor, json::serialize(event));
    auto r = http.Request("POST", "/v1/tenants/" + actor.tenant + "/submissions/" + submission + "/ledger",
                          CommitBody(actor, "submissions/" + submission + "/ledger", next, parent, digest,
                                     actor.key, kEventMedia),
                          JsonAuth(actor.token));
    if (r.status == 201) {
      ++next;
      parent = digest;
    }
    return r;
  }
};

json::object Event(const std::string& s, const std::string& type, const std::string& day) {
  return {{"submission", s}, {"type", type}, {"occurredOn", day}};
}

std::string CommitDossier(HttpClient& http, const Actor& a, const std::string& id, uint64_t n,
                          const std::string& parent, const std::string& content) {
  const std::string digest = UploadBlob(http, a, content);
  auto r = http.Request("POST", "/v1/tenants/" + a.tenant + "/dossiers/" + id + "/versions",
                        CommitBody(a, "dossiers/" + id, n, parent, digest, a.key), JsonAuth(a.token));
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  return digest;
}

std::string Submit(HttpClient& http, const Actor& a, const std::string& body) {
  auto r = http.Request("POST", "/v1/tenants/" + a.tenant + "/submissions", body, JsonAuth(a.token));
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  return std::string(r.Json().at("id").as_string());
}

json::value Clock(HttpClient& http, const Actor& a, const std::string& s, const std::string& as_of) {
  auto r = http.Request("GET", "/v1/tenants/" + a.tenant + "/submissions/" + s + "/clock?asOf=" + as_of, "",
                        Auth(a.token));
  BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
  return r.Json();
}

const json::object* Deadline(const json::value& clock, const std::string& what) {
  for (const auto& d : clock.at("deadlines").as_array()) {
    if (d.at("what").as_string() == what) return &d.as_object();
  }
  return nullptr;
}

}  // namespace

// A 510(k): acceptance review, an AI request with three deficiencies, the
// clock stopping and restarting on the response, a decision: 40 + 20 = 60
// FDA days against the 90-day MDUFA goal.
BOOST_AUTO_TEST_CASE(fda_510k_ledger_and_review_clock) {
  TempDir dir;
  Server server(dir.path() / "data");
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  Actor acme = CreateActor(http, op, "acme");
  Actor fda = CreateActor(http, op, "fda", "REGULATOR", "US");
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", JsonAuth(acme.token)).status, 201);
  const std::string doc = UploadBlob(http, acme, "software description v1");
  const std::string d1 = CommitDossier(http, acme, "cxr", 1, "", MinimalDossierJson("CXR", {doc}));
  const std::string s =
      Submit(http, acme, R"({"dossier":"cxr","version":1,"agency":"fda","pathway":"510k-traditional"})");
  Side maker{http, acme, s};
  Side agency{http, fda, s};

  BOOST_TEST(maker.Record(Event(s, "sent", "2026-01-05")).status == 201);
  // Each side records only its own events.
  json::object ack = Event(s, "acknowledged", "2026-01-07");
  ack["reference"] = "K261234";
  ack["receivedOn"] = "2026-01-05";
  auto wrong_side = maker.Record(ack);
  BOOST_TEST(wrong_side.status == 403);
  BOOST_TEST(wrong_side.ProblemCode() == "not-your-event");
  BOOST_TEST(agency.Record(Event(s, "sent", "2026-01-05")).ProblemCode() == "not-your-event");
  BOOST_TEST(agency.Record(ack).status == 201);  // agency-1
  json::object screening = Event(s, "screening", "2026-01-19");
  screening["outcome"] = "accepted";
  BOOST_TEST(agency.Record(screening).status == 201);  // agency-2

  json::array deficiencies{
      json::object{{"id", "D1"},
                   {"heading", "2.04.01"},
                   {"document", doc},
                   {"text", "Describe the input constraints."}},
      json::object{
          {"id", "D2"}, {"heading", "3.02"}, {"text", "Add the hazard analysis for misclassification."}},
      json::object{{"id", "D3"}, {"heading", "5.02"}, {"text", "Label the device as prescription use."}}};
  json::object bad = Event(s, "ai-request", "2026-02-14");
  bad["deficiencies"] = json::array{json::object{{"id", "D1"}, {"heading", "9.99"}, {"text", "x"}}};
  auto bad_heading = agency.Record(bad);
  BOOST_TEST(bad_heading.ProblemCode() == "unknown-heading");
  BOOST_TEST(bad_heading.Json().at("field").as_string() == "content.deficiencies[0].heading");
  json::object ai = Event(s, "ai-request", "2026-02-14");
  ai["deficiencies"] = deficiencies;
  BOOST_TEST(agency.Record(ai).status == 201);  // agency-3

  // On hold: 40 FDA days (5 Jan .. 14 Feb), the answer due 180 days after the request.
  json::value held = Clock(http, acme, s, "2026-03-01");
  BOOST_TEST(held.at("state").as_string() == "stopped");
  BOOST_TEST(held.at("elapsed").to_number<int64_t>() == 40);
  BOOST_TEST(held.at("goalDays").to_number<int64_t>() == 90);
  BOOST_TEST(held.at("dayKind").as_string() == "fda-days");
  BOOST_REQUIRE(Deadline(held, "response"));
  BOOST_TEST(Deadline(held, "response")->at("dueOn").as_string() == "2026-08-13");
  BOOST_TEST(Deadline(held, "decision-goal")->at("status").as_string() == "paused");
  // The same clock, summarised in the regulator's inbox and the manufacturer's outbox: due soon near the end.
  auto inbox = http.Request("GET", "/v1/tenants/fda/inbox?asOf=2026-08-05", "", Auth(fda.token));
  const json::value inbox_json = inbox.Json();
  const json::value& summary = inbox_json.at("submissions").at(0).at("clock");
  BOOST_TEST(summary.at("dueSoon").as_bool());
  BOOST_TEST(!summary.at("overdue").as_bool());
  auto late = http.Request("GET", "/v1/tenants/acme/submissions?asOf=2026-08-14", "", Auth(acme.token));
  BOOST_TEST(late.Json().at("submissions").at(0).at("clock").at("overdue").as_bool());
  BOOST_TEST(late.Json().at("submissions").at(0).at("clock").at("state").as_string() ==
             "considered-withdrawn");

  // The response: a new dossier version and a reply per deficiency.
  const std::string doc2 = UploadBlob(http, acme, "software description v2");
  CommitDossier(http, acme, "cxr", 2, d1, MinimalDossierJson("CXR", {doc2}));
  json::object response = Event(s, "response", "2026-04-15");
  response["respondsTo"] = "agency-3";
  response["dossierVersion"] = 2;
  response["replies"] = json::array{json::object{{"deficiency", "D1"}, {"text", "See 2.04.01 v2 §3."}},
                                    json::object{{"deficiency", "D2"}, {"text", "Added to 3.02."}}};
  auto incomplete = maker.Record(response);
  BOOST_TEST(incomplete.ProblemCode() == "incomplete-response");
  BOOST_TEST(http.Request("GET", "/v1/tenants/fda/submissions/" + s + "/blobs/" + doc2, "", Auth(fda.token))
                 .status == 404);
  response["replies"].as_array().push_back(json::object{{"deficiency", "D3"}, {"text", "Rx only on 5.02."}});
  BOOST_TEST(maker.Record(response).status == 201);
  // The response granted the regulator the new version's documents.
  BOOST_TEST(
      http.Request("GET", "/v1/tenants/fda/submissions/" + s + "/blobs/" + doc2, "", Auth(fda.token)).body ==
      "software description v2");

  json::value running = Clock(http, fda, s, "2026-04-25");
  BOOST_TEST(running.at("state").as_string() == "running");
  BOOST_TEST(running.at("elapsed").to_number<int64_t>() == 50);
  BOOST_TEST(running.at("goalDueOn").as_string() == "2026-06-04");
  BOOST_TEST(running.at("holds").at(0).at("to").as_string() == "2026-04-15");

  // The decision through the existing route becomes the ledger's last event.
  const std::string decision =
      R"({"submission":")" + s + R"(","outcome":"CLEARED","number":"K261234","date":"2026-05-05"})";
  const std::string dd = UploadBlob(http, fda, decision);
  BOOST_REQUIRE_EQUAL(http.Request("POST", "/v1/tenants/fda/submissions/" + s + "/decisions",
                                   CommitBody(fda, "submissions/" + s + "/decisions", 1, "", dd, fda.key,
                                              "application/vnd.dossier.decision.v1+json"),
                                   JsonAuth(fda.token))
                          .status,
                      201);
  json::value decided = Clock(http, acme, s, "2026-09-01");
  BOOST_TEST(decided.at("state").as_string() == "decided");
  BOOST_TEST(decided.at("elapsed").to_number<int64_t>() == 60);
  BOOST_TEST(Deadline(decided, "decision-goal")->at("status").as_string() == "met");
  BOOST_TEST(maker.Record(Event(s, "withdrawal", "2026-05-06")).ProblemCode() == "submission-closed");

  auto ledger = http.Request("GET", "/v1/tenants/acme/submissions/" + s + "/ledger?asOf=2026-09-01", "",
                             Auth(acme.token));
  BOOST_REQUIRE_EQUAL(ledger.status, 200);
  BOOST_TEST(ledger.Json().at("agencyReference").as_string() == "K261234");
  const json::value ledger_json = ledger.Json();
  std::vector<std::string> types;
  for (const auto& e : ledger_json.at("events").as_array()) types.emplace_back(e.at("type").as_string());
  const std::vector<std::string> expected = {"submitted",  "sent",     "acknowledged", "screening",
                                             "ai-request", "response", "decision"};
  BOOST_TEST(types == expected, boost::test_tools::per_element());
  // Every signed event is in the transparency log.
  for (const auto& e : ledger_json.at("events").as_array()) {
    if (e.at("signed").as_bool())
      BOOST_TEST(e.at("logIndex").to_number<uint64_t>() < LogSize(http, fda.token));
  }
  BOOST_TEST(ledger.Json().at("events").at(4).at("open").as_bool() == false);

  auto metrics = http.Request("GET", "/metrics");
  BOOST_TEST(metrics.body.find("dossier_review_clocks{state=\"decided\"} 1") != std::string::npos);
  BOOST_TEST(metrics.body.find("dossier_review_deadlines{owner=\"manufacturer\",status=\"overdue\"} 0") !=
             std::string::npos);
}

// HSA abridged route, class C: 160 working days; the query stops the clock.
// One ledger per device across agencies for the manufacturer; each agency its own.
BOOST_AUTO_TEST_CASE(hsa_stop_clock_and_ledgers_per_party) {
  TempDir dir;
  Server server(dir.path() / "data");
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  Actor acme = CreateActor(http, op, "acme");
  Actor fda = CreateActor(http, op, "fda", "REGULATOR", "US");
  Actor hsa = CreateActor(http, op, "hsa", "REGULATOR", "SG");
  Actor nb = CreateActor(http, op, "tuv-nb", "NOTIFIED_BODY", "EU");
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", JsonAuth(acme.token)).status, 201);
  json::value dossier = json::parse(MinimalDossierJson("CXR", {UploadBlob(http, acme, "doc")}));
  dossier.as_object()["classifications"] = json::object{{"sg", json::object{{"riskClass", "CLASS_C"}}}};
  const std::string d1 = CommitDossier(http, acme, "cxr", 1, "", json::serialize(dossier));
  const std::string to_hsa =
      Submit(http, acme, R"({"dossier":"cxr","version":1,"agency":"hsa","pathway":"abridged"})");
  const std::string to_fda =
      Submit(http, acme, R"({"dossier":"cxr","version":1,"agency":"fda","pathway":"510k-traditional"})");
  const std::string to_nb =
      Submit(http, acme, R"({"dossier":"cxr","version":1,"agency":"tuv-nb","pathway":"annex-ix"})");

  Side maker{http, acme, to_hsa};
  Side agency{http, hsa, to_hsa};
  BOOST_TEST(maker.Record(Event(to_hsa, "sent", "2026-03-02")).status == 201);  // a Monday
  json::object ack = Event(to_hsa, "acknowledged", "2026-03-03");
  ack["reference"] = "DE0501234";
  BOOST_TEST(agency.Record(ack).status == 201);
  json::object query = Event(to_hsa, "ai-request", "2026-03-16");  // 10 working days after receipt
  query["dueOn"] = "2026-04-15";
  query["deficiencies"] = json::array{
      json::object{{"id", "Q1"}, {"heading", "2.04.01"}, {"text", "Clarify the intended users."}}};
  BOOST_TEST(agency.Record(query).status == 201);  // agency-2
  json::value stopped = Clock(http, acme, to_hsa, "2026-04-01");
  BOOST_TEST(stopped.at("state").as_string() == "stopped");
  BOOST_TEST(stopped.at("elapsed").to_number<int64_t>() == 10);
  BOOST_TEST(stopped.at("dayKind").as_string() == "working");
  BOOST_TEST(stopped.at("goalDays").to_number<int64_t>() == 160);
  BOOST_TEST(Deadline(stopped, "response")->at("dueOn").as_string() == "2026-04-15");
  BOOST_TEST(Deadline(stopped, "response")->at("status").as_string() == "due-soon");
  BOOST_TEST(stopped.at("rules").at(0).at("source").as_string().find("Target Processing Timelines") !=
             std::string::npos);

  dossier.as_object()["device"].as_object()["tradeName"] = "CXR r2";
  CommitDossier(http, acme, "cxr", 2, d1, json::serialize(dossier));
  json::object answer = Event(to_hsa, "response", "2026-04-06");
  answer["respondsTo"] = "agency-2";
  answer["dossierVersion"] = 2;
  answer["replies"] = json::array{json::object{{"deficiency", "Q1"}, {"text", "Radiologists only."}}};
  BOOST_TEST(maker.Record(answer).status == 201);
  json::value restarted = Clock(http, hsa, to_hsa, "2026-04-13");  // 5 more working days
  BOOST_TEST(restarted.at("state").as_string() == "running");
  BOOST_TEST(restarted.at("elapsed").to_number<int64_t>() == 15);
  BOOST_TEST(restarted.at("remaining").to_number<int64_t>() == 145);

  // The notified body's timeline is its contract, configured, not published.
  BOOST_TEST(Clock(http, acme, to_nb, "2026-04-13").at("state").as_string() == "no-rule");
  auto timeline = http.Request(
      "POST", "/v1/tenants/tuv-nb/review-timelines",
      R"({"pathway":"annex-ix","manufacturer":"acme","reviewDays":120,"dayKind":"calendar","responseDays":90,"source":"Agreement NB-2026-17 §4.2"})",
      JsonAuth(nb.token));
  BOOST_REQUIRE_MESSAGE(timeline.status == 201, timeline.body);
  BOOST_TEST(http.Request("POST", "/v1/tenants/acme/review-timelines",
                          R"({"pathway":"x","reviewDays":1,"dayKind":"calendar","source":"s"})",
                          JsonAuth(acme.token))
                 .ProblemCode() == "not-a-regulator");
  json::value nb_clock = Clock(http, acme, to_nb, "2026-04-13");
  BOOST_TEST(nb_clock.at("goalDays").to_number<int64_t>() == 120);
  BOOST_TEST(nb_clock.at("rules").at(0).at("binding").as_string() == "contract");

  // One ledger across agencies for the manufacturer's device; each regulator sees its own.
  auto mine =
      http.Request("GET", "/v1/tenants/acme/ledger?dossier=cxr&asOf=2026-04-13", "", Auth(acme.token));
  BOOST_REQUIRE_EQUAL(mine.status, 200);
  BOOST_TEST(mine.Json().at("submissions").as_array().size() == 3u);
  auto theirs = http.Request("GET", "/v1/tenants/hsa/ledger?asOf=2026-04-13", "", Auth(hsa.token));
  BOOST_REQUIRE_EQUAL(theirs.Json().at("submissions").as_array().size(), 1u);
  BOOST_TEST(theirs.Json().at("submissions").at(0).at("submission").as_string() == to_hsa);
  BOOST_TEST(theirs.Json().at("submissions").at(0).at("agencyReference").as_string() == "DE0501234");
  BOOST_TEST(
      http.Request("GET", "/v1/tenants/hsa/submissions/" + to_fda + "/ledger", "", Auth(hsa.token)).status ==
      404);
  BOOST_TEST(
      http.Request("GET", "/v1/tenants/fda/submissions/" + to_hsa + "/clock", "", Auth(fda.token)).status ==
      404);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/ledger", "", Auth(hsa.token)).status == 404);
  auto rules = http.Request("GET", "/v1/clock-rules", "", Auth(acme.token));
  BOOST_TEST(rules.Json().at("rules").as_array().size() == 17u);
}

// Comment threads between the reviewer and the manufacturer; a third tenant,
// a regulator without an agreement and one whose agreement excludes review
// reports see nothing; a relying regulator with review reports reads them.
BOOST_AUTO_TEST_CASE(section_comments_and_their_isolation) {
  TempDir dir;
  Server server(dir.path() / "data");
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  Actor acme = CreateActor(http, op, "acme");
  Actor globex = CreateActor(http, op, "globex");
  Actor fda = CreateActor(http, op, "fda", "REGULATOR", "US");
  Actor hsa = CreateActor(http, op, "hsa", "REGULATOR", "SG");        // relies on fda, with review reports
  Actor tga = CreateActor(http, op, "tga", "REGULATOR", "AU");        // no agreement
  Actor anvisa = CreateActor(http, op, "anvisa", "REGULATOR", "BR");  // agreement without review reports
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", JsonAuth(acme.token)).status, 201);
  const std::string doc = UploadBlob(http, acme, "software description");
  CommitDossier(http, acme, "cxr", 1, "", MinimalDossierJson("CXR", {doc}));
  const std::string s =
      Submit(http, acme, R"({"dossier":"cxr","version":1,"agency":"fda","pathway":"510k-traditional"})");
  const std::string at_fda = "/v1/tenants/fda/submissions/" + s + "/comments";
  const std::string at_acme = "/v1/tenants/acme/submissions/" + s + "/comments";

  auto open = [&](const std::string& body) {
    auto r = http.Request("POST", at_fda, body, JsonAuth(fda.token));
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
    return std::string(r.Json().at("id").as_string());
  };
  const std::string c1 =
      open(R"({"heading":"2.04.01","document":")" + doc + R"(","text":"Describe the input constraints."})");
  const std::string c2 = open(R"({"heading":"3.02","text":"Hazard analysis for misclassification?"})");
  const std::string c3 = open(R"({"heading":"5.02","text":"Typo on the label."})");
  BOOST_TEST(
      http.Request("POST", at_fda, R"({"heading":"9.99","text":"x"})", JsonAuth(fda.token)).ProblemCode() ==
      "unknown-heading");
  BOOST_TEST(
      http.Request("POST", at_fda,
                   R"({"heading":"2.04.01","document":"sha256:)" + std::string(64, 'a') + R"(","text":"x"})",
                   JsonAuth(fda.token))
          .ProblemCode() == "unknown-document");
  BOOST_TEST(http.Request("POST", at_acme + "/" + c1 + "/messages", R"({"text":"Constraints are in §3."})",
                          JsonAuth(acme.token))
                 .status == 201);
  BOOST_TEST(http.Request("POST", at_acme + "/" + c3 + ":resolve", "", Auth(acme.token))
                 .Json()
                 .at("status")
                 .as_string() == "resolved");

  auto seen = http.Request("GET", at_acme, "", Auth(acme.token));
  BOOST_REQUIRE_EQUAL(seen.status, 200);
  BOOST_TEST(seen.Json().at("threads").as_array().size() == 3u);
  const json::value seen_json = seen.Json();
  for (const auto& t : seen_json.at("threads").as_array()) {
    if (t.at("id").as_string() != c1) continue;
    BOOST_TEST(t.at("messages").as_array().size() == 2u);
    BOOST_TEST(t.at("messages").at(1).at("party").as_string() == "manufacturer");
    BOOST_TEST(t.at("document").as_string() == doc);
  }

  // Nobody else: another manufacturer, regulators without (the right) agreement.
  auto agreement = [&](const std::string& peer, bool reports) {
    auto r = http.Request(
        "POST", "/v1/tenants/fda/reliance-agreements",
        R"({"peer":")" + peer + R"(","includeReviewReports":)" + (reports ? "true" : "false") + "}",
        JsonAuth(fda.token));
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  };
  agreement("hsa", true);
  agreement("anvisa", false);
  for (const Actor* outsider : {&globex, &tga, &anvisa}) {
    for (const std::string& url : {at_fda, at_acme}) {
      auto r = http.Request("GET", url, "", Auth(outsider->token));
      BOOST_TEST(r.status == 404, outsider->tenant << " " << url);
      BOOST_TEST(r.body.find("Describe") == std::string::npos);
    }
    BOOST_TEST(
        http.Request("POST", at_fda, R"({"heading":"3.02","text":"x"})", JsonAuth(outsider->token)).status ==
        404);
    BOOST_TEST(http.Request("GET", "/v1/tenants/" + outsider->tenant + "/submissions/" + s + "/comments", "",
                            Auth(outsider->token))
                   .status == 404);
  }
  // A VIEWER of the reviewing regulator reads but does not write.
  auto viewer =
      http.Request("POST", "/v1/tenants/fda/tokens", R"({"role":"VIEWER","label":"v"})", JsonAuth(fda.token));
  const std::string viewer_token(viewer.Json().at("token").as_string());
  BOOST_TEST(http.Request("GET", at_fda, "", Auth(viewer_token)).status == 200);
  BOOST_TEST(
      http.Request("POST", at_fda, R"({"heading":"3.02","text":"x"})", JsonAuth(viewer_token)).status == 403);
  // The relying regulator reads the review's threads, never writes, and not through the manufacturer.
  auto relied = http.Request("GET", at_fda, "", Auth(hsa.token));
  BOOST_REQUIRE_EQUAL(relied.status, 200);
  BOOST_TEST(relied.Json().at("threads").as_array().size() == 3u);
  BOOST_TEST(
      http.Request("POST", at_fda + "/" + c2 + "/messages", R"({"text":"x"})", JsonAuth(hsa.token)).status ==
      404);
  BOOST_TEST(http.Request("GET", at_acme, "", Auth(hsa.token)).status == 404);

  // An additional-information request drafted from the open threads, signed and recorded.
  BOOST_TEST(http.Request("POST", at_acme + ":draft-ai-request", "", Auth(acme.token)).ProblemCode() ==
             "not-your-event");
  auto draft = http.Request("POST", at_fda + ":draft-ai-request", R"({"occurredOn":"2026-02-14"})",
                            JsonAuth(fda.token));
  BOOST_REQUIRE_MESSAGE(draft.status == 200, draft.body);
  const json::object event = draft.Json().at("event").as_object();
  const json::array& drafted = event.at("deficiencies").as_array();
  BOOST_REQUIRE_EQUAL(drafted.size(), 2u);  // c3 is resolved
  for (const auto& d : drafted) {
    const std::string comment(d.at("comment").as_string());
    BOOST_TEST((comment == c1 || comment == c2));
    if (comment == c1) {
      BOOST_TEST(d.at("heading").as_string() == "2.04.01");
      BOOST_TEST(d.at("document").as_string() == doc);
    }
  }
  Side agency{http, fda, s};
  BOOST_TEST(agency.Record(event).status == 201);
  auto ledger = http.Request("GET", "/v1/tenants/acme/submissions/" + s + "/ledger", "", Auth(acme.token));
  BOOST_TEST(ledger.Json().at("events").at(1).at("type").as_string() == "ai-request");
  BOOST_TEST(ledger.Json().at("events").at(1).at("open").as_bool());
}
