// Readiness: evaluates the rulebook rows of data/requirements.tsv that apply
// to an agency and pathway against one dossier. The rules are data; this file
// only knows how to decide the condition flags and the `check` expressions.
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <ctime>
#include <set>

#include "common/strings.h"
#include "schema/dossier_codec.h"
#include "schema/translate/ai_evidence.h"
#include "schema/translate/crosswalk.h"
#include "schema/translate/translate.h"

namespace dossier::translate {
namespace {

namespace json = boost::json;
using v1::Dossier;

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsEuMemberState(std::string_view c) {
  static const std::set<std::string, std::less<>> kEu = {
      "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU",
      "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"};
  return kEu.count(c) > 0;
}

const std::vector<std::string>& AgencyPathways(std::string_view agency) {
  static const std::vector<std::string> kFda = {"510k-traditional", "510k-special", "510k-abbreviated",
                                                "de-novo", "pma"};
  static const std::vector<std::string> kEu = {"class-i-self", "annex-ix", "annex-x+xi"};
  static const std::vector<std::string> kHsa = {"full", "abridged", "expedited", "immediate"};
  static const std::vector<std::string> kNone;
  if (agency == "FDA") return kFda;
  if (agency == "EU") return kEu;
  if (agency == "HSA") return kHsa;
  return kNone;
}

// One evaluated check: its status and why.
struct Outcome {
  std::string status;  // present | missing | not-applicable
  std::string detail;
};

class Evaluator {
 public:
  Evaluator(const Dossier& d, std::string agency, std::string pathway)
      : d_(d), agency_(std::move(agency)), pathway_(std::move(pathway)) {
    json_ = json::parse(schema::DossierToJson(d_)).as_object();
  }

  // "I", "II", "III" (FDA); "I", "IIa", "IIb", "III", "A".."D" (EU); "A".."D" (HSA); "" unknown.
  std::string DeviceClass() const {
    if (agency_ == "FDA") {
      switch (d_.classifications().us().device_class()) {
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
    if (agency_ == "EU") {
      switch (d_.classifications().eu().device_class()) {
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
    switch (d_.classifications().sg().risk_class()) {
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

  const v1::Section* FindSection(std::string_view code) const {
    for (const auto& s : d_.sections()) {
      if (s.code() == code) return &s;
    }
    return nullptr;
  }
  static bool HasContent(const v1::Section& s) {
    return s.documents_size() > 0 || s.data().fields_size() > 0;
  }
  bool SectionHasContent(std::string_view code) const {
    const v1::Section* s = FindSection(code);
    return s && HasContent(*s);
  }
  // Any section at `code` or below it with content.
  bool SubtreeHasContent(std::string_view code) const {
    for (const auto& s : d_.sections()) {
      if ((s.code() == code || s.code().rfind(std::string(code) + ".", 0) == 0) && HasContent(s)) return true;
    }
    return false;
  }

  // Condition flags (requirements.md §0). Returns {holds, explanation}.
  std::pair<bool, std::string> Flag(std::string_view flag) const {
    if (!flag.empty() && flag.front() == '!') {
      auto [holds, why] = Flag(flag.substr(1));
      return {!holds, why};
    }
    const auto& ai = d_.ai();
    if (flag == "SW") {
      const bool sw = d_.device().software_only() || !d_.device().software_version().empty() ||
                      SubtreeHasContent("3.05.05");
      return {sw, sw ? "device is or contains software" : "no software recorded"};
    }
    if (flag == "AI") {
      const bool holds = !ai.model_name().empty() || ai.datasets_size() > 0 || ai.performance_size() > 0;
      return {holds, holds ? "AI-enabled device software function" : "no AI model recorded"};
    }
    if (flag == "CYBER") {
      const bool holds = d_.regional().us().cyber_device() || SectionHasContent("3.05.05.11");
      return {holds, holds ? "cyber device (FD&C 524B)" : "not recorded as a cyber device"};
    }
    if (flag == "PCCP") {
      const bool holds = !ai.change_plan().empty();
      return {holds, holds ? "change plan " + ai.change_plan() + " proposed" : "no change plan proposed"};
    }
    if (flag == "STERILE") {
      const bool holds = d_.classifications().eu().sterile() || SubtreeHasContent("3.05.09");
      return {holds, holds ? "labelled sterile" : "not labelled sterile"};
    }
    if (flag == "CLIN") {
      const bool holds = SubtreeHasContent("4.02.02");
      return {holds, holds ? "clinical study data submitted (4.02.02)"
                           : "no device-specific clinical study data (4.02.02)"};
    }
    if (flag == "FOREIGN") {
      const std::string& c = d_.manufacturer().country();
      bool foreign = false;
      if (agency_ == "FDA") foreign = !c.empty() && c != "US";
      if (agency_ == "EU") foreign = !c.empty() && !IsEuMemberState(c);
      if (agency_ == "HSA") foreign = !c.empty() && c != "SG";
      return {foreign,
              foreign ? "manufacturer established in " + c : "manufacturer established in the jurisdiction"};
    }
    // Flags the canonical dossier cannot state: evidenced by the section that answers them.
    static const std::map<std::string, std::string, std::less<>> kBySection = {
        {"CONTACT", "3.05.06"},  {"ELEC", "3.05.03"},   {"SHELF", "3.07"},
        {"REUSE", "3.05.09.04"}, {"ANIMAL", "3.05.10"}, {"IMPLANT", "5.08"}};
    auto it = kBySection.find(flag);
    if (it != kBySection.end()) {
      const bool holds = SubtreeHasContent(it->second);
      return {holds, holds ? std::string(flag) + " evidenced by section " + it->second
                           : std::string(flag) + " not indicated (no content in " + it->second + ")"};
    }
    return {false, "unknown flag " + std::string(flag)};
  }

  Outcome Check(const std::string& expr) {
    Outcome best{"missing", ""};
    std::vector<std::string> why;
    bool any_na = false;
    std::string na_detail;
    for (const std::string& alt : Split(expr, '|')) {
      Outcome o = CheckOne(alt);
      if (o.status == "present") return o;
      if (o.status == "not-applicable" && !any_na) {
        any_na = true;
        na_detail = o.detail;
      }
      if (!o.detail.empty()) why.push_back(o.detail);
    }
    if (any_na) return {"not-applicable", na_detail};
    std::string detail;
    for (const auto& w : why) detail += (detail.empty() ? "" : "; ") + w;
    return {"missing", detail};
  }

  // Route eligibility under HSA (requirements.md §3.1). Fills eligible_routes_.
  void ComputeHsaRoutes() {
    hsa_routes_.clear();
    const std::string cls = DeviceClass();
    std::set<std::string> agencies;
    std::string earliest;
    for (const auto& a : d_.regional().sg().reference_approvals()) {
      agencies.insert(!a.agency().empty() ? a.agency() : v1::Jurisdiction_Name(a.jurisdiction()));
      if (!a.date().empty() && (earliest.empty() || a.date() < earliest)) earliest = a.date();
    }
    const size_t n = agencies.size();
    const double years = YearsSince(earliest);
    hsa_facts_ = std::to_string(n) + " reference-agency approval(s)";
    if (!earliest.empty()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f", years);
      hsa_facts_ += ", earliest " + earliest + " (" + buf + " years of market history)";
    }
    if (cls == "A") return;  // exempt
    if (cls == "B" || cls == "C" || cls == "D") hsa_routes_.push_back("full");
    if (n >= 1 && !cls.empty()) hsa_routes_.push_back("abridged");
    const bool three_years = n >= 1 && years >= 3.0;
    if ((cls == "C" && (n >= 2 || three_years)) || (cls == "D" && n >= 2)) hsa_routes_.push_back("expedited");
    if (cls == "B" && (n >= 2 || three_years)) hsa_routes_.push_back("immediate");
  }

  const std::vector<std::string>& hsa_routes() const { return hsa_routes_; }
  const std::string& hsa_facts() const { return hsa_facts_; }

 private:
  static double YearsSince(const std::string& date) {
    if (date.size() != 10) return 0;
    std::tm tm{};
    tm.tm_year = std::atoi(date.substr(0, 4).c_str()) - 1900;
    tm.tm_mon = std::atoi(date.substr(5, 2).c_str()) - 1;
    tm.tm_mday = std::atoi(date.substr(8, 2).c_str());
    const std::time_t then = timegm(&tm);
    const std::time_t now = std::time(nullptr);
    return std::difftime(now, then) / (365.25 * 24 * 3600);
  }

  const json::value* Lookup(const std::string& path) const {
    const json::value* v = nullptr;
    const json::object* obj = &json_;
    for (const std::string& part : Split(path, '.')) {
      if (!obj) return nullptr;
      auto it = obj->find(part);
      if (it == obj->end()) return nullptr;
      v = &it->value();
      obj = v->is_object() ? &v->as_object() : nullptr;
    }
    return v;
  }
  static bool Truthy(const json::value& v) {
    if (v.is_string()) return !v.as_string().empty();
    if (v.is_bool()) return v.as_bool();
    if (v.is_array()) return !v.as_array().empty();
    if (v.is_object()) return !v.as_object().empty();
    if (v.is_number()) return v.to_number<double>() != 0;
    return false;
  }

  Outcome CheckOne(const std::string& check) {
    const size_t colon = check.find(':');
    const std::string kind = check.substr(0, colon);
    const std::string arg = colon == std::string::npos ? "" : check.substr(colon + 1);
    if (kind == "toc") {
      std::string justification;
      for (const std::string& code : Split(arg, ',')) {
        const v1::Section* s = FindSection(code);
        if (s && HasContent(*s)) return {"present", "section " + code};
        if (s && !s->not_applicable_justification().empty() && justification.empty())
          justification = "justified not applicable in " + code + ": " + s->not_applicable_justification();
      }
      if (!justification.empty()) return {"not-applicable", justification};
      return {"missing", "no content in section " + arg};
    }
    if (kind == "field") {
      const json::value* v = Lookup(arg);
      if (v && Truthy(*v)) return {"present", arg};
      return {"missing", arg + " not set"};
    }
    if (kind == "ident") {
      v1::Identifier::Type type;
      if (v1::Identifier::Type_Parse(arg, &type)) {
        for (const auto& id : d_.device().identifiers()) {
          if (id.type() == type && !id.value().empty()) return {"present", "device identifier " + arg};
        }
      }
      return {"missing", "no " + arg + " in device.identifiers"};
    }
    if (kind == "ai") return CheckAi(arg);
    if (kind == "hsa") return CheckHsa(arg);
    if (kind == "eu" && arg == "route") return CheckEuRoute();
    if (kind == "fda" && arg == "pathway") return CheckFdaPathway();
    return {"missing", "unknown check " + check};
  }

  Outcome CheckAi(const std::string& arg) {
    AiEvidenceContext context;
    context.is_eu_country = IsEuMemberState;
    AiEvidenceOutcome o = CheckAiEvidence(d_, arg, context);
    return {std::move(o.status), std::move(o.detail)};
  }

  Outcome CheckHsa(const std::string& arg) {
    if (arg == "route") {
      ComputeHsaRoutes();
      if (DeviceClass() == "A")
        return {"not-applicable", "Class A devices are exempt from product registration"};
      if (DeviceClass().empty()) return {"missing", "no HSA risk class: route cannot be determined"};
      std::string list;
      for (const auto& r : hsa_routes_) list += (list.empty() ? "" : ", ") + r;
      const bool ok = std::find(hsa_routes_.begin(), hsa_routes_.end(), pathway_) != hsa_routes_.end();
      return {ok ? "present" : "missing", std::string(ok ? "" : "route " + pathway_ + " not open: ") +
                                              hsa_facts_ + "; eligible: " + list};
    }
    if (arg == "approval-documents") {
      const auto& approvals = d_.regional().sg().reference_approvals();
      if (approvals.empty()) return {"missing", "no reference approvals recorded"};
      for (int i = 0; i < approvals.size(); ++i) {
        if (approvals[i].document_digest().empty())
          return {"missing",
                  "regional.sg.referenceApprovals[" + std::to_string(i) + "] has no approval document"};
      }
      return {"present", "approval documents attached"};
    }
    return {"missing", "unknown hsa check " + arg};
  }

  Outcome CheckEuRoute() {
    const std::string cls = DeviceClass();
    const auto& eu = d_.classifications().eu();
    const bool special = eu.sterile() || eu.measuring_function() || eu.reusable_surgical();
    if (cls.empty()) return {"missing", "no EU class: route cannot be checked"};
    if (pathway_ == "class-i-self") {
      if ((cls == "I" && !special) || cls == "A")
        return {"present", "class " + cls + " self-declaration (Art 52(7))"};
      return {"missing",
              "self-declaration is only for class I without sterile/measuring/reusable aspects; class " +
                  cls + " needs a notified body"};
    }
    if (pathway_ == "annex-x+xi" && cls == "I")
      return {"missing", "Annex X type examination is not a class I route"};
    if (cls == "I" && !special)
      return {"missing", "class I (not Is/Im/Ir) is self-declared; no notified body route"};
    return {"present", pathway_ + " is a route for class " + cls};
  }

  Outcome CheckFdaPathway() {
    const std::string cls = DeviceClass();
    if (cls.empty()) return {"missing", "no US class recorded"};
    const bool pma = pathway_ == "pma";
    if (pma && cls != "III") return {"missing", "PMA is for class III devices; device is class " + cls};
    if (!pma && cls == "III" && pathway_ != "de-novo")
      return {"missing", "class III devices need a PMA unless a pre-1976 class III 510(k) applies"};
    if (pathway_ == "de-novo" && cls == "III") return {"missing", "De Novo proposes class I or II"};
    return {"present", pathway_ + " fits class " + cls};
  }

  const Dossier& d_;
  std::string agency_;
  std::string pathway_;
  json::object json_;
  std::vector<std::string> hsa_routes_;
  std::string hsa_facts_;
};

std::string DefaultPathway(const Dossier& d, const std::string& agency) {
  if (agency == "FDA") {
    switch (d.regional().us().submission_type()) {
      case v1::UsExtension::TRADITIONAL_510K:
        return "510k-traditional";
      case v1::UsExtension::SPECIAL_510K:
        return "510k-special";
      case v1::UsExtension::ABBREVIATED_510K:
        return "510k-abbreviated";
      case v1::UsExtension::DE_NOVO:
        return "de-novo";
      case v1::UsExtension::PMA:
      case v1::UsExtension::PMA_SUPPLEMENT:
        return "pma";
      default:
        break;
    }
    if (d.classifications().us().device_class() == v1::UsClassification::CLASS_III) return "pma";
    return d.regional().us().predicates_size() > 0 ? "510k-traditional" : "de-novo";
  }
  if (agency == "EU") {
    const std::string& route = d.regional().eu().conformity_assessment_route();
    if (route.find("Annex X ") != std::string::npos || route.find("Annex X+") != std::string::npos ||
        route.find("Annex X and") != std::string::npos)
      return "annex-x+xi";
    if (route.find("Annex IX") != std::string::npos) return "annex-ix";
    const auto& eu = d.classifications().eu();
    const bool special = eu.sterile() || eu.measuring_function() || eu.reusable_surgical();
    if ((eu.device_class() == v1::EuClassification::CLASS_I && !special) ||
        eu.device_class() == v1::EuClassification::CLASS_A)
      return "class-i-self";
    return "annex-ix";
  }
  // HSA: the recorded route, else the quickest route the device qualifies for.
  switch (d.regional().sg().evaluation_route()) {
    case v1::SgExtension::FULL:
      return "full";
    case v1::SgExtension::ABRIDGED:
      return "abridged";
    case v1::SgExtension::EXPEDITED:
      return "expedited";
    case v1::SgExtension::IMMEDIATE:
      return "immediate";
    default:
      break;
  }
  Evaluator e(d, "HSA", "");
  e.ComputeHsaRoutes();
  for (const char* r : {"immediate", "expedited", "abridged"}) {
    if (std::find(e.hsa_routes().begin(), e.hsa_routes().end(), r) != e.hsa_routes().end()) return r;
  }
  return "full";
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), "*") != list.end() ||
         std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::vector<std::string> Pathways(std::string_view agency) { return AgencyPathways(Upper(agency)); }

StatusOr<ReadinessReport> Readiness(const v1::Dossier& dossier, std::string_view agency_in,
                                    std::string_view pathway_in) {
  const std::string agency = Upper(agency_in);
  if (AgencyPathways(agency).empty())
    return InvalidArgument("unknown agency '" + std::string(agency_in) + "' (FDA, EU or HSA)",
                           "unknown-agency", "agency");
  std::string pathway = pathway_in.empty() ? DefaultPathway(dossier, agency) : Lower(pathway_in);
  if (!Contains(AgencyPathways(agency), pathway) || pathway == "*") {
    std::string list;
    for (const auto& p : AgencyPathways(agency)) list += (list.empty() ? "" : ", ") + p;
    return InvalidArgument(
        "unknown " + agency + " pathway '" + std::string(pathway_in) + "' (one of " + list + ")",
        "unknown-pathway", "pathway");
  }
  Evaluator eval(dossier, agency, pathway);
  const std::string cls = eval.DeviceClass();
  ReadinessReport report;
  report.agency = agency;
  report.pathway = pathway;
  for (const Requirement& r : Crosswalk::BuiltIn().Requirements()) {
    if (r.agency != agency || !Contains(r.pathways, pathway)) continue;
    ReadinessItem item{r.id, r.title, "", r.citation, r.toc == "-" ? "" : r.toc, ""};
    if (!Contains(r.classes, cls)) {
      item.status = "not-applicable";
      item.detail = "applies to class " +
                    [&] {
                      std::string s;
                      for (const auto& c : r.classes) s += (s.empty() ? "" : ", ") + c;
                      return s;
                    }() +
                    "; device is " + (cls.empty() ? "unclassified" : "class " + cls);
    } else if (r.level == 'C' && r.flag != "-" && !eval.Flag(r.flag).first) {
      item.status = "not-applicable";
      item.detail = "condition " + r.flag + " does not hold: " + eval.Flag(r.flag).second;
    } else {
      Outcome o = eval.Check(r.check);
      item.status = o.status;
      item.detail = o.detail;
      if (r.level == 'C' && r.flag != "-") item.detail = eval.Flag(r.flag).second + "; " + item.detail;
      if (r.level == 'O' && o.status == "missing") {
        item.status = "not-applicable";
        item.detail = "optional: " + o.detail;
      }
    }
    report.items.push_back(std::move(item));
  }
  report.ready = std::none_of(report.items.begin(), report.items.end(),
                              [](const ReadinessItem& i) { return i.status == "missing"; });
  return report;
}

boost::json::object ReadinessToJson(const ReadinessReport& report) {
  json::object out;
  out["agency"] = report.agency;
  out["pathway"] = report.pathway;
  out["ready"] = report.ready;
  json::array items;
  size_t missing = 0;
  for (const auto& i : report.items) {
    json::object o;
    o["id"] = i.id;
    o["title"] = i.title;
    o["status"] = i.status;
    o["citation"] = i.citation;
    if (!i.toc_code.empty()) o["tocCode"] = i.toc_code;
    if (!i.detail.empty()) o["detail"] = i.detail;
    if (i.status == "missing") ++missing;
    items.push_back(std::move(o));
  }
  out["missingCount"] = missing;
  out["items"] = std::move(items);
  return out;
}

}  // namespace dossier::translate
