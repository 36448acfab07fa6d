#include "schema/sameness.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "schema/dossier_codec.h"

namespace dossier::schema {
namespace json = boost::json;

namespace {

// Trimmed, with every run of white space as one blank: a re-wrapped
// paragraph is the same text; any other change is not.
std::string Normalised(std::string_view text) {
  std::string out;
  bool blank = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      blank = !out.empty();
      continue;
    }
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

std::set<std::string> NormalisedSet(const std::vector<std::string>& items) {
  std::set<std::string> out;
  for (const auto& i : items) out.insert(Normalised(i));
  return out;
}

json::array ToArray(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& i : items) out.emplace_back(i);
  return out;
}

StatusOr<std::vector<std::string>> StringList(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(key);
  if (!v) return out;
  if (!v->is_array()) return InvalidArgument("is not an array of strings", "bad-facts", std::string(key));
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) return InvalidArgument("is not an array of strings", "bad-facts", std::string(key));
    out.emplace_back(e.as_string());
  }
  return out;
}

}  // namespace

RelianceFacts RelianceFactsOf(const v1::Dossier& dossier) {
  RelianceFacts facts;
  facts.intended_use = dossier.intended_use();
  facts.indications.assign(dossier.indications().begin(), dossier.indications().end());
  facts.patient_population.assign(dossier.patient_population().begin(), dossier.patient_population().end());
  if (dossier.has_classifications()) {
    json::value v = json::parse(MessageToJson(dossier.classifications()));
    if (v.is_object()) facts.classification = std::move(v.as_object());
  }
  return facts;
}

json::object RelianceFactsToJson(const RelianceFacts& facts) {
  return json::object{{"intendedUse", facts.intended_use},
                      {"indications", ToArray(facts.indications)},
                      {"patientPopulation", ToArray(facts.patient_population)},
                      {"classification", facts.classification}};
}

StatusOr<RelianceFacts> RelianceFactsFromJson(const json::value& value) {
  if (!value.is_object()) return InvalidArgument("facts are not an object", "bad-facts", "facts");
  const json::object& o = value.as_object();
  RelianceFacts facts;
  if (const json::value* v = o.if_contains("intendedUse")) {
    if (!v->is_string()) return InvalidArgument("is not a string", "bad-facts", "intendedUse");
    facts.intended_use = std::string(v->as_string());
  }
  DOSSIER_ASSIGN_OR_RETURN(facts.indications, StringList(o, "indications"));
  DOSSIER_ASSIGN_OR_RETURN(facts.patient_population, StringList(o, "patientPopulation"));
  if (const json::value* v = o.if_contains("classification")) {
    if (!v->is_object()) return InvalidArgument("is not an object", "bad-facts", "classification");
    facts.classification = v->as_object();
  }
  return facts;
}

std::vector<FactComparison> CompareRelianceFacts(const RelianceFacts& ours,
                                                 const std::optional<RelianceFacts>& theirs) {
  std::vector<FactComparison> out;
  auto add = [&](std::string fact, json::value our_value, json::value their_value, bool same) {
    FactComparison c;
    c.fact = std::move(fact);
    c.ours = std::move(our_value);
    if (theirs) {
      c.theirs = std::move(their_value);
      c.same = same;
    }
    out.push_back(std::move(c));
  };
  const RelianceFacts none;
  const RelianceFacts& t = theirs ? *theirs : none;
  add("intendedUse", json::value(ours.intended_use), json::value(t.intended_use),
      Normalised(ours.intended_use) == Normalised(t.intended_use));
  add("indications", ToArray(ours.indications), ToArray(t.indications),
      NormalisedSet(ours.indications) == NormalisedSet(t.indications));
  add("patientPopulation", ToArray(ours.patient_population), ToArray(t.patient_population),
      NormalisedSet(ours.patient_population) == NormalisedSet(t.patient_population));
  // boost::json::object equality compares members regardless of order.
  add("classification", ours.classification, t.classification, ours.classification == t.classification);
  return out;
}

json::object SamenessView(const SamenessInput& input) {
  json::object view;
  json::array facts;
  bool any_differs = false, any_unknown = false;
  for (auto& c : CompareRelianceFacts(input.ours, input.theirs)) {
    json::object f{{"fact", c.fact}, {"thisSubmission", std::move(c.ours)}, {"peer", std::move(c.theirs)}};
    if (c.same) {
      f["same"] = *c.same;
      any_differs = any_differs || !*c.same;
    } else {
      f["same"] = nullptr;
      any_unknown = true;
    }
    facts.push_back(std::move(f));
  }
  if (any_differs) {
    view["sameFacts"] = false;
  } else if (any_unknown) {
    view["sameFacts"] = nullptr;
  } else {
    view["sameFacts"] = true;
  }
  view["facts"] = std::move(facts);

  std::map<std::string, const v1::DecisionSection*> reviewed;
  if (input.review) {
    for (const auto& s : input.review->sections()) reviewed[s.code()] = &s;
  }
  std::set<std::string> codes;
  for (const auto& [code, digest] : input.our_sections) codes.insert(code);
  for (const auto& [code, digest] : input.their_sections) codes.insert(code);
  for (const auto& [code, section] : reviewed) codes.insert(code);
  json::array sections;
  size_t identical = 0;
  for (const auto& code : codes) {
    auto a = input.our_sections.find(code);
    auto b = input.their_sections.find(code);
    const bool same =
        a != input.our_sections.end() && b != input.their_sections.end() && a->second == b->second;
    identical += same;
    json::object s{{"code", code}, {"identical", same}};
    if (a == input.our_sections.end()) s["onlyIn"] = "peer";
    if (b == input.their_sections.end() && a != input.our_sections.end()) s["onlyIn"] = "this submission";
    if (auto r = reviewed.find(code); r != reviewed.end()) {
      json::object review{{"outcome", r->second->outcome()}};
      if (!r->second->notes().empty()) review["notes"] = r->second->notes();
      s["peerReview"] = std::move(review);
    }
    sections.push_back(std::move(s));
  }
  view["identicalSections"] = identical;
  view["differentSections"] = codes.size() - identical;
  view["sections"] = std::move(sections);
  if (input.review) {
    json::array conditions;
    for (const auto& c : input.review->conditions()) conditions.emplace_back(c);
    view["conditions"] = std::move(conditions);
    if (!input.review->summary().empty()) view["summary"] = input.review->summary();
  }
  return view;
}

}  // namespace dossier::schema
