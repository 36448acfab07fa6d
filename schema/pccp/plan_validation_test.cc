// The plan checks issues 6 and 14 ask for, through schema::ValidateChangePlan
// (the server runs it on every committed plan version; Evaluate runs it again).
#define BOOST_TEST_MODULE pccp_plan_validation
#include <boost/test/unit_test.hpp>
#include <functional>

#include "schema/pccp/evaluate.h"
#include "schema/pccp/test_util.h"
#include "schema/validate.h"

namespace v1 = dossier::v1;
namespace ds = dossier::schema;

BOOST_AUTO_TEST_CASE(thoraxtriage_plan_is_valid_and_complete) {
  const v1::ChangePlan plan = dossier::pccp::testing::ThoraxPlan();
  BOOST_TEST(ds::ValidateChangePlan(plan).ok(), ds::ValidateChangePlan(plan).ToString());
  // The FDA PCCP components (regulatory.md §2.8) are all present.
  BOOST_TEST(plan.modifications_size() == 3);
  BOOST_TEST(plan.modifications(1).permitted_input_types_size() == 2);
  BOOST_TEST(plan.criteria(1).estimate() == v1::AcceptanceCriterion::CI_LOWER_BOUND);
  BOOST_TEST(plan.criteria(4).min_sample_size() == 150u);
  BOOST_TEST(!plan.impact_assessment().cumulative_impact().empty());
  BOOST_TEST(plan.traceability_size() == plan.modifications_size());
  BOOST_TEST(plan.authorizations(2).risk_class() == "B");
}

BOOST_AUTO_TEST_CASE(bad_plans_are_rejected_with_field_paths) {
  const v1::ChangePlan plan = dossier::pccp::testing::ThoraxPlan();
  struct Case {
    const char* name;
    std::function<void(v1::ChangePlan*)> edit;
    const char* reason;
    const char* field;
  };
  const Case cases[] = {
      {"criterion on an undefined metric",
       [](v1::ChangePlan* p) { p->mutable_criteria(5)->set_metric("ppv"); }, "undefined-metric",
       "criteria[5].metric"},
      {"protocol defines no metrics",
       [](v1::ChangePlan* p) { p->mutable_protocol()->mutable_performance_evaluation()->clear_metrics(); },
       "undefined-metric", "criteria[0].metric"},
      {"duplicate modification id", [](v1::ChangePlan* p) { p->mutable_modifications(2)->set_id("M1"); },
       "duplicate-modification-id", "modifications[2].id"},
      {"proportion threshold above 1", [](v1::ChangePlan* p) { p->mutable_criteria(6)->set_min(88); },
       "bad-proportion", "criteria[6].min"},
      {"proportion threshold below 0", [](v1::ChangePlan* p) { p->mutable_criteria(11)->set_max(-0.05); },
       "bad-proportion", "criteria[11].max"},
      {"duplicate criterion", [](v1::ChangePlan* p) { p->mutable_criteria(2)->set_metric("sensitivity"); },
       "duplicate-criterion", "criteria[2]"},
      {"CI lower bound without min",
       [](v1::ChangePlan* p) {
         p->mutable_criteria(1)->clear_min();
         p->mutable_criteria(1)->set_max(0.99);
       },
       "bad-threshold", "criteria[1].estimate"},
      {"criterion on an undefined modification",
       [](v1::ChangePlan* p) { p->mutable_criteria(9)->set_modification_id("M4"); },
       "unknown-modification-id", "criteria[9].modificationId"},
      // Issue 14, error 4: a proportion by definition, whatever the plan's flag says.
      {"sensitivity of 1.7 without the proportion flag",
       [](v1::ChangePlan* p) {
         p->mutable_criteria(4)->set_proportion(false);
         p->mutable_criteria(4)->set_min(1.7);
       },
       "bad-proportion", "criteria[4].min"},
      {"negative cumulative margin",
       [](v1::ChangePlan* p) { p->mutable_criteria(0)->set_max_worsening_from_original(-0.01); },
       "bad-threshold", "criteria[0].maxWorseningFromOriginal"},
      // The PCCP components (FDA PCCP guidance: Description of Modifications,
      // Modification Protocol, Impact Assessment).
      {"modification without acceptance criteria",
       [](v1::ChangePlan* p) {
         p->mutable_criteria()->DeleteSubrange(10, 2);  // both M3 criteria
       },
       "missing-acceptance-criteria", "modifications[2]"},
      {"no data management", [](v1::ChangePlan* p) { p->mutable_protocol()->clear_data_management(); },
       "incomplete-protocol", "protocol.dataManagement"},
      {"no re-training practices for a re-training modification",
       [](v1::ChangePlan* p) { p->mutable_protocol()->clear_retraining(); }, "incomplete-protocol",
       "protocol.retraining"},
      {"no test data",
       [](v1::ChangePlan* p) { p->mutable_protocol()->mutable_performance_evaluation()->clear_test_data(); },
       "incomplete-protocol", "protocol.performanceEvaluation.testData"},
      {"no update procedures", [](v1::ChangePlan* p) { p->mutable_protocol()->clear_update_procedures(); },
       "incomplete-protocol", "protocol.updateProcedures"},
      {"no impact assessment", [](v1::ChangePlan* p) { p->clear_impact_assessment(); },
       "incomplete-impact-assessment", "impactAssessment.comparisonToCurrent"},
      {"no cumulative impact",
       [](v1::ChangePlan* p) { p->mutable_impact_assessment()->clear_cumulative_impact(); },
       "incomplete-impact-assessment", "impactAssessment.cumulativeImpact"},
      {"no interactions between several modifications",
       [](v1::ChangePlan* p) { p->mutable_impact_assessment()->clear_interactions(); },
       "incomplete-impact-assessment", "impactAssessment.interactions"},
      {"no originally authorised version",
       [](v1::ChangePlan* p) { p->mutable_device()->clear_software_version(); }, "missing-field",
       "device.softwareVersion"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      v1::ChangePlan p = plan;
      c.edit(&p);
      const dossier::Status s = ds::ValidateChangePlan(p);
      BOOST_TEST_REQUIRE(!s.ok());
      BOOST_TEST(s.reason() == c.reason, s.ToString());
      BOOST_TEST(s.field() == c.field, s.ToString());
    }
  }
}

BOOST_AUTO_TEST_CASE(plan_json_rejects_unknown_members) {
  // Plans are parsed strictly by the codec: a misspelt member never silently
  // drops a criterion.
  auto p = ds::ParseChangePlan(
      R"({"title":"x","criteria":[{"modificationId":"M1","metric":"auc","minimum":0.9}]})",
      ds::ContentFormat::kJson);
  BOOST_TEST(!p.ok());
}
