#define BOOST_TEST_MODULE common_json_read
#include "common/json_read.h"

#include <boost/test/unit_test.hpp>

namespace json = boost::json;
using namespace dossier;

namespace {

json::object Obj(std::string_view text) { return json::parse(text).as_object(); }

void ExpectError(const Status& s, std::string_view reason, std::string_view field) {
  BOOST_REQUIRE(!s.ok());
  BOOST_TEST(s.reason() == reason);
  BOOST_TEST(s.field() == field);
}

}  // namespace

BOOST_AUTO_TEST_CASE(parse_json_object_accepts_objects_only) {
  BOOST_TEST(ParseJsonObject(R"({"a":1})")->at("a").as_int64() == 1);
  for (std::string_view bad : {"", "[]", "1", "\"x\"", "{", "{\"a\":}", "null"}) {
    BOOST_TEST_INFO("input: " << bad);
    ExpectError(ParseJsonObject(bad).status(), "bad-json", "");
  }
  std::string deep(65, '[');
  deep = "{\"a\":" + deep + std::string(65, ']') + "}";
  ExpectError(ParseJsonObject(deep).status(), "bad-json", "");
}

BOOST_AUTO_TEST_CASE(strings_by_any_name_null_is_absent) {
  const auto o = Obj(R"({"display_name":"Acme","n":3,"z":null})");
  BOOST_TEST(**OptionalString(o, {"displayName", "display_name"}) == "Acme");
  BOOST_TEST(!OptionalString(o, {"label"})->has_value());
  BOOST_TEST(!OptionalString(o, {"z"})->has_value());
  ExpectError(OptionalString(o, {"n"}).status(), "bad-field-type", "n");
  BOOST_TEST(*RequiredString(o, {"displayName", "display_name"}) == "Acme");
  ExpectError(RequiredString(o, {"label", "lbl"}).status(), "missing-field", "label");
  ExpectError(RequiredString(Obj(R"({"label":""})"), {"label"}).status(), "missing-field", "label");
}

BOOST_AUTO_TEST_CASE(uints_from_numbers_and_decimal_strings) {
  const auto o =
      Obj(R"({"a":5,"b":"18446744073709551615","c":-1,"d":"-1","e":1.5,"f":"1e3","g":" 7","h":true})");
  BOOST_TEST(**OptionalUint(o, {"a"}) == 5u);
  BOOST_TEST(**OptionalUint(o, {"b"}) == UINT64_MAX);
  BOOST_TEST(!OptionalUint(o, {"missing"})->has_value());
  for (std::string_view bad : {"c", "d", "e", "f", "g", "h"}) {
    BOOST_TEST_INFO("member " << bad);
    ExpectError(OptionalUint(o, {bad}).status(), "bad-field-type", bad);
  }
  ExpectError(OptionalUint(Obj(R"({"x":"18446744073709551616"})"), {"x"}).status(), "bad-field-type", "x");
}

BOOST_AUTO_TEST_CASE(bools_are_json_booleans_only) {
  const auto o = Obj(R"({"t":true,"f":false,"s":"true","n":1})");
  BOOST_TEST(**OptionalBool(o, {"t"}) == true);
  BOOST_TEST(**OptionalBool(o, {"f"}) == false);
  ExpectError(OptionalBool(o, {"s"}).status(), "bad-field-type", "s");
  ExpectError(OptionalBool(o, {"n"}).status(), "bad-field-type", "n");
}

BOOST_AUTO_TEST_CASE(unknown_members_are_named) {
  const auto o = Obj(R"({"role":"ADMIN","lable":"x"})");
  ExpectError(RejectUnknownMembers(o, {"role", "label"}), "unknown-field", "lable");
  BOOST_TEST(RejectUnknownMembers(o, {"role", "lable"}).ok());
}

BOOST_AUTO_TEST_CASE(string_member_is_lenient_for_stored_documents) {
  const auto o = Obj(R"({"a":"x","b":2})");
  BOOST_TEST(StringMember(o, "a") == "x");
  BOOST_TEST(StringMember(o, "b") == "");
  BOOST_TEST(StringMember(o, "c") == "");
}
