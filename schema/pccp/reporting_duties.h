// The reporting duties a post-market performance drift may trigger, per
// jurisdiction, as cited data (issue 16 item 6). A drift alert names them so
// that the manufacturer and each regulator see which clocks may have started;
// whether a duty applies is a judgement on the events behind the drift
// (causality, severity), which the alert does not make.
//
// Contract
// - Each duty carries its source, section, binding level, the deadline as the
//   source states it, a short quotation of the source text, and how it was
//   verified ("verified: <where>" or "unverified: <why>").
// - Data compiled in; pure functions; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::pccp {

struct ReportingDuty {
  std::string jurisdiction;  // "US", "EU", "SG"
  std::string id;            // stable: "us-803-30-day", "eu-art88-trend", ...
  std::string title;
  std::string source;        // "21 CFR", "Regulation (EU) 2017/745 (MDR)", ...
  std::string section;       // "803.50(a)", "Article 87(3)", ...
  std::string binding;       // law | regulation | final-guidance | ...
  std::string deadline;      // as the source words it
  std::string trigger;       // when the duty applies (why a drift may trigger it)
  std::string quote;         // the source text the deadline comes from (abridged with "…")
  std::string verification;  // "verified: ..." | "unverified: ..."
};

// The duties of `jurisdiction` ("US", "EU", "SG"; others: none), in source order.
std::vector<ReportingDuty> ReportingDutiesFor(std::string_view jurisdiction);

// [{"jurisdiction", "id", "title", "source", "section", "binding", "deadline",
//   "trigger", "quote", "verification", "verified"}]
boost::json::array ReportingDutiesToJson(const std::vector<ReportingDuty>& duties);

}  // namespace dossier::pccp
