// End-to-end: the dossier binary against a real dossierd (127.0.0.1 only).
#define BOOST_TEST_MODULE cli_test
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <random>

#include "clients/cli/cli_test_support.h"
#include "schema/translate/zip.h"
#include "tests/support/gudid_release.h"
#include "tests/support/harness.h"

using namespace dossier::testing;
namespace fs = std::filesystem;
namespace json = boost::json;
namespace translate = dossier::translate;

namespace {

struct Env {
  TempDir dir;
  std::unique_ptr<Server> server;
  TenantAdmin admin;
  std::map<std::string, std::string> env;

  Env() {
    auto s = Server::Start(dir.path() / "data");
    BOOST_REQUIRE_MESSAGE(s.ok(), s.status().ToString());
    server = std::move(s).value();
    auto a = ProvisionTenant(*server, "acme");
    BOOST_REQUIRE_MESSAGE(a.ok(), a.status().ToString());
    admin = *a;
    env = CliTestEnvironment(dir.path());
  }

  // Starts the server again on its port (the CLI's config names its URL)
  // after a test case stopped it.
  void EnsureServing() {
    if (server->running()) return;
    const unsigned short port = server->port();
    server.reset();
    server = std::make_unique<Server>(dir.path() / "data", std::vector<std::string>{}, port);
  }

  // Runs `dossier args...`; every run is bounded to 60 s.
  ProcessResult Run(std::vector<std::string> args, const std::map<std::string, std::string>& extra = {}) {
    return RunDossierCli(std::move(args), env, extra);
  }
  ProcessResult Ok(std::vector<std::string> args) {
    auto r = Run(args);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "dossier " << args[0] << " failed: " << r.err);
    return r;
  }
};

Env& E() {
  static Env env;
  return env;
}

// Exactly one line on stderr and the expected exit code.
void ExpectFailure(const ProcessResult& r, int code, const std::string& needle) {
  BOOST_TEST(r.exit_code == code, "exit " << r.exit_code << " stderr: " << r.err);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, "stderr: " << r.err);
  BOOST_TEST(r.err.rfind("dossier: ", 0) == 0u);
  BOOST_TEST(r.err.find(needle) != std::string::npos, "expected \"" << needle << "\" in: " << r.err);
}

// Every regular file below `root`, by relative path, except dossier.json.
std::map<std::string, std::string> Tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    auto rel = fs::relative(e.path(), root).generic_string();
    if (rel != "dossier.json") files[rel] = ReadFile(e.path());
  }
  return files;
}

}  // namespace

BOOST_AUTO_TEST_CASE(login_keys_create) {
  auto& e = E();
  e.Ok({"login", "--server", e.server->url(), "--tenant", e.admin.tenant, "--token", e.admin.token});
  const fs::path config = e.env["DOSSIER_CONFIG"];
  BOOST_REQUIRE(fs::exists(config));
  BOOST_TEST(((fs::status(config).permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write)));
  auto key = e.Ok({"keys", "create", "--label", "cli test", "--json"});
  auto info = json::parse(key.out).as_object();
  const fs::path key_file = std::string(info["file"].as_string());
  BOOST_TEST(((fs::status(key_file).permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write)));
  e.Ok({"create", "ai-imaging", "--title", "AI imaging device"});
  auto who = e.Ok({"whoami"});
  BOOST_TEST(who.out.find(std::string(info["keyId"].as_string())) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(push_pull_hundreds_of_documents_byte_identical) {
  auto& e = E();
  const fs::path in = e.dir.path() / "in";
  // 300 documents over 15 headings, some in sub-folders, sizes 0..40 KiB.
  const std::vector<std::string> folders = {"1.01 Cover Letter",
                                            "1.03",
                                            "2.04.01 Device Description",
                                            "2.04.02",
                                            "3.05.05 Software",
                                            "3.05.05.08 Software V&V",
                                            "3.05.06",
                                            "3.05.07",
                                            "4.01",
                                            "4.02",
                                            "5.01",
                                            "5.02",
                                            "3.05.01",
                                            "3.05.02",
                                            "3.05.03"};
  std::mt19937 rng(42);
  for (int i = 0; i < 300; ++i) {
    const std::string& folder = folders[i % folders.size()];
    std::string name = (i % 7 == 0 ? "study " + std::to_string(i % 3) + "/" : "") + "doc " +
                       std::to_string(i) + (i % 2 ? ".pdf" : ".xlsx");
    std::string bytes(rng() % (40 * 1024), '\0');
    for (auto& ch : bytes) ch = static_cast<char>(rng());
    WriteFile(in / folder / name, bytes);
  }
  WriteFile(
      in / "dossier.json",
      R"({"tocEdition":"IMDRF-N9-ED4","device":{"tradeName":"ThoraxTriage AI","identifiers":[{"type":"UDI_DI","value":"08500123450017","issuer":"GS1"}]},"intendedUse":"Triage of chest X-rays"})");
  auto pushed = e.Ok({"push", "ai-imaging", in.string(), "--message", "initial", "--json"});
  auto p = json::parse(pushed.out).as_object();
  BOOST_TEST(p["version"].as_int64() == 1);
  BOOST_TEST(p["documents"].as_int64() == 300);

  const fs::path out = e.dir.path() / "out";
  e.Ok({"pull", "ai-imaging", out.string()});
  auto a = Tree(in), b = Tree(out);
  BOOST_TEST(a.size() == 300u);
  BOOST_TEST(b.size() == a.size());
  for (const auto& [rel, bytes] : a) {
    auto it = b.find(rel);
    BOOST_REQUIRE_MESSAGE(it != b.end(), "missing after pull: " << rel);
    BOOST_TEST((it->second == bytes), "content differs: " << rel);
  }
  auto fields_in = json::parse(ReadFile(in / "dossier.json"));
  auto fields_out = json::parse(ReadFile(out / "dossier.json"));
  BOOST_TEST(json::serialize(fields_in) == json::serialize(fields_out));

  // Change one document and add one: only those are uploaded; diff shows them.
  WriteFile(in / "3.05.05.08 Software V&V" / "doc 5.pdf", "revised validation report");
  WriteFile(in / "4.01" / "new.pdf", "new bench test");
  auto second = json::parse(e.Ok({"push", "ai-imaging", in.string(), "--json"}).out).as_object();
  BOOST_TEST(second["version"].as_int64() == 2);
  BOOST_TEST(second["uploaded"].as_int64() == 2);
  auto diff = e.Ok({"diff", "ai-imaging", "1", "2"});
  BOOST_TEST(diff.out.find("M  3.05.05.08  +1 -1 documents") != std::string::npos, diff.out);
  BOOST_TEST(diff.out.find("M  4.01  +1 -0 documents") != std::string::npos, diff.out);
  // Documents by file name, not only by digest.
  BOOST_TEST(diff.out.find("+ new.pdf") != std::string::npos, diff.out);
  BOOST_TEST(diff.out.find("~ doc 5.pdf (changed)") != std::string::npos, diff.out);
  auto log = e.Ok({"log", "ai-imaging"});
  BOOST_TEST(log.out.find("initial") != std::string::npos);
  // Pulling version 1 into the same folder restores the old bytes.
  e.Ok({"pull", "ai-imaging", out.string(), "--version", "1"});
  BOOST_TEST((Tree(out)["3.05.05.08 Software V&V/doc 5.pdf"] == a["3.05.05.08 Software V&V/doc 5.pdf"]));
}

BOOST_AUTO_TEST_CASE(bad_input_is_one_line_and_an_exit_code) {
  auto& e = E();
  const fs::path in = e.dir.path() / "in";
  ExpectFailure(e.Run({"push", "ai-imaging", (e.dir.path() / "nope").string()}), 3, "no such folder");
  ExpectFailure(e.Run({"push", "ai-imaging", in.string(), "--key", "/nonexistent/key.pem"}), 3,
                "cannot read signing key");
  WriteFile(e.dir.path() / "garbage.pem", "not a key");
  ExpectFailure(e.Run({"push", "ai-imaging", in.string(), "--key", (e.dir.path() / "garbage.pem").string()}),
                3, "not a usable");
  WriteFile(e.dir.path() / "bad" / "chapter three" / "x.pdf", "x");
  WriteFile(e.dir.path() / "bad" / "dossier.json", "{}");
  ExpectFailure(e.Run({"push", "ai-imaging", (e.dir.path() / "bad").string()}), 3,
                "not named by a ToC heading");
  ExpectFailure(e.Run({"verify", (e.dir.path() / "missing.json").string()}), 3, "cannot read bundle");
  // JSON files: the line and column of a syntax error; enum errors list the valid values.
  WriteFile(e.dir.path() / "syntax" / "2.04.01" / "x.pdf", "x");
  WriteFile(e.dir.path() / "syntax" / "dossier.json",
            "{\n  \"tocEdition\": \"IMDRF-N9-ED4\",\n  \"device\": {\"tradeName\": \"X\",}\n}\n");
  ExpectFailure(e.Run({"push", "ai-imaging", (e.dir.path() / "syntax").string()}), 3, "line 3, column 31");
  WriteFile(e.dir.path() / "plan.json",
            R"({"title": "p", "modifications": [{"id": "M1", "type": "PERFORMANCEX"}]})");
  auto bad_enum = e.Run({"plans", "push", "pccp", (e.dir.path() / "plan.json").string()});
  ExpectFailure(bad_enum, 3, "valid values: PERFORMANCE, INPUT, USE");
  BOOST_TEST(bad_enum.err.find("googleapis") == std::string::npos, bad_enum.err);
  ExpectFailure(e.Run({"log"}), 2, "usage: dossier log D");
  ExpectFailure(e.Run({"frobnicate"}), 2, "unknown command");
  ExpectFailure(e.Run({"diff", "ai-imaging", "1", "x"}), 2, "version number");
  ExpectFailure(e.Run({"log", "ai-imaging", "--token", "dxt_wrong"}), 1, "bad-credentials");
  ExpectFailure(e.Run({"log", "no-such-dossier"}), 1, "not-found");
  // Nothing listens on port 1 of 127.0.0.1: refused at once, bounded retries.
  const auto start = std::chrono::steady_clock::now();
  ExpectFailure(e.Run({"log", "ai-imaging", "--server", "http://127.0.0.1:1"}), 4, "cannot reach the server");
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
}

BOOST_AUTO_TEST_CASE(regional_export_import_readiness) {
  auto& e = E();
  const fs::path zip = e.dir.path() / "export.zip";
  e.Ok({"export", "ai-imaging", "--version", "2", "--format", "imdrf-toc", "-o", zip.string()});
  BOOST_REQUIRE(fs::exists(zip));
  BOOST_TEST(ReadFile(zip).substr(0, 2) == "PK");
  auto imported =
      json::parse(e.Ok({"import", "--format", "imdrf-toc", zip.string(), "--json"}).out).as_object();
  BOOST_TEST(imported["content"].as_object()["device"].as_object()["tradeName"].as_string() ==
             "ThoraxTriage AI");
  auto ready =
      json::parse(e.Ok({"readiness", "ai-imaging", "--version", "2", "--agency", "FDA", "--json"}).out);
  BOOST_TEST(ready.as_object()["agency"].as_string() == "FDA");
  ExpectFailure(e.Run({"export", "ai-imaging", "--format", "bogus", "-o", (e.dir.path() / "x").string()}), 1,
                "unknown-format");
  BOOST_TEST(!fs::exists(e.dir.path() / "x"));
}

// `dossier import` of a many-record input prints one JSON line per record as
// the records arrive (the SDK's ImportRecords); a lone record is printed
// pretty, as before. A release that breaks after the first 64 KiB of answer
// prints the records before the break, and fails as before: the server's
// problem, where the input broke, exit 1.
BOOST_AUTO_TEST_CASE(many_record_import_prints_each_record_and_says_where_the_input_broke) {
  auto& e = E();
  e.EnsureServing();
  const fs::path whole = e.dir.path() / "release.xml", broken = e.dir.path() / "broken-release.xml",
                 one = e.dir.path() / "one-device.xml";
  WriteFile(whole, GudidRelease(600, {}, "CLI Brand", 20000000000000));
  WriteFile(broken, GudidRelease(600, kBrokenGudidDevice, "CLI Brand", 20000000000000));
  WriteFile(one, GudidRelease(1, {}, "CLI Brand", 20000000000000));

  const auto all = SplitLines(e.Ok({"import", "--format", "gudid-xml", whole.string()}).out);
  BOOST_TEST_REQUIRE(all.size() == 600u);
  for (size_t i = 0; i < all.size(); ++i) {
    const json::value record = json::parse(all[i]);
    BOOST_TEST(record.at("content").at("device").at("tradeName").as_string() ==
               "CLI Brand " + std::to_string(i));
  }

  const auto single = e.Ok({"import", "--format", "gudid-xml", one.string()});
  BOOST_TEST(SplitLines(single.out).size() > 3u, single.out);  // pretty, not one line
  BOOST_TEST(json::parse(single.out).at("content").at("device").at("tradeName").as_string() == "CLI Brand 0");

  const auto cut = e.Run({"import", "--format", "gudid-xml", broken.string()});
  ExpectFailure(cut, 1, "import: server refused: ");
  BOOST_TEST(cut.err.find("[bad-xml] at line 602") != std::string::npos, cut.err);
  const auto before = SplitLines(cut.out);
  BOOST_TEST(before.size() > 100u);  // streamed before the break
  BOOST_TEST(before.size() <= 600u);
  for (size_t i = 0; i < before.size(); ++i) {
    BOOST_TEST(before[i].find("problem") == std::string::npos, before[i]);
    BOOST_TEST(json::parse(before[i]).at("content").at("device").at("tradeName").as_string() ==
               "CLI Brand " + std::to_string(i));
  }
}

BOOST_AUTO_TEST_CASE(verify_offline_and_tampered) {
  auto& e = E();
  const fs::path bundle = e.dir.path() / "bundle.json";
  e.Ok({"bundle", "ai-imaging", "--version", "2", "-o", bundle.string()});
  const fs::path package = e.dir.path() / "package.zip";
  e.Ok({"export", "ai-imaging", "--version", "2", "--format", "hsa-csdt", "-o", package.string()});
  // Stop the server: verification needs nothing from it.
  e.server->Stop();
  auto ok = e.Run({"verify", bundle.string(), "--json"});
  BOOST_TEST_REQUIRE(ok.exit_code == 0,
                     "exit " << ok.exit_code << " stdout: " << ok.out << " stderr: " << ok.err);
  auto v = json::parse(ok.out).as_object();
  BOOST_TEST(v["version"].as_int64() == 2);
  // A tampered bundle: one character of the signature changed.
  auto doc = json::parse(ReadFile(bundle)).as_object();
  auto& sig = doc["envelope"].as_object()["signatures"].as_array()[0].as_object()["sig"];
  std::string s(sig.as_string());
  s[3] = s[3] == 'A' ? 'B' : 'A';
  sig = s;
  WriteFile(e.dir.path() / "tampered.json", json::serialize(doc));
  ExpectFailure(e.Run({"verify", (e.dir.path() / "tampered.json").string()}), 5, "signature-invalid");
  // The wrong content file for a good bundle.
  WriteFile(e.dir.path() / "wrong-content.json", "{}");
  ExpectFailure(
      e.Run({"verify", bundle.string(), "--content", (e.dir.path() / "wrong-content.json").string()}), 5,
      "content-digest-mismatch");
  // An exported package, against the log key `dossier login` pinned; then
  // the same files unpacked, one of them edited.
  auto verified = e.Run({"verify", package.string(), "--json"});
  BOOST_TEST_REQUIRE(verified.exit_code == 0, "exit " << verified.exit_code << " stdout: " << verified.out
                                                      << " stderr: " << verified.err);
  BOOST_TEST(json::parse(verified.out).at("version").as_int64() == 2);
  BOOST_TEST(json::parse(verified.out).at("format").as_string() == "hsa-csdt");
  const fs::path unpacked = e.dir.path() / "unpacked";
  auto zip = translate::ZipReader::Open(package, translate::ImportLimits());
  BOOST_REQUIRE(zip.ok());
  std::string edited;
  for (const auto& name : (*zip)->Names()) {
    WriteFile(unpacked / name, (*zip)->ReadAll(name, 64 << 20).value());
    if (edited.empty() && name.find("registration.json") != std::string::npos) edited = name;
  }
  BOOST_REQUIRE(!edited.empty());
  BOOST_TEST(e.Run({"verify", unpacked.string()}).exit_code == 0);
  WriteFile(unpacked / edited, "{\"registrant\": \"someone else\"}");
  ExpectFailure(e.Run({"verify", unpacked.string()}), 5, "file-digest-mismatch");
  // And the server being down is exit 4 for online commands.
  ExpectFailure(e.Run({"log", "ai-imaging"}), 4, "cannot reach the server");
}

// The correspondence verbs: a ledger event signed by the manufacturer, a
// comment thread answered, an additional-information request drafted from the
// open threads and signed by the regulator (its own key and token), the clock.
BOOST_AUTO_TEST_CASE(ledger_clock_comments_ai_request) {
  auto& e = E();
  e.EnsureServing();  // verify_offline_and_tampered stops it
  HttpClient http(e.server->port());
  Actor fda = CreateActor(http, e.server->operator_token(), "fda", "REGULATOR", "US");
  auto submitted = json::parse(e.Ok({"submit", "ai-imaging", "--version", "2", "--agency", "fda", "--pathway",
                                     "510k-traditional", "--json"})
                                   .out);
  const std::string s(submitted.at("id").as_string());
  e.Ok({"ledger", "record", s, "--type", "sent", "--date", "2026-01-05"});
  ExpectFailure(
      e.Run({"ledger", "record", s, "--type", "acknowledged", "--date", "2026-01-07", "--reference", "K1"}),
      1, "not-your-event");

  auto opened = http.Request("POST", "/v1/tenants/fda/submissions/" + s + "/comments",
                             R"({"heading":"1.03","text":"Which predicate?"})", JsonAuth(fda.token));
  BOOST_REQUIRE_MESSAGE(opened.status == 201, opened.body);
  const std::string thread(opened.Json().at("id").as_string());
  e.Ok({"comment", "reply", s, thread, "--text", "K123456."});
  auto threads = json::parse(e.Ok({"comment", "list", s, "--json"}).out);
  BOOST_TEST(threads.at("threads").at(0).at("messages").as_array().size() == 2u);

  const fs::path fda_key = e.dir.path() / "fda-key.pem";
  WriteFile(fda_key, fda.key.Pem());
  auto as_fda =
      e.Run({"ai-request", "send", s, "--from-comments", "--date", "2026-01-25", "--key", fda_key.string()},
            {{"DOSSIER_TENANT", "fda"}, {"DOSSIER_TOKEN", fda.token}});
  BOOST_REQUIRE_MESSAGE(as_fda.exit_code == 0, as_fda.err);

  auto clock = json::parse(e.Ok({"clock", s, "--as-of", "2026-02-01", "--json"}).out);
  BOOST_TEST(clock.at("state").as_string() == "stopped");
  BOOST_TEST(clock.at("elapsed").to_number<int64_t>() == 20);
  auto ledger = e.Ok({"ledger", s, "--as-of", "2026-02-01"});
  BOOST_TEST(ledger.out.find("ai-request") != std::string::npos);
  BOOST_TEST(ledger.out.find("1 deficiencies") != std::string::npos);
  BOOST_TEST(ledger.out.find("response") != std::string::npos);  // the manufacturer's open deadline
}

// `dossier audit` walks the audit log page by page (AuditEntries): every
// entry once, in the chain's order, whatever the page size.
BOOST_AUTO_TEST_CASE(audit_log_page_by_page) {
  auto& e = E();
  e.EnsureServing();
  auto seqs = [](const std::string& out) {
    std::vector<uint64_t> seq;
    const json::value parsed = json::parse(out);  // named: iterating a temporary's member dangles
    for (const auto& entry : parsed.as_array()) seq.push_back(entry.at("seq").to_number<uint64_t>());
    return seq;
  };
  const auto whole = seqs(e.Ok({"audit", "--json"}).out);
  BOOST_REQUIRE_GT(whole.size(), 200u);  // the uploads of the tests before
  for (size_t i = 1; i < whole.size(); ++i) BOOST_TEST(whole[i] == whole[i - 1] + 1);
  // In pages of 100 (each page read flushes the log to disk), later: the
  // same entries first, then the reads since.
  const auto paged = seqs(e.Ok({"audit", "--json", "--page-size", "100"}).out);
  BOOST_REQUIRE_GE(paged.size(), whole.size());
  BOOST_TEST(std::equal(whole.begin(), whole.end(), paged.begin()));
  auto text = e.Ok({"audit"}).out;
  BOOST_TEST(text.find("GET /v1/tenants/" + e.admin.tenant + "/audit") != std::string::npos, text);
  // The operator's log needs the operator's token.
  ExpectFailure(e.Run({"audit", "--operator"}), 1, "audit");
  auto op = e.Ok({"audit", "--operator", "--json", "--token", e.server->operator_token()});
  BOOST_TEST(!json::parse(op.out).as_array().empty());
  ExpectFailure(e.Run({"audit", "--page-size", "0"}), 2, "--page-size");
}
