#define BOOST_TEST_MODULE translate_eudamed_export
// The EUDAMED registration takes every value from the dossier (issue 14,
// error 9): a fact the dossier does not state is a loss entry (and a gap
// readiness can show), never a default, and a device that needs a notified
// body is not declared on the market without a certificate.
#include <google/protobuf/descriptor.h>

#include <boost/test/unit_test.hpp>

#include "schema/translate/profiles.h"
#include "schema/translate/test_util.h"

namespace dossier::translate {
namespace {

using testing::DtxOf;
using testing::ExampleBlobs;
using testing::ExampleDossier;
using testing::ValidateDtx;

bool Has(const std::string& xml, const std::string& text) { return xml.find(text) != std::string::npos; }

bool LossAt(const std::vector<LossItem>& loss, const std::string& path) {
  for (const auto& l : loss) {
    if (l.path == path) return true;
  }
  return false;
}

std::string Dtx(const v1::Dossier& d) {
  auto r = Export(d, "eu-mdr", ExampleBlobs(d));
  BOOST_REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  return DtxOf(*r);
}

// Export profiles (issue 16 item 5): a pinned profile and the signed
// version's time make an export reproducible byte for byte; two profiles of
// one format are produced side by side.
BOOST_AUTO_TEST_CASE(profiles_make_exports_reproducible_and_side_by_side) {
  const v1::Dossier d = ExampleDossier();
  auto old_profile = FindExportProfile("eu-mdr", "eudamed-dtx-3.0.3");
  auto current = DefaultExportProfile("eu-mdr");
  BOOST_TEST_REQUIRE(old_profile.ok());
  BOOST_TEST_REQUIRE(current.ok());
  BOOST_TEST((*current)->name == "eudamed-dtx-3.0.25");
  const int64_t signed_at = 1767225600000;  // 2026-01-01T00:00:00Z
  auto first = Export(d, "eu-mdr", ExampleBlobs(d), ExportOptions{*old_profile, signed_at});
  auto again = Export(d, "eu-mdr", ExampleBlobs(d), ExportOptions{*old_profile, signed_at});
  auto newer = Export(d, "eu-mdr", ExampleBlobs(d), ExportOptions{*current, signed_at});
  BOOST_TEST_REQUIRE(first.ok(), first.status().ToString());
  BOOST_TEST_REQUIRE(newer.ok(), newer.status().ToString());
  BOOST_TEST((first->bytes == again->bytes));
  BOOST_TEST((first->bytes != newer->bytes));
  BOOST_TEST(Has(DtxOf(*first), "version=\"3.0.3\">"));
  BOOST_TEST(Has(DtxOf(*first), "<m:creationDateTime>2026-01-01T00:00:00Z</m:creationDateTime>"));
  BOOST_TEST(Has(DtxOf(*newer), "version=\"3.0.25\">"));
  // The default can be moved by the deployment; a profile of another format is refused.
  auto moved = DefaultExportProfile("eu-mdr", {{"eu-mdr", "eudamed-dtx-3.0.3"}});
  BOOST_TEST_REQUIRE(moved.ok());
  BOOST_TEST((*moved)->name == "eudamed-dtx-3.0.3");
  BOOST_TEST(DefaultExportProfile("eu-mdr", {{"eu-mdr", "nope"}}).status().reason() == "unknown-profile");
  auto estar = FindExportProfile("fda-estar", "nivd-estar-v5");
  BOOST_TEST_REQUIRE(estar.ok());
  auto wrong = Export(d, "eu-mdr", ExampleBlobs(d), ExportOptions{*estar, signed_at});
  BOOST_TEST(wrong.status().reason() == "unknown-profile");
  BOOST_TEST(wrong.status().field() == "profile");
  auto estar_export = Export(d, "fda-estar", ExampleBlobs(d), ExportOptions{*estar, signed_at});
  BOOST_TEST_REQUIRE(estar_export.ok(), estar_export.status().ToString());
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "estar.zip", estar_export->bytes);
  auto zip = ZipReader::Open(dir.path() / "estar.zip", ImportLimits());
  BOOST_TEST_REQUIRE(zip.ok());
  BOOST_TEST(
      Has((*zip)->ReadAll("structured/3514.json", 1 << 20).value(), "\"estarTemplate\": \"nIVD eSTAR v5\""));
  TRANSLATE_REQUIRE_FIXTURES(fixtures);
  BOOST_TEST(ValidateDtx(DtxOf(*newer), fixtures) == "");
}

BOOST_AUTO_TEST_CASE(stated_facts_are_written) {
  TRANSLATE_REQUIRE_FIXTURES(fixtures);
  v1::Dossier d = ExampleDossier();
  std::string xml = Dtx(d);
  BOOST_REQUIRE(!xml.empty());
  BOOST_TEST(ValidateDtx(xml, fixtures) == "");
  // Software is an active device (FLD-UDID-28); not stated, derived.
  BOOST_TEST(Has(xml, "<commondi:active>true</commondi:active>"));
  BOOST_TEST(Has(xml, "<udidi:numberOfReuses>-1</udidi:numberOfReuses>"));
  BOOST_TEST(Has(xml, "<udidi:status><commondi:code>ON_THE_MARKET</commondi:code></udidi:status>"));
  // The certificate link the notified body issued.
  BOOST_TEST(Has(xml, "<links:certificateNumber>2797-MDR-QMS-0001</links:certificateNumber>"));
  BOOST_TEST(Has(xml, "<links:NBActorCode>2797</links:NBActorCode>"));
  BOOST_TEST(Has(xml, "<links:certificateType>MDR_QUALITY_MANAGEMENT_SYSTEM</links:certificateType>"));
  // First placed in DE (stated), then the other Member States.
  BOOST_TEST(
      Has(xml, "<marketinfo:country>DE</marketinfo:country><marketinfo:originalPlacedOnTheMarket>true<"));
  BOOST_TEST(
      Has(xml, "<marketinfo:country>FR</marketinfo:country><marketinfo:originalPlacedOnTheMarket>false<"));

  // Each stated value travels: turn facts to true and see them in the message.
  auto* f = d.mutable_regional()->mutable_eu()->mutable_eudamed();
  f->set_implantable(true);
  f->set_animal_tissues_cells(true);
  f->set_medicinal_product_substance(true);
  f->set_human_blood_plasma_derivative(true);
  f->set_labelled_sterile(true);
  f->set_sterilisation_before_use(true);
  f->set_contains_latex(true);
  f->set_reprocessed_single_use(true);
  f->set_max_reuses(0);
  f->set_kind(v1::EudamedDeviceFacts::SYSTEM);
  f->set_first_placed_member_state("FR");
  xml = Dtx(d);
  BOOST_TEST(ValidateDtx(xml, fixtures) == "");
  for (const char* expected :
       {"<commondi:implantable>true<", "<basicudi:animalTissuesCells>true<",
        "<basicudi:medicinalProductCheck>true<", "<basicudi:humanProductCheck>true<", "<udidi:sterile>true<",
        "<udidi:sterilization>true<", "<udidi:latex>true<", "<udidi:reprocessed>true<",
        "<udidi:numberOfReuses>0<", "<basicudi:type>SYSTEM<",
        "<marketinfo:country>FR</marketinfo:country><marketinfo:originalPlacedOnTheMarket>true<"}) {
    BOOST_TEST(Has(xml, expected), expected);
  }
}

// Every fact of EudamedDeviceFacts that the MDR registration needs and the
// law does not fix: when the dossier does not state it, no message, and a
// loss entry at its canonical path (found through reflection, so a fact added
// later is covered too).
BOOST_AUTO_TEST_CASE(an_unstated_fact_is_a_loss_entry_never_a_default) {
  const v1::Dossier example = ExampleDossier();
  const auto* desc = v1::EudamedDeviceFacts::descriptor();
  const std::set<std::string> ivdr_only = {"companionDiagnostic",
                                           "instrument",
                                           "kit",
                                           "microbialSubstances",
                                           "nearPatientTesting",
                                           "professionalTesting",
                                           "reagent",
                                           "selfTesting",
                                           "newDevice"};
  // Derived for this device: software is active; no medicinal substance, so none from blood or plasma.
  const std::set<std::string> derived = {"active", "humanBloodPlasmaDerivative"};
  size_t checked = 0;
  for (int i = 0; i < desc->field_count(); ++i) {
    const auto* field = desc->field(i);
    const std::string name = field->json_name();
    if (ivdr_only.count(name) || derived.count(name)) continue;
    v1::Dossier d = example;
    auto* facts = d.mutable_regional()->mutable_eu()->mutable_eudamed();
    facts->GetReflection()->ClearField(facts, field);
    BOOST_TEST_CONTEXT(name) {
      auto loss = ExportLoss(d, "eu-mdr");
      BOOST_REQUIRE(loss.ok());
      BOOST_TEST(LossAt(*loss, "regional.eu.eudamed." + name));
      auto exported = Export(d, "eu-mdr", ExampleBlobs(d));
      BOOST_REQUIRE(exported.ok());
      BOOST_TEST(DtxOf(*exported).empty());
      BOOST_TEST(LossAt(exported->loss, "regional.eu.eudamed." + name));
      // The same entries, for readiness.
      BOOST_TEST(LossAt(EudamedRegistrationGaps(d), "regional.eu.eudamed." + name));
    }
    ++checked;
  }
  BOOST_TEST(checked >= 14u);
  // A hardware device is not active by law: unstated, it is a gap too.
  v1::Dossier hardware = example;
  hardware.mutable_device()->set_software_only(false);
  hardware.mutable_regional()->mutable_eu()->mutable_eudamed()->clear_active();
  BOOST_TEST(LossAt(EudamedRegistrationGaps(hardware), "regional.eu.eudamed.active"));
  // The example states everything: no gap.
  BOOST_TEST(EudamedRegistrationGaps(example).empty());
}

BOOST_AUTO_TEST_CASE(uncertified_device_is_not_declared_on_the_market) {
  TRANSLATE_REQUIRE_FIXTURES(fixtures);
  v1::Dossier d = ExampleDossier();
  d.mutable_regional()->mutable_eu()->clear_certificates();
  auto gaps = EudamedRegistrationGaps(d);
  BOOST_TEST(LossAt(gaps, "regional.eu.certificates"));
  BOOST_TEST(Dtx(d).empty());
  // Not intended for the EU market (yet): registrable without a certificate, with no market info.
  d.mutable_regional()->mutable_eu()->mutable_eudamed()->set_market_status(
      v1::EudamedDeviceFacts::NOT_INTENDED_FOR_EU_MARKET);
  const std::string xml = Dtx(d);
  BOOST_TEST(ValidateDtx(xml, fixtures) == "");
  BOOST_TEST(Has(xml, "<commondi:code>NOT_INTENDED_FOR_EU_MARKET</commondi:code>"));
  BOOST_TEST(!Has(xml, "marketInfos"));
  // A plain Class I device needs no notified body: on the market without a certificate.
  v1::Dossier class_i = ExampleDossier();
  class_i.mutable_regional()->mutable_eu()->clear_certificates();
  class_i.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_I);
  BOOST_TEST(!LossAt(EudamedRegistrationGaps(class_i), "regional.eu.certificates"));
  // ... but a Class Is device does, and is labelled sterile by its class.
  class_i.mutable_classifications()->mutable_eu()->set_sterile(true);
  class_i.mutable_regional()->mutable_eu()->mutable_eudamed()->clear_labelled_sterile();
  gaps = EudamedRegistrationGaps(class_i);
  BOOST_TEST(LossAt(gaps, "regional.eu.certificates"));
  BOOST_TEST(!LossAt(gaps, "regional.eu.eudamed.labelledSterile"));
  // A certificate of the wrong regulation or without a 4-digit notified body number is refused.
  v1::Dossier wrong = ExampleDossier();
  wrong.mutable_regional()->mutable_eu()->mutable_certificates(0)->set_type("IVDR_TECHNICAL_DOCUMENTATION");
  wrong.mutable_regional()->mutable_eu()->mutable_certificates(0)->set_notified_body_number("27");
  gaps = EudamedRegistrationGaps(wrong);
  BOOST_TEST(LossAt(gaps, "regional.eu.certificates[0].type"));
  BOOST_TEST(LossAt(gaps, "regional.eu.certificates[0].notifiedBodyNumber"));
}

BOOST_AUTO_TEST_CASE(ivdr_flags_come_from_the_dossier) {
  TRANSLATE_REQUIRE_FIXTURES(fixtures);
  v1::Dossier ivd = ExampleDossier();
  ivd.set_toc_edition("IMDRF-N13-ED4");
  ivd.clear_sections();
  ivd.mutable_classifications()->mutable_eu()->set_regulation(v1::EuClassification::IVDR);
  ivd.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_C);
  // Not stated: every IVDR flag is a gap.
  auto gaps = EudamedRegistrationGaps(ivd);
  for (const char* flag : {"companionDiagnostic", "selfTesting", "professionalTesting", "newDevice", "kit"}) {
    BOOST_TEST(LossAt(gaps, std::string("regional.eu.eudamed.") + flag), flag);
  }
  testing::StateIvdrFacts(&ivd);
  const std::string xml = Dtx(ivd);
  BOOST_TEST(ValidateDtx(xml, fixtures) == "");
  BOOST_TEST(Has(xml, "<commondi:professionalTesting>true</commondi:professionalTesting>"));
  BOOST_TEST(Has(xml, "<basicudi:specialDevice>IVDR_SOFTWARE</basicudi:specialDevice>"));
}

// What the eu-mdr export writes imports back through the EUDAMED importer
// with the same facts.
BOOST_AUTO_TEST_CASE(registration_facts_round_trip_through_the_importer) {
  const v1::Dossier d = ExampleDossier();
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "dtx.xml", Dtx(d));
  std::vector<ImportRecord> recs;
  BOOST_REQUIRE(testing::ImportAll("eudamed-dtx", dir.path() / "dtx.xml", &recs).ok());
  BOOST_REQUIRE_EQUAL(recs.size(), 1u);
  const auto& back = recs[0].content.regional().eu();
  const auto& facts = back.eudamed();
  BOOST_TEST(facts.market_status() == v1::EudamedDeviceFacts::ON_THE_MARKET);
  BOOST_TEST(facts.first_placed_member_state() == "DE");
  BOOST_TEST(facts.has_implantable());
  BOOST_TEST(!facts.implantable());
  BOOST_TEST(facts.active());
  BOOST_TEST(facts.max_reuses() == -1);
  BOOST_REQUIRE_EQUAL(back.certificates_size(), 1);
  BOOST_TEST(back.certificates(0).type() == "MDR_QUALITY_MANAGEMENT_SYSTEM");
  BOOST_TEST(back.certificates(0).expiry_date() == "2029-05-16");
}

}  // namespace
}  // namespace dossier::translate
