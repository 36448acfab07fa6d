// Load driver for a running dossierd on 127.0.0.1 (bench/run.sh drives it).
//
//   dossier_load setup  --port P --data DIR --state FILE [--dossiers 32] [--content-bytes 4096]
//       Creates tenant "bench" (ADMIN token, Ed25519 key), dossiers d0..dN-1,
//       the documents and one ~4 KB dossier content every version commits.
//   dossier_load commit --port P --state FILE --concurrency C (--seconds S | --count N)
//       C connections, each committing signed versions to its own dossiers
//       (the SDK's work: build the statement, sign it with Ed25519, POST it),
//       for S seconds or N commits in total. Prints one result line.
//   dossier_load wrk-lua --port P --state FILE --out F.lua [--fixed PATH]
//       A wrk script with the bearer token, GETting the content of random
//       stored versions (or always PATH).
//   dossier_load verify --port P --state FILE [--seconds 3]
//       SDK-side offline verification (trust::VerifyBundle, content included)
//       of a real bundle, single thread. Prints one result line.
//   dossier_load reliance-setup --port P --data DIR --state FILE [--entries 400]
//       On a fresh node (the FDA-like peer): regulator "fda", manufacturer
//       "acme", N submissions of one dossier each decided and signed by fda
//       (as tests/e2e_reliance_test.cc's throughput case), and tenant
//       "hsa-node" with a VIEWER token and an agreement to read fda's feed.
//   dossier_load reliance-sync --port P --state FILE --puller-port Q --puller-data DIR
//       On a fresh second node (regulator "hsa"): registers the first node's
//       fda feed as a peer and times it until every entry is verified and
//       stored (peer status polled every 2 ms). Prints one result line
//       (ops = entries synced).
//   dossier_load ed25519-verify [--seconds 2]
//       The bound of reliance sync: Ed25519 verifications per second of one
//       thread (trust::PublicKey::Verify of a 512-byte message, as the e2e
//       case measures it). Prints one result line.
//
// Result lines are "key=value" pairs, easy to cut in bash:
//   ops=12345 seconds=5.00 rate=2469.0 p50_us=12000 p99_us=25000 errors=0
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "tests/support/harness.h"
#include "trust/bundle.h"
#include "trust/keys.h"

using namespace dossier;
using namespace dossier::testing;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::map<std::string, std::string> ParseFlags(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    if (name.rfind("--", 0) != 0) throw std::runtime_error("bad flag " + name);
    flags[name.substr(2)] = argv[i + 1];
  }
  return flags;
}

std::string Need(const std::map<std::string, std::string>& flags, const std::string& name) {
  auto it = flags.find(name);
  if (it == flags.end()) throw std::runtime_error("missing --" + name);
  return it->second;
}

std::string Get(const std::map<std::string, std::string>& flags, const std::string& name,
                const std::string& def) {
  auto it = flags.find(name);
  return it == flags.end() ? def : it->second;
}

// The state file: key=value lines; the signing key is PEM in STATE.key.
struct State {
  std::string tenant = "bench";
  std::string token;
  std::string content_digest;
  std::string content;
  int dossiers = 0;
  std::optional<trust::PrivateKey> key;

  void Save(const fs::path& path) const {
    std::ofstream out(path);
    out << "tenant=" << tenant << "\ntoken=" << token << "\ncontent_digest=" << content_digest
        << "\ndossiers=" << dossiers << "\n";
    std::ofstream(path.string() + ".key") << key->Pem();
    std::ofstream(path.string() + ".content", std::ios::binary) << content;
  }
  static State Load(const fs::path& path) {
    State s;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      auto eq = line.find('=');
      if (eq == std::string::npos) continue;
      const std::string k = line.substr(0, eq), v = line.substr(eq + 1);
      if (k == "tenant") s.tenant = v;
      if (k == "token") s.token = v;
      if (k == "content_digest") s.content_digest = v;
      if (k == "dossiers") s.dossiers = std::stoi(v);
    }
    std::ifstream key_in(path.string() + ".key");
    std::stringstream pem;
    pem << key_in.rdbuf();
    s.key.emplace(trust::PrivateKey::FromPem(pem.str()).value());
    std::ifstream content_in(path.string() + ".content", std::ios::binary);
    std::stringstream content;
    content << content_in.rdbuf();
    s.content = content.str();
    return s;
  }
  Actor actor() const { return Actor{tenant, token, *key, key->public_key().KeyId()}; }
};

int Setup(const std::map<std::string, std::string>& flags) {
  const unsigned short port = static_cast<unsigned short>(std::stoi(Need(flags, "port")));
  std::ifstream token_in(fs::path(Need(flags, "data")) / "operator.token");
  std::string op;
  std::getline(token_in, op);
  HttpClient http(port);
  State state;
  Actor actor = CreateActor(http, op, state.tenant);
  state.token = actor.token;
  state.key.emplace(actor.key);
  state.dossiers = std::stoi(Get(flags, "dossiers", "32"));
  for (int d = 0; d < state.dossiers; ++d) {
    auto r = http.Request("POST", "/v1/tenants/bench/dossiers", R"({"id":"d)" + std::to_string(d) + "\"}",
                          JsonAuth(actor.token));
    if (r.status != 201) throw std::runtime_error("create dossier: " + r.body);
  }
  // Enough documents to make the content about --content-bytes of JSON.
  const size_t target = std::stoul(Get(flags, "content-bytes", "4096"));
  std::vector<std::string> docs;
  std::string content = MinimalDossierJson("Bench Device", docs);
  while (content.size() < target) {
    docs.push_back(UploadBlob(http, actor, "%PDF-1.7 bench document " + std::to_string(docs.size()) + "\n"));
    content = MinimalDossierJson("Bench Device", docs);
  }
  state.content = content;
  state.content_digest = UploadBlob(http, actor, content);
  state.Save(Need(flags, "state"));
  std::cout << "content_bytes=" << content.size() << " documents=" << docs.size() << "\n";
  return 0;
}

// Head version of each dossier, from the server.
std::vector<uint64_t> Heads(HttpClient& http, const State& state) {
  std::vector<uint64_t> heads;
  for (int d = 0; d < state.dossiers; ++d) {
    auto r = http.Request("GET", "/v1/tenants/bench/dossiers/d" + std::to_string(d), "", Auth(state.token));
    if (r.status != 200) throw std::runtime_error("get dossier: " + r.body);
    heads.push_back(r.Json().at("headVersion").to_number<uint64_t>());
  }
  return heads;
}

std::string Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return "0";
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v[i]);
  return buf;
}

int Commit(const std::map<std::string, std::string>& flags) {
  const unsigned short port = static_cast<unsigned short>(std::stoi(Need(flags, "port")));
  const State state = State::Load(Need(flags, "state"));
  const int concurrency = std::stoi(Need(flags, "concurrency"));
  const double seconds = std::stod(Get(flags, "seconds", "0"));
  const long count = std::stol(Get(flags, "count", "0"));
  if (concurrency > state.dossiers) throw std::runtime_error("concurrency exceeds the number of dossiers");
  HttpClient control(port);
  const std::vector<uint64_t> heads = Heads(control, state);
  const Actor actor = state.actor();

  std::atomic<long> issued{0};
  std::atomic<long> errors{0};
  std::mutex mu;
  std::vector<double> latencies_us;
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      HttpClient http(port);
      // This connection's dossiers: t, t + C, t + 2C, ... used round-robin so
      // a populate run spreads versions over all of them.
      std::vector<int> mine;
      for (int d = t; d < state.dossiers; d += concurrency) mine.push_back(d);
      std::vector<uint64_t> head;
      for (int d : mine) head.push_back(heads[static_cast<size_t>(d)]);
      std::vector<double> local;
      for (size_t k = 0;; ++k) {
        if (count > 0 ? issued.fetch_add(1) >= count : Clock::now() >= deadline) break;
        const size_t i = k % mine.size();
        const std::string object = "dossiers/d" + std::to_string(mine[i]);
        const uint64_t n = head[i] + 1;
        const auto t0 = Clock::now();
        // Every version commits the same content: parent = that digest.
        const std::string body = CommitBody(actor, object, n, n == 1 ? "" : state.content_digest,
                                            state.content_digest, *state.key);
        auto r =
            http.Request("POST", "/v1/tenants/bench/" + object + "/versions", body, JsonAuth(state.token));
        const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
        if (r.status == 201) {
          head[i] = n;
          local.push_back(us);
        } else {
          errors++;
          if (errors.load() < 5) std::cerr << "commit failed: " << r.status << " " << r.body << "\n";
          auto g = http.Request("GET", "/v1/tenants/bench/" + object, "", Auth(state.token));
          if (g.status == 200) head[i] = g.Json().at("headVersion").to_number<uint64_t>();
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_us.insert(latencies_us.end(), local.begin(), local.end());
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const size_t ops = latencies_us.size();
  std::printf("ops=%zu seconds=%.2f rate=%.1f p50_us=%s p99_us=%s errors=%ld\n", ops, elapsed,
              static_cast<double>(ops) / elapsed, Percentile(latencies_us, 0.50).c_str(),
              Percentile(latencies_us, 0.99).c_str(), errors.load());
  return errors.load() > static_cast<long>(ops / 100 + 5) ? 1 : 0;
}

int WrkLua(const std::map<std::string, std::string>& flags) {
  const unsigned short port = static_cast<unsigned short>(std::stoi(Need(flags, "port")));
  const State state = State::Load(Need(flags, "state"));
  HttpClient http(port);
  std::ostringstream lua;
  lua << "-- generated by dossier_load wrk-lua\n"
      << "local auth = { [\"Authorization\"] = \"Bearer " << state.token << "\" }\n";
  const std::string fixed = Get(flags, "fixed", "");
  if (!fixed.empty()) {
    lua << "request = function() return wrk.format(\"GET\", \"" << fixed << "\", auth) end\n";
  } else {
    const auto heads = Heads(http, state);
    lua << "local heads = {";
    for (uint64_t h : heads) lua << h << ",";
    lua << "}\nmath.randomseed(42)\n"
        << "request = function()\n"
        << "  local d = math.random(1, #heads)\n"
        << "  while heads[d] == 0 do d = math.random(1, #heads) end\n"
        << "  local v = math.random(1, heads[d])\n"
        << "  return wrk.format(\"GET\", \"/v1/tenants/bench/dossiers/d\" .. (d - 1) .. \"/versions/\" .. v "
           ".. "
           "\"/content\", auth)\n"
        << "end\n";
    uint64_t total = 0;
    for (uint64_t h : heads) total += h;
    std::cout << "stored_versions=" << total << "\n";
  }
  // One machine-readable line, same format as the other drivers; status
  // errors (non-2xx/3xx) are counted so a broken run cannot pass as a fast one.
  lua << "done = function(s, latency, requests)\n"
      << "  local e = s.errors.status + s.errors.connect + s.errors.read + s.errors.write + "
         "s.errors.timeout\n"
      << "  io.write(string.format(\"ops=%d seconds=%.2f rate=%.1f p50_us=%d p99_us=%d errors=%d\\n\", "
         "s.requests, s.duration / 1e6, s.requests / (s.duration / 1e6), latency:percentile(50), "
         "latency:percentile(99), e))\n"
      << "end\n";
  std::ofstream(Need(flags, "out")) << lua.str();
  return 0;
}

int Verify(const std::map<std::string, std::string>& flags) {
  const unsigned short port = static_cast<unsigned short>(std::stoi(Need(flags, "port")));
  const State state = State::Load(Need(flags, "state"));
  const double seconds = std::stod(Get(flags, "seconds", "3"));
  HttpClient http(port);
  auto pk = http.Request("GET", "/v1/log/public-key", "", Auth(state.token));
  if (pk.status != 200) throw std::runtime_error("public key: " + pk.body);
  const auto pkj = pk.Json().as_object();
  const std::string origin(pkj.at("origin").as_string());
  const trust::PublicKey log_key =
      trust::PublicKey::FromPem(std::string(pkj.at("publicKeyPem").as_string())).value();
  // The first dossier with a version.
  const auto heads = Heads(http, state);
  int d = 0;
  while (d < state.dossiers && heads[static_cast<size_t>(d)] == 0) ++d;
  if (d == state.dossiers) throw std::runtime_error("no committed version to verify");
  auto b = http.Request("GET", "/v1/tenants/bench/dossiers/d" + std::to_string(d) + "/versions/1/bundle", "",
                        Auth(state.token));
  if (b.status != 200) throw std::runtime_error("bundle: " + b.body);
  const trust::Bundle bundle = trust::BundleFromJson(b.body).value();
  auto check = trust::VerifyBundle(bundle, origin, log_key, &state.content);
  if (!check.ok()) throw std::runtime_error("bundle does not verify: " + check.status().ToString());
  long ops = 0;
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (Clock::now() < deadline) {
    for (int k = 0; k < 16; ++k) {
      auto r = trust::VerifyBundle(bundle, origin, log_key, &state.content);
      if (!r.ok()) throw std::runtime_error("verify failed");
      ++ops;
    }
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  // The signatures a verification checks: the log's on the checkpoint, and
  // the envelope's (the issue's bound for bundle verification is openssl's
  // verify rate divided by this).
  const size_t signatures = 1 + bundle.envelope.signatures.size();
  std::printf("ops=%ld seconds=%.2f rate=%.1f bundle_bytes=%zu signatures=%zu\n", ops, elapsed,
              static_cast<double>(ops) / elapsed, b.body.size(), signatures);
  return 0;
}

// ------------------------------------------------------------ reliance sync
// The manufacturer's dossier of the e2e reliance cases: three sections with a
// document each.
std::string RelianceDossier(HttpClient& http, const Actor& acme) {
  auto doc = [&](const std::string& bytes, const std::string& name) {
    return boost::json::object{
        {"digest", UploadBlob(http, acme, bytes)}, {"mediaType", "application/pdf"}, {"fileName", name}};
  };
  auto section = [&](const std::string& code, const std::string& bytes, const std::string& name) {
    return boost::json::object{{"code", code}, {"documents", boost::json::array{doc(bytes, name)}}};
  };
  boost::json::object dossier{
      {"tocEdition", "IMDRF-N9-ED4"},
      {"device",
       boost::json::object{
           {"tradeName", "ThoraxTriage"},
           {"identifiers", boost::json::array{boost::json::object{
                               {"type", "UDI_DI"}, {"value", "00614141999996"}, {"issuer", "GS1"}}}}}},
      {"sections", boost::json::array{section("2.04.01", "device description", "description.pdf"),
                                      section("3.05.05.08", "software V&V report US", "software-vv.pdf"),
                                      section("6A.04", "QMS procedures", "qms.pdf")}}};
  return boost::json::serialize(dossier);
}

HttpResult Expect(HttpResult r, int status, const std::string& what) {
  if (r.status != status) throw std::runtime_error(what + ": " + std::to_string(r.status) + " " + r.body);
  return r;
}

int RelianceSetup(const std::map<std::string, std::string>& flags) {
  const unsigned short port = static_cast<unsigned short>(std::stoi(Need(flags, "port")));
  const int entries = std::stoi(Get(flags, "entries", "400"));
  std::ifstream token_in(fs::path(Need(flags, "data")) / "operator.token");
  std::string op;
  std::getline(token_in, op);
  HttpClient http(port);
  const Actor acme = CreateActor(http, op, "acme");
  const Actor fda = CreateActor(http, op, "fda", "REGULATOR");
  Expect(http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"thorax"})", JsonAuth(acme.token)), 201,
         "create dossier");
  const std::string digest = UploadBlob(http, acme, RelianceDossier(http, acme));
  Expect(http.Request("POST", "/v1/tenants/acme/dossiers/thorax/versions",
                      CommitBody(acme, "dossiers/thorax", 1, "", digest, acme.key), JsonAuth(acme.token)),
         201, "commit dossier");
  for (int i = 0; i < entries; ++i) {
    auto s =
        Expect(http.Request("POST", "/v1/tenants/acme/submissions",
                            R"({"dossier":"thorax","version":1,"agency":"fda","pathway":"510k-traditional"})",
                            JsonAuth(acme.token)),
               201, "submit");
    const std::string submission(s.Json().at("id").as_string());
    // The decision's review report carries the digest of every section reviewed.
    auto inbox = Expect(http.Request("GET", "/v1/tenants/fda/submissions/" + submission, "", Auth(fda.token)),
                        200, "inbox record");
    boost::json::array sections;
    const boost::json::value record = inbox.Json();
    for (const auto& [code, section_digest] : record.at("sectionDigests").as_object()) {
      sections.push_back(boost::json::object{
          {"code", code}, {"outcome", "ACCEPTABLE"}, {"notes", "reviewed"}, {"digest", section_digest}});
    }
    boost::json::object decision{{"submission", submission},
                                 {"outcome", "CLEARED"},
                                 {"number", "K26" + std::to_string(1000 + i)},
                                 {"date", "2026-11-29"},
                                 {"sections", std::move(sections)}};
    const std::string decision_digest = UploadBlob(http, fda, boost::json::serialize(decision));
    Expect(http.Request("POST", "/v1/tenants/fda/submissions/" + submission + "/decisions",
                        CommitBody(fda, "submissions/" + submission + "/decisions", 1, "", decision_digest,
                                   fda.key, "application/vnd.dossier.decision.v1+json"),
                        JsonAuth(fda.token)),
           201, "decide");
  }
  // The pulling node's credentials: a VIEWER tenant on this node and an agreement.
  CreateActor(http, op, "hsa-node", "REGULATOR");
  auto feed_token =
      Expect(http.Request("POST", "/v1/tenants/hsa-node/tokens", R"({"role":"VIEWER"})", JsonAuth(op)), 201,
             "feed token");
  Expect(http.Request("POST", "/v1/tenants/fda/reliance-agreements", R"({"peer":"hsa-node"})",
                      JsonAuth(fda.token)),
         201, "agreement");
  auto log_key = Expect(http.Request("GET", "/v1/log/public-key", "", Auth(fda.token)), 200, "log key");
  std::ofstream out(Need(flags, "state"));
  // std::string: a json::string streams as JSON, quoted and escaped.
  out << "entries=" << entries << "\nfeed_token=" << std::string(feed_token.Json().at("token").as_string())
      << "\n";
  std::ofstream(Need(flags, "state") + ".logkey")
      << std::string(log_key.Json().at("publicKeyPem").as_string());
  std::cout << "entries=" << entries << "\n";
  return 0;
}

int RelianceSync(const std::map<std::string, std::string>& flags) {
  const unsigned short port = static_cast<unsigned short>(std::stoi(Need(flags, "port")));
  const unsigned short puller_port = static_cast<unsigned short>(std::stoi(Need(flags, "puller-port")));
  std::map<std::string, std::string> state;
  std::ifstream in(Need(flags, "state"));
  for (std::string line; std::getline(in, line);) {
    if (auto eq = line.find('='); eq != std::string::npos) state[line.substr(0, eq)] = line.substr(eq + 1);
  }
  std::stringstream log_key;
  log_key << std::ifstream(Need(flags, "state") + ".logkey").rdbuf();
  const uint64_t entries = std::stoull(state.at("entries"));
  std::ifstream token_in(fs::path(Need(flags, "puller-data")) / "operator.token");
  std::string op;
  std::getline(token_in, op);
  HttpClient http(puller_port);
  const Actor hsa = CreateActor(http, op, "hsa", "REGULATOR");
  boost::json::object peer{{"url", "http://127.0.0.1:" + std::to_string(port)},
                           {"tenant", "fda"},
                           {"token", state.at("feed_token")},
                           {"logPublicKeyPem", log_key.str()}};
  // Timed as the e2e case times it: from the registration to the status
  // showing every entry verified and stored.
  const auto start = Clock::now();
  auto created =
      Expect(http.Request("POST", "/v1/tenants/hsa/peers", boost::json::serialize(peer), JsonAuth(hsa.token)),
             201, "register peer");
  const std::string path = "/v1/tenants/hsa/peers/" + std::string(created.Json().at("id").as_string());
  const auto deadline = start + std::chrono::seconds(120);
  std::string last;
  while (Clock::now() < deadline) {
    auto r = http.Request("GET", path, "", Auth(hsa.token));
    if (r.status == 200) {
      last = r.body;
      const boost::json::value status = r.Json();
      const std::string_view phase = status.at("status").as_string();
      if (phase == "REJECTED") throw std::runtime_error("the peer was rejected: " + last);
      if (phase == "OK" && status.at("entries").to_number<uint64_t>() >= entries) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        std::printf("ops=%llu seconds=%.4f rate=%.1f errors=0\n", static_cast<unsigned long long>(entries),
                    elapsed, static_cast<double>(entries) / elapsed);
        return 0;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  throw std::runtime_error("the peer did not sync in 120 s: " + last);
}

int Ed25519Verify(const std::map<std::string, std::string>& flags) {
  const double seconds = std::stod(Get(flags, "seconds", "2"));
  const trust::PrivateKey signer = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  const std::string message(512, 'x');
  const std::string signature = signer.Sign(message).value();
  const trust::PublicKey key = signer.public_key();
  long ops = 0;
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (Clock::now() < deadline) {
    for (int k = 0; k < 64; ++k, ++ops) {
      if (!key.Verify(message, signature).ok()) throw std::runtime_error("a valid signature did not verify");
    }
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("ops=%ld seconds=%.2f rate=%.1f errors=0\n", ops, elapsed, static_cast<double>(ops) / elapsed);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: dossier_load "
                 "setup|commit|wrk-lua|verify|reliance-setup|reliance-sync|ed25519-verify --flag value ...\n";
    return 2;
  }
  try {
    const std::string cmd = argv[1];
    const auto flags = ParseFlags(argc, argv);
    if (cmd == "setup") return Setup(flags);
    if (cmd == "commit") return Commit(flags);
    if (cmd == "wrk-lua") return WrkLua(flags);
    if (cmd == "verify") return Verify(flags);
    if (cmd == "reliance-setup") return RelianceSetup(flags);
    if (cmd == "reliance-sync") return RelianceSync(flags);
    if (cmd == "ed25519-verify") return Ed25519Verify(flags);
    std::cerr << "unknown command " << cmd << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dossier_load: " << e.what() << "\n";
    return 1;
  }
}
