#define BOOST_TEST_MODULE schema_json_print_test
#include "schema/json_print.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/struct.pb.h>

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "schema/dossier_codec.h"
#include "schema/test_util.h"
#include "tests/support/files.h"

namespace pb = google::protobuf;
namespace ds = dossier::schema;
namespace v1 = dossier::v1;
using FD = pb::FieldDescriptor;

namespace {

std::string Direct(const pb::Message& m) {
  std::string out;
  BOOST_TEST_REQUIRE(ds::AppendJson(m, &out), m.GetDescriptor()->full_name() << " was declined");
  return out;
}

std::string Utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xc0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xe0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    s += static_cast<char>(0xf0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  }
  return s;
}

// Every code point protobuf escapes, and its neighbours on both sides.
std::vector<uint32_t> TrickyCodePoints() {
  std::vector<uint32_t> cps;
  for (uint32_t c = 0; c < 0x100; ++c) cps.push_back(c);
  const std::pair<uint32_t, uint32_t> ranges[] = {
      {0x00ad, 0x00ad}, {0x0600, 0x0603},   {0x06dd, 0x06dd},   {0x070f, 0x070f},  {0x17b4, 0x17b5},
      {0x200b, 0x200f}, {0x2028, 0x202e},   {0x2060, 0x2064},   {0x206a, 0x206f},  {0xfeff, 0xfeff},
      {0xfff9, 0xfffb}, {0x1d173, 0x1d17a}, {0xe0001, 0xe0001}, {0xe0020, 0xe007f}};
  for (const auto& [lo, hi] : ranges) {
    for (uint32_t c = lo - 1; c <= hi + 1; ++c) cps.push_back(c);
  }
  for (uint32_t c : {0x7ffu, 0x800u, 0xd7ffu, 0xe000u, 0xfffdu, 0xffffu, 0x10000u, 0x1f600u, 0x10ffffu})
    cps.push_back(c);
  return cps;
}

const std::vector<double>& TrickyDoubles() {
  static const std::vector<double> values = {0.0,
                                             -0.0,
                                             1.0,
                                             -1.5,
                                             0.1,
                                             1.0 / 3,
                                             0.1 + 0.2,
                                             1e21,
                                             1e22,
                                             123456789012345678.0,
                                             1e-7,
                                             1e-5,
                                             0.0001,
                                             5e-324,
                                             2.2250738585072014e-308,
                                             std::numeric_limits<double>::max(),
                                             -std::numeric_limits<double>::max(),
                                             9007199254740993.0,
                                             0.93,
                                             100.0};
  return values;
}

// Fills `m` with random values of every kind its fields can hold (unknown
// enum numbers, extreme integers, every escaped code point, Structs nested a
// few levels), each field set with probability one half.
class Filler {
 public:
  explicit Filler(uint32_t seed) : rng_(seed), cps_(TrickyCodePoints()) {}

  void Fill(pb::Message* m, int depth) {
    const pb::Descriptor* d = m->GetDescriptor();
    if (d->well_known_type() == pb::Descriptor::WELLKNOWNTYPE_STRUCT) {
      FillStruct(pb::DynamicCastToGenerated<pb::Struct>(m), depth);
      return;
    }
    const pb::Reflection* r = m->GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const FD* f = d->field(i);
      if (Coin()) continue;
      if (f->is_repeated()) {
        const int n = static_cast<int>(rng_() % 4);
        for (int k = 0; k < n; ++k) Put(m, r, f, depth);
      } else {
        Put(m, r, f, depth);
      }
    }
  }

 private:
  bool Coin() { return rng_() % 2 == 0; }

  std::string String() {
    std::string s;
    const int n = static_cast<int>(rng_() % 6);
    for (int i = 0; i < n; ++i) {
      if (rng_() % 3 == 0) {
        s += "plain text ";
      } else {
        s += Utf8(cps_[rng_() % cps_.size()]);
      }
    }
    return s;
  }
  double Double() { return TrickyDoubles()[rng_() % TrickyDoubles().size()] * (Coin() ? 1 : -1); }
  int64_t Int64() {
    const int64_t picks[] = {
        0, 1, -1, 42, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
    return picks[rng_() % std::size(picks)];
  }
  int32_t Int32() {
    const int32_t picks[] = {0, 7, -7, std::numeric_limits<int32_t>::min(),
                             std::numeric_limits<int32_t>::max()};
    return picks[rng_() % std::size(picks)];
  }
  uint32_t UInt32() { return Coin() ? 612u : std::numeric_limits<uint32_t>::max(); }
  int EnumNumber(const pb::EnumDescriptor* e) {
    if (rng_() % 5 == 0) return 99 + static_cast<int>(rng_() % 3);  // no such value: printed as a number
    return e->value(static_cast<int>(rng_() % e->value_count()))->number();
  }

  // Sets the singular field `f`, or adds an element to the repeated one.
  void Put(pb::Message* m, const pb::Reflection* r, const FD* f, int depth) {
    const bool add = f->is_repeated();
    switch (f->cpp_type()) {
      case FD::CPPTYPE_STRING:
        add ? r->AddString(m, f, String()) : r->SetString(m, f, String());
        break;
      case FD::CPPTYPE_DOUBLE:
        add ? r->AddDouble(m, f, Double()) : r->SetDouble(m, f, Double());
        break;
      case FD::CPPTYPE_INT64:
        add ? r->AddInt64(m, f, Int64()) : r->SetInt64(m, f, Int64());
        break;
      case FD::CPPTYPE_INT32:
        add ? r->AddInt32(m, f, Int32()) : r->SetInt32(m, f, Int32());
        break;
      case FD::CPPTYPE_UINT32:
        add ? r->AddUInt32(m, f, UInt32()) : r->SetUInt32(m, f, UInt32());
        break;
      case FD::CPPTYPE_BOOL:
        add ? r->AddBool(m, f, Coin()) : r->SetBool(m, f, Coin());
        break;
      case FD::CPPTYPE_ENUM:
        add ? r->AddEnumValue(m, f, EnumNumber(f->enum_type()))
            : r->SetEnumValue(m, f, EnumNumber(f->enum_type()));
        break;
      case FD::CPPTYPE_MESSAGE:
        if (depth < 6) Fill(add ? r->AddMessage(m, f) : r->MutableMessage(m, f), depth + 1);
        break;
      default:
        BOOST_FAIL("the content schemas gained a field type this test does not fill: " << f->full_name());
    }
  }

  void FillValue(pb::Value* v, int depth) {
    switch (rng_() % (depth < 4 ? 6 : 4)) {
      case 0:
        v->set_null_value(pb::NULL_VALUE);
        break;
      case 1:
        v->set_number_value(Double());
        break;
      case 2:
        v->set_string_value(String());
        break;
      case 3:
        v->set_bool_value(Coin());
        break;
      case 4:
        FillStruct(v->mutable_struct_value(), depth + 1);
        break;
      default: {
        pb::ListValue* list = v->mutable_list_value();  // set even when left empty: []
        const int n = static_cast<int>(rng_() % 4);
        for (int i = 0; i < n; ++i) FillValue(list->add_values(), depth + 1);
      }
    }
  }

  void FillStruct(pb::Struct* s, int depth) {
    const int n = static_cast<int>(rng_() % 5);
    for (int i = 0; i < n; ++i) FillValue(&(*s->mutable_fields())[String()], depth + 1);
  }

  std::mt19937 rng_;
  std::vector<uint32_t> cps_;
};

// Returns all the expected texts, concatenated (to check what they covered).
template <typename Message>
std::string CompareRandomMessages(uint32_t seed, int count) {
  Filler filler(seed);
  std::string all;
  for (int i = 0; i < count; ++i) {
    Message m;
    filler.Fill(&m, 0);
    const std::string expected = ds::MessageToJsonByProtobuf(m);
    BOOST_TEST_REQUIRE(!expected.empty());
    const std::string direct = Direct(m);
    BOOST_TEST_REQUIRE(direct == expected, Message::descriptor()->name() << " #" << i << " differs");
    BOOST_TEST(ds::MessageToJson(m) == expected);
    all += expected;
  }
  return all;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_example_contents_print_as_protobuf_prints_them) {
  for (const char* name : {"chest-xray-triage.dossier.json", "chest-xray-triage.change-plan.json",
                           "chest-xray-triage.decision.json"}) {
    const std::string text = ds::testing::ReadTestdata(name);
    std::string expected;
    std::string direct;
    if (std::string(name).find("dossier") != std::string::npos) {
      auto m = ds::ParseDossier(text, ds::ContentFormat::kJson);
      BOOST_TEST_REQUIRE(m.ok(), m.status().ToString());
      expected = ds::MessageToJsonByProtobuf(*m);
      direct = Direct(*m);
    } else if (std::string(name).find("change-plan") != std::string::npos) {
      auto m = ds::ParseChangePlan(text, ds::ContentFormat::kJson);
      BOOST_TEST_REQUIRE(m.ok(), m.status().ToString());
      expected = ds::MessageToJsonByProtobuf(*m);
      direct = Direct(*m);
    } else {
      auto m = ds::ParseDecision(text, ds::ContentFormat::kJson);
      BOOST_TEST_REQUIRE(m.ok(), m.status().ToString());
      expected = ds::MessageToJsonByProtobuf(*m);
      direct = Direct(*m);
    }
    BOOST_TEST(direct == expected, name);
  }
}

// Random messages of every content type, every field kind filled with the
// values where printers differ: each escaped code point and its neighbours,
// -0, 1e21, 5e-324, 17-digit doubles, int64 extremes (quoted), unknown enum
// numbers, proto3 optional fields set to their default, empty and nested
// Structs and lists, Struct keys that need escaping.
BOOST_AUTO_TEST_CASE(random_contents_print_byte_for_byte_as_protobuf_prints_them) {
  const std::string printed = CompareRandomMessages<v1::Dossier>(1, 1500) +
                              CompareRandomMessages<v1::ChangePlan>(2, 1500) +
                              CompareRandomMessages<v1::Decision>(3, 1500);
  // The cases that matter were generated, not just plain text.
  for (const char* covered : {"\\u003c",
                              "\\u007f",
                              "\\u009f",
                              "\\u00ad",
                              "\\u2028",
                              "\\ufeff",
                              "\\ud834\\udd73",
                              "\\udb40\\udc01",
                              "\\\"",
                              "\\\\",
                              "\\b",
                              "\\u0000",
                              "\u00a0",
                              ":-0,",
                              "1e+21",
                              "e-324",
                              "e-308",
                              "0.30000000000000004",
                              "\"-9223372036854775808\"",
                              "4294967295",
                              ":99",
                              ":[]",
                              ":{}",
                              ":null",
                              "\"\":"}) {
    BOOST_TEST(printed.find(covered) != std::string::npos, "no printed text contains " << covered);
  }
}

BOOST_AUTO_TEST_CASE(what_it_declines_is_printed_by_protobuf) {
  // Not valid UTF-8: protobuf's printer drops the bytes; the direct one declines.
  v1::Dossier bad_utf8;
  bad_utf8.set_intended_use(std::string("caf\xc3", 4));
  std::string out;
  BOOST_TEST(!ds::AppendJson(bad_utf8, &out));
  BOOST_TEST(ds::MessageToJson(bad_utf8) == ds::MessageToJsonByProtobuf(bad_utf8));
  for (const char* overlong : {"\xc0\x80", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
    v1::Dossier d;
    d.set_intended_use(overlong);
    out.clear();
    BOOST_TEST(!ds::AppendJson(d, &out));
  }

  // Non-finite numbers and a Value with no kind have no JSON form of their own.
  v1::Dossier nan;
  (*nan.add_sections()->mutable_data()->mutable_fields())["x"].set_number_value(std::nan(""));
  out.clear();
  BOOST_TEST(!ds::AppendJson(nan, &out));
  BOOST_TEST(ds::MessageToJson(nan) == ds::MessageToJsonByProtobuf(nan));
  v1::Dossier no_kind;
  (*no_kind.add_sections()->mutable_data()->mutable_fields())["x"];
  out.clear();
  BOOST_TEST(!ds::AppendJson(no_kind, &out));

  // Deeper than kMaxJsonPrintDepth: left to protobuf (whose limit shapes it).
  v1::Dossier deep;
  pb::Struct* s = deep.add_sections()->mutable_data();
  for (int i = 0; i < ds::kMaxJsonPrintDepth; ++i) s = (*s->mutable_fields())["d"].mutable_struct_value();
  out.clear();
  BOOST_TEST(!ds::AppendJson(deep, &out));
  BOOST_TEST(ds::MessageToJson(deep) == ds::MessageToJsonByProtobuf(deep));

  // Shallow enough: printed directly, and the same.
  v1::Dossier shallow;
  s = shallow.add_sections()->mutable_data();
  for (int i = 0; i < 10; ++i) s = (*s->mutable_fields())["d"].mutable_struct_value();
  BOOST_TEST(Direct(shallow) == ds::MessageToJsonByProtobuf(shallow));
}

// The fuzzing corpus of the content codec, kept in the repository: thousands
// of odd but accepted contents (fuzz/corpus/schema_content, one selector byte
// then the content; see fuzz/schema_content_fuzzer.cc).
BOOST_AUTO_TEST_CASE(every_accepted_input_of_the_content_fuzz_corpus_prints_as_protobuf_prints_it) {
  const std::filesystem::path corpus =
      std::filesystem::path(SCHEMA_TESTDATA_DIR) / "../../fuzz/corpus/schema_content";
  BOOST_TEST_REQUIRE(std::filesystem::is_directory(corpus), corpus.string());
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    const std::string bytes = dossier::testing::ReadFile(entry.path());
    if (bytes.empty()) continue;
    const auto format = (bytes[0] & 1) ? ds::ContentFormat::kProtobuf : ds::ContentFormat::kJson;
    const std::string_view content = std::string_view(bytes).substr(1);
    std::string expected;
    std::string direct;
    bool printed = false;
    switch ((bytes[0] >> 1) & 3) {
      case 0:
        if (auto m = ds::ParseDossier(content, format); m.ok()) {
          expected = ds::MessageToJsonByProtobuf(*m);
          printed = ds::AppendJson(*m, &direct);
        } else {
          continue;
        }
        break;
      case 1:
        if (auto m = ds::ParseChangePlan(content, format); m.ok()) {
          expected = ds::MessageToJsonByProtobuf(*m);
          printed = ds::AppendJson(*m, &direct);
        } else {
          continue;
        }
        break;
      default:
        if (auto m = ds::ParseDecision(content, format); m.ok()) {
          expected = ds::MessageToJsonByProtobuf(*m);
          printed = ds::AppendJson(*m, &direct);
        } else {
          continue;
        }
    }
    ++compared;
    if (printed) BOOST_TEST(direct == expected, entry.path().filename().string());
  }
  BOOST_TEST_MESSAGE("compared " << compared << " accepted contents");
  BOOST_TEST(compared > 50);
}
