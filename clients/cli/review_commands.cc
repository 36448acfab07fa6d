// The regulator's side of a submission: its readiness for my agency, the
// submitted version exported or downloaded into the ToC layout, starting the
// review, deciding with a decision file signed locally, and the decisions
// (list, show, offline bundle).
#include <iostream>

#include "cli_output.h"
#include "commands.h"
#include "report_output.h"
#include "schema/dossier_codec.h"
#include "schema/toc.h"
#include "schema/validate.h"
#include "toc_layout.h"

namespace dossier::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

int SubmissionsReadiness(Context& c) {
  c.Check({"agency", "pathway"}, 1, 1);
  auto report = ParseObject(Must(c.Connect().SubmissionReadiness(c.Tenant(), c.args.positional[0],
                                                                 c.args.Get("agency"), c.args.Get("pathway")),
                                 "submissions readiness"));
  if (c.json) {
    PrintJson(report);
  } else {
    PrintReadiness(report);
  }
  return kExitOk;
}

int SubmissionsExport(Context& c) {
  c.Check({"format", "output"}, 1, 1);
  const std::string format = c.Require("format");
  const fs::path out = c.Require("output");
  const std::string s = c.args.positional[0];
  {
    Progress bar("exporting", 0, c.ProgressAllowed());
    Status status = c.Connect().ExportSubmission(c.Tenant(), s, format, out,
                                                 [&](uint64_t done, uint64_t) { bar.Set(done); });
    if (!status.ok()) {
      std::error_code ec;
      fs::remove(out, ec);
      throw FromStatus(status, "submissions export");
    }
  }
  return ReportExport(c, out, "submission " + s, json::object{{"submission", s}});
}

int SubmissionsDownload(Context& c) {
  c.Check({}, 2, 2);
  const std::string tenant = c.Tenant(), s = c.args.positional[0];
  const fs::path dir = c.args.positional[1];
  auto& cl = c.Connect();
  // The exact submitted bytes (checked against the submission's digest).
  const std::string bytes = Must(cl.GetSubmissionContent(tenant, s), "submissions download");
  auto dossier = schema::ParseDossier(bytes, schema::ContentFormat::kJson);
  if (!dossier.ok()) dossier = schema::ParseDossier(bytes, schema::ContentFormat::kProtobuf);
  if (!dossier.ok()) throw Failure{kExitRefused, "the submitted content does not parse as a dossier"};
  const TocLayoutResult written = WriteTocLayout(
      *dossier, dir, c.ProgressAllowed(),
      [&](const std::string& digest, const fs::path& target, client::ProgressFn progress) {
        Must(cl.DownloadSubmissionDocument(tenant, s, digest, target, std::move(progress)), target.string());
      });
  if (c.json) {
    PrintJson(json::object{
        {"submission", s}, {"documents", written.documents}, {"downloaded", written.downloaded}});
  } else {
    std::cout << "downloaded submission " << s << " into " << dir.string() << ": " << written.documents
              << " documents (" << written.downloaded << " fetched), laid out by ToC heading\n";
  }
  return kExitOk;
}

int SubmissionsReview(Context& c) {
  c.Check({}, 1, 1);
  auto s = Must(c.Connect().StartReview(c.Tenant(), c.args.positional[0]), "submissions review");
  if (c.json) {
    PrintJson(ParseObject(s.json_text));
  } else {
    std::cout << s.id << " is " << s.status << "\n";
  }
  return kExitOk;
}

// ---------------------------------------------------------------- decisions

int Decide(Context& c) {
  c.Check({"key"}, 2, 2);
  const std::string tenant = c.Tenant(), s = c.args.positional[0];
  const fs::path file = c.args.positional[1];
  json::value v = ReadJsonFile(file, "decision");
  if (!v.is_object()) throw Failure{kExitLocal, "decision " + file.string() + ": must be a JSON object"};
  json::object& decision = v.as_object();
  // The decision names the submission it is recorded on: filled in when the
  // file leaves it out, refused when it names another one.
  if (const json::value* named = decision.if_contains("submission")) {
    if (!named->is_string() || named->as_string() != s) {
      throw Failure{kExitLocal,
                    "decision " + file.string() + " names submission " + CompactJson(*named) + ", not " + s};
    }
  } else {
    decision["submission"] = s;
  }
  // Each reviewed section without a digest attests the digest the node
  // recorded for it at submission time: what this review covered.
  auto& cl = c.Connect();
  const client::Submission submission = Must(cl.GetSubmission(tenant, s), "decide");
  size_t attested = 0;
  if (json::value* sections = decision.if_contains("sections"); sections && sections->is_array()) {
    for (auto& section : sections->as_array()) {
      if (!section.is_object() || section.as_object().contains("digest")) continue;
      auto digest = submission.section_digests.find(Cell(section.as_object(), "code"));
      if (digest == submission.section_digests.end()) continue;
      section.as_object()["digest"] = digest->second;
      ++attested;
    }
  }
  auto parsed = schema::ParseDecision(json::serialize(v), schema::ContentFormat::kJson);
  if (!parsed.ok()) {
    throw Failure{kExitLocal,
                  "decision " + file.string() + ": " + ReadableSchemaMessage(parsed.status().message())};
  }
  Status valid = schema::ValidateDecision(*parsed, schema::TocCatalog::BuiltIn());
  if (!valid.ok()) {
    throw Failure{kExitLocal, "invalid decision " + file.string() + " at " + valid.field() + ": " +
                                  ReadableSchemaMessage(valid.message()) + " [" + valid.reason() + "]"};
  }
  const client::SigningKey key = LoadSigningKey(c);
  auto result = Must(cl.CommitDecisionContent(tenant, s, schema::DecisionToJson(*parsed), key), "decide");
  if (c.json) {
    json::object out = ParseObject(result.version.json_text);
    out["attestedSections"] = attested;
    PrintJson(out);
  } else {
    std::cout << "recorded decision version " << result.version.version << " on " << s << ": "
              << v1::Decision::Outcome_Name(parsed->outcome()) << " " << parsed->number() << " "
              << parsed->date() << "\n  signed by key " << result.version.signer_key_id << ", log index "
              << result.receipt.log_index << "; " << attested << " section digest(s) attested\n";
  }
  return kExitOk;
}

int DecisionsList(Context& c) {
  c.Check({}, 0, 0);
  const std::string tenant = c.Tenant();
  auto& cl = c.Connect();
  const client::Tenant self = Must(cl.GetTenant(tenant), "decisions list");
  const bool regulator = self.kind != "MANUFACTURER";
  auto list = Must(regulator ? cl.Inbox(tenant) : cl.ListSubmissions(tenant), "decisions list");
  json::array decided;
  std::vector<std::vector<std::string>> rows;
  for (auto& s : list) {
    json::object whole = ParseObject(s.json_text);
    const json::value* d = whole.if_contains("decision");
    if (d == nullptr || !d->is_object()) continue;
    const json::object& o = d->as_object();
    rows.push_back({s.id, regulator ? s.manufacturer : s.agency, s.dossier + " v" + std::to_string(s.version),
                    Cell(o, "outcome"), Cell(o, "number"), Cell(o, "date"), Cell(o, "version"),
                    Cell(o, "logIndex")});
    decided.push_back(std::move(whole));
  }
  if (c.json) {
    PrintJson(json::object{{"submissions", std::move(decided)}});
    return kExitOk;
  }
  PrintTable({"SUBMISSION", regulator ? "MANUFACTURER" : "AGENCY", "DOSSIER", "OUTCOME", "NUMBER", "DATE",
              "VERSION", "LOG INDEX"},
             rows);
  return kExitOk;
}

int DecisionsShow(Context& c) {
  c.Check({}, 1, 1);
  auto versions = Must(c.Connect().ListDecisions(c.Tenant(), c.args.positional[0]), "decisions show");
  if (c.json) {
    json::array a;
    for (auto& v : versions) a.push_back(ParseObject(v.json_text));
    PrintJson(json::object{{"decisions", std::move(a)}});
    return kExitOk;
  }
  if (versions.empty()) std::cout << "no decision on " << c.args.positional[0] << " yet\n";
  for (const auto& v : versions) {
    const json::object whole = ParseObject(v.json_text);
    const json::value* d = whole.if_contains("decision");
    const json::object empty;
    const json::object& o = d && d->is_object() ? d->as_object() : empty;
    std::cout << "version " << v.version << " (" << v.created_at << ", log index " << v.log_index << ", key "
              << v.signer_key_id.substr(0, 12) << "): " << Cell(o, "outcome") << " " << Cell(o, "number")
              << " " << Cell(o, "date") << "\n";
    if (const json::value* sections = o.if_contains("sections"); sections && sections->is_array()) {
      std::vector<std::vector<std::string>> rows;
      for (const auto& s : sections->as_array()) {
        if (!s.is_object()) continue;
        const std::string digest = Cell(s.as_object(), "digest");
        rows.push_back({"  " + Cell(s.as_object(), "code"), Cell(s.as_object(), "outcome"),
                        digest.empty() ? "(not attested)" : digest.substr(0, 19),
                        Cell(s.as_object(), "notes")});
      }
      PrintTable({"  SECTION", "OUTCOME", "DIGEST", "NOTES"}, rows);
    }
  }
  return kExitOk;
}

int DecisionsBundle(Context& c) {
  c.Check({"version", "output", "save-content"}, 1, 1);
  const std::string out = c.Require("output");
  const std::string tenant = c.Tenant(), s = c.args.positional[0];
  auto& cl = c.Connect();
  uint64_t n = 0;
  if (c.args.values.count("version")) {
    n = ParseVersion(c.args.Get("version"), "--version");
  } else {
    n = Must(cl.ListDecisions(tenant, s), "decisions bundle").size();
    if (n == 0) throw Failure{kExitRefused, "no decision on " + s + " yet"};
  }
  auto bundle = Must(cl.GetDecisionBundle(tenant, s, n), "decisions bundle");
  WriteOutputFile(out, bundle.json);
  if (c.args.values.count("save-content")) {
    if (bundle.content.empty()) throw Failure{kExitRefused, "the feed did not carry the decision content"};
    WriteOutputFile(c.args.Get("save-content"), bundle.content);
  }
  if (!c.json)
    std::cout << "saved the bundle of decision version " << n << " on " << s << " to " << out << "\n";
  return kExitOk;
}

}  // namespace

void AddReviewCommands(CommandTable& table) {
  table.Add({"submissions readiness", "submissions readiness S [--agency A] [--pathway P]",
             "(regulator) the submitted version against my agency's checklist", SubmissionsReadiness});
  table.Add({"submissions export", "submissions export S --format F -o FILE",
             "(regulator) the submitted version as an agency package, with its loss report",
             SubmissionsExport});
  table.Add({"submissions download", "submissions download S DIR",
             "(regulator) the submitted documents into DIR, laid out by ToC heading", SubmissionsDownload});
  table.Add({"submissions review", "submissions review S", "(regulator) mark a submission as under review",
             SubmissionsReview});
  table.Add({"decide", "decide S FILE [--key FILE]", "(regulator) sign a decision file locally and record it",
             Decide});
  table.Add({"decisions list", "decisions list", "decided submissions (mine as a regulator or manufacturer)",
             DecisionsList});
  table.Add({"decisions show", "decisions show S",
             "every signed decision on a submission, section by section", DecisionsShow});
  table.Add({"decisions bundle", "decisions bundle S [--version N] -o FILE [--save-content FILE]",
             "(regulator) save a decision's offline bundle (and its signed content)", DecisionsBundle});
}

}  // namespace dossier::cli
