// Submission commands: submit, inbox.
#include <cstdio>
#include <iostream>

#include "commands.h"

namespace dossier::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using client::ObjectKind;

int Submit(Context& c) {
  c.Check({"version", "agency", "pathway"}, 1, 1);
  for (const char* f : {"version", "agency", "pathway"}) {
    if (!c.args.values.count(f)) throw Failure{kExitUsage, std::string("submit needs --") + f};
  }
  uint64_t version = 0;
  try {
    version = ParseVersion(c.args.Get("version"), "--version");
  } catch (...) {
    throw Failure{kExitUsage, "--version must be a number"};
  }
  auto s = Must(c.Connect().Submit(
                    c.Tenant(), {c.args.positional[0], version, c.args.Get("agency"), c.args.Get("pathway")}),
                "submit");
  if (c.json) {
    PrintJson(s.json);
  } else {
    std::cout << "submitted " << c.args.positional[0] << " version " << version << " to "
              << c.args.Get("agency") << " as " << s.id << " (" << s.status << ")\n";
  }
  return kExitOk;
}

int Inbox(Context& c) {
  c.Check({}, 0, 0);
  auto inbox = Must(c.Connect().Inbox(c.Tenant()), "inbox");
  if (c.json) {
    json::array items;
    for (auto& s : inbox) items.push_back(std::move(s.json));
    PrintJson(json::object{{"submissions", std::move(items)}});
    return kExitOk;
  }
  std::printf("%-20s  %-14s  %-16s  %-18s  %s\n", "SUBMISSION", "STATUS", "MANUFACTURER", "PATHWAY",
              "DOSSIER");
  for (const auto& s : inbox) {
    std::printf("%-20s  %-14s  %-16s  %-18s  %s v%llu\n", s.id.c_str(), s.status.c_str(),
                s.manufacturer.c_str(), s.pathway.c_str(), s.dossier.c_str(),
                static_cast<unsigned long long>(s.version));
  }
  return kExitOk;
}

}  // namespace

void AddSubmissionCommands(CommandTable& table) {
  table.Add({"submit", "submit D --version N --agency REGULATOR --pathway P",
             "submit a version to a regulator tenant", Submit});
  table.Add({"inbox", "inbox", "submissions addressed to this regulator", Inbox});
}

}  // namespace dossier::cli
