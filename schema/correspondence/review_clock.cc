#include "schema/correspondence/review_clock.h"

#include <algorithm>
#include <map>

#include "common/decimal.h"
#include "common/strings.h"
#include "common/time.h"

namespace dossier::schema::internal {
extern const std::string_view kCorrespondence_clock_rules;
}

namespace dossier::correspondence {
namespace json = boost::json;

namespace {

constexpr int64_t kMsPerDay = 86'400'000;

bool IsWeekday(int64_t day) {
  const int64_t weekday = ((day % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday >= 1 && weekday <= 5;
}

bool Lists(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), "*") != list.end() ||
         std::find(list.begin(), list.end(), value) != list.end();
}

std::vector<ClockRule> ParseRules(std::string_view text) {
  std::vector<ClockRule> rules;
  for (const std::string& line : Split(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> f = Split(line, '\t');
    // The file is part of the build and covered by a test: a malformed row is a
    // programming error, skipped here and caught by review_clock_test.
    if (f.size() != 12) continue;
    ClockRule r;
    r.id = f[0];
    r.jurisdiction = f[1];
    r.pathways = Split(f[2], ',');
    r.classes = Split(f[3], ',');
    r.rule = f[4];
    auto days = ParseUint64(f[5], "days");
    if (!days.ok()) continue;
    r.days = static_cast<int64_t>(*days);
    auto kind = ParseDayKind(f[6], "day_kind");
    if (!kind.ok()) continue;
    r.day_kind = *kind;
    r.stop_clock = f[7] == "yes";
    r.source = f[8];
    r.section = f[9];
    r.binding = f[10];
    r.verification = f[11];
    rules.push_back(std::move(r));
  }
  return rules;
}

std::string DeadlineStatus(std::optional<int64_t> due, int64_t as_of, int64_t due_soon_days) {
  if (!due) return "paused";
  if (as_of > *due) return "overdue";
  if (*due - as_of <= due_soon_days) return "due-soon";
  return "pending";
}

}  // namespace

std::string_view DayKindName(DayKind kind) {
  switch (kind) {
    case DayKind::kFdaDays:
      return "fda-days";
    case DayKind::kCalendar:
      return "calendar";
    case DayKind::kWorking:
      return "working";
  }
  return "calendar";
}

StatusOr<DayKind> ParseDayKind(std::string_view name, std::string_view field) {
  if (name == "fda-days") return DayKind::kFdaDays;
  if (name == "calendar") return DayKind::kCalendar;
  if (name == "working") return DayKind::kWorking;
  return InvalidArgument("must be fda-days, calendar or working", "bad-enum", std::string(field));
}

StatusOr<int64_t> ParseDay(std::string_view text, std::string_view field) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return InvalidArgument("must be a date YYYY-MM-DD", "bad-date", std::string(field));
  }
  auto ms = ParseRfc3339(std::string(text) + "T00:00:00Z", field);
  if (!ms.ok())
    return InvalidArgument("must be a date YYYY-MM-DD that exists", "bad-date", std::string(field));
  return *ms / kMsPerDay - (*ms % kMsPerDay < 0 ? 1 : 0);
}

std::string FormatDay(int64_t day) { return FormatRfc3339Ms(day * kMsPerDay).substr(0, 10); }

int64_t CountDays(int64_t from, int64_t to, DayKind kind) {
  if (to <= from) return 0;
  if (kind != DayKind::kWorking) return to - from;
  const int64_t weeks = (to - from) / 7;
  int64_t count = weeks * 5;
  for (int64_t d = from + weeks * 7; d < to; ++d) count += IsWeekday(d) ? 1 : 0;
  return count;
}

int64_t AddDays(int64_t from, int64_t n, DayKind kind) {
  if (kind != DayKind::kWorking) return from + n;
  int64_t day = from;
  while (n > 0) {
    ++day;
    if (IsWeekday(day)) --n;
  }
  return day;
}

const std::vector<ClockRule>& ClockRules() {
  static const std::vector<ClockRule> rules = ParseRules(schema::internal::kCorrespondence_clock_rules);
  return rules;
}

ApplicableRules RulesFor(std::string_view jurisdiction, std::string_view pathway,
                         std::string_view device_class) {
  ApplicableRules out;
  for (const ClockRule& r : ClockRules()) {
    if (r.jurisdiction != jurisdiction || !Lists(r.pathways, pathway) || !Lists(r.classes, device_class))
      continue;
    std::optional<ClockRule>& slot = r.rule == "review-goal"       ? out.goal
                                     : r.rule == "response-window" ? out.response
                                                                   : out.screening;
    if (!slot) slot = r;
  }
  return out;
}

ReviewClock ComputeClock(const ClockInput& in) {
  ReviewClock clock;
  clock.rules = in.rules;
  const DayKind kind = in.rules.goal ? in.rules.goal->day_kind : DayKind::kCalendar;
  const bool stops = !in.rules.goal || in.rules.goal->stop_clock;

  // Receipt: the agency's acknowledged date of receipt, else the date sent,
  // else the date of the submission on this exchange.
  clock.start_day = in.submitted_day;
  for (const ClockEvent& e : in.events) {
    if (e.type == "sent") clock.start_day = e.day;
  }
  for (const ClockEvent& e : in.events) {
    if (e.type == "acknowledged" && e.received_day) clock.start_day = *e.received_day;
  }

  // The clock runs from `running_from` while `running`; `elapsed` counts what ran before.
  int64_t elapsed = 0;
  int64_t running_from = clock.start_day;
  bool running = true;
  std::map<std::string, size_t> open;  // request id -> index in holds
  std::string ended;
  for (const ClockEvent& e : in.events) {
    if (!ended.empty()) break;
    if (e.type == "ai-request" || (e.type == "screening" && e.outcome == "refused")) {
      const bool screening = e.type == "screening";
      const std::optional<ClockRule>& window = screening ? in.rules.screening : in.rules.response;
      Hold hold{e.id, screening ? "screening" : "ai-request", e.day, std::nullopt, e.due_day};
      if (!hold.due && window) hold.due = AddDays(e.day, window->days, window->day_kind);
      if (stops && running) {
        elapsed += CountDays(running_from, std::max(e.day, running_from), kind);
        running = false;
      }
      open[e.id] = clock.holds.size();
      clock.holds.push_back(std::move(hold));
    } else if (e.type == "response") {
      auto it = open.find(e.responds_to);
      if (it == open.end()) continue;
      Hold& hold = clock.holds[it->second];
      hold.to = e.day;
      open.erase(it);
      // FDA: a refused-to-accept submission is reviewed from the receipt of
      // its complete answer, as a new submission would be.
      if (hold.reason == "screening" && in.rules.goal && in.rules.goal->jurisdiction == "US") {
        elapsed = 0;
        clock.start_day = e.day;
        clock.notes.push_back("FDA days restarted at 0 on " + FormatDay(e.day) +
                              ": the answer to the refusal to accept was received");
      }
      if (stops && open.empty() && !running) {
        running = true;
        running_from = e.day;
      }
    } else if (e.type == "decision" || e.type == "withdrawal") {
      if (running) elapsed += CountDays(running_from, std::max(e.day, running_from), kind);
      running = false;
      ended = e.type == "decision" ? "decided" : "withdrawn";
      clock.ended_day = e.day;
    }
  }

  clock.elapsed = elapsed + (running ? CountDays(running_from, in.as_of, kind) : 0);
  if (!ended.empty()) {
    clock.state = ended;
  } else if (!in.rules.goal) {
    clock.state = "no-rule";
  } else if (in.as_of < clock.start_day) {
    clock.state = "not-started";
  } else {
    clock.state = running ? "running" : "stopped";
  }

  // The agency's goal.
  if (in.rules.goal) {
    clock.remaining = in.rules.goal->days - clock.elapsed;
    Deadline goal{"decision-goal", "agency", "", std::nullopt, ""};
    if (!ended.empty()) {
      goal.status = ended == "decided" && clock.elapsed <= in.rules.goal->days ? "met" : "missed";
      if (ended == "withdrawn") goal.status = "ended";
    } else if (running) {
      const int64_t left = std::max<int64_t>(*clock.remaining, 0);
      clock.goal_due_day = *clock.remaining >= 0 ? AddDays(in.as_of, left, kind) : in.as_of;
      goal.due = clock.goal_due_day;
      goal.status = *clock.remaining < 0 ? "overdue" : DeadlineStatus(goal.due, in.as_of, in.due_soon_days);
    } else {
      goal.status = "paused";
    }
    clock.deadlines.push_back(std::move(goal));
  }
  // The applicant's answers.
  for (const Hold& hold : clock.holds) {
    if (hold.to) continue;
    Deadline d{"response", "manufacturer", hold.request_id, hold.due, ""};
    d.status = ended.empty() ? DeadlineStatus(hold.due, in.as_of, in.due_soon_days) : "ended";
    if (hold.due && d.status == "overdue" && ended.empty()) {
      const std::optional<ClockRule>& window =
          hold.reason == "screening" ? in.rules.screening : in.rules.response;
      if (window) {
        clock.state = "considered-withdrawn";
        clock.notes.push_back("no response to " + hold.request_id + " by " + FormatDay(*hold.due) +
                              ": the agency considers the submission withdrawn (" + window->id + ")");
      }
    }
    clock.deadlines.push_back(std::move(d));
  }
  return clock;
}

json::object ClockRuleToJson(const ClockRule& r) {
  json::object o{{"id", r.id},
                 {"rule", r.rule},
                 {"days", r.days},
                 {"dayKind", DayKindName(r.day_kind)},
                 {"stopClock", r.stop_clock},
                 {"source", r.source},
                 {"section", r.section},
                 {"binding", r.binding},
                 {"verification", r.verification}};
  return o;
}

json::object ClockToJson(const ReviewClock& c, int64_t as_of) {
  json::object o;
  o["state"] = c.state;
  o["asOf"] = FormatDay(as_of);
  o["receivedOn"] = FormatDay(c.start_day);
  o["elapsed"] = c.elapsed;
  if (c.rules.goal) {
    o["dayKind"] = DayKindName(c.rules.goal->day_kind);
    o["goalDays"] = c.rules.goal->days;
  }
  if (c.remaining) o["remaining"] = *c.remaining;
  if (c.goal_due_day) o["goalDueOn"] = FormatDay(*c.goal_due_day);
  if (c.ended_day) o["endedOn"] = FormatDay(*c.ended_day);
  json::array holds;
  for (const Hold& h : c.holds) {
    json::object x{{"request", h.request_id}, {"reason", h.reason}, {"from", FormatDay(h.from)}};
    if (h.to) x["to"] = FormatDay(*h.to);
    if (h.due) x["responseDueOn"] = FormatDay(*h.due);
    holds.push_back(std::move(x));
  }
  o["holds"] = std::move(holds);
  json::array deadlines;
  for (const Deadline& d : c.deadlines) {
    json::object x{{"what", d.what}, {"owner", d.owner}, {"status", d.status}};
    if (!d.request_id.empty()) x["request"] = d.request_id;
    if (d.due) x["dueOn"] = FormatDay(*d.due);
    deadlines.push_back(std::move(x));
  }
  o["deadlines"] = std::move(deadlines);
  json::array rules;
  for (const auto* r : {&c.rules.goal, &c.rules.response, &c.rules.screening}) {
    if (*r) rules.push_back(ClockRuleToJson(**r));
  }
  o["rules"] = std::move(rules);
  if (!c.notes.empty()) {
    json::array notes;
    for (const auto& n : c.notes) notes.emplace_back(n);
    o["notes"] = std::move(notes);
  }
  return o;
}

bool HasStatus(const ReviewClock& clock, std::string_view status) {
  return std::any_of(clock.deadlines.begin(), clock.deadlines.end(),
                     [&](const Deadline& d) { return d.status == status; });
}

}  // namespace dossier::correspondence
