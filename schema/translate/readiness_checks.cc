#include "schema/translate/readiness_checks.h"

#include <algorithm>
#include <vector>

#include "schema/translate/readiness_routes.h"
#include "schema/translate/translate.h"

namespace dossier::translate {

std::string AgencyClass(const v1::Dossier& d, std::string_view agency) {
  if (agency == "FDA") {
    switch (d.classifications().us().device_class()) {
      case v1::UsClassification::CLASS_I:
        return "I";
      case v1::UsClassification::CLASS_II:
        return "II";
      case v1::UsClassification::CLASS_III:
        return "III";
      default:
        return "";
    }
  }
  if (agency == "EU") {
    switch (d.classifications().eu().device_class()) {
      case v1::EuClassification::CLASS_I:
        return "I";
      case v1::EuClassification::CLASS_IIA:
        return "IIa";
      case v1::EuClassification::CLASS_IIB:
        return "IIb";
      case v1::EuClassification::CLASS_III:
        return "III";
      case v1::EuClassification::CLASS_A:
        return "A";
      case v1::EuClassification::CLASS_B:
        return "B";
      case v1::EuClassification::CLASS_C:
        return "C";
      case v1::EuClassification::CLASS_D:
        return "D";
      default:
        return "";
    }
  }
  switch (d.classifications().sg().risk_class()) {
    case v1::SgClassification::CLASS_A:
      return "A";
    case v1::SgClassification::CLASS_B:
      return "B";
    case v1::SgClassification::CLASS_C:
      return "C";
    case v1::SgClassification::CLASS_D:
      return "D";
    default:
      return "";
  }
}

CheckOutcome CheckHsa(const v1::Dossier& d, const std::string& arg, const std::string& cls,
                      const std::string& pathway, std::string_view as_of) {
  if (arg == "route") {
    if (cls == "A") return {"not-applicable", "Class A medical devices are exempt from product registration"};
    if (cls.empty()) return {"missing", "no HSA risk class: route cannot be determined"};
    const HsaRoutes routes = AssessHsaRoutes(d, cls, as_of);
    const bool ok = std::find(routes.open.begin(), routes.open.end(), pathway) != routes.open.end();
    std::string detail;
    if (!ok) {
      for (const auto& [route, why] : routes.closed) {
        if (route == pathway) detail = "route " + pathway + " not open: " + why + "; ";
      }
    }
    detail += routes.facts;
    if (!routes.refused.empty()) detail += "; not counted: " + routes.refused;
    detail += "; open: " + JoinList(routes.open);
    return {ok ? "present" : "missing", detail};
  }
  if (arg == "reference-approvals") {
    const HsaRoutes routes = AssessHsaRoutes(d, cls.empty() ? "B" : cls, as_of);
    if (!routes.counted.empty())
      return {"present", "approval(s) by " + JoinList(routes.counted) + " for the same labelled use" +
                             (routes.refused.empty() ? "" : "; not counted: " + routes.refused)};
    return {"missing", routes.refused.empty() ? "no reference approvals recorded"
                                              : "no approval counts: " + routes.refused};
  }
  if (arg == "approval-documents") {
    const auto& approvals = d.regional().sg().reference_approvals();
    if (approvals.empty()) return {"missing", "no reference approvals recorded"};
    for (int i = 0; i < approvals.size(); ++i) {
      if (approvals[i].document_digest().empty())
        return {"missing",
                "regional.sg.referenceApprovals[" + std::to_string(i) + "] has no approval document"};
    }
    return {"present", "approval documents attached"};
  }
  if (arg == "safety-declaration") {
    const auto& s = d.regional().sg().global_safety();
    if (s.declared_on().empty())
      return {"missing", "no global safety record declared (regional.sg.globalSafety)"};
    std::vector<std::string> issues;
    if (s.reported_deaths() > 0) issues.push_back(std::to_string(s.reported_deaths()) + " reported death(s)");
    if (s.reported_serious_deteriorations() > 0)
      issues.push_back(std::to_string(s.reported_serious_deteriorations()) + " serious deterioration(s)");
    if (s.open_field_safety_corrective_actions() > 0)
      issues.push_back(std::to_string(s.open_field_safety_corrective_actions()) + " open FSCA(s)");
    if (s.prior_rejection_or_withdrawal()) issues.push_back("a prior rejection or withdrawal");
    if (!issues.empty()) return {"missing", "declared " + s.declared_on() + ": " + JoinList(issues)};
    return {"present", "declared " + s.declared_on() +
                           ": no deaths, no serious deterioration, no open FSCA, no rejection or withdrawal"};
  }
  return {"missing", "unknown hsa check " + arg};
}

// The change plan ai.changePlan names, as the caller resolved it: the three
// parts of a PCCP (Description of Modifications, Modification Protocol,
// Impact Assessment), and for "authorized:J" its authorisation in J.
CheckOutcome CheckChangePlan(const v1::Dossier& d, const v1::ChangePlan* plan, const std::string& arg) {
  const std::string& id = d.ai().change_plan();
  if (id.empty()) return {"not-applicable", "no change plan proposed"};
  if (!plan) return {"missing", "change plan " + id + " named by ai.changePlan was not found"};
  std::vector<std::string> lacking;
  if (plan->modifications_size() == 0) lacking.push_back("no modifications (Description of Modifications)");
  if (!plan->has_protocol()) lacking.push_back("no modification protocol");
  if (!plan->has_impact_assessment()) lacking.push_back("no impact assessment");
  const std::string name =
      "change plan " + id + (plan->plan_version().empty() ? "" : " v" + plan->plan_version());
  if (!lacking.empty()) return {"missing", name + ": " + JoinList(lacking)};
  if (arg == "linked") {
    return {"present", name + ": " + std::to_string(plan->modifications_size()) +
                           " modification(s), modification protocol, impact assessment"};
  }
  if (arg.rfind("authorized:", 0) == 0) {
    v1::Jurisdiction want;
    if (!v1::Jurisdiction_Parse(arg.substr(11), &want)) return {"missing", "unknown jurisdiction in " + arg};
    for (const auto& a : plan->authorizations()) {
      if (a.jurisdiction() != want) continue;
      if (a.status() == v1::Authorization::AUTHORIZED)
        return {"present", name + " authorised in " + arg.substr(11) +
                               (a.reference().empty() ? "" : " (" + a.reference() + ")")};
      return {"missing",
              name + " is " + v1::Authorization::Status_Name(a.status()) + " in " + arg.substr(11)};
    }
    return {"missing", name + " has no authorisation in " + arg.substr(11)};
  }
  return {"missing", "unknown plan check " + arg};
}

// Sections the applicant declared not applicable are its omissions; each
// carries its justification.
CheckOutcome CheckOmissions(const v1::Dossier& d) {
  std::vector<std::string> omitted;
  for (const auto& s : d.sections()) {
    if (!s.not_applicable_justification().empty())
      omitted.push_back(s.code() + " (" + s.not_applicable_justification() + ")");
  }
  if (omitted.empty()) return {"not-applicable", "no item omitted"};
  return {"present", "omitted with justification: " + JoinList(omitted)};
}

CheckOutcome CheckEuRoute(const v1::Dossier& d, const std::string& pathway) {
  const EuRoutes routes = AssessEuRoutes(d);
  if (routes.open.empty()) return {"missing", "no EU class: route cannot be checked"};
  const bool ok = std::find(routes.open.begin(), routes.open.end(), pathway) != routes.open.end();
  const std::string why = routes.reason + " (" + routes.basis + ")";
  if (ok) return {"present", pathway + " is a route for this device: " + why};
  return {"missing",
          pathway + " is not a route for this device: " + why + "; open: " + JoinList(routes.open)};
}

CheckOutcome CheckEudamedRegistration(const v1::Dossier& d) {
  const std::vector<LossItem> gaps = EudamedRegistrationGaps(d);
  if (gaps.empty()) return {"present", "every EUDAMED device registration value is stated"};
  constexpr std::string_view kPrefix = "EUDAMED registration: ";
  std::vector<std::string> lacking;
  for (const auto& g : gaps) {
    std::string_view why = g.reason;
    if (why.substr(0, kPrefix.size()) == kPrefix) why.remove_prefix(kPrefix.size());
    lacking.push_back(g.path + ": " + std::string(why));
  }
  return {"missing", std::to_string(gaps.size()) + " EUDAMED registration gap(s): " + JoinList(lacking)};
}

CheckOutcome CheckFdaPathway(const std::string& cls, const std::string& pathway) {
  if (cls.empty()) return {"missing", "no US class recorded"};
  const bool pma = pathway == "pma" || pathway == "pma-supplement";
  if (pma && cls != "III")
    return {"missing", "PMA and PMA supplements are for class III devices; device is class " + cls};
  if (pathway == "de-novo" && cls == "III")
    return {"missing", "a De Novo request recommends class I or II (21 CFR 860.220(a)(11))"};
  if (!pma && pathway != "de-novo" && cls == "III")
    return {"missing",
            "class III devices need a PMA; a 510(k) is possible only for a preamendments class III type for "
            "which FDA has not yet required PMA (21 CFR 807.87(k), 807.94)"};
  if (pathway == "pma-supplement")
    return {"present",
            "PMA supplement of a class III device: content limited to what supports the change "
            "(21 CFR 814.39(c)(1))"};
  return {"present", pathway + " fits class " + cls};
}

}  // namespace dossier::translate
