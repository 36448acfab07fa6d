// Review clocks as the agencies count them, from dated ledger events (no wall clock).
#define BOOST_TEST_MODULE correspondence_review_clock
#include "schema/correspondence/review_clock.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <map>

using namespace dossier::correspondence;

namespace {

int64_t Day(const char* text) { return ParseDay(text, "day").value(); }

ClockEvent Event(std::string id, std::string type, const char* day) {
  ClockEvent e;
  e.id = std::move(id);
  e.type = std::move(type);
  e.day = Day(day);
  return e;
}

const Deadline* Find(const ReviewClock& c, std::string_view what) {
  for (const auto& d : c.deadlines) {
    if (d.what == what) return &d;
  }
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_rule_row_parses_and_names_its_source) {
  // 7 US rows and 10 SG rows in data/clock_rules.tsv.
  BOOST_TEST(ClockRules().size() == 17u);
  for (const auto& r : ClockRules()) {
    BOOST_TEST(!r.source.empty());
    BOOST_TEST(!r.section.empty());
    BOOST_TEST((r.verification.rfind("verified:", 0) == 0 || r.verification.rfind("unverified:", 0) == 0));
  }
}

BOOST_AUTO_TEST_CASE(dates_and_day_counts) {
  BOOST_TEST(FormatDay(Day("2026-01-05")) == "2026-01-05");
  BOOST_TEST(ParseDay("2026-02-30", "d").status().reason() == "bad-date");
  BOOST_TEST(ParseDay("2026-1-5", "d").status().reason() == "bad-date");
  // Mon 5 Jan .. Mon 12 Jan: 7 calendar days, 5 working days.
  BOOST_TEST(CountDays(Day("2026-01-05"), Day("2026-01-12"), DayKind::kCalendar) == 7);
  BOOST_TEST(CountDays(Day("2026-01-05"), Day("2026-01-12"), DayKind::kWorking) == 5);
  BOOST_TEST(CountDays(Day("2026-01-09"), Day("2026-01-13"), DayKind::kWorking) == 2);  // Fri, Mon
  BOOST_TEST(FormatDay(AddDays(Day("2026-01-09"), 1, DayKind::kWorking)) == "2026-01-12");
}

// 510(k): received 5 Jan, accepted, AI request on 14 Feb (40 FDA days),
// answered 15 Apr, decided 5 May: 40 + 20 = 60 FDA days.
BOOST_AUTO_TEST_CASE(fda_510k_clock_stops_while_the_ai_request_is_open) {
  ClockInput in;
  in.rules = RulesFor("US", "510k-traditional", "II");
  BOOST_REQUIRE(in.rules.goal);
  BOOST_TEST(in.rules.goal->days == 90);
  BOOST_REQUIRE(in.rules.response);
  in.submitted_day = Day("2026-01-05");
  in.events = {Event("manufacturer-1", "sent", "2026-01-05"),
               Event("agency-1", "acknowledged", "2026-01-07")};
  ClockEvent screening = Event("agency-2", "screening", "2026-01-19");
  screening.outcome = "accepted";
  in.events.push_back(screening);
  in.events.push_back(Event("agency-3", "ai-request", "2026-02-14"));

  in.as_of = Day("2026-03-01");
  ReviewClock held = ComputeClock(in);
  BOOST_TEST(held.state == "stopped");
  BOOST_TEST(held.elapsed == 40);
  BOOST_TEST(*held.remaining == 50);
  BOOST_REQUIRE(Find(held, "response"));
  BOOST_TEST(FormatDay(*Find(held, "response")->due) == "2026-08-13");  // 14 Feb + 180 days
  BOOST_TEST(Find(held, "decision-goal")->status == "paused");

  ClockEvent response = Event("manufacturer-2", "response", "2026-04-15");
  response.responds_to = "agency-3";
  in.events.push_back(response);
  in.as_of = Day("2026-04-25");
  ReviewClock running = ComputeClock(in);
  BOOST_TEST(running.state == "running");
  BOOST_TEST(running.elapsed == 50);
  BOOST_TEST(FormatDay(*running.goal_due_day) == "2026-06-04");

  in.events.push_back(Event("agency-4", "decision", "2026-05-05"));
  in.as_of = Day("2026-09-01");
  ReviewClock decided = ComputeClock(in);
  BOOST_TEST(decided.state == "decided");
  BOOST_TEST(decided.elapsed == 60);
  BOOST_TEST(Find(decided, "decision-goal")->status == "met");
}

BOOST_AUTO_TEST_CASE(fda_unanswered_ai_request_is_considered_withdrawn_after_180_days) {
  ClockInput in;
  in.rules = RulesFor("US", "510k-traditional", "II");
  in.submitted_day = Day("2026-01-05");
  in.events = {Event("agency-1", "ai-request", "2026-02-14")};
  in.as_of = Day("2026-08-10");
  BOOST_TEST(Find(ComputeClock(in), "response")->status == "due-soon");
  in.as_of = Day("2026-08-14");
  ReviewClock late = ComputeClock(in);
  BOOST_TEST(late.state == "considered-withdrawn");
  BOOST_TEST(Find(late, "response")->status == "overdue");
}

BOOST_AUTO_TEST_CASE(fda_refuse_to_accept_restarts_at_zero_on_the_answer) {
  ClockInput in;
  in.rules = RulesFor("US", "510k-traditional", "II");
  in.submitted_day = Day("2026-01-05");
  ClockEvent rta = Event("agency-1", "screening", "2026-01-15");
  rta.outcome = "refused";
  ClockEvent answer = Event("manufacturer-1", "response", "2026-02-01");
  answer.responds_to = "agency-1";
  in.events = {rta, answer};
  in.as_of = Day("2026-02-11");
  ReviewClock c = ComputeClock(in);
  BOOST_TEST(c.state == "running");
  BOOST_TEST(c.elapsed == 10);
  BOOST_TEST(FormatDay(c.start_day) == "2026-02-01");
}

// HSA abridged class C: 160 working days, stop-clock during a query.
BOOST_AUTO_TEST_CASE(hsa_working_days_with_stop_clock) {
  ClockInput in;
  in.rules = RulesFor("SG", "abridged", "C");
  BOOST_REQUIRE(in.rules.goal);
  BOOST_TEST(in.rules.goal->days == 160);
  BOOST_TEST(!in.rules.response);        // no verified answer window: the query's own due date only
  in.submitted_day = Day("2026-03-02");  // Monday
  ClockEvent query = Event("agency-1", "ai-request", "2026-03-16");  // 10 working days later
  query.due_day = Day("2026-04-15");
  ClockEvent answer = Event("manufacturer-1", "response", "2026-04-06");
  answer.responds_to = "agency-1";
  in.events = {query, answer};
  in.as_of = Day("2026-04-13");  // 5 more working days
  ReviewClock c = ComputeClock(in);
  BOOST_TEST(c.state == "running");
  BOOST_TEST(c.elapsed == 15);
  BOOST_TEST(*c.remaining == 145);
  BOOST_TEST(FormatDay(*c.goal_due_day) == FormatDay(AddDays(Day("2026-04-13"), 145, DayKind::kWorking)));
  BOOST_TEST(RulesFor("SG", "abridged", "A").goal.has_value() == false);
  BOOST_TEST(RulesFor("EU", "annex-ix", "IIa").goal.has_value() == false);  // notified bodies: configuration
}

// docs/CORRESPONDENCE.md prints every rule; a changed row must be reprinted.
BOOST_AUTO_TEST_CASE(the_documented_table_matches_the_rules) {
  const char* source = std::getenv("DOSSIER_SOURCE_DIR");
  BOOST_REQUIRE_MESSAGE(source, "DOSSIER_SOURCE_DIR is set by ctest");
  std::ifstream in(std::string(source) + "/docs/CORRESPONDENCE.md");
  BOOST_REQUIRE(in);
  std::map<std::string, std::string> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| ", 0) == 0) rows[line.substr(2, line.find(' ', 2) - 2)] = line;
  }
  for (const auto& r : ClockRules()) {
    BOOST_REQUIRE_MESSAGE(rows.count(r.id), r.id << " is not in docs/CORRESPONDENCE.md");
    const std::string& row = rows[r.id];
    BOOST_TEST(row.find(" | " + r.rule + " | " + std::to_string(r.days) + " | " +
                        std::string(DayKindName(r.day_kind)) + " | ") != std::string::npos,
               r.id);
    BOOST_TEST(row.find(r.verification.substr(0, 40)) != std::string::npos, r.id);
  }
}
