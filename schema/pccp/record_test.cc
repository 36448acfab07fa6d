// Strict parsing of modification records as ML pipelines post them.
#define BOOST_TEST_MODULE pccp_record
#include <boost/test/unit_test.hpp>
#include <string>

#include "schema/pccp/evaluate.h"
#include "schema/pccp/test_util.h"

namespace pccp = dossier::pccp;

BOOST_AUTO_TEST_CASE(api_minimum_and_full_record) {
  // The API.md minimum.
  auto r = pccp::ParseModificationRecord(
      R"({"planVersion":3,"modificationId":"M1","softwareVersion":"2.4.0",)"
      R"("results":[{"metric":"sensitivity","subgroup":"sex=female","value":0.91}]})");
  BOOST_TEST_REQUIRE(r.ok(), r.status().ToString());
  BOOST_TEST(r->plan_version == "3");
  BOOST_TEST(r->results.size() == 1u);
  BOOST_TEST(r->results[0].subgroup == "sex=female");
  BOOST_TEST(!r->results[0].ci_lower.has_value());

  const pccp::ModificationRecord full = dossier::pccp::testing::Record("retrain-within-plan.json");
  BOOST_TEST(full.data_summary.test_cases.value() == 1716);
  BOOST_TEST(full.data_summary.test_data_sequestered.value());
  BOOST_TEST(full.data_summary.sites.size() == 5u);
  BOOST_TEST(full.results[0].n.value() == 612);
  BOOST_TEST(full.results[0].confidence_level.value() == 0.95);
  BOOST_TEST(full.approver == "Head of Clinical AI, ThoraxTriage Inc.");

  // Proto field names are accepted too (API.md).
  auto snake = pccp::ParseModificationRecord(
      R"({"plan_version":"2.0","modification_id":"M1","software_version":"2.4.0",)"
      R"("results":[{"metric":"auc","value":0.95,"ci_lower":0.93}],"changes":{"bug_fix_only":false}})");
  BOOST_TEST_REQUIRE(snake.ok(), snake.status().ToString());
  BOOST_TEST(snake->results[0].ci_lower.value() == 0.93);

  // A minor revision needs no modification id.
  auto fix = pccp::ParseModificationRecord(
      R"({"planVersion":2,"softwareVersion":"2.4.2","results":[],"changes":{"securityPatchOnly":true}})");
  BOOST_TEST_REQUIRE(fix.ok(), fix.status().ToString());
  BOOST_TEST(fix->changes.MinorRevision());
}

BOOST_AUTO_TEST_CASE(bad_records_are_rejected_with_field_paths) {
  struct Case {
    const char* json;
    const char* field;
  };
  const std::string ok_head = R"("planVersion":2,"modificationId":"M1","softwareVersion":"2.4.0")";
  const Case cases[] = {
      {R"([1,2])", ""},
      {R"({"planVersion":2,)", ""},
      {R"({"modificationId":"M1","softwareVersion":"2","results":[]})", "planVersion"},
      {R"({"planVersion":0,"modificationId":"M1","softwareVersion":"2","results":[]})", "planVersion"},
      {R"({"planVersion":1.5,"modificationId":"M1","softwareVersion":"2","results":[]})", "planVersion"},
      {R"({"planVersion":2,"softwareVersion":"2","results":[]})", "modificationId"},
      {R"({"planVersion":2,"modificationId":"M1","results":[]})", "softwareVersion"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"","results":[]})", "softwareVersion"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2"})", "results"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":{}})", "results"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[],"extra":1})", "extra"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","software_version":"3","results":[]})",
       "softwareVersion"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","date":"15/09/2025","results":[]})",
       "date"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[7]})", "results[0]"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"value":0.9}]})",
       "results[0].metric"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc"}]})",
       "results[0].value"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc","value":"0.9"}]})",
       "results[0].value"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc","value":1e999}]})",
       "results[0].value"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc","value":0.9},)"
       R"({"metric":"sensitivity","value":0.9,"ciLower":0.95}]})",
       "results[1].ciLower"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc","value":0.9,)"
       R"("ciUpper":0.8}]})",
       "results[0].ciUpper"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc","value":0.9,)"
       R"("sampleSize":-3}]})",
       "results[0].sampleSize"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc","value":0.9,)"
       R"("sampleSize":12.5}]})",
       "results[0].sampleSize"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc","value":0.9,)"
       R"("confidenceLevel":95}]})",
       "results[0].confidenceLevel"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc","value":0.9,)"
       R"("sub_group":"x"}]})",
       "results[0].sub_group"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc","value":0.9},)"
       R"({"metric":"auc","value":0.8}]})",
       "results[1]"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[],"dataSummary":)"
       R"({"testCases":-1}})",
       "dataSummary.testCases"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[],"dataSummary":)"
       R"({"sites":["a",""]}})",
       "dataSummary.sites[1]"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[],"changes":)"
       R"({"indicationChanged":"yes"}})",
       "changes.indicationChanged"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[],"changes":)"
       R"({"newInputTypes":"ct"}})",
       "changes.newInputTypes"},
      {R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[],"changes":)"
       R"({"bugFixOnly":true,"indicationChanged":true}})",
       "changes.bugFixOnly"},
      {R"({"planVersion":2,"softwareVersion":"2","results":[],"changes":{"bugFixOnly":false}})",
       "modificationId"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.json) {
      auto r = pccp::ParseModificationRecord(c.json);
      BOOST_TEST_REQUIRE(!r.ok());
      // Members the record does not have are "unknown-field", as on every route.
      const std::string_view f(c.field);
      const bool unknown_member = f == "results[0].sub_group" || f == "extra";
      BOOST_TEST(r.status().reason() == (unknown_member ? "unknown-field" : "bad-modification"));
      BOOST_TEST(r.status().field() == c.field, r.status().ToString());
      BOOST_TEST(r.status().code() == dossier::StatusCode::kInvalidArgument);
    }
  }
  (void)ok_head;
}

// The sample size is "sampleSize" in records as in dossiers and reports; the
// short "n" (never in API.md) is refused by name, pointing at the new one.
BOOST_AUTO_TEST_CASE(the_old_short_sample_size_name_is_refused_naming_the_new_one) {
  auto r = pccp::ParseModificationRecord(
      R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc","value":0.9,"n":400}]})");
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.status().reason() == "bad-modification");
  BOOST_TEST(r.status().field() == "results[0].n");
  BOOST_TEST(r.status().message().find("\"sampleSize\"") != std::string::npos, r.status().message());
  auto ok = pccp::ParseModificationRecord(
      R"({"planVersion":2,"modificationId":"M1","softwareVersion":"2","results":[{"metric":"auc","value":0.9,"sampleSize":400}]})");
  BOOST_TEST_REQUIRE(ok.ok(), ok.status().ToString());
  BOOST_TEST(ok->results[0].n.value() == 400);
}
