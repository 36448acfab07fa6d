#include "schema/pccp/post_market.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "schema/pccp/json_reader.h"
#include "schema/validate.h"

namespace dossier::pccp {
namespace {

using internal::ElementPath;
using internal::FormatMargin;
using internal::FormatNumber;
using internal::ObjectReader;

constexpr const char* kBad = "bad-performance-report";

// IMDRF AE codes: an annex letter A-G followed by digit groups (A09, A090803, G0200802).
bool IsAeCodeShape(std::string_view code) {
  if (code.size() < 3 || code[0] < 'A' || code[0] > 'G') return false;
  return std::all_of(code.begin() + 1, code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

StatusOr<PostMarketResult> ParseResult(const boost::json::value& v, const std::string& path) {
  if (!v.is_object()) return InvalidArgument(path + ": must be an object", kBad, path);
  ObjectReader r(v.as_object(), path, kBad);
  // The sample size is "sampleSize" in records, reports and dossiers alike
  // (plans: "minSampleSize"); the old short name is refused by name so a
  // pipeline written against it learns the new one.
  if (v.as_object().contains("n")) return r.Error("n", "is not a member: the sample size is \"sampleSize\"");
  DOSSIER_RETURN_IF_ERROR(
      r.CheckMembers({"metric", "subgroup", "site", "value", "ciLower", "ciUpper", "sampleSize"}));
  PostMarketResult m;
  DOSSIER_ASSIGN_OR_RETURN(m.metric, r.RequiredString("metric"));
  DOSSIER_ASSIGN_OR_RETURN(m.subgroup, r.OptionalString("subgroup"));
  DOSSIER_ASSIGN_OR_RETURN(m.site, r.OptionalString("site"));
  DOSSIER_ASSIGN_OR_RETURN(m.value, r.RequiredNumber("value"));
  DOSSIER_ASSIGN_OR_RETURN(m.ci_lower, r.OptionalNumber("ciLower"));
  DOSSIER_ASSIGN_OR_RETURN(m.ci_upper, r.OptionalNumber("ciUpper"));
  DOSSIER_ASSIGN_OR_RETURN(m.n, r.OptionalCount("sampleSize"));
  if (m.ci_lower && *m.ci_lower > m.value) return r.Error("ciLower", "exceeds value");
  if (m.ci_upper && *m.ci_upper < m.value) return r.Error("ciUpper", "is below value");
  return m;
}

StatusOr<AdverseEvent> ParseEvent(const boost::json::value& v, const std::string& path) {
  if (!v.is_object()) return InvalidArgument(path + ": must be an object", kBad, path);
  ObjectReader r(v.as_object(), path, kBad);
  DOSSIER_RETURN_IF_ERROR(r.CheckMembers({"code", "term", "count", "description"}));
  AdverseEvent e;
  DOSSIER_ASSIGN_OR_RETURN(e.code, r.RequiredString("code"));
  if (!IsAeCodeShape(e.code)) return r.Error("code", "is not an IMDRF AE code (annex letter A-G and digits)");
  DOSSIER_ASSIGN_OR_RETURN(e.term, r.OptionalString("term"));
  DOSSIER_ASSIGN_OR_RETURN(e.description, r.OptionalString("description"));
  DOSSIER_ASSIGN_OR_RETURN(std::optional<int64_t> count, r.OptionalCount("count"));
  if (count) {
    if (*count == 0) return r.Error("count", "must be at least 1");
    e.count = *count;
  }
  return e;
}

// The binding point-estimate bounds for one (metric, subgroup), plus the
// CI-bound criteria and sample-size requirement that only warn.
struct Bound {
  std::optional<double> min, max;
  std::optional<double> ci_lower_min, ci_upper_max;
  uint32_t min_n = 0;
  std::string criteria;  // "criteria[0], criteria[4]"
};

using Key = std::pair<std::string, std::string>;  // metric, subgroup

// Keys in plan order (std::vector keeps determinism obvious).
std::vector<std::pair<Key, Bound>> Bounds(const v1::ChangePlan& plan, const std::string& modification_id) {
  std::vector<std::pair<Key, Bound>> out;
  for (int i = 0; i < plan.criteria_size(); ++i) {
    const auto& c = plan.criteria(i);
    if (!modification_id.empty() && c.modification_id() != modification_id) continue;
    const Key key{c.metric(), c.subgroup()};
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == key; });
    if (it == out.end()) {
      out.push_back({key, Bound{}});
      it = out.end() - 1;
    }
    Bound& b = it->second;
    b.criteria += (b.criteria.empty() ? "" : ", ") + ("criteria[" + std::to_string(i) + "]");
    b.min_n = std::max(b.min_n, c.min_sample_size());
    auto raise = [](std::optional<double>& cur, double v) { cur = cur ? std::max(*cur, v) : v; };
    auto lower = [](std::optional<double>& cur, double v) { cur = cur ? std::min(*cur, v) : v; };
    switch (c.estimate()) {
      case v1::AcceptanceCriterion::CI_LOWER_BOUND:
        if (c.has_min()) raise(b.ci_lower_min, c.min());
        break;
      case v1::AcceptanceCriterion::CI_UPPER_BOUND:
        if (c.has_max()) lower(b.ci_upper_max, c.max());
        break;
      default:
        if (c.has_min()) raise(b.min, c.min());
        if (c.has_max()) lower(b.max, c.max());
        break;
    }
  }
  return out;
}

std::string Stratum(const std::string& metric, const std::string& subgroup, const std::string& site) {
  std::string s = metric + " for " + (subgroup.empty() ? std::string("the whole population") : subgroup);
  if (!site.empty()) s += " at site " + site;
  return s;
}

}  // namespace

const std::string* AeTermCatalog::Find(std::string_view code) const {
  auto it = terms.find(code);
  return it == terms.end() ? nullptr : &it->second;
}

StatusOr<AeTermCatalog> ParseImdrfAeTerms(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_array()) return InvalidArgument("IMDRF AE terms must be a JSON array", "bad-ae-terms");
  AeTermCatalog out;
  for (const auto& e : v.as_array()) {
    const auto* o = e.if_object();
    if (o == nullptr) continue;
    const auto* code = o->if_contains("code");
    const auto* term = o->if_contains("term");
    if (code == nullptr || !code->is_string() || term == nullptr || !term->is_string()) continue;
    out.terms.emplace(std::string(code->as_string()), std::string(term->as_string()));
  }
  if (out.terms.empty()) return InvalidArgument("no IMDRF AE terms found", "bad-ae-terms");
  return out;
}

StatusOr<PerformanceReport> ParsePerformanceReport(std::string_view json) {
  DOSSIER_ASSIGN_OR_RETURN(boost::json::object root, internal::ParseObject(json, kBad));
  ObjectReader r(root, "", kBad);
  DOSSIER_RETURN_IF_ERROR(r.CheckMembers({"softwareVersion", "modificationId", "periodStart", "periodEnd",
                                          "labelLagDays", "results", "adverseEvents"}));
  PerformanceReport rep;
  DOSSIER_ASSIGN_OR_RETURN(rep.software_version, r.RequiredString("softwareVersion"));
  DOSSIER_ASSIGN_OR_RETURN(rep.modification_id, r.OptionalString("modificationId"));
  DOSSIER_ASSIGN_OR_RETURN(rep.period_start, r.RequiredString("periodStart"));
  if (!schema::IsValidIsoDate(rep.period_start)) return r.Error("periodStart", "must be YYYY-MM-DD");
  DOSSIER_ASSIGN_OR_RETURN(rep.period_end, r.RequiredString("periodEnd"));
  if (!schema::IsValidIsoDate(rep.period_end)) return r.Error("periodEnd", "must be YYYY-MM-DD");
  // ISO dates compare correctly as strings.
  if (rep.period_end < rep.period_start) return r.Error("periodEnd", "is before periodStart");
  DOSSIER_ASSIGN_OR_RETURN(rep.label_lag_days, r.OptionalCount("labelLagDays"));
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::array* results, r.OptionalArray("results"));
  if (results == nullptr) return r.Error("results", "is required");
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (size_t i = 0; i < results->size(); ++i) {
    const std::string path = ElementPath("results", i);
    DOSSIER_ASSIGN_OR_RETURN(PostMarketResult m, ParseResult((*results)[i], path));
    if (!seen.emplace(m.metric, m.subgroup, m.site).second) {
      return InvalidArgument(path + ": a second result for the same metric, subgroup and site", kBad, path);
    }
    rep.results.push_back(std::move(m));
  }
  DOSSIER_ASSIGN_OR_RETURN(const boost::json::array* events, r.OptionalArray("adverseEvents"));
  if (events != nullptr) {
    for (size_t i = 0; i < events->size(); ++i) {
      DOSSIER_ASSIGN_OR_RETURN(AdverseEvent e, ParseEvent((*events)[i], ElementPath("adverseEvents", i)));
      rep.adverse_events.push_back(std::move(e));
    }
  }
  return rep;
}

StatusOr<PerformanceEvaluation> EvaluatePerformance(const v1::ChangePlan& plan,
                                                    const PerformanceReport& report,
                                                    const AeTermCatalog* ae_terms) {
  DOSSIER_RETURN_IF_ERROR(schema::ValidateChangePlan(plan));
  for (size_t j = 0; j < report.results.size(); ++j) {
    const PostMarketResult& r = report.results[j];
    DOSSIER_RETURN_IF_ERROR(internal::CheckProportionValues(
        plan, r.metric, {{r.value, "value"}, {r.ci_lower, "ciLower"}, {r.ci_upper, "ciUpper"}},
        ElementPath("results", j), kBad));
  }
  PerformanceEvaluation ev;
  ev.software_version = report.software_version;
  ev.period_start = report.period_start;
  ev.period_end = report.period_end;
  auto flag = [&](std::string code, bool drift, const PostMarketResult* r, const std::string& metric,
                  const std::string& subgroup, std::string field, std::string explanation) {
    ev.flags.push_back({std::move(code), drift, metric, subgroup, r ? r->site : std::string(),
                        report.period_end, std::move(field), std::move(explanation)});
    ev.drift |= drift;
  };

  const auto bounds = Bounds(plan, report.modification_id);
  for (size_t j = 0; j < report.results.size(); ++j) {
    const PostMarketResult& r = report.results[j];
    const std::string path = ElementPath("results", j);
    auto it = std::find_if(bounds.begin(), bounds.end(), [&](const auto& p) {
      return p.first == Key{r.metric, r.subgroup};
    });
    if (it == bounds.end()) continue;  // the plan sets no threshold for this stratum
    const Bound& b = it->second;
    const std::string what = Stratum(r.metric, r.subgroup, r.site);

    Finding f;
    f.metric = r.metric;
    f.subgroup = r.subgroup;
    f.site = r.site;
    f.value = r.value;
    f.point = r.value;
    f.ci_lower = r.ci_lower;
    f.ci_upper = r.ci_upper;
    f.n = r.n;
    if (b.min_n > 0) f.min_n = b.min_n;
    f.threshold_min = b.min;
    f.threshold_max = b.max;
    f.criterion_path = b.criteria;
    f.result_path = path;
    f.pass = true;
    if (b.min && r.value < *b.min) {
      f.pass = false;
      f.failure = "below-min";
      f.explanation = what + ": " + FormatNumber(r.value) + " in " + report.period_start + "/" +
                      report.period_end + " is below the plan's minimum " + FormatNumber(*b.min) + " (" +
                      b.criteria + ", " + FormatMargin(r.value - *b.min) + ")";
      flag("below-threshold", true, &r, r.metric, r.subgroup, path, f.explanation);
    } else if (b.max && r.value > *b.max) {
      f.pass = false;
      f.failure = "above-max";
      f.explanation = what + ": " + FormatNumber(r.value) + " in " + report.period_start + "/" +
                      report.period_end + " exceeds the plan's maximum " + FormatNumber(*b.max) + " (" +
                      b.criteria + ", +" + FormatMargin(r.value - *b.max) + ")";
      flag("above-threshold", true, &r, r.metric, r.subgroup, path, f.explanation);
    } else if (!b.min && !b.max) {
      // Only confidence-bound criteria: no point threshold to drift below.
      f.explanation = what + ": " + FormatNumber(r.value) + " (the plan sets only confidence-bound criteria)";
    } else {
      f.explanation =
          what + ": " + FormatNumber(r.value) + " meets the plan's thresholds (" + b.criteria + ")";
    }
    // Warnings: the interval reaches past the threshold, or a CI criterion of
    // the plan would not be met; too few cases to judge.
    const std::optional<double> lower_bar = b.ci_lower_min ? b.ci_lower_min : b.min;
    if (f.pass && lower_bar && r.ci_lower && *r.ci_lower < *lower_bar) {
      flag("ci-crosses-threshold", false, &r, r.metric, r.subgroup, path + ".ciLower",
           what + ": lower confidence bound " + FormatNumber(*r.ci_lower) + " is below " +
               FormatNumber(*lower_bar));
    }
    const std::optional<double> upper_bar = b.ci_upper_max ? b.ci_upper_max : b.max;
    if (f.pass && upper_bar && r.ci_upper && *r.ci_upper > *upper_bar) {
      flag("ci-crosses-threshold", false, &r, r.metric, r.subgroup, path + ".ciUpper",
           what + ": upper confidence bound " + FormatNumber(*r.ci_upper) + " is above " +
               FormatNumber(*upper_bar));
    }
    if (b.min_n > 0 && (!r.n || *r.n < b.min_n)) {
      flag("insufficient-sample-size", false, &r, r.metric, r.subgroup, path + ".sampleSize",
           what + ": " + (r.n ? std::to_string(*r.n) : std::string("an unstated number of")) +
               " cases; the plan requires at least " + std::to_string(b.min_n) + " to judge this stratum");
    }
    ev.findings.push_back(std::move(f));
  }
  // A stratum the plan guards but the report leaves out hides exactly the
  // subgroup gaps aggregate metrics miss.
  for (const auto& [key, b] : bounds) {
    // A named copy: clang 14 cannot capture structured bindings in lambdas.
    const auto& stratum = key;
    const bool reported = std::any_of(report.results.begin(), report.results.end(), [&](const auto& r) {
      return r.metric == stratum.first && r.subgroup == stratum.second;
    });
    if (!reported) {
      flag("not-reported", false, nullptr, key.first, key.second, "results",
           Stratum(key.first, key.second, "") + " is not reported (" + b.criteria + " sets a threshold)");
    }
  }
  if (report.label_lag_days && *report.label_lag_days > 0) {
    flag("provisional-labels", false, nullptr, "", "", "labelLagDays",
         "outcome labels arrive " + std::to_string(*report.label_lag_days) +
             " days late: results for the end of the period are provisional");
  }
  for (size_t i = 0; i < report.adverse_events.size(); ++i) {
    AdverseEvent e = report.adverse_events[i];
    if (ae_terms != nullptr) {
      const std::string* term = ae_terms->Find(e.code);
      if (term == nullptr) {
        flag("unknown-ae-code", false, nullptr, "", "", ElementPath("adverseEvents", i) + ".code",
             "\"" + e.code + "\" is not an IMDRF AE term");
      } else if (e.term.empty()) {
        e.term = *term;
      }
    }
    ev.adverse_events.push_back(std::move(e));
  }
  return ev;
}

StatusOr<SeriesEvaluation> EvaluatePerformanceSeries(const v1::ChangePlan& plan,
                                                     std::vector<PerformanceReport> reports,
                                                     const SeriesOptions& options,
                                                     const AeTermCatalog* ae_terms) {
  // Report indices before sorting, so an error names the caller's element.
  std::vector<size_t> order(reports.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return reports[a].period_start < reports[b].period_start; });
  for (size_t k = 1; k < order.size(); ++k) {
    if (reports[order[k]].period_start == reports[order[k - 1]].period_start) {
      const std::string field = ElementPath("reports", order[k]) + ".periodStart";
      return InvalidArgument(
          field + ": a second report for period starting " + reports[order[k]].period_start, kBad, field);
    }
  }
  SeriesEvaluation out;
  for (size_t idx : order) {
    DOSSIER_ASSIGN_OR_RETURN(PerformanceEvaluation pe, EvaluatePerformance(plan, reports[idx], ae_terms));
    out.periods.push_back(std::move(pe));
  }
  if (out.periods.empty()) return out;
  out.drift = out.periods.back().drift;

  // Strata in order of first appearance.
  std::vector<std::tuple<std::string, std::string, std::string>> strata;
  for (const auto& p : out.periods) {
    for (const auto& f : p.findings) {
      auto key = std::make_tuple(f.metric, f.subgroup, f.site);
      if (std::find(strata.begin(), strata.end(), key) == strata.end()) strata.push_back(key);
    }
  }
  for (const auto& [metric, subgroup, site] : strata) {
    // The stratum's finding in each period (null when not reported).
    std::vector<const Finding*> seq;
    for (const auto& p : out.periods) {
      const Finding* hit = nullptr;
      for (const auto& f : p.findings) {
        if (f.metric == metric && f.subgroup == subgroup && f.site == site) hit = &f;
      }
      seq.push_back(hit);
    }
    const std::string what = Stratum(metric, subgroup, site);
    const std::string& last_end = out.periods.back().period_end;
    int failing = 0;
    for (auto it = seq.rbegin(); it != seq.rend() && *it != nullptr && !(*it)->pass; ++it) ++failing;
    if (options.persistent_periods > 0 && failing >= options.persistent_periods) {
      out.flags.push_back({"persistent-drift", true, metric, subgroup, site, last_end, "",
                           what + " has failed the plan's threshold in the last " + std::to_string(failing) +
                               " consecutive periods"});
      out.drift = true;
    }
    // Trend towards the threshold: falling for a minimum, rising for a maximum.
    if (options.trend_periods >= 2 && static_cast<int>(seq.size()) >= options.trend_periods) {
      bool worsening = true;
      std::string values;
      for (int k = static_cast<int>(seq.size()) - options.trend_periods; k < static_cast<int>(seq.size());
           ++k) {
        const Finding* f = seq[k];
        if (f == nullptr || (!f->threshold_min && !f->threshold_max)) {
          worsening = false;
          break;
        }
        values += (values.empty() ? "" : " -> ") + FormatNumber(f->value);
        if (k == static_cast<int>(seq.size()) - options.trend_periods) continue;
        const Finding* prev = seq[k - 1];
        if (prev == nullptr) {
          worsening = false;
          break;
        }
        const bool step = f->threshold_min ? f->value < prev->value : f->value > prev->value;
        worsening = worsening && step;
      }
      if (worsening) {
        out.flags.push_back({"declining-trend", false, metric, subgroup, site, last_end, "",
                             what + " has moved towards the plan's threshold for " +
                                 std::to_string(options.trend_periods) + " periods: " + values});
      }
    }
  }
  return out;
}

namespace {

boost::json::object FlagToJson(const DriftFlag& f) {
  boost::json::object o{{"code", f.code}, {"drift", f.drift}, {"metric", f.metric}, {"subgroup", f.subgroup}};
  if (!f.site.empty()) o["site"] = f.site;
  o["periodEnd"] = f.period_end;
  if (!f.field.empty()) o["field"] = f.field;
  o["explanation"] = f.explanation;
  return o;
}

}  // namespace

boost::json::object PerformanceEvaluationToJson(const PerformanceEvaluation& e) {
  boost::json::object o;
  o["softwareVersion"] = e.software_version;
  o["periodStart"] = e.period_start;
  o["periodEnd"] = e.period_end;
  o["drift"] = e.drift;
  boost::json::array findings, flags, events;
  for (const auto& f : e.findings) findings.emplace_back(FindingToJson(f));
  for (const auto& f : e.flags) flags.emplace_back(FlagToJson(f));
  for (const auto& a : e.adverse_events) {
    boost::json::object ao{{"code", a.code}, {"term", a.term}, {"count", a.count}};
    if (!a.description.empty()) ao["description"] = a.description;
    events.emplace_back(std::move(ao));
  }
  o["findings"] = std::move(findings);
  o["flags"] = std::move(flags);
  o["adverseEvents"] = std::move(events);
  return o;
}

boost::json::object SeriesEvaluationToJson(const SeriesEvaluation& e) {
  boost::json::object o;
  o["drift"] = e.drift;
  boost::json::array periods, flags;
  for (const auto& p : e.periods) periods.emplace_back(PerformanceEvaluationToJson(p));
  for (const auto& f : e.flags) flags.emplace_back(FlagToJson(f));
  o["flags"] = std::move(flags);
  o["periods"] = std::move(periods);
  return o;
}

}  // namespace dossier::pccp
