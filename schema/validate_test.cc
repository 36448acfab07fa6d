#define BOOST_TEST_MODULE schema_validate_test
#include "schema/validate.h"

#include <boost/test/unit_test.hpp>
#include <functional>

#include "schema/test_util.h"

namespace ds = dossier::schema;
namespace v1 = dossier::v1;
using ds::testing::ExampleDossier;
using ds::testing::ReadTestdata;

namespace {

const ds::TocCatalog& Catalog() { return ds::TocCatalog::BuiltIn(); }

const std::string kDigest = "sha256:" + std::string(64, 'a');

struct Case {
  const char* name;
  std::function<void(v1::Dossier*)> edit;
  const char* reason;
  const char* field;
};

void ExpectError(const dossier::Status& s, const std::string& reason, const std::string& field) {
  BOOST_TEST(!s.ok());
  BOOST_TEST(s.reason() == reason, s.ToString());
  BOOST_TEST(s.field() == field, s.ToString());
  BOOST_TEST((s.code() == dossier::StatusCode::kInvalidArgument));
}

}  // namespace

BOOST_AUTO_TEST_CASE(example_dossier_is_valid) {
  const v1::Dossier d = ExampleDossier();
  const auto s = ds::ValidateDossier(d, Catalog());
  BOOST_TEST(s.ok(), s.ToString());
}

BOOST_AUTO_TEST_CASE(minimal_api_example_is_valid) {
  auto d = ds::ParseDossier(
      R"({"tocEdition":"IMDRF-N9-ED4","device":{"tradeName":"X","identifiers":[{"type":"UDI_DI","value":"00614141000036","issuer":"GS1"}]},)"
      R"("sections":[{"code":"2.04.01","documents":[{"digest":")" +
          kDigest + R"(","mediaType":"application/pdf","fileName":"a.pdf"}]}]})",
      ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(d.ok(), d.status().ToString());
  const auto s = ds::ValidateDossier(*d, Catalog());
  BOOST_TEST(s.ok(), s.ToString());
}

BOOST_AUTO_TEST_CASE(each_reason_with_field_path) {
  const Case cases[] = {
      {"no edition", [](v1::Dossier* d) { d->clear_toc_edition(); }, "missing-field", "tocEdition"},
      {"bad edition", [](v1::Dossier* d) { d->set_toc_edition("IMDRF-N9-ED3"); }, "unknown-toc-edition",
       "tocEdition"},
      {"no trade name", [](v1::Dossier* d) { d->mutable_device()->clear_trade_name(); }, "missing-field",
       "device.tradeName"},
      {"no id type", [](v1::Dossier* d) { d->mutable_device()->mutable_identifiers(2)->clear_type(); },
       "missing-field", "device.identifiers[2].type"},
      {"no id value", [](v1::Dossier* d) { d->mutable_device()->mutable_identifiers(1)->clear_value(); },
       "missing-field", "device.identifiers[1].value"},
      {"gs1 check digit",
       [](v1::Dossier* d) { d->mutable_device()->mutable_identifiers(0)->set_value("08500123450018"); },
       "bad-udi-di", "device.identifiers[0].value"},
      {"gs1 length", [](v1::Dossier* d) { d->mutable_device()->mutable_identifiers(0)->set_value("123"); },
       "bad-udi-di", "device.identifiers[0].value"},
      {"product code", [](v1::Dossier* d) { d->mutable_device()->mutable_identifiers(2)->set_value("QF1"); },
       "bad-product-code", "device.identifiers[2].value"},
      {"510k", [](v1::Dossier* d) { d->mutable_device()->mutable_identifiers(3)->set_value("K23123"); },
       "bad-510k-number", "device.identifiers[3].value"},
      {"emdn", [](v1::Dossier* d) { d->mutable_device()->mutable_identifiers(4)->set_value("Z1204019"); },
       "bad-emdn-code", "device.identifiers[4].value"},
      {"srn", [](v1::Dossier* d) { d->mutable_manufacturer()->set_srn("DE-XX-000012345"); }, "bad-srn",
       "manufacturer.srn"},
      {"duns", [](v1::Dossier* d) { d->mutable_manufacturer()->set_duns("12345"); }, "bad-duns",
       "manufacturer.duns"},
      {"country", [](v1::Dossier* d) { d->mutable_manufacturer()->set_country("Germany"); }, "bad-country",
       "manufacturer.country"},
      {"us product code",
       [](v1::Dossier* d) { d->mutable_classifications()->mutable_us()->set_product_code("qfm"); },
       "bad-product-code", "classifications.us.productCode"},
      {"regulation number",
       [](v1::Dossier* d) { d->mutable_classifications()->mutable_us()->set_regulation_number("892"); },
       "bad-regulation-number", "classifications.us.regulationNumber"},
      {"eu class",
       [](v1::Dossier* d) {
         d->mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_C);
       },
       "bad-eu-class", "classifications.eu.deviceClass"},
      {"samd",
       [](v1::Dossier* d) {
         d->mutable_classifications()->mutable_samd()->set_category(v1::SamdClassification::CATEGORY_III);
       },
       "samd-category-mismatch", "classifications.samd.category"},
      {"no code", [](v1::Dossier* d) { d->mutable_sections(2)->clear_code(); }, "missing-field",
       "sections[2].code"},
      {"unknown code", [](v1::Dossier* d) { d->mutable_sections(2)->set_code("2.04.09"); },
       "unknown-toc-code", "sections[2].code"},
      {"ivd code in nivd", [](v1::Dossier* d) { d->mutable_sections(2)->set_code("3.06.02.08"); },
       "unknown-toc-code", "sections[2].code"},
      {"duplicate", [](v1::Dossier* d) { d->mutable_sections(3)->set_code("2.04.01"); }, "duplicate-section",
       "sections[3].code"},
      {"chapter docs", [](v1::Dossier* d) { d->mutable_sections(2)->set_code("2"); }, "chapter-has-documents",
       "sections[2].documents"},
      {"no digest", [](v1::Dossier* d) { d->mutable_sections(7)->mutable_documents(1)->clear_digest(); },
       "missing-field", "sections[7].documents[1].digest"},
      {"upper-case digest",
       [](v1::Dossier* d) {
         d->mutable_sections(7)->mutable_documents(1)->set_digest("sha256:" + std::string(64, 'A'));
       },
       "bad-digest", "sections[7].documents[1].digest"},
      {"short digest",
       [](v1::Dossier* d) { d->mutable_sections(7)->mutable_documents(1)->set_digest("sha256:abc"); },
       "bad-digest", "sections[7].documents[1].digest"},
      {"sha1 digest",
       [](v1::Dossier* d) {
         d->mutable_sections(7)->mutable_documents(1)->set_digest("sha1:" + std::string(64, 'a'));
       },
       "bad-digest", "sections[7].documents[1].digest"},
      {"no media type",
       [](v1::Dossier* d) { d->mutable_sections(7)->mutable_documents(2)->clear_media_type(); },
       "missing-field", "sections[7].documents[2].mediaType"},
      {"bad media type",
       [](v1::Dossier* d) { d->mutable_sections(7)->mutable_documents(2)->set_media_type("pdf"); },
       "bad-media-type", "sections[7].documents[2].mediaType"},
      {"predicate",
       [](v1::Dossier* d) {
         d->mutable_regional()->mutable_us()->mutable_predicates(0)->set_number("192345");
       },
       "bad-predicate-number", "regional.us.predicates[0].number"},
      {"form 3674 digest",
       [](v1::Dossier* d) { d->mutable_regional()->mutable_us()->set_form_3674_digest("form3674.pdf"); },
       "bad-digest", "regional.us.form3674Digest"},
      {"nct number",
       [](v1::Dossier* d) {
         d->mutable_regional()->mutable_us()->add_clinical_trials()->set_nct_number("NCT0123456");
       },
       "bad-nct-number", "regional.us.clinicalTrials[0].nctNumber"},
      {"nb number",
       [](v1::Dossier* d) { d->mutable_regional()->mutable_eu()->set_notified_body_number("27970"); },
       "bad-notified-body-number", "regional.eu.notifiedBodyNumber"},
      {"eu emdn", [](v1::Dossier* d) { d->mutable_regional()->mutable_eu()->add_emdn_codes("12"); },
       "bad-emdn-code", "regional.eu.emdnCodes[1]"},
      {"doc digest",
       [](v1::Dossier* d) { d->mutable_regional()->mutable_eu()->set_declaration_of_conformity_digest("x"); },
       "bad-digest", "regional.eu.declarationOfConformityDigest"},
      {"approval date",
       [](v1::Dossier* d) {
         d->mutable_regional()->mutable_sg()->mutable_reference_approvals(0)->set_date("17/05/2024");
       },
       "bad-date", "regional.sg.referenceApprovals[0].date"},
      {"fraction",
       [](v1::Dossier* d) { d->mutable_ai()->mutable_datasets(1)->mutable_population(2)->set_fraction(1.5); },
       "bad-proportion", "ai.datasets[1].population[2].fraction"},
      {"ci", [](v1::Dossier* d) { d->mutable_ai()->mutable_performance(1)->set_value(0.95); },
       "bad-confidence-interval", "ai.performance[1].confidenceInterval"},
      {"dataset id", [](v1::Dossier* d) { d->mutable_ai()->mutable_performance(0)->set_dataset_id("nope"); },
       "unknown-dataset-id", "ai.performance[0].datasetId"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      v1::Dossier d = ExampleDossier();
      c.edit(&d);
      ExpectError(ds::ValidateDossier(d, Catalog()), c.reason, c.field);
    }
  }
}

BOOST_AUTO_TEST_CASE(ivd_edition_accepts_ivd_codes) {
  v1::Dossier d = ExampleDossier();
  d.set_toc_edition("IMDRF-N13-ED4");
  // 3.05.05.08 (software V&V) is 3.06.02.08 in the IVD ToC.
  auto s = ds::ValidateDossier(d, Catalog());
  ExpectError(s, "unknown-toc-code", "sections[6].code");
  for (auto& section : *d.mutable_sections()) {
    if (section.code().rfind("3.05.05.", 0) == 0) section.set_code("3.06.02." + section.code().substr(8));
    if (section.code() == "3.05.11") section.set_code("3.06.04");
  }
  s = ds::ValidateDossier(d, Catalog());
  BOOST_TEST(s.ok(), s.ToString());
}

BOOST_AUTO_TEST_CASE(format_predicates) {
  BOOST_TEST(ds::IsValidGs1Gtin("00614141000036"));
  BOOST_TEST(ds::IsValidGs1Gtin("08500123450017"));
  BOOST_TEST(ds::IsValidGs1Gtin("4006381333931"));  // EAN-13
  BOOST_TEST(ds::IsValidGs1Gtin("96385074"));       // EAN-8
  BOOST_TEST(!ds::IsValidGs1Gtin("4006381333932"));
  BOOST_TEST(!ds::IsValidGs1Gtin("400638133393a"));
  BOOST_TEST(ds::IsValidEmdnCode("Z12040192"));
  BOOST_TEST(ds::IsValidEmdnCode("A"));
  BOOST_TEST(ds::IsValidEmdnCode("A0101010101"));
  BOOST_TEST(!ds::IsValidEmdnCode("a01"));
  BOOST_TEST(!ds::IsValidEmdnCode("A1"));
  BOOST_TEST(ds::IsValidSrn("BE-MF-000000001"));
  BOOST_TEST(!ds::IsValidSrn("BE-XY-000000001"));
  BOOST_TEST(!ds::IsValidSrn("BE-MF-00000001"));
  BOOST_TEST(ds::IsValidIsoDate("2024-02-29"));
  BOOST_TEST(!ds::IsValidIsoDate("2024-13-01"));
  BOOST_TEST(ds::IsValidDigest(kDigest));
  BOOST_TEST(ds::IsValidFdaProductCode("OQG"));
}

BOOST_AUTO_TEST_CASE(referenced_digests) {
  const v1::Dossier d = ExampleDossier();
  const auto digests = ds::ReferencedDigests(d);
  BOOST_TEST(std::is_sorted(digests.begin(), digests.end()));
  BOOST_TEST((std::adjacent_find(digests.begin(), digests.end()) == digests.end()));
  size_t docs = 0;
  for (const auto& s : d.sections()) docs += s.documents_size();
  // Section documents (eu-doc.pdf is also the DoC digest) + FDA letter + datasheet.
  BOOST_TEST(digests.size() == docs + 2);
  for (const auto& digest : digests) BOOST_TEST(ds::IsValidDigest(digest), digest);
}

BOOST_AUTO_TEST_CASE(change_plan_validation) {
  auto parsed =
      ds::ParseChangePlan(ReadTestdata("chest-xray-triage.change-plan.json"), ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(parsed.ok(), parsed.status().ToString());
  const v1::ChangePlan plan = *parsed;
  BOOST_TEST(ds::ValidateChangePlan(plan).ok(), ds::ValidateChangePlan(plan).ToString());
  struct PlanCase {
    const char* name;
    std::function<void(v1::ChangePlan*)> edit;
    const char* reason;
    const char* field;
  };
  const PlanCase cases[] = {
      {"dup id", [](v1::ChangePlan* p) { p->mutable_modifications(1)->set_id("M1"); },
       "duplicate-modification-id", "modifications[1].id"},
      {"no id", [](v1::ChangePlan* p) { p->mutable_modifications(1)->clear_id(); }, "missing-field",
       "modifications[1].id"},
      {"no type", [](v1::ChangePlan* p) { p->mutable_modifications(0)->clear_type(); }, "missing-field",
       "modifications[0].type"},
      {"undefined id", [](v1::ChangePlan* p) { p->mutable_criteria(3)->set_modification_id("M9"); },
       "unknown-modification-id", "criteria[3].modificationId"},
      {"no metric", [](v1::ChangePlan* p) { p->mutable_criteria(2)->clear_metric(); }, "missing-field",
       "criteria[2].metric"},
      {"no threshold", [](v1::ChangePlan* p) { p->mutable_criteria(2)->clear_min(); }, "missing-threshold",
       "criteria[2]"},
      {"min > 1", [](v1::ChangePlan* p) { p->mutable_criteria(1)->set_min(88); }, "bad-proportion",
       "criteria[1].min"},
      {"max < 0", [](v1::ChangePlan* p) { p->mutable_criteria(4)->set_max(-0.1); }, "bad-proportion",
       "criteria[4].max"},
      {"min > max", [](v1::ChangePlan* p) { p->mutable_criteria(0)->set_max(0.5); }, "bad-threshold",
       "criteria[0].min"},
      {"trace", [](v1::ChangePlan* p) { p->mutable_traceability(1)->set_modification_id("M3"); },
       "unknown-modification-id", "traceability[1].modificationId"},
      {"jurisdiction", [](v1::ChangePlan* p) { p->mutable_authorizations(2)->clear_jurisdiction(); },
       "missing-field", "authorizations[2].jurisdiction"},
      {"auth date", [](v1::ChangePlan* p) { p->mutable_authorizations(0)->set_date("2024"); }, "bad-date",
       "authorizations[0].date"},
  };
  for (const PlanCase& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      v1::ChangePlan p = plan;
      c.edit(&p);
      ExpectError(ds::ValidateChangePlan(p), c.reason, c.field);
    }
  }
  // A sensitivity is a proportion whatever the plan's flag says (issue 14)...
  v1::ChangePlan p = plan;
  p.mutable_criteria(0)->set_proportion(false);
  p.mutable_criteria(0)->set_min(5);
  ExpectError(ds::ValidateChangePlan(p), "bad-proportion", "criteria[0].min");
  // ...while a metric that is not a proportion may exceed 1.
  p.mutable_protocol()->mutable_performance_evaluation()->add_metrics("timeToFlagSeconds");
  p.mutable_criteria(0)->set_metric("timeToFlagSeconds");
  BOOST_TEST(ds::ValidateChangePlan(p).ok(), ds::ValidateChangePlan(p).ToString());
}

BOOST_AUTO_TEST_CASE(decision_validation) {
  auto parsed = ds::ParseDecision(ReadTestdata("chest-xray-triage.decision.json"), ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(parsed.ok(), parsed.status().ToString());
  const v1::Decision decision = *parsed;
  BOOST_TEST(ds::ValidateDecision(decision, Catalog()).ok());
  struct DecisionCase {
    const char* name;
    std::function<void(v1::Decision*)> edit;
    const char* reason;
    const char* field;
  };
  const DecisionCase cases[] = {
      {"no submission", [](v1::Decision* d) { d->clear_submission(); }, "missing-field", "submission"},
      {"no outcome", [](v1::Decision* d) { d->clear_outcome(); }, "missing-field", "outcome"},
      {"date", [](v1::Decision* d) { d->set_date("May 2024"); }, "bad-date", "date"},
      {"edition", [](v1::Decision* d) { d->set_toc_edition("X"); }, "unknown-toc-edition", "tocEdition"},
      {"code", [](v1::Decision* d) { d->mutable_sections(1)->set_code("3.06.02.11"); }, "unknown-toc-code",
       "sections[1].code"},
      {"dup", [](v1::Decision* d) { d->mutable_sections(1)->set_code("3.05.05.08"); }, "duplicate-section",
       "sections[1].code"},
      {"no code", [](v1::Decision* d) { d->mutable_sections(0)->clear_code(); }, "missing-field",
       "sections[0].code"},
      {"digest", [](v1::Decision* d) { d->mutable_sections(0)->set_digest("sha256:x"); }, "bad-digest",
       "sections[0].digest"},
  };
  for (const DecisionCase& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      v1::Decision d = decision;
      c.edit(&d);
      ExpectError(ds::ValidateDecision(d, Catalog()), c.reason, c.field);
    }
  }
  // Without an edition, a code of any edition is accepted.
  v1::Decision d = decision;
  d.clear_toc_edition();
  d.mutable_sections(1)->set_code("3.06.02.11");
  BOOST_TEST(ds::ValidateDecision(d, Catalog()).ok());
}
