// The ai: readiness checks decide facts, not filled-in fields (issue 14, "the
// AI/equity evidence is checked, not only stored").
#define BOOST_TEST_MODULE translate_ai_evidence
#include "schema/translate/ai_evidence.h"

#include <boost/test/unit_test.hpp>
#include <string>

namespace v1 = dossier::v1;
using dossier::translate::AiEvidenceContext;
using dossier::translate::CheckAiEvidence;

namespace {

void AddResult(v1::Dossier* d, const std::string& subgroup, int64_t n) {
  auto* m = d->mutable_ai()->add_performance();
  m->set_metric("sensitivity");
  m->set_subgroup(subgroup);
  m->set_value(0.9);
  m->set_sample_size(n);
}

v1::Dataset* AddTestSet(v1::Dossier* d, const std::string& id) {
  auto* ds = d->mutable_ai()->add_datasets();
  ds->set_id(id);
  ds->set_purpose(v1::Dataset::TEST);
  return ds;
}

std::string Status(const v1::Dossier& d, const std::string& check) {
  return CheckAiEvidence(d, check).status;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

// Before: any one subgroup result of the named attribute counted, without a
// sample size and without a second group to compare with.
BOOST_AUTO_TEST_CASE(subgroup_results_need_both_groups_and_sample_sizes) {
  v1::Dossier d;
  AddResult(&d, "", 600);
  AddResult(&d, "sex=female", 0);
  auto o = CheckAiEvidence(d, "subgroup:sex");
  BOOST_TEST(o.status == "missing");
  BOOST_TEST(Contains(o.detail, "ai.performance[1] (sex=female)"), o.detail);

  d.mutable_ai()->mutable_performance(1)->set_sample_size(281);
  o = CheckAiEvidence(d, "subgroup:sex");
  BOOST_TEST(o.status == "missing");
  BOOST_TEST(Contains(o.detail, "at least two groups"), o.detail);

  AddResult(&d, "sex=male", 331);
  BOOST_TEST(Status(d, "subgroup:sex") == "present");
  // The rule names the group: results for ethnicity do not answer sex, nor the reverse.
  BOOST_TEST(Status(d, "subgroup:race,ethnicity") == "missing");
  AddResult(&d, "ethnicity=east-asian", 176);
  AddResult(&d, "ethnicity=white", 402);
  BOOST_TEST(Status(d, "subgroup:race,ethnicity") == "present");
  BOOST_TEST(Status(d, "subgroup:sex+race,ethnicity") == "present");
  BOOST_TEST(Status(d, "subgroup:sex+age") == "missing");
  BOOST_TEST(Status(d, "subgroup:ethnicity=east-asian") == "present");
  BOOST_TEST(Status(d, "subgroup:ethnicity=south-asian") == "missing");
  BOOST_TEST(Status(d, "subgroup:*") == "present");
  AddResult(&d, "age>=65", 305);
  BOOST_TEST(Status(d, "subgroup:age") == "missing");  // one age band only
  AddResult(&d, "age<65", 900);
  BOOST_TEST(Status(d, "subgroup:sex+age") == "present");
}

BOOST_AUTO_TEST_CASE(reference_standard_must_be_stated_and_independent_of_the_device) {
  v1::Dossier d;
  BOOST_TEST(Status(d, "reference-standard") == "missing");
  v1::Dataset* test = AddTestSet(&d, "test-2024");
  auto o = CheckAiEvidence(d, "reference-standard");
  BOOST_TEST(o.status == "missing");
  BOOST_TEST(Contains(o.detail, "ai.datasets[0] (test-2024) states no reference standard"), o.detail);
  test->set_reference_standard("Two radiologists, third adjudicates");
  o = CheckAiEvidence(d, "reference-standard");
  BOOST_TEST(o.status == "missing");
  BOOST_TEST(Contains(o.detail, "does not state whether"), o.detail);
  test->set_reference_standard_independent(false);
  o = CheckAiEvidence(d, "reference-standard");
  BOOST_TEST(o.status == "missing");
  BOOST_TEST(Contains(o.detail, "device's own output"), o.detail);
  test->set_reference_standard_independent(true);
  BOOST_TEST(Status(d, "reference-standard") == "present");
  // A training set does not need one; a second test set does.
  d.mutable_ai()->add_datasets()->set_purpose(v1::Dataset::TRAINING);
  BOOST_TEST(Status(d, "reference-standard") == "present");
  AddTestSet(&d, "external")->set_purpose(v1::Dataset::EXTERNAL_VALIDATION);
  BOOST_TEST(Status(d, "reference-standard") == "missing");
}

BOOST_AUTO_TEST_CASE(generative_evaluations_only_for_generative_devices) {
  v1::Dossier d;
  const std::string check = "generative:hallucination,robustness,prompt-injection";
  BOOST_TEST(Status(d, check) == "not-applicable");
  d.mutable_ai()->set_generative(true);
  auto o = CheckAiEvidence(d, check);
  BOOST_TEST(o.status == "missing");
  BOOST_TEST(Contains(o.detail, "no hallucination evaluation"), o.detail);
  BOOST_TEST(Contains(o.detail, "no prompt-injection evaluation"), o.detail);

  auto add = [&](v1::GenerativeEvaluation::Kind kind, const std::string& method, int64_t n) {
    auto* g = d.mutable_ai()->add_generative_evaluations();
    g->set_kind(kind);
    g->set_method(method);
    g->set_sample_size(n);
  };
  add(v1::GenerativeEvaluation::HALLUCINATION_RATE, "", 500);  // a figure without its method
  add(v1::GenerativeEvaluation::ROBUSTNESS, "perturbed reports", 400);
  add(v1::GenerativeEvaluation::PROMPT_INJECTION_ROBUSTNESS, "red-team suite v2", 250);
  o = CheckAiEvidence(d, check);
  BOOST_TEST(o.status == "missing");
  BOOST_TEST(Contains(o.detail, "ai.generativeEvaluations[0] (hallucination) gives no method"), o.detail);
  d.mutable_ai()->mutable_generative_evaluations(0)->set_method("clinician-rated factual errors");
  BOOST_TEST(Status(d, check) == "present");
  BOOST_TEST(Status(d, "generative:omission") == "missing");
  BOOST_TEST(Status(d, "generative:jailbreak") == "missing");
}

BOOST_AUTO_TEST_CASE(moved_checks_behave_as_before) {
  v1::Dossier d;
  BOOST_TEST(Status(d, "datasets") == "missing");
  v1::Dataset* test = AddTestSet(&d, "t");
  test->mutable_provenance()->add_countries("DE");
  test->mutable_provenance()->set_site_count(3);
  test->set_independent_of_training(true);
  BOOST_TEST(Status(d, "datasets") == "present");
  BOOST_TEST(Status(d, "independent-test") == "present");
  BOOST_TEST(Status(d, "confidence-intervals") == "missing");
  AiEvidenceContext eu;
  eu.is_eu_country = [](std::string_view c) { return c == "DE"; };
  BOOST_TEST(CheckAiEvidence(d, "test-country:EU:3", eu).status == "present");
  BOOST_TEST(CheckAiEvidence(d, "test-country:EU:4", eu).status == "missing");
  BOOST_TEST(Status(d, "test-country:US:1") == "missing");
  BOOST_TEST(Contains(CheckAiEvidence(d, "no-such-check").detail, "unknown ai check no-such-check"));
}
