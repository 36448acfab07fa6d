// Post-market performance of ThoraxTriage AI 2.4.0 against its PCCP thresholds.
#define BOOST_TEST_MODULE pccp_post_market
#include "schema/pccp/post_market.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "schema/pccp/reporting_duties.h"
#include "schema/pccp/test_util.h"

namespace pccp = dossier::pccp;
using dossier::pccp::testing::ThoraxPlan;

namespace {

// One quarter: overall sensitivity, female sensitivity, East Asian
// sensitivity at the Singapore site, and the false-positive rate.
std::string Quarter(const std::string& start, const std::string& end, double female, double east_asian_sg,
                    const std::string& extra = "") {
  return R"({"softwareVersion":"2.4.0","periodStart":")" + start + R"(","periodEnd":")" + end +
         R"(","labelLagDays":21,"results":[)"
         R"({"metric":"sensitivity","value":0.921,"ciLower":0.902,"ciUpper":0.937,"sampleSize":880},)"
         R"({"metric":"sensitivity","subgroup":"sex=female","value":)" +
         std::to_string(female) +
         R"(,"sampleSize":402},)"
         R"({"metric":"sensitivity","subgroup":"ethnicity=east-asian","site":"site-05-sg","value":)" +
         std::to_string(east_asian_sg) +
         R"(,"sampleSize":161},)"
         R"({"metric":"falsePositiveRate","value":0.094}])" +
         extra + "}";
}

pccp::PerformanceReport Parse(const std::string& json) {
  auto r = pccp::ParsePerformanceReport(json);
  BOOST_TEST_REQUIRE(r.ok(), r.status().ToString());
  return std::move(r).value();
}

const pccp::DriftFlag* FindFlag(const std::vector<pccp::DriftFlag>& flags, const std::string& code,
                                const std::string& subgroup = "") {
  for (const auto& f : flags) {
    if (f.code == code && (subgroup.empty() || f.subgroup == subgroup)) return &f;
  }
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_quarter_within_thresholds_has_no_drift) {
  auto e = pccp::EvaluatePerformance(ThoraxPlan(), Parse(Quarter("2025-10-01", "2025-12-31", 0.915, 0.901)));
  BOOST_TEST_REQUIRE(e.ok(), e.status().ToString());
  BOOST_TEST(!e->drift);
  BOOST_TEST(e->findings.size() == 4u);
  for (const auto& f : e->findings) BOOST_TEST(f.pass, f.explanation);
  // Strictest bound across modifications: overall sensitivity >= 0.9 (M1, M3).
  BOOST_TEST(*e->findings[0].threshold_min == 0.9);
  BOOST_TEST(*e->findings[3].threshold_max == 0.12);
  // Age >= 65 is guarded by the plan but missing from the report.
  const pccp::DriftFlag* missing = FindFlag(e->flags, "not-reported", "age>=65");
  BOOST_TEST_REQUIRE(missing != nullptr);
  BOOST_TEST(!missing->drift);
  BOOST_TEST(FindFlag(e->flags, "provisional-labels") != nullptr);
}

BOOST_AUTO_TEST_CASE(subgroup_drift_at_one_site_is_flagged_with_numbers) {
  auto e = pccp::EvaluatePerformance(ThoraxPlan(), Parse(Quarter("2026-01-01", "2026-03-31", 0.905, 0.862)));
  BOOST_TEST_REQUIRE(e.ok());
  BOOST_TEST(e->drift);
  const pccp::DriftFlag* f = FindFlag(e->flags, "below-threshold");
  BOOST_TEST_REQUIRE(f != nullptr);
  BOOST_TEST(f->subgroup == "ethnicity=east-asian");
  BOOST_TEST(f->site == "site-05-sg");
  BOOST_TEST(f->field == "results[2]");
  BOOST_TEST(f->explanation.find("0.862") != std::string::npos, f->explanation);
  BOOST_TEST(f->explanation.find("0.88") != std::string::npos, f->explanation);
  const auto json = pccp::PerformanceEvaluationToJson(*e);
  BOOST_TEST(json.at("drift").as_bool());
  BOOST_TEST(json.at("findings").as_array().at(2).as_object().at("site").as_string() == "site-05-sg");
}

BOOST_AUTO_TEST_CASE(series_marks_persistent_drift_and_declining_trend) {
  std::vector<pccp::PerformanceReport> reports = {
      // Deliberately out of order: the series sorts by period.
      Parse(Quarter("2026-04-01", "2026-06-30", 0.895, 0.851)),
      Parse(Quarter("2025-10-01", "2025-12-31", 0.915, 0.901)),
      Parse(Quarter("2026-01-01", "2026-03-31", 0.905, 0.862)),
  };
  auto s = pccp::EvaluatePerformanceSeries(ThoraxPlan(), reports);
  BOOST_TEST_REQUIRE(s.ok(), s.status().ToString());
  BOOST_TEST(s->drift);
  BOOST_TEST(s->periods.front().period_start == "2025-10-01");
  const pccp::DriftFlag* persistent = FindFlag(s->flags, "persistent-drift", "ethnicity=east-asian");
  BOOST_TEST_REQUIRE(persistent != nullptr);
  BOOST_TEST(persistent->drift);
  BOOST_TEST(persistent->explanation.find("2 consecutive") != std::string::npos, persistent->explanation);
  // Women still pass (>= 0.88) but fall every quarter: a warning, not drift.
  const pccp::DriftFlag* trend = FindFlag(s->flags, "declining-trend", "sex=female");
  BOOST_TEST_REQUIRE(trend != nullptr);
  BOOST_TEST(!trend->drift);
  BOOST_TEST(trend->explanation.find("0.915 -> 0.905 -> 0.895") != std::string::npos, trend->explanation);
  BOOST_TEST(FindFlag(s->flags, "persistent-drift", "sex=female") == nullptr);

  // Deterministic, whatever the input order.
  std::vector<pccp::PerformanceReport> reversed(reports.rbegin(), reports.rend());
  auto again = pccp::EvaluatePerformanceSeries(ThoraxPlan(), reversed);
  BOOST_TEST_REQUIRE(again.ok());
  BOOST_TEST(boost::json::serialize(pccp::SeriesEvaluationToJson(*s)) ==
             boost::json::serialize(pccp::SeriesEvaluationToJson(*again)));

  // Two reports for one period are refused, naming the caller's element.
  reports.push_back(reports[1]);
  auto dup = pccp::EvaluatePerformanceSeries(ThoraxPlan(), reports);
  BOOST_TEST_REQUIRE(!dup.ok());
  BOOST_TEST(dup.status().field() == "reports[3].periodStart");
}

BOOST_AUTO_TEST_CASE(adverse_events_use_imdrf_terms) {
  const std::string extra =
      R"(,"adverseEvents":[{"code":"A090803","count":3,"description":"missed pneumothorax, flagged late"},)"
      R"({"code":"A999999"}])";
  const pccp::PerformanceReport report = Parse(Quarter("2026-01-01", "2026-03-31", 0.905, 0.901, extra));
  BOOST_TEST(report.adverse_events.size() == 2u);

  const char* shared = std::getenv("DOSSIER_SHARED");
  const std::string path =
      std::string(shared ? shared : "../shared") + "/fixtures/imdrf-aet/imdrf_all_terms.json";
  std::ifstream in(path);
  if (!in) {
    BOOST_TEST_MESSAGE("skipping IMDRF catalog check: " << path << " not found");
    return;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto catalog = pccp::ParseImdrfAeTerms(bytes.str());
  BOOST_TEST_REQUIRE(catalog.ok(), catalog.status().ToString());
  auto e = pccp::EvaluatePerformance(ThoraxPlan(), report, &*catalog);
  BOOST_TEST_REQUIRE(e.ok());
  BOOST_TEST(e->adverse_events[0].term == "False Negative Result");
  const pccp::DriftFlag* unknown = FindFlag(e->flags, "unknown-ae-code");
  BOOST_TEST_REQUIRE(unknown != nullptr);
  BOOST_TEST(unknown->field == "adverseEvents[1].code");
}

BOOST_AUTO_TEST_CASE(bad_reports_are_rejected_with_field_paths) {
  struct Case {
    const char* json;
    const char* field;
  };
  const Case cases[] = {
      {R"({"periodStart":"2026-01-01","periodEnd":"2026-03-31","results":[]})", "softwareVersion"},
      {R"({"softwareVersion":"2.4.0","periodStart":"2026-1-1","periodEnd":"2026-03-31","results":[]})",
       "periodStart"},
      {R"({"softwareVersion":"2.4.0","periodStart":"2026-04-01","periodEnd":"2026-03-31","results":[]})",
       "periodEnd"},
      {R"({"softwareVersion":"2.4.0","periodStart":"2026-01-01","periodEnd":"2026-03-31"})", "results"},
      {R"({"softwareVersion":"2.4.0","periodStart":"2026-01-01","periodEnd":"2026-03-31","results":[)"
       R"({"metric":"auc","value":0.9,"site":"a"},{"metric":"auc","value":0.8,"site":"a"}]})",
       "results[1]"},
      {R"({"softwareVersion":"2.4.0","periodStart":"2026-01-01","periodEnd":"2026-03-31","results":[)"
       R"({"metric":"auc","value":0.9,"ciLower":0.95}]})",
       "results[0].ciLower"},
      {R"({"softwareVersion":"2.4.0","periodStart":"2026-01-01","periodEnd":"2026-03-31","results":[],)"
       R"("adverseEvents":[{"code":"false negative"}]})",
       "adverseEvents[0].code"},
      {R"({"softwareVersion":"2.4.0","periodStart":"2026-01-01","periodEnd":"2026-03-31","results":[],)"
       R"("adverseEvents":[{"code":"A090803","count":0}]})",
       "adverseEvents[0].count"},
      {R"({"softwareVersion":"2.4.0","periodStart":"2026-01-01","periodEnd":"2026-03-31","results":[],"x":1})",
       "x"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.json) {
      auto r = pccp::ParsePerformanceReport(c.json);
      BOOST_TEST_REQUIRE(!r.ok());
      const bool unknown_member = std::string_view(c.field) == "x";
      BOOST_TEST(r.status().reason() == (unknown_member ? "unknown-field" : "bad-performance-report"));
      BOOST_TEST(r.status().field() == c.field, r.status().ToString());
    }
  }
}

BOOST_AUTO_TEST_CASE(reporting_duties_are_cited_per_jurisdiction) {
  const auto us = pccp::ReportingDutiesFor("US");
  const auto eu = pccp::ReportingDutiesFor("EU");
  const auto sg = pccp::ReportingDutiesFor("SG");
  BOOST_TEST(us.size() == 3u);
  BOOST_TEST(eu.size() == 4u);
  BOOST_TEST(sg.size() == 3u);
  BOOST_TEST(pccp::ReportingDutiesFor("JP").empty());
  for (const auto* list : {&us, &eu, &sg}) {
    for (const auto& d : *list) {
      BOOST_TEST(!d.source.empty(), d.id);
      BOOST_TEST(!d.section.empty(), d.id);
      BOOST_TEST(!d.deadline.empty(), d.id);
      BOOST_TEST(!d.quote.empty(), d.id);
      BOOST_TEST((d.verification.rfind("verified: ", 0) == 0 || d.verification.rfind("unverified: ", 0) == 0),
                 d.id);
    }
  }
  const auto json = pccp::ReportingDutiesToJson(eu);
  BOOST_TEST(json.at(0).at("section").as_string() == "Article 87(1)(a), 87(3)-(5)");
  BOOST_TEST(json.at(0).at("verified").as_bool());
  BOOST_TEST(!json.at(1).at("verified").as_bool());  // the FSCA deadline was not checked
  BOOST_TEST(json.at(2).at("id").as_string() == "eu-art88-trend");
}
