// Reliance commands: sync status, reliance show.
#include <cstdio>
#include <iostream>

#include "commands.h"

namespace dossier::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using client::ObjectKind;

int SyncStatus(Context& c) {
  c.Check({}, 0, 0);
  auto peers = Must(c.Connect().ListPeers(c.Tenant()), "sync status");
  if (c.json) {
    json::array items;
    for (auto& p : peers) items.push_back(std::move(p.json));
    PrintJson(json::object{{"peers", std::move(items)}});
    return kExitOk;
  }
  std::printf("%-16s  %-10s  %-8s  %-10s  %-32s  %s\n", "PEER", "STATUS", "LAST SEQ", "LOG SIZE", "URL",
              "ERROR");
  for (const auto& p : peers) {
    std::printf("%-16s  %-10s  %-8llu  %-10llu  %-32s  %s\n", p.id.c_str(), p.status.c_str(),
                static_cast<unsigned long long>(p.last_seq),
                static_cast<unsigned long long>(p.verified_tree_size), p.url.c_str(), p.error.c_str());
  }
  return kExitOk;
}

int RelianceShow(Context& c) {
  c.Check({}, 1, 1);
  const std::string s = c.args.positional[0];
  auto decisions = Must(c.Connect().Reliance(c.Tenant(), s), "reliance show");
  if (c.json) {
    json::array items;
    for (auto& d : decisions) items.push_back(std::move(d.json));
    PrintJson(json::object{{"submission", s}, {"decisions", std::move(items)}});
    return kExitOk;
  }
  if (decisions.empty()) std::cout << "no foreign decision on this device has been pulled yet\n";
  for (const auto& d : decisions) {
    std::cout << d.peer_tenant << " (" << d.peer_origin << "): " << d.outcome << " " << d.number << " "
              << d.date << "; section digests " << d.attestation << "; " << d.identical_sections
              << " identical, " << d.different_sections << " different\n";
    for (const auto& sec : d.sections) {
      std::cout << "  " << (sec.identical ? "identical  " : "DIFFERENT  ") << sec.code;
      if (!sec.only_in.empty()) std::cout << " (only in " << sec.only_in << ")";
      std::cout << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

void AddRelianceCommands(CommandTable& table) {
  table.Add({"sync status", "sync status", "this regulator's peers: status, last entry, verified log size",
             SyncStatus});
  table.Add({"reliance show", "reliance show SUBMISSION",
             "foreign decisions on the same device, section by section", RelianceShow});
}

}  // namespace dossier::cli
