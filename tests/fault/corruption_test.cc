// Corrupted bytes on disk are detected and reported, never served.
//
// A stopped server's data directory gets one byte flipped: in each RocksDB
// table file (.sst) in turn, in the write-ahead log (.log), or in a stored blob.
// Then:
//   - `dossierd scrub --data DIR` must exit non-zero and report it;
//   - the server either refuses to start (reporting the corruption), or every
//     read answers either exactly what the intact store answered or an error:
//     never a 2xx with different bytes;
//   - acknowledged data may become unreadable, but must not vanish silently.
#define BOOST_TEST_MODULE fault_corruption
#include <signal.h>
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>

#include "tests/support/harness.h"

using namespace dossier;
using namespace dossier::testing;
namespace fs = std::filesystem;

namespace {

constexpr int kVersions = 12;

struct Scrub {
  int exit_code = -1;
  std::string output;
};

Scrub RunScrub(const fs::path& data) {
  const std::string cmd = (BinDir() / "dossierd").string() + " scrub --data " + data.string() + " 2>&1";
  Scrub out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.output.append(buf, n);
  int status = ::pclose(p);
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return out;
}

std::vector<fs::path> FilesWithExtension(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ext && e.file_size() > 0) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A store with tenant "acme", dossier "d1" and kVersions versions of ~4 KB.
struct Fixture {
  TempDir dir;
  fs::path pristine = dir.path() / "pristine";
  std::string op, token;
  std::vector<std::string> urls;            // everything readable, with the operator or tenant token
  std::map<std::string, std::string> docs;  // blob digest -> bytes

  // Writes the store. With `flush` the server is restarted once, so RocksDB's
  // recovery writes the WAL into table files (it does not flush on close).
  void Populate(bool flush) {
    {
      Server server(pristine, {"--quiet"});
      HttpClient http(server.port());
      op = server.operator_token();
      Actor acme = CreateActor(http, op, "acme");
      token = acme.token;
      BOOST_REQUIRE_EQUAL(
          http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d1"})", JsonAuth(acme.token)).status,
          201);
      std::vector<std::string> doc_digests;
      for (int i = 0; i < 30; ++i) {
        const std::string bytes = "%PDF-1.7 document " + std::to_string(i) + "\n" + std::string(200, 'x');
        doc_digests.push_back(UploadBlob(http, acme, bytes));
        docs[doc_digests.back()] = bytes;
      }
      std::string parent;
      for (int n = 1; n <= kVersions; ++n) {
        const std::string content = MinimalDossierJson("Corruption " + std::to_string(n), doc_digests);
        const std::string digest = UploadBlob(http, acme, content);
        auto r =
            http.Request("POST", "/v1/tenants/acme/dossiers/d1/versions",
                         CommitBody(acme, "dossiers/d1", n, parent, digest, acme.key), JsonAuth(acme.token));
        BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
        parent = digest;
      }
      server.Stop(SIGTERM);
    }
    if (flush) Server(pristine, {"--quiet"}).Stop(SIGTERM);
    urls = {"/v1/tenants",
            "/v1/tenants/acme",
            "/v1/tenants/acme/keys",
            "/v1/tenants/acme/tokens",
            "/v1/tenants/acme/dossiers",
            "/v1/tenants/acme/dossiers/d1",
            "/v1/tenants/acme/dossiers/d1/versions"};
    for (int n = 1; n <= kVersions; ++n) {
      const std::string v = "/v1/tenants/acme/dossiers/d1/versions/" + std::to_string(n);
      urls.insert(urls.end(), {v, v + "/content", v + "/bundle"});
    }
    for (const auto& [digest, bytes] : docs) urls.push_back("/v1/tenants/acme/blobs/" + digest);
    const int log_size = kVersions + 1;  // versions + the key registration
    for (int i = 0; i < log_size; ++i) {
      urls.push_back("/v1/log/proofs/inclusion?leafIndex=" + std::to_string(i) +
                     "&treeSize=" + std::to_string(log_size));
    }
    urls.push_back("/v1/log/proofs/consistency?from=1&to=" + std::to_string(log_size));
  }

  std::map<std::string, std::string> Auth(const std::string& url) const {
    return testing::Auth(url == "/v1/tenants" ? op : token);
  }

  // url -> (status, body) as served from `data`.
  std::map<std::string, std::pair<int, std::string>> ReadAll(const fs::path& data) const {
    std::map<std::string, std::pair<int, std::string>> out;
    Server server(data, {"--quiet"});
    HttpClient http(server.port());
    for (const auto& url : urls) {
      auto r = http.Request("GET", url, "", Auth(url));
      out[url] = {r.status, r.body};
    }
    return out;
  }
};

// A failed expectation. Deviations already reported upstream (`known_issue`
// non-empty) only warn, so `make test` stays usable until they are fixed;
// DOSSIER_FAULT_STRICT=1 turns them into errors to check a fix.
void Report(const std::string& known_issue, const std::string& message) {
  static const bool strict = std::getenv("DOSSIER_FAULT_STRICT") != nullptr;
  if (known_issue.empty() || strict) {
    BOOST_ERROR(message);
  } else {
    BOOST_WARN_MESSAGE(false, "KNOWN ISSUE (" << known_issue << "): " << message);
  }
}

// Copies the pristine store, lets `corrupt` damage the copy, then checks
// scrub and every read.
void CheckCorruptedCopy(const Fixture& fx, const std::map<std::string, std::pair<int, std::string>>& expected,
                        const std::string& what, const std::function<void(const fs::path&)>& corrupt,
                        const std::string& known_issue = "") {
  const fs::path copy = fx.dir.path() / "copy";
  fs::remove_all(copy);
  fs::copy(fx.pristine, copy, fs::copy_options::recursive);
  corrupt(copy);

  const Scrub scrub = RunScrub(copy);
  // Either the full check fails ("scrub: FAILED: ...") or the store cannot even
  // be opened ("scrub: cannot open the store: ... Corruption ..."): both report.
  const bool reported =
      scrub.output.find("FAILED") != std::string::npos || scrub.output.find("orruption") != std::string::npos;
  if (scrub.exit_code == 0 || !reported) {
    Report(known_issue, what + ": scrub did not report the corruption (exit " +
                            std::to_string(scrub.exit_code) + "): " + scrub.output);
  }

  std::optional<Server> server;
  try {
    server.emplace(copy, std::vector<std::string>{"--quiet"});
  } catch (const std::exception& e) {
    std::string log = ReadFile(copy / "dossierd.stderr");
    BOOST_TEST_MESSAGE(what << ": dossierd refused to start: "
                            << log.substr(log.size() > 600 ? log.size() - 600 : 0));
    BOOST_CHECK_MESSAGE(log.find("orrupt") != std::string::npos || log.find("checksum") != std::string::npos,
                        what << ": dossierd did not start and did not say why: " << log);
    return;
  }
  HttpClient http(server->port());
  int same = 0, errors = 0, wrong = 0;
  for (const auto& url : fx.urls) {
    auto r = http.Request("GET", url, "", fx.Auth(url));
    const auto& [want_status, want_body] = expected.at(url);
    if (r.status == want_status && r.body == want_body) {
      ++same;
    } else if (r.status >= 400) {
      ++errors;
    } else {
      ++wrong;
      Report(known_issue, what + ": GET " + url + " served different bytes: " + std::to_string(r.status) +
                              " (intact: " + std::to_string(want_status) + ")\n  got:    " +
                              r.body.substr(0, 160) + "\n  intact: " + want_body.substr(0, 160));
    }
  }
  BOOST_TEST_MESSAGE(what << ": scrub exit " << scrub.exit_code << " (" << scrub.output.substr(0, 160)
                          << "); reads: " << same << " intact, " << errors << " errors, " << wrong
                          << " WRONG");
  BOOST_CHECK_EQUAL(http.Request("GET", "/healthz").status, 200);
}

// URLs whose answer is the same from two runs on the intact store (a
// checkpoint may carry a fresh timestamp; those are compared by status only).
std::map<std::string, std::pair<int, std::string>> StableExpectations(const Fixture& fx,
                                                                      const fs::path& data) {
  auto a = fx.ReadAll(data);
  auto b = fx.ReadAll(data);
  for (auto& [url, answer] : a) {
    BOOST_REQUIRE_MESSAGE(answer.first == 200, "intact store: GET " << url << " -> " << answer.first << " "
                                                                    << answer.second.substr(0, 200));
    if (b[url] != answer) answer.second = "<unstable>";
  }
  return a;
}

}  // namespace

BOOST_AUTO_TEST_CASE(intact_store_scrubs_clean) {
  Fixture fx;
  fx.Populate(/*flush=*/true);
  const Scrub scrub = RunScrub(fx.pristine);
  BOOST_TEST(scrub.exit_code == 0, scrub.output);
  BOOST_TEST(scrub.output.find("OK") != std::string::npos, scrub.output);
}

BOOST_AUTO_TEST_CASE(flipped_byte_in_each_sst_is_detected_not_served) {
  Fixture fx;
  fx.Populate(/*flush=*/true);
  const auto expected = StableExpectations(fx, fx.pristine);
  const auto ssts = FilesWithExtension(fx.pristine / "db", ".sst");
  BOOST_REQUIRE_MESSAGE(!ssts.empty(), "no table files after a restart");
  for (const auto& sst : ssts) {
    const std::string name = sst.filename().string();
    // Byte 32 lies in the first data block (blocks start at offset 0), whose
    // checksum every read of those keys verifies.
    CheckCorruptedCopy(fx, expected, "sst " + name + " (" + std::to_string(fs::file_size(sst)) + " bytes)",
                       [&](const fs::path& copy) { FlipByte(copy / "db" / name, 32); });
  }
}

BOOST_AUTO_TEST_CASE(flipped_byte_in_the_wal_is_detected_not_served) {
  Fixture fx;
  fx.Populate(/*flush=*/false);  // everything is still only in the WAL
  const auto wals = FilesWithExtension(fx.pristine / "db", ".log");
  BOOST_REQUIRE_MESSAGE(!wals.empty(), "no WAL file");
  const fs::path wal = wals.back();
  const uint64_t size = fs::file_size(wal);
  // Expectations come from the intact copy; reading them replays the WAL, so
  // read from a scratch copy and keep the pristine one untouched.
  const fs::path scratch = fx.dir.path() / "scratch";
  fs::copy(fx.pristine, scratch, fs::copy_options::recursive);
  const auto expected = StableExpectations(fx, scratch);
  for (double where : {0.5, 0.9}) {
    const uint64_t offset = static_cast<uint64_t>(static_cast<double>(size) * where);
    CheckCorruptedCopy(
        fx, expected,
        "wal " + wal.filename().string() + " at " + std::to_string(offset) + "/" + std::to_string(size),
        [&](const fs::path& copy) { FlipByte(copy / "db" / wal.filename(), offset); },
        // RocksDB's default WALRecoveryMode::kPointInTimeRecovery
        // silently drops the corrupted record and all after it.
        "storage/rocks_store.cc Open() keeps the default wal_recovery_mode: a corrupted WAL record "
        "silently truncates acknowledged history; scrub says OK");
  }
}

BOOST_AUTO_TEST_CASE(flipped_byte_in_a_blob_is_detected_not_served) {
  Fixture fx;
  fx.Populate(/*flush=*/true);
  const auto expected = StableExpectations(fx, fx.pristine);
  // The stored blob files are named by their hex digest; corrupt one document
  // and one version's content.
  const auto& [doc_digest, doc_bytes] = *fx.docs.begin();
  const std::string hex = doc_digest.substr(7);
  fs::path blob_file;
  for (const auto& e : fs::recursive_directory_iterator(fx.pristine / "blobs")) {
    if (e.path().filename() == hex) blob_file = fs::relative(e.path(), fx.pristine);
  }
  BOOST_REQUIRE_MESSAGE(!blob_file.empty(), "blob file of " << doc_digest << " not found");
  CheckCorruptedCopy(fx, expected, "blob " + hex.substr(0, 12),
                     [&](const fs::path& copy) { FlipByte(copy / blob_file, doc_bytes.size() / 2); });
}

namespace {

fs::path BlobFile(const fs::path& data, const std::string& digest) {
  for (const auto& e : fs::recursive_directory_iterator(data / "blobs")) {
    if (e.path().filename() == digest.substr(7)) return e.path();
  }
  BOOST_FAIL("no blob file for " << digest);
  return {};
}

// Bytes that differ at every offset, so a wrong offset cannot pass for right.
std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 251) & 0xff);
  return s;
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

constexpr size_t kChunk = 1 << 20;  // storage::kBlobChunkBytes

}  // namespace

// What a client sees for each kind of damaged blob, beyond "not the intact
// bytes with a 2xx": a problem document when the damage is in the first chunk
// it asks for, a transfer cut short when it lies further on, and intact chunks
// of a damaged file still served by Range requests.
BOOST_AUTO_TEST_CASE(corrupted_blobs_answer_a_problem_or_a_cut_transfer_never_wrong_bytes) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  const std::string small = "%PDF-1.7 small document\n" + std::string(4000, 's');
  const std::string large = Pattern(3 * kChunk + 4321);  // four chunks, the last short
  std::string token, small_digest, large_digest, content_digest;
  {
    Server server(data, {"--quiet"});
    HttpClient http(server.port());
    Actor acme = CreateActor(http, server.operator_token(), "acme");
    token = acme.token;
    BOOST_REQUIRE_EQUAL(
        http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d1"})", JsonAuth(acme.token)).status,
        201);
    small_digest = UploadBlob(http, acme, small);
    large_digest = UploadBlob(http, acme, large);
    content_digest = UploadBlob(http, acme, MinimalDossierJson("Damaged", {small_digest, large_digest}));
    auto v1 =
        http.Request("POST", "/v1/tenants/acme/dossiers/d1/versions",
                     CommitBody(acme, "dossiers/d1", 1, "", content_digest, acme.key), JsonAuth(acme.token));
    BOOST_REQUIRE_MESSAGE(v1.status == 201, v1.body);
    // Intact, the large blob is served whole.
    auto whole = http.Request("GET", "/v1/tenants/acme/blobs/" + large_digest, "", Auth(token));
    BOOST_REQUIRE(whole.status == 200);
    BOOST_REQUIRE(whole.body == large);
    server.Stop(SIGTERM);
  }
  FlipByte(BlobFile(data, small_digest), small.size() / 2);
  const uint64_t damaged_at = 2 * kChunk + 500;  // in chunk 2 of 0..3
  FlipByte(BlobFile(data, large_digest), damaged_at);
  FlipByte(BlobFile(data, content_digest), 10);

  const Scrub scrub = RunScrub(data);
  BOOST_TEST(scrub.exit_code != 0, scrub.output);
  for (const auto* d : {&small_digest, &large_digest, &content_digest}) {
    BOOST_TEST(scrub.output.find(*d) != std::string::npos,
               "scrub does not name " << *d << ": " << scrub.output);
  }

  Server server(data, {"--quiet"});
  HttpClient http(server.port());
  const std::string small_url = "/v1/tenants/acme/blobs/" + small_digest;
  const std::string large_url = "/v1/tenants/acme/blobs/" + large_digest;
  auto is_corrupt_problem = [](const HttpResult& r) {
    return r.status == 500 && r.Header("content-type").rfind("application/problem+json", 0) == 0 &&
           r.ProblemCode() == "blob-corrupt" && r.body.find("integrity") != std::string::npos;
  };

  // Small blob (one chunk): a problem document, before any byte is sent.
  for (int i = 0; i < 2; ++i) {
    auto r = http.Request("GET", small_url, "", Auth(token));
    BOOST_TEST(is_corrupt_problem(r), r.status << " " << r.body.substr(0, 300));
    BOOST_TEST(r.body.find(small.substr(0, 20)) == std::string::npos);
  }
  auto small_range =
      http.Request("GET", small_url, "", {{"Authorization", "Bearer " + token}, {"Range", "bytes=0-9"}});
  BOOST_TEST(is_corrupt_problem(small_range), small_range.status << " " << small_range.body);

  // Large blob, damaged in chunk 2: the headers promise the whole blob, the
  // verified chunks are sent, then the connection is closed short of the
  // promised length. Read raw: a well-behaved client rightly throws here.
  auto cut_short = [&](const std::string& range, const std::string& status_line, uint64_t first,
                       uint64_t length) {
    const std::string raw =
        http.Raw("GET " + large_url + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                     (range.empty() ? "" : "\r\nRange: bytes=" + range) + "\r\nConnection: close\r\n\r\n",
                 20000);
    const size_t end = raw.find("\r\n\r\n");
    BOOST_REQUIRE_MESSAGE(end != std::string::npos, "no response header: " << raw.substr(0, 200));
    const std::string head = raw.substr(0, end);
    const std::string body = raw.substr(end + 4);
    BOOST_TEST(head.rfind(status_line, 0) == 0, head);
    BOOST_TEST(head.find("Content-Length: " + std::to_string(length)) != std::string::npos, head);
    BOOST_TEST(body.size() < length, "range '" << range << "': the whole (damaged) body was sent");
    BOOST_TEST(first + body.size() <= damaged_at);
    BOOST_TEST((body == large.substr(first, body.size())),
               "range '" << range << "': bytes differ from the intact blob");
    BOOST_TEST_MESSAGE("damaged large blob, range '" << range << "': " << body.size() << " of " << length
                                                     << " bytes sent");
  };
  cut_short("", "HTTP/1.1 200", 0, large.size());
  // A range starting in an intact chunk and reaching into the damaged one.
  cut_short(std::to_string(kChunk + 7) + "-" + std::to_string(3 * kChunk), "HTTP/1.1 206", kChunk + 7,
            2 * kChunk - 6);

  // Range requests verify the chunks they touch.
  auto range = [&](const std::string& spec) {
    return http.Request("GET", large_url, "",
                        {{"Authorization", "Bearer " + token}, {"Range", "bytes=" + spec}});
  };
  auto first_chunks = range("10-" + std::to_string(2 * kChunk - 1));  // chunks 0 and 1: intact
  BOOST_TEST(first_chunks.status == 206);
  BOOST_TEST((first_chunks.body == large.substr(10, 2 * kChunk - 10)));
  auto tail = range(std::to_string(3 * kChunk + 5) + "-");  // chunk 3: intact
  BOOST_TEST(tail.status == 206);
  BOOST_TEST((tail.body == large.substr(3 * kChunk + 5)));
  auto suffix = range("-100");
  BOOST_TEST(suffix.status == 206);
  BOOST_TEST((suffix.body == large.substr(large.size() - 100)));
  // A range starting in the damaged chunk: a problem, nothing sent.
  auto in_damaged = range(std::to_string(2 * kChunk) + "-" + std::to_string(3 * kChunk + 10));
  BOOST_TEST(is_corrupt_problem(in_damaged), in_damaged.status << " " << in_damaged.body);

  // Version content whose blob is damaged: an error, not the bytes.
  auto content = http.Request("GET", "/v1/tenants/acme/dossiers/d1/versions/1/content", "", Auth(token));
  BOOST_TEST(is_corrupt_problem(content), content.status << " " << content.body.substr(0, 300));
  auto version = http.Request("GET", "/v1/tenants/acme/dossiers/d1/versions/1", "", Auth(token));
  BOOST_TEST(is_corrupt_problem(version), version.status << " " << version.body.substr(0, 300));
  BOOST_CHECK_EQUAL(http.Request("GET", "/healthz").status, 200);

  // Each damaged blob is logged once, however often it was asked for.
  server.Stop(SIGTERM);
  const std::string log = ReadFile(server.stderr_path());
  for (const auto* d : {&small_digest, &large_digest, &content_digest}) {
    BOOST_TEST(Count(log, "blob-corrupt: tenant acme blob " + *d) == 1u, *d << " in the log:\n" << log);
  }
  BOOST_TEST(log.find(token) == std::string::npos, "the log holds a token");
}

// The server keeps verified content in memory (server/api_core.h,
// content_cache_) and answers cheap reads on its network threads. Neither may
// serve a damaged blob: bytes enter the cache only after they hashed to their
// digest, so a blob damaged before its first read is refused on every read,
// and one damaged after it was read is still answered with the verified bytes.
BOOST_AUTO_TEST_CASE(a_blob_damaged_while_the_server_runs_is_never_served_from_a_cache) {
  TempDir dir;
  const fs::path data = dir.path() / "data";
  Server server(data, {"--quiet"});
  HttpClient http(server.port());
  Actor acme = CreateActor(http, server.operator_token(), "acme");
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d1"})", JsonAuth(acme.token)).status, 201);
  std::vector<std::string> contents, digests;
  std::string parent;
  for (int v = 1; v <= 2; ++v) {
    contents.push_back(MinimalDossierJson("Cached " + std::to_string(v), {}));
    digests.push_back(UploadBlob(http, acme, contents.back()));
    auto r = http.Request("POST", "/v1/tenants/acme/dossiers/d1/versions",
                          CommitBody(acme, "dossiers/d1", v, parent, digests.back(), acme.key),
                          JsonAuth(acme.token));
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
    parent = digests.back();
  }
  auto content = [&](int v) {
    return http.Request("GET", "/v1/tenants/acme/dossiers/d1/versions/" + std::to_string(v) + "/content", "",
                        Auth(acme.token));
  };

  // Version 1 read (and cached) intact, then damaged on disk: still its own bytes.
  BOOST_REQUIRE(content(1).body == contents[0]);
  FlipByte(BlobFile(data, digests[0]), 5);
  for (int i = 0; i < 3; ++i) {
    auto r = content(1);
    BOOST_TEST(r.status == 200);
    BOOST_TEST((r.body == contents[0]), "a read after the damage answered other bytes than were signed");
  }

  // Version 2 damaged before anyone read it: refused every time, never cached.
  FlipByte(BlobFile(data, digests[1]), 5);
  for (int i = 0; i < 3; ++i) {
    auto r = content(2);
    BOOST_TEST(r.status == 500, r.status << " " << r.body.substr(0, 200));
    BOOST_TEST(r.ProblemCode() == "blob-corrupt");
    auto meta = http.Request("GET", "/v1/tenants/acme/dossiers/d1/versions/2", "", Auth(acme.token));
    BOOST_TEST(meta.status == 500, meta.status << " " << meta.body.substr(0, 200));
  }
}
