// Change-plan commands: plans create / push / log / show / bundle, executed
// modifications recorded against a plan (modifications record / list), and
// post-market performance reports evaluated against a signed plan version
// (performance evaluate).
#include <iostream>

#include "cli_output.h"
#include "commands.h"
#include "schema/dossier_codec.h"
#include "schema/pccp/post_market.h"
#include "schema/validate.h"

namespace dossier::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using client::ObjectKind;

// The version named by --version, or the plan's head.
uint64_t PlanVersionOrHead(Context& c, const std::string& tenant, const std::string& plan) {
  if (c.args.values.count("version")) return ParseVersion(c.args.Get("version"), "--version");
  auto head = Must(c.Connect().GetObject(tenant, ObjectKind::kChangePlan, plan), "change plan " + plan);
  if (head.head_version == 0) throw Failure{kExitRefused, "change plan " + plan + " has no version yet"};
  return head.head_version;
}

// A change-plan file checked locally (syntax with line and column, then the
// schema and the plan's own rules) and returned in canonical JSON.
std::string CheckedPlanContent(const fs::path& file) {
  const std::string text = ReadTextFile(file, "change plan");
  if (std::string problem = JsonSyntaxError(text); !problem.empty()) {
    throw Failure{kExitLocal, "change plan " + file.string() + ": " + problem};
  }
  auto plan = schema::ParseChangePlan(text, schema::ContentFormat::kJson);
  if (!plan.ok()) {
    throw Failure{kExitLocal,
                  "change plan " + file.string() + ": " + ReadableSchemaMessage(plan.status().message())};
  }
  Status valid = schema::ValidateChangePlan(*plan);
  if (!valid.ok()) {
    throw Failure{kExitLocal, "invalid change plan " + file.string() + " at " + valid.field() + ": " +
                                  valid.message() + " [" + valid.reason() + "]"};
  }
  return schema::ChangePlanToJson(*plan);
}

int PlansCreate(Context& c) {
  c.Check({"dossier", "title"}, 1, 1);
  const std::string dossier = c.Require("dossier");
  auto o = Must(c.Connect().CreateChangePlan(c.Tenant(), c.args.positional[0], dossier, c.args.Get("title")),
                "plans create");
  if (c.json) {
    PrintJson(ParseObject(o.json_text));
  } else {
    std::cout << "created change plan " << o.id << " for dossier " << dossier << "\n";
  }
  return kExitOk;
}

int PlansPush(Context& c) {
  c.Check({"message", "key"}, 2, 2);
  const std::string plan = c.args.positional[0];
  const std::string content = CheckedPlanContent(c.args.positional[1]);
  const client::SigningKey key = LoadSigningKey(c);
  client::CommitRequest req;
  req.tenant = c.Tenant();
  req.kind = ObjectKind::kChangePlan;
  req.id = plan;
  req.content = content;
  req.media_type = std::string(client::kChangePlanJson);
  req.message = c.args.Get("message");
  auto result = Must(c.Connect().Commit(req, key), "plans push");
  if (c.json) {
    PrintJson(ParseObject(result.version.json_text));
  } else {
    std::cout << "pushed change plan " << plan << " version " << result.version.version << "\n  digest "
              << result.version.digest << ", log index " << result.receipt.log_index << "\n";
  }
  return kExitOk;
}

int PlansLog(Context& c) {
  c.Check({}, 1, 1);
  auto versions =
      Must(c.Connect().AllVersions(c.Tenant(), ObjectKind::kChangePlan, c.args.positional[0]), "plans log");
  if (c.json) {
    json::array a;
    for (auto& v : versions) a.push_back(ParseObject(v.json_text));
    PrintJson(json::object{{"versions", a}});
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    rows.push_back({std::to_string(it->version), it->created_at, it->digest.substr(0, 19),
                    it->signer_key_id.substr(0, 12), it->message});
  }
  PrintTable({"VERSION", "CREATED", "DIGEST", "SIGNER", "MESSAGE"}, rows);
  return kExitOk;
}

int PlansShow(Context& c) {
  c.Check({"version"}, 1, 1);
  const std::string tenant = c.Tenant(), plan = c.args.positional[0];
  const uint64_t n = PlanVersionOrHead(c, tenant, plan);
  auto version = Must(c.Connect().GetVersion(tenant, ObjectKind::kChangePlan, plan, n), "plans show");
  if (c.json) {
    PrintJson(json::object{{"version", ParseObject(version.info.json_text)},
                           {"content", ParseValue(version.content_json_text)}});
    return kExitOk;
  }
  const json::value content = ParseValue(version.content_json_text);
  const json::object empty;
  const json::object& p = content.is_object() ? content.as_object() : empty;
  std::cout << "change plan " << plan << " version " << n << " (" << version.info.digest << ")\n"
            << "  title         " << Cell(p, "title") << "\n  plan version  " << Cell(p, "planVersion")
            << "\n  dossier       " << Cell(p, "dossier") << "\n";
  if (const json::value* mods = p.if_contains("modifications"); mods && mods->is_array()) {
    std::cout << "\nmodifications\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : mods->as_array()) {
      if (m.is_object())
        rows.push_back(
            {Cell(m.as_object(), "id"), Cell(m.as_object(), "type"), Cell(m.as_object(), "description")});
    }
    PrintTable({"ID", "TYPE", "DESCRIPTION"}, rows);
  }
  if (const json::value* criteria = p.if_contains("criteria"); criteria && criteria->is_array()) {
    std::cout << "\nacceptance criteria\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& cr : criteria->as_array()) {
      if (!cr.is_object()) continue;
      const json::object& o = cr.as_object();
      const std::string subgroup = Cell(o, "subgroup");
      const std::string estimate = Cell(o, "estimate");
      rows.push_back({Cell(o, "modificationId"), Cell(o, "metric"), subgroup.empty() ? "(all)" : subgroup,
                      estimate.empty() ? "POINT" : estimate, Cell(o, "min"), Cell(o, "max"),
                      Cell(o, "minSampleSize")});
    }
    PrintTable({"MODIFICATION", "METRIC", "SUBGROUP", "ESTIMATE", "MIN", "MAX", "MIN N"}, rows);
  }
  if (const json::value* auth = p.if_contains("authorizations"); auth && auth->is_array()) {
    std::cout << "\nauthorisations\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : auth->as_array()) {
      if (a.is_object())
        rows.push_back({Cell(a.as_object(), "jurisdiction"), Cell(a.as_object(), "status"),
                        Cell(a.as_object(), "reference")});
    }
    PrintTable({"JURISDICTION", "STATUS", "REFERENCE"}, rows);
  }
  return kExitOk;
}

int PlansBundle(Context& c) {
  c.Check({"version", "output"}, 1, 1);
  const std::string out = c.Require("output");
  const std::string tenant = c.Tenant(), plan = c.args.positional[0];
  const uint64_t n = PlanVersionOrHead(c, tenant, plan);
  std::string raw;
  Must(c.Connect().GetBundle(tenant, ObjectKind::kChangePlan, plan, n, &raw), "plans bundle");
  WriteOutputFile(out, raw);
  if (!c.json)
    std::cout << "saved the bundle of change plan " << plan << " version " << n << " to " << out << "\n";
  return kExitOk;
}

// ------------------------------------------------------------ modifications

// An evaluation ({"withinPlan", "findings", "jurisdictions", "actions", ...})
// as a verdict line, the findings and the per-jurisdiction table.
void PrintEvaluation(const json::object& e) {
  const bool within =
      e.contains("withinPlan") && e.at("withinPlan").is_bool() && e.at("withinPlan").as_bool();
  std::cout << "modification " << Cell(e, "modificationId") << " (software " << Cell(e, "softwareVersion")
            << "): " << (within ? "WITHIN the change plan" : "OUTSIDE the change plan") << " (plan version "
            << Cell(e, "planVersion") << ", evaluated " << Cell(e, "evaluationDate") << ")\n";
  if (const json::value* reasons = e.if_contains("reasons"); reasons && reasons->is_array()) {
    for (const auto& r : reasons->as_array()) {
      if (!r.is_object()) continue;
      const std::string field = Cell(r.as_object(), "field");
      std::cout << "  - " << Cell(r.as_object(), "explanation") << (field.empty() ? "" : " (" + field + ")")
                << "\n";
    }
  }
  if (const json::value* findings = e.if_contains("findings"); findings && findings->is_array()) {
    std::cout << "\nacceptance criteria\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& f : findings->as_array()) {
      if (!f.is_object()) continue;
      const json::object& o = f.as_object();
      const std::string subgroup = Cell(o, "subgroup");
      const std::string failure = Cell(o, "failure");
      const std::string min = Cell(o, "thresholdMin"), max = Cell(o, "thresholdMax");
      rows.push_back({Cell(o, "metric"), subgroup.empty() ? "(all)" : subgroup, Cell(o, "estimate"),
                      Cell(o, "value"), !min.empty() ? ">= " + min : (!max.empty() ? "<= " + max : ""),
                      Cell(o, "sampleSize"),
                      o.contains("pass") && o.at("pass").as_bool() ? "pass" : "FAIL " + failure});
    }
    PrintTable({"METRIC", "SUBGROUP", "ESTIMATE", "VALUE", "THRESHOLD", "N", "RESULT"}, rows);
  }
  if (const json::value* js = e.if_contains("jurisdictions"); js && js->is_array()) {
    std::cout << "\nper jurisdiction\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& j : js->as_array()) {
      if (!j.is_object()) continue;
      const json::object& o = j.as_object();
      std::string actions;
      if (const json::value* all = e.if_contains("actions"); all && all->is_array()) {
        for (const auto& a : all->as_array()) {
          if (!a.is_object() || Cell(a.as_object(), "jurisdiction") != Cell(o, "jurisdiction")) continue;
          const std::string category = Cell(a.as_object(), "category");
          actions += (actions.empty() ? "" : "; ") + Cell(a.as_object(), "action") +
                     (category.empty() ? "" : " (" + category + ")") + " [" +
                     Cell(a.as_object(), "citation") + "]";
        }
      }
      rows.push_back({Cell(o, "jurisdiction"), Cell(o, "authorizationStatus"),
                      o.contains("withinPlan") && o.at("withinPlan").as_bool() ? "yes" : "no", actions});
    }
    PrintTable({"JURISDICTION", "PLAN STATUS", "WITHIN PLAN", "ACTIONS [CITATION]"}, rows);
  }
}

int ModificationsRecord(Context& c) {
  c.Check({}, 2, 2);
  const fs::path file = c.args.positional[1];
  const std::string text = ReadTextFile(file, "modification record");
  if (std::string problem = JsonSyntaxError(text); !problem.empty()) {
    throw Failure{kExitLocal, "modification record " + file.string() + ": " + problem};
  }
  auto evaluation = ParseObject(
      Must(c.Connect().RecordModification(c.Tenant(), c.args.positional[0], text), "modifications record"));
  if (c.json) {
    PrintJson(evaluation);
  } else {
    std::cout << "recorded as " << Cell(evaluation, "id") << "\n";
    PrintEvaluation(evaluation);
  }
  return kExitOk;
}

int ModificationsList(Context& c) {
  c.Check({}, 1, 1);
  auto records = Must(c.Connect().ListModifications(c.Tenant(), c.args.positional[0]), "modifications list");
  if (c.json) {
    json::array a;
    for (auto& r : records) a.push_back(ParseObject(r));
    PrintJson(json::object{{"modifications", std::move(a)}});
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& record_text : records) {
    const json::object r = ParseObject(record_text);
    const json::value* e = r.if_contains("evaluation");
    const json::object empty;
    const json::object& ev = e && e->is_object() ? e->as_object() : empty;
    std::string jurisdictions;
    if (const json::value* js = ev.if_contains("jurisdictions"); js && js->is_array()) {
      for (const auto& j : js->as_array()) {
        if (!j.is_object()) continue;
        jurisdictions += (jurisdictions.empty() ? "" : " ") + Cell(j.as_object(), "jurisdiction") + ":" +
                         (Cell(j.as_object(), "withinPlan") == "yes" ? "within" : "outside");
      }
    }
    rows.push_back({Cell(r, "id"), Cell(ev, "modificationId"), Cell(ev, "softwareVersion"),
                    Cell(ev, "withinPlan") == "yes" ? "within" : "OUTSIDE", jurisdictions});
  }
  PrintTable({"RECORD", "MODIFICATION", "SOFTWARE", "PLAN", "BY JURISDICTION"}, rows);
  return kExitOk;
}

// -------------------------------------------------------------- post-market

int PerformanceEvaluate(Context& c) {
  c.Check({"version"}, 2, 2);
  const std::string tenant = c.Tenant(), plan_id = c.args.positional[0];
  const fs::path file = c.args.positional[1];
  const std::string text = ReadTextFile(file, "performance report");
  if (std::string problem = JsonSyntaxError(text); !problem.empty()) {
    throw Failure{kExitLocal, "performance report " + file.string() + ": " + problem};
  }
  auto report = pccp::ParsePerformanceReport(text);
  if (!report.ok()) {
    throw Failure{kExitLocal, "performance report " + file.string() + " at " + report.status().field() +
                                  ": " + report.status().message() + " [" + report.status().reason() + "]"};
  }
  // The signed plan version, digest-checked by the SDK, evaluated here.
  const uint64_t n = PlanVersionOrHead(c, tenant, plan_id);
  const std::string bytes = Must(c.Connect().GetVersionContent(tenant, ObjectKind::kChangePlan, plan_id, n),
                                 "performance evaluate");
  auto plan = schema::ParseChangePlan(bytes, schema::ContentFormat::kJson);
  if (!plan.ok()) throw Failure{kExitRefused, "change plan version " + std::to_string(n) + " does not parse"};
  auto evaluation = pccp::EvaluatePerformance(*plan, *report);
  if (!evaluation.ok()) {
    throw Failure{kExitLocal, "cannot evaluate: " + evaluation.status().message() + " at " +
                                  evaluation.status().field() + " [" + evaluation.status().reason() + "]"};
  }
  json::object out = pccp::PerformanceEvaluationToJson(*evaluation);
  out["changePlan"] = plan_id;
  out["planVersion"] = n;
  if (c.json) {
    PrintJson(out);
    return kExitOk;
  }
  std::cout << "software " << evaluation->software_version << ", " << evaluation->period_start << " to "
            << evaluation->period_end << ", against change plan " << plan_id << " version " << n << ": "
            << (evaluation->drift ? "DRIFT below the plan's acceptance criteria" : "no drift") << "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& f : evaluation->findings) {
    const json::object o = pccp::FindingToJson(f);
    const std::string min = Cell(o, "thresholdMin"), max = Cell(o, "thresholdMax");
    rows.push_back({f.metric, f.subgroup.empty() ? "(all)" : f.subgroup, f.site.empty() ? "(all)" : f.site,
                    Cell(o, "value"), !min.empty() ? ">= " + min : (!max.empty() ? "<= " + max : ""),
                    Cell(o, "sampleSize"), f.pass ? "pass" : "FAIL " + f.failure});
  }
  PrintTable({"METRIC", "SUBGROUP", "SITE", "VALUE", "THRESHOLD", "N", "RESULT"}, rows);
  for (const auto& flag : evaluation->flags) {
    std::cout << (flag.drift ? "DRIFT   " : "warning ") << flag.code << ": " << flag.explanation
              << (flag.field.empty() ? "" : " (" + flag.field + ")") << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddPlanCommands(CommandTable& table) {
  table.Add({"plans create", "plans create P --dossier D [--title T]",
             "a new change plan (PCCP) for dossier D", PlansCreate});
  table.Add({"plans push", "plans push P FILE [--message M] [--key FILE]",
             "a change-plan JSON file -> its next signed version", PlansPush});
  table.Add({"plans log", "plans log P", "the plan's signed versions", PlansLog});
  table.Add({"plans show", "plans show P [--version N]", "modifications, acceptance criteria, authorisations",
             PlansShow});
  table.Add({"plans bundle", "plans bundle P [--version N] -o FILE", "save the plan version's offline bundle",
             PlansBundle});
  table.Add({"modifications record", "modifications record P FILE",
             "record an executed modification; prints its evaluation per jurisdiction", ModificationsRecord});
  table.Add({"modifications list", "modifications list P", "recorded modifications and their verdicts",
             ModificationsList});
  table.Add({"performance evaluate", "performance evaluate P FILE [--version N]",
             "a post-market performance report against the signed plan (local)", PerformanceEvaluate});
}

}  // namespace dossier::cli
