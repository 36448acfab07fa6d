#include "schema/samd.h"

namespace dossier::schema {

SamdCategory ComputeSamdCategory(SamdSignificance significance, SamdSituation situation) {
  using C = v1::SamdClassification;
  // kTable[situation - 1][significance - 1]
  static constexpr SamdCategory kTable[3][3] = {
      {C::CATEGORY_IV, C::CATEGORY_III, C::CATEGORY_II},  // critical
      {C::CATEGORY_III, C::CATEGORY_II, C::CATEGORY_I},   // serious
      {C::CATEGORY_II, C::CATEGORY_I, C::CATEGORY_I},     // non-serious
  };
  const int sig = static_cast<int>(significance);
  const int sit = static_cast<int>(situation);
  if (sig < 1 || sig > 3 || sit < 1 || sit > 3) return C::CATEGORY_UNSPECIFIED;
  return kTable[sit - 1][sig - 1];
}

std::string_view SamdCategoryNumeral(SamdCategory category) {
  switch (category) {
    case v1::SamdClassification::CATEGORY_I:
      return "I";
    case v1::SamdClassification::CATEGORY_II:
      return "II";
    case v1::SamdClassification::CATEGORY_III:
      return "III";
    case v1::SamdClassification::CATEGORY_IV:
      return "IV";
    default:
      return "";
  }
}

}  // namespace dossier::schema
