// Submission commands, on both sides: submit (optionally with a change plan),
// the manufacturer's submissions (list, show, withdraw) and the regulator's
// inbox.
#include <iostream>

#include "cli_output.h"
#include "commands.h"

namespace dossier::cli {
namespace {
namespace json = boost::json;
using client::ObjectKind;

// "CLEARED K261234 2026-11-29" for a decided submission, else "".
std::string DecisionSummary(const client::Submission& s) {
  const json::object whole = ParseObject(s.json_text);
  const json::value* d = whole.if_contains("decision");
  if (d == nullptr || !d->is_object()) return "";
  const json::object& o = d->as_object();
  return Cell(o, "outcome") + " " + Cell(o, "number") + " " + Cell(o, "date");
}

void PrintSubmissions(const std::vector<client::Submission>& list, bool inbox) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : list) {
    std::string plan =
        s.change_plan.empty() ? "" : s.change_plan + " v" + std::to_string(s.change_plan_version);
    rows.push_back({s.id, s.status, inbox ? s.manufacturer : s.agency, s.pathway,
                    s.dossier + " v" + std::to_string(s.version), plan, DecisionSummary(s)});
  }
  PrintTable({"SUBMISSION", "STATUS", inbox ? "MANUFACTURER" : "AGENCY", "PATHWAY", "DOSSIER", "CHANGE PLAN",
              "DECISION"},
             rows);
}

int Submit(Context& c) {
  c.Check({"version", "agency", "pathway", "change-plan", "change-plan-version", "note"}, 1, 1);
  for (const char* f : {"version", "agency", "pathway"}) {
    if (!c.args.values.count(f)) throw Failure{kExitUsage, std::string("submit needs --") + f};
  }
  uint64_t version = 0;
  try {
    version = ParseVersion(c.args.Get("version"), "--version");
  } catch (...) {
    throw Failure{kExitUsage, "--version must be a number"};
  }
  client::NewSubmission submission;
  submission.dossier = c.args.positional[0];
  submission.version = version;
  submission.agency = c.args.Get("agency");
  submission.pathway = c.args.Get("pathway");
  submission.note = c.args.Get("note");
  const std::string tenant = c.Tenant();
  // A change plan travels with the dossier as one signed plan version: the
  // one named, or the plan's head.
  if (c.args.values.count("change-plan")) {
    submission.change_plan = c.args.Get("change-plan");
    if (c.args.values.count("change-plan-version")) {
      submission.change_plan_version =
          ParseVersion(c.args.Get("change-plan-version"), "--change-plan-version");
    } else {
      auto plan = Must(c.Connect().GetObject(tenant, ObjectKind::kChangePlan, submission.change_plan),
                       "change plan " + submission.change_plan);
      if (plan.head_version == 0)
        throw Failure{kExitRefused, "change plan " + submission.change_plan + " has no version yet"};
      submission.change_plan_version = plan.head_version;
    }
  } else if (c.args.values.count("change-plan-version")) {
    throw Failure{kExitUsage, "--change-plan-version needs --change-plan P"};
  }
  auto s = Must(c.Connect().Submit(tenant, submission), "submit");
  if (c.json) {
    PrintJson(ParseObject(s.json_text));
  } else {
    std::cout << "submitted " << submission.dossier << " version " << version
              << (submission.change_plan.empty()
                      ? ""
                      : " with change plan " + submission.change_plan + " version " +
                            std::to_string(submission.change_plan_version))
              << " to " << submission.agency << " as " << s.id << " (" << s.status << ")\n";
  }
  return kExitOk;
}

int SubmissionsList(Context& c) {
  c.Check({}, 0, 0);
  auto list = Must(c.Connect().ListSubmissions(c.Tenant()), "submissions list");
  if (c.json) {
    json::array items;
    for (auto& s : list) items.push_back(ParseObject(s.json_text));
    PrintJson(json::object{{"submissions", std::move(items)}});
    return kExitOk;
  }
  PrintSubmissions(list, false);
  return kExitOk;
}

int SubmissionsShow(Context& c) {
  c.Check({}, 1, 1);
  auto s = Must(c.Connect().GetSubmission(c.Tenant(), c.args.positional[0]), "submissions show");
  if (c.json) {
    PrintJson(ParseObject(s.json_text));
    return kExitOk;
  }
  std::cout << "submission    " << s.id << "\nstatus        " << s.status << "\nmanufacturer  "
            << s.manufacturer << "\nagency        " << s.agency << " ("
            << Cell(ParseObject(s.json_text), "agencyJurisdiction") << ")\npathway       " << s.pathway
            << "\ndossier       " << s.dossier << " version " << s.version << " (" << s.content_digest
            << ")\n";
  if (!s.change_plan.empty())
    std::cout << "change plan   " << s.change_plan << " version " << s.change_plan_version << "\n";
  std::cout << "submitted     " << Cell(ParseObject(s.json_text), "submittedAt") << "\nupdated       "
            << Cell(ParseObject(s.json_text), "updatedAt") << "\n";
  if (const std::string decision = DecisionSummary(s); !decision.empty())
    std::cout << "decision      " << decision << "\n";
  std::cout << "sections      " << s.section_digests.size() << " with recorded digests\n";
  return kExitOk;
}

int SubmissionsWithdraw(Context& c) {
  c.Check({}, 1, 1);
  auto s = Must(c.Connect().WithdrawSubmission(c.Tenant(), c.args.positional[0]), "submissions withdraw");
  if (c.json) {
    PrintJson(ParseObject(s.json_text));
  } else {
    std::cout << "withdrew " << s.id << " (" << s.status << ")\n";
  }
  return kExitOk;
}

// A change plan written after submitting, attached to the submission with
// the same flags `submit` takes; the plan's head version unless one is named.
int SubmissionsAttachPlan(Context& c) {
  c.Check({"change-plan", "change-plan-version"}, 1, 1);
  const std::string tenant = c.Tenant();
  const std::string plan = c.Require("change-plan");
  uint64_t version = 0;
  if (c.args.values.count("change-plan-version")) {
    version = ParseVersion(c.args.Get("change-plan-version"), "--change-plan-version");
  } else {
    auto head = Must(c.Connect().GetObject(tenant, ObjectKind::kChangePlan, plan), "change plan " + plan);
    if (head.head_version == 0) throw Failure{kExitRefused, "change plan " + plan + " has no version yet"};
    version = head.head_version;
  }
  auto s = Must(c.Connect().AttachChangePlan(tenant, c.args.positional[0], plan, version),
                "submissions attach-plan");
  if (c.json) {
    PrintJson(ParseObject(s.json_text));
  } else {
    std::cout << "attached change plan " << s.change_plan << " v" << s.change_plan_version << " to " << s.id
              << " (" << s.status << ")\n";
  }
  return kExitOk;
}

int Inbox(Context& c) {
  c.Check({}, 0, 0);
  auto inbox = Must(c.Connect().Inbox(c.Tenant()), "inbox");
  if (c.json) {
    json::array items;
    for (auto& s : inbox) items.push_back(ParseObject(s.json_text));
    PrintJson(json::object{{"submissions", std::move(items)}});
    return kExitOk;
  }
  PrintSubmissions(inbox, true);
  return kExitOk;
}

}  // namespace

void AddSubmissionCommands(CommandTable& table) {
  table.Add(
      {"submit",
       "submit D --version N --agency REGULATOR --pathway P [--change-plan P [--change-plan-version N]] "
       "[--note T]",
       "submit a version (and a change plan) to a regulator tenant", Submit});
  table.Add({"submissions list", "submissions list", "this manufacturer's submissions and their decisions",
             SubmissionsList});
  table.Add(
      {"submissions show", "submissions show S", "one submission, as either party sees it", SubmissionsShow});
  table.Add({"submissions withdraw", "submissions withdraw S", "withdraw a submission that is not decided",
             SubmissionsWithdraw});
  table.Add({"submissions attach-plan", "submissions attach-plan S --change-plan P [--change-plan-version N]",
             "attach a signed change-plan version (default: its head) to a submission",
             SubmissionsAttachPlan});
  table.Add({"inbox", "inbox", "submissions addressed to this regulator", Inbox});
}

}  // namespace dossier::cli
