// Correspondence commands (docs/CORRESPONDENCE.md): the ledger of a submission
// or of a whole tenant, its review clock, signed ledger events, additional-
// information requests drafted from comments, and section comment threads.
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "common/json_read.h"

namespace dossier::cli {
namespace {
namespace json = boost::json;

std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string Num(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_number() ? json::serialize(*v) : std::string("-");
}

// One line per open deadline: what, who owes it, when, how it stands.
void PrintClock(const json::object& clock) {
  std::cout << "clock: " << Str(clock, "state") << ", " << Num(clock, "elapsed") << " of "
            << Num(clock, "goalDays") << " " << Str(clock, "dayKind") << " days";
  if (!Str(clock, "goalDueOn").empty()) std::cout << ", goal due " << Str(clock, "goalDueOn");
  std::cout << " (as of " << Str(clock, "asOf") << ")\n";
  if (const json::value* deadlines = clock.if_contains("deadlines"); deadlines && deadlines->is_array()) {
    for (const auto& d : deadlines->as_array()) {
      const json::object& o = d.as_object();
      std::printf("  %-14s %-13s %-10s %-10s %s\n", Str(o, "what").c_str(), Str(o, "owner").c_str(),
                  Str(o, "dueOn").empty() ? "-" : Str(o, "dueOn").c_str(), Str(o, "status").c_str(),
                  Str(o, "request").c_str());
    }
  }
  if (const json::value* rules = clock.if_contains("rules"); rules && rules->is_array()) {
    for (const auto& r : rules->as_array()) {
      const json::object& o = r.as_object();
      std::cout << "  rule " << Str(o, "id") << ": " << Str(o, "source") << ", " << Str(o, "section") << " ["
                << Str(o, "binding") << "; "
                << Str(o, "verification").substr(0, Str(o, "verification").find(':')) << "]\n";
    }
  }
}

void PrintLedger(const json::object& ledger) {
  std::cout << Str(ledger, "submission") << "  " << Str(ledger, "agency") << "  " << Str(ledger, "pathway")
            << "  " << Str(ledger, "dossier") << "  " << Str(ledger, "status");
  if (!Str(ledger, "agencyReference").empty()) std::cout << "  ref " << Str(ledger, "agencyReference");
  std::cout << "\n";
  for (const auto& e : ledger.at("events").as_array()) {
    const json::object& o = e.as_object();
    std::string detail = Str(o, "number");
    if (const json::value* event = o.if_contains("event"); event && event->is_object()) {
      const json::object& content = event->as_object();
      detail = Str(content, "reference") + Str(content, "outcome") + Str(content, "respondsTo");
      if (const json::value* d = content.if_contains("deficiencies"); d && d->is_array())
        detail = std::to_string(d->as_array().size()) + " deficiencies";
    }
    std::printf("  %s  %-16s %-13s %-8s %-7s %s\n", Str(o, "occurredOn").c_str(), Str(o, "id").c_str(),
                Str(o, "type").c_str(), Str(o, "recordedBy").c_str(),
                o.at("signed").as_bool() ? "signed" : "-", detail.c_str());
  }
  PrintClock(ledger.at("clock").as_object());
}

int Ledger(Context& c) {
  c.Check({"dossier", "as-of"}, 0, 1);
  const std::string as_of = c.args.Get("as-of");
  if (c.args.positional.size() == 1) {
    auto ledger = ParseObject(Must(c.Connect().GetLedger(c.Tenant(), c.args.positional[0], as_of), "ledger"));
    if (c.json) {
      PrintJson(ledger);
    } else {
      PrintLedger(ledger);
    }
    return kExitOk;
  }
  auto all = ParseObject(Must(c.Connect().TenantLedger(c.Tenant(), c.args.Get("dossier"), as_of), "ledger"));
  if (c.json) {
    PrintJson(all);
    return kExitOk;
  }
  for (const auto& s : all.at("submissions").as_array()) PrintLedger(s.as_object());
  return kExitOk;
}

int Clock(Context& c) {
  c.Check({"as-of"}, 1, 1);
  auto clock =
      ParseObject(Must(c.Connect().GetClock(c.Tenant(), c.args.positional[0], c.args.Get("as-of")), "clock"));
  if (c.json) {
    PrintJson(clock);
  } else {
    PrintClock(clock);
  }
  return kExitOk;
}

void Record(Context& c, const json::object& event) {
  auto result = Must(c.Connect().RecordLedgerEvent(c.Tenant(), json::serialize(event), LoadSigningKey(c)),
                     "ledger record");
  if (c.json) {
    PrintJson(json::object{{"version", result.version.version},
                           {"logIndex", result.version.log_index},
                           {"digest", result.version.digest},
                           {"event", event}});
  } else {
    std::cout << "recorded " << Str(event, "type") << " on " << Str(event, "submission") << " as version "
              << result.version.version << " (log index " << result.version.log_index << ")\n";
  }
}

json::object EventFromFile(Context& c, const std::string& submission) {
  auto parsed = ParseJsonObject(ReadTextFile(c.args.Get("file"), "event file"));
  if (!parsed.ok()) throw Failure{kExitUsage, "--file: " + parsed.status().message()};
  if (!parsed->contains("submission")) (*parsed)["submission"] = submission;
  return std::move(*parsed);
}

// `ledger record S --type T --date D [...]`, or the whole event from --file.
int LedgerRecord(Context& c) {
  c.Check({"file", "type", "date", "reference", "received-on", "outcome", "reason", "due", "responds-to",
           "dossier-version", "note", "channel", "key"},
          1, 1);
  const std::string s = c.args.positional[0];
  if (c.args.Has("file")) {
    Record(c, EventFromFile(c, s));
    return kExitOk;
  }
  json::object event{{"submission", s}, {"type", c.Require("type")}, {"occurredOn", c.Require("date")}};
  const std::pair<const char*, const char*> members[] = {
      {"reference", "reference"}, {"received-on", "receivedOn"}, {"outcome", "outcome"},
      {"due", "dueOn"},           {"responds-to", "respondsTo"}, {"note", "note"},
      {"channel", "channel"}};
  for (const auto& [flag, member] : members) {
    if (c.args.Has(flag)) event[member] = c.args.Get(flag);
  }
  if (c.args.Has("reason")) {
    event[event.at("type").as_string() == "withdrawal" ? "reason" : "reasons"] =
        event.at("type").as_string() == "withdrawal"
            ? json::value(c.args.Get("reason"))
            : json::value(json::array{json::value(c.args.Get("reason"))});
  }
  if (c.args.Has("dossier-version"))
    event["dossierVersion"] = ParseVersion(c.args.Get("dossier-version"), "--dossier-version");
  Record(c, event);
  return kExitOk;
}

int AiRequestDraft(Context& c) {
  c.Check({"date", "due"}, 1, 1);
  auto event = ParseObject(Must(
      c.Connect().DraftAiRequest(c.Tenant(), c.args.positional[0], c.args.Get("date"), c.args.Get("due")),
      "ai-request draft"));
  std::cout << PrettyJson(event) << "\n";
  return kExitOk;
}

// Signs and records an ai-request: from --file, or drafted from the open comments.
int AiRequestSend(Context& c) {
  c.Check({"file", "from-comments", "date", "due", "key"}, 1, 1);
  const std::string s = c.args.positional[0];
  if (c.args.Has("file") == c.args.Has("from-comments")) throw c.UsageError();
  json::object event =
      c.args.Has("file")
          ? EventFromFile(c, s)
          : ParseObject(Must(c.Connect().DraftAiRequest(c.Tenant(), s, c.args.Get("date"), c.args.Get("due")),
                             "ai-request send"));
  Record(c, event);
  return kExitOk;
}

int CommentList(Context& c) {
  c.Check({}, 1, 1);
  auto threads =
      ParseObject(Must(c.Connect().ListComments(c.Tenant(), c.args.positional[0]), "comment list"));
  if (c.json) {
    PrintJson(threads);
    return kExitOk;
  }
  for (const auto& t : threads.at("threads").as_array()) {
    const json::object& o = t.as_object();
    std::cout << Str(o, "id") << "  " << Str(o, "heading") << "  " << Str(o, "status")
              << (Str(o, "document").empty() ? "" : "  " + Str(o, "document")) << "\n";
    for (const auto& m : o.at("messages").as_array()) {
      std::cout << "    " << Str(m.as_object(), "at") << "  " << Str(m.as_object(), "author") << ": "
                << Str(m.as_object(), "text") << "\n";
    }
  }
  return kExitOk;
}

int Print(Context& c, const json::object& o, const std::string& line) {
  if (c.json) {
    PrintJson(o);
  } else {
    std::cout << line << "\n";
  }
  return kExitOk;
}

int CommentOpen(Context& c) {
  c.Check({"heading", "document", "text"}, 1, 1);
  client::NewCommentThread thread{c.Require("heading"), c.args.Get("document"), c.Require("text")};
  auto o = ParseObject(
      Must(c.Connect().OpenCommentThread(c.Tenant(), c.args.positional[0], thread), "comment open"));
  return Print(c, o, "opened " + Str(o, "id") + " on " + Str(o, "heading"));
}

int CommentReply(Context& c) {
  c.Check({"text"}, 2, 2);
  auto o = ParseObject(Must(
      c.Connect().ReplyToComment(c.Tenant(), c.args.positional[0], c.args.positional[1], c.Require("text")),
      "comment reply"));
  return Print(c, o, "replied in " + c.args.positional[1]);
}

int SetResolved(Context& c, bool resolved) {
  c.Check({}, 2, 2);
  auto o = ParseObject(
      Must(c.Connect().SetCommentResolved(c.Tenant(), c.args.positional[0], c.args.positional[1], resolved),
           resolved ? "comment resolve" : "comment reopen"));
  return Print(c, o, c.args.positional[1] + " is " + Str(o, "status"));
}
int CommentResolve(Context& c) { return SetResolved(c, true); }
int CommentReopen(Context& c) { return SetResolved(c, false); }

}  // namespace

void AddCorrespondenceCommands(CommandTable& table) {
  table.Add({"ledger", "ledger [SUBMISSION] [--dossier D] [--as-of YYYY-MM-DD]",
             "correspondence ledger and review clock (one submission, or all of this tenant's)", Ledger});
  table.Add({"ledger record",
             "ledger record SUBMISSION (--file EVENT.json | --type T --date YYYY-MM-DD [--reference R] "
             "[--received-on D] [--outcome accepted|refused] [--reason R] [--due D] [--responds-to ID] "
             "[--dossier-version N] [--note N]) [--key FILE]",
             "sign and record a ledger event on this party's side", LedgerRecord});
  table.Add({"clock", "clock SUBMISSION [--as-of YYYY-MM-DD]",
             "review clock as the agency counts it, with due-soon and overdue deadlines", Clock});
  table.Add({"ai-request draft", "ai-request draft SUBMISSION [--date D] [--due D]",
             "draft an additional-information request from the open comments (prints the event)",
             AiRequestDraft});
  table.Add(
      {"ai-request send",
       "ai-request send SUBMISSION (--file EVENT.json | --from-comments [--date D] [--due D]) [--key FILE]",
       "sign and record an additional-information request", AiRequestSend});
  table.Add({"comment list", "comment list SUBMISSION", "comment threads of a submission", CommentList});
  table.Add({"comment open", "comment open SUBMISSION --heading H [--document sha256:...] --text T",
             "open a comment thread on a ToC heading", CommentOpen});
  table.Add({"comment reply", "comment reply SUBMISSION THREAD --text T", "reply in a comment thread",
             CommentReply});
  table.Add(
      {"comment resolve", "comment resolve SUBMISSION THREAD", "mark a thread resolved", CommentResolve});
  table.Add(
      {"comment reopen", "comment reopen SUBMISSION THREAD", "reopen a resolved thread", CommentReopen});
}

}  // namespace dossier::cli
