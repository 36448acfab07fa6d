// Which premarket routes a device may take, per agency: the EU conformity
// assessment procedures of MDR Art 52 / IVDR Art 48 and the HSA evaluation
// routes (hsa.gov.sg registration overview and Class B immediate route page).
// Readiness uses these for its route rows and its default pathway.
//
// Pure functions of their arguments; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/v1/dossier.pb.h"

namespace dossier::translate {

// ----------------------------------------------------------------- EU
// Pathway names are URL-safe: "+" in a query string arrives as a space.
inline constexpr std::string_view kEuSelfDeclaration = "class-i-self";  // MDR class I / IVDR class A
inline constexpr std::string_view kEuAnnexIx = "annex-ix";
inline constexpr std::string_view kEuAnnexXXi = "annex-x-xi";
inline constexpr std::string_view kEuAnnexXi = "annex-xi";

// The canonical EU pathway for `name` (lower case): itself, or the pathway an
// alias stands for ("annex-x+xi" and "annex-x xi" -> "annex-x-xi"); "" when
// unknown.
std::string CanonicalEuPathway(std::string_view name);

struct EuRoutes {
  std::vector<std::string> open;  // pathways the device may take
  std::string basis;              // "MDR Art 52(6)", "IVDR Art 48(10)", ...
  std::string reason;             // why those (class and aspects)
};

// The procedures open to the device's EU class (classifications.eu) under
// MDR Art 52(3)-(7) or IVDR Art 48(3)-(10); empty `open` when no EU class.
EuRoutes AssessEuRoutes(const v1::Dossier& dossier);

// True when the EU route involves a notified body: MDR Is/Im/Ir and IIa-III,
// IVDR sterile class A and B-D (MDCG 2025-6 Q2 Table 1; AI Act Art 6(1)).
bool EuNotifiedBodyInvolved(const v1::Dossier& dossier);

// The EU pathway the dossier records (regional.eu.conformityAssessmentRoute,
// e.g. "MDR Annex IX Chapters I and III"), else the first open route.
std::string DefaultEuPathway(const v1::Dossier& dossier);

// ----------------------------------------------------------------- HSA
// HSA's reference regulatory agencies: a closed set. An approval from any
// other regulator (MHRA, ANVISA, ...) does not count for a reliance route.
enum class HsaReferenceAgency { kUsFda, kHealthCanada, kTga, kJapanMhlw, kEuNotifiedBody };
std::string_view HsaReferenceAgencyName(HsaReferenceAgency agency);

// The reference agency `approval` comes from (by its jurisdiction), or
// nullopt when it is not one; `why_not` (optional) says why.
std::optional<HsaReferenceAgency> HsaReferenceAgencyOf(const v1::ReferenceApproval& approval,
                                                       std::string* why_not);

inline constexpr std::string_view kHsaRoutes[] = {"full", "abridged", "expedited", "immediate"};

struct HsaRoutes {
  std::vector<std::string> open;     // in the order of kHsaRoutes
  std::vector<std::string> counted;  // reference agencies whose approvals count
  std::string facts;                 // counted approvals, history, safety record
  std::string refused;               // approvals that do not count, and why ("" when none)
  // Why each closed route is closed, in the order of kHsaRoutes.
  std::vector<std::pair<std::string, std::string>> closed;
};

// `risk_class` "A".."D" (HSA); `as_of` "YYYY-MM-DD" for the three-year
// marketing condition. Class A is exempt from registration: nothing open.
HsaRoutes AssessHsaRoutes(const v1::Dossier& dossier, std::string_view risk_class, std::string_view as_of);

// "a, b, c": a list for a reader.
std::string JoinList(const std::vector<std::string>& items);

// Whole years from `from` to `to` ("YYYY-MM-DD" each); nullopt when either is
// not a date.
std::optional<int> WholeYearsBetween(std::string_view from, std::string_view to);

}  // namespace dossier::translate
