// Baseline "a user's own alternative" (issue 18): what a team would build
// instead of Dossier Exchange — PostgreSQL with a versions table, driven
// through its native client (libpq), one connection per client thread:
//
//   versions(tenant, object, version, digest, content), unique on
//   (tenant, object, version); one INSERT per version in its own transaction,
//   committed durably (fsync and synchronous_commit on, PostgreSQL's
//   defaults); no signatures, no transparency log, no audit trail.
//
//   dossier_pg_versions setup  --conninfo URI
//   dossier_pg_versions commit --conninfo URI --concurrency C --seconds S --content-bytes N
//   dossier_pg_versions get    --conninfo URI --concurrency C --seconds S
//
// `commit` appends versions to objects each thread owns (version = last + 1,
// content of N random bytes, its SHA-256 as the digest); `get` reads the
// content of random stored versions by primary key (prepared statements, as
// a careful team would write them). Both print the result line of
// dossier_load:  ops=... seconds=... rate=... p50_us=... p99_us=... errors=...
#include <libpq-fe.h>
#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/result_line.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Flags {
  std::string mode;
  std::string conninfo;
  int concurrency = 1;
  double seconds = 3;
  size_t content_bytes = 4096;
};

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS versions (
  tenant  text   NOT NULL,
  object  text   NOT NULL,
  version bigint NOT NULL,
  digest  text   NOT NULL,
  content bytea  NOT NULL,
  created timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, object, version)
))sql";

PGconn* Connect(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::fprintf(stderr, "pg_versions: cannot connect: %s", PQerrorMessage(conn));
    PQfinish(conn);
    return nullptr;
  }
  return conn;
}

bool Exec(PGconn* conn, const char* sql) {
  PGresult* r = PQexec(conn, sql);
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  if (!ok) std::fprintf(stderr, "pg_versions: %s: %s", sql, PQerrorMessage(conn));
  PQclear(r);
  return ok;
}

bool Prepare(PGconn* conn, const char* name, const char* sql, int params) {
  PGresult* r = PQprepare(conn, name, sql, params, nullptr);
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) std::fprintf(stderr, "pg_versions: prepare %s: %s", name, PQerrorMessage(conn));
  PQclear(r);
  return ok;
}

std::string Sha256Hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

// Runs `op` (returns false on an error) on `concurrency` threads, each with
// its own connection, until `seconds` pass; prints the result line.
template <typename Op>
int Drive(const Flags& f, const char* prepare_name, const char* prepare_sql, int params, Op op) {
  std::atomic<long> errors{0};
  std::atomic<bool> failed_to_connect{false};
  std::mutex mu;
  std::vector<double> all;
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(f.seconds));
  std::vector<std::thread> threads;
  for (int t = 0; t < f.concurrency; ++t) {
    threads.emplace_back([&, t] {
      PGconn* conn = Connect(f.conninfo);
      if (conn == nullptr || !Prepare(conn, prepare_name, prepare_sql, params)) {
        failed_to_connect = true;
        if (conn) PQfinish(conn);
        return;
      }
      std::mt19937_64 rng(static_cast<uint64_t>(t) + 1);
      std::vector<double> local;
      for (uint64_t n = 0; Clock::now() < deadline; ++n) {
        const auto t0 = Clock::now();
        const bool ok = op(conn, t, n, rng);
        const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
        if (ok)
          local.push_back(us);
        else
          errors++;
      }
      PQfinish(conn);
      std::lock_guard<std::mutex> lock(mu);
      all.insert(all.end(), local.begin(), local.end());
    });
  }
  for (auto& t : threads) t.join();
  if (failed_to_connect) return 1;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  dossier::bench::PrintResultLine(all, elapsed, errors.load());
  return errors.load() == 0 ? 0 : 1;
}

int Setup(const Flags& f) {
  PGconn* conn = Connect(f.conninfo);
  if (conn == nullptr) return 1;
  const bool ok = Exec(conn, kSchema) && Exec(conn, "TRUNCATE versions");
  PQfinish(conn);
  return ok ? 0 : 1;
}

int Commit(const Flags& f) {
  // Each thread appends to its own objects; a run continues where the last
  // stopped, so version numbers are looked up once per object and thread.
  return Drive(
      f, "put", "INSERT INTO versions (tenant, object, version, digest, content) VALUES ($1, $2, $3, $4, $5)",
      5, [&](PGconn* conn, int t, uint64_t n, std::mt19937_64& rng) {
        thread_local std::vector<long long> next_version;
        constexpr int kObjectsPerThread = 8;
        if (next_version.empty()) {
          next_version.assign(kObjectsPerThread, 0);
          for (int o = 0; o < kObjectsPerThread; ++o) {
            const std::string object = "t" + std::to_string(t) + "-o" + std::to_string(o);
            const char* values[] = {"bench", object.c_str()};
            PGresult* r = PQexecParams(
                conn, "SELECT coalesce(max(version), 0) FROM versions WHERE tenant = $1 AND object = $2", 2,
                nullptr, values, nullptr, nullptr, 0);
            next_version[o] = PQresultStatus(r) == PGRES_TUPLES_OK ? std::atoll(PQgetvalue(r, 0, 0)) + 1 : 1;
            PQclear(r);
          }
        }
        const int o = static_cast<int>(n % kObjectsPerThread);
        const std::string object = "t" + std::to_string(t) + "-o" + std::to_string(o);
        std::string content(f.content_bytes, '\0');
        for (size_t i = 0; i + 8 <= content.size(); i += 8) {
          const uint64_t v = rng();
          std::memcpy(&content[i], &v, 8);
        }
        const std::string digest = Sha256Hex(content);
        const std::string version = std::to_string(next_version[o]);
        const char* values[] = {"bench", object.c_str(), version.c_str(), digest.c_str(), content.data()};
        const int lengths[] = {0, 0, 0, 0, static_cast<int>(content.size())};
        const int formats[] = {0, 0, 0, 0, 1};
        PGresult* r = PQexecPrepared(conn, "put", 5, values, lengths, formats, 0);
        const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) std::fprintf(stderr, "pg_versions: insert: %s", PQerrorMessage(conn));
        PQclear(r);
        if (ok) ++next_version[o];
        return ok;
      });
}

int Get(const Flags& f) {
  // The stored keys, read once; each GET picks one at random.
  PGconn* conn = Connect(f.conninfo);
  if (conn == nullptr) return 1;
  PGresult* keys = PQexec(conn, "SELECT object, version FROM versions WHERE tenant = 'bench'");
  std::vector<std::pair<std::string, std::string>> stored;
  if (PQresultStatus(keys) == PGRES_TUPLES_OK) {
    for (int i = 0; i < PQntuples(keys); ++i)
      stored.emplace_back(PQgetvalue(keys, i, 0), PQgetvalue(keys, i, 1));
  }
  PQclear(keys);
  PQfinish(conn);
  if (stored.empty()) {
    std::fprintf(stderr, "pg_versions: nothing stored to read (run commit first)\n");
    return 1;
  }
  return Drive(f, "get", "SELECT content FROM versions WHERE tenant = $1 AND object = $2 AND version = $3", 3,
               [&](PGconn* c, int, uint64_t, std::mt19937_64& rng) {
                 const auto& [object, version] = stored[rng() % stored.size()];
                 const char* values[] = {"bench", object.c_str(), version.c_str()};
                 PGresult* r = PQexecPrepared(c, "get", 3, values, nullptr, nullptr, 1);
                 const bool ok =
                     PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQgetlength(r, 0, 0) > 0;
                 PQclear(r);
                 return ok;
               });
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  if (argc > 1) f.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--conninfo")
      f.conninfo = argv[i + 1];
    else if (flag == "--concurrency")
      f.concurrency = std::stoi(argv[i + 1]);
    else if (flag == "--seconds")
      f.seconds = std::stod(argv[i + 1]);
    else if (flag == "--content-bytes")
      f.content_bytes = std::stoul(argv[i + 1]);
  }
  if (f.conninfo.empty() || (f.mode != "setup" && f.mode != "commit" && f.mode != "get")) {
    std::fprintf(stderr,
                 "usage: dossier_pg_versions setup|commit|get --conninfo URI [--concurrency C] [--seconds S] "
                 "[--content-bytes N]\n");
    return 2;
  }
  if (f.mode == "setup") return Setup(f);
  if (f.mode == "commit") return Commit(f);
  return Get(f);
}
