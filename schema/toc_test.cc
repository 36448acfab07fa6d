#define BOOST_TEST_MODULE schema_toc_test
#include "schema/toc.h"

#include <boost/test/unit_test.hpp>
#include <set>

namespace ds = dossier::schema;

BOOST_AUTO_TEST_CASE(editions) {
  const auto& catalog = ds::TocCatalog::BuiltIn();
  BOOST_TEST(catalog.Editions() == (std::vector<std::string>{"IMDRF-N13-ED4", "IMDRF-N9-ED4"}),
             boost::test_tools::per_element());
  BOOST_TEST(&catalog == &ds::TocCatalog::BuiltIn());
  BOOST_TEST(catalog.Headings("IMDRF-N9-ED3").empty());
  BOOST_TEST(catalog.Find("nope", "1.01") == nullptr);
}

// Edition 4 renamed both documents from "... Market Authorization Table of
// Contents" (Editions 2-3) to "... Regulatory Submission Table of Contents"
// (IMDRF/RPS WG/N9 and N13 FINAL:2024, as cited by Health Canada's ToC guidance).
BOOST_AUTO_TEST_CASE(edition_titles) {
  const auto& catalog = ds::TocCatalog::BuiltIn();
  BOOST_TEST(catalog.EditionTitle(ds::kTocEditionNivd) ==
             "Non-In Vitro Diagnostic Device Regulatory Submission Table of Contents (nIVD ToC)");
  BOOST_TEST(catalog.EditionTitle(ds::kTocEditionIvd) ==
             "In Vitro Diagnostic Medical Device Regulatory Submission Table of Contents (IVD ToC)");
  BOOST_TEST(catalog.EditionTitle("IMDRF-N9-ED3").empty());
}

// Counted by hand from reference/regulatory.md §1.3 (nIVD):
//   ch 1: 1 + 15 headings + 7 under 1.12                        = 23
//   ch 2: 1 + 7 + 5 (2.04) + 4 (2.05) + 4 (2.06)                = 21
//   ch 3: 1 + 8 + 2 (3.04) + 11 (3.05.xx) + 12 (3.05.05.xx)
//         + 1 (3.05.08.01) + 5 (3.05.09.xx) + 2 (3.07)           = 42
//   ch 4: 1 + 5 + 3 (4.02)                                      =  9
//   ch 5: 1 + 10                                                = 11
//   6A:   1 + 13 + 3 (6A.03)                                    = 17
//   6B:   1 + 12                                                = 13
//                                                               = 136
// IVD (§1.4) replaces chapter 3 with
//   1 + 8 + 2 (3.04) + 10 (3.05) + 5 (3.06) + 12 (3.06.02.xx)   = 38  -> 132
BOOST_AUTO_TEST_CASE(heading_counts) {
  const auto& catalog = ds::TocCatalog::BuiltIn();
  BOOST_TEST(catalog.Headings(ds::kTocEditionNivd).size() == 136u);
  BOOST_TEST(catalog.Headings(ds::kTocEditionIvd).size() == 132u);
  auto count_chapter = [&](std::string_view edition, std::string_view chapter) {
    int n = 0;
    for (const auto& h : catalog.Headings(edition)) {
      if (h.code == chapter || h.code.rfind(std::string(chapter) + ".", 0) == 0) ++n;
    }
    return n;
  };
  const std::pair<const char*, int> nivd[] = {{"1", 23}, {"2", 21},  {"3", 42}, {"4", 9},
                                              {"5", 11}, {"6A", 17}, {"6B", 13}};
  for (auto [chapter, n] : nivd) {
    BOOST_TEST(count_chapter(ds::kTocEditionNivd, chapter) == n, chapter);
    BOOST_TEST(count_chapter(ds::kTocEditionIvd, chapter) == (std::string(chapter) == "3" ? 38 : n), chapter);
  }
}

BOOST_AUTO_TEST_CASE(known_headings) {
  const auto& catalog = ds::TocCatalog::BuiltIn();
  const auto* h = catalog.Find(ds::kTocEditionNivd, "3.05.05.08");
  BOOST_TEST_REQUIRE(h != nullptr);
  BOOST_TEST(h->title == "Software Verification and Validation");
  BOOST_TEST(h->depth == 4);
  for (const char* code : {"1", "1.01", "1.12.07", "1.15", "2.04.01", "2.07", "3.05.05.12", "3.05.09.05",
                           "3.08", "4.02.03", "5.10", "6A", "6A.03.03", "6A.13", "6B", "6B.12"}) {
    BOOST_TEST(catalog.Find(ds::kTocEditionNivd, code) != nullptr, code);
  }
  BOOST_TEST(catalog.Find(ds::kTocEditionNivd, "6A")->depth == 1);
  BOOST_TEST(catalog.Find(ds::kTocEditionNivd, "1.16") == nullptr);
  BOOST_TEST(catalog.Find(ds::kTocEditionNivd, "3.5.5.8") == nullptr);
  BOOST_TEST(catalog.Find(ds::kTocEditionNivd, "6C") == nullptr);
  BOOST_TEST(catalog.Find(ds::kTocEditionIvd, "3")->title == "Analytical Performance and Other Evidence");
  BOOST_TEST(catalog.Find(ds::kTocEditionNivd, "3")->title == "Non-Clinical Evidence");
}

BOOST_AUTO_TEST_CASE(ivd_chapter_3_differs) {
  const auto& catalog = ds::TocCatalog::BuiltIn();
  // IVD-only headings.
  for (const char* code : {"3.06.01", "3.06.02", "3.06.02.08", "3.06.02.12", "3.06.05"}) {
    BOOST_TEST(catalog.Find(ds::kTocEditionIvd, code) != nullptr, code);
    BOOST_TEST(catalog.Find(ds::kTocEditionNivd, code) == nullptr, code);
  }
  // nIVD-only headings.
  for (const char* code : {"3.05.05.08", "3.05.08.01", "3.05.09.01", "3.05.11", "3.07.01"}) {
    BOOST_TEST(catalog.Find(ds::kTocEditionNivd, code) != nullptr, code);
    BOOST_TEST(catalog.Find(ds::kTocEditionIvd, code) == nullptr, code);
  }
  // Same code, different meaning.
  BOOST_TEST(catalog.Find(ds::kTocEditionIvd, "3.05.10")->title == "Validation of the Assay Procedure");
  BOOST_TEST(catalog.Find(ds::kTocEditionNivd, "3.05.10")->title == "Animal Testing");
  BOOST_TEST(catalog.Find(ds::kTocEditionIvd, "3.05.05")->title == "Analytical Sensitivity");
  BOOST_TEST(catalog.Find(ds::kTocEditionNivd, "3.05.05")->title == "Software/Firmware");
  // Outside chapter 3 the editions agree.
  const auto& nivd = catalog.Headings(ds::kTocEditionNivd);
  for (const auto& h : nivd) {
    if (h.code == "3" || h.code.rfind("3.", 0) == 0) continue;
    const auto* other = catalog.Find(ds::kTocEditionIvd, h.code);
    BOOST_TEST_REQUIRE(other != nullptr, h.code);
    BOOST_TEST(other->title == h.title);
  }
}

BOOST_AUTO_TEST_CASE(order_and_parents) {
  const auto& catalog = ds::TocCatalog::BuiltIn();
  for (const auto& edition : catalog.Editions()) {
    std::set<std::string> seen;
    for (const auto& h : catalog.Headings(edition)) {
      const std::string parent = ds::TocCatalog::ParentCode(h.code);
      if (!parent.empty()) BOOST_TEST(seen.count(parent) == 1u, h.code);
      BOOST_TEST(!h.title.empty());
      seen.insert(h.code);
    }
  }
  BOOST_TEST(ds::TocCatalog::ParentCode("3.05.05.08") == "3.05.05");
  BOOST_TEST(ds::TocCatalog::ParentCode("6A") == "");
}

BOOST_AUTO_TEST_CASE(from_tsv_rejects_bad_data) {
  BOOST_TEST(ds::TocCatalog::FromTsv({{"x", "1\tA\n1.01\tB\n"}}).ok());
  for (const char* bad : {"1.01\tB\n", "1\tA\n1\tA\n", "1 A\n", "1\t\n", "x.1\tA\n", ""}) {
    auto r = ds::TocCatalog::FromTsv({{"x", bad}});
    BOOST_TEST(!r.ok(), bad);
    if (!r.ok()) BOOST_TEST(r.status().reason() == "bad-toc-data");
  }
}
