// The EU consequences of an evaluated change: AI Act (from the date it
// applies to MDR/IVDR devices), the MDR / IVDR notified-body duty by class,
// and the UDI consequence. See routes.h and README.md.
#include <algorithm>
#include <cctype>

#include "schema/pccp/routes.h"

namespace dossier::pccp::internal {
namespace {

// The EU class of the plan's EU authorisation (Authorization.risk_class).
enum class EuClass {
  kUnknown,
  kMdrI,
  kMdrISpecial,
  kMdrIIa,
  kMdrIIb,
  kMdrIII,
  kIvdA,
  kIvdASterile,
  kIvdB,
  kIvdC,
  kIvdD
};

EuClass ParseEuClass(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c != ' ' && c != '-' && c != '(' && c != ')')
      s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (s == "i") return EuClass::kMdrI;
  if (s == "iia") return EuClass::kMdrIIa;
  if (s == "iib") return EuClass::kMdrIIb;
  if (s == "iii") return EuClass::kMdrIII;
  // Is, Im, Ir and their combinations (e.g. "Ism").
  if (s.size() > 1 && s[0] == 'i' &&
      std::all_of(s.begin() + 1, s.end(), [](char c) { return c == 's' || c == 'm' || c == 'r'; })) {
    return EuClass::kMdrISpecial;
  }
  if (s == "a") return EuClass::kIvdA;
  if (s == "as" || s == "asterile") return EuClass::kIvdASterile;
  if (s == "b") return EuClass::kIvdB;
  if (s == "c") return EuClass::kIvdC;
  if (s == "d") return EuClass::kIvdD;
  return EuClass::kUnknown;
}

bool IsIvd(EuClass c) {
  return c == EuClass::kIvdA || c == EuClass::kIvdASterile || c == EuClass::kIvdB || c == EuClass::kIvdC ||
         c == EuClass::kIvdD;
}

// High-risk under AI Act Art 6(1): the device needs a notified body under the
// MDR / IVDR (MDCG 2025-6 / AIB 2025-1, scope and classification).
bool HighRiskAi(EuClass c) { return c != EuClass::kUnknown && c != EuClass::kMdrI && c != EuClass::kIvdA; }

// The MDR / IVDR procedure for a change to a certified device (Annex IX
// route assumed: the plan records no conformity assessment route).
struct ChangeDuty {
  std::string action, citation, verification, text;
};

ChangeDuty DutyFor(EuClass c, const std::string& cls) {
  switch (c) {
    case EuClass::kMdrIIa:
    case EuClass::kMdrIIb:
    case EuClass::kMdrISpecial:
      return {"inform-notified-body", "MDR 2017/745 Annex IX Chapter I §2.4", kVerified,
              "class " + cls +
                  " is certified under Annex IX Chapters I and III (quality management system; technical "
                  "documentation assessed by sampling, no per-device technical documentation certificate): "
                  "inform the notified body that approved the quality management system of any plan for a "
                  "substantial change to it or to the device range covered; the notified body assesses the "
                  "change and approves it as a supplement to the EU quality management system certificate."};
    case EuClass::kMdrIII:
      return {"notified-body-approval", "MDR 2017/745 Annex IX Chapter II §4.10", kVerified,
              "class III is certified under Annex IX Chapters I and II: a change that could affect the "
              "device's safety and performance or its conditions of use needs the approval of the notified "
              "body that issued the EU technical documentation assessment certificate before the changed "
              "device is placed on the market."};
    case EuClass::kIvdASterile:
      return {
          "document-in-qms",
          "IVDR 2017/746 Art 48 (class A sterile: notified body for the sterility aspects)", kUnverified,
          "IVD class A sterile involves the notified body only for the sterility aspects: a software change "
          "that does not touch them is managed under the quality management system, with the technical "
          "documentation and EU declaration of conformity updated."};
    case EuClass::kIvdB:
    case EuClass::kIvdC:
      return {
          "inform-notified-body",
          "IVDR 2017/746 Annex IX Chapter I (changes to the quality management system or device range)",
          kUnverified,
          "IVD class " + cls +
              " is certified under IVDR Annex IX Chapters I and III: inform the notified body that approved "
              "the quality management system of a substantial change to it or to the device range; it "
              "assesses the change."};
    case EuClass::kIvdD:
      return {"notified-body-approval", "IVDR 2017/746 Annex IX Chapter II (changes to the approved device)",
              kUnverified,
              "IVD class D is certified under IVDR Annex IX Chapters I and II: a change that could affect "
              "safety and performance or the conditions of use needs the approval of the notified body that "
              "issued the EU technical documentation assessment certificate."};
    case EuClass::kMdrI:
    case EuClass::kIvdA:
      return {"document-in-qms", IsIvd(c) ? "IVDR 2017/746 Art 10" : "MDR 2017/745 Art 10(9)", kUnverified,
              "class " + cls +
                  " is self-declared (no notified body): manage the change under the quality management "
                  "system and update the technical documentation and the EU declaration of conformity."};
    case EuClass::kUnknown:
      break;
  }
  return {
      "inform-notified-body",
      "MDR 2017/745 Annex IX §2.4 (class IIa/IIb) or §4.10 (class III); IVDR 2017/746 Annex IX", kVerified,
      "the plan's EU authorisation gives no risk class (authorizations[].riskClass), so the notified-body "
      "duty cannot be told: for MDR class IIa/IIb inform the notified body of a substantial change (Annex "
      "IX §2.4); for class III obtain its approval of a change that could affect safety and performance "
      "(§4.10); for IVDs follow IVDR Annex IX."};
}

std::string Capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string ApplicabilityText() {
  return "AI Act Art 43(4) applies to AI systems in MDR/IVDR devices (high-risk under Art 6(1)) only from 2 "
         "August 2028 (Art 113(c), as amended by Regulation (EU) 2026/1744; originally 2 August 2027)";
}

void EuUdi(const RouteInput& in, bool ivd, std::vector<Action>* actions) {
  // MDR Annex VI Part C 6.5: minor software revisions take a new UDI-PI;
  // changes to original performance, safety, intended use or data
  // interpretation a new UDI-DI.
  const std::string citation =
      ivd ? "IVDR 2017/746 Annex VI Part C (software)" : "MDR 2017/745 Annex VI Part C 6.5";
  const char* verification = ivd ? kUnverified : kSecondary;
  const ChangeFlags& c = in.record.changes;
  if (c.MinorRevision()) {
    actions->push_back(
        MakeAction("EU", "new-udi-pi", citation,
                   std::string("A ") + (c.bug_fix_only ? "bug fix" : "security patch") +
                       " is a minor software revision: the software identification changes, so " +
                       in.record.software_version + " gets a new UDI-PI; the UDI-DI stays.",
                   verification));
    return;
  }
  std::string why = "it changes the device's original performance";
  if (in.Has("indication-change") || in.Has("intended-use-change")) {
    why = "it changes the intended use";
  } else if (c.data_interpretation_changed) {
    why = "it changes the interpretation of data";
  } else if (in.Has("new-input-type")) {
    why = "it changes the inputs and so the original performance";
  }
  actions->push_back(MakeAction("EU", "new-udi-di", citation,
                                in.record.software_version + " needs a new UDI-DI because " + why + ".",
                                verification));
}

}  // namespace

JurisdictionOutcome EuOutcome(const RouteInput& in) {
  JurisdictionOutcome out;
  const std::string& cls = in.authorization.risk_class();
  const EuClass eu_class = ParseEuClass(cls);
  const ChangeDuty duty = DutyFor(eu_class, cls);
  const bool high_risk = HighRiskAi(eu_class);
  const bool ai_act_applies = high_risk && in.evaluation_date >= kAiActMedicalDevicesFrom;
  const std::string not_authorized = in.NotAuthorizedText();
  auto add_duty = [&](const std::string& prefix) {
    out.actions.push_back(
        MakeAction("EU", duty.action, duty.citation, prefix + Capitalized(duty.text), duty.verification));
  };
  // Substantial modifications are a notified-body question under the AI Act too, once it applies.
  const std::string ai_act_too =
      ai_act_applies
          ? " The notified body also assesses whether it is a substantial modification, which needs a "
            "new conformity assessment (AI Act Art 43(4))."
          : "";
  switch (in.route) {
    case Route::kWithinPlan:
      if (ai_act_applies) {
        out.plan_effective = true;
        out.explanation =
            "pre-determined change under AI Act Art 43(4) (applies to this device from 2 Aug 2028)";
        out.actions.push_back(MakeAction(
            "EU", "pre-determined-change",
            "Regulation (EU) 2024/1689 Art 43(4) and Annex IV point 2(f); MDCG 2025-6 / AIB 2025-1",
            "Modification " + in.record.modification_id +
                " is a change pre-determined at the initial conformity assessment "
                "(technical documentation, Annex IV point 2(f)) and met its criteria: it is not a "
                "substantial modification under the AI Act. Record the evaluation in the technical "
                "documentation.",
            kSecondary));
        add_duty("The AI Act does not lift the MDR/IVDR change procedure: ");
      } else if (high_risk) {
        out.explanation =
            ApplicabilityText() + "; on " + in.evaluation_date + " the plan relieves no MDR/IVDR change duty";
        add_duty(
            "Modification " + in.record.modification_id + " is within the plan, but " + ApplicabilityText() +
            ". Until then the plan has no legal effect of its own, and the MDR/IVDR change procedure "
            "applies (the notified body's assessment of the plan at certification is evidence for it): ");
      } else {
        out.explanation =
            eu_class == EuClass::kUnknown
                ? "no EU risk class recorded, so neither the AI Act nor the MDR/IVDR route can be told"
                : "class " + cls + " needs no notified body, so it is not high-risk under AI Act Art 6(1)";
        add_duty("The AI Act's pre-determined changes concern only high-risk AI systems. ");
      }
      break;
    case Route::kUseChange:
      if (ai_act_applies) {
        out.actions.push_back(
            MakeAction("EU", "new-conformity-assessment", "Regulation (EU) 2024/1689 Art 43(4) and Art 3(23)",
                       not_authorized + "A change of intended purpose is a substantial modification: the AI "
                                        "system undergoes a new conformity assessment.",
                       kSecondary));
      }
      add_duty(not_authorized +
               "A change of indication or intended purpose is outside the pre-determined changes: ");
      break;
    case Route::kMinorRevision:
      out.actions.push_back(
          MakeAction("EU", "document-in-qms", duty.citation,
                     not_authorized +
                         "A minor revision is not a pre-determined change: document it under the "
                         "quality management system and assess whether it is a change the "
                         "notified body must be told of: " +
                         duty.text,
                     duty.verification));
      break;
    case Route::kFailedEvaluation:
      out.actions.push_back(MakeAction(
          "EU", "do-not-implement",
          ai_act_applies ? "Regulation (EU) 2024/1689 Art 43(4) and Annex IV point 2(f)" : duty.citation,
          not_authorized + EvaluationFailureText(in) + in.FailedSummary(),
          ai_act_applies ? kSecondary : duty.verification));
      add_duty("If it is to be placed on the market anyway: ");
      out.actions.back().explanation += ai_act_too;
      break;
    case Route::kOutOfPlan:
      add_duty(not_authorized + "The change is not a pre-determined change: ");
      out.actions.back().explanation += ai_act_too;
      break;
  }
  if (out.explanation.empty()) {
    out.explanation =
        in.NotEffectiveText("the change is not within the plan", "the plan is not authorised in the EU");
  }
  EuUdi(in, IsIvd(eu_class), &out.actions);
  return out;
}

}  // namespace dossier::pccp::internal
