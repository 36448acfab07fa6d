// The regulatory rules of change-plan evaluation that issue 14 found wrong:
// error 4 (PCCP compliance: sequestered data, reference standard, criteria per
// modification, proportions, cumulative drift), error 5 (the EU verdict
// depends on the date; the MDR / IVDR duty by class) and error 6 (HSA change
// categories). Each case states the rule and its source.
#define BOOST_TEST_MODULE pccp_change_rules
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "schema/pccp/evaluate.h"
#include "schema/pccp/test_util.h"

namespace v1 = dossier::v1;
namespace pccp = dossier::pccp;
using namespace dossier::pccp::testing;  // NOLINT: Record, ThoraxPlan, MustEvaluate, FindAction

namespace {

constexpr const char* kBeforeAiAct = "2028-08-01";
constexpr const char* kAiActApplies = "2028-08-02";

pccp::Evaluation Eval(const v1::ChangePlan& plan, const pccp::ModificationRecord& rec,
                      const char* date = kBeforeAiAct) {
  return MustEvaluate(plan, rec, date);
}

const pccp::JurisdictionVerdict& Verdict(const pccp::Evaluation& e, const std::string& j) {
  for (const auto& v : e.jurisdictions) {
    if (v.jurisdiction == j) return v;
  }
  throw std::runtime_error("no verdict for " + j);
}

bool HasReason(const pccp::Evaluation& e, const std::string& code, const std::string& field) {
  for (const auto& d : e.reason_details) {
    if (d.code == code && d.field == field) return true;
  }
  return false;
}

v1::Authorization& EuAuthorization(v1::ChangePlan& plan) { return *plan.mutable_authorizations(1); }

}  // namespace

// ------------------------------------------------------------------ error 4

// FD&C Act 515C: no new submission only for a change "consistent with" the
// authorised plan; the plan's protocol evaluates on sequestered test data.
BOOST_AUTO_TEST_CASE(error4_test_data_must_be_sequestered) {
  pccp::ModificationRecord rec = Record("retrain-within-plan.json");
  rec.data_summary.test_data_sequestered = false;
  pccp::Evaluation e = Eval(ThoraxPlan(), rec);
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(HasReason(e, "test-data-not-sequestered", "dataSummary.testDataSequestered"));
  BOOST_TEST(FindAction(e, "US", "do-not-implement") != nullptr);
  for (const auto& v : e.jurisdictions) BOOST_TEST(!v.within_plan, v.jurisdiction);

  rec.data_summary.test_data_sequestered.reset();
  e = Eval(ThoraxPlan(), rec);
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(HasReason(e, "sequestration-not-stated", "dataSummary.testDataSequestered"));
}

BOOST_AUTO_TEST_CASE(error4_reference_standard_is_the_protocols) {
  pccp::ModificationRecord rec = Record("retrain-within-plan.json");
  rec.data_summary.reference_standard = "Single reader, consensus with the device output";
  pccp::Evaluation e = Eval(ThoraxPlan(), rec);
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(HasReason(e, "reference-standard-changed", "dataSummary.referenceStandard"));

  // Case and blanks do not make another standard.
  rec.data_summary.reference_standard = "  two radiologists,  third adjudicates ";
  BOOST_TEST(Eval(ThoraxPlan(), rec).within_plan);

  rec.data_summary.reference_standard.clear();
  e = Eval(ThoraxPlan(), rec);
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(HasReason(e, "reference-standard-not-stated", "dataSummary.referenceStandard"));
}

// A modification without acceptance criteria passed automatically before:
// the plan is now refused (PCCP guidance, Modification Protocol: pre-defined
// acceptance criteria for each modification).
BOOST_AUTO_TEST_CASE(error4_modification_without_criteria_never_passes) {
  v1::ChangePlan plan = ThoraxPlan();
  auto* criteria = plan.mutable_criteria();
  criteria->erase(
      std::remove_if(criteria->begin(), criteria->end(),
                     [](const v1::AcceptanceCriterion& c) { return c.modification_id() == "M3"; }),
      criteria->end());
  pccp::ModificationRecord rec = Record("retrain-within-plan.json");
  rec.modification_id = "M3";
  rec.results.clear();
  auto e = pccp::Evaluate(plan, rec, {kBeforeAiAct});
  BOOST_TEST_REQUIRE(!e.ok());
  BOOST_TEST(e.status().reason() == "missing-acceptance-criteria");
  BOOST_TEST(e.status().field() == "modifications[2]");
}

BOOST_AUTO_TEST_CASE(error4_proportion_outside_unit_interval_is_rejected_with_its_path) {
  pccp::ModificationRecord rec = Record("retrain-within-plan.json");
  rec.results[1].value = 1.7;  // specificity
  rec.results[1].ci_upper = 1.8;
  auto e = pccp::Evaluate(ThoraxPlan(), rec, {kBeforeAiAct});
  BOOST_TEST_REQUIRE(!e.ok());
  BOOST_TEST(e.status().reason() == "bad-modification");
  BOOST_TEST(e.status().field() == "results[1].value");

  rec = Record("retrain-within-plan.json");
  rec.results[0].original_value = -0.1;
  e = pccp::Evaluate(ThoraxPlan(), rec, {kBeforeAiAct});
  BOOST_TEST_REQUIRE(!e.ok());
  BOOST_TEST(e.status().field() == "results[0].originalValue");
}

// Each modification may pass its absolute threshold while the device drifts
// away from what was authorised; the plan bounds the drift against the
// originally authorised version (PCCP guidance: compare with the original
// version; impact assessment: cumulative impact).
BOOST_AUTO_TEST_CASE(error4_cumulative_check_against_the_original_version) {
  pccp::ModificationRecord rec = Record("retrain-within-plan.json");
  rec.results[0].value = 0.905;  // above the 0.9 minimum, 0.013 below the original 0.918: allowed (0.02)
  pccp::Evaluation e = Eval(ThoraxPlan(), rec);
  BOOST_TEST(e.within_plan);
  BOOST_TEST(*e.findings[0].original_value == 0.918);

  rec.results[0].original_value = 0.93;  // now 0.025 worse than the original
  e = Eval(ThoraxPlan(), rec);
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(e.findings[0].failure == "worse-than-original");
  BOOST_TEST(HasReason(e, "cumulative-degradation", "results[0]"));
  BOOST_TEST(Contains(e.findings[0].explanation, "2.3.0"), e.findings[0].explanation);

  rec.results[0].original_value.reset();
  e = Eval(ThoraxPlan(), rec);
  BOOST_TEST(e.findings[0].failure == "missing-original-value");
  BOOST_TEST(HasReason(e, "missing-result", "results[0].originalValue"));

  rec = Record("retrain-within-plan.json");
  rec.original_software_version = "2.2.0";
  e = Eval(ThoraxPlan(), rec);
  BOOST_TEST(HasReason(e, "original-version-mismatch", "originalSoftwareVersion"));
}

// ------------------------------------------------------------------ error 5

// AI Act Art 43(4) applies to AI in MDR/IVDR devices only from the Art 6(1)
// date: 2 Aug 2028 (Art 113(c) as amended by Regulation (EU) 2026/1744).
BOOST_AUTO_TEST_CASE(error5_eu_verdict_depends_on_the_date) {
  const pccp::ModificationRecord rec = Record("retrain-within-plan.json");
  pccp::Evaluation before = Eval(ThoraxPlan(), rec, kBeforeAiAct);
  BOOST_TEST(before.within_plan);  // the US PCCP still has effect
  BOOST_TEST(!Verdict(before, "EU").within_plan);
  BOOST_TEST(FindAction(before, "EU", "pre-determined-change") == nullptr);
  const pccp::Action* duty = FindAction(before, "EU", "inform-notified-body");
  BOOST_TEST_REQUIRE(duty != nullptr);
  BOOST_TEST(Contains(duty->citation, "MDR 2017/745 Annex IX Chapter I §2.4"));  // class IIa
  BOOST_TEST(Contains(duty->explanation, "2 August 2028"), duty->explanation);

  pccp::Evaluation after = Eval(ThoraxPlan(), rec, kAiActApplies);
  BOOST_TEST(Verdict(after, "EU").within_plan);
  const pccp::Action* predetermined = FindAction(after, "EU", "pre-determined-change");
  BOOST_TEST_REQUIRE(predetermined != nullptr);
  BOOST_TEST(Contains(predetermined->citation, "Art 43(4)"));
  BOOST_TEST(Contains(predetermined->citation, "Annex IV point 2(f)"));
  BOOST_TEST(Contains(predetermined->citation, "MDCG 2025-6"));
  BOOST_TEST(FindAction(after, "EU", "inform-notified-body") != nullptr);  // the MDR duty stays

  // Only the EU authorisation: before the date nothing gives the plan effect.
  v1::ChangePlan eu_only = ThoraxPlan();
  eu_only.mutable_authorizations(0)->set_status(v1::Authorization::NOT_SUBMITTED);
  eu_only.mutable_authorizations(2)->set_status(v1::Authorization::NOT_SUBMITTED);
  pccp::Evaluation e = Eval(eu_only, rec, kBeforeAiAct);
  BOOST_TEST(!e.within_plan);
  BOOST_TEST(HasReason(e, "plan-not-yet-effective", "authorizations"));
  BOOST_TEST(Eval(eu_only, rec, kAiActApplies).within_plan);

  BOOST_TEST(!pccp::Evaluate(ThoraxPlan(), rec, {"2028-8-2"}).ok());
}

// MDCG 2020-3 concerns legacy (MDD/AIMDD-certificate) devices under MDR Art
// 120: never the basis for a device certified under the MDR.
BOOST_AUTO_TEST_CASE(error5_no_mdcg_2020_3_for_mdr_devices) {
  for (const char* file : {"retrain-within-plan.json", "retrain-subgroup-below.json", "new-modality.json",
                           "indication-change.json", "bug-fix.json"}) {
    for (const char* date : {kBeforeAiAct, kAiActApplies}) {
      const pccp::Evaluation e = Eval(ThoraxPlan(), Record(file), date);
      for (const auto& a : e.actions) {
        BOOST_TEST(!Contains(a.citation, "2020-3"), file << " " << a.action << ": " << a.citation);
        BOOST_TEST(!a.verification.empty(), file << " " << a.action);
      }
    }
  }
}

// MDR Art 52: IIa/IIb under Annex IX Chapters I and III -> §2.4 (QMS and device
// range); class III under Chapters I and II -> §4.10 (changes to the approved
// device). IVDs follow the IVDR Annex IX.
BOOST_AUTO_TEST_CASE(error5_notified_body_duty_by_class) {
  struct Case {
    const char* risk_class;
    const char* action;
    const char* citation;
  };
  const Case cases[] = {
      {"IIa", "inform-notified-body", "MDR 2017/745 Annex IX Chapter I §2.4"},
      {"IIb", "inform-notified-body", "MDR 2017/745 Annex IX Chapter I §2.4"},
      {"III", "notified-body-approval", "MDR 2017/745 Annex IX Chapter II §4.10"},
      {"C", "inform-notified-body", "IVDR 2017/746 Annex IX Chapter I"},
      {"D", "notified-body-approval", "IVDR 2017/746 Annex IX Chapter II"},
      {"I", "document-in-qms", "MDR 2017/745"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.risk_class) {
      v1::ChangePlan plan = ThoraxPlan();
      EuAuthorization(plan).set_risk_class(c.risk_class);
      const pccp::Evaluation e = Eval(plan, Record("new-modality.json"));
      const pccp::Action* a = FindAction(e, "EU", c.action);
      BOOST_TEST_REQUIRE(a != nullptr);
      BOOST_TEST(Contains(a->citation, c.citation), a->citation);
      if (std::string(c.risk_class) == "C" || std::string(c.risk_class) == "D") {
        BOOST_TEST(!Contains(FindAction(e, "EU", "new-udi-di")->citation, "MDR"));
      }
    }
  }
  // Class I (no notified body) is not high-risk under AI Act Art 6(1): no
  // pre-determined change even after the date.
  v1::ChangePlan plan = ThoraxPlan();
  EuAuthorization(plan).set_risk_class("I");
  const pccp::Evaluation e = Eval(plan, Record("retrain-within-plan.json"), kAiActApplies);
  BOOST_TEST(FindAction(e, "EU", "pre-determined-change") == nullptr);
  BOOST_TEST(!Verdict(e, "EU").within_plan);
}

// ------------------------------------------------------------------ error 6

// A change that fails its validated criteria never gets the lowest category,
// and the category and its text agree (GN-21: Review for Class B, Technical
// for C and D, both approved before implementation; Notification only for a
// validated ML-output change with the same inputs, Flowchart 2.5 type 2Aiii).
BOOST_AUTO_TEST_CASE(error6_hsa_category_and_text_agree) {
  v1::ChangePlan not_in_sg = ThoraxPlan();
  not_in_sg.mutable_authorizations(2)->set_status(v1::Authorization::NOT_SUBMITTED);
  v1::ChangePlan class_c = ThoraxPlan();
  class_c.mutable_authorizations(2)->set_risk_class("C");
  for (const v1::ChangePlan* plan : {&not_in_sg, &class_c}) {
    for (const char* file :
         {"retrain-within-plan.json", "retrain-subgroup-below.json", "new-modality.json"}) {
      BOOST_TEST_CONTEXT(file) {
        const pccp::Evaluation e = Eval(*plan, Record(file));
        for (const auto& a : e.actions) {
          if (a.action != "change-notification") continue;
          if (a.category == "Notification") {
            BOOST_TEST(Contains(a.explanation, "Notification-category"), a.explanation);
            BOOST_TEST(!Contains(a.explanation, "approves"), a.explanation);
            for (const auto& f : e.findings) BOOST_TEST(f.pass, f.explanation);
          } else {
            BOOST_TEST(!a.category.empty());
            BOOST_TEST(Contains(a.explanation, a.category + "-category"), a.explanation);
            BOOST_TEST(Contains(a.explanation, "HSA approves"), a.explanation);
          }
        }
      }
    }
  }
  // Failed criteria, SG plan not approved: Review for Class B, never Notification.
  const pccp::Evaluation failed = Eval(not_in_sg, Record("retrain-subgroup-below.json"));
  BOOST_TEST(FindAction(failed, "SG", "change-notification")->category == "Review");
  // The same failure for a Class C device: Technical.
  const pccp::Evaluation failed_c = Eval(class_c, Record("retrain-subgroup-below.json"));
  BOOST_TEST(FindAction(failed_c, "SG", "change-notification")->category == "Technical");
  // Validated, same inputs, plan not approved in SG: Notification (2Aiii).
  const pccp::Evaluation validated = Eval(not_in_sg, Record("retrain-within-plan.json"));
  BOOST_TEST(FindAction(validated, "SG", "change-notification")->category == "Notification");
  // Not sequestered: not validated, so not Notification either.
  pccp::ModificationRecord unsequestered = Record("retrain-within-plan.json");
  unsequestered.data_summary.test_data_sequestered = false;
  BOOST_TEST(FindAction(Eval(not_in_sg, unsequestered), "SG", "change-notification")->category == "Review");
}
