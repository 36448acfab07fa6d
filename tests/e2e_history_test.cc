// A Jepsen-style history check under kill -9: concurrent writers (several on
// each dossier, so they race for the same version numbers), readers and a
// checkpoint watcher talk HTTP to the real dossierd while it is SIGKILLed at
// random moments and restarted. Every request and its answer is recorded with
// the moments it was sent and answered; afterwards a checker reads the final
// state and verifies the history:
// - acknowledged versions never disappear: each is in the final history with
//   its digest, and every read sent after the acknowledgement sees it;
// - per dossier, version numbers are gapless and monotonic: the final
//   history is 1..head with an intact parent chain, and a write refused as
//   conflicting never appears;
// - no read is contradicted by a later one: what a read saw (a head, a
//   version's digest) is still so in every read sent after it and in the
//   final state, across restarts;
// - checkpoints only grow (in real-time order) and every one served is a
//   prefix of the final log (RFC 6962 consistency proof verified), as is each
//   one of the next: two checkpoints of one size have one root.
// Five cycles by default; DOSSIER_HISTORY_CYCLES=50 is the long mode
// (docs/OPERATIONS.md gives its command and figures).
#define BOOST_TEST_MODULE e2e_history
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "tests/support/harness.h"
#include "trust/checkpoint.h"
#include "trust/encoding.h"
#include "trust/merkle.h"

using namespace dossier;
using namespace dossier::testing;

namespace {

// ------------------------------------------------------------------ history

enum class Outcome {
  kOk,            // acknowledged (2xx)
  kFailed,        // refused with a definite answer (4xx): nothing was written
  kIndeterminate  // no answer (the server died) or a 5xx: may or may not have happened
};

struct Op {
  enum class Type { kWrite, kReadHead, kReadVersion, kCheckpoint } type;
  uint64_t invoked = 0, completed = 0;  // moments on the history's one clock
  Outcome outcome = Outcome::kIndeterminate;
  std::string object;    // dossier id (writes and reads)
  uint64_t version = 0;  // written / head seen / version read / tree size
  std::string digest;    // written / head digest / version's digest / root hash
  std::string detail;    // the answer's status and reason, for messages
};

// What every process appends to; one logical clock orders invocations and
// completions, so "A completed before B was invoked" is real-time order.
class History {
 public:
  uint64_t Tick() { return clock_.fetch_add(1) + 1; }
  void Add(Op op) {
    std::lock_guard lock(mu_);
    ops_.push_back(std::move(op));
  }
  std::vector<Op> ops() const {
    std::lock_guard lock(mu_);
    return ops_;
  }

 private:
  std::atomic<uint64_t> clock_{0};
  mutable std::mutex mu_;
  std::vector<Op> ops_;
};

// The server's state read after the last restart.
struct FinalState {
  std::map<std::string, std::vector<std::string>> versions;  // dossier -> digest of v1..head
  std::map<std::string, std::vector<std::string>> parents;   // dossier -> parent digest of v1..head
  std::map<uint64_t, std::string> roots;                     // tree size -> root, for served sizes
  uint64_t tree_size = 0;
  std::string root;
  // Whether a consistency proof from each served size to the final size verifies.
  std::map<uint64_t, bool> prefix_of_final;
  // Whether the proof between each pair of consecutive served sizes verifies.
  std::map<std::pair<uint64_t, uint64_t>, bool> consecutive_consistent;
};

// Every violation of the properties above, one line each.
std::vector<std::string> CheckHistory(const std::vector<Op>& ops, const FinalState& final_state) {
  std::vector<std::string> violations;
  auto violate = [&](const std::string& v) {
    if (violations.size() < 50) violations.push_back(v);
  };
  auto final_digest = [&](const std::string& object, uint64_t n) -> std::optional<std::string> {
    auto it = final_state.versions.find(object);
    if (it == final_state.versions.end() || n == 0 || n > it->second.size()) return std::nullopt;
    return it->second[n - 1];
  };

  // Gapless, monotonic, chained: the final history of each dossier.
  for (const auto& [object, digests] : final_state.versions) {
    const auto& parents = final_state.parents.at(object);
    for (size_t i = 0; i < digests.size(); ++i) {
      const std::string expected_parent = i == 0 ? "" : digests[i - 1];
      if (parents[i] != expected_parent)
        violate(object + " v" + std::to_string(i + 1) + " breaks the parent chain");
    }
  }

  for (const Op& w : ops) {
    if (w.type != Op::Type::kWrite) continue;
    const auto stored = final_digest(w.object, w.version);
    if (w.outcome == Outcome::kOk && stored != w.digest) {
      violate("acknowledged " + w.object + " v" + std::to_string(w.version) + " is gone or changed");
    }
    if (w.outcome == Outcome::kFailed && stored == w.digest) {
      violate("refused " + w.object + " v" + std::to_string(w.version) + " (" + w.detail + ") was written");
    }
    // Contents are unique to one write, so a digest anywhere else means the
    // write landed at a version number it did not ask for.
    for (const auto& [object, digests] : final_state.versions) {
      for (size_t i = 0; i < digests.size(); ++i) {
        if (digests[i] == w.digest && (object != w.object || i + 1 != w.version))
          violate(w.object + " v" + std::to_string(w.version) + " landed as " + object + " v" +
                  std::to_string(i + 1));
      }
    }
  }

  // Reads: consistent with the final state, with acknowledged writes before
  // them, and with reads before them.
  std::map<std::string, std::vector<const Op*>> reads_by_object;
  for (const Op& r : ops) {
    if (r.outcome != Outcome::kOk) continue;
    if (r.type == Op::Type::kReadHead || r.type == Op::Type::kReadVersion) {
      reads_by_object[r.object].push_back(&r);
      const auto stored = final_digest(r.object, r.version);
      if (r.version > 0 && stored != r.digest) {
        violate("a read saw " + r.object + " v" + std::to_string(r.version) + " " + r.digest.substr(0, 20) +
                ", the final state says otherwise");
      }
    }
  }
  for (const Op& w : ops) {
    if (w.type != Op::Type::kWrite || w.outcome != Outcome::kOk) continue;
    for (const Op* r : reads_by_object[w.object]) {
      if (r->type == Op::Type::kReadHead && r->invoked > w.completed && r->version < w.version) {
        violate("a read of " + w.object + " sent after v" + std::to_string(w.version) +
                " was acknowledged saw head v" + std::to_string(r->version));
      }
    }
  }
  for (auto& [object, reads] : reads_by_object) {
    std::sort(reads.begin(), reads.end(),
              [](const Op* a, const Op* b) { return a->completed < b->completed; });
    uint64_t highest_head = 0, highest_at = 0;  // the highest head seen by a completed read, and when
    std::map<uint64_t, std::string> seen;       // version -> digest, from every read
    for (const Op* r : reads) {
      if (auto it = seen.find(r->version); r->version > 0 && it != seen.end() && it->second != r->digest)
        violate("two reads disagree on " + object + " v" + std::to_string(r->version));
      if (r->version > 0) seen[r->version] = r->digest;
    }
    // Heads in real-time order: a read sent after another completed never sees less.
    std::vector<const Op*> heads;
    for (const Op* r : reads) {
      if (r->type == Op::Type::kReadHead) heads.push_back(r);
    }
    for (const Op* r : heads) {
      for (const Op* earlier : heads) {
        if (earlier->completed < r->invoked && earlier->version > r->version) {
          violate("a read of " + object + " saw head v" + std::to_string(r->version) +
                  " after another saw v" + std::to_string(earlier->version));
          break;
        }
      }
      if (r->completed > highest_at && r->version > highest_head) {
        highest_head = r->version;
        highest_at = r->completed;
      }
    }
    if (auto it = final_state.versions.find(object);
        it != final_state.versions.end() && it->second.size() < highest_head)
      violate("the final head of " + object + " is below one a read saw");
  }

  // Checkpoints: only growing in real-time order, each a prefix of the final log.
  std::vector<const Op*> checkpoints;
  for (const Op& c : ops) {
    if (c.type == Op::Type::kCheckpoint && c.outcome == Outcome::kOk) checkpoints.push_back(&c);
  }
  for (const Op* c : checkpoints) {
    for (const Op* earlier : checkpoints) {
      if (earlier->completed < c->invoked && earlier->version > c->version) {
        violate("checkpoint of size " + std::to_string(c->version) + " served after one of size " +
                std::to_string(earlier->version));
        break;
      }
    }
    if (c->version > final_state.tree_size) {
      violate("checkpoint of size " + std::to_string(c->version) + " is beyond the final log");
    } else if (auto it = final_state.roots.find(c->version);
               it == final_state.roots.end() || it->second != c->digest) {
      violate("checkpoint of size " + std::to_string(c->version) +
              " has another root than the final log's prefix");
    } else if (auto p = final_state.prefix_of_final.find(c->version);
               p == final_state.prefix_of_final.end() || !p->second) {
      violate("checkpoint of size " + std::to_string(c->version) + " is not a prefix of the final log");
    }
  }
  for (const auto& [pair, ok] : final_state.consecutive_consistent) {
    if (!ok)
      violate("checkpoints " + std::to_string(pair.first) + " and " + std::to_string(pair.second) +
              " are not consistent");
  }
  return violations;
}

// ------------------------------------------------------------------- client

struct LogIdentity {
  std::string origin;
  trust::PublicKey key;
};

std::vector<std::string> ProofHashes(const HttpResult& r) {
  std::vector<std::string> hashes;
  const boost::json::value json = r.Json();
  for (const auto& h : json.at("hashes").as_array())
    hashes.push_back(*trust::Base64Decode(std::string(h.as_string())));
  return hashes;
}

// One writer: commits the next version of its dossier as it learns the head
// from the server, racing the other writers of that dossier.
void Writer(HttpClient& http, const Actor& acme, const std::string& object, const std::string& who,
            History& history, const std::atomic<bool>& stop) {
  for (int i = 0; !stop.load(); ++i) {
    Op op{Op::Type::kWrite};
    op.object = object;
    try {
      auto head = http.Request("GET", "/v1/tenants/acme/dossiers/" + object, "", Auth(acme.token));
      if (head.status != 200) return;
      const boost::json::value head_json = head.Json();
      op.version = head_json.at("headVersion").to_number<uint64_t>() + 1;
      const auto* parent_v = head_json.as_object().if_contains("headDigest");
      const std::string parent = parent_v ? std::string(parent_v->as_string()) : "";
      const std::string content = MinimalDossierJson(object + " " + who + " #" + std::to_string(i), {});
      op.digest = UploadBlob(http, acme, content);
      const std::string body =
          CommitBody(acme, "dossiers/" + object, op.version, parent, op.digest, acme.key);
      op.invoked = history.Tick();
      auto r = http.Request("POST", "/v1/tenants/acme/dossiers/" + object + "/versions", body,
                            JsonAuth(acme.token));
      op.completed = history.Tick();
      op.detail = std::to_string(r.status) + " " + r.ProblemCode();
      op.outcome = r.status == 201  ? Outcome::kOk
                   : r.status < 500 ? Outcome::kFailed
                                    : Outcome::kIndeterminate;
      history.Add(op);
    } catch (const std::exception& e) {
      if (op.invoked != 0) {  // sent, never answered: the server was killed
        op.completed = history.Tick();
        op.detail = e.what();
        history.Add(op);
      }
      return;
    }
  }
}

void Reader(HttpClient& http, const Actor& acme, const std::vector<std::string>& objects, unsigned seed,
            History& history, const std::atomic<bool>& stop) {
  std::mt19937 rng(seed);
  while (!stop.load()) {
    const std::string object = objects[rng() % objects.size()];
    Op head{Op::Type::kReadHead};
    head.object = object;
    try {
      head.invoked = history.Tick();
      auto r = http.Request("GET", "/v1/tenants/acme/dossiers/" + object, "", Auth(acme.token));
      head.completed = history.Tick();
      if (r.status != 200) return;
      const boost::json::value json = r.Json();
      head.version = json.at("headVersion").to_number<uint64_t>();
      if (const auto* d = json.as_object().if_contains("headDigest"))
        head.digest = std::string(d->as_string());
      head.outcome = Outcome::kOk;
      history.Add(head);
      if (head.version == 0) continue;
      Op version{Op::Type::kReadVersion};
      version.object = object;
      version.version = 1 + rng() % head.version;
      version.invoked = history.Tick();
      auto v = http.Request(
          "GET", "/v1/tenants/acme/dossiers/" + object + "/versions/" + std::to_string(version.version), "",
          Auth(acme.token));
      version.completed = history.Tick();
      if (v.status != 200) return;
      version.digest = std::string(v.Json().at("digest").as_string());
      version.outcome = Outcome::kOk;
      history.Add(version);
    } catch (const std::exception&) {
      return;
    }
  }
}

void CheckpointWatcher(HttpClient& http, const Actor& acme, const LogIdentity& log, History& history,
                       const std::atomic<bool>& stop, std::string* bad) {
  while (!stop.load()) {
    Op op{Op::Type::kCheckpoint};
    try {
      op.invoked = history.Tick();
      auto r = http.Request("GET", "/v1/log/checkpoint", "", Auth(acme.token));
      op.completed = history.Tick();
      if (r.status != 200) return;
      auto checkpoint = trust::OpenCheckpoint(r.body, log.origin, log.key);
      if (!checkpoint.ok()) {
        *bad = checkpoint.status().ToString() + "\n" + r.body;
        return;
      }
      op.version = checkpoint->tree_size;
      op.digest = checkpoint->root_hash;
      op.outcome = Outcome::kOk;
      history.Add(op);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } catch (const std::exception&) {
      return;
    }
  }
}

// Reads the final state, and checks every served checkpoint against the final log.
FinalState ReadFinalState(HttpClient& http, const Actor& acme, const LogIdentity& log,
                          const std::vector<std::string>& objects, const std::vector<Op>& ops) {
  FinalState state;
  for (const auto& object : objects) {
    auto head = http.Request("GET", "/v1/tenants/acme/dossiers/" + object, "", Auth(acme.token));
    BOOST_REQUIRE_EQUAL(head.status, 200);
    const uint64_t n = head.Json().at("headVersion").to_number<uint64_t>();
    auto& digests = state.versions[object];
    auto& parents = state.parents[object];
    for (uint64_t v = 1; v <= n; ++v) {
      auto r = http.Request("GET", "/v1/tenants/acme/dossiers/" + object + "/versions/" + std::to_string(v),
                            "", Auth(acme.token));
      BOOST_REQUIRE_EQUAL(r.status, 200);
      const boost::json::value json = r.Json();
      digests.push_back(std::string(json.at("digest").as_string()));
      const auto* parent = json.as_object().if_contains("parentDigest");
      parents.push_back(parent ? std::string(parent->as_string()) : "");
    }
  }
  auto r = http.Request("GET", "/v1/log/checkpoint", "", Auth(acme.token));
  BOOST_REQUIRE_EQUAL(r.status, 200);
  auto latest = trust::OpenCheckpoint(r.body, log.origin, log.key);
  BOOST_REQUIRE_MESSAGE(latest.ok(), latest.status().ToString());
  state.tree_size = latest->tree_size;
  state.root = latest->root_hash;

  // Every size a checkpoint was served at: the final log's root at that size
  // (from its own proof), and the consistency proof to the final size.
  std::map<uint64_t, std::string> served;  // size -> root served (the first one; the checker compares all)
  for (const Op& c : ops) {
    if (c.type == Op::Type::kCheckpoint && c.outcome == Outcome::kOk) served.emplace(c.version, c.digest);
  }
  for (const auto& [size, root] : served) {
    if (size > state.tree_size) continue;
    if (size == state.tree_size) {
      state.roots[size] = state.root;
      state.prefix_of_final[size] = true;
      continue;
    }
    auto proof = http.Request(
        "GET",
        "/v1/log/proofs/consistency?from=" + std::to_string(size) + "&to=" + std::to_string(state.tree_size),
        "", Auth(acme.token));
    BOOST_REQUIRE_EQUAL(proof.status, 200);
    const bool ok =
        trust::VerifyConsistency(size, state.tree_size, ProofHashes(proof), root, state.root).ok();
    state.prefix_of_final[size] = ok;
    // A verified proof ties the served root to the final log; one that does
    // not verify leaves the root unknown, which the checker reports.
    if (ok) state.roots[size] = root;
  }
  // Each served checkpoint against the next larger one, by its own proof.
  for (auto it = served.begin(); it != served.end() && std::next(it) != served.end(); ++it) {
    auto next = std::next(it);
    if (next->first > state.tree_size) break;
    auto proof = http.Request(
        "GET",
        "/v1/log/proofs/consistency?from=" + std::to_string(it->first) + "&to=" + std::to_string(next->first),
        "", Auth(acme.token));
    BOOST_REQUIRE_EQUAL(proof.status, 200);
    state.consecutive_consistent[{it->first, next->first}] =
        trust::VerifyConsistency(it->first, next->first, ProofHashes(proof), it->second, next->second).ok();
  }
  return state;
}

int Cycles() {
  const char* env = std::getenv("DOSSIER_HISTORY_CYCLES");
  return env && std::atoi(env) > 0 ? std::atoi(env) : 5;
}

}  // namespace

BOOST_AUTO_TEST_CASE(history_under_sigkill_is_linearizable_per_dossier) {
  const int cycles = Cycles();
  constexpr int kObjects = 2, kWritersPerObject = 2, kReaders = 2;
  const std::vector<std::string> flags = {"--rate-limit", "0"};
  TempDir dir;
  const auto data = dir.path() / "data";
  std::vector<std::string> objects;
  for (int i = 0; i < kObjects; ++i) objects.push_back("h" + std::to_string(i));
  std::optional<Actor> acme_slot;
  std::optional<LogIdentity> log_slot;
  {
    Server server(data, flags);
    HttpClient http(server.port());
    acme_slot = CreateActor(http, server.operator_token(), "acme");
    for (const auto& object : objects) {
      auto r = http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":")" + object + "\"}",
                            JsonAuth(acme_slot->token));
      BOOST_REQUIRE_EQUAL(r.status, 201);
    }
    auto key_json = http.Request("GET", "/v1/log/public-key", "", Auth(acme_slot->token));
    BOOST_REQUIRE_EQUAL(key_json.status, 200);
    auto log_key = trust::PublicKey::FromPem(std::string(key_json.Json().at("publicKeyPem").as_string()));
    BOOST_REQUIRE(log_key.ok());
    log_slot = LogIdentity{std::string(key_json.Json().at("origin").as_string()), *log_key};
    server.Stop(SIGKILL);
  }
  const Actor& acme = *acme_slot;
  const LogIdentity& log = *log_slot;

  History history;
  std::string bad_checkpoint;
  std::mt19937 rng(20);  // fixed: the kill moments are the same each run, the interleavings are not
  const auto started = std::chrono::steady_clock::now();
  for (int cycle = 0; cycle < cycles; ++cycle) {
    Server server(data, flags);
    std::atomic<bool> stop{false};
    std::vector<std::thread> processes;
    for (int o = 0; o < kObjects; ++o) {
      for (int w = 0; w < kWritersPerObject; ++w) {
        processes.emplace_back([&, o, w] {
          HttpClient http(server.port());
          Writer(http, acme, objects[o], "w" + std::to_string(w) + " c" + std::to_string(cycle), history,
                 stop);
        });
      }
    }
    for (int r = 0; r < kReaders; ++r) {
      processes.emplace_back([&, r] {
        HttpClient http(server.port());
        Reader(http, acme, objects, static_cast<unsigned>(cycle * 100 + r), history, stop);
      });
    }
    processes.emplace_back([&] {
      HttpClient http(server.port());
      CheckpointWatcher(http, acme, log, history, stop, &bad_checkpoint);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 600));
    server.Stop(SIGKILL);
    stop = true;
    for (auto& t : processes) t.join();
  }
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();

  Server server(data, flags);
  HttpClient http(server.port());
  const std::vector<Op> ops = history.ops();
  const FinalState final_state = ReadFinalState(http, acme, log, objects, ops);
  const std::vector<std::string> violations = CheckHistory(ops, final_state);

  std::map<std::string, size_t> counts;
  for (const Op& op : ops) {
    static const char* kTypes[] = {"write", "read-head", "read-version", "checkpoint"};
    static const char* kOutcomes[] = {"ok", "refused", "indeterminate"};
    ++counts[std::string(kTypes[static_cast<int>(op.type)]) + " " + kOutcomes[static_cast<int>(op.outcome)]];
  }
  std::string summary;
  for (const auto& [what, n] : counts) summary += what + ": " + std::to_string(n) + ", ";
  size_t versions = 0;
  std::set<std::string> stored;
  for (const auto& [_, digests] : final_state.versions) {
    versions += digests.size();
    stored.insert(digests.begin(), digests.end());
  }
  size_t landed = 0;  // indeterminate writes found in the final state
  for (const Op& op : ops) {
    if (op.type == Op::Type::kWrite && op.outcome == Outcome::kIndeterminate && stored.count(op.digest))
      ++landed;
  }
  BOOST_TEST_MESSAGE(cycles << " kill -9 cycles in " << seconds << " s; " << ops.size() << " operations ("
                            << summary << "); " << landed << " indeterminate writes landed; final: "
                            << versions << " versions, log size " << final_state.tree_size << ", "
                            << final_state.prefix_of_final.size() << " checkpoint sizes verified");
  BOOST_TEST(bad_checkpoint.empty(), "a checkpoint that does not verify: " << bad_checkpoint);
  for (const auto& v : violations) BOOST_ERROR(v);
  BOOST_TEST(counts["write ok"] > 0u);
  BOOST_TEST(counts["read-head ok"] > 0u);
  BOOST_TEST(counts["checkpoint ok"] > 0u);
}

// The checker finds what it is there to find: a small hand-made history that
// breaks each property once, and the same history intact.
BOOST_AUTO_TEST_CASE(the_checker_reports_each_kind_of_violation) {
  auto op = [](Op::Type type, uint64_t invoked, uint64_t completed, Outcome outcome, std::string object,
               uint64_t version, std::string digest) {
    Op o{type};
    o.invoked = invoked;
    o.completed = completed;
    o.outcome = outcome;
    o.object = std::move(object);
    o.version = version;
    o.digest = std::move(digest);
    return o;
  };
  using T = Op::Type;
  const std::vector<Op> good = {
      op(T::kWrite, 1, 2, Outcome::kOk, "d", 1, "A"),
      op(T::kWrite, 3, 4, Outcome::kFailed, "d", 1, "B"),
      op(T::kWrite, 5, 6, Outcome::kIndeterminate, "d", 2, "C"),
      op(T::kReadHead, 7, 8, Outcome::kOk, "d", 2, "C"),
      op(T::kReadVersion, 9, 10, Outcome::kOk, "d", 1, "A"),
      op(T::kCheckpoint, 11, 12, Outcome::kOk, "", 1, "r1"),
      op(T::kCheckpoint, 13, 14, Outcome::kOk, "", 2, "r2"),
  };
  FinalState intact;
  intact.versions["d"] = {"A", "C"};
  intact.parents["d"] = {"", "A"};
  intact.tree_size = 2;
  intact.root = "r2";
  intact.roots = {{1, "r1"}, {2, "r2"}};
  intact.prefix_of_final = {{1, true}, {2, true}};
  intact.consecutive_consistent = {{{1, 2}, true}};
  BOOST_TEST(CheckHistory(good, intact).empty());

  auto violations_with = [&](std::vector<Op> ops, FinalState state) {
    return CheckHistory(ops, state).size();
  };
  FinalState lost = intact;  // the acknowledged v1 and what was read are gone
  lost.versions["d"] = {};
  lost.parents["d"] = {};
  BOOST_TEST(violations_with(good, lost) >= 2u);
  FinalState refused_written = intact;  // a refused write is there
  refused_written.versions["d"] = {"B", "C"};
  BOOST_TEST(violations_with(good, refused_written) >= 1u);
  FinalState broken_chain = intact;
  broken_chain.parents["d"] = {"", "X"};
  BOOST_TEST(violations_with(good, broken_chain) == 1u);
  auto stale = good;  // a read after another saw less
  stale.push_back(op(T::kReadHead, 15, 16, Outcome::kOk, "d", 1, "A"));
  BOOST_TEST(violations_with(stale, intact) == 1u);
  auto stale_after_ack = good;  // a read after an acknowledged write does not see it
  stale_after_ack.insert(stale_after_ack.begin() + 1, op(T::kReadHead, 3, 3, Outcome::kOk, "d", 0, ""));
  BOOST_TEST(violations_with(stale_after_ack, intact) == 1u);
  auto shrinking = good;  // a checkpoint smaller than one served before it
  shrinking.push_back(op(T::kCheckpoint, 15, 16, Outcome::kOk, "", 1, "r1"));
  BOOST_TEST(violations_with(shrinking, intact) == 1u);
  FinalState forked = intact;  // a served checkpoint is not a prefix of the final log
  forked.prefix_of_final[1] = false;
  forked.consecutive_consistent[{1, 2}] = false;
  BOOST_TEST(violations_with(good, forked) == 2u);
}
