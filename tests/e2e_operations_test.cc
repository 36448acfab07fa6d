// What an operator does to a whole node, on the real dossierd: an online
// backup taken under concurrent writes and restored (scrub, and the restored
// log root equal to the backup's signed checkpoint); a RocksDB data directory
// migrated into PostgreSQL (every version, leaf index, signature and blob, the
// log root unchanged); a pg_dump / pg_restore round trip served by a new node;
// and a node refused when its log key is not the one the log is signed with.
#define BOOST_TEST_MODULE e2e_operations
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/files.h"
#include "tests/support/gudid_release.h"
#include "tests/support/harness.h"
#include "tests/support/postgres.h"
#include "tests/support/process.h"
#include "trust/checkpoint.h"
#include "trust/encoding.h"
#include "trust/merkle.h"

using namespace dossier;
using namespace dossier::testing;
namespace fs = std::filesystem;

namespace {

ProcessResult Dossierd(const std::vector<std::string>& args, int limit_seconds = 120) {
  std::vector<std::string> argv = {(BinDir() / "dossierd").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, {}, std::chrono::seconds(limit_seconds));
}

struct LogKey {
  std::string origin;
  trust::PublicKey key;
};

LogKey FetchLogKey(HttpClient& http, const std::string& token) {
  auto r = http.Request("GET", "/v1/log/public-key", "", Auth(token));
  BOOST_REQUIRE_EQUAL(r.status, 200);
  auto key = trust::PublicKey::FromPem(std::string(r.Json().at("publicKeyPem").as_string()));
  BOOST_REQUIRE(key.ok());
  return {std::string(r.Json().at("origin").as_string()), *key};
}

// The node's current checkpoint, verified with `log`.
trust::Checkpoint Checkpoint(HttpClient& http, const std::string& token, const LogKey& log) {
  auto r = http.Request("GET", "/v1/log/checkpoint", "", Auth(token));
  BOOST_REQUIRE_EQUAL(r.status, 200);
  auto checkpoint = trust::OpenCheckpoint(r.body, log.origin, log.key);
  BOOST_REQUIRE_MESSAGE(checkpoint.ok(), checkpoint.status().ToString());
  return *checkpoint;
}

// Commits the next version of dossier `d`; false when the server refused.
bool CommitNext(HttpClient& http, const Actor& actor, const std::string& d, const std::string& note) {
  auto head = http.Request("GET", "/v1/tenants/" + actor.tenant + "/dossiers/" + d, "", Auth(actor.token));
  if (head.status != 200) return false;
  const auto head_json = head.Json();
  const uint64_t n = head_json.at("headVersion").to_number<uint64_t>() + 1;
  const auto* parent_v = head_json.as_object().if_contains("headDigest");
  const std::string parent = parent_v ? std::string(parent_v->as_string()) : "";
  const std::string content = MinimalDossierJson(d + " v" + std::to_string(n) + " " + note, {});
  const std::string digest = UploadBlob(http, actor, content);
  auto r =
      http.Request("POST", "/v1/tenants/" + actor.tenant + "/dossiers/" + d + "/versions",
                   CommitBody(actor, "dossiers/" + d, n, parent, digest, actor.key), JsonAuth(actor.token));
  return r.status == 201;
}

// Every version of dossiers d0..d{count-1} as the node answers it (the JSON
// record: digest, parent, leaf index, signature) plus its content bytes.
std::map<std::string, std::string> EveryVersion(HttpClient& http, const Actor& actor, int count) {
  std::map<std::string, std::string> out;
  for (int i = 0; i < count; ++i) {
    const std::string d = "d" + std::to_string(i);
    auto head = http.Request("GET", "/v1/tenants/" + actor.tenant + "/dossiers/" + d, "", Auth(actor.token));
    BOOST_REQUIRE_EQUAL(head.status, 200);
    const uint64_t versions = head.Json().at("headVersion").to_number<uint64_t>();
    for (uint64_t n = 1; n <= versions; ++n) {
      const std::string path =
          "/v1/tenants/" + actor.tenant + "/dossiers/" + d + "/versions/" + std::to_string(n);
      auto v = http.Request("GET", path, "", Auth(actor.token));
      auto content = http.Request("GET", path + "/content", "", Auth(actor.token));
      BOOST_REQUIRE_EQUAL(v.status, 200);
      BOOST_REQUIRE_EQUAL(content.status, 200);
      out[path] = v.body;
      out[path + "/content"] = content.body;
    }
  }
  return out;
}

// A tenant with `dossiers` dossiers of `versions` versions each, and a second
// key registered then revoked (key leaves in the log too).
Actor Populate(HttpClient& http, const std::string& op, int dossiers, int versions) {
  Actor acme = CreateActor(http, op, "acme");
  for (int i = 0; i < dossiers; ++i) {
    const std::string d = "d" + std::to_string(i);
    BOOST_REQUIRE_EQUAL(
        http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":")" + d + "\"}", JsonAuth(acme.token))
            .status,
        201);
    for (int n = 0; n < versions; ++n) BOOST_REQUIRE(CommitNext(http, acme, d, "populate"));
  }
  return acme;
}

std::string PgBin() {
  const char* bin = std::getenv("DOSSIER_PG_BIN");
  return bin ? bin : "/usr/lib/postgresql/15/bin";
}

}  // namespace

BOOST_AUTO_TEST_CASE(online_backup_under_concurrent_writes_restores_to_its_signed_checkpoint) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  Server server(data, {"--rate-limit", "0"});
  HttpClient http(server.port());
  const std::string op = server.operator_token();
  constexpr int kWriters = 3;
  Actor acme = Populate(http, op, kWriters, 2);
  const LogKey log = FetchLogKey(http, acme.token);

  // Writers keep committing while two backups are taken.
  std::atomic<bool> stop{false};
  std::atomic<int> committed{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      HttpClient client(server.port());
      while (!stop.load()) {
        if (CommitNext(client, acme, "d" + std::to_string(w), "during backup")) ++committed;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const fs::path backup = dir.path() / "backup";
  auto taken = Dossierd({"backup", "--data", data.string(), "--to", backup.string()});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // Into an existing folder: refused, nothing overwritten.
  auto again = Dossierd({"backup", "--data", data.string(), "--to", backup.string()});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop = true;
  for (auto& t : writers) t.join();
  BOOST_REQUIRE_MESSAGE(taken.exit_code == 0, taken.out + taken.err);
  BOOST_TEST_MESSAGE(taken.out);
  BOOST_TEST(again.exit_code == 1);
  BOOST_TEST(again.err.find("exists") != std::string::npos, again.err);
  BOOST_TEST(committed.load() > 0);

  // The backup's checkpoint is signed by the node's log key, and the live log
  // (which went on growing) still has that root at that size.
  auto backed_up = trust::OpenCheckpoint(ReadFile(backup / "checkpoint.note"), log.origin, log.key);
  BOOST_REQUIRE_MESSAGE(backed_up.ok(), backed_up.status().ToString());
  const trust::Checkpoint live = Checkpoint(http, acme.token, log);
  BOOST_TEST_MESSAGE("backed up log size " << backed_up->tree_size << ", live " << live.tree_size);
  BOOST_TEST(backed_up->tree_size > 0u);
  BOOST_TEST(backed_up->tree_size <= live.tree_size);
  auto proof = http.Request("GET",
                            "/v1/log/proofs/consistency?from=" + std::to_string(backed_up->tree_size) +
                                "&to=" + std::to_string(live.tree_size),
                            "", Auth(acme.token));
  if (backed_up->tree_size < live.tree_size) {
    BOOST_REQUIRE_EQUAL(proof.status, 200);
    std::vector<std::string> hashes;
    const boost::json::value proof_json = proof.Json();
    for (const auto& h : proof_json.at("hashes").as_array()) {
      hashes.push_back(*trust::Base64Decode(std::string(h.as_string())));
    }
    BOOST_TEST(trust::VerifyConsistency(backed_up->tree_size, live.tree_size, hashes, backed_up->root_hash,
                                        live.root_hash)
                   .ok());
  }

  // Restore, scrub, serve: the restored node's log is the backup's checkpoint.
  const fs::path restored = dir.path() / "restored";
  auto restore = Dossierd({"restore", "--from", backup.string(), "--data", restored.string()});
  BOOST_REQUIRE_MESSAGE(restore.exit_code == 0, restore.out + restore.err);
  BOOST_TEST_MESSAGE(restore.out);
  auto refused = Dossierd({"restore", "--from", backup.string(), "--data", restored.string()});
  BOOST_TEST(refused.exit_code == 1);
  BOOST_TEST(refused.err.find("not empty") != std::string::npos, refused.err);
  auto scrub = Dossierd({"scrub", "--data", restored.string()});
  BOOST_TEST(scrub.exit_code == 0, scrub.out + scrub.err);
  BOOST_TEST(scrub.out.find("scrub: OK") != std::string::npos);
  {
    Server node(restored, {"--rate-limit", "0"});
    HttpClient restored_http(node.port());
    const trust::Checkpoint served = Checkpoint(restored_http, acme.token, log);
    BOOST_TEST(served.tree_size == backed_up->tree_size);
    BOOST_TEST(served.root_hash == backed_up->root_hash);
    // Still writable, continuing the same log.
    BOOST_TEST(CommitNext(restored_http, acme, "d0", "after restore"));
    BOOST_TEST(Checkpoint(restored_http, acme.token, log).tree_size == backed_up->tree_size + 1);
  }

  // Offline (no node serving): the same command opens the store itself.
  server.Stop();
  const fs::path offline = dir.path() / "offline-backup";
  auto cold = Dossierd({"backup", "--data", data.string(), "--to", offline.string()});
  BOOST_REQUIRE_MESSAGE(cold.exit_code == 0, cold.out + cold.err);
  auto cold_checkpoint = trust::OpenCheckpoint(ReadFile(offline / "checkpoint.note"), log.origin, log.key);
  BOOST_REQUIRE(cold_checkpoint.ok());
  BOOST_TEST(cold_checkpoint->tree_size == live.tree_size);
  BOOST_TEST(cold_checkpoint->root_hash == live.root_hash);

  // A backup whose log key was swapped (and its note re-signed with it) is
  // refused: the store names the key its log is signed with.
  const fs::path swapped = dir.path() / "swapped-backup";
  fs::copy(offline, swapped, fs::copy_options::recursive);
  auto other_key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519);
  BOOST_REQUIRE(other_key.ok());
  fs::remove(swapped / "log-key.pem");
  std::ofstream(swapped / "log-key.pem") << other_key->Pem();
  auto resigned =
      trust::SignNote(trust::CheckpointBody(*cold_checkpoint), cold_checkpoint->origin, *other_key);
  BOOST_REQUIRE(resigned.ok());
  fs::remove(swapped / "checkpoint.note");
  std::ofstream(swapped / "checkpoint.note") << *resigned;
  auto swapped_restore =
      Dossierd({"restore", "--from", swapped.string(), "--data", (dir.path() / "from-swapped").string()});
  BOOST_TEST(swapped_restore.exit_code == 1);
  BOOST_TEST(swapped_restore.err.find("not the key") != std::string::npos, swapped_restore.err);
  BOOST_TEST(!fs::exists(dir.path() / "from-swapped"));

  // A damaged backup is refused and leaves no data directory behind.
  fs::path some_blob;
  for (const auto& entry : fs::recursive_directory_iterator(offline / "blobs")) {
    if (entry.is_regular_file()) some_blob = entry.path();
  }
  BOOST_REQUIRE(!some_blob.empty());
  {
    std::fstream f(some_blob, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f.put('#');
  }
  const fs::path damaged = dir.path() / "from-damaged";
  auto bad = Dossierd({"restore", "--from", offline.string(), "--data", damaged.string()});
  BOOST_TEST(bad.exit_code == 1);
  BOOST_TEST(bad.err.find("scrub") != std::string::npos, bad.err);
  BOOST_TEST(!fs::exists(damaged));
}

BOOST_AUTO_TEST_CASE(backup_of_a_postgres_store_points_to_postgres_tools) {
  TempDir dir;
  auto r = Dossierd({"backup", "--data", (dir.path() / "d").string(), "--to", (dir.path() / "b").string(),
                     "--store", "postgres://nobody@127.0.0.1:1/none"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("pg_basebackup") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(migrate_rocksdb_to_postgres_keeps_every_version_and_the_log_root) {
  PostgresServer* pg = SharedPostgres();
  if (pg == nullptr) return;  // skipped: PostgreSQL is not installed
  TempDir dir;
  const fs::path data = dir.path() / "rocks";
  std::map<std::string, std::string> before;
  trust::Checkpoint before_checkpoint;
  LogKey log;
  std::optional<Actor> actor;
  {
    Server server(data, {"--rate-limit", "0"});
    HttpClient http(server.port());
    actor = Populate(http, server.operator_token(), 3, 3);
    const Actor& acme = *actor;
    // A second key, registered and revoked: two more leaves that are not versions.
    auto spare = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519);
    BOOST_REQUIRE(spare.ok());
    boost::json::object key_body{{"publicKeyPem", spare->public_key().Pem()}};
    auto registered =
        http.Request("POST", "/v1/tenants/acme/keys", boost::json::serialize(key_body), JsonAuth(acme.token));
    BOOST_REQUIRE_MESSAGE(registered.status == 201, registered.body);
    const std::string spare_id(registered.Json().at("keyId").as_string());
    BOOST_REQUIRE_EQUAL(
        http.Request("POST", "/v1/tenants/acme/keys/" + spare_id + ":revoke", "{}", JsonAuth(acme.token))
            .status,
        200);
    log = FetchLogKey(http, acme.token);
    before = EveryVersion(http, acme, 3);
    before_checkpoint = Checkpoint(http, acme.token, log);
    // Served: the embedded store is locked, migrate refuses and writes nothing.
    auto url = pg->CreateDatabase();
    BOOST_REQUIRE(url.ok());
    auto busy = Dossierd({"migrate", "--from", data.string(), "--store", *url});
    BOOST_TEST(busy.exit_code == 1);
    BOOST_TEST(busy.err.find("stop the node") != std::string::npos, busy.err);
  }
  BOOST_REQUIRE_EQUAL(before.size(), 18u);

  auto url = pg->CreateDatabase();
  BOOST_REQUIRE(url.ok());
  const fs::path node_dir = dir.path() / "pg-node";
  auto migrated =
      Dossierd({"migrate", "--from", data.string(), "--store", *url, "--data", node_dir.string()});
  BOOST_REQUIRE_MESSAGE(migrated.exit_code == 0, migrated.out + migrated.err);
  BOOST_TEST_MESSAGE(migrated.out);
  // Migrating again into the now filled database is refused.
  auto twice = Dossierd({"migrate", "--from", data.string(), "--store", *url});
  BOOST_TEST(twice.exit_code == 1);
  BOOST_TEST(twice.err.find("not empty") != std::string::npos, twice.err);
  auto scrub = Dossierd({"scrub", "--data", node_dir.string(), "--store", *url});
  BOOST_TEST(scrub.exit_code == 0, scrub.out + scrub.err);

  Server node(node_dir, {"--rate-limit", "0", "--store", *url});
  HttpClient http(node.port());
  const Actor& acme = *actor;
  const trust::Checkpoint after = Checkpoint(http, acme.token, log);
  BOOST_TEST(after.tree_size == before_checkpoint.tree_size);
  BOOST_TEST(after.root_hash == before_checkpoint.root_hash);
  const auto after_versions = EveryVersion(http, acme, 3);
  BOOST_TEST(after_versions.size() == before.size());
  for (const auto& [path, body] : before) {
    auto it = after_versions.find(path);
    BOOST_REQUIRE(it != after_versions.end());
    BOOST_TEST(it->second == body, path);
  }
  // The migrated log goes on: the next commit lands at the next index.
  BOOST_TEST(CommitNext(http, acme, "d1", "after migration"));
  BOOST_TEST(Checkpoint(http, acme.token, log).tree_size == before_checkpoint.tree_size + 1);
}

BOOST_AUTO_TEST_CASE(pg_dump_and_pg_restore_round_trip_serves_the_same_log) {
  PostgresServer* pg = SharedPostgres();
  if (pg == nullptr) return;  // skipped: PostgreSQL is not installed
  TempDir dir;
  auto source = pg->CreateDatabase();
  BOOST_REQUIRE(source.ok());
  std::map<std::string, std::string> before;
  trust::Checkpoint before_checkpoint;
  LogKey log;
  std::optional<Actor> actor;
  {
    Server server(dir.path() / "a", {"--rate-limit", "0", "--store", *source});
    HttpClient http(server.port());
    actor = Populate(http, server.operator_token(), 2, 3);
    const Actor& acme = *actor;
    log = FetchLogKey(http, acme.token);
    before = EveryVersion(http, acme, 2);
    before_checkpoint = Checkpoint(http, acme.token, log);
    // pg_dump while the node serves: one consistent snapshot.
    auto dump =
        RunProcess({PgBin() + "/pg_dump", "-Fc", "-f", (dir.path() / "dossier.dump").string(), *source}, {},
                   std::chrono::seconds(120));
    BOOST_REQUIRE_MESSAGE(dump.exit_code == 0, dump.err);
  }
  auto target = pg->CreateDatabase();
  BOOST_REQUIRE(target.ok());
  auto restore = RunProcess(
      {PgBin() + "/pg_restore", "--no-owner", "-d", *target, (dir.path() / "dossier.dump").string()}, {},
      std::chrono::seconds(120));
  BOOST_REQUIRE_MESSAGE(restore.exit_code == 0, restore.err);

  // A new node on the restored database, with the deployment's log key.
  fs::create_directories(dir.path() / "b");
  fs::copy_file(dir.path() / "a" / "log-key.pem", dir.path() / "b" / "log-key.pem");
  Server node(dir.path() / "b", {"--rate-limit", "0", "--store", *target});
  HttpClient http(node.port());
  const Actor& acme = *actor;
  const trust::Checkpoint after = Checkpoint(http, acme.token, log);
  BOOST_TEST(after.tree_size == before_checkpoint.tree_size);
  BOOST_TEST(after.root_hash == before_checkpoint.root_hash);
  BOOST_TEST(EveryVersion(http, acme, 2) == before);
  auto scrub = Dossierd({"scrub", "--data", (dir.path() / "b").string(), "--store", *target});
  BOOST_TEST(scrub.exit_code == 0, scrub.out + scrub.err);
}

BOOST_AUTO_TEST_CASE(a_node_whose_log_key_differs_from_the_logs_is_refused) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  { Server server(data); }
  // Another key in the data directory: the store's log was signed with the first.
  auto other = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519);
  BOOST_REQUIRE(other.ok());
  fs::remove(data / "log-key.pem");
  std::ofstream(data / "log-key.pem") << other->Pem();
  auto refused = Dossierd({"serve", "--data", data.string(), "--listen", "127.0.0.1:0"}, 30);
  BOOST_TEST(refused.exit_code == 3);
  BOOST_TEST(refused.err.find("log key") != std::string::npos, refused.err);

  PostgresServer* pg = SharedPostgres();
  if (pg == nullptr) return;  // the PostgreSQL half is skipped
  auto url = pg->CreateDatabase();
  BOOST_REQUIRE(url.ok());
  Server first(dir.path() / "a", {"--store", *url});
  // A second node started without copying the deployment's key creates its own.
  auto second = Dossierd(
      {"serve", "--data", (dir.path() / "b").string(), "--store", *url, "--listen", "127.0.0.1:0"}, 30);
  BOOST_TEST(second.exit_code == 3);
  BOOST_TEST(second.err.find("copy the deployment's log-key.pem") != std::string::npos, second.err);
}

namespace {

// Connects to 127.0.0.1:port; -1 when refused.
int Connect(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

std::string ReadToClose(int fd) {
  std::string out;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return out;
    out.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace

// SIGTERM while an upload is half sent: the node stops accepting at once,
// lets the upload finish and answers it, then exits 0; the upload is durable.
BOOST_AUTO_TEST_CASE(sigterm_stops_accepting_drains_an_in_flight_upload_and_exits_0) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  auto server = std::make_unique<Server>(data, std::vector<std::string>{"--rate-limit", "0"});
  const unsigned short port = server->port();
  HttpClient http(port);
  Actor acme = CreateActor(http, server->operator_token(), "acme");
  std::string document(256 * 1024, '\0');
  for (size_t i = 0; i < document.size(); ++i) document[i] = static_cast<char>('a' + i % 26);
  const std::string digest = DigestOf(document);
  const int fd = Connect(port);
  BOOST_REQUIRE(fd >= 0);
  SendAll(fd, "PUT /v1/tenants/acme/blobs/" + digest +
                  " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + acme.token +
                  "\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                  std::to_string(document.size()) + "\r\nConnection: close\r\n\r\n");
  SendAll(fd, std::string_view(document).substr(0, document.size() / 2));
  // The upload is in flight once dossierd streams its body into the staging
  // folder; a SIGTERM before dossierd has even read the header would test
  // something else (the request is not in flight yet).
  bool staging = false;
  for (int i = 0; i < 250 && !staging; ++i) {
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(data / "tmp", ec)) {
      staging = staging || entry.is_regular_file(ec);
    }
    if (!staging) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BOOST_REQUIRE_MESSAGE(staging, "dossierd never started staging the upload");

  int wait_status = -1;
  std::jthread stopper([&] { wait_status = server->Stop(SIGTERM); });  // joined on every path
  // New connections are refused once the node drains (its listener closed).
  bool refused = false;
  for (int i = 0; i < 100 && !refused; ++i) {
    const int probe = Connect(port);
    refused = probe < 0;
    if (!refused) {
      ::close(probe);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  BOOST_TEST(refused);
  try {
    SendAll(fd, std::string_view(document).substr(document.size() / 2));
  } catch (const std::exception& e) {
    stopper.join();
    BOOST_FAIL(e.what() << "; dossierd said: " << ReadFile(data / "dossierd.stderr"));
  }
  const std::string answer = ReadToClose(fd);
  ::close(fd);
  stopper.join();
  BOOST_TEST(answer.rfind("HTTP/1.1 201", 0) == 0, answer.substr(0, 200));
  BOOST_TEST(WIFEXITED(wait_status));
  BOOST_TEST(WEXITSTATUS(wait_status) == 0);

  Server again(data, {"--rate-limit", "0"});
  HttpClient after(again.port());
  auto blob = after.Request("GET", "/v1/tenants/acme/blobs/" + digest, "", Auth(acme.token));
  BOOST_TEST(blob.status == 200);
  BOOST_TEST(blob.body == document);
}

// SIGTERM while a streamed import answer waits for a client that stopped
// reading: the producer cannot finish (its queue is full), so once the drain
// timeout has passed the node cuts the answer off and exits 0. Before, the
// producer waited for room forever and the node never exited.
BOOST_AUTO_TEST_CASE(sigterm_cuts_off_a_streamed_answer_nobody_reads_and_exits_0) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  auto server =
      std::make_unique<Server>(data, std::vector<std::string>{"--rate-limit", "0", "--drain-timeout-s", "2"});
  HttpClient http(server->port());
  Actor acme = CreateActor(http, server->operator_token(), "acme");
  // 40,000 devices: about 18 MB of NDJSON, far more than the 4 MiB the
  // server queues per connection plus the sockets' buffers.
  const std::string xml = testing::GudidRelease(40000, {}, "Unread");
  // A small receive buffer (set before connecting), so that the answer
  // backs up into the server's queue instead of this socket.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int small = 4096;
  BOOST_REQUIRE(::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small) == 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  SendAll(fd,
          "POST /v1/tenants/acme/imports?format=gudid-xml HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          "Authorization: Bearer " +
              acme.token +
              "\r\nContent-Type: application/xml\r\n"
              "Content-Length: " +
              std::to_string(xml.size()) + "\r\n\r\n");
  SendAll(fd, xml);
  // The answer has begun; from here on this client reads nothing more.
  char first[64];
  const ssize_t n = ::recv(fd, first, sizeof first, 0);
  BOOST_REQUIRE(n > 0);
  BOOST_TEST(std::string(first, static_cast<size_t>(n)).rfind("HTTP/1.1 200", 0) == 0u);

  const int wait_status = server->Stop(SIGTERM);  // SIGKILL after 10 s
  ::close(fd);
  BOOST_TEST(WIFEXITED(wait_status),
             "dossierd did not exit on SIGTERM; stderr: " << ReadFile(data / "dossierd.stderr"));
  BOOST_TEST((WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0));
}

// --log-format json: every access and request-error line is one JSON object
// naming no token.
BOOST_AUTO_TEST_CASE(json_log_format_writes_one_object_a_line) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  std::string token;
  {
    Server server(data, {"--log-format", "json"});
    HttpClient http(server.port());
    token = server.operator_token();
    BOOST_TEST(http.Request("GET", "/readyz").status == 200);
    BOOST_TEST(http.Request("GET", "/v1/tenants", "", Auth(token)).status == 200);
    BOOST_TEST(http.Request("GET", "/v1/no-such-thing?token=" + token, "", Auth(token)).status == 404);
  }
  std::istringstream lines(ReadFile(data / "dossierd.stderr"));
  std::string line;
  int access = 0;
  bool saw_readyz = false, saw_404 = false;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    auto value = boost::json::parse(line, ec);
    BOOST_TEST_REQUIRE(!ec, "not JSON: " << line);
    BOOST_REQUIRE(value.is_object());
    const auto& o = value.as_object();
    BOOST_TEST(line.find(token) == std::string::npos);
    if (o.at("event") != "access") continue;
    ++access;
    BOOST_TEST(o.contains("time"));
    BOOST_TEST(o.contains("durationUs"));
    if (o.at("path") == "/readyz" && o.at("status") == 200) saw_readyz = true;
    if (o.at("path") == "/v1/no-such-thing" && o.at("status") == 404) saw_404 = true;
  }
  BOOST_TEST(access >= 3);
  BOOST_TEST(saw_readyz);
  BOOST_TEST(saw_404);
  auto bad = Dossierd({"serve", "--data", data.string(), "--log-format", "xml"}, 30);
  BOOST_TEST(bad.exit_code == 2);
}

// The packaged config file names every flag `dossierd --help` lists (and
// nothing else), each of its example lines parses, and docs/OPERATIONS.md
// names every flag in its Configuration section.
BOOST_AUTO_TEST_CASE(the_packaged_config_documents_every_flag) {
  auto help = Dossierd({"--help"}, 30);
  BOOST_REQUIRE_EQUAL(help.exit_code, 0);
  std::set<std::string> flags;
  std::istringstream help_lines(help.out);
  std::string line;
  while (std::getline(help_lines, line)) {
    const size_t dashes = line.find("--");
    if (line.rfind("  ", 0) != 0 || dashes == std::string::npos) continue;
    if (line.find_first_not_of(' ') != dashes && line.find("-h [ --help ]") == std::string::npos) continue;
    const size_t end = line.find_first_of(" ]", dashes);
    flags.insert(line.substr(dashes + 2, end - dashes - 2));
  }
  flags.erase("help");    // not a setting
  flags.erase("config");  // the file itself
  BOOST_TEST_MESSAGE(flags.size() << " flags in --help");
  BOOST_TEST(flags.count("store") == 1u);
  BOOST_TEST(flags.count("pg-statement-timeout-ms") == 1u);

  const fs::path conf = fs::path(DOSSIER_SOURCE_DIR) / "packaging" / "dossierd.conf";
  std::istringstream conf_lines(ReadFile(conf));
  std::set<std::string> documented;
  std::string uncommented;
  while (std::getline(conf_lines, line)) {
    std::string setting = line.rfind("# ", 0) == 0 ? line.substr(2) : line;
    const size_t eq = setting.find(" = ");
    if (eq == std::string::npos || setting.find_first_of(" #") < eq) continue;
    documented.insert(setting.substr(0, eq));
    uncommented += setting + "\n";
  }
  BOOST_TEST(documented == flags);
  for (const auto& f : flags) BOOST_TEST(documented.count(f) == 1u, "undocumented in dossierd.conf: " << f);
  for (const auto& d : documented) BOOST_TEST(flags.count(d) == 1u, "not a flag: " << d);

  // Every example value is one dossierd accepts (it parses the file before --help).
  TempDir dir;
  std::ofstream(dir.path() / "all.conf") << uncommented;
  auto parsed = Dossierd({"serve", "--config", (dir.path() / "all.conf").string(), "--help"}, 30);
  BOOST_TEST(parsed.exit_code == 0, parsed.err);

  const std::string operations = ReadFile(fs::path(DOSSIER_SOURCE_DIR) / "docs" / "OPERATIONS.md");
  const size_t from = operations.find("## Configuration");
  BOOST_REQUIRE(from != std::string::npos);
  const std::string section = operations.substr(from, operations.find("\n## ", from + 1) - from);
  for (const auto& f : flags)
    BOOST_TEST(section.find("`" + f + "`") != std::string::npos, "not in OPERATIONS.md: " << f);
}
