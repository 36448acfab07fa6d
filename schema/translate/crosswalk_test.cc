#define BOOST_TEST_MODULE translate_crosswalk
#include "schema/translate/crosswalk.h"

#include <google/protobuf/descriptor.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "schema/toc.h"
#include "schema/translate/test_util.h"

namespace dossier::translate {
namespace {

// Resolves a JSON path against the Dossier descriptor.
bool PathExists(const std::string& path) {
  const google::protobuf::Descriptor* desc = v1::Dossier::descriptor();
  size_t pos = 0;
  while (desc) {
    size_t end = path.find('.', pos);
    const std::string part = path.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    const google::protobuf::FieldDescriptor* field = nullptr;
    for (int i = 0; i < desc->field_count(); ++i) {
      if (desc->field(i)->json_name() == part) field = desc->field(i);
    }
    if (!field) return false;
    if (end == std::string::npos) return true;
    desc = field->message_type();
    pos = end + 1;
  }
  return false;
}

BOOST_AUTO_TEST_CASE(embedded_data_parses) {
  const Crosswalk& cw = Crosswalk::BuiltIn();
  BOOST_TEST(cw.TocRoutes().size() > 30u);
  BOOST_TEST(cw.FieldRoutes().size() > 30u);
  BOOST_TEST(cw.Requirements().size() > 100u);
}

BOOST_AUTO_TEST_CASE(every_heading_has_a_home_in_every_region) {
  const Crosswalk& cw = Crosswalk::BuiltIn();
  for (const auto* edition : {&schema::kTocEditionNivd, &schema::kTocEditionIvd}) {
    for (const auto& h : schema::TocCatalog::BuiltIn().Headings(*edition)) {
      const TocRoute* r = cw.RouteFor(h.code);
      BOOST_TEST_CONTEXT(h.code) {
        BOOST_TEST_REQUIRE(r != nullptr);
        BOOST_TEST(!r->estar.empty());
        BOOST_TEST(!r->eu.empty());
        BOOST_TEST(!r->csdt.empty());
      }
    }
  }
  BOOST_TEST(cw.RouteFor("3.05.05.11")->estar == "18 Cybersecurity/Interoperability");
  BOOST_TEST(cw.RouteFor("3.05.05.08")->estar == "17 Software/Firmware");
  BOOST_TEST(cw.RouteFor("2.04.05")->estar == "09 Predicates and Substantial Equivalence");
  BOOST_TEST(cw.RouteFor("3.02")->csdt == "4.5 Risk analysis");
  BOOST_TEST(cw.RouteFor("6B.11")->eu == "Annex III Post-market surveillance");
  BOOST_TEST(cw.RouteFor("3.050") == cw.RouteFor("3"));  // prefix matches per heading level only
}

BOOST_AUTO_TEST_CASE(field_rows_name_real_fields) {
  for (const auto& f : Crosswalk::BuiltIn().FieldRoutes()) {
    BOOST_TEST_CONTEXT(f.path) { BOOST_TEST(PathExists(f.path)); }
  }
}

BOOST_AUTO_TEST_CASE(requirements_cite_and_point_at_known_headings) {
  const auto& catalog = schema::TocCatalog::BuiltIn();
  std::set<std::string> ids;
  for (const auto& r : Crosswalk::BuiltIn().Requirements()) {
    BOOST_TEST_CONTEXT(r.id) {
      BOOST_TEST(ids.insert(r.agency + "/" + r.id).second);
      BOOST_TEST(!r.citation.empty());
      if (r.toc != "-") {
        for (const auto& code : std::vector<std::string>{r.toc.substr(0, r.toc.find(','))}) {
          BOOST_TEST((catalog.Find(schema::kTocEditionNivd, code) != nullptr));
        }
      }
      if (r.check.rfind("field:", 0) == 0) BOOST_TEST(PathExists(r.check.substr(6, r.check.find('|') - 6)));
      for (const auto& p : r.pathways) {
        if (p == "*") continue;
        const auto known = Pathways(r.agency);
        BOOST_TEST((std::find(known.begin(), known.end(), p) != known.end()));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_data_is_rejected) {
  auto r = Crosswalk::FromTsv("field\tdevice\t-\tx\tx\tx\tx\t\n", "");
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.status().reason() == "bad-crosswalk-data");
  auto q = Crosswalk::FromTsv("", "F1\tFDA\t*\tX\t*\t-\t1.01\ttoc:1.01\tCover\t807.90\n");
  BOOST_TEST(!q.ok());
}

BOOST_AUTO_TEST_CASE(loss_walker_reports_exact_paths) {
  v1::Dossier a = testing::ExampleDossier();
  v1::Dossier b = a;
  b.mutable_device()->mutable_model_numbers()->Clear();
  b.mutable_regional()->clear_eu();
  b.mutable_sections(2)->clear_data();
  auto loss = ComputeLoss(a, b, [](const std::string& p) { return "why " + p; });
  std::vector<std::string> paths;
  for (const auto& l : loss) paths.push_back(l.path);
  BOOST_TEST(paths == (std::vector<std::string>{"device.modelNumbers", "sections[2].data", "regional.eu"}),
             boost::test_tools::per_element());
  BOOST_TEST(loss[1].reason == "why sections.data");
}

}  // namespace
}  // namespace dossier::translate
