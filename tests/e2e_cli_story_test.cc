// The three-agency story of docs/TUTORIAL.md, step by step, with the dossier
// CLI alone: two real dossierd nodes on 127.0.0.1 (the FDA's, which also
// hosts the manufacturer and an EU notified body, and HSA's), the built
// `dossier` binary, and only the files a user writes (examples/story: the
// dossier folder, the change plan, two modification records, a post-market
// report and the FDA's decision). No HTTP, JSON or signing is done here.
// Keep the steps in the order of the tutorial: it says this test follows it.
#define BOOST_TEST_MODULE e2e_cli_story
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <cctype>
#include <sstream>
#include <thread>

#include "tests/support/harness.h"

using namespace dossier::testing;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

fs::path StoryDir() {
  const char* root = std::getenv("DOSSIER_SOURCE_DIR");
  if (root == nullptr) throw std::runtime_error("DOSSIER_SOURCE_DIR is not set (run under ctest)");
  return fs::path(root) / "examples" / "story";
}

// One person at one node: their own config file (token, key, pinned log key).
struct Person {
  std::string name;
  fs::path config;
};

class Story {
 public:
  Story() : work_(dir_.path() / "work") {
    fs::create_directories(work_);
    auto a = Server::Start(dir_.path() / "fda-node");
    BOOST_REQUIRE_MESSAGE(a.ok(), a.status().ToString());
    fda_node_ = std::move(a).value();
    auto b = Server::Start(dir_.path() / "hsa-node");
    BOOST_REQUIRE_MESSAGE(b.ok(), b.status().ToString());
    hsa_node_ = std::move(b).value();
  }

  const fs::path& work() const { return work_; }
  Server& fda_node() { return *fda_node_; }
  Server& hsa_node() { return *hsa_node_; }

  Person NewActor(const std::string& name) { return {name, dir_.path() / "config" / name / "config.json"}; }

  // `dossier args...` as `who`, from the work folder; bounded to 60 s.
  ProcessResult Run(const Person& who, std::vector<std::string> args) {
    args.insert(args.begin(), (BinDir() / "dossier").string());
    const std::map<std::string, std::string> env = {{"DOSSIER_CONFIG", who.config.string()},
                                                    {"HOME", dir_.path().string()},
                                                    {"DOSSIER_SERVER", ""},
                                                    {"DOSSIER_TOKEN", ""},
                                                    {"DOSSIER_TENANT", ""}};
    auto r = RunProcess(args, env, std::chrono::seconds(60), work_);
    BOOST_REQUIRE(!r.timed_out);
    return r;
  }
  // Must succeed; returns stdout.
  std::string Ok(const Person& who, const std::vector<std::string>& args) {
    auto r = Run(who, args);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, who.name << ": dossier " << args[0] << " "
                                                     << (args.size() > 1 ? args[1] : "") << " exited "
                                                     << r.exit_code << ": " << r.err);
    return r.out;
  }
  json::object OkJson(const Person& who, std::vector<std::string> args) {
    args.push_back("--json");
    return json::parse(Ok(who, args)).as_object();
  }

 private:
  TempDir dir_;
  fs::path work_;
  std::unique_ptr<Server> fda_node_, hsa_node_;
};

bool Has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

std::map<std::string, std::string> Documents(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), root).generic_string();
    if (rel != "dossier.json") files[rel] = ReadFile(e.path());
  }
  return files;
}

}  // namespace

BOOST_AUTO_TEST_CASE(three_agencies_with_the_cli_alone) {
  Story story;
  const fs::path examples = StoryDir();
  const fs::path work = story.work();
  const std::string fda_url = story.fda_node().url(), hsa_url = story.hsa_node().url();

  // --- 1. The node operators create the tenants and hand out admin tokens.
  Person operator_a = story.NewActor("operator-a"), operator_b = story.NewActor("operator-b");
  const std::vector<std::string> on_a = {"--server", fda_url, "--token", story.fda_node().operator_token()};
  const std::vector<std::string> on_b = {"--server", hsa_url, "--token", story.hsa_node().operator_token()};
  auto as_operator = [&](const Person& who, const std::vector<std::string>& node,
                         std::vector<std::string> args) {
    args.insert(args.end(), node.begin(), node.end());
    return story.Ok(who, args);
  };
  auto tenant = [&](const Person& who, const std::vector<std::string>& node, const std::string& id,
                    const std::string& kind, const std::string& jurisdiction) {
    std::vector<std::string> args = {"tenants", "create", id, "--kind", kind, "--name", id};
    if (!jurisdiction.empty()) args.insert(args.end(), {"--jurisdiction", jurisdiction});
    as_operator(who, node, args);
  };
  auto token = [&](const Person& who, const std::vector<std::string>& node, const std::string& id,
                   const std::string& role) {
    std::string secret = as_operator(who, node, {"tokens", "create", "--role", role, "--tenant", id});
    while (!secret.empty() && secret.back() == '\n') secret.pop_back();
    return secret;
  };
  tenant(operator_a, on_a, "radiant", "MANUFACTURER", "");
  tenant(operator_a, on_a, "fda", "REGULATOR", "US");
  tenant(operator_a, on_a, "tuv-nb", "NOTIFIED_BODY", "EU");
  tenant(operator_a, on_a, "hsa-node", "REGULATOR", "SG");
  tenant(operator_b, on_b, "radiant", "MANUFACTURER", "");
  tenant(operator_b, on_b, "hsa", "REGULATOR", "SG");

  // --- 2. The manufacturer logs in, creates a key, pushes two signed versions.
  Person radiant = story.NewActor("radiant");
  story.Ok(radiant, {"login", "--server", fda_url, "--tenant", "radiant", "--token",
                     token(operator_a, on_a, "radiant", "ADMIN")});
  story.Ok(radiant, {"keys", "create", "--label", "release signing"});
  story.Ok(radiant, {"create", "thoraxtriage", "--title", "ThoraxTriage AI"});
  fs::copy(examples / "thoraxtriage", work / "thoraxtriage", fs::copy_options::recursive);
  BOOST_TEST(Has(story.Ok(radiant, {"push", "thoraxtriage", "thoraxtriage", "--message", "510(k) baseline"}),
                 "pushed thoraxtriage version 1"));
  WriteFile(work / "thoraxtriage" / "4.02.01 Clinical Evaluation Report" / "cer-addendum.pdf",
            "Placeholder for the CER addendum with 2026 literature.\n");
  BOOST_TEST(Has(story.Ok(radiant, {"push", "thoraxtriage", "thoraxtriage", "--message", "CER addendum"}),
                 "pushed thoraxtriage version 2"));
  BOOST_TEST(Has(story.Ok(radiant, {"log", "thoraxtriage"}), "CER addendum"));
  const std::string diff = story.Ok(radiant, {"diff", "thoraxtriage", "1", "2"});
  BOOST_TEST(Has(diff, "M  4.02.01  +1 -0 documents"), diff);
  BOOST_TEST(Has(diff, "+ cer-addendum.pdf"), diff);

  // --- 3. Exports for the three agencies, each with its loss report.
  for (const std::string format : {"fda-estar", "eu-mdr", "hsa-csdt"}) {
    const std::string out =
        story.Ok(radiant, {"export", "thoraxtriage", "--format", format, "-o", format + ".zip"});
    BOOST_TEST(Has(out, "exported thoraxtriage version 2 as " + format), out);
    BOOST_TEST(Has(out, "loss report: "), out);
    BOOST_TEST(fs::exists(work / (format + ".zip")));
  }

  // Reading a package back: the canonical content on stdout, what did not come back on stderr.
  const auto imported = story.Run(radiant, {"import", "--format", "fda-estar", "fda-estar.zip"});
  BOOST_REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  BOOST_TEST(json::parse(imported.out).as_object().contains("content"));
  BOOST_TEST(Has(imported.err, "loss report: "), imported.err);

  // --- 4. Readiness as a checklist, per agency.
  const std::string ready = story.Ok(radiant, {"readiness", "thoraxtriage", "--agency", "FDA"});
  BOOST_TEST(Has(ready, "FDA readiness for pathway"), ready);
  BOOST_TEST(Has(ready, "PRESENT ("), ready);
  BOOST_TEST(Has(ready, "21 CFR"), ready);
  BOOST_TEST(Has(ready, "; heading "), ready);
  BOOST_TEST(Has(story.Ok(radiant, {"readiness", "thoraxtriage", "--agency", "EU"}), "EU readiness"));
  BOOST_TEST(Has(story.Ok(radiant, {"readiness", "thoraxtriage", "--agency", "HSA"}), "HSA readiness"));

  // --- 5. The change plan, signed like the dossier.
  story.Ok(radiant, {"plans", "create", "thoraxtriage-pccp", "--dossier", "thoraxtriage"});
  BOOST_TEST(
      Has(story.Ok(radiant, {"plans", "push", "thoraxtriage-pccp", (examples / "change-plan.json").string(),
                             "--message", "PCCP as authorised"}),
          "pushed change plan thoraxtriage-pccp version 1"));
  const std::string plan = story.Ok(radiant, {"plans", "show", "thoraxtriage-pccp"});
  BOOST_TEST(Has(plan, "acceptance criteria"), plan);
  BOOST_TEST(Has(plan, "sex=female"), plan);
  story.Ok(radiant, {"plans", "bundle", "thoraxtriage-pccp", "-o", "plan.bundle.json"});

  // --- 6. Two executed modifications: one within the plan, one outside it.
  const std::string within = story.Ok(radiant, {"modifications", "record", "thoraxtriage-pccp",
                                                (examples / "modification-2.4.0-retrain.json").string()});
  BOOST_TEST(Has(within, "WITHIN the change plan"), within);
  BOOST_TEST(Has(within, "per jurisdiction"), within);
  const std::string outside = story.Ok(radiant, {"modifications", "record", "thoraxtriage-pccp",
                                                 (examples / "modification-2.5.0-new-inputs.json").string()});
  BOOST_TEST(Has(outside, "OUTSIDE the change plan"), outside);
  const auto recorded = story.OkJson(radiant, {"modifications", "list", "thoraxtriage-pccp"});
  BOOST_TEST(recorded.at("modifications").as_array().size() == 2u);
  const std::string drift = story.Ok(radiant, {"performance", "evaluate", "thoraxtriage-pccp",
                                               (examples / "performance-2026-q1.json").string()});
  BOOST_TEST(Has(drift, "DRIFT"), drift);

  // --- 7. Submissions: FDA and the notified body on this node, HSA on its own.
  const std::string to_fda = std::string(
      story
          .OkJson(radiant, {"submit", "thoraxtriage", "--version", "2", "--agency", "fda", "--pathway",
                            "510k-traditional", "--change-plan", "thoraxtriage-pccp"})
          .at("id")
          .as_string());
  const std::string to_nb = std::string(story
                                            .OkJson(radiant, {"submit", "thoraxtriage", "--version", "2",
                                                              "--agency", "tuv-nb", "--pathway", "annex-ix"})
                                            .at("id")
                                            .as_string());
  const std::string mine = story.Ok(radiant, {"submissions", "list"});
  BOOST_TEST((Has(mine, to_fda) && Has(mine, to_nb)), mine);
  // The notified body gets the change plan after the submission (its head version).
  const std::string attached =
      story.Ok(radiant, {"submissions", "attach-plan", to_nb, "--change-plan", "thoraxtriage-pccp"});
  BOOST_TEST(Has(attached, "attached change plan thoraxtriage-pccp v1 to " + to_nb), attached);
  BOOST_TEST(Has(story.Ok(radiant, {"submissions", "show", to_nb}), "thoraxtriage-pccp"));
  // Attaching the same plan again changes nothing; the FDA's submission already carries one.
  story.Ok(radiant, {"submissions", "attach-plan", to_nb, "--change-plan", "thoraxtriage-pccp",
                     "--change-plan-version", "1"});
  const auto refused = story.Run(radiant, {"submissions", "attach-plan", to_nb, "--change-plan",
                                           "thoraxtriage-pccp", "--change-plan-version", "2"});
  BOOST_TEST(refused.exit_code != 0);
  BOOST_TEST(Has(refused.err, "already carries change plan thoraxtriage-pccp v1"), refused.err);

  Person radiant_sg = story.NewActor("radiant-sg");
  story.Ok(radiant_sg, {"login", "--server", hsa_url, "--tenant", "radiant", "--token",
                        token(operator_b, on_b, "radiant", "ADMIN")});
  story.Ok(radiant_sg, {"keys", "create", "--label", "release signing (SG)"});
  story.Ok(radiant_sg, {"create", "thoraxtriage", "--title", "ThoraxTriage AI"});
  // The SG dossier carries a software V&V report with Singapore clinical data.
  fs::copy(work / "thoraxtriage", work / "thoraxtriage-sg", fs::copy_options::recursive);
  WriteFile(work / "thoraxtriage-sg" / "3.05.05.08 Software Verification and Validation" /
                "standalone-performance-report.pdf",
            "Placeholder for the standalone performance report with the Singapore reader study.\n");
  story.Ok(radiant_sg, {"push", "thoraxtriage", "thoraxtriage-sg", "--message", "HSA submission"});
  const std::string to_hsa = std::string(story
                                             .OkJson(radiant_sg, {"submit", "thoraxtriage", "--version", "1",
                                                                  "--agency", "hsa", "--pathway", "abridged"})
                                             .at("id")
                                             .as_string());

  // --- 8. The FDA reviews what it received and signs its decision locally.
  Person fda = story.NewActor("fda");
  story.Ok(fda, {"login", "--server", fda_url, "--tenant", "fda", "--token",
                 token(operator_a, on_a, "fda", "ADMIN")});
  BOOST_TEST(Has(story.Ok(fda, {"inbox"}), to_fda));
  BOOST_TEST(Has(story.Ok(fda, {"submissions", "show", to_fda}), "thoraxtriage-pccp"));
  const std::string fda_ready = story.Ok(fda, {"submissions", "readiness", to_fda});
  BOOST_TEST(Has(fda_ready, "FDA readiness for pathway 510k-traditional"), fda_ready);
  BOOST_TEST(
      Has(story.Ok(fda, {"submissions", "export", to_fda, "--format", "fda-estar", "-o", "received.zip"}),
          "loss report: "));
  story.Ok(fda, {"submissions", "download", to_fda, "received"});
  BOOST_TEST((Documents(work / "received") == Documents(work / "thoraxtriage")));
  BOOST_TEST(Has(story.Ok(fda, {"submissions", "review", to_fda}), "UNDER_REVIEW"));
  story.Ok(fda, {"keys", "create", "--label", "decisions"});
  const std::string decided = story.Ok(fda, {"decide", to_fda, (examples / "decision-fda.json").string()});
  BOOST_TEST(Has(decided, "recorded decision version 1"), decided);
  BOOST_TEST(Has(decided, "CLEARED K261234"), decided);
  BOOST_TEST(Has(decided, "7 section digest(s) attested"), decided);
  BOOST_TEST(Has(story.Ok(fda, {"decisions", "show", to_fda}), "3.05.05.08"));
  BOOST_TEST(Has(story.Ok(fda, {"decisions", "list"}), "K261234"));
  story.Ok(fda, {"decisions", "bundle", to_fda, "-o", "fda-decision.bundle.json", "--save-content",
                 "fda-decision.json"});
  BOOST_TEST(Has(story.Ok(radiant, {"submissions", "show", to_fda}), "CLEARED K261234"));

  // --- 9. The FDA lets HSA's node read its decisions; HSA pins FDA's log key.
  story.Ok(fda, {"agreements", "create", "hsa-node"});
  BOOST_TEST(Has(story.Ok(fda, {"agreements", "list"}), "hsa-node"));
  story.Ok(fda, {"log-key", "-o", "fda-log.pem"});
  WriteFile(work / "hsa-node.token", token(operator_a, on_a, "hsa-node", "VIEWER") + "\n");

  // --- 10. HSA, on its own node, pulls and verifies FDA's decision feed.
  Person hsa = story.NewActor("hsa");
  story.Ok(hsa, {"login", "--server", hsa_url, "--tenant", "hsa", "--token",
                 token(operator_b, on_b, "hsa", "ADMIN")});
  BOOST_TEST(Has(story.Ok(hsa, {"inbox"}), to_hsa));
  const std::string peer =
      std::string(story
                      .OkJson(hsa, {"peers", "add", "--url", fda_url, "--peer-tenant", "fda",
                                    "--peer-token-file", "hsa-node.token", "--log-key", "fda-log.pem"})
                      .at("id")
                      .as_string());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    const auto status = story.OkJson(hsa, {"peers", "show", peer});
    if (status.at("status").as_string() == "OK" && status.at("entries").to_number<int64_t>() >= 1) break;
    BOOST_REQUIRE_MESSAGE(status.at("status").as_string() != "REJECTED", json::serialize(status));
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, json::serialize(status));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  BOOST_TEST(Has(story.Ok(hsa, {"sync", "status"}), "OK"));
  const std::string reliance = story.Ok(hsa, {"reliance", "show", to_hsa});
  BOOST_TEST(Has(reliance, "CLEARED K261234"), reliance);
  BOOST_TEST(Has(reliance, "DIFFERENT  3.05.05.08"), reliance);
  BOOST_TEST(Has(reliance, "identical  2.04.01"), reliance);

  // --- 11. The manufacturer withdraws the notified-body submission; the FDA
  // ends the agreement.
  BOOST_TEST(Has(story.Ok(radiant, {"submissions", "withdraw", to_nb}), "WITHDRAWN"));
  BOOST_TEST(Has(story.Ok(fda, {"agreements", "revoke", "hsa-node"}), "revoked"));

  // --- 12. Offline verification: FDA's node is gone, the files remain.
  story.fda_node().Stop();
  const std::string verified = story.Ok(hsa, {"verify", "fda-decision.bundle.json", "--content",
                                              "fda-decision.json", "--log-key", "fda-log.pem"});
  BOOST_TEST(Has(verified, "verified: fda/submissions/" + to_fda + "/decisions version 1"), verified);
  BOOST_TEST(Has(verified, "(file matches)"), verified);
  BOOST_TEST(Has(story.Ok(radiant, {"verify", "plan.bundle.json"}),
                 "verified: radiant/change-plans/thoraxtriage-pccp"));
  WriteFile(work / "forged-decision.json", ReadFile(work / "fda-decision.json") + " ");
  const auto forged = story.Run(hsa, {"verify", "fda-decision.bundle.json", "--content",
                                      "forged-decision.json", "--log-key", "fda-log.pem"});
  BOOST_TEST(forged.exit_code == 5, forged.err);

  // The exported packages, tied offline to the signed version they came from:
  // the FDA's copy of what it received, checked by HSA with the FDA's log key,
  // and the manufacturer's own eSTAR export.
  const std::string package = story.Ok(hsa, {"verify", "received.zip", "--log-key", "fda-log.pem"});
  BOOST_TEST(Has(package, "verified: fda-estar export of radiant/dossiers/thoraxtriage version 2"), package);
  BOOST_TEST(Has(package, "files match the manifest the log key signed"), package);
  BOOST_TEST(Has(story.Ok(radiant, {"verify", "fda-estar.zip"}), "verified: fda-estar export"));
  // HSA's own log key is not the one that signed the FDA node's export.
  const auto other_key = story.Run(hsa, {"verify", "received.zip"});
  BOOST_TEST(other_key.exit_code == 5, other_key.out << other_key.err);
}

// Issue 15 item 6: a client that first saw the log empty keeps working.
BOOST_AUTO_TEST_CASE(whoami_first_run_against_an_empty_log) {
  TempDir dir;
  Server node(dir.path() / "node");
  const Person node_operator{"operator", dir.path() / "op" / "config.json"},
      acme{"acme", dir.path() / "acme" / "config.json"};
  auto run = [&](const Person& who, std::vector<std::string> args) {
    args.insert(args.begin(), (BinDir() / "dossier").string());
    auto r = RunProcess(args, {{"DOSSIER_CONFIG", who.config.string()}, {"HOME", dir.path().string()}},
                        std::chrono::seconds(60));
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, args[1] << ": " << r.err);
    return r.out;
  };
  const std::vector<std::string> as_op = {"--server", node.url(), "--token", node.operator_token()};
  auto with_op = [&](std::vector<std::string> args) {
    args.insert(args.end(), as_op.begin(), as_op.end());
    return run(node_operator, args);
  };
  with_op({"tenants", "create", "acme"});
  std::string secret = with_op({"tokens", "create", "--role", "ADMIN", "--tenant", "acme"});
  secret.pop_back();
  run(acme, {"login", "--server", node.url(), "--tenant", "acme", "--token", secret});
  // The first checkpoint this client pins is of the empty tree...
  BOOST_TEST(Has(run(acme, {"whoami"}), ", 0 entries"));
  // ...and the log growing afterwards is still consistent with it.
  run(acme, {"keys", "create"});
  const std::string after = run(acme, {"whoami"});
  BOOST_TEST(Has(after, ", 1 entries"), after);
}

BOOST_AUTO_TEST_CASE(dossierd_help_exits_0_with_usage_on_stdout) {
  auto r = RunProcess({(BinDir() / "dossierd").string(), "--help"}, {}, std::chrono::seconds(10));
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(Has(r.out, "dossierd serve --data DIR"));
  auto serve =
      RunProcess({(BinDir() / "dossierd").string(), "serve", "--help"}, {}, std::chrono::seconds(10));
  BOOST_TEST(serve.exit_code == 0, serve.err);
  BOOST_TEST(Has(serve.out, "--listen"));
  auto wrong = RunProcess({(BinDir() / "dossierd").string(), "frobnicate"}, {}, std::chrono::seconds(10));
  BOOST_TEST(wrong.exit_code == 2);
}

// Issue 15 item 6: clients/cli/README.md shows every verb `dossier --help`
// lists, so a verb added without its README line fails here.
BOOST_AUTO_TEST_CASE(the_cli_readme_shows_every_verb) {
  auto help = RunProcess({(BinDir() / "dossier").string(), "--help"}, {}, std::chrono::seconds(10));
  BOOST_TEST_REQUIRE(help.exit_code == 0, help.err);
  const std::string readme =
      ReadFile(StoryDir().parent_path().parent_path() / "clients" / "cli" / "README.md");
  const auto is_word = [](const std::string& w) {
    return !w.empty() && std::islower(static_cast<unsigned char>(w[0])) &&
           w.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string::npos;
  };
  std::istringstream lines(help.out);
  size_t verbs = 0;
  for (std::string line; std::getline(lines, line);) {
    // A verb line: two spaces, then the usage ("plans push P FILE ...", "alerts").
    if (line.rfind("  ", 0) != 0 || line.size() < 3 || line[2] == ' ') continue;
    // The usage ends where the summary column starts (two spaces or more).
    std::istringstream words(line.substr(2, line.find("  ", 2) - 2));
    std::string first, second, verb;
    words >> first >> second;
    if (!is_word(first)) continue;
    verb = is_word(second) ? first + " " + second : first;
    ++verbs;
    const bool shown = Has(readme, "dossier " + verb + " ") || Has(readme, "dossier " + verb + "\n");
    BOOST_TEST(shown, "clients/cli/README.md does not show `dossier " << verb << "`");
  }
  BOOST_TEST(verbs >= 60u, help.out);
}
