#include "schema/translate/readiness_routes.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace dossier::translate {
namespace {

bool IsRoman(std::string_view w) {
  static const std::set<std::string, std::less<>> kRoman = {"I",    "II", "III", "IV", "V",   "VI",   "VII",
                                                            "VIII", "IX", "X",   "XI", "XII", "XIII", "XIV"};
  return kRoman.count(w) > 0;
}

// The annex numbers a free-text route names: "MDR Annex IX Chapters I and III"
// -> {IX}; "Annex X + Annex XI Part A" -> {X, XI}; "Annexes II and III with
// Annex XI Section 10" -> {II, III, XI}. Chapter and section numbers are not
// annexes.
std::set<std::string> AnnexesNamed(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  std::set<std::string> annexes;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] != "ANNEX" && words[i] != "ANNEXES") continue;
    for (size_t j = i + 1; j < words.size() && (IsRoman(words[j]) || words[j] == "AND"); ++j) {
      if (words[j] != "AND") annexes.insert(words[j]);
    }
  }
  return annexes;
}

std::vector<std::string> Routes(std::initializer_list<std::string_view> names) {
  return std::vector<std::string>(names.begin(), names.end());
}

struct Date {
  int year = 0, month = 0, day = 0;
};

std::optional<Date> ParseDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return std::nullopt;
  }
  auto num = [&](size_t pos, size_t len) { return std::stoi(std::string(d.substr(pos, len))); };
  Date out{num(0, 4), num(5, 2), num(8, 2)};
  if (out.month < 1 || out.month > 12 || out.day < 1 || out.day > 31) return std::nullopt;
  return out;
}

}  // namespace

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::optional<int> WholeYearsBetween(std::string_view from, std::string_view to) {
  auto a = ParseDate(from);
  auto b = ParseDate(to);
  if (!a || !b) return std::nullopt;
  int years = b->year - a->year;
  if (b->month < a->month || (b->month == a->month && b->day < a->day)) --years;
  return years;
}

// ----------------------------------------------------------------- EU

std::string CanonicalEuPathway(std::string_view name) {
  for (std::string_view p : {kEuSelfDeclaration, kEuAnnexIx, kEuAnnexXXi, kEuAnnexXi}) {
    if (name == p) return std::string(p);
  }
  // The first spelling of the type-examination route; "+" decodes to a space
  // in a query string, so both forms reach here.
  if (name == "annex-x+xi" || name == "annex-x xi") return std::string(kEuAnnexXXi);
  return "";
}

EuRoutes AssessEuRoutes(const v1::Dossier& dossier) {
  using C = v1::EuClassification;
  const auto& eu = dossier.classifications().eu();
  std::vector<std::string> special;
  if (eu.sterile()) special.push_back("placed on the market sterile");
  if (eu.measuring_function()) special.push_back("with a measuring function");
  if (eu.reusable_surgical()) special.push_back("a reusable surgical instrument");
  switch (eu.device_class()) {
    case C::CLASS_I:
      if (!special.empty()) {
        return {Routes({kEuAnnexIx, kEuAnnexXi}), "MDR Art 52(7)",
                "class I " + JoinList(special) +
                    ": Annex IX Chapters I and III or Annex XI Part A, the notified body limited to those "
                    "aspects"};
      }
      return {
          Routes({kEuSelfDeclaration}), "MDR Art 52(7)",
          "class I: EU declaration of conformity after the technical documentation of Annexes II and III"};
    case C::CLASS_IIA:
      return {
          Routes({kEuAnnexIx, kEuAnnexXi}), "MDR Art 52(6)",
          "class IIa: Annex IX Chapters I and III, or the technical documentation of Annexes II and III with "
          "Annex XI Section 10 or 18 (Annex X type examination is for classes IIb and III)"};
    case C::CLASS_IIB:
      return {Routes({kEuAnnexIx, kEuAnnexXXi}), "MDR Art 52(4)",
              "class IIb: Annex IX Chapters I and III, or Annex X type examination with Annex XI"};
    case C::CLASS_III:
      return {Routes({kEuAnnexIx, kEuAnnexXXi}), "MDR Art 52(3)",
              "class III: Annex IX, or Annex X type examination with Annex XI"};
    case C::CLASS_A:
      if (eu.sterile()) {
        return {Routes({kEuAnnexIx, kEuAnnexXi}), "IVDR Art 48(10)",
                "class A placed on the market sterile: Annex IX or Annex XI, the notified body limited to "
                "establishing, securing and maintaining sterile conditions"};
      }
      return {
          Routes({kEuSelfDeclaration}), "IVDR Art 48(10)",
          "class A: EU declaration of conformity after the technical documentation of Annexes II and III"};
    case C::CLASS_B:
      return {
          Routes({kEuAnnexIx}), "IVDR Art 48(9)",
          "class B: Annex IX Chapters I and III with technical documentation assessment (no Annex X route)"};
    case C::CLASS_C:
      return {Routes({kEuAnnexIx, kEuAnnexXXi}), "IVDR Art 48(7)-(8)",
              "class C: Annex IX Chapters I and III, or Annex X with Annex XI except its Section 5"};
    case C::CLASS_D:
      return {Routes({kEuAnnexIx, kEuAnnexXXi}), "IVDR Art 48(3)-(4)",
              "class D: Annex IX Chapters I, II (except Section 5) and III, or Annex X with Annex XI"};
    default:
      return {{}, "MDR Art 52 / IVDR Art 48", "no EU class recorded"};
  }
}

bool EuNotifiedBodyInvolved(const v1::Dossier& dossier) {
  const EuRoutes routes = AssessEuRoutes(dossier);
  return std::any_of(routes.open.begin(), routes.open.end(),
                     [](const std::string& r) { return r != kEuSelfDeclaration; });
}

std::string DefaultEuPathway(const v1::Dossier& dossier) {
  const std::set<std::string> annexes = AnnexesNamed(dossier.regional().eu().conformity_assessment_route());
  if (annexes.count("X") && annexes.count("XI")) return std::string(kEuAnnexXXi);
  if (annexes.count("IX")) return std::string(kEuAnnexIx);
  if (annexes.count("XI")) return std::string(kEuAnnexXi);
  const EuRoutes routes = AssessEuRoutes(dossier);
  return routes.open.empty() ? std::string(kEuAnnexIx) : routes.open.front();
}

// ----------------------------------------------------------------- HSA

std::string_view HsaReferenceAgencyName(HsaReferenceAgency agency) {
  switch (agency) {
    case HsaReferenceAgency::kUsFda:
      return "US FDA";
    case HsaReferenceAgency::kHealthCanada:
      return "Health Canada";
    case HsaReferenceAgency::kTga:
      return "Australia TGA";
    case HsaReferenceAgency::kJapanMhlw:
      return "Japan MHLW";
    case HsaReferenceAgency::kEuNotifiedBody:
      return "EU notified body";
  }
  return "";
}

std::optional<HsaReferenceAgency> HsaReferenceAgencyOf(const v1::ReferenceApproval& approval,
                                                       std::string* why_not) {
  switch (approval.jurisdiction()) {
    case v1::US:
      return HsaReferenceAgency::kUsFda;
    case v1::CA:
      return HsaReferenceAgency::kHealthCanada;
    case v1::AU:
      return HsaReferenceAgency::kTga;
    case v1::JP:
      return HsaReferenceAgency::kJapanMhlw;
    case v1::EU:
      return HsaReferenceAgency::kEuNotifiedBody;
    default:
      break;
  }
  if (why_not) {
    const std::string who = approval.jurisdiction() == v1::GB ? "the UK MHRA (GB)"
                            : approval.jurisdiction() == v1::JURISDICTION_UNSPECIFIED
                                ? "an approval without a jurisdiction"
                                : v1::Jurisdiction_Name(approval.jurisdiction());
    *why_not = who +
               " is not an HSA reference regulatory agency (US FDA, Health Canada, Australia TGA, "
               "Japan MHLW, EU notified bodies)";
  }
  return std::nullopt;
}

HsaRoutes AssessHsaRoutes(const v1::Dossier& dossier, std::string_view risk_class, std::string_view as_of) {
  HsaRoutes out;
  const auto& sg = dossier.regional().sg();
  if (risk_class == "A") {
    for (std::string_view r : kHsaRoutes)
      out.closed.emplace_back(r, "Class A medical devices are exempt from product registration");
    out.facts = "class A";
    return out;
  }
  if (risk_class.empty()) {
    for (std::string_view r : kHsaRoutes) out.closed.emplace_back(r, "no HSA risk class recorded");
    out.facts = "no HSA risk class";
    return out;
  }

  std::set<HsaReferenceAgency> agencies;
  std::vector<std::string> refused;
  int longest_marketing = -1;
  for (int i = 0; i < sg.reference_approvals_size(); ++i) {
    const auto& a = sg.reference_approvals(i);
    const std::string where = "referenceApprovals[" + std::to_string(i) + "]";
    std::string why_not;
    const auto agency = HsaReferenceAgencyOf(a, &why_not);
    if (!agency) {
      refused.push_back(where + ": " + why_not);
      continue;
    }
    if (!a.same_labelled_use()) {
      refused.push_back(where + " (" + std::string(HsaReferenceAgencyName(*agency)) +
                        "): not recorded as covering the same labelled use intended for Singapore");
      continue;
    }
    agencies.insert(*agency);
    if (auto years = WholeYearsBetween(a.marketed_since(), as_of))
      longest_marketing = std::max(longest_marketing, *years);
  }
  const size_t n = agencies.size();
  const auto& safety = sg.global_safety();
  const bool declared = !safety.declared_on().empty();
  const bool no_safety_issues = declared && safety.reported_deaths() == 0 &&
                                safety.reported_serious_deteriorations() == 0 &&
                                safety.open_field_safety_corrective_actions() == 0;
  const bool no_rejection = declared && !safety.prior_rejection_or_withdrawal();
  const bool three_years = longest_marketing >= 3;
  const bool app = sg.standalone_mobile_app();

  std::vector<std::string>& names = out.counted;
  for (auto a : agencies) names.emplace_back(HsaReferenceAgencyName(a));
  out.facts = std::to_string(n) + " reference-agency approval(s) for the same labelled use" +
              (names.empty() ? "" : " (" + JoinList(names) + ")");
  out.facts += longest_marketing >= 0 ? "; marketed " + std::to_string(longest_marketing) +
                                            " year(s) in a reference jurisdiction"
                                      : "; no marketing start date recorded";
  if (!declared) {
    out.facts += "; no global safety record declared";
  } else {
    out.facts += "; global safety record of " + safety.declared_on() + ": " +
                 std::to_string(safety.reported_deaths()) + " death(s), " +
                 std::to_string(safety.reported_serious_deteriorations()) + " serious deterioration(s), " +
                 std::to_string(safety.open_field_safety_corrective_actions()) + " open FSCA(s)" +
                 (safety.prior_rejection_or_withdrawal() ? ", a prior rejection/withdrawal" : "");
  }
  if (app) out.facts += "; standalone medical mobile application";
  for (const auto& r : refused) out.refused += (out.refused.empty() ? "" : "; ") + r;

  // Why a reliance condition fails, listed in full.
  auto unmet = [&](bool need_three_years, size_t need_n, bool need_clean) {
    std::vector<std::string> u;
    if (n < need_n)
      u.push_back("needs " + std::to_string(need_n) + " reference-agency approval(s), has " +
                  std::to_string(n));
    if (need_three_years && !three_years)
      u.push_back("needs 3 years of marketing in a reference jurisdiction");
    if (!declared) {
      u.push_back(
          "needs the global safety record (no deaths, serious deterioration or open FSCA; no rejection)");
    } else {
      if (need_clean && !no_safety_issues) u.push_back("safety issues reported globally");
      if (!no_rejection) u.push_back("a prior rejection/withdrawal");
    }
    return JoinList(u);
  };
  auto decide = [&](std::string_view route, bool open, const std::string& why) {
    if (open) {
      out.open.emplace_back(route);
    } else {
      out.closed.emplace_back(route, why);
    }
  };

  decide("full", true, "");
  decide("abridged", n >= 1, "no approval by an HSA reference agency for the same labelled use");
  if (risk_class == "C") {
    const bool ecr1 = n >= 1 && three_years && no_safety_issues && no_rejection;
    const bool ecr2 = n >= 2 && no_rejection;
    decide("expedited", ecr1 || ecr2,
           "ECR-1: " + unmet(true, 1, true) + "; ECR-2: " + unmet(false, 2, false));
  } else if (risk_class == "D") {
    decide("expedited", n >= 2 && no_rejection, "EDR: " + unmet(false, 2, false));
  } else {
    decide("expedited", false, "the expedited routes are for class C (ECR) and class D (EDR)");
  }
  const bool app_route = app && n >= 1 && no_safety_issues && no_rejection;
  if (risk_class == "B") {
    const bool ibr1 = n >= 1 && three_years && no_safety_issues && no_rejection;
    const bool ibr2 = n >= 2 && no_safety_issues && no_rejection;
    decide("immediate", ibr1 || ibr2 || app_route,
           "IBR condition 1: " + unmet(true, 1, true) + "; condition 2: " + unmet(false, 2, true) +
               (app ? "; standalone mobile app: " + unmet(false, 1, true)
                    : "; not solely a standalone medical mobile application"));
  } else if (risk_class == "C") {
    // The class C route for standalone mobile applications is described only
    // in secondary sources (unverified; see REGULATORY.md).
    decide("immediate", app_route,
           app ? "standalone mobile app (unverified class C route): " + unmet(false, 1, true)
               : "for class C only standalone medical mobile applications (unverified route)");
  } else {
    decide("immediate", false, "no immediate route for class D");
  }
  return out;
}

}  // namespace dossier::translate
