// Reliance between regulators: agreements (the granting side), peers (the
// pulling side) and their sync status, the foreign decisions on a received
// submission, and this node's log key (which a peer needs out of band).
#include <cstdio>
#include <iostream>

#include "cli_output.h"
#include "commands.h"
#include "common/strings.h"

namespace dossier::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using client::ObjectKind;

void PrintPeers(const std::vector<client::Peer>& peers);

int SyncStatus(Context& c) {
  c.Check({}, 0, 0);
  auto peers = Must(c.Connect().ListPeers(c.Tenant()), "sync status");
  if (c.json) {
    json::array items;
    for (auto& p : peers) items.push_back(ParseObject(p.json_text));
    PrintJson(json::object{{"peers", std::move(items)}});
    return kExitOk;
  }
  PrintPeers(peers);
  return kExitOk;
}

int RelianceShow(Context& c) {
  c.Check({}, 1, 1);
  const std::string s = c.args.positional[0];
  auto decisions = Must(c.Connect().Reliance(c.Tenant(), s), "reliance show");
  if (c.json) {
    json::array items;
    for (auto& d : decisions) items.push_back(ParseObject(d.json_text));
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

// ------------------------------------------------------------- agreements

void PrintAgreements(const std::vector<client::JsonText>& agreement_texts) {
  std::vector<json::object> agreements;
  for (const auto& text : agreement_texts) agreements.push_back(ParseObject(text));
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : agreements) {
    rows.push_back({Cell(a, "peer"), Cell(a, "includeReviewReports"), Cell(a, "outcomes"),
                    Cell(a, "validUntil"), Cell(a, "createdAt")});
  }
  PrintTable({"PEER", "REVIEW REPORTS", "OUTCOMES", "VALID UNTIL", "CREATED"}, rows);
}

int AgreementsCreate(Context& c) {
  c.Check({"outcomes", "valid-until", "no-review-reports"}, 1, 1);
  client::NewRelianceAgreement agreement;
  agreement.peer = c.args.positional[0];
  agreement.include_review_reports = !c.args.Has("no-review-reports");
  if (c.args.values.count("outcomes")) {
    for (const auto& o : Split(c.args.Get("outcomes"), ',')) {
      if (!o.empty()) agreement.outcomes.push_back(o);
    }
  }
  agreement.valid_until = c.args.Get("valid-until");
  auto stored =
      ParseObject(Must(c.Connect().CreateRelianceAgreement(c.Tenant(), agreement), "agreements create"));
  if (c.json) {
    PrintJson(stored);
  } else {
    std::cout << "agreement: " << agreement.peer << " may read this regulator's decisions"
              << (agreement.include_review_reports ? " and review reports" : "")
              << (agreement.outcomes.empty() ? "" : " (outcomes " + c.args.Get("outcomes") + ")")
              << (agreement.valid_until.empty() ? "" : " until " + agreement.valid_until) << "\n";
  }
  return kExitOk;
}

int AgreementsList(Context& c) {
  c.Check({}, 0, 0);
  auto agreements = Must(c.Connect().ListRelianceAgreements(c.Tenant()), "agreements list");
  if (c.json) {
    json::array a;
    for (auto& o : agreements) a.push_back(ParseObject(o));
    PrintJson(json::object{{"agreements", std::move(a)}});
    return kExitOk;
  }
  PrintAgreements(agreements);
  return kExitOk;
}

int AgreementsRevoke(Context& c) {
  c.Check({}, 1, 1);
  auto ended = ParseObject(
      Must(c.Connect().RevokeRelianceAgreement(c.Tenant(), c.args.positional[0]), "agreements revoke"));
  if (c.json) {
    PrintJson(ended);
  } else {
    std::cout << "revoked: " << c.args.positional[0]
              << " may no longer read this regulator's feed (validUntil " << Cell(ended, "validUntil")
              << ")\n";
  }
  return kExitOk;
}

// ------------------------------------------------------------------ peers

void PrintPeers(const std::vector<client::Peer>& peers) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : peers) {
    rows.push_back({p.id, p.tenant, p.status, std::to_string(p.last_seq), std::to_string(p.entries),
                    std::to_string(p.verified_tree_size), p.url, p.error});
  }
  PrintTable({"PEER", "TENANT", "STATUS", "LAST SEQ", "ENTRIES", "LOG SIZE", "URL", "ERROR"}, rows);
}

int PeersAdd(Context& c) {
  c.Check({"url", "peer-tenant", "peer-token-file", "log-key"}, 0, 0);
  client::NewPeer peer;
  peer.url = c.Require("url");
  peer.tenant = c.Require("peer-tenant");
  // The remote credential comes from a file, never the command line (shell
  // history, process list).
  std::string token = ReadTextFile(c.Require("peer-token-file"), "peer token");
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  peer.token = token;
  peer.log_public_key_pem = ReadTextFile(c.Require("log-key"), "peer log key");
  auto added = Must(c.Connect().AddPeer(c.Tenant(), peer), "peers add");
  if (c.json) {
    PrintJson(ParseObject(added.json_text));
  } else {
    std::cout << "added peer " << added.id << ": pulling " << peer.tenant << " at " << peer.url << " ("
              << added.status << "); follow it with `dossier peers show " << added.id << "`\n";
  }
  return kExitOk;
}

int PeersShow(Context& c) {
  c.Check({}, 1, 1);
  auto p = Must(c.Connect().GetPeer(c.Tenant(), c.args.positional[0]), "peers show");
  if (c.json) {
    PrintJson(ParseObject(p.json_text));
    return kExitOk;
  }
  std::cout << "peer      " << p.id << "\nurl       " << p.url << "\ntenant    " << p.tenant << "\nstatus    "
            << p.status << "\nlog       " << (p.origin.empty() ? "(not verified yet)" : p.origin)
            << "\nlast seq  " << p.last_seq << "\nentries   " << p.entries << " verified\nlog size  "
            << p.verified_tree_size << " (last checkpoint verified)\n";
  if (!p.error.empty()) std::cout << "error     " << p.error << "\n";
  return kExitOk;
}

// ------------------------------------------------------------------- log key

int LogKey(Context& c) {
  c.Check({"output"}, 0, 0);
  auto key = Must(c.Connect().GetLogPublicKey(), "log-key");
  if (c.args.values.count("output")) {
    WriteOutputFile(c.args.Get("output"), key.key.Pem());
  }
  if (c.json) {
    PrintJson(json::object{{"origin", key.origin}, {"keyId", key.key_id}, {"publicKeyPem", key.key.Pem()}});
  } else if (!c.args.values.count("output")) {
    std::cout << key.key.Pem();
  } else {
    std::cout << "saved the log key of " << key.origin << " (key " << key.key_id.substr(0, 16) << ") to "
              << c.args.Get("output") << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddRelianceCommands(CommandTable& table) {
  table.Add({"agreements create",
             "agreements create PEER [--outcomes A,B] [--valid-until RFC3339] [--no-review-reports]",
             "(regulator) let PEER read my decisions", AgreementsCreate});
  table.Add({"agreements list", "agreements list", "(regulator) my reliance agreements", AgreementsList});
  table.Add({"agreements revoke", "agreements revoke PEER", "(regulator) end the agreement with PEER now",
             AgreementsRevoke});
  table.Add({"peers add", "peers add --url URL --peer-tenant T --peer-token-file F --log-key PEM",
             "(regulator) start pulling a remote regulator's decisions", PeersAdd});
  table.Add({"peers list", "peers list", "(regulator) peers and their sync status", SyncStatus});
  table.Add({"peers show", "peers show PEER", "(regulator) one peer's sync status", PeersShow});
  table.Add(
      {"log-key", "log-key [-o FILE]", "this node's log public key (PEM), for peers and verify", LogKey});
  table.Add({"sync status", "sync status", "this regulator's peers: status, last entry, verified log size",
             SyncStatus});
  table.Add({"reliance show", "reliance show SUBMISSION",
             "foreign decisions on the same device, section by section", RelianceShow});
}

}  // namespace dossier::cli
