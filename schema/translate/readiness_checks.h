// The readiness checks that read structured facts rather than a section or a
// field: routes (HSA, EU, FDA), the HSA reference approvals and safety record,
// the linked change plan and the justified omissions. Used by readiness.cc
// for the `hsa:`, `eu:route`, `eu:eudamed-registration`, `fda:pathway`,
// `plan:` and `omissions` checks of data/requirements.tsv.
//
// Pure functions of their arguments; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "dossier/v1/change_plan.pb.h"
#include "dossier/v1/dossier.pb.h"

namespace dossier::translate {

// One evaluated check: "present" | "missing" | "not-applicable", and why.
struct CheckOutcome {
  std::string status;
  std::string detail;
};

// The device class under `agency` ("FDA", "EU", "HSA"): "I", "II", "III" (FDA); "I", "IIa", "IIb",
// "III", "A".."D" (EU, MDR or IVDR); "A".."D" (HSA); "" when not recorded.
std::string AgencyClass(const v1::Dossier& d, std::string_view agency);

// `arg`: route | reference-approvals | approval-documents | safety-declaration.
// `risk_class` "A".."D" or "", `pathway` the HSA route asked for, `as_of`
// "YYYY-MM-DD".
CheckOutcome CheckHsa(const v1::Dossier& d, const std::string& arg, const std::string& risk_class,
                      const std::string& pathway, std::string_view as_of);

// `arg`: linked | authorized:<Jurisdiction>. `plan` is the plan ai.changePlan
// names as the caller resolved it (null: not found).
CheckOutcome CheckChangePlan(const v1::Dossier& d, const v1::ChangePlan* plan, const std::string& arg);

// Sections declared not applicable, each with its justification.
CheckOutcome CheckOmissions(const v1::Dossier& d);

// Whether `pathway` is a conformity assessment route for the EU class.
CheckOutcome CheckEuRoute(const v1::Dossier& d, const std::string& pathway);

// Whether the dossier states every value the EUDAMED device registration
// (Basic UDI-DI and UDI-DI data, MDR Art 29 / IVDR Art 26) needs: present, or
// missing with each gap of EudamedRegistrationGaps (path: what is lacking).
CheckOutcome CheckEudamedRegistration(const v1::Dossier& d);

// Whether `pathway` fits the US class `us_class` ("I", "II", "III" or "").
CheckOutcome CheckFdaPathway(const std::string& us_class, const std::string& pathway);

}  // namespace dossier::translate
