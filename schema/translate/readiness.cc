// Readiness: evaluates the rulebook rows of data/requirements.tsv that apply
// to an agency, pathway and ToC edition against one dossier. The rules are
// data; this file only knows how to decide the condition flags and the
// `check` expressions, and which rows only advise.
#include <algorithm>
#include <boost/json.hpp>
#include <ctime>
#include <set>

#include "common/strings.h"
#include "schema/dossier_codec.h"
#include "schema/translate/ai_evidence.h"
#include "schema/translate/crosswalk.h"
#include "schema/translate/pathways.h"
#include "schema/translate/readiness_checks.h"
#include "schema/translate/readiness_routes.h"
#include "schema/translate/translate.h"

namespace dossier::translate {
namespace {

namespace json = boost::json;
using v1::Dossier;

bool IsEuMemberState(std::string_view c) {
  static const std::set<std::string, std::less<>> kEu = {
      "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU",
      "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"};
  return kEu.count(c) > 0;
}

// The MDR and IVDR are "Text with EEA relevance": a manufacturer established
// in Norway, Iceland or Liechtenstein needs no authorised representative.
bool IsEeaState(std::string_view c) { return IsEuMemberState(c) || c == "NO" || c == "IS" || c == "LI"; }

// The pathway names of an agency come from the pathways table (pathways.tsv),
// the same rows the submission door check reads.
const std::vector<std::string>& AgencyPathways(std::string_view agency) {
  static const std::vector<std::string> kFda = OfferedPathways("FDA");
  static const std::vector<std::string> kEu = OfferedPathways("EU");
  static const std::vector<std::string> kHsa = OfferedPathways("HSA");
  static const std::vector<std::string> kNone;
  if (agency == "FDA") return kFda;
  if (agency == "EU") return kEu;
  if (agency == "HSA") return kHsa;
  return kNone;
}

std::string TodayUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Headings that evidence a condition the canonical dossier cannot state,
// per ToC edition: the IVD ToC (N13) numbers chapter 3 differently (N9
// 3.05.05 software is N13 3.06.02; N13 3.05.05 is analytical sensitivity) and
// has no heading for some of them ("" = none). Verified against Health
// Canada's IMDRF IVD ToC pages (REGULATORY.md).
struct FlagHeading {
  std::string_view flag;
  std::string_view nivd;
  std::string_view ivd;
};
constexpr FlagHeading kFlagHeadings[] = {
    {"SW", "3.05.05", "3.06.02"},
    {"CYBER", "3.05.05.11", "3.06.02.11"},
    {"INTEROP", "3.05.05.12", "3.06.02.12"},
    {"STERILE", "3.05.09", ""},
    {"CONTACT", "3.05.06", ""},
    {"ELEC", "3.05.03", "3.06.01"},
    {"SHELF", "3.07", "3.06.05"},
    {"REUSE", "3.05.09.04", "3.06.03"},
    {"ANIMAL", "3.05.10", ""},
    {"IMPLANT", "5.08", "5.08"},
    {"CLIN", "4.02.02", "4.02.02"},
};

std::string_view FlagHeadingFor(std::string_view flag, std::string_view edition) {
  for (const auto& f : kFlagHeadings) {
    if (f.flag == flag) return edition == kEditionIvd ? f.ivd : f.nivd;
  }
  return "";
}

using Outcome = CheckOutcome;

class Evaluator {
 public:
  Evaluator(const Dossier& d, std::string agency, std::string pathway, std::string_view edition,
            const ReadinessOptions& options, std::string as_of)
      : d_(d),
        agency_(std::move(agency)),
        pathway_(std::move(pathway)),
        edition_(edition),
        options_(options),
        as_of_(std::move(as_of)) {
    json_ = json::parse(schema::DossierToJson(d_)).as_object();
  }

  std::string DeviceClass() const { return AgencyClass(d_, agency_); }

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
    if (code.empty()) return false;
    for (const auto& s : d_.sections()) {
      if ((s.code() == code || s.code().rfind(std::string(code) + ".", 0) == 0) && HasContent(s)) return true;
    }
    return false;
  }

  // A condition: one flag, "!FLAG", or flags joined by '&'. Returns {holds, explanation}.
  std::pair<bool, std::string> Condition(std::string_view expr) const {
    if (expr.find('&') != std::string_view::npos) {
      std::vector<std::string> why;
      for (const std::string& part : Split(expr, '&')) {
        auto [holds, reason] = Condition(part);
        if (!holds) return {false, reason};
        why.push_back(reason);
      }
      std::string all;
      for (const auto& w : why) all += (all.empty() ? "" : "; ") + w;
      return {true, all};
    }
    if (!expr.empty() && expr.front() == '!') {
      auto [holds, why] = Condition(expr.substr(1));
      return {!holds, why};
    }
    return Flag(expr);
  }

  std::pair<bool, std::string> Flag(std::string_view flag) const {
    const auto& ai = d_.ai();
    const std::string heading(FlagHeadingFor(flag, edition_));
    if (flag == "SW") {
      const bool sw = d_.device().software_only() || !d_.device().software_version().empty() ||
                      SubtreeHasContent(heading);
      return {sw, sw ? "device is or contains software" : "no software recorded"};
    }
    if (flag == "AI") {
      const bool holds = !ai.model_name().empty() || ai.datasets_size() > 0 || ai.performance_size() > 0;
      return {holds, holds ? "AI-enabled device software function" : "no AI model recorded"};
    }
    if (flag == "CYBER") {
      const bool holds = d_.regional().us().cyber_device() || SectionHasContent(heading);
      return {holds, holds ? "cyber device (FD&C 524B)" : "not recorded as a cyber device"};
    }
    if (flag == "INTEROP") {
      // A cyber device connects to other systems; otherwise the interoperability heading says so.
      const bool holds = d_.regional().us().cyber_device() || SubtreeHasContent(heading);
      return {holds,
              holds ? "device exchanges data over electronic interfaces"
                    : "no electronic interface recorded (not a cyber device, no content in " + heading + ")"};
    }
    if (flag == "PCCP") {
      const bool holds = !ai.change_plan().empty();
      return {holds, holds ? "change plan " + ai.change_plan() + " proposed" : "no change plan proposed"};
    }
    if (flag == "ENHANCED") {
      // Software premarket guidance §V: the sponsor states the level; for a
      // class III device FDA "generally recommend[s]" Enhanced unless the
      // sponsor gives a rationale for Basic, so an unstated level of a class
      // III device is read as Enhanced.
      const auto level = d_.regional().us().software_documentation_level();
      if (level == v1::UsExtension::ENHANCED) return {true, "Enhanced documentation level"};
      if (level == v1::UsExtension::BASIC) return {false, "Basic documentation level"};
      if (agency_ == "FDA" && DeviceClass() == "III")
        return {true,
                "documentation level not stated; class III: Enhanced unless a rationale for Basic is given"};
      return {false, "documentation level not stated"};
    }
    if (flag == "CLINTRIALS") {
      // The submission refers to, relates to or includes clinical trial
      // information: the trials it lists, or clinical studies in its ToC.
      const int listed = d_.regional().us().clinical_trials_size();
      if (listed > 0)
        return {true, std::to_string(listed) + " clinical trial(s) in regional.us.clinicalTrials"};
      const std::string studies(FlagHeadingFor("CLIN", edition_));
      if (SubtreeHasContent(studies))
        return {true,
                "section " + studies + " holds clinical studies (regional.us.clinicalTrials lists none)"};
      return {false, "no clinical trial referred to (regional.us.clinicalTrials empty, no content in " +
                         studies + ")"};
    }
    if (flag == "STERILE") {
      const bool holds = d_.classifications().eu().sterile() || SubtreeHasContent(heading);
      return {holds, holds ? "labelled sterile" : "not labelled sterile"};
    }
    if (flag == "NB") {
      const bool holds = EuNotifiedBodyInvolved(d_);
      return {holds,
              holds ? "conformity assessment involves a notified body"
                    : "self-declared: no notified body (not a high-risk AI system under AI Act Art 6(1))"};
    }
    if (flag == "MARKETED") {
      // The PMS report and PSUR summarise post-market data: asked for once the
      // device is (or was) on the EU market, as its EUDAMED status says.
      using F = v1::EudamedDeviceFacts;
      const auto status = d_.regional().eu().eudamed().market_status();
      const bool holds = status == F::ON_THE_MARKET || status == F::NO_LONGER_PLACED_ON_THE_MARKET;
      return {holds, holds ? "EUDAMED market status " + F::MarketStatus_Name(status)
                           : "not placed on the EU market (regional.eu.eudamed.marketStatus " +
                                 F::MarketStatus_Name(status) + "): no post-market data to report"};
    }
    if (flag == "FOREIGN") {
      const std::string& c = d_.manufacturer().country();
      bool foreign = false;
      if (agency_ == "FDA") foreign = !c.empty() && c != "US";
      if (agency_ == "EU") foreign = !c.empty() && !IsEeaState(c);
      if (agency_ == "HSA") foreign = !c.empty() && c != "SG";
      return {foreign, foreign ? "manufacturer established in " + c
                               : "manufacturer established in the jurisdiction" +
                                     std::string(agency_ == "EU" ? " (EU/EEA)" : "")};
    }
    // Flags the canonical dossier cannot state: evidenced by the heading that answers them.
    if (flag == "CONTACT" || flag == "ELEC" || flag == "SHELF" || flag == "REUSE" || flag == "ANIMAL" ||
        flag == "IMPLANT" || flag == "CLIN") {
      if (heading.empty())
        return {false, std::string(flag) + ": the " + std::string(edition_) + " ToC has no heading for it"};
      const bool holds = SubtreeHasContent(heading);
      return {holds, holds ? std::string(flag) + " evidenced by section " + heading
                           : std::string(flag) + " not indicated (no content in " + heading + ")"};
    }
    return {false, "unknown flag " + std::string(flag)};
  }

  Outcome Check(const std::string& expr) {
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

  const std::string& as_of() const { return as_of_; }

 private:
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
    if (kind == "hsa") return CheckHsa(d_, arg, DeviceClass(), pathway_, as_of_);
    if (kind == "plan") return CheckChangePlan(d_, options_.change_plan, arg);
    if (kind == "omissions") return CheckOmissions(d_);
    if (kind == "eu" && arg == "route") return CheckEuRoute(d_, pathway_);
    if (kind == "eu" && arg == "eudamed-registration") return CheckEudamedRegistration(d_);
    if (kind == "fda" && arg == "pathway") return CheckFdaPathway(DeviceClass(), pathway_);
    return {"missing", "unknown check " + check};
  }

  Outcome CheckAi(const std::string& arg) {
    AiEvidenceContext context;
    context.is_eu_country = IsEuMemberState;
    AiEvidenceOutcome o = CheckAiEvidence(d_, arg, context);
    return {std::move(o.status), std::move(o.detail)};
  }

  const Dossier& d_;
  std::string agency_;
  std::string pathway_;
  std::string_view edition_;
  const ReadinessOptions& options_;
  std::string as_of_;
  json::object json_;
};

std::string DefaultPathway(const Dossier& d, const std::string& agency, std::string_view as_of) {
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
        return "pma";
      case v1::UsExtension::PMA_SUPPLEMENT:
        return "pma-supplement";
      default:
        break;
    }
    if (d.classifications().us().device_class() == v1::UsClassification::CLASS_III) return "pma";
    return d.regional().us().predicates_size() > 0 ? "510k-traditional" : "de-novo";
  }
  if (agency == "EU") return DefaultEuPathway(d);
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
  const std::string cls = AgencyClass(d, "HSA");
  const HsaRoutes routes = AssessHsaRoutes(d, cls, as_of);
  for (const char* r : {"immediate", "expedited", "abridged"}) {
    if (std::find(routes.open.begin(), routes.open.end(), r) != routes.open.end()) return r;
  }
  return "full";
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), "*") != list.end() ||
         std::find(list.begin(), list.end(), value) != list.end();
}

// Why a row only advises today, or "" when it binds: its text is draft
// guidance or not binding, or it applies from a later date.
std::string AdvisoryReason(const Requirement& r, const std::string& as_of) {
  if (r.binding == "draft-guidance") return "advisory: draft guidance, not for implementation";
  if (r.binding == "non-binding") return "advisory: the source is not binding";
  if (r.effective.rfind("from:", 0) == 0 && as_of < r.effective.substr(5))
    return "advisory: applies from " + r.effective.substr(5);
  return "";
}

}  // namespace

std::vector<std::string> Pathways(std::string_view agency) { return AgencyPathways(AsciiUpper(agency)); }

StatusOr<ReadinessReport> Readiness(const v1::Dossier& dossier, std::string_view agency_in,
                                    std::string_view pathway_in) {
  return Readiness(dossier, agency_in, pathway_in, ReadinessOptions{});
}

StatusOr<ReadinessReport> Readiness(const v1::Dossier& dossier, std::string_view agency_in,
                                    std::string_view pathway_in, const ReadinessOptions& options) {
  const std::string agency = AsciiUpper(agency_in);
  if (AgencyPathways(agency).empty())
    return InvalidArgument("unknown agency '" + std::string(agency_in) + "' (FDA, EU or HSA)",
                           "unknown-agency", "agency");
  if (!options.as_of.empty() && !WholeYearsBetween(options.as_of, options.as_of))
    return InvalidArgument("asOf must be a date YYYY-MM-DD", "bad-date", "asOf");
  const std::string as_of = options.as_of.empty() ? TodayUtc() : options.as_of;
  std::string pathway = pathway_in.empty() ? DefaultPathway(dossier, agency, as_of) : AsciiLower(pathway_in);
  if (agency == "EU" && !CanonicalEuPathway(pathway).empty()) pathway = CanonicalEuPathway(pathway);
  if (!Contains(AgencyPathways(agency), pathway) || pathway == "*") {
    return InvalidArgument("unknown " + agency + " pathway '" + std::string(pathway_in) + "' (one of " +
                               JoinList(AgencyPathways(agency)) + ")",
                           "unknown-pathway", "pathway");
  }
  const std::string_view edition = EditionKey(dossier);
  Evaluator eval(dossier, agency, pathway, edition, options, as_of);
  const std::string cls = eval.DeviceClass();
  ReadinessReport report;
  report.agency = agency;
  report.pathway = pathway;
  report.edition = std::string(edition);
  report.as_of = as_of;
  for (const Requirement& r : Crosswalk::BuiltIn().Requirements()) {
    if (r.agency != agency || !Contains(r.pathways, pathway)) continue;
    if (r.edition != "*" && r.edition != edition) continue;
    ReadinessItem item;
    item.id = r.id;
    item.title = r.title;
    item.citation = r.citation;
    item.toc_code = r.toc == "-" ? "" : r.toc;
    item.source = r.source;
    item.section = r.section;
    item.binding = r.binding;
    item.edition = r.edition;
    item.effective = r.effective;
    item.verification = r.verification;
    if (r.effective.rfind("until:", 0) == 0 && as_of > r.effective.substr(6)) {
      item.status = "not-applicable";
      item.detail = "applied until " + r.effective.substr(6);
    } else if (!Contains(r.classes, cls)) {
      item.status = "not-applicable";
      item.detail = "applies to class " + JoinList(r.classes) + "; device is " +
                    (cls.empty() ? "unclassified" : "class " + cls);
    } else if (r.level == 'C' && r.flag != "-" && !eval.Condition(r.flag).first) {
      item.status = "not-applicable";
      item.detail = "condition " + r.flag + " does not hold: " + eval.Condition(r.flag).second;
    } else {
      Outcome o = eval.Check(r.check);
      item.status = o.status;
      item.detail = o.detail;
      if (r.level == 'C' && r.flag != "-") item.detail = eval.Condition(r.flag).second + "; " + item.detail;
      if (r.level == 'O' && o.status == "missing") {
        item.status = "not-applicable";
        item.detail = "optional: " + o.detail;
      }
    }
    const std::string advisory = AdvisoryReason(r, as_of);
    item.advisory = !advisory.empty();
    if (item.advisory) {
      item.detail = advisory + (item.detail.empty() ? "" : "; " + item.detail);
      // An advisory gap is its own status, so that nobody reads it as a
      // missing requirement.
      if (item.status == "missing") item.status = "advised";
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
  out["edition"] = report.edition;
  out["asOf"] = report.as_of;
  out["ready"] = report.ready;
  json::array items;
  size_t missing = 0, advised = 0;
  for (const auto& i : report.items) {
    json::object o;
    o["id"] = i.id;
    o["title"] = i.title;
    o["status"] = i.status;
    o["citation"] = i.citation;
    if (!i.toc_code.empty()) o["tocCode"] = i.toc_code;
    if (!i.detail.empty()) o["detail"] = i.detail;
    o["source"] = i.source;
    o["section"] = i.section;
    o["binding"] = i.binding;
    o["edition"] = i.edition;
    if (i.effective != "-" && !i.effective.empty()) o["effective"] = i.effective;
    o["verification"] = i.verification;
    o["verified"] = i.verification.rfind("verified:", 0) == 0;
    o["advisory"] = i.advisory;
    missing += i.status == "missing";
    advised += i.status == "advised";
    items.push_back(std::move(o));
  }
  out["missingCount"] = missing;
  out["advisoryMissingCount"] = advised;
  out["items"] = std::move(items);
  return out;
}

}  // namespace dossier::translate
