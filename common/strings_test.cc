#define BOOST_TEST_MODULE common_strings
#include "common/strings.h"

#include <boost/test/unit_test.hpp>

using dossier::Split;
using Pieces = std::vector<std::string>;

BOOST_AUTO_TEST_CASE(splits_at_every_separator_keeping_empty_pieces) {
  BOOST_TEST(Split("a,b,c", ',') == (Pieces{"a", "b", "c"}));
  BOOST_TEST(Split("a,,b", ',') == (Pieces{"a", "", "b"}));
  BOOST_TEST(Split(",a,", ',') == (Pieces{"", "a", ""}));
  BOOST_TEST(Split("", ',') == (Pieces{""}));
  BOOST_TEST(Split("no separator", ',') == (Pieces{"no separator"}));
  BOOST_TEST(Split(" a | b ", '|') == (Pieces{" a ", " b "}));  // no trimming
}

BOOST_AUTO_TEST_CASE(tabs_and_multibyte_text_survive) {
  BOOST_TEST(Split("2.01\t\xc3\xa9tude\t", '\t') == (Pieces{"2.01", "\xc3\xa9tude", ""}));
}

BOOST_AUTO_TEST_CASE(markup_escaping_neutralises_tags_quotes_and_ampersands) {
  BOOST_TEST(dossier::EscapeMarkup("<script>alert('x')</script>") ==
             "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  BOOST_TEST(dossier::EscapeMarkup("a \"b\" & c") == "a &quot;b&quot; &amp; c");
  BOOST_TEST(dossier::EscapeMarkup("\xc3\xa9tude 2.01") == "\xc3\xa9tude 2.01");
}

BOOST_AUTO_TEST_CASE(ascii_case_changes_only_ascii_letters) {
  BOOST_TEST(dossier::AsciiUpper("de-Gen 2b\xc3\xa9") == "DE-GEN 2B\xc3\xa9");
  BOOST_TEST(dossier::AsciiLower("FDA \xc3\x89TAT_1") == "fda \xc3\x89tat_1");
  BOOST_TEST(dossier::AsciiUpper("") == "");
}
