#define BOOST_TEST_MODULE translate_crosswalk
#include "schema/translate/crosswalk.h"

#include <google/protobuf/descriptor.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "schema/toc.h"
#include "schema/translate/test_util.h"

namespace dossier::translate {
namespace {

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    const size_t end = text.find(sep, pos);
    out.push_back(text.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
    if (end == std::string::npos) return out;
    pos = end + 1;
  }
}

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
  const std::pair<std::string_view, std::string_view> editions[] = {{schema::kTocEditionNivd, kEditionNivd},
                                                                    {schema::kTocEditionIvd, kEditionIvd}};
  for (const auto& [edition, key] : editions) {
    for (const auto& h : schema::TocCatalog::BuiltIn().Headings(edition)) {
      const TocRoute* r = cw.RouteFor(key, h.code);
      BOOST_TEST_CONTEXT(h.code) {
        BOOST_TEST_REQUIRE(r != nullptr);
        BOOST_TEST(!r->estar.empty());
        BOOST_TEST(!r->eu.empty());
        BOOST_TEST(!r->csdt.empty());
      }
    }
  }
  BOOST_TEST(cw.RouteFor("N9", "3.05.05.11")->estar == "18 Cybersecurity/Interoperability");
  BOOST_TEST(cw.RouteFor("N9", "3.05.05.08")->estar == "17 Software/Firmware");
  BOOST_TEST(cw.RouteFor("N13", "3.06.02.11")->estar == "18 Cybersecurity/Interoperability");
  BOOST_TEST(cw.RouteFor("N13", "3.05.05")->estar == "20 Performance Testing");  // analytical sensitivity
  BOOST_TEST(cw.RouteFor("N9", "2.04.05")->estar == "09 Predicates and Substantial Equivalence");
  BOOST_TEST(cw.RouteFor("N13", "2.04.05") == cw.RouteFor("N9", "2.04.05"));  // chapter 2 is shared
  BOOST_TEST(cw.RouteFor("N9", "3.02")->csdt == "4.5 Risk analysis");
  BOOST_TEST(cw.RouteFor("N9", "6B.11")->eu == "Annex III Post-market surveillance");
  BOOST_TEST(cw.RouteFor("N9", "3.050") == cw.RouteFor("N9", "3"));  // prefix matches per heading level only
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
    BOOST_TEST_CONTEXT(r.agency << "/" << r.edition << "/" << r.id) {
      BOOST_TEST(ids.insert(r.agency + "/" + r.edition + "/" + r.id).second);
      BOOST_TEST(!r.citation.empty());
      // Every ToC code of the row (home and toc: checks) exists in each edition the row is for.
      std::vector<std::string> codes;
      if (r.toc != "-") {
        for (const auto& c : Split(r.toc, ',')) codes.push_back(c);
      }
      for (const auto& alt : Split(r.check, '|')) {
        if (alt.rfind("toc:", 0) == 0) {
          for (const auto& c : Split(alt.substr(4), ',')) codes.push_back(c);
        }
      }
      for (std::string_view edition : {schema::kTocEditionNivd, schema::kTocEditionIvd}) {
        const bool applies =
            r.edition == "*" || (r.edition == kEditionNivd) == (edition == schema::kTocEditionNivd);
        if (!applies) continue;
        for (const auto& code : codes) {
          BOOST_TEST_CONTEXT(edition << " " << code) { BOOST_TEST((catalog.Find(edition, code) != nullptr)); }
        }
      }
      for (const auto& alt : Split(r.check, '|')) {
        if (alt.rfind("field:", 0) == 0) BOOST_TEST(PathExists(alt.substr(6)));
      }
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
  // A rule row without its source, with an unknown binding level or without a verification mark is refused.
  const std::string good =
      "F1\tFDA\t*\t*\tR\t*\t-\t1.01\ttoc:1.01\tCover\t21 CFR\t807.90(e)\tregulation\t-\tverified: x\n";
  BOOST_TEST(Crosswalk::FromTsv("", good).ok());
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string row = good;
    row.replace(row.find(from), from.size(), to);
    return Crosswalk::FromTsv("", row);
  };
  BOOST_TEST(replace("21 CFR\t", "\t").status().reason() == "bad-crosswalk-data");
  BOOST_TEST(!replace("regulation", "rule of thumb").ok());
  BOOST_TEST(!replace("verified: x", "checked").ok());
  BOOST_TEST(!replace("\t-\tverified", "\tfrom:2027\tverified").ok());
  BOOST_TEST(!replace("FDA\t*\t*", "FDA\tN10\t*").ok());
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
