// The `ai:` checks of the readiness rulebook (data/requirements.tsv): whether
// a dossier's structured AI evidence (dossier.v1.AiInformation) holds the
// facts a rule names - not merely whether a field is filled in.
//
// The rule row decides whether a check applies and how binding it is (source,
// section, binding level, dates); this file only decides the facts. The
// sources below are those a rule row should cite for each check; the binding
// level is the row's (a draft guidance makes an advisory, never a gap).
//
// Checks (the text after "ai:"):
//   datasets                 a dataset with provenance (sources or countries).
//   independent-test         a TEST or EXTERNAL_VALIDATION dataset marked
//                            independentOfTraining.
//   confidence-intervals     every ai.performance entry has a confidence interval.
//   subgroup:G[+G...]        per-subgroup results for each named group G, each
//                            with its sample size. G is an attribute ("sex"), a
//                            comma list of attributes that name one concept
//                            ("race,ethnicity"), a full label
//                            ("ethnicity=asian"), or "*" (any one attribute the
//                            manufacturer reports). An attribute needs results
//                            for at least two of its values - a subgroup
//                            analysis compares groups - and every such result
//                            needs sampleSize > 0. '+' joins groups that are
//                            all required ("sex+age").
//   test-country:C:N         test or external-validation data from country C
//                            (ISO 3166-1 alpha-2, or EU) from at least N sites.
//   reference-standard       every TEST / EXTERNAL_VALIDATION dataset (at least
//                            one) states its reference standard and that it was
//                            established independently of the device
//                            (referenceStandardIndependent true): truth taken
//                            from, or adjudicated with, the device's own output
//                            cannot measure the device.
//   generative:K[,K...]      when ai.generative is true: an evaluation of each
//                            kind K (hallucination, robustness, prompt-injection,
//                            omission, harmful-content, factual-consistency)
//                            with its method and sample size; not-applicable
//                            when the device declares no generative function.
//
// Sources a rule row can cite (checked as noted; see schema/pccp/README.md):
// - subgroup, datasets, reference-standard: Regulation (EU) 2024/1689 (AI Act)
//   Art 10(2) (data governance incl. annotation and examination for biases) and
//   Annex IV point 2(d), 2(g) and 3 - law for AI in MDR/IVDR devices from
//   2 Aug 2028 (Art 113(c) as amended by Regulation (EU) 2026/1744); FDA draft
//   guidance on AI-enabled device software functions (Jan 2025) - advisory only.
// - generative: AI Act Art 15(1) and (3) (declared accuracy: hallucination,
//   omission, factual consistency), Art 15(4) (robustness to errors, faults,
//   inconsistencies), Art 15(5) (resilience to inputs designed to make the model
//   err - prompt injection) - law from the same date. No FDA or HSA text that
//   requires these evaluations was found: no rule should cite one.
//
// Thread-safe; pure functions of their arguments.
#pragma once

#include <string>
#include <string_view>

#include "dossier/v1/dossier.pb.h"

namespace dossier::translate {

// The result of one check, in the readiness item vocabulary.
struct AiEvidenceOutcome {
  std::string status;  // "present" | "missing" | "not-applicable"
  // Why, naming the dossier member (e.g. "ai.performance[3]") where it can.
  std::string detail;
};

// What a check needs from its caller.
struct AiEvidenceContext {
  // Whether a country code (ISO 3166-1 alpha-2) counts as "EU" for
  // test-country:EU; readiness owns that list. Null: only "EU" itself.
  bool (*is_eu_country)(std::string_view country) = nullptr;
};

// Evaluates `check` (the text after "ai:") against dossier.ai. An unknown check
// is "missing" with a detail naming it, so a typo in the rulebook shows.
AiEvidenceOutcome CheckAiEvidence(const v1::Dossier& dossier, std::string_view check,
                                  const AiEvidenceContext& context = {});

}  // namespace dossier::translate
