#define BOOST_TEST_MODULE common_time
#include "common/time.h"

#include <boost/test/unit_test.hpp>

using dossier::FormatRfc3339Ms;
using dossier::NowMs;
using dossier::ParseRfc3339;

namespace {

int64_t Parse(std::string_view text) {
  auto r = ParseRfc3339(text, "at");
  BOOST_REQUIRE_MESSAGE(r.ok(), std::string(text) << ": " << r.status());
  return *r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(now_is_the_current_wall_clock) {
  const int64_t now = NowMs();
  BOOST_TEST(now > 1767225600000);  // after 2026-01-01
  BOOST_TEST(now < 4102444800000);  // before 2100-01-01
  BOOST_TEST(NowMs() >= now - 1000);
}

BOOST_AUTO_TEST_CASE(formats_utc_with_milliseconds) {
  BOOST_TEST(FormatRfc3339Ms(0) == "1970-01-01T00:00:00.000Z");
  BOOST_TEST(FormatRfc3339Ms(1795939200123) == "2026-11-29T08:00:00.123Z");
  BOOST_TEST(FormatRfc3339Ms(951782400000) == "2000-02-29T00:00:00.000Z");  // leap day
  BOOST_TEST(FormatRfc3339Ms(-1) == "1969-12-31T23:59:59.999Z");
  BOOST_TEST(FormatRfc3339Ms(253402300799999) == "9999-12-31T23:59:59.999Z");
}

BOOST_AUTO_TEST_CASE(parses_utc_fractions_and_offsets) {
  BOOST_TEST(Parse("2026-11-29T08:00:00Z") == 1795939200000);
  BOOST_TEST(Parse("2026-11-29T08:00:00.123Z") == 1795939200123);
  BOOST_TEST(Parse("2026-11-29T08:00:00.1Z") == 1795939200100);
  BOOST_TEST(Parse("2026-11-29T08:00:00.123999Z") == 1795939200123);  // truncated, not rounded
  BOOST_TEST(Parse("2026-11-29t08:00:00z") == 1795939200000);
  BOOST_TEST(Parse("2026-11-29T08:00:00+00:00") == 1795939200000);
  BOOST_TEST(Parse("2026-11-29T09:30:00+01:30") == 1795939200000);
  BOOST_TEST(Parse("2026-11-29T03:00:00.5-05:00") == 1795939200500);
  BOOST_TEST(Parse("2026-11-29T00:00:00-08:00") == Parse("2026-11-29T08:00:00Z"));
  BOOST_TEST(Parse("2000-02-29T00:00:00Z") == 951782400000);
  BOOST_TEST(Parse("1969-12-31T23:59:59.999Z") == -1);
  BOOST_TEST(Parse("2016-12-31T23:59:60Z") == Parse("2017-01-01T00:00:00Z"));  // leap second
}

BOOST_AUTO_TEST_CASE(format_and_parse_round_trip) {
  for (int64_t ms : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{1795939200123}, int64_t{-86400001},
                     int64_t{4102444799999}}) {
    BOOST_TEST(Parse(FormatRfc3339Ms(ms)) == ms);
  }
}

BOOST_AUTO_TEST_CASE(rejects_bad_dates_times_and_shapes) {
  for (std::string_view bad : {"",
                               "2026-11-29",
                               "2026-11-29T08:00Z",
                               "2026-11-29T08:00:00",
                               "2026-02-30T00:00:00Z",
                               "2025-02-29T00:00:00Z",
                               "2026-13-01T00:00:00Z",
                               "2026-00-10T00:00:00Z",
                               "2026-11-00T00:00:00Z",
                               "2026-04-31T00:00:00Z",
                               "2026-11-29T24:00:00Z",
                               "2026-11-29T08:60:00Z",
                               "2026-11-29T08:00:61Z",
                               "2026-11-29 08:00:00Z",
                               " 2026-11-29T08:00:00Z",
                               "2026-11-29T08:00:00Z ",
                               "2026-11-29T08:00:00.Z",
                               "2026-11-29T08:00:00+01",
                               "2026-11-29T08:00:00+0100",
                               "2026-11-29T08:00:00+24:00",
                               "2026-11-29T08:00:00+01:60",
                               "2026-11-29T08:00:00ZZ",
                               "26-11-29T08:00:00Z",
                               "2026-1-29T08:00:00Z",
                               "2026-11-29T8:00:00Z",
                               "+2026-11-29T08:00:00Z",
                               "2026-11-29T08:00:00UTC",
                               "2026/11/29T08:00:00Z"}) {
    auto r = ParseRfc3339(bad, "expiresAt");
    BOOST_TEST_INFO("input: \"" << bad << "\"");
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.status().reason() == "bad-time");
    BOOST_TEST(r.status().field() == "expiresAt");
  }
}
