// One test per error of issue 14 that the rulebook and readiness fix; each
// fails on the rules and code before the fix.
#define BOOST_TEST_MODULE translate_readiness_rules
#include <algorithm>
#include <boost/test/unit_test.hpp>

#include "schema/translate/crosswalk.h"
#include "schema/translate/readiness_routes.h"
#include "schema/translate/test_util.h"

namespace dossier::translate {
namespace {

using testing::ExampleDossier;

constexpr const char* kAsOf = "2026-12-01";

const ReadinessItem* Find(const ReadinessReport& r, const std::string& id) {
  for (const auto& i : r.items) {
    if (i.id == id) return &i;
  }
  return nullptr;
}
const ReadinessItem& Item(const ReadinessReport& r, const std::string& id) {
  const ReadinessItem* i = Find(r, id);
  BOOST_REQUIRE_MESSAGE(i, "no item " + id + " in " + r.agency + "/" + r.pathway);
  return *i;
}

ReadinessReport Run(const v1::Dossier& d, const std::string& agency, const std::string& pathway,
                    const v1::ChangePlan* plan = nullptr) {
  ReadinessOptions options;
  options.as_of = kAsOf;
  options.change_plan = plan;
  auto r = Readiness(d, agency, pathway, options);
  BOOST_REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  return *r;
}

void AddSection(v1::Dossier& d, const std::string& code) {
  auto* s = d.add_sections();
  s->set_code(code);
  s->add_documents()->set_title("evidence for " + code);
}

// An IVD (IVDR class C, N13 ToC) with analytical performance in 3.05.05
// (analytical sensitivity) and 3.05.06 (analytical specificity) and no
// software.
v1::Dossier IvdDossier() {
  v1::Dossier d = ExampleDossier();
  d.set_toc_edition("IMDRF-N13-ED4");
  d.clear_sections();
  d.mutable_device()->set_software_only(false);
  d.mutable_device()->clear_software_version();
  d.mutable_regional()->mutable_us()->set_cyber_device(false);
  d.clear_ai();
  auto* eu = d.mutable_classifications()->mutable_eu();
  eu->set_regulation(v1::EuClassification::IVDR);
  eu->set_device_class(v1::EuClassification::CLASS_C);
  eu->set_sterile(false);
  d.mutable_regional()->mutable_eu()->set_conformity_assessment_route("IVDR Annex IX Chapters I and III");
  d.mutable_regional()->mutable_eu()->mutable_eudamed()->clear_market_status();  // not yet on the market
  AddSection(d, "3.05.05");
  AddSection(d, "3.05.06");
  return d;
}

BOOST_AUTO_TEST_CASE(error1_ivd_dossier_is_read_with_n13_headings) {
  v1::Dossier d = IvdDossier();
  auto fda = Run(d, "FDA", "510k-traditional");
  BOOST_TEST(fda.edition == "N13");
  // 3.05.05 is analytical sensitivity in N13, not software: no software rows apply.
  BOOST_TEST(Item(fda, "F25R").status == "not-applicable");
  BOOST_TEST(Item(fda, "F25R").toc_code == "3.06.02.03");
  // 3.05.06 is analytical specificity, not biocompatibility: the N9 biocompatibility row is not listed.
  BOOST_TEST(Find(fda, "F24") == nullptr);
  BOOST_TEST(Item(fda, "F29").status == "present");  // analytical performance studies
  // Software evidence in the N13 software heading makes the software rows apply.
  AddSection(d, "3.06.02.08");
  auto sw = Run(d, "FDA", "510k-traditional");
  BOOST_TEST(Item(sw, "F25V").status == "present");
  BOOST_TEST(Item(sw, "F25R").status == "missing");

  // IVDR rules for class C: SSP (Art 29), PSUR once marketed (Art 81), performance evaluation (Art 56).
  auto eu = Run(IvdDossier(), "EU", "");
  BOOST_TEST(eu.pathway == "annex-ix");
  BOOST_TEST(Item(eu, "E13").citation == "Regulation (EU) 2017/746 (IVDR) Art 29(1)");
  BOOST_TEST(Item(eu, "E13").status == "missing");
  BOOST_TEST(Item(eu, "E-IVD-PER").citation ==
             "Regulation (EU) 2017/746 (IVDR) Art 56(5); Annex XIII Part A 1.3.2");
  BOOST_TEST(Item(eu, "E-IVD-PER").status == "missing");
  BOOST_TEST(Item(eu, "E-IVD-AP").status == "present");
  BOOST_TEST(Item(eu, "E12P").citation == "Regulation (EU) 2017/746 (IVDR) Art 81(1)");
  BOOST_TEST(Find(eu, "E8B") == nullptr);  // MDR biocompatibility row is N9 only
  v1::Dossier marketed = IvdDossier();
  marketed.mutable_regional()->mutable_eu()->mutable_eudamed()->set_market_status(
      v1::EudamedDeviceFacts::ON_THE_MARKET);
  BOOST_TEST(Item(Run(marketed, "EU", ""), "E12P").status == "missing");
  marketed.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_B);
  auto class_b = Run(marketed, "EU", "annex-ix");
  BOOST_TEST(Item(class_b, "E12R").citation == "Regulation (EU) 2017/746 (IVDR) Art 80");
  BOOST_TEST(Item(class_b, "E12R").status == "missing");
  BOOST_TEST(Item(class_b, "E12P").status == "not-applicable");
  BOOST_TEST(Item(class_b, "E13").status == "not-applicable");  // SSP: classes C and D

  // The crosswalk routes IVD headings by their own edition.
  const Crosswalk& cw = Crosswalk::BuiltIn();
  BOOST_TEST(cw.RouteFor("N13", "3.06.02.08")->estar == "17 Software/Firmware");
  BOOST_TEST(cw.RouteFor("N13", "3.05.05")->estar == "20 Performance Testing");
  BOOST_TEST(cw.RouteFor("N9", "3.05.05")->estar == "17 Software/Firmware");
  BOOST_TEST(cw.RouteFor("N13", "3.05")->eu == "Annex II 6.1 Analytical performance");
}

BOOST_AUTO_TEST_CASE(error2_hsa_counts_only_reference_agencies_for_the_same_labelled_use) {
  v1::Dossier d = ExampleDossier();
  auto* sg = d.mutable_regional()->mutable_sg();
  sg->clear_reference_approvals();
  auto* mhra = sg->add_reference_approvals();
  mhra->set_jurisdiction(v1::GB);
  mhra->set_agency("US FDA");  // free text is not read: the jurisdiction decides
  mhra->set_reference("UKCA 0001");
  mhra->set_same_labelled_use(true);
  auto r = Run(d, "HSA", "abridged");
  BOOST_TEST(Item(r, "H-ROUTE").status == "missing");
  BOOST_TEST(Item(r, "H-ROUTE").detail.find("MHRA") != std::string::npos);
  BOOST_TEST(Item(r, "H-ROUTE").detail.find("not an HSA reference regulatory agency") != std::string::npos);
  BOOST_TEST(Item(r, "H-REF").status == "missing");

  // An FDA approval for another labelled use does not count either.
  auto* fda = sg->add_reference_approvals();
  fda->set_jurisdiction(v1::US);
  fda->set_reference("K231234");
  BOOST_TEST(Item(Run(d, "HSA", "abridged"), "H-ROUTE").status == "missing");
  fda->set_same_labelled_use(true);
  BOOST_TEST(Item(Run(d, "HSA", "abridged"), "H-ROUTE").status == "present");

  // Standalone medical mobile application, class B: immediate with one approval and a clean record.
  sg->set_standalone_mobile_app(true);
  BOOST_TEST(Item(Run(d, "HSA", "immediate"), "H-ROUTE").status == "missing");  // no safety record
  sg->mutable_global_safety()->set_declared_on("2026-11-01");
  BOOST_TEST(Item(Run(d, "HSA", "immediate"), "H-ROUTE").status == "present");
  sg->set_standalone_mobile_app(false);
  BOOST_TEST(Item(Run(d, "HSA", "immediate"), "H-ROUTE").status == "missing");  // IBR-1 needs 3 years
  fda->set_marketed_since("2023-11-30");
  BOOST_TEST(Item(Run(d, "HSA", "immediate"), "H-ROUTE").status == "present");
  sg->mutable_global_safety()->set_prior_rejection_or_withdrawal(true);
  BOOST_TEST(Item(Run(d, "HSA", "immediate"), "H-ROUTE").status == "missing");

  std::string why;
  BOOST_TEST(!HsaReferenceAgencyOf(*mhra, &why).has_value());
  BOOST_TEST(why.find("MHRA") != std::string::npos);
  BOOST_TEST((HsaReferenceAgencyOf(*fda, nullptr) == HsaReferenceAgency::kUsFda));
}

BOOST_AUTO_TEST_CASE(error3_eu_routes_follow_mdr_art52_and_ivdr_art48) {
  v1::Dossier d = ExampleDossier();  // MDR class IIa
  auto x = Run(d, "EU", "annex-x-xi");
  BOOST_TEST(Item(x, "E-ROUTE").status == "missing");
  BOOST_TEST(Item(x, "E-ROUTE").detail.find("Art 52(6)") != std::string::npos);
  BOOST_TEST(Item(Run(d, "EU", "annex-xi"), "E-ROUTE").status == "present");
  // The old spelling is an alias; '+' arrives as a space in a query string.
  BOOST_TEST(Run(d, "EU", "annex-x+xi").pathway == "annex-x-xi");
  BOOST_TEST(Run(d, "EU", "annex-x xi").pathway == "annex-x-xi");
  d.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_IIB);
  BOOST_TEST(Item(Run(d, "EU", "annex-x-xi"), "E-ROUTE").status == "present");
  d.mutable_regional()->mutable_eu()->set_conformity_assessment_route(
      "MDR Annex X coupled with Annex XI Part A");
  BOOST_TEST(Run(d, "EU", "").pathway == "annex-x-xi");

  v1::Dossier ivd = IvdDossier();
  auto* eu = ivd.mutable_classifications()->mutable_eu();
  eu->set_device_class(v1::EuClassification::CLASS_A);
  eu->set_sterile(true);
  auto self = Run(ivd, "EU", "class-i-self");
  BOOST_TEST(Item(self, "E-ROUTE").status == "missing");  // sterile class A needs a notified body
  BOOST_TEST(Item(self, "E-ROUTE").detail.find("Art 48(10)") != std::string::npos);
  BOOST_TEST(Item(Run(ivd, "EU", "annex-xi"), "E-ROUTE").status == "present");
  eu->set_device_class(v1::EuClassification::CLASS_B);
  BOOST_TEST(Item(Run(ivd, "EU", "annex-x-xi"), "E-ROUTE").status == "missing");  // no Annex X for class B
  BOOST_TEST(Readiness(d, "EU", "annex-x-x").status().reason() == "unknown-pathway");
}

BOOST_AUTO_TEST_CASE(error7_draft_guidance_and_future_rows_only_advise) {
  // An HSA class B dossier whose only gaps are AI rows cannot be "not ready"
  // because of draft-guidance rows; every draft row is an advisory.
  for (const auto& r : Crosswalk::BuiltIn().Requirements()) {
    BOOST_TEST_CONTEXT(r.agency << "/" << r.id) {
      BOOST_TEST(r.title.find("at least 3") == std::string::npos);
      BOOST_TEST(r.id != "AI-HSA-POP");
    }
  }
  auto fda = Run(ExampleDossier(), "FDA", "510k-traditional");
  size_t blocking = 0;
  size_t advised = 0;
  for (const auto& i : fda.items) {
    if (i.binding == "draft-guidance") BOOST_TEST(i.advisory);
    // An advisory is never "missing"; what it lacks is "advised".
    BOOST_TEST(!(i.advisory && i.status == "missing"), i.id);
    BOOST_TEST((i.status != "advised" || i.advisory), i.id);
    blocking += i.status == "missing";
    advised += i.status == "advised";
  }
  BOOST_TEST(Item(fda, "AI-FDA-RACE").status == "advised");
  BOOST_TEST(Item(fda, "AI-FDA-RACE").advisory);
  BOOST_TEST(blocking > 0u);
  BOOST_TEST(fda.ready == (blocking == 0));
  auto json = ReadinessToJson(fda);
  BOOST_TEST(json.at("missingCount").to_number<size_t>() == blocking);
  BOOST_TEST(json.at("advisoryMissingCount").to_number<size_t>() == advised);
  BOOST_TEST(advised > 0u);

  // A dossier whose only missing items are advisories is ready.
  v1::Dossier d = ExampleDossier();
  for (int round = 0; round < 3; ++round) {
    for (const auto& i : Run(d, "FDA", "510k-traditional").items) {
      if (i.status != "missing" || i.toc_code.empty()) continue;
      AddSection(d, i.toc_code.substr(0, i.toc_code.find(',')));
    }
  }
  d.mutable_regional()->mutable_us()->set_software_documentation_level(v1::UsExtension::BASIC);
  v1::ChangePlan plan;
  plan.add_modifications()->set_id("M1");
  plan.mutable_protocol();
  plan.mutable_impact_assessment()->set_cumulative_impact("none beyond each modification");
  auto ready = Run(d, "FDA", "510k-traditional", &plan);
  for (const auto& i : ready.items) {
    BOOST_TEST_CONTEXT(i.id << ": " << i.detail) { BOOST_TEST(i.status != "missing"); }
  }
  BOOST_TEST(ready.ready);
  BOOST_TEST(Item(ready, "AI-FDA-RACE").status == "advised");
  BOOST_TEST(ReadinessToJson(ready).at("missingCount").to_number<size_t>() == 0u);

  // AI Act rows for devices apply from 2 Aug 2028 (Art 113(c) as amended): advisories before, binding after.
  ReadinessOptions before{"2028-08-01", nullptr}, after{"2028-08-02", nullptr};
  BOOST_TEST(Item(*Readiness(ExampleDossier(), "EU", "", before), "AI-EU-GEO").advisory);
  BOOST_TEST(!Item(*Readiness(ExampleDossier(), "EU", "", after), "AI-EU-GEO").advisory);
  BOOST_TEST(Readiness(ExampleDossier(), "EU", "", ReadinessOptions{"1 Aug", nullptr}).status().reason() ==
             "bad-date");
}

BOOST_AUTO_TEST_CASE(error8_citations_point_at_the_text) {
  v1::Dossier d = ExampleDossier();
  auto fda = Run(d, "FDA", "510k-traditional");
  BOOST_TEST(Item(fda, "F20P").citation == "PCCP AI-DSF guidance (18 Aug 2025) §V.C");
  BOOST_TEST(Item(fda, "F1P").citation == "PCCP AI-DSF guidance (18 Aug 2025) §V.C");
  auto eu = Run(d, "EU", "");
  BOOST_TEST(Item(eu, "E3P").section == "Annex II 1.1(a)");
  BOOST_TEST(Item(eu, "E3I").section == "Annex II 1.1(c)");
  // The AI Act high-risk row covers MDR class I sterile and IVDR class B (notified body involved) ...
  d.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_I);
  d.mutable_classifications()->mutable_eu()->set_sterile(true);
  BOOST_TEST(Item(Run(d, "EU", "annex-ix"), "AI-EU-HIGH").status == "present");
  v1::Dossier ivd = IvdDossier();
  ivd.mutable_ai()->set_model_name("IvdNet");
  ivd.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_B);
  BOOST_TEST(Item(Run(ivd, "EU", "annex-ix"), "AI-EU-HIGH").status == "present");  // recorded high-risk
  // ... but not a self-declared IVDR class A.
  ivd.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_A);
  BOOST_TEST(Item(Run(ivd, "EU", "class-i-self"), "AI-EU-HIGH").status == "not-applicable");
  // EEA manufacturers need no authorised representative; Swiss ones do.
  d.mutable_manufacturer()->set_country("NO");
  BOOST_TEST(Item(Run(d, "EU", "annex-ix"), "EO3").status == "not-applicable");
  d.mutable_manufacturer()->set_country("CH");
  BOOST_TEST(Item(Run(d, "EU", "annex-ix"), "EO3").status == "missing");
  // Every row has a source, a section, a binding level and a verification mark.
  for (const auto& r : Crosswalk::BuiltIn().Requirements()) {
    BOOST_TEST_CONTEXT(r.agency << "/" << r.edition << "/" << r.id) {
      BOOST_TEST(!r.source.empty());
      BOOST_TEST(!r.section.empty());
      BOOST_TEST(r.citation.find("§C") == std::string::npos);
      BOOST_TEST(!(r.id == "F20P" && r.section.find("VIII") != std::string::npos));
    }
  }
}

BOOST_AUTO_TEST_CASE(error10_fda_rows_for_de_novo_software_level_and_pma_supplements) {
  v1::Dossier d = ExampleDossier();  // class II, software, cyber device
  auto denovo = Run(d, "FDA", "de-novo");
  BOOST_TEST(Item(denovo, "F16").citation == "21 CFR 860.220(a)(10)");  // proposed special controls
  BOOST_TEST(Item(denovo, "F47").status == "present");  // 2.05.03 omitted with a justification
  BOOST_TEST(Item(denovo, "F27").status == "missing");  // interoperability of a cyber device
  d.mutable_classifications()->mutable_us()->set_device_class(v1::UsClassification::CLASS_I);
  BOOST_TEST(Item(Run(d, "FDA", "de-novo"), "F16").status == "not-applicable");
  d.mutable_classifications()->mutable_us()->set_device_class(v1::UsClassification::CLASS_II);

  // Basic / Enhanced documentation level: the design specification only for Enhanced.
  auto unstated = Run(d, "FDA", "510k-traditional");
  BOOST_TEST(Item(unstated, "F25L").status == "missing");
  BOOST_TEST(Item(unstated, "F25D").status == "not-applicable");
  d.mutable_regional()->mutable_us()->set_software_documentation_level(v1::UsExtension::ENHANCED);
  auto enhanced = Run(d, "FDA", "510k-traditional");
  BOOST_TEST(Item(enhanced, "F25L").status == "present");
  BOOST_TEST(Item(enhanced, "F25D").status == "missing");
  BOOST_TEST(Item(enhanced, "F25D").citation == "Software premarket guidance (14 Jun 2023) §VI.F(2)");
  // Class III with no stated level: FDA generally recommends Enhanced (guidance §V) unless the sponsor
  // states Basic with a rationale.
  d.mutable_regional()->mutable_us()->clear_software_documentation_level();
  d.mutable_classifications()->mutable_us()->set_device_class(v1::UsClassification::CLASS_III);
  BOOST_TEST(Item(Run(d, "FDA", "pma"), "F25D").status == "missing");
  d.mutable_regional()->mutable_us()->set_software_documentation_level(v1::UsExtension::BASIC);
  BOOST_TEST(Item(Run(d, "FDA", "pma"), "F25D").status == "not-applicable");
  d.mutable_classifications()->mutable_us()->set_device_class(v1::UsClassification::CLASS_II);

  // Form FDA 3674 with a 510(k) only when it refers to clinical trials, and only the signed form counts
  // (heading 1.12.03 also holds the financial disclosure).
  d.clear_sections();
  AddSection(d, "1.12.03");
  BOOST_TEST(Item(Run(d, "FDA", "510k-traditional"), "F35K").status == "not-applicable");
  d.mutable_regional()->mutable_us()->add_clinical_trials()->set_nct_number("NCT01234567");
  auto trials = Run(d, "FDA", "510k-traditional");
  BOOST_TEST(Item(trials, "F35K").status == "missing");
  BOOST_TEST(!trials.ready);
  d.mutable_regional()->mutable_us()->clear_clinical_trials();
  AddSection(d, "4.02.02");  // clinical studies in the ToC count too
  BOOST_TEST(Item(Run(d, "FDA", "510k-traditional"), "F35K").status == "missing");
  d.mutable_regional()->mutable_us()->set_form_3674_digest(std::string("sha256:") + std::string(64, 'a'));
  BOOST_TEST(Item(Run(d, "FDA", "510k-traditional"), "F35K").status == "present");
  d = ExampleDossier();

  // Form FDA 3674 with a PMA; a PMA supplement does not get the original-PMA rows.
  d.mutable_classifications()->mutable_us()->set_device_class(v1::UsClassification::CLASS_III);
  auto pma = Run(d, "FDA", "pma");
  BOOST_TEST(Item(pma, "F35P").citation == "42 U.S.C. §282(j)(5)(B)");
  BOOST_TEST(Item(pma, "F45").status == "missing");
  d.mutable_regional()->mutable_us()->set_submission_type(v1::UsExtension::PMA_SUPPLEMENT);
  auto supplement = Run(d, "FDA", "");
  BOOST_TEST(supplement.pathway == "pma-supplement");
  BOOST_TEST(Item(supplement, "F-PATH").status == "present");
  BOOST_TEST(Item(supplement, "FS1").citation == "21 CFR 814.39(c)(1)");
  for (const char* original : {"F13", "F32", "F34P", "F41", "F44", "F45", "F46", "F37", "F10", "F29"})
    BOOST_TEST(Find(supplement, original) == nullptr);
}

BOOST_AUTO_TEST_CASE(error11_presence_reads_structured_facts) {
  v1::Dossier d = ExampleDossier();  // names change plan "thoraxtriage-pccp"
  // A named plan that was not found is not a PCCP.
  auto none = Run(d, "FDA", "510k-traditional");
  BOOST_TEST(Item(none, "F49").status == "missing");
  BOOST_TEST(Item(none, "F49").detail.find("not found") != std::string::npos);
  v1::ChangePlan plan;
  plan.set_plan_version("1.0");
  plan.add_modifications()->set_id("M1");
  BOOST_TEST(Item(Run(d, "FDA", "510k-traditional", &plan), "F49").status == "missing");  // no protocol
  plan.mutable_protocol();
  plan.mutable_impact_assessment()->set_cumulative_impact("bounded by the acceptance criteria");
  BOOST_TEST(Item(Run(d, "FDA", "510k-traditional", &plan), "F49").status == "present");
  // A Special 510(k) cannot establish a PCCP: the plan must already be authorised.
  BOOST_TEST(Item(Run(d, "FDA", "510k-special", &plan), "F49S").status == "missing");
  auto* auth = plan.add_authorizations();
  auth->set_jurisdiction(v1::US);
  auth->set_status(v1::Authorization::AUTHORIZED);
  auth->set_reference("K251234");
  BOOST_TEST(Item(Run(d, "FDA", "510k-special", &plan), "F49S").status == "present");

  // PSUR only once the device is on the market.
  d.mutable_regional()->mutable_eu()->mutable_eudamed()->clear_market_status();
  auto eu = Run(d, "EU", "");
  BOOST_TEST(Item(eu, "E12P").status == "not-applicable");
  BOOST_TEST(Item(eu, "E12P").detail.find("not placed on the EU market") != std::string::npos);
  d.mutable_regional()->mutable_eu()->mutable_eudamed()->set_market_status(
      v1::EudamedDeviceFacts::NO_LONGER_PLACED_ON_THE_MARKET);
  BOOST_TEST(Item(Run(d, "EU", ""), "E12P").status == "missing");

  // The AI Act names no group: a subgroup other than sex answers it.
  v1::Dossier groups = ExampleDossier();
  groups.mutable_ai()->clear_performance();
  for (const char* group : {"ethnicity=asian", "ethnicity=white"}) {
    auto* m = groups.mutable_ai()->add_performance();
    m->set_metric("sensitivity");
    m->set_subgroup(group);
    m->set_value(0.91);
    m->set_sample_size(400);
  }
  BOOST_TEST(Item(Run(groups, "EU", ""), "AI-EU-GROUPS").status == "present");
  // The FDA draft guidance asks for sex: lacking, and advised (draft guidance never makes it missing).
  BOOST_TEST(Item(Run(groups, "FDA", "510k-traditional"), "AI-FDA-SEX").status == "advised");
}

BOOST_AUTO_TEST_CASE(error9_eudamed_registration_gaps_are_a_readiness_item) {
  // Every value the EUDAMED device registration needs is stated in the example: present.
  v1::Dossier d = ExampleDossier();
  const ReadinessItem registered = Item(Run(d, "EU", "annex-ix"), "E-EUDAMED");
  BOOST_TEST(registered.status == "present");
  BOOST_TEST(registered.section == "Art 29(1); Art 31; Art 33; Annex VI Part A 2, Part B");
  // Without the Basic UDI-DI and the EMDN code: missing, each gap named, and the dossier is not ready.
  d.mutable_regional()->mutable_eu()->clear_basic_udi_di();
  d.mutable_regional()->mutable_eu()->clear_emdn_codes();
  auto& ids = *d.mutable_device()->mutable_identifiers();
  ids.erase(std::remove_if(ids.begin(), ids.end(),
                           [](const v1::Identifier& i) { return i.type() == v1::Identifier::BASIC_UDI_DI; }),
            ids.end());
  const ReadinessReport gaps = Run(d, "EU", "annex-ix");
  const ReadinessItem& item = Item(gaps, "E-EUDAMED");
  BOOST_TEST(item.status == "missing");
  BOOST_TEST(item.detail.find("regional.eu.basicUdiDi") != std::string::npos, item.detail);
  BOOST_TEST(item.detail.find("regional.eu.emdnCodes") != std::string::npos, item.detail);
  BOOST_TEST(!gaps.ready);
  // IVDs: the IVDR articles.
  BOOST_TEST(Item(Run(IvdDossier(), "EU", ""), "E-EUDAMED").section ==
             "Art 26; Art 28; Art 30; Annex VI Part A 2, Part B");
}

}  // namespace
}  // namespace dossier::translate
