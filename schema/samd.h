// IMDRF SaMD risk categorisation (IMDRF/SaMD WG/N12 FINAL:2014, table in
// reference/regulatory.md §5.1):
//
//   State \ Significance | Treat or diagnose | Drive clinical mgmt | Inform clinical mgmt
//   Critical             | IV                | III                 | II
//   Serious              | III               | II                  | I
//   Non-serious          | II                | I                   | I
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "dossier/v1/classification.pb.h"

namespace dossier::schema {

using SamdSignificance = v1::SamdClassification::Significance;
using SamdSituation = v1::SamdClassification::Situation;
using SamdCategory = v1::SamdClassification::Category;

// The category for `significance` x `situation`; CATEGORY_UNSPECIFIED when
// either input is unspecified or out of range.
SamdCategory ComputeSamdCategory(SamdSignificance significance, SamdSituation situation);

// Roman numeral of `category` ("I" .. "IV"), or "" when unspecified.
std::string_view SamdCategoryNumeral(SamdCategory category);

}  // namespace dossier::schema
