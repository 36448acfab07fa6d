#define BOOST_TEST_MODULE schema_samd_test
#include "schema/samd.h"

#include <boost/test/unit_test.hpp>

namespace ds = dossier::schema;
using C = dossier::v1::SamdClassification;

BOOST_AUTO_TEST_CASE(n12_table) {
  struct Row {
    C::Situation situation;
    C::Category treat, drive, inform;
  };
  const Row rows[] = {
      {C::CRITICAL, C::CATEGORY_IV, C::CATEGORY_III, C::CATEGORY_II},
      {C::SERIOUS, C::CATEGORY_III, C::CATEGORY_II, C::CATEGORY_I},
      {C::NON_SERIOUS, C::CATEGORY_II, C::CATEGORY_I, C::CATEGORY_I},
  };
  for (const Row& r : rows) {
    BOOST_TEST(ds::ComputeSamdCategory(C::TREAT_OR_DIAGNOSE, r.situation) == r.treat);
    BOOST_TEST(ds::ComputeSamdCategory(C::DRIVE_CLINICAL_MANAGEMENT, r.situation) == r.drive);
    BOOST_TEST(ds::ComputeSamdCategory(C::INFORM_CLINICAL_MANAGEMENT, r.situation) == r.inform);
  }
  // The inconsistent matrix warned about in regulatory.md §5.1 is not ours.
  BOOST_TEST(ds::ComputeSamdCategory(C::DRIVE_CLINICAL_MANAGEMENT, C::NON_SERIOUS) == C::CATEGORY_I);
  BOOST_TEST(ds::ComputeSamdCategory(C::INFORM_CLINICAL_MANAGEMENT, C::SERIOUS) == C::CATEGORY_I);
}

BOOST_AUTO_TEST_CASE(unspecified_inputs) {
  BOOST_TEST(ds::ComputeSamdCategory(C::SIGNIFICANCE_UNSPECIFIED, C::CRITICAL) == C::CATEGORY_UNSPECIFIED);
  BOOST_TEST(ds::ComputeSamdCategory(C::TREAT_OR_DIAGNOSE, C::SITUATION_UNSPECIFIED) ==
             C::CATEGORY_UNSPECIFIED);
  BOOST_TEST(ds::ComputeSamdCategory(static_cast<C::Significance>(42), C::CRITICAL) ==
             C::CATEGORY_UNSPECIFIED);
  BOOST_TEST(ds::SamdCategoryNumeral(C::CATEGORY_IV) == "IV");
  BOOST_TEST(ds::SamdCategoryNumeral(C::CATEGORY_UNSPECIFIED) == "");
}
