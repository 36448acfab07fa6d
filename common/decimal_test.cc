#define BOOST_TEST_MODULE common_decimal
#include "common/decimal.h"

#include <boost/test/unit_test.hpp>

using dossier::ParseInt64;
using dossier::ParseUint64;

BOOST_AUTO_TEST_CASE(uint64_accepts_digits_up_to_the_maximum) {
  BOOST_TEST(*ParseUint64("0", "n") == 0u);
  BOOST_TEST(*ParseUint64("42", "n") == 42u);
  BOOST_TEST(*ParseUint64("007", "n") == 7u);
  BOOST_TEST(*ParseUint64("18446744073709551615", "n") == UINT64_MAX);
}

BOOST_AUTO_TEST_CASE(uint64_rejects_overflow_signs_whitespace_and_empty) {
  for (std::string_view bad :
       {"18446744073709551616", "99999999999999999999", "100000000000000000000000", "", "+1", "-1", "-0",
        " 1", "1 ", "1\n", "\t1", "1_000", "1.0", "1e3", "0x10", "abc"}) {
    auto r = ParseUint64(bad, "page_size");
    BOOST_TEST_INFO("input: \"" << bad << "\"");
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.status().reason() == "bad-integer");
    BOOST_TEST(r.status().field() == "page_size");
  }
}

BOOST_AUTO_TEST_CASE(int64_accepts_the_whole_range) {
  BOOST_TEST(*ParseInt64("0", "n") == 0);
  BOOST_TEST(*ParseInt64("-0", "n") == 0);
  BOOST_TEST(*ParseInt64("-17", "n") == -17);
  BOOST_TEST(*ParseInt64("9223372036854775807", "n") == INT64_MAX);
  BOOST_TEST(*ParseInt64("-9223372036854775808", "n") == INT64_MIN);
}

BOOST_AUTO_TEST_CASE(int64_rejects_overflow_signs_whitespace_and_empty) {
  for (std::string_view bad : {"9223372036854775808", "-9223372036854775809", "18446744073709551615", "", "-",
                               "+5", "--5", "- 5", " -5", "-5 ", "5-", "1.5"}) {
    auto r = ParseInt64(bad, "offset");
    BOOST_TEST_INFO("input: \"" << bad << "\"");
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.status().reason() == "bad-integer");
    BOOST_TEST(r.status().field() == "offset");
  }
}
