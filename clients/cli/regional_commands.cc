// Regional commands: export, import, readiness.
#include <iostream>
#include <optional>
#include <string_view>

#include "commands.h"
#include "report_output.h"

namespace dossier::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using client::ObjectKind;

int Export(Context& c) {
  c.Check({"version", "format", "output"}, 1, 1);
  if (!c.args.values.count("format") || !c.args.values.count("output")) {
    throw Failure{kExitUsage, "usage: dossier export D [--version N] --format F -o FILE"};
  }
  const std::string tenant = c.Tenant(), d = c.args.positional[0];
  const uint64_t n = VersionOrHead(c, tenant, d);
  const fs::path out = c.args.Get("output");
  {
    Progress bar("exporting", 0, c.ProgressAllowed());
    Status s = c.Connect().Export(tenant, d, n, c.args.Get("format"), out,
                                  [&](uint64_t done, uint64_t) { bar.Set(done); });
    if (!s.ok()) {
      std::error_code ec;
      fs::remove(out, ec);
      throw FromStatus(s, "export");
    }
  }
  return ReportExport(c, out, d + " version " + std::to_string(n), json::object{{"version", n}});
}

int Import(Context& c) {
  c.Check({"format"}, 1, 1);
  if (!c.args.values.count("format")) throw Failure{kExitUsage, "usage: dossier import --format F FILE"};
  const fs::path in = c.args.positional[0];
  std::error_code ec;
  if (!fs::is_regular_file(in, ec))
    throw Failure{kExitLocal, "cannot read " + in.string() + ": no such file"};
  Progress bar("importing", fs::file_size(in, ec), c.ProgressAllowed());
  // Each record is printed as it arrives (a many-record input: one JSON line
  // each, flushed, while the server is still parsing). The first one waits
  // for a second: a lone record is shown pretty, with its loss report.
  std::optional<std::string> first;
  uint64_t records = 0;
  const auto print_line = [](std::string_view record) -> Status {
    std::cout << record << '\n' << std::flush;
    if (!std::cout) return Status(StatusCode::kInternal, "cannot write the records to stdout", "io-error");
    return Status::Ok();
  };
  Status s = c.Connect().ImportRecords(
      c.Tenant(), c.args.Get("format"), in,
      [&](std::string_view record) -> Status {
        if (++records == 1) {
          first.emplace(record);
          return Status::Ok();
        }
        if (first) {
          bar.Finish();
          DOSSIER_RETURN_IF_ERROR(print_line(*first));
          first.reset();
        }
        return print_line(record);
      },
      [&](uint64_t done, uint64_t) { bar.Set(done); });
  if (!s.ok()) throw FromStatus(s, "import");
  bar.Finish();
  if (!first) return kExitOk;
  const std::string& body = *first;
  boost::system::error_code jec;
  json::value v = json::parse(body, jec);
  std::cout << (!jec && !c.json ? PrettyJson(v) : body);
  if (!body.empty() && body.back() != '\n' && (jec || c.json)) std::cout << "\n";
  // The content is the output; what did not carry over goes to stderr, by path.
  if (!c.json && !jec && v.is_object() && v.as_object().contains("loss")) {
    std::cout.flush();
    PrintLossReport(v.as_object().at("loss"), "the canonical content", std::cerr);
  }
  return kExitOk;
}

int Readiness(Context& c) {
  c.Check({"version", "agency", "pathway"}, 1, 1);
  if (!c.args.values.count("agency"))
    throw Failure{kExitUsage, "usage: dossier readiness D --version N --agency FDA|EU|HSA"};
  const std::string tenant = c.Tenant(), d = c.args.positional[0];
  const uint64_t n = VersionOrHead(c, tenant, d);
  auto report = ParseObject(
      Must(c.Connect().Readiness(tenant, d, n, c.args.Get("agency"), c.args.Get("pathway")), "readiness"));
  if (c.json) {
    PrintJson(report);
  } else {
    PrintReadiness(report);
  }
  return kExitOk;
}

}  // namespace

int ReportExport(Context& c, const fs::path& out, const std::string& what, json::object result) {
  std::error_code ec;
  const std::optional<json::value> loss = ExportedLoss(out);
  if (c.json) {
    result["file"] = out.string();
    result["bytes"] = fs::file_size(out, ec);
    if (loss) result["loss"] = *loss;
    PrintJson(result);
    return kExitOk;
  }
  const std::string format = c.args.Get("format");
  std::cout << "exported " << what << " as " << format << " to " << out.string() << " ("
            << fs::file_size(out, ec) << " bytes)\n";
  if (loss) {
    PrintLossReport(*loss, "the " + format + " package");
  } else {
    std::cout << "loss report: not in this format's file (the import of it reports what does not carry "
                 "back)\n";
  }
  return kExitOk;
}

void AddRegionalCommands(CommandTable& table) {
  table.Add({"export", "export D [--version N] --format F -o FILE",
             "regional package (imdrf-toc, fda-estar, eu-mdr, hsa-csdt, fhir-r5)", Export});
  table.Add(
      {"import", "import --format F FILE", "regional package or record -> canonical content (JSON)", Import});
  table.Add({"readiness", "readiness D [--version N] --agency FDA|EU|HSA [--pathway P]",
             "what the agency's checklist still misses", Readiness});
}

}  // namespace dossier::cli
