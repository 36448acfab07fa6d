// Semantic validation of parsed content (after schema/dossier_codec.h).
//
// Contract
// - Each validator returns OK or the FIRST problem found, walking the message
//   in field order. The Status is INVALID_ARGUMENT with a stable `reason` and
//   `field` set to the JSON path (lowerCamelCase) of the offending value,
//   e.g. "sections[2].code", "device.identifiers[0].value".
// - Pure functions of their arguments; thread-safe. The catalog is borrowed.
//
// Reasons used by ValidateDossier
//   missing-field              tocEdition, device.tradeName, identifiers[i].type/.value,
//                              sections[i].code, documents[j].digest/.mediaType
//   unknown-toc-edition        tocEdition not in the catalog
//   unknown-toc-code           sections[i].code not a heading of the edition
//   duplicate-section          a code given twice
//   chapter-has-documents      a chapter row ("3", "6A") holds documents (chapters hold only sub-folders)
//   bad-digest                 not "sha256:" + 64 lowercase hex digits
//   bad-media-type             not "type/subtype"
//   bad-udi-di                 GS1 UDI-DI: not 8/12/13/14 digits or wrong GS1 check digit
//   bad-product-code           FDA product code: not three upper-case letters
//   bad-emdn-code              EMDN: not a letter followed by 0-7 pairs of digits
//   bad-510k-number            "K" + 6 digits
//   bad-de-novo-number         "DEN" + 6 digits
//   bad-pma-number             "P" + 6 digits, optional "/S" + 3 digits
//   bad-hde-number             "H" + 6 digits
//   bad-srn                    "CC-RR-nnnnnnnnn", RR one of MF AR IM PR SP
//   bad-notified-body-number   4 digits
//   bad-duns                   9 digits
//   bad-regulation-number      US regulation "8xx.nnnn"
//   bad-country                ISO 3166-1 alpha-2 shape (two upper-case letters)
//   bad-date                   not "YYYY-MM-DD"
//   samd-category-mismatch     classifications.samd.category differs from the N12 table
//   bad-eu-class               IVDR class on an MDR device or vice versa
//   bad-eu-rule                rule outside Annex VIII (MDR 1-22, IVDR 1-7)
//   bad-predicate-number       regional.us predicate not a 510(k), De Novo or PMA number
//   bad-size                   negative document sizeBytes
//   bad-proportion             a fraction outside [0, 1] (also a CI level outside (0, 1))
//   bad-confidence-interval    lower > upper, or value outside [lower, upper]
//   duplicate-dataset-id       ai.datasets ids repeat
//   unknown-dataset-id         ai.performance[i].datasetId names no listed dataset
//   bad-count                  negative dataset counts
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "dossier/v1/change_plan.pb.h"
#include "dossier/v1/decision.pb.h"
#include "dossier/v1/dossier.pb.h"
#include "schema/toc.h"

namespace dossier::schema {

// Checks `dossier` against the hub schema and the ToC editions in `catalog`.
Status ValidateDossier(const v1::Dossier& dossier, const TocCatalog& catalog);

// Every document digest referenced by `dossier` (section documents, the EU DoC,
// the signed Form FDA 3674, reference-approval documents, dataset datasheets), deduplicated and
// sorted. The blobs that must exist before a version can be committed.
std::vector<std::string> ReferencedDigests(const v1::Dossier& dossier);

// Checks a change plan. Reasons: missing-field (modifications[i].id/.type,
// criteria[i].modificationId/.metric, authorizations[i].jurisdiction),
// duplicate-modification-id, unknown-modification-id (criteria[i].modificationId
// or traceability[i].modificationId naming no modification), missing-threshold
// (neither min nor max), bad-threshold (min > max; field criteria[i].min, or a
// CI_LOWER_BOUND criterion without min / CI_UPPER_BOUND without max; field
// criteria[i].estimate), bad-proportion (proportion criterion with min/max
// outside [0, 1]; field criteria[i].min / .max), undefined-metric
// (criteria[i].metric not listed in protocol.performanceEvaluation.metrics),
// duplicate-criterion (same modificationId, metric, subgroup and estimate
// twice; field criteria[i]), bad-date.
// A proportion criterion is one marked `proportion` or whose metric is a
// proportion by definition (IsProportionMetric): "sensitivity" with min 1.7 is
// rejected whether or not the plan says proportion. bad-threshold also covers a
// negative maxWorseningFromOriginal (field criteria[i].maxWorseningFromOriginal).
//
// The three components of a PCCP (FDA PCCP guidance for AI-enabled device
// software functions, final 4 Dec 2024: Description of Modifications,
// Modification Protocol, Impact Assessment) must be there, because a plan
// missing one cannot be authorised and no change can be executed "in
// accordance with" it (FD&C Act 515C):
// - missing-acceptance-criteria: a modification no criterion names (field
//   modifications[i]); without criteria a modification would pass unmeasured.
// - incomplete-protocol: protocol.dataManagement, .performanceEvaluation
//   (.description, .metrics, .testData), .updateProcedures, and .retraining
//   when any modification is of type PERFORMANCE (re-training); field is the
//   missing member's path.
// - incomplete-impact-assessment: impactAssessment.comparisonToCurrent,
//   .benefitsAndRisks, .riskMitigation, .verificationAndValidation,
//   .cumulativeImpact, and .interactions when the plan has more than one
//   modification.
// - missing-field device.softwareVersion: the originally authorised version
//   every modification (and the cumulative check) is measured against.
Status ValidateChangePlan(const v1::ChangePlan& plan);

// True for metrics that are proportions by definition (sensitivity,
// specificity, PPV, NPV, accuracy, AUC, true/false positive/negative rates,
// precision, recall, F1), compared case-insensitively ignoring '-', '_' and
// spaces. Such thresholds and measured values must lie in [0, 1].
bool IsProportionMetric(std::string_view metric);

// Checks a decision. Reasons: missing-field (submission, outcome,
// sections[i].code), unknown-toc-edition (tocEdition set but unknown),
// unknown-toc-code (a section code that is a heading of no edition, or not of
// tocEdition when set), duplicate-section, bad-date (date, validUntil),
// bad-digest (documents, sections[i].digest when set).
Status ValidateDecision(const v1::Decision& decision, const TocCatalog& catalog);

// Format predicates shared with the regional translators.
bool IsValidDigest(std::string_view digest);  // "sha256:" + 64 lowercase hex
bool IsValidGs1Gtin(std::string_view value);  // 8/12/13/14 digits with a valid check digit
bool IsValidFdaProductCode(std::string_view value);
bool IsValidEmdnCode(std::string_view value);
bool IsValidSrn(std::string_view value);
bool IsValidIsoDate(std::string_view value);  // YYYY-MM-DD, month 01-12, day 01-31

}  // namespace dossier::schema
