// The pathways table (data/pathways.tsv): it parses, every row cites its
// text, the door check refuses a pathway the agency does not offer for the
// device's class, and the table agrees with readiness's own route
// assessments (AssessEuRoutes, AssessHsaRoutes), so the two cannot drift.
#define BOOST_TEST_MODULE translate_pathways
#include "schema/translate/pathways.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>

#include "schema/translate/readiness_routes.h"
#include "schema/translate/translate.h"

namespace dossier::translate {
namespace {

bool Offers(const std::string& agency, const std::string& pathway, const std::string& cls) {
  for (const auto& offer : PathwayOffers()) {
    if (offer.agency == agency && offer.pathway == pathway)
      return std::find(offer.classes.begin(), offer.classes.end(), cls) != offer.classes.end();
  }
  return false;
}

v1::Dossier UsDossier(v1::UsClassification::DeviceClass cls) {
  v1::Dossier d;
  d.mutable_classifications()->mutable_us()->set_device_class(cls);
  return d;
}

}  // namespace

BOOST_AUTO_TEST_CASE(embedded_table_parses_and_every_row_cites_its_text) {
  const auto& offers = PathwayOffers();
  BOOST_TEST(offers.size() >= 14u);
  for (const auto& offer : offers) {
    BOOST_TEST(!offer.source.empty(), offer.pathway);
    BOOST_TEST(!offer.section.empty(), offer.pathway);
    BOOST_TEST(!offer.classes.empty(), offer.pathway);
  }
  BOOST_TEST(OfferedPathways("FDA") == Pathways("FDA"));
  BOOST_TEST(OfferedPathways("HSA") ==
             std::vector<std::string>({"full", "abridged", "expedited", "immediate"}));
}

BOOST_AUTO_TEST_CASE(malformed_tables_are_refused_with_the_line) {
  auto short_row = ParsePathwayOffers("# c\nFDA\tpma\tIII\n");
  BOOST_TEST(short_row.status().reason() == "bad-pathways-table");
  BOOST_TEST(short_row.status().field() == "pathways.tsv:2");
  BOOST_TEST(ParsePathwayOffers("XX\tp\tI\ts\tx\tregulation\tverified: y\n").status().reason() ==
             "bad-pathways-table");
  BOOST_TEST(ParsePathwayOffers("FDA\tp\tI\ts\tx\tregulation\tmaybe\n").status().reason() ==
             "bad-pathways-table");
  BOOST_TEST(
      ParsePathwayOffers("FDA\tp\tI\ts\tx\tregulation\tverified: y\nFDA\tp\tII\ts\tx\tregulation\tverified: "
                         "y\n")
          .status()
          .reason() == "bad-pathways-table");
}

BOOST_AUTO_TEST_CASE(door_check_refuses_a_pathway_not_offered_for_the_class) {
  const v1::Dossier class_ii = UsDossier(v1::UsClassification::CLASS_II);
  BOOST_TEST(CheckPathwayOffered(class_ii, "FDA", "510k-traditional").ok());
  BOOST_TEST(CheckPathwayOffered(class_ii, "fda", "de-novo").ok());
  const Status pma = CheckPathwayOffered(class_ii, "FDA", "pma");
  BOOST_TEST(pma.reason() == "pathway-not-offered");
  BOOST_TEST(pma.field() == "pathway");
  BOOST_TEST(pma.message().find("21 CFR") != std::string::npos, pma.message());
  BOOST_TEST(pma.message().find("510k-traditional") != std::string::npos, pma.message());
  BOOST_TEST(CheckPathwayOffered(UsDossier(v1::UsClassification::CLASS_III), "FDA", "de-novo").reason() ==
             "pathway-not-offered");
  const Status unknown = CheckPathwayOffered(class_ii, "FDA", "510k-express");
  BOOST_TEST(unknown.reason() == "unknown-pathway");
  BOOST_TEST(unknown.message().find("pma-supplement") != std::string::npos, unknown.message());
  // No class recorded: the door lets it in, readiness reports the class.
  BOOST_TEST(CheckPathwayOffered(v1::Dossier(), "FDA", "pma").ok());

  v1::Dossier hsa_a;
  hsa_a.mutable_classifications()->mutable_sg()->set_risk_class(v1::SgClassification::CLASS_A);
  const Status exempt = CheckPathwayOffered(hsa_a, "HSA", "full");
  BOOST_TEST(exempt.reason() == "pathway-not-offered");
  BOOST_TEST(exempt.message().find("no pathway is offered for class A") != std::string::npos,
             exempt.message());

  v1::Dossier eu_iia;
  eu_iia.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_IIA);
  BOOST_TEST(CheckPathwayOffered(eu_iia, "EU", "annex-x+xi").reason() == "pathway-not-offered");
  BOOST_TEST(CheckPathwayOffered(eu_iia, "EU", "annex-ix").ok());
}

BOOST_AUTO_TEST_CASE(eu_rows_agree_with_the_article_52_and_48_assessment) {
  using C = v1::EuClassification;
  for (auto cls : {C::CLASS_I, C::CLASS_IIA, C::CLASS_IIB, C::CLASS_III, C::CLASS_A, C::CLASS_B, C::CLASS_C,
                   C::CLASS_D}) {
    for (bool sterile : {false, true}) {
      v1::Dossier d;
      d.mutable_classifications()->mutable_eu()->set_device_class(cls);
      d.mutable_classifications()->mutable_eu()->set_sterile(sterile);
      const EuRoutes routes = AssessEuRoutes(d);
      for (const std::string& pathway : OfferedPathways("EU")) {
        const bool open = std::find(routes.open.begin(), routes.open.end(), pathway) != routes.open.end();
        BOOST_TEST(Offers("EU", pathway, PathwayClass(d, "EU")) == open,
                   pathway << " for " << PathwayClass(d, "EU") << " (" << routes.basis << ")");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(hsa_rows_agree_with_the_routes_a_class_can_ever_take) {
  // With every reliance condition met, AssessHsaRoutes opens exactly the
  // routes the class allows; the table must list the same.
  for (std::string cls : {"A", "B", "C", "D"}) {
    v1::Dossier d;
    auto* sg = d.mutable_regional()->mutable_sg();
    sg->set_standalone_mobile_app(true);
    for (v1::Jurisdiction jurisdiction : {v1::US, v1::CA}) {
      auto* a = sg->add_reference_approvals();
      a->set_jurisdiction(jurisdiction);
      a->set_same_labelled_use(true);
      a->set_marketed_since("2015-01-01");
    }
    sg->mutable_global_safety()->set_declared_on("2026-01-01");
    const HsaRoutes routes = AssessHsaRoutes(d, cls, "2026-12-01");
    for (const std::string& pathway : OfferedPathways("HSA")) {
      const bool open = std::find(routes.open.begin(), routes.open.end(), pathway) != routes.open.end();
      BOOST_TEST(Offers("HSA", pathway, cls) == open,
                 pathway << " for class " << cls << ": " << routes.facts);
    }
  }
}

}  // namespace dossier::translate
