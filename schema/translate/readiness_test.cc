#define BOOST_TEST_MODULE translate_readiness
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <iostream>

#include "schema/translate/test_util.h"

namespace dossier::translate {
namespace {

using testing::ExampleDossier;

const ReadinessItem& Item(const ReadinessReport& r, const std::string& id) {
  for (const auto& i : r.items) {
    if (i.id == id) return i;
  }
  BOOST_FAIL("no item " + id + " in " + r.agency + "/" + r.pathway);
  static ReadinessItem none;
  return none;
}

ReadinessReport Run(const v1::Dossier& d, const std::string& agency, const std::string& pathway) {
  auto r = Readiness(d, agency, pathway);
  BOOST_REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  if (std::getenv("TRANSLATE_PRINT")) std::cout << boost::json::serialize(ReadinessToJson(*r)) << "\n";
  return *r;
}

std::string DateYearsAgo(int years) {
  std::time_t now = std::time(nullptr);
  std::tm tm = *std::gmtime(&now);
  tm.tm_year -= years;
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

BOOST_AUTO_TEST_CASE(fda_traditional_510k_of_the_example) {
  auto r = Run(ExampleDossier(), "FDA", "");
  BOOST_TEST(r.pathway == "510k-traditional");  // from regional.us.submissionType
  BOOST_TEST(!r.ready);
  // Present: cover letter, T&A statement, predicates, cybersecurity for a cyber device.
  BOOST_TEST(Item(r, "F1").status == "present");
  BOOST_TEST(Item(r, "F39").status == "present");
  BOOST_TEST(Item(r, "F39").citation == "21 CFR 807.87(l)");
  BOOST_TEST(Item(r, "F12").status == "present");
  BOOST_TEST(Item(r, "F26").status == "present");
  // Missing: prior submissions (1.10), the 510(k) summary document (2.03), labels.
  BOOST_TEST(Item(r, "F7").status == "missing");
  BOOST_TEST(Item(r, "F7").citation == "21 CFR 860.220(a)(3)");
  BOOST_TEST(Item(r, "F38D").status == "missing");
  BOOST_TEST(Item(r, "F38D").citation == "21 CFR 807.92; 807.93");
  BOOST_TEST(Item(r, "F25R").status == "missing");  // SRS 3.05.05.03 for software
  // Conditional items whose condition does not hold.
  BOOST_TEST(Item(r, "F21").status == "not-applicable");  // not sterile
  BOOST_TEST(Item(r, "F40").status == "not-applicable");  // class II: no class III certification
  // AI evidence gaps (draft guidance: advisories): race/ethnicity subgroups are not reported; US sites are.
  BOOST_TEST(Item(r, "AI-FDA-RACE").status == "advised");  // lacking, but draft guidance: never missing
  BOOST_TEST(Item(r, "AI-FDA-RACE").advisory);
  BOOST_TEST(Item(r, "AI-FDA-RACE").citation == "AI-DSF draft guidance (7 Jan 2025) §X.A");
  BOOST_TEST(Item(r, "AI-FDA-SEX").status == "present");
  BOOST_TEST(Item(r, "AI-FDA-US").status == "present");
  BOOST_TEST(Item(r, "AI-FDA-CI").status == "present");
  BOOST_TEST(Item(r, "F-PATH").status == "present");
  // Items of other pathways are not listed.
  for (const auto& i : r.items) BOOST_TEST(i.id != "F45");
}

BOOST_AUTO_TEST_CASE(fda_pathways_differ) {
  const v1::Dossier d = ExampleDossier();
  auto pma = Run(d, "fda", "PMA");
  BOOST_TEST(pma.pathway == "pma");
  BOOST_TEST(Item(pma, "F-PATH").status == "missing");  // class II device
  BOOST_TEST(Item(pma, "F45").status == "missing");
  BOOST_TEST(Item(pma, "F45").citation == "21 CFR 814.20(b)(11)");
  BOOST_TEST(Item(pma, "F46").status == "not-applicable");  // 2.05.03 justified N/A
  BOOST_TEST(Item(pma, "F46").detail.find("adults only") != std::string::npos);
  auto special = Run(d, "FDA", "510k-special");
  BOOST_TEST(Item(special, "F10S").status == "missing");
  BOOST_TEST(Item(special, "F17").status == "present");  // 6B.07 design and development
  auto denovo = Run(d, "FDA", "de-novo");
  BOOST_TEST(Item(denovo, "F42").status == "missing");
  BOOST_TEST(Item(denovo, "F42").citation == "21 CFR 860.220(a)(16)(ii)");
  BOOST_TEST(Item(denovo, "F5").status == "present");  // foreign applicant, US correspondent
}

BOOST_AUTO_TEST_CASE(eu_annex_ix_class_iia) {
  auto r = Run(ExampleDossier(), "EU", "");
  BOOST_TEST(r.pathway == "annex-ix");
  BOOST_TEST(Item(r, "E-ROUTE").status == "present");
  BOOST_TEST(Item(r, "EO1").status == "present");         // SRN
  BOOST_TEST(Item(r, "EO2").status == "present");         // PRRC
  BOOST_TEST(Item(r, "EO3").status == "not-applicable");  // manufacturer in DE
  BOOST_TEST(Item(r, "E6").status == "missing");
  BOOST_TEST(Item(r, "E6").citation == "Regulation (EU) 2017/745 (MDR) Annex II 4");
  BOOST_TEST(Item(r, "E10").status == "missing");
  BOOST_TEST(Item(r, "E10").citation == "Regulation (EU) 2017/745 (MDR) Annex II 6.1(d)");
  BOOST_TEST(Item(r, "E12P").status == "missing");  // PSUR, class IIa, on the market (EUDAMED status)
  BOOST_TEST(Item(r, "E12P").citation == "Regulation (EU) 2017/745 (MDR) Art 86");
  BOOST_TEST(Item(r, "E12R").status == "not-applicable");  // PMS report is class I
  BOOST_TEST(Item(r, "E13").status == "not-applicable");   // SSCP: class III
  // Test data only from the US: the AI Act row advises until it applies (2 Aug 2028), then it is missing.
  const ReadinessOptions before{"2026-12-07", nullptr}, after{"2028-08-02", nullptr};
  BOOST_TEST(Item(*Readiness(ExampleDossier(), "EU", "", before), "AI-EU-GEO").status == "advised");
  BOOST_TEST(Item(*Readiness(ExampleDossier(), "EU", "", after), "AI-EU-GEO").status == "missing");
  BOOST_TEST(Item(r, "AI-EU-GEO").citation == "Regulation (EU) 2024/1689 (AI Act) Art 10(4)");
  BOOST_TEST(Item(r, "AI-EU-HIGH").status == "present");
}

BOOST_AUTO_TEST_CASE(eu_routes_by_class) {
  v1::Dossier d = ExampleDossier();
  auto self = Run(d, "EU", "class-i-self");
  BOOST_TEST(Item(self, "E-ROUTE").status == "missing");
  BOOST_TEST(Item(self, "E-ROUTE").citation == "Regulation (EU) 2017/745 (MDR) Art 52(3)-(7)");
  d.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_III);
  d.mutable_manufacturer()->set_country("US");
  auto iii = Run(d, "EU", "annex-ix");
  BOOST_TEST(Item(iii, "E13").status == "missing");
  BOOST_TEST(Item(iii, "E13").citation == "Regulation (EU) 2017/745 (MDR) Art 32(1)");
  BOOST_TEST(Item(iii, "E14").status == "missing");
  BOOST_TEST(Item(iii, "EO3").status == "missing");  // non-EU manufacturer needs an AR
  BOOST_TEST(Item(iii, "EO3").citation == "Regulation (EU) 2017/745 (MDR) Art 11(1)");
  d.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_I);
  auto i = Run(d, "EU", "");
  BOOST_TEST(i.pathway == "annex-ix");  // the route recorded in the dossier wins
  d.mutable_regional()->mutable_eu()->clear_conformity_assessment_route();
  BOOST_TEST(Run(d, "EU", "").pathway == "class-i-self");
  BOOST_TEST(Item(Run(d, "EU", "class-i-self"), "E12R").status == "missing");  // on the market
  d.mutable_regional()->mutable_eu()->mutable_eudamed()->clear_market_status();
  BOOST_TEST(Item(Run(d, "EU", "class-i-self"), "E12R").status == "not-applicable");  // never marketed
}

BOOST_AUTO_TEST_CASE(hsa_abridged_and_route_eligibility) {
  v1::Dossier d = ExampleDossier();
  auto* sg = d.mutable_regional()->mutable_sg();
  sg->mutable_reference_approvals(0)->set_same_labelled_use(true);
  auto r = Run(d, "HSA", "");
  BOOST_TEST(r.pathway == "abridged");  // recorded evaluation route
  BOOST_TEST(Item(r, "H-REF").status == "present");
  BOOST_TEST(Item(r, "H-REG").status == "present");
  BOOST_TEST(Item(r, "H-ROUTE").status == "present");
  BOOST_TEST(Item(r, "H41").status == "missing");
  BOOST_TEST(Item(r, "H41").citation == "GN-17 CSDT 4.1");
  for (const auto& i : r.items) BOOST_TEST(i.id != "AI-HSA-POP");  // no source: removed

  // One approval, marketed one year: immediate (IBR) is not open for class B.
  sg->mutable_reference_approvals(0)->set_marketed_since(DateYearsAgo(1));
  auto* safety = sg->mutable_global_safety();
  safety->set_declared_on(DateYearsAgo(0));
  auto immediate = Run(d, "HSA", "immediate");
  BOOST_TEST(Item(immediate, "H-ROUTE").status == "missing");
  BOOST_TEST(Item(immediate, "H-ROUTE").detail.find("open: full, abridged") != std::string::npos);
  BOOST_TEST(Item(immediate, "H-SAFETY").status == "present");
  // Three years of marketing and a clean safety record (IBR condition 1) open it.
  sg->mutable_reference_approvals(0)->set_marketed_since(DateYearsAgo(4));
  BOOST_TEST(Item(Run(d, "HSA", "immediate"), "H-ROUTE").status == "present");
  // An open field safety corrective action closes it again.
  safety->set_open_field_safety_corrective_actions(1);
  BOOST_TEST(Item(Run(d, "HSA", "immediate"), "H-ROUTE").status == "missing");
  BOOST_TEST(Item(Run(d, "HSA", "immediate"), "H-SAFETY").status == "missing");
  safety->set_open_field_safety_corrective_actions(0);
  // Without a recorded route the quickest eligible one is the default.
  sg->clear_evaluation_route();
  BOOST_TEST(Run(d, "HSA", "").pathway == "immediate");
  // Class C with two reference agencies: expedited (ECR-2).
  d.mutable_classifications()->mutable_sg()->set_risk_class(v1::SgClassification::CLASS_C);
  sg->mutable_reference_approvals(0)->set_marketed_since(DateYearsAgo(1));
  auto* eu = sg->add_reference_approvals();
  eu->set_jurisdiction(v1::EU);
  eu->set_agency("EU notified body 2797");
  eu->set_reference("CE 123456");
  eu->set_same_labelled_use(true);
  BOOST_TEST(Run(d, "HSA", "").pathway == "expedited");
  // No reference approvals: only full.
  sg->clear_reference_approvals();
  auto full = Run(d, "HSA", "");
  BOOST_TEST(full.pathway == "full");
  auto abridged = Run(d, "HSA", "abridged");
  BOOST_TEST(Item(abridged, "H-REF").status == "missing");
  BOOST_TEST(Item(abridged, "H-ROUTE").status == "missing");
}

BOOST_AUTO_TEST_CASE(errors_and_json) {
  const v1::Dossier d = ExampleDossier();
  auto bad = Readiness(d, "TGA", "");
  BOOST_TEST(!bad.ok());
  BOOST_TEST(bad.status().reason() == "unknown-agency");
  auto badp = Readiness(d, "FDA", "annex-ix");
  BOOST_TEST(badp.status().reason() == "unknown-pathway");
  BOOST_TEST(Pathways("hsa").size() == 4u);
  auto r = Run(d, "FDA", "510k-traditional");
  auto j = ReadinessToJson(r);
  BOOST_TEST(j.at("agency").as_string() == "FDA");
  BOOST_TEST(j.at("ready").as_bool() == false);
  BOOST_TEST(j.at("missingCount").to_number<int>() > 0);
  BOOST_TEST(j.at("items").as_array().size() == r.items.size());
}

}  // namespace
}  // namespace dossier::translate
