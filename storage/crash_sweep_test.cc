// Crash-consistency sweep: a fixed workload (commits with blobs, key
// registrations and revocations, a submission and its decision, a reliance
// pull's page of imports with the peer's new position) runs through the
// fault-injecting file system once per sync point, and the power is cut at
// that point: everything not yet synced is dropped, directory entries
// included (storage/fault_injection_fs.h). After each cut the store is
// reopened on the real file system and must hold exactly what was
// acknowledged (the one operation in flight at the cut may or may not have
// landed), byte for byte; its log has no holes, its root recomputes from the
// leaves, the last checkpoint handed out is a prefix of the new log
// (consistency proof verified), and every blob record points at a complete
// file. The sweep stops at the first run the cut no longer reaches and prints
// how many crash points it covered.
//
// DOSSIER_CRASH_SWEEP_ROUNDS=N repeats the workload's body N times in one run
// (default 1; the long mode in docs/OPERATIONS.md uses 4), which sweeps
// memtable flushes and MANIFEST updates as well.
#define BOOST_TEST_MODULE storage_crash_sweep
#include <rocksdb/file_system.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "storage/fault_injection_fs.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"
#include "trust/digest.h"
#include "trust/merkle.h"

namespace fs = std::filesystem;
using namespace dossier;
using namespace dossier::storage;

namespace {

using dossier::testing::TempDir;

std::string DigestOf(const std::string& s) { return trust::DigestRef(trust::Sha256(s)); }

// What the store must hold: the effect of every acknowledged operation.
struct Model {
  std::set<std::string> tenants;
  std::map<std::string, bool> keys;  // "tenant/key id" -> revoked
  // "tenant/kind/id" -> content digest of each version, in order
  std::map<std::string, std::vector<std::string>> objects;
  std::map<std::string, std::string> blobs;  // "tenant digest" -> bytes
  // "tenant/collection" -> id -> value
  std::map<std::string, std::map<std::string, std::string>> records;
  std::vector<std::string> leaves;            // log leaf data, in log order
  std::map<std::string, uint64_t> feed_size;  // tenant -> versions committed
};

// One operation of the workload: `run` performs it on the store, `effect`
// applies what it does once acknowledged.
struct Step {
  std::string name;
  std::function<Status(Store&, FaultInjectionFileSystem&)> run;
  std::function<void(Model&)> effect;
};

// Everything the workload can ever write, so that what was not acknowledged
// can be looked for too.
struct Universe {
  std::set<std::string> tenants;
  std::set<std::pair<std::string, std::string>> blobs;        // tenant, digest
  std::set<std::pair<std::string, std::string>> collections;  // tenant, collection
  std::set<std::pair<std::string, std::string>> kinds;        // tenant, kind
};

struct Workload {
  std::vector<Step> steps;
  Universe universe;
};

Workload BuildWorkload(int rounds) {
  Workload w;
  auto& steps = w.steps;
  auto tenant = [&](const std::string& id, const std::string& kind) {
    w.universe.tenants.insert(id);
    steps.push_back({"create tenant " + id,
                     [=](Store& s, FaultInjectionFileSystem&) {
                       TenantRecord t;
                       t.set_id(id);
                       t.set_kind(kind);
                       return s.CreateTenant(t).status();
                     },
                     [=](Model& m) { m.tenants.insert(id); }});
  };
  auto object = [&](const std::string& t, const std::string& id) {
    w.universe.kinds.insert({t, "dossiers"});
    steps.push_back({"create object " + id,
                     [=](Store& s, FaultInjectionFileSystem&) {
                       ObjectRecord o;
                       o.set_tenant(t);
                       o.set_kind("dossiers");
                       o.set_id(id);
                       return s.CreateObject(o).status();
                     },
                     [=](Model& m) { m.objects[t + "/dossiers/" + id]; }});
  };
  // A commit: its content uploaded as a blob (staged through the file
  // system, unsynced, as an upload leaves it), then the version naming it.
  std::map<std::string, std::string> heads;  // object -> head digest while building
  std::map<std::string, uint64_t> versions;
  auto commit = [&](const std::string& t, const std::string& id, size_t content_bytes) {
    const std::string key = t + "/dossiers/" + id;
    const uint64_t n = ++versions[key];
    std::string content = "{\"dossier\":\"" + id + "\",\"version\":" + std::to_string(n) + ",\"pad\":\"";
    content += std::string(content_bytes, static_cast<char>('a' + n % 26));
    content += "\"}";
    const std::string digest = DigestOf(content);
    const std::string parent = heads[key];
    heads[key] = digest;
    w.universe.blobs.insert({t, digest});
    steps.push_back({"upload content of " + id + " v" + std::to_string(n),
                     [=](Store& s, FaultInjectionFileSystem& files) {
                       const fs::path staged = s.StagingDir() / ("upload-" + digest.substr(7, 16));
                       rocksdb::IOStatus written = rocksdb::WriteStringToFile(
                           &files, content, staged.string(), /*should_sync=*/false);
                       if (!written.ok()) return Unavailable(written.ToString(), "io-error");
                       return s.AdoptBlob(t, digest, staged).status();
                     },
                     [=](Model& m) { m.blobs[t + " " + digest] = content; }});
    const std::string leaf = "commit " + key + " v" + std::to_string(n) + " " + digest;
    steps.push_back({"commit " + id + " v" + std::to_string(n),
                     [=](Store& s, FaultInjectionFileSystem&) {
                       VersionRecord v;
                       v.set_tenant(t);
                       v.set_kind("dossiers");
                       v.set_id(id);
                       v.set_version(n);
                       v.set_parent_digest(parent);
                       v.set_content_digest(digest);
                       v.set_leaf_data(leaf);
                       return s.CommitVersion(v).status();
                     },
                     [=](Model& m) {
                       m.objects[key].push_back(digest);
                       m.leaves.push_back(leaf);
                       ++m.feed_size[t];
                     }});
  };
  auto register_key = [&](const std::string& t, const std::string& key_id) {
    const std::string leaf = "key-registered " + t + "/" + key_id;
    steps.push_back({"register key " + key_id,
                     [=](Store& s, FaultInjectionFileSystem&) {
                       KeyRecord k;
                       k.set_tenant(t);
                       k.set_key_id(key_id);
                       k.set_algorithm("ed25519");
                       k.set_public_key_pem("-----BEGIN PUBLIC KEY-----\n" + key_id +
                                            "\n-----END PUBLIC KEY-----\n");
                       return s.RegisterKey(k, leaf).status();
                     },
                     [=](Model& m) {
                       m.keys[t + "/" + key_id] = false;
                       m.leaves.push_back(leaf);
                     }});
  };
  auto revoke_key = [&](const std::string& t, const std::string& key_id) {
    const std::string leaf = "key-revoked " + t + "/" + key_id;
    steps.push_back({"revoke key " + key_id,
                     [=](Store& s, FaultInjectionFileSystem&) {
                       return s.RevokeKey(t, key_id, 1'800'000'000'000, leaf).status();
                     },
                     [=](Model& m) {
                       m.keys[t + "/" + key_id] = true;
                       m.leaves.push_back(leaf);
                     }});
  };
  // One atomic batch of record writes (possibly spanning tenants).
  auto records = [&](const std::string& name, std::vector<RecordWrite> writes) {
    for (const auto& r : writes) w.universe.collections.insert({r.tenant, r.collection});
    steps.push_back({name, [=](Store& s, FaultInjectionFileSystem&) { return s.WriteRecords(writes); },
                     [=](Model& m) {
                       for (const auto& r : writes) {
                         auto& c = m.records[r.tenant + "/" + r.collection];
                         if (r.mode == RecordWrite::Mode::kDelete) {
                           c.erase(r.id);
                         } else {
                           c[r.id] = r.value;
                         }
                       }
                     }});
  };

  tenant("acme", "MANUFACTURER");
  tenant("fda", "REGULATOR");
  for (int round = 0; round < rounds; ++round) {
    const std::string r = std::to_string(round);
    const std::string d1 = "cxr-" + r, d2 = "ecg-" + r;
    object("acme", d1);
    object("acme", d2);
    commit("acme", d1, 200);
    register_key("acme", "k1-" + r);
    commit("acme", d1, 70'000);  // several blob chunks
    commit("acme", d2, 10);
    register_key("acme", "k2-" + r);
    revoke_key("acme", "k1-" + r);
    const std::string s = "sub-" + r;
    records("submit " + s, {{"acme", "submissions", s,
                             R"({"dossier":")" + d1 + R"(","version":2,"agency":"fda","state":"SUBMITTED"})"},
                            {"fda", "inbox", s, R"({"from":"acme","dossier":")" + d1 + R"(","version":2})"}});
    commit("acme", d1, 50);
    records("decide " + s,
            {{"fda", "decisions", s, R"({"decision":"CLEARED","content":")" + std::string(40, 'd') + "\"}"},
             {"acme", "submissions", s,
              R"({"dossier":")" + d1 + R"(","version":2,"agency":"fda","state":"CLEARED"})"},
             {"fda", "inbox", s, "", RecordWrite::Mode::kDelete}});
    // A reliance pull: a page of verified entries from a peer and the peer's
    // new position, in one write; large enough that the memtable fills.
    std::vector<RecordWrite> page;
    for (int i = 0; i < 4; ++i) {
      page.push_back({"fda", "reliance-imports", "hsa-node/" + r + "/" + std::to_string(i),
                      std::string(24'000, static_cast<char>('A' + i))});
    }
    page.push_back({"fda", "peers", "hsa-node",
                    R"({"id":"hsa-node","position":)" + std::to_string(4 * (round + 1)) + "}"});
    records("reliance pull " + r, page);
    commit("acme", d2, 3000);
  }
  return w;
}

template <typename T>
std::string Join(const T& items) {
  std::ostringstream out;
  for (const auto& i : items) out << i << ",";
  return out.str();
}

// Every difference between the store and the model, one line each; empty
// when the store holds exactly what the model says.
std::vector<std::string> Differences(Store& store, const Model& m, const Universe& u) {
  std::vector<std::string> problems;
  auto problem = [&](const std::string& p) { problems.push_back(p); };

  auto tenants = store.ListTenants();
  if (!tenants.ok()) return {"list tenants: " + tenants.status().ToString()};
  std::set<std::string> present;
  for (const auto& t : *tenants) present.insert(t.id());
  if (present != m.tenants) problem("tenants " + Join(present) + " != " + Join(m.tenants));

  for (const auto& t : m.tenants) {
    auto keys = store.ListKeys(t);
    if (!keys.ok()) return {"list keys: " + keys.status().ToString()};
    std::map<std::string, bool> stored;
    for (const auto& k : *keys) stored[t + "/" + k.key_id()] = k.revoked_ms() != 0;
    std::map<std::string, bool> expected;
    for (const auto& [id, revoked] : m.keys) {
      if (id.rfind(t + "/", 0) == 0) expected[id] = revoked;
    }
    if (stored != expected) problem("keys of " + t + " differ from what was acknowledged");
  }

  // Objects and their versions, byte for byte, each leaf where the version says.
  for (const auto& [tenant, kind] : u.kinds) {
    if (!m.tenants.count(tenant)) continue;
    auto listed = store.ListObjects(tenant, kind, "", 1000);
    if (!listed.ok()) return {"list objects: " + listed.status().ToString()};
    std::set<std::string> ids, expected_ids;
    for (const auto& o : listed->items) ids.insert(tenant + "/" + kind + "/" + o.id());
    for (const auto& [key, _] : m.objects) {
      if (key.rfind(tenant + "/" + kind + "/", 0) == 0) expected_ids.insert(key);
    }
    if (ids != expected_ids) problem("objects " + Join(ids) + " != " + Join(expected_ids));
  }
  for (const auto& [key, digests] : m.objects) {
    const auto first = key.find('/'), second = key.find('/', first + 1);
    const std::string t = key.substr(0, first), kind = key.substr(first + 1, second - first - 1),
                      id = key.substr(second + 1);
    auto head = store.GetObject(t, kind, id);
    if (!head.ok()) {
      problem(key + ": " + head.status().ToString());
      continue;
    }
    if (head->head_version() != digests.size()) {
      problem(key + " head v" + std::to_string(head->head_version()) + ", acknowledged " +
              std::to_string(digests.size()));
    }
    std::string parent;
    for (uint64_t n = 1; n <= digests.size(); ++n) {
      auto v = store.GetVersion(t, kind, id, n);
      if (!v.ok()) {
        problem(key + " v" + std::to_string(n) + ": " + v.status().ToString());
        break;
      }
      if (v->content_digest() != digests[n - 1] || v->parent_digest() != parent)
        problem(key + " v" + std::to_string(n) + " differs");
      auto leaf = store.LogLeafData(v->log_index());
      if (!leaf.ok() || *leaf != v->leaf_data()) problem(key + " v" + std::to_string(n) + ": leaf differs");
      parent = digests[n - 1];
    }
  }
  for (const auto& t : m.tenants) {
    auto feed = store.ReadFeed(t, 0, 10'000);
    if (!feed.ok()) return {"read feed: " + feed.status().ToString()};
    const uint64_t expected = m.feed_size.count(t) ? m.feed_size.at(t) : 0;
    if (feed->size() != expected)
      problem("feed of " + t + " has " + std::to_string(feed->size()) + " entries");
    for (size_t i = 0; i < feed->size(); ++i) {
      if ((*feed)[i].seq() != i + 1) problem("feed of " + t + " has a hole at " + std::to_string(i + 1));
    }
  }

  // Blobs: every acknowledged one whole, no other one recorded.
  for (const auto& [tenant, digest] : u.blobs) {
    if (!m.tenants.count(tenant)) continue;
    auto it = m.blobs.find(tenant + " " + digest);
    auto bytes = store.ReadBlob(tenant, digest, 1u << 20);
    if (it == m.blobs.end()) {
      if (bytes.status().code() != StatusCode::kNotFound)
        problem("blob " + digest + " is there unacknowledged");
    } else if (!bytes.ok()) {
      problem("blob " + digest + ": " + bytes.status().ToString());
    } else if (*bytes != it->second) {
      problem("blob " + digest + " differs");
    }
  }

  // Records, exactly.
  for (const auto& [tenant, collection] : u.collections) {
    if (!m.tenants.count(tenant)) continue;
    auto page = store.ListRecords(tenant, collection, "", 1000);
    if (!page.ok()) return {"list records: " + page.status().ToString()};
    std::map<std::string, std::string> stored(page->items.begin(), page->items.end());
    auto it = m.records.find(tenant + "/" + collection);
    const std::map<std::string, std::string> expected =
        it == m.records.end() ? std::map<std::string, std::string>() : it->second;
    if (stored != expected)
      problem("records " + tenant + "/" + collection + " differ from what was acknowledged");
  }

  // The log: no holes, the acknowledged leaves in order, the root recomputed.
  if (store.LogSize() != m.leaves.size()) {
    problem("log size " + std::to_string(store.LogSize()) + ", acknowledged " +
            std::to_string(m.leaves.size()));
  } else {
    std::vector<std::string> hashes;
    for (uint64_t i = 0; i < m.leaves.size(); ++i) {
      auto leaf = store.LogLeafData(i);
      if (!leaf.ok() || *leaf != m.leaves[i]) problem("log leaf " + std::to_string(i) + " differs");
      hashes.push_back(trust::LeafHash(m.leaves[i]));
    }
    auto root = store.LogRoot(store.LogSize());
    if (!root.ok() || *root != trust::RootFromLeafHashes(hashes)) problem("log root does not recompute");
  }
  if (Status verified = store.Verify(); !verified.ok()) problem("Verify: " + verified.ToString());
  // Every blob record's file complete, every version's leaf in the log.
  auto scrub = store.Scrub();
  if (!scrub.ok()) {
    problem("scrub: " + scrub.status().ToString());
  } else {
    for (const auto& line : *scrub) problem("scrub: " + line);
  }
  return problems;
}

struct Checkpoint {
  uint64_t size = 0;
  std::string root;
};

struct SweepResult {
  uint64_t crash_points = 0;      // runs in which the power was cut
  uint64_t in_flight_landed = 0;  // cuts after which the operation in flight was there
  uint64_t in_flight_lost = 0;    // cuts after which it was not (or there was none)
  uint64_t entries_dropped = 0;   // directory entries undone over all cuts
  uint64_t bytes_dropped = 0;
  std::vector<std::string> failures;  // one per crash point that broke an invariant
};

std::string Describe(uint64_t point, const std::string& when, const std::vector<std::string>& problems) {
  std::string out = "crash point " + std::to_string(point) + " (" + when + "): ";
  for (size_t i = 0; i < problems.size() && i < 5; ++i) out += problems[i] + "; ";
  return out;
}

// Runs the workload once per sync point with the power cut there. With
// `stop_at_first_failure`, returns as soon as one crash point fails.
SweepResult Sweep(const Workload& workload, bool sync_blobs, bool stop_at_first_failure) {
  SweepResult result;
  for (uint64_t point = 1;; ++point) {
    TempDir dir("dossier-crash-sweep-");
    auto files = std::make_shared<FaultInjectionFileSystem>(rocksdb::FileSystem::Default());
    files->CrashAtSyncPoint(point);
    files->PassSyncsToDisk(false);  // the model decides what survives; the disk never loses power
    StoreOptions options;
    options.data_dir = dir.path();
    options.file_system = files;
    options.sync_blobs = sync_blobs;
    options.write_buffer_bytes = 64u << 10;  // flushes (SST files, MANIFEST edits) happen within the sweep
    options.report_corruption = [](const std::string&) {};

    Model acknowledged;
    std::optional<size_t> in_flight;  // the step running when the power went out
    std::optional<Checkpoint> given_out;
    std::string when = "opening";
    {
      auto opened = OpenRocksStore(options);
      if (!opened.ok() && !files->frozen()) {
        result.failures.push_back("open failed without a crash: " + opened.status().ToString());
        return result;
      }
      if (opened.ok()) {
        Store& store = **opened;
        for (size_t i = 0; i < workload.steps.size() && !files->frozen(); ++i) {
          const Step& step = workload.steps[i];
          Status s = step.run(store, *files);
          if (files->frozen()) {
            in_flight = i;
            when = step.name;
            break;
          }
          if (!s.ok()) {
            result.failures.push_back(step.name + " failed without a crash: " + s.ToString());
            return result;
          }
          step.effect(acknowledged);
          auto root = store.LogRoot(store.LogSize());
          if (root.ok()) given_out = Checkpoint{store.LogSize(), *root};
        }
        if (!files->frozen()) when = "closing";
      }
    }                             // closed: with the power off, closing writes nothing
    if (!files->frozen()) break;  // the run passed every sync point: the sweep is complete
    ++result.crash_points;
    const auto effect = files->SimulatePowerLoss();
    result.entries_dropped += effect.entries_dropped;
    result.bytes_dropped += effect.bytes_dropped;

    // Reopened as after the reboot; its own syncs need not reach the disk either.
    auto after_reboot = std::make_shared<FaultInjectionFileSystem>(rocksdb::FileSystem::Default());
    after_reboot->PassSyncsToDisk(false);
    StoreOptions plain;
    plain.data_dir = dir.path();
    plain.file_system = after_reboot;
    plain.report_corruption = [](const std::string&) {};
    auto reopened = OpenRocksStore(plain);
    if (!reopened.ok()) {
      result.failures.push_back(Describe(point, when, {"reopen: " + reopened.status().ToString()}));
      if (stop_at_first_failure) return result;
      continue;
    }
    Store& store = **reopened;
    std::vector<std::string> problems = Differences(store, acknowledged, workload.universe);
    if (!problems.empty() && in_flight) {
      Model landed = acknowledged;
      workload.steps[*in_flight].effect(landed);
      std::vector<std::string> if_landed = Differences(store, landed, workload.universe);
      if (if_landed.empty()) {
        problems.clear();
        ++result.in_flight_landed;
      }
    } else if (problems.empty()) {
      ++result.in_flight_lost;
    }
    // The last checkpoint handed out is a prefix of the log as it is now.
    if (given_out) {
      const uint64_t now = store.LogSize();
      auto old_root = store.LogRoot(std::min(given_out->size, now));
      auto new_root = store.LogRoot(now);
      // Every tree extends the empty one, with an empty proof.
      auto proof = given_out->size == 0 ? StatusOr<std::vector<std::string>>(std::vector<std::string>())
                                        : store.LogConsistencyProof(std::min(given_out->size, now), now);
      if (given_out->size > now || !old_root.ok() || !new_root.ok() || !proof.ok()) {
        problems.push_back("checkpoint of size " + std::to_string(given_out->size) + " is gone (log size " +
                           std::to_string(now) + ")");
      } else if (Status c =
                     trust::VerifyConsistency(given_out->size, now, *proof, given_out->root, *new_root);
                 !c.ok()) {
        problems.push_back("checkpoint of size " + std::to_string(given_out->size) +
                           " is not consistent with the new one: " + c.ToString());
      }
    }
    if (!problems.empty()) {
      result.failures.push_back(Describe(point, when, problems));
      if (stop_at_first_failure) return result;
    }
  }
  return result;
}

int Rounds() {
  const char* env = std::getenv("DOSSIER_CRASH_SWEEP_ROUNDS");
  return env && std::atoi(env) > 0 ? std::atoi(env) : 1;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_sync_point_of_the_workload_is_a_safe_place_to_lose_power) {
  const Workload workload = BuildWorkload(Rounds());
  const auto started = std::chrono::steady_clock::now();
  const SweepResult result = Sweep(workload, /*sync_blobs=*/true, /*stop_at_first_failure=*/false);
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
  BOOST_TEST_MESSAGE("crash points covered: "
                     << result.crash_points << " (" << workload.steps.size() << " operations, " << Rounds()
                     << " round(s)); in-flight operation "
                     << "landed after " << result.in_flight_landed << " cuts, lost after "
                     << result.in_flight_lost << "; directory entries undone: " << result.entries_dropped
                     << ", unsynced bytes dropped: " << result.bytes_dropped << "; " << seconds << " s");
  for (const auto& failure : result.failures) BOOST_ERROR(failure);
  // A workload this size syncs the WAL once per write, each blob file and its
  // folders, and RocksDB's own files when it opens: far more than 50 points.
  BOOST_TEST(result.crash_points > 50u);
  BOOST_TEST(result.in_flight_landed > 0u);
  BOOST_TEST(result.entries_dropped > 0u);
}

// The sweep can fail: without the blob file and folder fsyncs, some cut
// leaves a blob record whose file is missing or short.
BOOST_AUTO_TEST_CASE(without_blob_fsyncs_some_crash_point_loses_a_blob) {
  const SweepResult result = Sweep(BuildWorkload(1), /*sync_blobs=*/false, /*stop_at_first_failure=*/true);
  BOOST_REQUIRE_EQUAL(result.failures.size(), 1u);
  BOOST_TEST_MESSAGE("as expected: " << result.failures[0]);
  BOOST_TEST(result.failures[0].find("blob") != std::string::npos, result.failures[0]);
}
