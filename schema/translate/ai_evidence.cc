#include "schema/translate/ai_evidence.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>
#include <vector>

#include "common/strings.h"

namespace dossier::translate {
namespace {

using Outcome = AiEvidenceOutcome;

Outcome Present(std::string detail) { return {"present", std::move(detail)}; }
Outcome Missing(std::string detail) { return {"missing", std::move(detail)}; }

std::string Lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Indexed(const char* array, int i) { return std::string(array) + "[" + std::to_string(i) + "]"; }

// "sex=female" -> "sex"; "age>=65" -> "age"; "" for an overall result.
std::string AttributeOf(const std::string& label) {
  return Lowered(label.substr(0, label.find_first_of("<>=")));
}

bool IsTestSet(const v1::Dataset& d) {
  return d.purpose() == v1::Dataset::TEST || d.purpose() == v1::Dataset::EXTERNAL_VALIDATION;
}

std::string Join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

Outcome Datasets(const v1::AiInformation& ai) {
  for (const auto& ds : ai.datasets()) {
    if (ds.provenance().sources_size() > 0 || ds.provenance().countries_size() > 0)
      return Present("ai.datasets");
  }
  return Missing("no dataset with provenance in ai.datasets");
}

Outcome IndependentTest(const v1::AiInformation& ai) {
  for (const auto& ds : ai.datasets()) {
    if (IsTestSet(ds) && ds.independent_of_training())
      return Present("dataset " + ds.id() + " independent of training");
  }
  return Missing("no test dataset marked independentOfTraining");
}

Outcome ConfidenceIntervals(const v1::AiInformation& ai) {
  if (ai.performance_size() == 0) return Missing("no performance metrics in ai.performance");
  for (int i = 0; i < ai.performance_size(); ++i) {
    if (!ai.performance(i).has_confidence_interval())
      return Missing(Indexed("ai.performance", i) + " has no confidence interval");
  }
  return Present("every metric has a confidence interval");
}

Outcome TestCountry(const v1::AiInformation& ai, const std::string& want, int min_sites,
                    const AiEvidenceContext& context) {
  int sites = 0;
  bool country_seen = false;
  for (const auto& ds : ai.datasets()) {
    if (!IsTestSet(ds)) continue;
    for (const auto& c : ds.provenance().countries()) {
      if (c == want || (want == "EU" && context.is_eu_country != nullptr && context.is_eu_country(c))) {
        country_seen = true;
        // Sites are counted per dataset; a dataset naming several countries
        // cannot say how many of its sites are where, so count it once.
        sites += ds.provenance().countries_size() == 1 ? std::max(1, ds.provenance().site_count()) : 1;
        break;
      }
    }
  }
  if (country_seen && sites >= min_sites) return Present(std::to_string(sites) + " test site(s) in " + want);
  if (country_seen) {
    return Missing("only " + std::to_string(sites) + " test site(s) in " + want + ", " +
                   std::to_string(min_sites) + " wanted");
  }
  return Missing("no test or external-validation dataset from " + want);
}

// One alternative of a subgroup group: an attribute or a full label. Returns
// "" when the performance results satisfy it, else what is missing.
std::string SubgroupGap(const v1::AiInformation& ai, const std::string& alternative) {
  const bool label = alternative.find_first_of("<>=") != std::string::npos;
  const std::string want = Lowered(alternative);
  std::set<std::string> values;
  std::vector<std::string> without_n;
  for (int i = 0; i < ai.performance_size(); ++i) {
    const auto& m = ai.performance(i);
    const std::string subgroup = Lowered(m.subgroup());
    if (subgroup.empty() || (label ? subgroup != want : AttributeOf(subgroup) != want)) continue;
    values.insert(subgroup);
    if (m.sample_size() <= 0) without_n.push_back(Indexed("ai.performance", i) + " (" + m.subgroup() + ")");
  }
  if (values.empty()) return "no result for " + alternative;
  if (!without_n.empty()) return alternative + " results without a sample size: " + Join(without_n, ", ");
  if (!label && values.size() < 2) {
    return alternative + " results only for " + *values.begin() +
           " (a subgroup analysis needs at least two groups)";
  }
  return "";
}

Outcome Subgroups(const v1::AiInformation& ai, const std::string& spec) {
  std::vector<std::string> found, gaps;
  for (const std::string& group : Split(spec, '+')) {
    std::vector<std::string> alternatives;
    if (group == "*") {
      std::set<std::string> attributes;
      for (const auto& m : ai.performance()) {
        if (!m.subgroup().empty()) attributes.insert(AttributeOf(m.subgroup()));
      }
      alternatives.assign(attributes.begin(), attributes.end());
      if (alternatives.empty()) {
        gaps.push_back("no subgroup results in ai.performance");
        continue;
      }
    } else {
      alternatives = Split(group, ',');
    }
    std::vector<std::string> group_gaps;
    bool met = false;
    for (const std::string& alternative : alternatives) {
      const std::string gap = SubgroupGap(ai, alternative);
      if (gap.empty()) {
        met = true;
        found.push_back(alternative);
        break;
      }
      group_gaps.push_back(gap);
    }
    if (!met) gaps.push_back(Join(group_gaps, "; "));
  }
  if (!gaps.empty()) return Missing(Join(gaps, "; "));
  return Present("subgroup results with sample sizes for " + Join(found, ", "));
}

Outcome ReferenceStandard(const v1::AiInformation& ai) {
  std::vector<std::string> gaps;
  int test_sets = 0;
  for (int i = 0; i < ai.datasets_size(); ++i) {
    const auto& ds = ai.datasets(i);
    if (!IsTestSet(ds)) continue;
    ++test_sets;
    const std::string where = Indexed("ai.datasets", i) + " (" + ds.id() + ")";
    if (ds.reference_standard().empty()) {
      gaps.push_back(where + " states no reference standard");
    } else if (!ds.has_reference_standard_independent()) {
      gaps.push_back(where + " does not state whether its reference standard is independent of the device");
    } else if (!ds.reference_standard_independent()) {
      gaps.push_back(where + " has a reference standard established with the device's own output");
    }
  }
  if (test_sets == 0) return Missing("no TEST or EXTERNAL_VALIDATION dataset in ai.datasets");
  if (!gaps.empty()) return Missing(Join(gaps, "; "));
  return Present("every test dataset states a reference standard independent of the device");
}

Outcome Generative(const v1::AiInformation& ai, const std::string& spec) {
  if (!ai.generative())
    return {"not-applicable", "the device declares no generative function (ai.generative)"};
  static const std::map<std::string, v1::GenerativeEvaluation::Kind, std::less<>> kKinds = {
      {"hallucination", v1::GenerativeEvaluation::HALLUCINATION_RATE},
      {"robustness", v1::GenerativeEvaluation::ROBUSTNESS},
      {"prompt-injection", v1::GenerativeEvaluation::PROMPT_INJECTION_ROBUSTNESS},
      {"omission", v1::GenerativeEvaluation::OMISSION_RATE},
      {"harmful-content", v1::GenerativeEvaluation::HARMFUL_CONTENT_RATE},
      {"factual-consistency", v1::GenerativeEvaluation::FACTUAL_CONSISTENCY}};
  std::vector<std::string> gaps;
  for (const std::string& name : Split(spec, ',')) {
    auto kind = kKinds.find(name);
    if (kind == kKinds.end()) {
      gaps.push_back("unknown generative evaluation kind " + name);
      continue;
    }
    std::string gap = "no " + name + " evaluation in ai.generativeEvaluations";
    for (int i = 0; i < ai.generative_evaluations_size(); ++i) {
      const auto& g = ai.generative_evaluations(i);
      if (g.kind() != kind->second) continue;
      if (!g.method().empty() && g.sample_size() > 0) {
        gap.clear();
        break;
      }
      gap = Indexed("ai.generativeEvaluations", i) + " (" + name + ") gives no " +
            (g.method().empty() ? "method" : "sample size");
    }
    if (!gap.empty()) gaps.push_back(gap);
  }
  if (!gaps.empty()) return Missing(Join(gaps, "; "));
  return Present("generative evaluations with method and sample size: " + spec);
}

}  // namespace

AiEvidenceOutcome CheckAiEvidence(const v1::Dossier& dossier, std::string_view check,
                                  const AiEvidenceContext& context) {
  const v1::AiInformation& ai = dossier.ai();
  const std::vector<std::string> parts = Split(check, ':');
  const std::string& kind = parts[0];
  if (parts.size() == 1) {
    if (kind == "datasets") return Datasets(ai);
    if (kind == "independent-test") return IndependentTest(ai);
    if (kind == "confidence-intervals") return ConfidenceIntervals(ai);
    if (kind == "reference-standard") return ReferenceStandard(ai);
  } else if (parts.size() == 2 && !parts[1].empty()) {
    if (kind == "subgroup") return Subgroups(ai, parts[1]);
    if (kind == "generative") return Generative(ai, parts[1]);
  } else if (parts.size() == 3 && kind == "test-country") {
    const int min_sites = std::atoi(parts[2].c_str());
    if (min_sites > 0) return TestCountry(ai, parts[1], min_sites, context);
  }
  return Missing("unknown ai check " + std::string(check));
}

}  // namespace dossier::translate
