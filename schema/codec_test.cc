#define BOOST_TEST_MODULE schema_codec_test
#include <google/protobuf/util/message_differencer.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "schema/dossier_codec.h"

namespace ds = dossier::schema;
namespace v1 = dossier::v1;

namespace {

const char kApiExample[] =
    R"({"tocEdition":"IMDRF-N9-ED4","device":{"tradeName":"LungScan Triage","identifiers":[{"type":"UDI_DI",)"
    R"("value":"00614141000036","issuer":"GS1"}]},"sections":[{"code":"2.04.01","documents":[{"digest":)"
    R"("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","mediaType":)"
    R"("application/pdf","fileName":"device-description.pdf"}]}]})";

bool Same(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

}  // namespace

BOOST_AUTO_TEST_CASE(api_example_json_round_trip_is_exact) {
  auto parsed = ds::ParseDossier(kApiExample, ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(parsed.ok(), parsed.status().ToString());
  BOOST_TEST(parsed->toc_edition() == "IMDRF-N9-ED4");
  BOOST_TEST(parsed->device().identifiers(0).type() == v1::Identifier::UDI_DI);
  BOOST_TEST(parsed->sections(0).documents(0).media_type() == "application/pdf");
  const std::string json = ds::DossierToJson(*parsed);
  BOOST_TEST(boost::json::parse(json) == boost::json::parse(kApiExample));
  // Members are the ones API.md promises, spelled exactly so.
  auto obj = boost::json::parse(json).as_object();
  BOOST_TEST(obj.contains("tocEdition"));
  BOOST_TEST(obj.at("device").as_object().contains("tradeName"));
  auto id = obj.at("device").at("identifiers").as_array().at(0).as_object();
  BOOST_TEST(id.at("type").as_string() == "UDI_DI");
  BOOST_TEST(id.at("issuer").as_string() == "GS1");
  auto doc = obj.at("sections").as_array().at(0).at("documents").as_array().at(0).as_object();
  BOOST_TEST(doc.contains("digest"));
  BOOST_TEST(doc.contains("mediaType"));
  BOOST_TEST(doc.contains("fileName"));
}

BOOST_AUTO_TEST_CASE(json_accepts_proto_field_names) {
  auto a = ds::ParseDossier(kApiExample, ds::ContentFormat::kJson);
  auto b = ds::ParseDossier(
      R"({"toc_edition":"IMDRF-N9-ED4","device":{"trade_name":"LungScan Triage","identifiers":[{"type":"UDI_DI",)"
      R"("value":"00614141000036","issuer":"GS1"}]},"sections":[{"code":"2.04.01","documents":[{"digest":)"
      R"("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","media_type":)"
      R"("application/pdf","file_name":"device-description.pdf"}]}]})",
      ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(a.ok());
  BOOST_TEST_REQUIRE(b.ok(), b.status().ToString());
  BOOST_TEST(Same(*a, *b));
}

BOOST_AUTO_TEST_CASE(protobuf_round_trip) {
  auto a = ds::ParseDossier(kApiExample, ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(a.ok());
  a->mutable_sections(0)->mutable_data()->mutable_fields()->operator[]("k").set_number_value(1.5);
  const std::string bytes = ds::DossierToProtobuf(*a);
  auto b = ds::ParseDossier(bytes, ds::ContentFormat::kProtobuf);
  BOOST_TEST_REQUIRE(b.ok(), b.status().ToString());
  BOOST_TEST(Same(*a, *b));
  BOOST_TEST(ds::DossierToProtobuf(*b) == bytes);
}

BOOST_AUTO_TEST_CASE(unknown_json_member_rejected) {
  auto r = ds::ParseDossier(R"({"tocEdition":"IMDRF-N9-ED4","device":{"tradeName":"x","colour":"red"}})",
                            ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.status().reason() == "content-unparsable");
  BOOST_TEST((r.status().code() == dossier::StatusCode::kInvalidArgument));
  BOOST_TEST(r.status().message().find("colour") != std::string::npos, r.status().message());
}

BOOST_AUTO_TEST_CASE(malformed_inputs_rejected) {
  for (const char* bad :
       {"", "{", "[]", R"({"tocEdition": 5})", R"({"device":{"identifiers":[{"type":"NOPE"}]}})"}) {
    auto r = ds::ParseDossier(bad, ds::ContentFormat::kJson);
    BOOST_TEST(!r.ok(), bad);
    if (!r.ok()) BOOST_TEST(r.status().reason() == "content-unparsable");
  }
  auto r = ds::ParseDossier(std::string("\xff\xff\xff", 3), ds::ContentFormat::kProtobuf);
  BOOST_TEST(!r.ok());
}

BOOST_AUTO_TEST_CASE(unknown_protobuf_field_rejected) {
  v1::Dossier d;
  d.set_toc_edition("IMDRF-N9-ED4");
  std::string bytes = ds::DossierToProtobuf(d);
  bytes += std::string("\xa8\x1f\x01", 3);  // field 501, varint 1
  auto r = ds::ParseDossier(bytes, ds::ContentFormat::kProtobuf);
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.status().reason() == "content-unparsable");
  // Nested unknown field inside device (field 2, length-delimited).
  std::string nested = std::string("\x12\x03\xa8\x1f\x01", 5);
  auto r2 = ds::ParseDossier(nested, ds::ContentFormat::kProtobuf);
  BOOST_TEST_REQUIRE(!r2.ok());
  BOOST_TEST(r2.status().message().find("device") != std::string::npos, r2.status().message());
}

BOOST_AUTO_TEST_CASE(media_types) {
  auto j = ds::FormatOfMediaType("application/vnd.dossier.v1+json", ds::kDossierMediaTypeBase);
  BOOST_TEST_REQUIRE(j.ok());
  BOOST_TEST((*j == ds::ContentFormat::kJson));
  auto p =
      ds::FormatOfMediaType(" Application/VND.dossier.v1+Protobuf ; charset=x", "application/vnd.dossier.v1");
  BOOST_TEST_REQUIRE(p.ok());
  BOOST_TEST((*p == ds::ContentFormat::kProtobuf));
  for (const char* bad : {"application/json", "application/vnd.dossier.v1", "application/vnd.dossier.v1+xml",
                          "application/vnd.dossier.change-plan.v1+json", ""}) {
    auto r = ds::FormatOfMediaType(bad, ds::kDossierMediaTypeBase);
    BOOST_TEST(!r.ok(), bad);
    if (!r.ok()) BOOST_TEST(r.status().reason() == "unsupported-media-type");
  }
  auto c = ds::FormatOfMediaType(ds::kChangePlanJsonMediaType, ds::kChangePlanMediaTypeBase);
  BOOST_TEST(c.ok());
  BOOST_TEST(ds::MediaTypeOf(ds::kDecisionMediaTypeBase, ds::ContentFormat::kJson) ==
             ds::kDecisionJsonMediaType);
}

BOOST_AUTO_TEST_CASE(change_plan_api_members) {
  const char* json =
      R"({"title":"LungScan PCCP","dossier":"lungscan","modifications":[{"id":"M1","type":"PERFORMANCE",)"
      R"("description":"Re-train on new data"}],"criteria":[{"modificationId":"M1","metric":"sensitivity",)"
      R"("subgroup":"sex=female","min":0.9},{"modificationId":"M1","metric":"falsePositiveRate","max":0.2}],)"
      R"("authorizations":[{"jurisdiction":"US","status":"AUTHORIZED","reference":"K243456"}]})";
  auto plan = ds::ParseChangePlan(json, ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(plan.ok(), plan.status().ToString());
  BOOST_TEST(plan->criteria(0).has_min());
  BOOST_TEST(!plan->criteria(0).has_max());
  BOOST_TEST(plan->authorizations(0).jurisdiction() == v1::US);
  BOOST_TEST(boost::json::parse(ds::ChangePlanToJson(*plan)) == boost::json::parse(json));
  auto bin = ds::ParseChangePlan(ds::ChangePlanToProtobuf(*plan), ds::ContentFormat::kProtobuf);
  BOOST_TEST_REQUIRE(bin.ok());
  BOOST_TEST(Same(*plan, *bin));
  // A zero threshold is still present on the wire.
  v1::ChangePlan zero;
  zero.add_criteria()->set_min(0);
  BOOST_TEST(ds::ChangePlanToJson(zero).find("\"min\":0") != std::string::npos, ds::ChangePlanToJson(zero));
}

BOOST_AUTO_TEST_CASE(decision_api_members) {
  const char* json =
      R"({"submission":"s-1","outcome":"CLEARED","number":"K243456","date":"2025-03-01",)"
      R"("conditions":["post-market study"],"sections":[{"code":"3.05.05.08","outcome":"ACCEPTABLE","notes":"ok"}]})";
  auto d = ds::ParseDecision(json, ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(d.ok(), d.status().ToString());
  BOOST_TEST(d->outcome() == v1::Decision::CLEARED);
  BOOST_TEST(boost::json::parse(ds::DecisionToJson(*d)) == boost::json::parse(json));
}

// A Struct Value with no JSON form (no kind set, NaN or Infinity) is rejected
// by both parsers, with reason "invalid-value" and the JSON path of the Value,
// so every accepted message prints to JSON that parses back to it (fuzz
// regression schema_content/struct-value-without-kind.pb).
BOOST_AUTO_TEST_CASE(struct_value_without_json_form_rejected) {
  auto base = ds::ParseDossier(kApiExample, ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(base.ok());
  struct Case {
    const char* name;
    void (*corrupt)(google::protobuf::Struct*);
    const char* field;
  };
  const Case cases[] = {
      {"no kind", [](google::protobuf::Struct* s) { (*s->mutable_fields())["k"]; }, "sections[0].data.k"},
      {"no kind in a list",
       [](google::protobuf::Struct* s) {
         auto* list = (*s->mutable_fields())["scores"].mutable_list_value();
         list->add_values()->set_number_value(0.5);
         list->add_values();
       },
       "sections[0].data.scores[1]"},
      {"no kind in a nested struct",
       [](google::protobuf::Struct* s) {
         auto* inner = (*s->mutable_fields())["outer"].mutable_struct_value();
         (*inner->mutable_fields())["ok"].set_string_value("x");
         (*inner->mutable_fields())["a b"];
       },
       R"(sections[0].data.outer["a b"])"},
      {"NaN",
       [](google::protobuf::Struct* s) {
         (*s->mutable_fields())["k"].set_number_value(std::numeric_limits<double>::quiet_NaN());
       },
       "sections[0].data.k"},
      {"Infinity",
       [](google::protobuf::Struct* s) {
         (*s->mutable_fields())["k"].set_number_value(-std::numeric_limits<double>::infinity());
       },
       "sections[0].data.k"},
  };
  for (const Case& c : cases) {
    v1::Dossier d = *base;
    c.corrupt(d.mutable_sections(0)->mutable_data());
    auto r = ds::ParseDossier(ds::DossierToProtobuf(d), ds::ContentFormat::kProtobuf);
    BOOST_TEST_REQUIRE(!r.ok(), c.name);
    BOOST_TEST((r.status().code() == dossier::StatusCode::kInvalidArgument), c.name);
    BOOST_TEST(r.status().reason() == "invalid-value", c.name);
    BOOST_TEST(r.status().field() == c.field, c.name);
    BOOST_TEST(r.status().message().find(c.field) != std::string::npos, r.status().message());
  }
}

BOOST_AUTO_TEST_CASE(struct_json_number_overflow_rejected) {
  // JSON cannot even spell Infinity in a Struct: 1e999 does not parse.
  std::string json = kApiExample;
  json.insert(json.rfind("]}]}") + 1, R"(,"data":{"list":[1,{"big":-1e999}]})");
  auto r = ds::ParseDossier(json, ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.status().reason() == "content-unparsable", r.status().ToString());
}

// A section's data nested deeper than protobuf's JSON printer goes (found by
// fuzz_schema_content) used to parse and then print as truncated JSON; both
// parsers now refuse it, and what they accept prints and parses back.
BOOST_AUTO_TEST_CASE(struct_nested_too_deep_to_print_rejected) {
  auto nested = [](int depth) {
    std::string json = kApiExample;
    json.insert(json.rfind("]}]}") + 1,
                R"(,"data":{"x":)" + std::string(depth, '[') + "1" + std::string(depth, ']') + "}");
    return json;
  };
  auto shallow = ds::ParseDossier(nested(10), ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(shallow.ok(), shallow.status().ToString());
  auto again = ds::ParseDossier(ds::DossierToJson(*shallow), ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(again.ok(), again.status().ToString());
  BOOST_TEST(ds::DossierToProtobuf(*again) == ds::DossierToProtobuf(*shallow));

  auto deep = ds::ParseDossier(nested(44), ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(!deep.ok());
  BOOST_TEST(deep.status().reason() == "content-unparsable", deep.status().ToString());
  // The same Struct built in code and sent in binary is refused too.
  v1::Dossier d = *shallow;
  google::protobuf::Value* v = &(*d.mutable_sections(0)->mutable_data()->mutable_fields())["x"];
  for (int i = 0; i < 44; ++i) v = v->mutable_list_value()->add_values();
  v->set_number_value(1);
  auto binary = ds::ParseDossier(ds::DossierToProtobuf(d), ds::ContentFormat::kProtobuf);
  BOOST_TEST_REQUIRE(!binary.ok());
  BOOST_TEST(binary.status().reason() == "content-unparsable", binary.status().ToString());

  // The parser tries printing only deep content (kPrintCheckDepth): at every
  // depth, content is either refused or prints back to the same message.
  for (int depth = 1; depth <= 60; ++depth) {
    auto parsed = ds::ParseDossier(nested(depth), ds::ContentFormat::kJson);
    if (!parsed.ok()) {
      BOOST_TEST(parsed.status().reason() == "content-unparsable",
                 depth << ": " << parsed.status().ToString());
      continue;
    }
    auto round = ds::ParseDossier(ds::DossierToJson(*parsed), ds::ContentFormat::kJson);
    BOOST_TEST_REQUIRE(round.ok(), depth << ": " << round.status().ToString());
    BOOST_TEST((ds::DossierToProtobuf(*round) == ds::DossierToProtobuf(*parsed)), "depth " << depth);
  }
}

// JSON prints -0.0 as "-0", which parses back as 0, and every NaN as "NaN":
// both parsers keep only 0 and the quiet NaN, so the round trip is exact.
BOOST_AUTO_TEST_CASE(negative_zero_and_nan_payloads_canonical_in_both_forms) {
  auto base = ds::ParseDossier(kApiExample, ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(base.ok());
  v1::Dossier d = *base;
  (*d.mutable_sections(0)->mutable_data()->mutable_fields())["z"].set_number_value(-0.0);
  auto r = ds::ParseDossier(ds::DossierToProtobuf(d), ds::ContentFormat::kProtobuf);
  BOOST_TEST_REQUIRE(r.ok(), r.status().ToString());
  BOOST_TEST(!std::signbit(r->sections(0).data().fields().at("z").number_value()));
  auto j = ds::ParseDossier(ds::DossierToJson(*r), ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(j.ok(), j.status().ToString());
  BOOST_TEST(ds::DossierToProtobuf(*j) == ds::DossierToProtobuf(*r));

  v1::ChangePlan plan;
  plan.add_criteria()->set_min(-0.0);
  // A NaN with a payload and the sign bit set.
  plan.mutable_criteria(0)->set_max(-std::numeric_limits<double>::quiet_NaN());
  auto p = ds::ParseChangePlan(ds::ChangePlanToProtobuf(plan), ds::ContentFormat::kProtobuf);
  BOOST_TEST_REQUIRE(p.ok(), p.status().ToString());
  BOOST_TEST(p->criteria(0).has_min());
  BOOST_TEST(!std::signbit(p->criteria(0).min()));
  BOOST_TEST(std::isnan(p->criteria(0).max()));
  auto pj = ds::ParseChangePlan(ds::ChangePlanToJson(*p), ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(pj.ok(), pj.status().ToString());
  BOOST_TEST(ds::ChangePlanToProtobuf(*pj) == ds::ChangePlanToProtobuf(*p));
  auto from_json = ds::ParseChangePlan(R"({"criteria":[{"min":-0.0}]})", ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(from_json.ok());
  BOOST_TEST(!std::signbit(from_json->criteria(0).min()));
}

BOOST_AUTO_TEST_CASE(struct_values_with_json_form_accepted_in_both_forms) {
  std::string json = kApiExample;
  json.insert(
      json.rfind("]}]}") + 1,
      R"(,"data":{"n":null,"b":true,"s":"x","x":1.5e300,"l":[[],{},[null,{"y":-0.0}]],"o":{"p":{}}})");
  auto a = ds::ParseDossier(json, ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(a.ok(), a.status().ToString());
  auto b = ds::ParseDossier(ds::DossierToProtobuf(*a), ds::ContentFormat::kProtobuf);
  BOOST_TEST_REQUIRE(b.ok(), b.status().ToString());
  BOOST_TEST(Same(*a, *b));
  auto c = ds::ParseDossier(ds::DossierToJson(*b), ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(c.ok(), c.status().ToString());
  BOOST_TEST(ds::DossierToProtobuf(*c) == ds::DossierToProtobuf(*a));
}
