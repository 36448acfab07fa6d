// Review clocks computed from a submission's correspondence ledger, as each
// agency counts them: FDA days that stop while an additional-information (AI)
// request is open, HSA working days with stop-clock during queries, notified
// bodies' contractual timelines given as configuration. The rules are data
// (data/clock_rules.tsv, each with source, section, binding level and whether
// it was verified); docs/CORRESPONDENCE.md prints them.
//
// Contract
// - Days are whole UTC days numbered from 1970-01-01 ("YYYY-MM-DD" in JSON).
//   Every computation takes the dates recorded in the events and an explicit
//   `as_of` day: nothing here reads the clock, so a result is a pure function
//   of its input.
// - Counting: an interval [from, to) counts its calendar days (fda-days,
//   calendar) or its Monday-to-Friday days (working). The day of receipt is
//   day 0; a hold starts on the request's date and ends on the date the
//   response was received. Public holidays are not modelled.
// - Thread-safe: ClockRules() is built once (function-local static, const).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dossier::correspondence {

enum class DayKind { kFdaDays, kCalendar, kWorking };
std::string_view DayKindName(DayKind kind);  // fda-days | calendar | working
StatusOr<DayKind> ParseDayKind(std::string_view name, std::string_view field);

// "YYYY-MM-DD" <-> day number. reason "bad-date" naming `field`.
StatusOr<int64_t> ParseDay(std::string_view text, std::string_view field);
std::string FormatDay(int64_t day);
// Days of `kind` in [from, to); 0 when to <= from.
int64_t CountDays(int64_t from, int64_t to, DayKind kind);
// The day `n` days of `kind` after `from` (for working days, the n-th weekday after `from`).
int64_t AddDays(int64_t from, int64_t n, DayKind kind);

struct ClockRule {
  std::string id;
  std::string jurisdiction;
  std::vector<std::string> pathways;
  std::vector<std::string> classes;  // "*" for every class
  std::string rule;                  // review-goal | response-window | screening-window
  int64_t days = 0;
  DayKind day_kind = DayKind::kCalendar;
  bool stop_clock = true;
  std::string source, section, binding, verification;
};

// The rules of data/clock_rules.tsv, in file order.
const std::vector<ClockRule>& ClockRules();

// The rules that apply to one submission.
struct ApplicableRules {
  std::optional<ClockRule> goal, response, screening;
};
// `jurisdiction` US | SG | EU (the receiving agency's), `pathway` as
// submitted, `device_class` e.g. "B" for HSA (ignored where rows say '*').
ApplicableRules RulesFor(std::string_view jurisdiction, std::string_view pathway,
                         std::string_view device_class);

// One ledger event as the clock sees it.
struct ClockEvent {
  std::string id;           // e.g. "agency-2", "manufacturer-1"
  std::string type;         // sent | acknowledged | screening | ai-request | response | decision | withdrawal
  int64_t day = 0;          // when it happened (for a response: when the agency received it)
  std::string outcome;      // screening: accepted | refused
  std::string responds_to;  // response: the id of the request or screening it answers
  std::optional<int64_t> received_day;  // acknowledged: the agency's date of receipt
  std::optional<int64_t> due_day;       // ai-request / screening: the due date the agency set
};

struct ClockInput {
  ApplicableRules rules;
  int64_t submitted_day = 0;       // the exchange's submission date (receipt when nothing else says)
  std::vector<ClockEvent> events;  // in ledger order
  int64_t as_of = 0;
  int64_t due_soon_days = 14;  // a deadline this close (calendar days) is "due-soon"
};

struct Hold {
  std::string request_id, reason;  // reason: ai-request | screening
  int64_t from = 0;
  std::optional<int64_t> to, due;
};

struct Deadline {
  std::string what;   // decision-goal | response
  std::string owner;  // agency | manufacturer
  std::string request_id;
  std::optional<int64_t> due;
  std::string status;  // pending | due-soon | overdue | met | missed | paused | ended
};

struct ReviewClock {
  // no-rule | not-started | running | stopped | decided | withdrawn | considered-withdrawn
  std::string state;
  ApplicableRules rules;
  int64_t start_day = 0;
  int64_t elapsed = 0;  // in the goal's day kind (calendar days without a goal)
  std::optional<int64_t> remaining, goal_due_day, ended_day;
  std::vector<Hold> holds;
  std::vector<Deadline> deadlines;
  std::vector<std::string> notes;  // e.g. "clock restarted at 0 by the answer to a refusal to accept"
};

ReviewClock ComputeClock(const ClockInput& input);

boost::json::object ClockRuleToJson(const ClockRule& rule);
boost::json::object ClockToJson(const ReviewClock& clock, int64_t as_of);

// Counts of deadlines by status, for inbox summaries and /metrics.
bool HasStatus(const ReviewClock& clock, std::string_view status);

}  // namespace dossier::correspondence
