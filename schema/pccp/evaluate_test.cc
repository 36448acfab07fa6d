// Evaluation of executed modifications of the ThoraxTriage AI chest X-ray
// triage device against its authorised PCCP (schema/pccp/testdata).
#define BOOST_TEST_MODULE pccp_evaluate
#include "schema/pccp/evaluate.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "schema/dossier_codec.h"
#include "schema/pccp/test_util.h"

namespace v1 = dossier::v1;
namespace pccp = dossier::pccp;
using namespace dossier::pccp::testing;  // NOLINT: Record, ThoraxPlan, MustEvaluate, FindAction

namespace {

// Before the AI Act applies to MDR/IVDR devices (2 Aug 2028): the EU verdicts
// of these tests are the MDR ones. change_rules_test covers the date.
constexpr const char* kDate = "2026-12-07";

pccp::Evaluation Eval(const v1::ChangePlan& plan, const pccp::ModificationRecord& rec) {
  return MustEvaluate(plan, rec, kDate);
}

pccp::Evaluation Eval(const std::string& record_file) { return Eval(ThoraxPlan(), Record(record_file)); }

// "US:document-in-qms" ... in evaluation order.
std::vector<std::string> ActionCodes(const pccp::Evaluation& e) {
  std::vector<std::string> out;
  for (const auto& a : e.actions) out.push_back(a.jurisdiction + ":" + a.action);
  return out;
}

std::string Serialize(const pccp::Evaluation& e) { return boost::json::serialize(pccp::EvaluationToJson(e)); }

}  // namespace

BOOST_AUTO_TEST_CASE(within_plan_retraining_passes_everywhere) {
  const pccp::Evaluation e = Eval("retrain-within-plan.json");
  BOOST_TEST(e.within_plan);
  BOOST_TEST(e.out_of_plan_reasons.empty());
  BOOST_TEST(e.change_class == "planned-modification");
  BOOST_TEST_REQUIRE(e.findings.size() == 7u);  // every M1 criterion, in plan order
  for (size_t i = 0; i < e.findings.size(); ++i) {
    BOOST_TEST_CONTEXT(e.findings[i].explanation) {
      BOOST_TEST(e.findings[i].pass);
      BOOST_TEST(e.findings[i].criterion_path == "criteria[" + std::to_string(i) + "]");
    }
  }
  // The CI criterion is judged on the lower bound, not the point estimate.
  BOOST_TEST(e.findings[1].estimate == "ci-lower");
  BOOST_TEST(e.findings[1].value == 0.905);
  BOOST_TEST(*e.findings[1].point == 0.927);

  // EU: before 2 Aug 2028 the plan relieves no MDR duty (class IIa: Annex IX §2.4).
  const std::vector<std::string> want = {"US:document-in-qms", "US:update-labelling",
                                         "EU:inform-notified-body", "EU:new-udi-di", "SG:within-cmp"};
  BOOST_TEST(ActionCodes(e) == want, boost::test_tools::per_element());
  const pccp::Action* us = FindAction(e, "US", "document-in-qms");
  BOOST_TEST(Contains(us->citation, "FD&C Act §515C(b)"));  // K-number: 510(k)-cleared PCCP
  BOOST_TEST(us->verification == "verified");
  BOOST_TEST(Contains(FindAction(e, "US", "update-labelling")->citation, "21 CFR 830.50(a)"));
  BOOST_TEST(Contains(FindAction(e, "EU", "inform-notified-body")->citation, "Annex IX Chapter I §2.4"));
  BOOST_TEST(Contains(FindAction(e, "EU", "new-udi-di")->citation, "Annex VI Part C 6.5"));
  BOOST_TEST(Contains(FindAction(e, "SG", "within-cmp")->citation, "HSA GN-37"));
  BOOST_TEST(e.jurisdictions[0].within_plan);
  BOOST_TEST(!e.jurisdictions[1].within_plan);
  BOOST_TEST(Contains(e.jurisdictions[1].explanation, "2 August 2028"), e.jurisdictions[1].explanation);
  BOOST_TEST(e.jurisdictions[2].within_plan);
  BOOST_TEST(e.evaluation_date == kDate);

  // API.md shape.
  const boost::json::object o = pccp::EvaluationToJson(e);
  BOOST_TEST(o.at("withinPlan").as_bool());
  const auto& f0 = o.at("findings").as_array().at(0).as_object();
  for (const char* key : {"metric", "subgroup", "value", "threshold", "pass"})
    BOOST_TEST(f0.contains(key), key);
  BOOST_TEST(f0.at("threshold").as_double() == 0.9);
  const auto& a0 = o.at("actions").as_array().at(0).as_object();
  for (const char* key : {"jurisdiction", "action", "citation"}) BOOST_TEST(a0.contains(key), key);
  BOOST_TEST(o.at("outOfPlanReasons").as_array().empty());
}

BOOST_AUTO_TEST_CASE(subgroup_below_threshold_is_out_of_plan_with_numbers) {
  const pccp::Evaluation e = Eval("retrain-subgroup-below.json");
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(e.out_of_plan_reasons == std::vector<std::string>{"criterion-failed"},
             boost::test_tools::per_element());
  std::vector<const pccp::Finding*> failed;
  for (const auto& f : e.findings) {
    if (!f.pass) failed.push_back(&f);
  }
  BOOST_TEST_REQUIRE(failed.size() == 1u);
  const pccp::Finding& f = *failed[0];
  BOOST_TEST(f.metric == "sensitivity");
  BOOST_TEST(f.subgroup == "ethnicity=east-asian");
  BOOST_TEST(f.value == 0.861);
  BOOST_TEST(*f.threshold_min == 0.88);
  BOOST_TEST(f.failure == "below-min");
  BOOST_TEST(f.criterion_path == "criteria[6]");
  BOOST_TEST(f.result_path == "results[5]");
  BOOST_TEST(Contains(f.explanation, "ethnicity=east-asian"), f.explanation);
  BOOST_TEST(Contains(f.explanation, "0.861"), f.explanation);
  BOOST_TEST(Contains(f.explanation, "0.88"), f.explanation);
  BOOST_TEST_REQUIRE(e.reason_details.size() == 1u);
  BOOST_TEST(e.reason_details[0].field == "results[5]");

  const std::vector<std::string> want = {"US:do-not-implement",     "US:new-510k",   "EU:do-not-implement",
                                         "EU:inform-notified-body", "EU:new-udi-di", "SG:do-not-implement",
                                         "SG:change-notification"};
  BOOST_TEST(ActionCodes(e) == want, boost::test_tools::per_element());
  BOOST_TEST(Contains(FindAction(e, "US", "do-not-implement")->explanation, "ethnicity=east-asian"));
  // A change that failed its criteria is never the lowest HSA category (Class B: Review).
  BOOST_TEST(FindAction(e, "SG", "change-notification")->category == "Review");
  for (const auto& j : e.jurisdictions) BOOST_TEST(!j.within_plan, j.jurisdiction);

  const auto json = pccp::EvaluationToJson(e);
  const auto& jf = json.at("findings").as_array().at(6).as_object();
  BOOST_TEST(jf.at("subgroup").as_string() == "ethnicity=east-asian");
  BOOST_TEST(jf.at("value").as_double() == 0.861);
  BOOST_TEST(jf.at("threshold").as_double() == 0.88);
  BOOST_TEST(!jf.at("pass").as_bool());
}

BOOST_AUTO_TEST_CASE(new_input_modality_is_out_of_plan) {
  const pccp::Evaluation e = Eval("new-modality.json");
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(e.out_of_plan_reasons == std::vector<std::string>{"new-input-type"},
             boost::test_tools::per_element());
  // CR is permitted by M2; CT is not - and the reason says which one.
  BOOST_TEST_REQUIRE(e.reason_details.size() == 1u);
  BOOST_TEST(e.reason_details[0].field == "changes.newInputTypes[1]");
  BOOST_TEST(Contains(e.reason_details[0].explanation, "chest-ct"));
  for (const auto& f : e.findings) BOOST_TEST(f.pass, f.explanation);  // the numbers were fine

  const std::vector<std::string> want = {"US:new-510k", "EU:inform-notified-body", "EU:new-udi-di",
                                         "SG:change-notification"};
  BOOST_TEST(ActionCodes(e) == want, boost::test_tools::per_element());
  BOOST_TEST(FindAction(e, "SG", "change-notification")->category == "Review");  // HSA Class B
}

BOOST_AUTO_TEST_CASE(indication_change_needs_new_submission_everywhere) {
  const pccp::Evaluation e = Eval("indication-change.json");
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(e.out_of_plan_reasons == std::vector<std::string>{"indication-change"},
             boost::test_tools::per_element());
  BOOST_TEST(e.reason_details[0].field == "changes.indicationChanged");
  const std::vector<std::string> want = {"US:new-510k", "EU:inform-notified-body", "EU:new-udi-di",
                                         "SG:new-registration"};
  BOOST_TEST(ActionCodes(e) == want, boost::test_tools::per_element());
  BOOST_TEST(Contains(FindAction(e, "EU", "new-udi-di")->explanation, "intended use"));
  BOOST_TEST(Contains(FindAction(e, "SG", "new-registration")->citation, "HSA GN-21"));
}

BOOST_AUTO_TEST_CASE(bug_fix_release_gets_new_udi_pi_only) {
  const pccp::Evaluation e = Eval("bug-fix.json");
  BOOST_TEST(e.change_class == "minor-revision");
  BOOST_TEST(!e.within_plan);  // not a planned modification: ordinary change control
  BOOST_TEST(e.out_of_plan_reasons == std::vector<std::string>{"not-a-planned-modification"},
             boost::test_tools::per_element());
  BOOST_TEST(e.findings.empty());
  BOOST_TEST(FindAction(e, "EU", "new-udi-pi") != nullptr);
  BOOST_TEST(FindAction(e, "EU", "new-udi-di") == nullptr);
  BOOST_TEST(FindAction(e, "EU", "inform-notified-body") == nullptr);
  BOOST_TEST(FindAction(e, "EU", "document-in-qms") != nullptr);
  BOOST_TEST(Contains(FindAction(e, "EU", "new-udi-pi")->citation, "MDR 2017/745 Annex VI Part C 6.5"));
  BOOST_TEST(FindAction(e, "US", "document-in-qms") != nullptr);
  BOOST_TEST(FindAction(e, "US", "new-510k") == nullptr);
}

BOOST_AUTO_TEST_CASE(evaluations_are_deterministic) {
  const v1::ChangePlan plan = ThoraxPlan();
  // The same plan through its protobuf form must give the same bytes.
  auto from_binary = dossier::schema::ParseChangePlan(dossier::schema::ChangePlanToProtobuf(plan),
                                                      dossier::schema::ContentFormat::kProtobuf);
  BOOST_TEST_REQUIRE(from_binary.ok());
  for (const char* file : {"retrain-within-plan.json", "retrain-subgroup-below.json", "new-modality.json",
                           "indication-change.json", "bug-fix.json"}) {
    BOOST_TEST_CONTEXT(file) {
      const std::string first = Serialize(Eval(plan, Record(file)));
      for (int i = 0; i < 3; ++i) BOOST_TEST(Serialize(Eval(plan, Record(file))) == first);
      BOOST_TEST(Serialize(Eval(*from_binary, Record(file))) == first);
    }
  }
}

BOOST_AUTO_TEST_CASE(unknown_modification_and_missing_results) {
  v1::ChangePlan plan = ThoraxPlan();
  pccp::ModificationRecord rec = Record("retrain-within-plan.json");
  rec.modification_id = "M7";
  pccp::Evaluation e = Eval(plan, rec);
  BOOST_TEST(e.out_of_plan_reasons == std::vector<std::string>{"unknown-modification"},
             boost::test_tools::per_element());
  BOOST_TEST(e.reason_details[0].field == "modificationId");
  BOOST_TEST(e.change_class == "unplanned-change");
  BOOST_TEST(FindAction(e, "US", "new-510k") != nullptr);

  // Drop the female subgroup result and the CI of the overall sensitivity.
  rec = Record("retrain-within-plan.json");
  rec.results.erase(rec.results.begin() + 3);
  rec.results[0].ci_lower.reset();
  e = Eval(plan, rec);
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(e.out_of_plan_reasons == std::vector<std::string>{"missing-result"},
             boost::test_tools::per_element());
  BOOST_TEST(e.findings[1].failure == "missing-confidence-bound");
  BOOST_TEST(!e.findings[1].measured);
  BOOST_TEST(e.findings[4].failure == "missing-result");
  BOOST_TEST(e.findings[4].subgroup == "sex=female");
  BOOST_TEST(pccp::EvaluationToJson(e).at("findings").as_array().at(4).as_object().at("value").is_null());

  // A subgroup result on too few cases does not show the criterion is met.
  rec = Record("retrain-within-plan.json");
  rec.results[4].n = 90;
  e = Eval(plan, rec);
  BOOST_TEST(e.out_of_plan_reasons == std::vector<std::string>{"insufficient-sample-size"},
             boost::test_tools::per_element());
  BOOST_TEST(e.reason_details[0].field == "results[4].sampleSize");
  BOOST_TEST(Contains(e.findings[5].explanation, "150"), e.findings[5].explanation);
}

BOOST_AUTO_TEST_CASE(point_passes_but_lower_confidence_bound_fails) {
  pccp::ModificationRecord rec = Record("retrain-within-plan.json");
  rec.results[0].value = 0.905;
  rec.results[0].ci_lower = 0.861;
  const pccp::Evaluation e = Eval(ThoraxPlan(), rec);
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(e.findings[0].pass);
  BOOST_TEST(!e.findings[1].pass);
  BOOST_TEST(e.findings[1].estimate == "ci-lower");
  BOOST_TEST(Contains(e.findings[1].explanation, "lower confidence bound 0.861"), e.findings[1].explanation);
}

BOOST_AUTO_TEST_CASE(authorisation_status_and_pathway_drive_the_route) {
  v1::ChangePlan plan = ThoraxPlan();
  // Only the US authorisation stands: EU and SG cannot rely on the plan.
  plan.mutable_authorizations(1)->set_status(v1::Authorization::PENDING);
  plan.mutable_authorizations(2)->set_status(v1::Authorization::NOT_SUBMITTED);
  pccp::Evaluation e = Eval(plan, Record("retrain-within-plan.json"));
  BOOST_TEST(e.within_plan);
  BOOST_TEST(e.jurisdictions[0].within_plan);
  BOOST_TEST(!e.jurisdictions[1].within_plan);
  BOOST_TEST(FindAction(e, "EU", "inform-notified-body") != nullptr);
  BOOST_TEST(Contains(FindAction(e, "EU", "inform-notified-body")->explanation, "PENDING"));
  BOOST_TEST(FindAction(e, "SG", "change-notification")->category == "Notification");

  // Nowhere authorised.
  plan.mutable_authorizations(0)->set_status(v1::Authorization::PENDING);
  e = Eval(plan, Record("retrain-within-plan.json"));
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(e.out_of_plan_reasons == std::vector<std::string>{"plan-not-authorized"},
             boost::test_tools::per_element());

  // A PMA-authorised plan: out-of-plan changes go to a PMA supplement.
  plan = ThoraxPlan();
  plan.mutable_authorizations(0)->set_reference("P240012");
  e = Eval(plan, Record("new-modality.json"));
  BOOST_TEST(Contains(FindAction(e, "US", "pma-supplement")->citation, "21 CFR 814.39"));
  e = Eval(plan, Record("retrain-within-plan.json"));
  BOOST_TEST(!Contains(FindAction(e, "US", "document-in-qms")->citation, "807.81"));

  // A plan version label that is not the plan's.
  pccp::ModificationRecord rec = Record("retrain-within-plan.json");
  rec.plan_version = "1.0";
  e = Eval(ThoraxPlan(), rec);
  BOOST_TEST(e.out_of_plan_reasons == std::vector<std::string>{"plan-version-mismatch"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(invalid_plan_is_refused) {
  v1::ChangePlan plan = ThoraxPlan();
  plan.mutable_criteria(4)->set_metric("recall");
  auto e = pccp::Evaluate(plan, Record("retrain-within-plan.json"), {kDate});
  BOOST_TEST_REQUIRE(!e.ok());
  BOOST_TEST(e.status().reason() == "undefined-metric");
  BOOST_TEST(e.status().field() == "criteria[4].metric");
}
