#define BOOST_TEST_MODULE schema_sameness
#include "schema/sameness.h"

#include <boost/test/unit_test.hpp>

#include "schema/test_util.h"

namespace dossier::schema {
namespace {

namespace json = boost::json;

v1::Dossier Example() {
  v1::Dossier d = testing::ExampleDossier();
  d.add_patient_population("Adults 22 years and older");
  return d;
}

const json::object& Fact(const json::object& view, const std::string& name) {
  for (const auto& f : view.at("facts").as_array()) {
    if (f.at("fact").as_string() == name) return f.as_object();
  }
  BOOST_FAIL("no fact " << name);
  return view;
}

// The issue's case: every section identical, but the copy's intended use,
// population or class changed - the view must not read as "the same".
BOOST_AUTO_TEST_CASE(changed_facts_are_not_same_even_with_identical_sections) {
  const v1::Dossier ours = Example();
  const std::map<std::string, std::string> digests = {{"2.04.01", "sha256:aa"}, {"3.05.05.08", "sha256:bb"}};

  SamenessInput same{RelianceFactsOf(ours), RelianceFactsOf(ours), digests, digests, nullptr};
  json::object view = SamenessView(same);
  BOOST_TEST(view.at("sameFacts").as_bool());
  BOOST_TEST(view.at("identicalSections").to_number<uint64_t>() == 2u);

  v1::Dossier theirs = ours;
  theirs.set_intended_use(ours.intended_use() + " Also for paediatric patients.");
  theirs.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_IIB);
  theirs.clear_patient_population();
  theirs.add_patient_population("Children and adults");
  SamenessInput changed{RelianceFactsOf(ours), RelianceFactsOf(theirs), digests, digests, nullptr};
  view = SamenessView(changed);
  BOOST_TEST(!view.at("sameFacts").as_bool());
  BOOST_TEST(view.at("identicalSections").to_number<uint64_t>() == 2u);  // sections alone would say "same"
  BOOST_TEST(!Fact(view, "intendedUse").at("same").as_bool());
  BOOST_TEST(!Fact(view, "classification").at("same").as_bool());
  BOOST_TEST(!Fact(view, "patientPopulation").at("same").as_bool());
  BOOST_TEST(Fact(view, "indications").at("same").as_bool());
  // Both values are shown.
  BOOST_TEST(Fact(view, "classification").at("peer").at("eu").at("deviceClass").as_string() == "CLASS_IIB");
  BOOST_TEST(Fact(view, "classification").at("thisSubmission").at("eu").at("deviceClass").as_string() ==
             "CLASS_IIA");
}

BOOST_AUTO_TEST_CASE(whitespace_and_order_do_not_count) {
  v1::Dossier a = Example();
  a.clear_indications();
  a.add_indications("Adults in hospital");
  a.add_indications("Frontal chest X-ray");
  v1::Dossier b = a;
  b.clear_indications();
  b.add_indications("  Frontal chest\nX-ray ");
  b.add_indications("Adults in hospital");
  b.set_intended_use("  " + a.intended_use() + "\n");
  auto cmp = CompareRelianceFacts(RelianceFactsOf(a), RelianceFactsOf(b));
  for (const auto& c : cmp) BOOST_TEST_CONTEXT(c.fact) {
      BOOST_TEST(c.same.value());
    }
  b.add_indications("Emergency department");
  BOOST_TEST(!CompareRelianceFacts(RelianceFactsOf(a), RelianceFactsOf(b))[1].same.value());
}

BOOST_AUTO_TEST_CASE(unknown_peer_facts_are_never_same) {
  const v1::Dossier ours = Example();
  SamenessInput input{RelianceFactsOf(ours), std::nullopt, {}, {}, nullptr};
  json::object view = SamenessView(input);
  BOOST_TEST(view.at("sameFacts").is_null());
  BOOST_TEST(Fact(view, "intendedUse").at("same").is_null());
  BOOST_TEST(Fact(view, "intendedUse").at("peer").is_null());
}

BOOST_AUTO_TEST_CASE(facts_json_round_trip_and_errors) {
  const RelianceFacts facts = RelianceFactsOf(Example());
  auto back = RelianceFactsFromJson(RelianceFactsToJson(facts));
  BOOST_REQUIRE(back.ok());
  BOOST_TEST(back->intended_use == facts.intended_use);
  BOOST_TEST(back->patient_population == facts.patient_population);
  BOOST_TEST((back->classification == facts.classification));
  auto bad = RelianceFactsFromJson(json::parse(R"({"indications": "one"})"));
  BOOST_TEST(bad.status().reason() == "bad-facts");
  BOOST_TEST(bad.status().field() == "indications");
  BOOST_TEST(RelianceFactsFromJson(json::value(3)).status().reason() == "bad-facts");
}

// With review reports, the peer's per-section outcomes and notes and the
// decision's conditions appear in the view.
BOOST_AUTO_TEST_CASE(review_reports_are_carried) {
  const v1::Dossier ours = Example();
  v1::Decision review;
  review.set_outcome(v1::Decision::CLEARED);
  review.add_conditions("Post-market study of paediatric misuse");
  review.set_summary("Substantially equivalent to K192345.");
  auto* s = review.add_sections();
  s->set_code("3.05.05.08");
  s->set_outcome("DEFICIENT");
  s->set_notes("Subgroup results missing for age 65+.");
  SamenessInput input{RelianceFactsOf(ours),
                      RelianceFactsOf(ours),
                      {{"3.05.05.08", "sha256:bb"}},
                      {{"3.05.05.08", "sha256:bb"}},
                      &review};
  json::object view = SamenessView(input);
  const auto& section = view.at("sections").as_array()[0];
  BOOST_TEST(section.at("peerReview").at("outcome").as_string() == "DEFICIENT");
  BOOST_TEST(section.at("peerReview").at("notes").as_string() == "Subgroup results missing for age 65+.");
  BOOST_TEST(view.at("conditions").as_array()[0].as_string() == "Post-market study of paediatric misuse");
  BOOST_TEST(view.at("summary").as_string() == "Substantially equivalent to K192345.");
  // Without a review, no review fields.
  input.review = nullptr;
  view = SamenessView(input);
  BOOST_TEST(!view.at("sections").as_array()[0].as_object().contains("peerReview"));
  BOOST_TEST(!view.contains("conditions"));
}

}  // namespace
}  // namespace dossier::schema
