// AsyncClient's completion tokens, cancellation, deadlines and per-call
// options, and the paging helpers, against a real dossierd on 127.0.0.1
// (tests/support). Two local sockets stand in for a broken server where the
// test needs one: a listener that accepts and never answers (a hung server),
// and one that accepts and closes at once (a server dropping connections).
#define BOOST_TEST_MODULE client_async_test
#include <atomic>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <future>
#include <random>
#include <set>
#include <thread>

#include "dossier/client/async_client.h"
#include "dossier/client/client.h"
#include "dossier/client/reasons.h"
#include "tests/support/gudid_release.h"
#include "tests/support/harness.h"

using namespace dossier;
using namespace dossier::client;
using dossier::testing::WriteFile;
namespace fs = std::filesystem;
namespace net = boost::asio;
namespace json = boost::json;

namespace {

// One server and one tenant for the suite (starting dossierd costs time).
struct Env {
  testing::TempDir dir;
  std::unique_ptr<testing::Server> server;
  testing::TenantAdmin admin;
  trust::PrivateKey key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEcdsaP256).value();

  Env() {
    auto s = testing::Server::Start(dir.path() / "data");
    BOOST_REQUIRE_MESSAGE(s.ok(), s.status().ToString());
    server = std::move(s).value();
    auto a = testing::ProvisionTenant(*server, "async-co");
    BOOST_REQUIRE_MESSAGE(a.ok(), a.status().ToString());
    admin = *a;
    auto c = MakeClient(server->url());
    BOOST_REQUIRE(c->RegisterKey(admin.tenant, key.public_key(), "release").ok());
  }

  ClientOptions Options(const std::string& url) const {
    ClientOptions o;
    o.base_url = url;
    o.token = admin.token;
    return o;
  }
  std::unique_ptr<Client> MakeClient(const std::string& url) const {
    auto c = Client::Create(Options(url));
    BOOST_REQUIRE_MESSAGE(c.ok(), c.status().ToString());
    return std::move(c).value();
  }
  std::shared_ptr<AsyncClient> MakeAsync(net::io_context& ioc, ClientOptions o) const {
    auto c = AsyncClient::Create(ioc.get_executor(), std::move(o));
    BOOST_REQUIRE_MESSAGE(c.ok(), c.status().ToString());
    return std::move(c).value();
  }
  std::shared_ptr<AsyncClient> MakeAsync(net::io_context& ioc) const {
    return MakeAsync(ioc, Options(server->url()));
  }
};

Env& E() {
  static Env env;
  return env;
}

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

// A TCP listener on 127.0.0.1 that accepts connections on its own thread and
// either holds them open without answering (`hang`) or closes them at once;
// counts the connections it accepted.
class BrokenServer {
 public:
  explicit BrokenServer(bool hang) : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}), hang_(hang) {
    Accept();
    thread_ = std::jthread([this] { ioc_.run(); });
  }
  ~BrokenServer() { ioc_.stop(); }  // then the thread joins; the sockets close with their members
  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
  int accepted() const { return accepted_; }

 private:
  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, net::ip::tcp::socket s) {
      if (ec) return;
      ++accepted_;
      if (hang_) held_.push_back(std::make_unique<net::ip::tcp::socket>(std::move(s)));
      Accept();  // a closed socket `s` ends here
    });
  }
  net::io_context ioc_;
  net::ip::tcp::acceptor acceptor_;
  bool hang_;
  std::atomic<int> accepted_{0};
  std::vector<std::unique_ptr<net::ip::tcp::socket>> held_;
  std::jthread thread_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(use_future_and_callbacks_on_one_client) {
  auto& e = E();
  net::io_context ioc;
  auto work = net::make_work_guard(ioc);
  std::jthread runner([&] { ioc.run(); });
  auto ac = e.MakeAsync(ioc);
  std::future<Status> ready = ac->Ready(net::use_future);
  std::future<StatusOr<Tenant>> tenant = ac->GetTenant(e.admin.tenant, net::use_future);
  std::promise<StatusOr<std::vector<KeyInfo>>> keys;
  ac->ListKeys(e.admin.tenant, [&](StatusOr<std::vector<KeyInfo>> k) { keys.set_value(std::move(k)); });
  BOOST_TEST(ready.get().ok());
  auto t = tenant.get();
  BOOST_REQUIRE_MESSAGE(t.ok(), t.status().ToString());
  BOOST_TEST(t->id == e.admin.tenant);
  auto k = keys.get_future().get();
  BOOST_REQUIRE(k.ok());
  BOOST_TEST(k->size() == 1u);
  // A refusal arrives through the future as a value, not an exception.
  auto missing =
      ac->GetObject(e.admin.tenant, ObjectKind::kDossier, "no-such-dossier", net::use_future).get();
  BOOST_TEST(missing.status().code() == StatusCode::kNotFound);
  work.reset();
}

BOOST_AUTO_TEST_CASE(use_awaitable_commits_and_reads_back) {
  auto& e = E();
  net::io_context ioc;
  auto ac = e.MakeAsync(ioc);
  // The whole exchange as one coroutine: each call suspends it until its answer.
  auto exchange = [&]() -> net::awaitable<Status> {
    auto made = co_await ac->CreateDossier(e.admin.tenant, "awaited", "Awaited", net::use_awaitable);
    if (!made.ok()) co_return made.status();
    CommitRequest req{.tenant = e.admin.tenant,
                      .id = "awaited",
                      .content = testing::MinimalDossierJson("Awaited device", {})};
    auto committed = co_await ac->Commit(req, e.key, net::use_awaitable);
    if (!committed.ok()) co_return committed.status();
    auto content = co_await ac->GetVersionContent(e.admin.tenant, ObjectKind::kDossier, "awaited", 1,
                                                  net::use_awaitable);
    if (!content.ok()) co_return content.status();
    co_return *content == req.content ? Status::Ok() : Internal("the content read back differs");
  };
  std::optional<Status> outcome;
  net::co_spawn(ioc, exchange(), [&](std::exception_ptr, Status s) { outcome = s; });
  ioc.run_for(std::chrono::seconds(60));
  BOOST_REQUIRE(outcome);
  BOOST_TEST_MESSAGE(outcome->ToString());
  BOOST_TEST(outcome->ok());
}

// Cancelling an upload of a large blob mid-way: the handler completes once
// with "cancelled", the server never stores the blob, the client goes on.
BOOST_AUTO_TEST_CASE(cancel_mid_upload_of_a_large_blob) {
  auto& e = E();
  const fs::path file = e.dir.path() / "large.bin";
  const std::string bytes = RandomBytes(48u << 20, 21);
  WriteFile(file, bytes);
  net::io_context ioc;
  auto ac = e.MakeAsync(ioc);
  net::cancellation_signal cancel;
  uint64_t sent_at_cancel = 0, last_progress = 0, total = 0;
  int completions = 0;
  std::optional<StatusOr<BlobInfo>> result;
  ac->UploadFile(
      e.admin.tenant, file,
      [&](uint64_t sent, uint64_t of) {
        last_progress = sent;
        total = of;
        // Cancel once the first megabyte is on its way.
        if (sent_at_cancel == 0 && sent >= (1u << 20)) {
          sent_at_cancel = sent;
          cancel.emit(net::cancellation_type::terminal);
        }
      },
      net::bind_cancellation_slot(cancel.slot(), [&](StatusOr<BlobInfo> r) {
        ++completions;
        result.emplace(std::move(r));
      }));
  ioc.run_for(std::chrono::seconds(60));
  BOOST_REQUIRE(result);
  BOOST_TEST(completions == 1);
  BOOST_TEST(result->status().code() == StatusCode::kCancelled);
  BOOST_TEST(result->status().reason() == reasons::kCancelled);
  BOOST_TEST(sent_at_cancel > 0u);
  BOOST_TEST(last_progress < total);  // it stopped before the end
  BOOST_TEST_MESSAGE("cancelled after " << last_progress << " of " << total << " bytes");
  // The server has no such blob, and the client still works.
  auto after = e.MakeClient(e.server->url());
  auto stat = after->StatBlob(e.admin.tenant, testing::DigestOf(bytes));
  BOOST_REQUIRE(stat.ok());
  BOOST_TEST(!stat->has_value());
  std::optional<Status> ready;
  ac->Ready([&](Status s) { ready = s; });
  ioc.restart();
  ioc.run_for(std::chrono::seconds(30));
  BOOST_REQUIRE(ready);
  BOOST_TEST(ready->ok());
}

// Cancelling a download mid-way leaves the part received; DownloadToFile
// later resumes it (Range) and checks the whole file against the digest.
BOOST_AUTO_TEST_CASE(cancelled_download_resumes_later) {
  auto& e = E();
  const std::string bytes = RandomBytes(32u << 20, 33);
  auto c = e.MakeClient(e.server->url());
  auto blob = c->UploadBytes(e.admin.tenant, bytes);
  BOOST_REQUIRE_MESSAGE(blob.ok(), blob.status().ToString());
  const fs::path target = e.dir.path() / "download.bin";
  net::io_context ioc;
  auto ac = e.MakeAsync(ioc);
  net::cancellation_signal cancel;
  bool emitted = false;
  std::optional<StatusOr<BlobInfo>> result;
  ac->DownloadToFile(
      e.admin.tenant, blob->digest, target,
      [&](uint64_t received, uint64_t) {
        if (!emitted && received >= (1u << 20)) {
          emitted = true;
          cancel.emit(net::cancellation_type::terminal);
        }
      },
      net::bind_cancellation_slot(cancel.slot(), [&](StatusOr<BlobInfo> r) { result.emplace(r); }));
  ioc.run_for(std::chrono::seconds(60));
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status().reason() == "cancelled");
  const auto partial = fs::file_size(target);
  BOOST_TEST(partial > 0u);
  BOOST_TEST(partial < bytes.size());
  BOOST_TEST_MESSAGE("cancelled with " << partial << " of " << bytes.size() << " bytes on disk");
  auto resumed = c->DownloadToFile(e.admin.tenant, blob->digest, target);
  BOOST_REQUIRE_MESSAGE(resumed.ok(), resumed.status().ToString());
  BOOST_TEST(fs::file_size(target) == bytes.size());
  BOOST_TEST((testing::ReadFile(target) == bytes));
}

// A call waiting on a server that never answers, cancelled from the test's
// own thread while the io_context runs on another: it completes at once with
// "cancelled" (not after io_timeout), and nothing is retried.
BOOST_AUTO_TEST_CASE(cancel_a_call_waiting_for_a_hung_server_from_another_thread) {
  auto& e = E();
  BrokenServer hung(/*hang=*/true);
  net::io_context ioc;
  auto work = net::make_work_guard(ioc);
  std::jthread runner([&] { ioc.run(); });
  auto ac = e.MakeAsync(ioc, e.Options(hung.url()));
  net::cancellation_signal cancel;
  std::promise<Status> done;
  ac->Ready(net::bind_cancellation_slot(cancel.slot(), [&](Status s) { done.set_value(s); }));
  while (hung.accepted() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  cancel.emit(net::cancellation_type::terminal);  // this thread, not the io_context's
  const Status s = done.get_future().get();
  BOOST_TEST(s.reason() == "cancelled");
  BOOST_TEST(hung.accepted() == 1);               // no retry after the cancellation
  cancel.emit(net::cancellation_type::terminal);  // after completion: nothing happens
  work.reset();
}

BOOST_AUTO_TEST_CASE(deadline_expires_on_a_hung_server) {
  auto& e = E();
  BrokenServer hung(/*hang=*/true);
  // Async: the per-call timeout ends the call although io_timeout is 60 s.
  net::io_context ioc;
  auto ac = e.MakeAsync(ioc, e.Options(hung.url()));
  std::optional<StatusOr<Tenant>> result;
  ac->GetTenant(e.admin.tenant, CallOptions{.timeout = std::chrono::milliseconds(300)},
                [&](StatusOr<Tenant> t) { result.emplace(std::move(t)); });
  ioc.run_for(std::chrono::seconds(30));
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status().code() == StatusCode::kDeadlineExceeded);
  BOOST_TEST(result->status().reason() == reasons::kDeadlineExceeded);

  // Blocking: the same through Client's CallOptions, as an absolute deadline.
  auto client = e.MakeClient(hung.url());
  auto blocked = client->GetTenant(e.admin.tenant, CallOptions{.deadline = std::chrono::steady_clock::now() +
                                                                           std::chrono::milliseconds(300)});
  BOOST_TEST(blocked.status().reason() == "deadline-exceeded");
  // A deadline already past fails before anything is sent.
  const int before = hung.accepted();
  auto late = client->Ready(CallOptions{.deadline = std::chrono::steady_clock::now()});
  BOOST_TEST(late.reason() == "deadline-exceeded");
  BOOST_TEST(hung.accepted() == before);
  // A deadline that is not reached changes nothing.
  auto fine = e.MakeClient(e.server->url())
                  ->GetTenant(e.admin.tenant, CallOptions{.timeout = std::chrono::seconds(30)});
  BOOST_TEST(fine.ok());
}

// Cancellation through use_awaitable: the awaiting coroutine is cancelled by
// its own slot (here bound with bind_cancellation_slot on co_spawn).
BOOST_AUTO_TEST_CASE(cancel_an_awaited_call_through_its_coroutine) {
  auto& e = E();
  BrokenServer hung(/*hang=*/true);
  net::io_context ioc;
  auto ac = e.MakeAsync(ioc, e.Options(hung.url()));
  net::cancellation_signal cancel;
  std::optional<Status> awaited;
  net::co_spawn(
      ioc, [&]() -> net::awaitable<void> { awaited = co_await ac->Ready(net::use_awaitable); },
      net::bind_cancellation_slot(cancel.slot(), net::detached));
  net::steady_timer later(ioc, std::chrono::milliseconds(200));
  later.async_wait([&](auto) { cancel.emit(net::cancellation_type::terminal); });
  ioc.run_for(std::chrono::seconds(30));
  BOOST_REQUIRE(awaited);
  BOOST_TEST(awaited->reason() == "cancelled");
}

// CallOptions::max_retries overrides ClientOptions::max_retries for one call:
// a server that drops every connection sees 1 + max_retries attempts.
BOOST_AUTO_TEST_CASE(per_call_retry_limit) {
  auto& e = E();
  BrokenServer dropping(/*hang=*/false);
  auto o = e.Options(dropping.url());
  o.max_retries = 3;
  o.initial_backoff = std::chrono::milliseconds(1);
  auto c = Client::Create(o).value();
  auto none = c->GetTenant(e.admin.tenant, CallOptions{.max_retries = 0});
  BOOST_TEST(IsTransportError(none.status()));
  BOOST_TEST(dropping.accepted() == 1);
  auto two = c->GetTenant(e.admin.tenant, CallOptions{.max_retries = 2});
  BOOST_TEST(IsTransportError(two.status()));
  BOOST_TEST(dropping.accepted() == 1 + 3);
  auto client_default = c->GetTenant(e.admin.tenant);
  BOOST_TEST(IsTransportError(client_default.status()));
  BOOST_TEST(dropping.accepted() == 1 + 3 + 4);
}

// CallOptions::idempotency_key: a P-256 commit re-signed (a new envelope)
// with the same key answers its original receipt; another key is a new commit.
BOOST_AUTO_TEST_CASE(per_call_idempotency_key) {
  auto& e = E();
  auto c = e.MakeClient(e.server->url());
  BOOST_REQUIRE(c->CreateDossier(e.admin.tenant, "keyed").ok());
  const CommitRequest req{.tenant = e.admin.tenant,
                          .id = "keyed",
                          .content = testing::MinimalDossierJson("Keyed", {}),
                          .version = 1,
                          .parent_digest = ""};
  const CallOptions job{.idempotency_key = "job-4711"};
  auto first = c->Commit(req, e.key, job);
  BOOST_REQUIRE_MESSAGE(first.ok(), first.status().ToString());
  auto again = c->Commit(req, e.key, job);
  BOOST_REQUIRE_MESSAGE(again.ok(), again.status().ToString());
  BOOST_TEST(again->already_committed);
  BOOST_TEST(again->receipt.log_index == first->receipt.log_index);
  // The key was sent: the same key for another statement is refused.
  CommitRequest other = req;
  other.content = testing::MinimalDossierJson("Keyed, changed", {});
  BOOST_TEST(c->Commit(other, e.key, job).status().reason() == "idempotency-key-reused");
  // CommitRequest::idempotency_key, when set, wins over the CallOptions one
  // (else this next version would be refused as a reuse of job-4711).
  other.version = 2;
  other.parent_digest = first->version.digest;
  other.idempotency_key = "job-4712";
  auto second = c->Commit(other, e.key, job);
  BOOST_TEST_MESSAGE(second.status().ToString());
  BOOST_TEST(second.ok());
}

// A ProgressFn and a completion handler calling the same AsyncClient: the
// nested calls run after the current step, nothing deadlocks.
BOOST_AUTO_TEST_CASE(progress_callback_calls_the_async_client) {
  auto& e = E();
  const fs::path file = e.dir.path() / "reentrant.bin";
  WriteFile(file, RandomBytes(2u << 20, 5));
  net::io_context ioc;
  auto ac = e.MakeAsync(ioc);
  std::optional<Status> nested;
  std::optional<StatusOr<std::optional<BlobInfo>>> stat_after;
  std::optional<StatusOr<BlobInfo>> uploaded;
  bool asked = false;
  ac->UploadFile(
      e.admin.tenant, file,
      [&](uint64_t, uint64_t) {
        if (asked) return;
        asked = true;
        ac->Ready([&](Status s) { nested = s; });
      },
      [&](StatusOr<BlobInfo> r) {
        uploaded.emplace(r);
        if (r.ok()) {
          ac->StatBlob(e.admin.tenant, r->digest, [&](auto s) { stat_after.emplace(std::move(s)); });
        }
      });
  ioc.run_for(std::chrono::seconds(60));
  BOOST_REQUIRE(nested && uploaded && stat_after);
  BOOST_TEST(nested->ok());
  BOOST_REQUIRE(uploaded->ok());
  BOOST_REQUIRE(stat_after->ok());
  BOOST_TEST(stat_after->value().has_value());
}

// Objects() and Versions() follow nextPageToken across pages; the vector
// lists (AllVersions) return every page.
BOOST_AUTO_TEST_CASE(paging_across_pages) {
  auto& e = E();
  auto c = e.MakeClient(e.server->url());
  std::set<std::string> made;
  for (int i = 0; i < 5; ++i) {
    const std::string id = "paged-" + std::to_string(i);
    BOOST_REQUIRE(c->CreateDossier(e.admin.tenant, id).ok());
    made.insert(id);
  }
  auto first = c->ListObjects(e.admin.tenant, ObjectKind::kDossier, "", 2);
  BOOST_REQUIRE(first.ok());
  BOOST_TEST(first->items.size() == 2u);
  BOOST_TEST(!first->next_page_token.empty());  // there are more pages than one
  std::set<std::string> seen;
  int pages_items = 0;
  for (auto& object : c->Objects(e.admin.tenant, ObjectKind::kDossier, 2)) {
    BOOST_REQUIRE_MESSAGE(object.ok(), object.status().ToString());
    seen.insert(object->id);
    ++pages_items;
  }
  for (const auto& id : made) BOOST_TEST(seen.count(id) == 1u);
  BOOST_TEST(pages_items == static_cast<int>(seen.size()));  // none twice

  for (uint64_t v = 1; v <= 3; ++v) {
    CommitRequest req{.tenant = e.admin.tenant,
                      .id = "paged-0",
                      .content = testing::MinimalDossierJson("Paged v" + std::to_string(v), {})};
    BOOST_REQUIRE(c->Commit(req, e.key).ok());
  }
  std::vector<uint64_t> versions;
  for (auto& v : c->Versions(e.admin.tenant, ObjectKind::kDossier, "paged-0", 1)) {
    BOOST_REQUIRE(v.ok());
    versions.push_back(v->version);
  }
  BOOST_TEST((versions == std::vector<uint64_t>{1, 2, 3}));
  auto all = c->AllVersions(e.admin.tenant, ObjectKind::kDossier, "paged-0");
  BOOST_REQUIRE(all.ok());
  BOOST_TEST(all->size() == 3u);

  // A page that cannot be fetched ends the range with its error, once.
  int errors = 0, items = 0;
  for (auto& v : c->Versions(e.admin.tenant, ObjectKind::kDossier, "no-such-dossier")) {
    v.ok() ? ++items : ++errors;
    if (!v.ok()) BOOST_TEST(v.status().code() == StatusCode::kNotFound);
  }
  BOOST_TEST(errors == 1);
  BOOST_TEST(items == 0);
}

namespace {
// Runs `ioc` until `done()` or `limit` passes (an AsyncClient's idle
// connections may keep the context busy, so run() alone might not return).
template <typename Done>
void RunUntil(net::io_context& ioc, Done done, std::chrono::seconds limit = std::chrono::seconds(60)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < until) {
    if (ioc.stopped()) ioc.restart();
    ioc.run_one_for(std::chrono::milliseconds(100));
  }
}
}  // namespace

// The AsyncClient pages the same lists (async_paging.h): AsyncPager::Next
// awaited page by page, ForEach / ForEachObject with callbacks, against
// more items than one page holds.
BOOST_AUTO_TEST_CASE(async_paging_across_pages) {
  auto& e = E();
  auto c = e.MakeClient(e.server->url());
  std::set<std::string> made;
  for (int i = 0; i < 5; ++i) {
    const std::string id = "apaged-" + std::to_string(i);
    BOOST_REQUIRE(c->CreateDossier(e.admin.tenant, id).ok());
    made.insert(id);
  }
  for (uint64_t v = 1; v <= 3; ++v) {
    CommitRequest req{.tenant = e.admin.tenant,
                      .id = "apaged-0",
                      .content = testing::MinimalDossierJson("Async paged v" + std::to_string(v), {})};
    BOOST_REQUIRE(c->Commit(req, e.key).ok());
  }
  net::io_context ioc;
  auto ac = e.MakeAsync(ioc);

  // use_awaitable: one page per Next, pages of 2 objects and of 1 version.
  std::set<std::string> awaited;
  int pages = 0, items = 0;
  std::vector<uint64_t> versions;
  auto walk = [&]() -> net::awaitable<Status> {
    auto pager = ac->ObjectPager(e.admin.tenant, ObjectKind::kDossier, 2);
    while (!pager.done()) {
      auto page = co_await pager.Next(net::use_awaitable);
      if (!page.ok()) co_return page.status();
      if (page->size() > 2u) co_return Internal("a page holds more than the page size");
      ++pages;
      for (const auto& object : *page) {
        awaited.insert(object.id);
        ++items;
      }
    }
    auto after_last = co_await pager.Next(net::use_awaitable);
    if (!after_last.ok() || !after_last->empty()) co_return Internal("Next after the last page is not empty");
    auto version_pager = ac->VersionPager(e.admin.tenant, ObjectKind::kDossier, "apaged-0", 1);
    while (!version_pager.done()) {
      auto page = co_await version_pager.Next(net::use_awaitable);
      if (!page.ok()) co_return page.status();
      for (const auto& v : *page) versions.push_back(v.version);
    }
    co_return Status::Ok();
  };
  std::optional<Status> outcome;
  net::co_spawn(ioc, walk(), [&](std::exception_ptr, Status s) { outcome = s; });
  RunUntil(ioc, [&] { return outcome.has_value(); });
  BOOST_REQUIRE(outcome);
  BOOST_TEST(outcome->ok(), outcome->ToString());
  BOOST_TEST(pages >= 3);  // at least 5 dossiers in pages of 2
  for (const auto& id : made) BOOST_TEST(awaited.count(id) == 1u, id);
  BOOST_TEST(items == static_cast<int>(awaited.size()));  // none twice
  BOOST_TEST((versions == std::vector<uint64_t>{1, 2, 3}));

  // Callbacks: ForEach over versions in pages of 1; ForEachObject stopping
  // early when the visitor says so.
  std::vector<uint64_t> visited;
  std::optional<Status> each;
  ForEach(
      ac->VersionPager(e.admin.tenant, ObjectKind::kDossier, "apaged-0", 1),
      [&](const VersionInfo& v) {
        visited.push_back(v.version);
        return true;
      },
      [&](Status s) { each = s; });
  int objects_visited = 0;
  std::optional<Status> stopped;
  ac->ForEachObject(
      e.admin.tenant, ObjectKind::kDossier, [&](const ObjectInfo&) { return ++objects_visited < 3; },
      [&](Status s) { stopped = s; });
  RunUntil(ioc, [&] { return each.has_value() && stopped.has_value(); });
  BOOST_REQUIRE(each);
  BOOST_REQUIRE(stopped);
  BOOST_TEST(each->ok(), each->ToString());
  BOOST_TEST((visited == std::vector<uint64_t>{1, 2, 3}));
  BOOST_TEST(stopped->ok(), stopped->ToString());
  BOOST_TEST(objects_visited == 3);

  // A page that cannot be fetched: ForEach completes with its error; a pager
  // keeps its position, so Next retries the page (and fails the same way).
  std::optional<Status> missing;
  ac->ForEachVersion(
      e.admin.tenant, ObjectKind::kDossier, "no-such-dossier", [](const VersionInfo&) { return true; },
      [&](Status s) { missing = s; });
  auto failing = ac->VersionPager(e.admin.tenant, ObjectKind::kDossier, "no-such-dossier");
  std::vector<StatusCode> tries;
  failing.Next([&](StatusOr<std::vector<VersionInfo>> page) {
    tries.push_back(page.status().code());
    failing.Next([&](StatusOr<std::vector<VersionInfo>> again) { tries.push_back(again.status().code()); });
  });
  RunUntil(ioc, [&] { return missing.has_value() && tries.size() == 2u; });
  BOOST_REQUIRE(missing);
  BOOST_TEST(missing->code() == StatusCode::kNotFound);
  BOOST_TEST((tries == std::vector<StatusCode>{StatusCode::kNotFound, StatusCode::kNotFound}));
  BOOST_TEST(!failing.done());
}

// JSON arguments are JSON text of an object (types.h JsonText): anything else
// is refused as "bad-json", naming the argument, before a connection is made.
// ImportRecords on the AsyncClient: each record of a many-record import is
// handed to the RecordFn (on the strand) as it arrives and the handler
// completes once, after the last; a cancellation emitted from inside the
// RecordFn stops the import mid-answer ("cancelled", some records only).
BOOST_AUTO_TEST_CASE(import_records_streams_and_can_be_cancelled_mid_answer) {
  auto& e = E();
  constexpr int kDevices = 5000;
  const fs::path file = e.dir.path() / "async-release.xml";
  WriteFile(file, testing::GudidRelease(kDevices, {}, "Async Brand", 30000000000000));
  net::io_context ioc;
  auto ac = e.MakeAsync(ioc);
  std::vector<std::string> records;
  std::optional<Status> result;
  int completions = 0;
  ac->ImportRecords(
      e.admin.tenant, "gudid-xml", file,
      [&](std::string_view record) {
        records.emplace_back(record);
        return Status::Ok();
      },
      nullptr,
      [&](Status s) {
        ++completions;
        result = s;
      });
  ioc.run_for(std::chrono::seconds(60));
  BOOST_REQUIRE(result);
  BOOST_TEST(result->ok(), result->ToString());
  BOOST_TEST(completions == 1);
  BOOST_TEST_REQUIRE(records.size() == static_cast<size_t>(kDevices));
  BOOST_TEST(json::parse(records.back()).at("content").at("device").at("tradeName").as_string() ==
             "Async Brand " + std::to_string(kDevices - 1));

  records.clear();
  result.reset();
  completions = 0;
  net::cancellation_signal cancel;
  ac->ImportRecords(
      e.admin.tenant, "gudid-xml", file,
      [&](std::string_view record) {
        records.emplace_back(record);
        if (records.size() == 1) cancel.emit(net::cancellation_type::terminal);
        return Status::Ok();
      },
      nullptr, net::bind_cancellation_slot(cancel.slot(), [&](Status s) {
        ++completions;
        result = s;
      }));
  ioc.restart();
  ioc.run_for(std::chrono::seconds(60));
  BOOST_REQUIRE(result);
  BOOST_TEST(completions == 1);
  BOOST_TEST(result->code() == StatusCode::kCancelled, result->ToString());
  BOOST_TEST(result->reason() == reasons::kCancelled);
  BOOST_TEST(!records.empty());
  BOOST_TEST(records.size() < static_cast<size_t>(kDevices));
}

BOOST_AUTO_TEST_CASE(json_text_arguments_are_checked_before_sending) {
  auto& e = E();
  BrokenServer server(/*hang=*/false);
  auto c = e.MakeClient(server.url());
  for (const char* text : {"", "{", "[]", "\"an event\"", "{\"submission\":"}) {
    auto recorded = c->RecordLedgerEvent(e.admin.tenant, text, e.key);
    BOOST_TEST(recorded.status().code() == StatusCode::kInvalidArgument, text);
    BOOST_TEST(recorded.status().reason() == reasons::kBadJson, text);
    BOOST_TEST(recorded.status().field() == "event", text);
    auto timeline = c->SetReviewTimeline(e.admin.tenant, text);
    BOOST_TEST(timeline.status().reason() == reasons::kBadJson, text);
    BOOST_TEST(timeline.status().field() == "timeline", text);
  }
  BOOST_TEST(server.accepted() == 0);
  // Well-formed text goes out (and here meets a server that hangs up).
  auto sent = c->SetReviewTimeline(e.admin.tenant, R"({"pathway":"510k-traditional"})");
  BOOST_TEST(IsTransportError(sent.status()), sent.status().ToString());
  BOOST_TEST(server.accepted() > 0);
}
