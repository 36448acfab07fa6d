// After-submission commands (issue 16 items 4-6): redline, response-package,
// export-profiles, performance post/show, alerts.
#include <iostream>

#include "commands.h"

namespace dossier::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

std::string Text(const json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

const json::value& At(const json::object& o, std::string_view key) {
  static const json::value kNull;
  const json::value* v = o.if_contains(key);
  return v ? *v : kNull;
}

// A list member, or an empty list when the answer has none.
const json::array& Items(const json::object& o, std::string_view key) {
  static const json::array kEmpty;
  const json::value* v = o.if_contains(key);
  return v && v->is_array() ? v->as_array() : kEmpty;
}

int Redline(Context& c) {
  c.Check({"from", "to", "format", "out"}, 1, 1);
  const std::string dossier = c.args.positional[0];
  const uint64_t from = ParseVersion(c.Require("from"), "--from");
  const uint64_t to = ParseVersion(c.Require("to"), "--to");
  const std::string format = c.args.Get("format", "json");
  if (format != "json") {
    const fs::path out = c.Require("out");
    Must(c.Connect().RedlineDocument(c.Tenant(), dossier, from, to, format, out), "redline");
    if (!c.json)
      std::cout << "wrote the " << format << " redline of v" << from << " -> v" << to << " to "
                << out.string() << "\n";
    return kExitOk;
  }
  auto diff = ParseObject(Must(c.Connect().Diff(c.Tenant(), dossier, from, to), "redline"));
  if (c.json) {
    PrintJson(diff);
    return kExitOk;
  }
  for (const auto& f : Items(diff, "fields")) {
    const json::object& o = f.as_object();
    std::cout << "field " << Text(At(o, "path")) << ": " << Text(At(o, "old")) << " -> " << Text(At(o, "new"))
              << "\n";
  }
  for (const auto& s : Items(diff, "sections")) {
    const json::object& section = s.as_object();
    std::cout << Text(At(section, "kind")) << "  " << Text(At(section, "code")) << "  "
              << Text(At(section, "title")) << "\n";
    for (const auto& d : Items(section, "documents")) {
      const json::object& doc = d.as_object();
      std::cout << "    " << Text(At(doc, "change")) << "  "
                << (doc.contains("fileName") ? Text(At(doc, "fileName")) : Text(At(doc, "newDigest")))
                << "\n";
    }
    for (const auto& f : Items(section, "dataFields")) {
      const json::object& o = f.as_object();
      std::cout << "    " << Text(At(o, "path")) << ": " << Text(At(o, "old")) << " -> " << Text(At(o, "new"))
                << "\n";
    }
  }
  return kExitOk;
}

int ResponsePackage(Context& c) {
  c.Check({"from", "to", "reply", "out"}, 1, 1);
  const std::string dossier = c.args.positional[0];
  const uint64_t from = ParseVersion(c.Require("from"), "--from");
  const uint64_t to = ParseVersion(c.Require("to"), "--to");
  const fs::path reply = c.Require("reply"), out = c.Require("out");
  Must(c.Connect().ResponsePackage(c.Tenant(), dossier, from, to, reply, out), "response-package");
  if (c.json) {
    PrintJson(json::object{{"path", out.string()}});
  } else {
    std::cout << "wrote the response package (v" << from << " -> v" << to << ") to " << out.string() << "\n";
  }
  return kExitOk;
}

int ExportProfiles(Context& c) {
  c.Check({}, 0, 0);
  auto profiles = ParseObject(Must(c.Connect().ExportProfiles(), "export-profiles"));
  if (c.json) {
    PrintJson(profiles);
    return kExitOk;
  }
  for (const auto& p : Items(profiles, "profiles")) {
    const json::object& o = p.as_object();
    std::cout << (At(o, "default").as_bool() ? "* " : "  ") << Text(At(o, "format")) << "  "
              << Text(At(o, "name")) << "  " << Text(At(o, "title")) << "\n";
  }
  return kExitOk;
}

void PrintEvaluation(const json::object& evaluation) {
  std::cout << (At(evaluation, "drift").is_bool() && At(evaluation, "drift").as_bool() ? "DRIFT" : "no drift")
            << "  " << Text(At(evaluation, "softwareVersion")) << "  " << Text(At(evaluation, "periodStart"))
            << " .. " << Text(At(evaluation, "periodEnd")) << "\n";
  for (const auto& f : Items(evaluation, "flags")) {
    const json::object& o = f.as_object();
    std::cout << "  " << Text(At(o, "code")) << ": " << Text(At(o, "explanation")) << "\n";
  }
}

int PerformancePost(Context& c) {
  c.Check({"key"}, 2, 2);
  const std::string plan = c.args.positional[0];
  const std::string report = ReadTextFile(c.args.positional[1], "performance report");
  const client::SigningKey key = LoadSigningKey(c);
  auto answer =
      ParseObject(Must(c.Connect().PostPerformanceReport(c.Tenant(), plan, report, key), "performance post"));
  if (c.json) {
    PrintJson(answer);
    return kExitOk;
  }
  std::cout << "report version " << Text(At(answer, "version")) << " committed\n";
  if (At(answer, "evaluation").is_object()) PrintEvaluation(At(answer, "evaluation").as_object());
  for (const auto& a : Items(answer, "alerts")) {
    std::cout << "alert " << Text(At(a.as_object(), "id")) << " raised for "
              << Text(At(a.as_object(), "agency")) << "\n";
  }
  return kExitOk;
}

int PerformanceShow(Context& c) {
  c.Check({}, 1, 1);
  auto reports =
      ParseObject(Must(c.Connect().PerformanceReports(c.Tenant(), c.args.positional[0]), "performance show"));
  if (c.json) {
    PrintJson(reports);
    return kExitOk;
  }
  for (const auto& r : Items(reports, "reports")) {
    const json::object& o = r.as_object();
    std::cout << "version " << Text(At(o, "version")) << ": ";
    if (At(o, "evaluation").is_object()) PrintEvaluation(At(o, "evaluation").as_object());
  }
  return kExitOk;
}

int Alerts(Context& c) {
  c.Check({}, 0, 0);
  auto alerts = ParseObject(Must(c.Connect().Alerts(c.Tenant()), "alerts"));
  if (c.json) {
    PrintJson(alerts);
    return kExitOk;
  }
  if (Items(alerts, "alerts").empty()) std::cout << "no drift alert\n";
  for (const auto& a : Items(alerts, "alerts")) {
    const json::object& o = a.as_object();
    std::cout << Text(At(o, "id")) << "  " << Text(At(o, "origin")) << "  " << Text(At(o, "manufacturer"))
              << "/" << Text(At(o, "changePlan")) << " report v" << Text(At(o, "reportVersion")) << "\n";
    for (const auto& f : Items(o, "driftFlags")) {
      std::cout << "  " << Text(At(f.as_object(), "explanation")) << "\n";
    }
    for (const auto& d : Items(o, "reportingDuties")) {
      const json::object& duty = d.as_object();
      std::cout << "  may trigger: " << Text(At(duty, "source")) << " " << Text(At(duty, "section")) << " ("
                << Text(At(duty, "deadline")) << ")"
                << (At(duty, "verified").as_bool() ? "" : " [unverified]") << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

void AddFollowUpCommands(CommandTable& table) {
  table.Add({"redline", "redline DOSSIER --from N --to M [--format json|html|pdf --out FILE]",
             "what changed between two versions, section by section (JSON, HTML or PDF)", Redline});
  table.Add({"response-package", "response-package DOSSIER --from N --to M --reply LETTER --out FILE.zip",
             "reply letter, redline (JSON+PDF) and changed documents in one verifiable ZIP",
             ResponsePackage});
  table.Add({"export-profiles", "export-profiles", "export formats' versioned profiles (* = default)",
             ExportProfiles});
  table.Add({"performance post", "performance post PLAN REPORT.json [--key FILE]",
             "sign and post a post-market performance report; prints its evaluation and alerts",
             PerformancePost});
  table.Add({"performance show", "performance show PLAN",
             "a change plan's performance reports and evaluations", PerformanceShow});
  table.Add({"alerts", "alerts", "drift alerts raised here or relayed from reliance peers", Alerts});
}

}  // namespace dossier::cli
