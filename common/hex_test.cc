#define BOOST_TEST_MODULE common_hex
#include "common/hex.h"

#include <boost/test/unit_test.hpp>

using dossier::HexDecode;
using dossier::HexEncode;

BOOST_AUTO_TEST_CASE(encodes_every_byte_lowercase_and_round_trips) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  const std::string hex = HexEncode(all);
  BOOST_TEST(hex.size() == 512u);
  BOOST_TEST(hex.substr(0, 8) == "00010203");
  BOOST_TEST(hex.substr(504) == "fcfdfeff");
  BOOST_TEST(*HexDecode(hex, "x") == all);
  BOOST_TEST(HexEncode("") == "");
}

BOOST_AUTO_TEST_CASE(decodes_either_case) {
  BOOST_TEST(*HexDecode("ABcd09", "x") == std::string("\xab\xcd\x09"));
  BOOST_TEST(HexDecode("", "x")->empty());
}

BOOST_AUTO_TEST_CASE(rejects_odd_length_and_bad_digits_naming_the_field) {
  for (std::string_view bad : {"a", "abc", "0g", "g0", "0x00", " 00", "00 ", "-1", "+1", "zz"}) {
    auto r = HexDecode(bad, "keys[0].spki");
    BOOST_TEST_INFO("input: \"" << bad << "\"");
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.status().reason() == "bad-hex");
    BOOST_TEST(r.status().field() == "keys[0].spki");
  }
}
