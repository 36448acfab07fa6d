// The golden suite is only as strict as its matcher: these pin the semantics
// every expected.json relies on (in particular that a selector matching
// nothing fails rather than passing vacuously).
#define BOOST_TEST_MODULE golden_pattern
#include "schema/golden/pattern.h"

#include <boost/test/unit_test.hpp>

namespace dossier::golden {
namespace {

namespace json = boost::json;

bool Match(std::string_view pattern, std::string_view answer) {
  return Mismatches(json::parse(pattern), json::parse(answer)).empty();
}

const char* kReport =
    R"json({"pathway": "annex-ix", "items": [
      {"id": "E-ROUTE", "status": "present", "citation": "MDR Art 52(6)"},
      {"id": "E12P", "status": "missing", "citation": "MDR Art 86"}]})json";

BOOST_AUTO_TEST_CASE(objects_match_partially_and_scalars_exactly) {
  BOOST_TEST(Match(R"({"pathway": "annex-ix"})", kReport));
  BOOST_TEST(!Match(R"({"pathway": "annex-x-xi"})", kReport));
  BOOST_TEST(!Match(R"({"ready": true})", kReport));  // a member the answer lacks
  BOOST_TEST(Match(R"({"n": 1})", R"({"n": 1.0})"));
}

BOOST_AUTO_TEST_CASE(every_needs_a_selected_element) {
  BOOST_TEST(
      Match(R"({"items": {"$every": {"where": {"id": "E-ROUTE"}, "is": {"status": "present"}}}})", kReport));
  BOOST_TEST(
      !Match(R"({"items": {"$every": {"where": {"id": "E-ROUTE"}, "is": {"status": "missing"}}}})", kReport));
  // A selector that matches nothing must fail, never pass vacuously.
  BOOST_TEST(
      !Match(R"({"items": {"$every": {"where": {"id": "NOPE"}, "is": {"status": "missing"}}}})", kReport));
}

BOOST_AUTO_TEST_CASE(has_none_contains_not_absent) {
  BOOST_TEST(Match(R"({"items": {"$has": {"citation": {"$contains": "art 86"}}}})", kReport));
  BOOST_TEST(!Match(R"({"items": {"$none": {"status": "missing"}}})", kReport));
  BOOST_TEST(Match(R"({"items": {"$none": {"status": "not-applicable"}}})", kReport));
  BOOST_TEST(Match(R"({"other": {"$none": {"x": 1}}})", kReport));  // missing list: nothing matches
  BOOST_TEST(Match(R"({"error": {"$absent": true}})", kReport));
  BOOST_TEST(!Match(R"({"pathway": {"$absent": true}})", kReport));
  BOOST_TEST(Match(R"({"pathway": {"$not": "pma"}})", kReport));
  BOOST_TEST(Match(R"({"xml": {"$not": {"$contains": "ON_THE_MARKET"}}})", kReport));  // absent text
  BOOST_TEST(Match(R"({"pathway": {"$anyOf": ["pma", {"$contains": "IX"}]}})", kReport));
  BOOST_TEST(!Match(R"({"pathway": {"$allOf": [{"$contains": "annex"}, {"$contains": "xi"}]}})", kReport));
}

BOOST_AUTO_TEST_CASE(mismatches_name_the_path) {
  const auto lines = Mismatches(
      json::parse(R"({"items": {"$every": {"where": {"id": "E12P"}, "is": {"status": "present"}}}})"),
      json::parse(kReport));
  BOOST_REQUIRE_EQUAL(lines.size(), 1u);
  BOOST_TEST(lines[0].find("items[1].status") != std::string::npos, lines[0]);
}

BOOST_AUTO_TEST_CASE(malformed_patterns_are_rejected) {
  BOOST_TEST(CheckPattern(json::parse(R"({"$every": {"where": {}}})"), "p").reason() == "bad-golden-case");
  BOOST_TEST(CheckPattern(json::parse(R"({"$bogus": 1})"), "p").reason() == "bad-golden-case");
  BOOST_TEST(CheckPattern(json::parse(R"({"a": 1, "$has": 2})"), "p").reason() == "bad-golden-case");
  BOOST_TEST(CheckPattern(json::parse(R"({"$contains": 3})"), "p").reason() == "bad-golden-case");
  BOOST_TEST(CheckPattern(json::parse(R"({"items": {"$has": {"id": "x"}}})"), "p").ok());
}

}  // namespace
}  // namespace dossier::golden
