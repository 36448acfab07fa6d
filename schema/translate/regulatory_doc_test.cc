#define BOOST_TEST_MODULE translate_regulatory_doc
#include "schema/translate/regulatory_doc.h"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

namespace dossier::translate {
namespace {

BOOST_AUTO_TEST_CASE(committed_document_is_what_the_data_generates) {
  std::ifstream in(REGULATORY_DOC_PATH, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " REGULATORY_DOC_PATH);
  std::ostringstream committed;
  committed << in.rdbuf();
  const std::string generated = RegulatoryMarkdown(Crosswalk::BuiltIn());
  BOOST_CHECK_MESSAGE(
      committed.str() == generated,
      "docs/REGULATORY.md differs from the rule data; regenerate it: " << kRegulatoryDocCommand);
}

BOOST_AUTO_TEST_CASE(every_rule_is_listed_with_its_source) {
  const std::string doc = RegulatoryMarkdown(Crosswalk::BuiltIn());
  for (const auto& r : Crosswalk::BuiltIn().Requirements()) {
    BOOST_TEST_CONTEXT(r.agency << "/" << r.edition << "/" << r.id) {
      BOOST_TEST(doc.find("| " + r.id + " | " + r.edition + " |") != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace dossier::translate
