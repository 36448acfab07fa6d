#define BOOST_TEST_MODULE schema_section_digest_test
#include "schema/section_digest.h"

#include <boost/test/unit_test.hpp>
#include <functional>
#include <set>

#include "schema/test_util.h"

namespace ds = dossier::schema;
namespace v1 = dossier::v1;
using ds::testing::ExampleDossier;

namespace {

const v1::Section& SectionOf(const v1::Dossier& d, const std::string& code) {
  for (const auto& s : d.sections()) {
    if (s.code() == code) return s;
  }
  throw std::runtime_error("no section " + code);
}

v1::Section* MutableSectionOf(v1::Dossier* d, const std::string& code) {
  for (auto& s : *d->mutable_sections()) {
    if (s.code() == code) return &s;
  }
  throw std::runtime_error("no section " + code);
}

}  // namespace

BOOST_AUTO_TEST_CASE(format_and_determinism) {
  const v1::Dossier d = ExampleDossier();
  const auto digests = ds::SectionDigests(d);
  BOOST_TEST(digests.size() == static_cast<size_t>(d.sections_size()));
  for (const auto& [code, digest] : digests) {
    BOOST_TEST(digest.size() == 7u + 64u);
    BOOST_TEST(digest.rfind("sha256:", 0) == 0u);
  }
  BOOST_TEST(ds::SectionDigests(ExampleDossier()) == digests);
  BOOST_TEST(ds::Sha256Digest("abc") ==
             "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(stable_under_document_reordering) {
  v1::Dossier d = ExampleDossier();
  const std::string before = ds::SectionDigest(SectionOf(d, "3.05.05.08"));
  auto* docs = MutableSectionOf(&d, "3.05.05.08")->mutable_documents();
  BOOST_TEST_REQUIRE(docs->size() == 3);
  docs->SwapElements(0, 2);
  BOOST_TEST(ds::SectionDigest(SectionOf(d, "3.05.05.08")) == before);
  // Reordering the sections themselves does not matter either.
  d.mutable_sections()->SwapElements(0, d.sections_size() - 1);
  BOOST_TEST(ds::SectionDigests(d) == ds::SectionDigests(ExampleDossier()));
}

BOOST_AUTO_TEST_CASE(stable_under_json_member_order_and_format) {
  const char* a =
      R"({"tocEdition":"IMDRF-N9-ED4","sections":[{"code":"2.04.01","title":"T","data":{"b":[1,2,{"y":true,"x":null}],"a":"s","n":10},)"
      R"("documents":[{"digest":"sha256:aa","mediaType":"application/pdf","fileName":"f.pdf"}]}]})";
  const char* b =
      R"({"sections":[{"documents":[{"file_name":"f.pdf","digest":"sha256:aa","media_type":"application/pdf"}],)"
      R"("data":{"n":1e1,"a":"s","b":[1.0,2,{"x":null,"y":true}]},"title":"T","code":"2.04.01"}],"toc_edition":"IMDRF-N9-ED4"})";
  auto da = ds::ParseDossier(a, ds::ContentFormat::kJson);
  auto db = ds::ParseDossier(b, ds::ContentFormat::kJson);
  BOOST_TEST_REQUIRE(da.ok(), da.status().ToString());
  BOOST_TEST_REQUIRE(db.ok(), db.status().ToString());
  BOOST_TEST(ds::SectionDigests(*da) == ds::SectionDigests(*db));
  // And through protobuf binary.
  auto dc = ds::ParseDossier(ds::DossierToProtobuf(*da), ds::ContentFormat::kProtobuf);
  BOOST_TEST_REQUIRE(dc.ok());
  BOOST_TEST(ds::SectionDigests(*dc) == ds::SectionDigests(*da));
}

BOOST_AUTO_TEST_CASE(changed_by_any_content_change) {
  const v1::Dossier base = ExampleDossier();
  const std::string code = "3.05.05.08";
  const std::string before = ds::SectionDigest(SectionOf(base, code));
  std::vector<std::function<void(v1::Section*)>> edits = {
      [](v1::Section* s) { s->set_title(s->title() + " "); },
      [](v1::Section* s) { s->set_not_applicable_justification("n/a"); },
      [](v1::Section* s) { s->mutable_documents(0)->set_digest("sha256:" + std::string(64, '0')); },
      [](v1::Section* s) { s->mutable_documents(0)->set_media_type("application/x-pdf"); },
      [](v1::Section* s) { s->mutable_documents(0)->set_file_name("other.pdf"); },
      [](v1::Section* s) { s->mutable_documents(0)->set_title("x"); },
      [](v1::Section* s) { s->mutable_documents(0)->set_part(v1::Document::DATA); },
      [](v1::Section* s) { s->mutable_documents(0)->set_study("other"); },
      [](v1::Section* s) { s->mutable_documents(0)->set_language("de"); },
      [](v1::Section* s) { s->mutable_documents(0)->set_size_bytes(1); },
      [](v1::Section* s) { s->mutable_documents()->RemoveLast(); },
      [](v1::Section* s) { *s->add_documents() = s->documents(0); },  // duplicates count
      [](v1::Section* s) { (*s->mutable_data()->mutable_fields())["testCases"].set_number_value(413); },
      [](v1::Section* s) { (*s->mutable_data()->mutable_fields())["testCases"].set_string_value("412"); },
      [](v1::Section* s) { (*s->mutable_data()->mutable_fields())["new"].set_bool_value(false); },
      [](v1::Section* s) { s->mutable_data()->mutable_fields()->erase("anomaliesOpen"); },
      [](v1::Section* s) { s->set_code("3.05.05.09"); },
  };
  std::set<std::string> seen = {before};
  for (size_t i = 0; i < edits.size(); ++i) {
    v1::Dossier d = base;
    edits[i](MutableSectionOf(&d, code));
    const std::string after = ds::SectionDigest(d.sections(7));
    BOOST_TEST(after != before, "edit " << i);
    seen.insert(after);
  }
  BOOST_TEST(seen.size() == edits.size() + 1);  // all distinct
  // Other sections are unaffected.
  v1::Dossier d = base;
  MutableSectionOf(&d, code)->set_title("changed");
  auto a = ds::SectionDigests(base), b = ds::SectionDigests(d);
  for (const auto& [c, digest] : a) {
    if (c != code) BOOST_TEST(b.at(c) == digest);
  }
}

BOOST_AUTO_TEST_CASE(encoding_edge_cases) {
  v1::Section empty_data, no_data;
  empty_data.set_code("1.01");
  no_data.set_code("1.01");
  empty_data.mutable_data();
  BOOST_TEST(ds::SectionDigest(empty_data) == ds::SectionDigest(no_data));
  v1::Section neg = no_data, pos = no_data;
  (*neg.mutable_data()->mutable_fields())["x"].set_number_value(-0.0);
  (*pos.mutable_data()->mutable_fields())["x"].set_number_value(0.0);
  BOOST_TEST(ds::SectionDigest(neg) == ds::SectionDigest(pos));
  // Length prefixes keep field boundaries apart.
  v1::Section s1 = no_data, s2 = no_data;
  s1.set_title("ab");
  s1.set_not_applicable_justification("c");
  s2.set_title("a");
  s2.set_not_applicable_justification("bc");
  BOOST_TEST(ds::SectionDigest(s1) != ds::SectionDigest(s2));
  // The encoding is as documented.
  v1::Section tiny;
  tiny.set_code("1");
  BOOST_TEST(ds::CanonicalSectionEncoding(tiny) == std::string("c\0\0\0\0\0\0\0\x01"
                                                               "1",
                                                               10));
}

BOOST_AUTO_TEST_CASE(device_digest) {
  const v1::Dossier base = ExampleDossier();
  v1::Dossier d = base;
  d.mutable_device()->mutable_identifiers()->SwapElements(0, 3);
  BOOST_TEST(ds::DeviceDigest(d) == ds::DeviceDigest(base));
  d.mutable_device()->set_trade_name("Other");
  BOOST_TEST(ds::DeviceDigest(d) != ds::DeviceDigest(base));
  d = base;
  d.mutable_classifications()->mutable_eu()->set_device_class(v1::EuClassification::CLASS_IIB);
  BOOST_TEST(ds::DeviceDigest(d) != ds::DeviceDigest(base));
  d = base;
  d.set_intended_use("changed");  // not part of the device digest
  BOOST_TEST(ds::DeviceDigest(d) == ds::DeviceDigest(base));
}
