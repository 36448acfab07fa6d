// Disk full: the data directory is a 16 MB tmpfs. Uploads and commits fill it
// until writes fail; then the server must
//   - answer 507 (or 503) problem+json, never another 5xx nor a 4xx blaming
//     the client, and never crash;
//   - keep serving reads of everything it acknowledged;
//   - accept writes again once space returns (we delete a filler file we put
//     there at the start);
//   - have lost nothing it acknowledged, also across a restart.
// Mounting needs root (CAP_SYS_ADMIN): otherwise the test passes with a clear
// "SKIPPED" message.
#define BOOST_TEST_MODULE fault_disk_full
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "tests/support/harness.h"

using namespace dossier;
using namespace dossier::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kTmpfsSize = "size=16m";
// The server runs with 1 MiB memtables (--memtable-mib 1) so that commits fill
// the WAL and flushes fail within a few hundred commits. RocksDB wants that
// much space free before it resumes writing; the filler frees more.
constexpr size_t kFillerBytes = 4u << 20;
constexpr size_t kBlobBytes = 512u << 10;  // per filling upload

// Mounts a tmpfs at `dir` and unmounts it (lazily) on destruction.
class Tmpfs {
 public:
  explicit Tmpfs(fs::path dir) : dir_(std::move(dir)) {
    fs::create_directories(dir_);
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, kTmpfsSize) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  fs::path dir_;
  bool mounted_ = false;
  std::string error_;
};

std::string RandomBytes(std::mt19937_64& rng, size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t v = rng();
    std::memcpy(&out[i], &v, 8);
  }
  return out;
}

std::string ServerLog(const Server& server) {
  std::string all = ReadFile(server.stderr_path());
  return all.size() > 4000 ? all.substr(all.size() - 4000) : all;
}

bool IsStorageFull(const HttpResult& r) {
  return (r.status == 507 || r.status == 503) &&
         r.Header("content-type").rfind("application/problem+json", 0) == 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(disk_full_answers_507_keeps_reads_and_recovers) {
  if (::geteuid() != 0) {
    BOOST_TEST_MESSAGE("SKIPPED: the disk-full test must run as root to mount a tmpfs data directory");
    BOOST_TEST(true);
    return;
  }
  TempDir dir;
  const fs::path mnt = dir.path() / "mnt";
  Tmpfs tmpfs(mnt);
  if (!tmpfs.mounted()) {
    BOOST_TEST_MESSAGE("SKIPPED: cannot mount a tmpfs (" << tmpfs.error()
                                                         << "); no CAP_SYS_ADMIN in this container?");
    BOOST_TEST(true);
    return;
  }
  const fs::path data = mnt / "data";
  const fs::path filler = mnt / "filler";
  // The harness writes the server's stderr into the data directory; keep it
  // off the tmpfs (through a symlink) so the log survives the full disk.
  fs::create_directories(data);
  fs::create_symlink(dir.path() / "dossierd.stderr", data / "dossierd.stderr");

  // What the server acknowledged: blob digest -> bytes; version -> content.
  std::map<std::string, std::string> blobs;
  std::map<uint64_t, std::string> versions;
  std::string head_digest;
  std::mt19937_64 rng(7);
  std::optional<Actor> actor;  // Actor has no default constructor
  {
    Server server(data, {"--quiet", "--memtable-mib", "1", "--rate-limit", "0"});
    HttpClient http(server.port());
    actor.emplace(CreateActor(http, server.operator_token(), "acme"));
    const Actor& acme = *actor;
    BOOST_REQUIRE_EQUAL(
        http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d1"})", JsonAuth(acme.token)).status,
        201);
    {
      std::ofstream out(filler, std::ios::binary);
      out << RandomBytes(rng, kFillerBytes);
      BOOST_REQUIRE_MESSAGE(out.good(), "could not write the filler file");
    }

    // Commits version n referencing `doc`; returns the commit's response
    // (or the failed content upload's).
    auto upload_content = [&](const std::string& content) -> HttpResult {
      auto up = http.Request(
          "PUT", "/v1/tenants/acme/blobs/" + DigestOf(content), content,
          {{"Authorization", "Bearer " + acme.token}, {"Content-Type", "application/octet-stream"}});
      if (up.status == 201 || up.status == 200) blobs[DigestOf(content)] = content;
      return up;
    };
    // Commits the next version with `content`, already stored.
    auto commit_stored = [&](const std::string& content) -> HttpResult {
      const uint64_t n = versions.size() + 1;
      const std::string digest = DigestOf(content);
      auto r = http.Request("POST", "/v1/tenants/acme/dossiers/d1/versions",
                            CommitBody(acme, "dossiers/d1", n, head_digest, digest, acme.key),
                            JsonAuth(acme.token));
      if (r.status == 201) {
        versions[n] = content;
        head_digest = digest;
      }
      return r;
    };
    auto commit = [&](const std::string& doc) -> HttpResult {
      const uint64_t n = versions.size() + 1;
      const std::string content = MinimalDossierJson("Full " + std::to_string(n), {doc});
      auto up = upload_content(content);
      if (up.status != 201 && up.status != 200) return up;
      return commit_stored(content);
    };

    auto upload = [&](size_t bytes_n) -> HttpResult {
      const std::string bytes = RandomBytes(rng, bytes_n);
      const std::string digest = DigestOf(bytes);
      auto r = http.Request(
          "PUT", "/v1/tenants/acme/blobs/" + digest, bytes,
          {{"Authorization", "Bearer " + acme.token}, {"Content-Type", "application/octet-stream"}});
      if (r.status == 201 || r.status == 200) blobs[digest] = bytes;
      return r;
    };
    // Whether a failed write answered as a full disk should: 507 (or 503)
    // problem+json.
    auto check_full = [&](const HttpResult& r, const std::string& what) {
      BOOST_CHECK_MESSAGE(IsStorageFull(r), what << " answered " << r.status << " "
                                                 << r.Header("content-type") << " " << r.body
                                                 << "\nserver log tail:\n"
                                                 << ServerLog(server));
    };

    // Two contents stored while there is room, so that commits on the full
    // disk (alternating between them) need nothing but RocksDB writes.
    const std::string content_a = MinimalDossierJson("Alternating A", {});
    const std::string content_b = MinimalDossierJson("Alternating B", {});
    BOOST_REQUIRE_EQUAL(upload_content(content_a).status, 201);
    BOOST_REQUIRE_EQUAL(upload_content(content_b).status, 201);

    // ---- Fill the disk: big uploads (with a commit now and then) until one
    // fails, then smaller and smaller uploads, then commits alone (which only
    // need a few hundred bytes of WAL) until they fail too.
    int failures = 0;
    for (int i = 0; i < 200; ++i) {
      auto r = upload(kBlobBytes);
      if (r.status != 201 && r.status != 200) {
        BOOST_TEST_MESSAGE("first failed upload (#" << i << ", " << kBlobBytes << " B): " << r.status << " "
                                                    << r.body);
        check_full(r, "the first failed upload");
        ++failures;
        break;
      }
      if (i % 3 == 0) {
        auto c = commit(blobs.rbegin()->first);
        if (c.status != 201) {
          BOOST_TEST_MESSAGE("first failed commit (after upload #" << i << "): " << c.status << " "
                                                                   << c.body);
          check_full(c, "the first failed commit");
          ++failures;
          break;
        }
      }
    }
    BOOST_REQUIRE_MESSAGE(failures > 0, "the tmpfs never filled up");
    for (size_t size : {size_t{64} << 10, size_t{4} << 10, size_t{512}}) {
      for (int i = 0; i < 2000; ++i) {
        auto r = upload(size);
        if (r.status != 201 && r.status != 200) {
          BOOST_TEST_MESSAGE("uploads of " << size << " B fail after " << i << ": " << r.status << " "
                                           << r.body);
          check_full(r, "an upload of " + std::to_string(size) + " B on a full disk");
          break;
        }
      }
    }
    HttpResult commit_full;
    int commits_on_full = 0;
    for (; commits_on_full < 5000; ++commits_on_full) {
      commit_full = commit_stored(versions.size() % 2 == 0 ? content_a : content_b);
      if (commit_full.status != 201) break;
    }
    BOOST_CHECK_MESSAGE(commit_full.status != 201, "5000 commits did not fill the WAL and memtables");
    BOOST_TEST_MESSAGE("commits on the full disk: " << commits_on_full << " succeeded, then "
                                                    << commit_full.status << " " << commit_full.body);
    if (commit_full.status != 201) check_full(commit_full, "a commit on the full disk");
    BOOST_TEST_MESSAGE("acknowledged: " << blobs.size() << " blobs, " << versions.size() << " versions");

    // ---- While full, reads are served (and the server is still alive).
    std::string reading;
    try {
      reading = "GET /healthz";
      BOOST_CHECK_EQUAL(http.Request("GET", "/healthz").status, 200);
      reading = "GET /readyz";
      auto ready = http.Request("GET", "/readyz");
      BOOST_CHECK_EQUAL(ready.status, 200);
      BOOST_CHECK_MESSAGE(ready.body.find(R"("writable":false)") != std::string::npos &&
                              ready.body.find(R"("writeError":"storage-full")") != std::string::npos,
                          "readyz while full: " << ready.body);
      reading = "GET /metrics";
      BOOST_CHECK(http.Request("GET", "/metrics").body.find("dossier_store_writable 0") != std::string::npos);
      for (const auto& [digest, bytes] : blobs) {
        reading = "GET blob " + digest;
        auto r = http.Request("GET", "/v1/tenants/acme/blobs/" + digest, "", Auth(acme.token));
        BOOST_CHECK_MESSAGE(r.status == 200 && r.body == bytes,
                            "read of blob " << digest << " while full: " << r.status);
      }
      for (const auto& [n, content] : versions) {
        reading = "GET version " + std::to_string(n);
        auto r =
            http.Request("GET", "/v1/tenants/acme/dossiers/d1/versions/" + std::to_string(n) + "/content", "",
                         Auth(acme.token));
        BOOST_CHECK_MESSAGE(r.status == 200 && r.body == content,
                            "read of version " << n << " while full: " << r.status);
      }
    } catch (const std::exception& e) {
      const int status = server.Stop(SIGTERM);
      const std::string log = ServerLog(server);
      std::ostringstream what;
      what << "dossierd is gone after the disk filled up, at " << reading << " (" << e.what()
           << "); wait status " << status
           << (WIFSIGNALED(status) ? " signal " + std::to_string(WTERMSIG(status)) : std::string())
           << (WIFEXITED(status) ? " exit " + std::to_string(WEXITSTATUS(status)) : std::string())
           << "\nserver log tail:\n"
           << log;
      BOOST_ERROR(what.str());
      return;  // nothing more to check without a server
    }

    // ---- Space returns: writes succeed again (allowing the store a few
    // seconds to notice and resume).
    fs::remove(filler);
    HttpResult after;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    do {
      const std::string bytes = RandomBytes(rng, 4096);
      after = http.Request(
          "PUT", "/v1/tenants/acme/blobs/" + DigestOf(bytes), bytes,
          {{"Authorization", "Bearer " + acme.token}, {"Content-Type", "application/octet-stream"}});
      if (after.status == 201) {
        blobs[DigestOf(bytes)] = bytes;
        after = commit(DigestOf(bytes));
      }
      if (after.status == 201) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    } while (std::chrono::steady_clock::now() < deadline);
    BOOST_CHECK_MESSAGE(after.status == 201,
                        "after freeing space, writes still fail: " << after.status << " " << after.body
                                                                   << "\nserver log tail:\n"
                                                                   << ServerLog(server));
    BOOST_CHECK(http.Request("GET", "/readyz").body.find(R"("writable":true)") != std::string::npos);
    const int stopped = server.Stop(SIGTERM);
    BOOST_CHECK_MESSAGE(WIFEXITED(stopped) && WEXITSTATUS(stopped) == 0, "dossierd exit status " << stopped);
  }

  // ---- Nothing acknowledged was lost, across a restart.
  const Actor& acme = *actor;
  Server server(data, {"--quiet", "--rate-limit", "0"});
  HttpClient http(server.port());
  for (const auto& [digest, bytes] : blobs) {
    auto r = http.Request("GET", "/v1/tenants/acme/blobs/" + digest, "", Auth(acme.token));
    BOOST_CHECK_MESSAGE(r.status == 200 && r.body == bytes,
                        "acknowledged blob " << digest << " after restart: " << r.status);
  }
  for (const auto& [n, content] : versions) {
    auto r = http.Request("GET", "/v1/tenants/acme/dossiers/d1/versions/" + std::to_string(n) + "/content",
                          "", Auth(acme.token));
    BOOST_CHECK_MESSAGE(r.status == 200 && r.body == content,
                        "acknowledged version " << n << " after restart: " << r.status);
  }
}
