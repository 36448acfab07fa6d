// Every paged list of the SDK walked page by page against a real dossierd on
// 127.0.0.1 (issue 21 item 7): for each list, more items than one page holds
// (page size 2), walked with the blocking range (ClientInterface, paging.h)
// and with the asynchronous pager (async_paging.h; use_awaitable for some
// lists, ForEach... callbacks for the others). Each walk must yield exactly
// the items, in the order, that the whole-list call returns, and the
// page-level call must hand out pages no larger than asked for with a token
// that ends on the last one.
#define BOOST_TEST_MODULE client_paging_test
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <thread>
#include <tuple>

#include "dossier/client/async_client.h"
#include "dossier/client/client.h"
#include "tests/support/harness.h"

using namespace dossier;
using namespace dossier::client;
namespace json = boost::json;
namespace net = boost::asio;

namespace {

constexpr int kPageSize = 2;
constexpr int kItems = 5;  // of each list: three pages of 2
// The audit log is longer and each page read flushes it to disk (a synced
// write) and adds an entry of its own: it is walked in pages of 10.
constexpr int kAuditPage = 10;

// ThoraxTriage AI 2.4.0 as released (the version the change plan and the
// performance reports name), one section with one document.
std::string ReleasedDossier(Client& c, const std::string& tenant, int edition) {
  auto doc =
      c.UploadBytes(tenant, "%PDF-1.7 software description, edition " + std::to_string(edition) + "\n");
  BOOST_REQUIRE_MESSAGE(doc.ok(), doc.status().ToString());
  json::object dossier{
      {"tocEdition", "IMDRF-N9-ED4"},
      {"device", json::object{{"tradeName", "ThoraxTriage AI"},
                              {"softwareVersion", "2.4.0"},
                              {"identifiers",
                               json::array{json::object{
                                   {"type", "UDI_DI"}, {"value", "08500123450017"}, {"issuer", "GS1"}}}}}},
      {"sections",
       json::array{json::object{{"code", "2.04.01"},
                                {"documents", json::array{json::object{{"digest", doc->digest},
                                                                       {"mediaType", "application/pdf"},
                                                                       {"fileName", "sw.pdf"}}}}}}}};
  return json::serialize(dossier);
}

// One server: a manufacturer that submitted five versions of its device (the
// first with its change plan) to a regulator, recorded five modifications and
// posted five performance reports (four drifting: an alert each), and a
// regulator with five review timelines.
struct Env {
  testing::TempDir dir;
  std::unique_ptr<testing::Server> server;
  std::unique_ptr<Client> op, maker, agency;
  std::string m = "paging-maker", a = "paging-fda";
  const std::string plan = "thorax-pccp";
  trust::PrivateKey key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();

  ClientOptions Options(const std::string& token) const {
    ClientOptions o;
    o.base_url = server->url();
    o.token = token;
    return o;
  }
  std::unique_ptr<Client> MakeClient(const std::string& token) const {
    auto c = Client::Create(Options(token));
    BOOST_REQUIRE_MESSAGE(c.ok(), c.status().ToString());
    return std::move(c).value();
  }
  std::shared_ptr<AsyncClient> MakeAsync(net::io_context& ioc, const std::string& token) const {
    auto c = AsyncClient::Create(ioc.get_executor(), Options(token));
    BOOST_REQUIRE_MESSAGE(c.ok(), c.status().ToString());
    return std::move(c).value();
  }

  Env() {
    auto s = testing::Server::Start(dir.path() / "data");
    BOOST_REQUIRE_MESSAGE(s.ok(), s.status().ToString());
    server = std::move(s).value();
    op = MakeClient(server->operator_token());
    auto admin = testing::ProvisionTenant(*server, m);
    BOOST_REQUIRE_MESSAGE(admin.ok(), admin.status().ToString());
    maker = MakeClient(admin->token);
    BOOST_REQUIRE(op->CreateTenant({a, a, "REGULATOR", "US"}).ok());
    auto token = op->CreateToken(a, "ADMIN", "paging");
    BOOST_REQUIRE_MESSAGE(token.ok(), token.status().ToString());
    agency = MakeClient(token->secret);

    BOOST_REQUIRE(maker->RegisterKey(m, key.public_key(), "release").ok());
    BOOST_REQUIRE(maker->CreateDossier(m, "thorax").ok());
    for (int i = 0; i < kItems; ++i) {  // one open submission per version and agency
      auto v = maker->Commit({.tenant = m, .id = "thorax", .content = ReleasedDossier(*maker, m, i)}, key);
      BOOST_REQUIRE_MESSAGE(v.ok(), v.status().ToString());
    }
    BOOST_REQUIRE(maker->CreateChangePlan(m, plan, "thorax").ok());
    auto p1 = maker->Commit(
        {.tenant = m,
         .kind = ObjectKind::kChangePlan,
         .id = plan,
         .content = testing::ReadFile(std::filesystem::path(PCCP_TESTDATA_DIR) / "thoraxtriage.pccp.json"),
         .media_type = std::string(kChangePlanJson)},
        key);
    BOOST_REQUIRE_MESSAGE(p1.ok(), p1.status().ToString());
    for (int i = 0; i < kItems; ++i) {
      NewSubmission s{.dossier = "thorax",
                      .version = static_cast<uint64_t>(i + 1),
                      .agency = a,
                      .pathway = "510k-traditional"};
      if (i == 0) {
        s.change_plan = plan;
        s.change_plan_version = 1;
      }
      auto submitted = maker->Submit(m, s);
      BOOST_REQUIRE_MESSAGE(submitted.ok(), submitted.status().ToString());
    }
    json::value record =
        json::parse(testing::ReadFile(std::filesystem::path(PCCP_TESTDATA_DIR) / "retrain-within-plan.json"));
    record.as_object()["planVersion"] = 1;
    for (int i = 0; i < kItems; ++i) {
      auto recorded = maker->RecordModification(m, plan, json::serialize(record));
      BOOST_REQUIRE_MESSAGE(recorded.ok(), recorded.status().ToString());
    }
    for (double value : {0.901, 0.862, 0.861, 0.860, 0.859}) {
      auto posted =
          maker->PostPerformanceReport(m, plan, testing::PerformanceQuarterJson("2.4.0", value), key);
      BOOST_REQUIRE_MESSAGE(posted.ok(), posted.status().ToString());
    }
    for (int i = 0; i < kItems; ++i) {
      json::object timeline{{"pathway", "contract-" + std::to_string(i)},
                            {"reviewDays", 90 + i},
                            {"dayKind", "calendar"},
                            {"source", "paging test contract"}};
      auto set = agency->SetReviewTimeline(a, json::serialize(timeline));
      BOOST_REQUIRE_MESSAGE(set.ok(), set.status().ToString());
    }
  }
};

Env& E() {
  static Env env;
  return env;
}

// Runs `ioc` until `done()` or a minute passes (an AsyncClient's idle
// connections may keep the context busy, so run() alone might not return).
template <typename Done>
void RunUntil(net::io_context& ioc, Done done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!done() && std::chrono::steady_clock::now() < until) {
    if (ioc.stopped()) ioc.restart();
    ioc.run_one_for(std::chrono::milliseconds(100));
  }
}

// What identifies an item: a submission's id, a JSON item's whole value.
std::string Key(const Submission& s) { return s.id; }
std::string Key(const JsonText& text) { return json::serialize(json::parse(text)); }
template <typename T>
std::vector<std::string> Keys(const std::vector<T>& items) {
  std::vector<std::string> keys;
  for (const auto& item : items) keys.push_back(Key(item));
  return keys;
}

// The array `member` of a whole-list call's JSON answer, one text per item.
std::vector<JsonText> Items(const StatusOr<JsonText>& answer, const std::string& member) {
  BOOST_REQUIRE_MESSAGE(answer.ok(), answer.status().ToString());
  std::vector<JsonText> items;
  const json::value parsed = json::parse(*answer);
  BOOST_REQUIRE(!parsed.as_object().contains("nextPageToken"));  // the whole list
  for (const auto& item : parsed.at(member).as_array()) items.push_back(json::serialize(item));
  return items;
}

template <typename T>
std::vector<T> Walk(PageRange<T> range) {
  std::vector<T> items;
  for (StatusOr<T>& item : range) {
    BOOST_REQUIRE_MESSAGE(item.ok(), item.status().ToString());
    items.push_back(std::move(*item));
  }
  return items;
}

// Walks `pager` with use_awaitable, one Next per page; checks each page's size.
template <typename T>
std::vector<T> Await(net::io_context& ioc, AsyncPager<T> pager, size_t page_size = kPageSize) {
  std::vector<T> items;
  int pages = 0;
  auto walk = [&]() -> net::awaitable<Status> {
    while (!pager.done()) {
      auto page = co_await pager.Next(net::use_awaitable);
      if (!page.ok()) co_return page.status();
      if (page->size() > page_size) co_return Internal("a page holds more than asked");
      ++pages;
      for (auto& item : *page) items.push_back(std::move(item));
    }
    co_return Status::Ok();
  };
  std::optional<Status> outcome;
  net::co_spawn(ioc, walk(), [&](std::exception_ptr, Status s) { outcome = s; });
  RunUntil(ioc, [&] { return outcome.has_value(); });
  BOOST_REQUIRE(outcome);
  BOOST_REQUIRE_MESSAGE(outcome->ok(), outcome->ToString());
  BOOST_TEST(pages >= 3);  // 5 or more items in pages of 2, 21 or more in pages of 10
  return items;
}

// Visits every item with a ForEach... started by `start` (callbacks).
template <typename T>
std::vector<T> Visit(
    net::io_context& ioc,
    const std::function<void(std::function<bool(const T&)>, std::function<void(Status)>)>& start) {
  std::vector<T> items;
  std::optional<Status> outcome;
  start(
      [&](const T& item) {
        items.push_back(item);
        return true;
      },
      [&](Status s) { outcome = s; });
  RunUntil(ioc, [&] { return outcome.has_value(); });
  BOOST_REQUIRE(outcome);
  BOOST_REQUIRE_MESSAGE(outcome->ok(), outcome->ToString());
  return items;
}

// The first page of a page-level call: at most kPageSize items and a token.
template <typename Page>
void ExpectFirstPage(const StatusOr<Page>& page, size_t page_size = kPageSize) {
  BOOST_REQUIRE_MESSAGE(page.ok(), page.status().ToString());
  BOOST_TEST(page->items.size() <= page_size);
  BOOST_TEST(!page->next_page_token.empty());
}

}  // namespace

BOOST_AUTO_TEST_CASE(submissions_inbox_and_ledger_page) {
  auto& e = E();
  net::io_context ioc;
  auto maker = e.MakeAsync(ioc, e.maker->options().token);
  auto agency = e.MakeAsync(ioc, e.agency->options().token);

  // The manufacturer's outbox: range, awaited pager, page-level call.
  auto whole = e.maker->ListSubmissions(e.m);
  BOOST_REQUIRE(whole.ok());
  BOOST_REQUIRE_EQUAL(whole->size(), static_cast<size_t>(kItems));
  BOOST_TEST(Keys(Walk(e.maker->Submissions(e.m, kPageSize))) == Keys(*whole));
  BOOST_TEST(Keys(Await(ioc, maker->SubmissionPager(e.m, kPageSize))) == Keys(*whole));
  ExpectFirstPage(e.maker->ListSubmissionsPage(e.m, "", kPageSize));

  // The regulator's inbox: range, ForEachInboxSubmission (callbacks; the
  // server's default page size) and InboxPager with callbacks in pages of 2.
  auto inbox = e.agency->Inbox(e.a);
  BOOST_REQUIRE(inbox.ok());
  BOOST_REQUIRE_EQUAL(inbox->size(), static_cast<size_t>(kItems));
  BOOST_TEST(Keys(Walk(e.agency->InboxSubmissions(e.a, kPageSize))) == Keys(*inbox));
  BOOST_TEST(Keys(Visit<Submission>(ioc, [&](auto visit, auto done) {
               agency->ForEachInboxSubmission(e.a, std::move(visit), std::move(done));
             })) == Keys(*inbox));
  BOOST_TEST(Keys(Visit<Submission>(ioc, [&](auto visit, auto done) {
               ForEach(agency->InboxPager(e.a, kPageSize), std::move(visit), std::move(done));
             })) == Keys(*inbox));
  ExpectFirstPage(e.agency->InboxPage(e.a, "", kPageSize));

  // Both tenants' ledgers (each item a submission's ledger and clock), on one day.
  for (auto [client, async, tenant] :
       {std::tuple{e.maker.get(), maker, e.m}, std::tuple{e.agency.get(), agency, e.a}}) {
    auto ledgers = Items(client->TenantLedger(tenant, "thorax", "2026-06-01"), "submissions");
    BOOST_REQUIRE_EQUAL(ledgers.size(), static_cast<size_t>(kItems));
    BOOST_TEST(Keys(Walk(client->Ledgers(tenant, "thorax", "2026-06-01", kPageSize))) == Keys(ledgers));
    BOOST_TEST(Keys(Visit<JsonText>(ioc, [&](auto visit, auto done) {
                 ForEach(async->LedgerPager(tenant, "", "2026-06-01", kPageSize), std::move(visit),
                         std::move(done));
               })) == Keys(ledgers));
    ExpectFirstPage(client->TenantLedgerPage(tenant, "", "2026-06-01", "", kPageSize));
  }
  // A dossier filter that matches nothing: every page is empty, the walk ends.
  BOOST_TEST(Walk(e.maker->Ledgers(e.m, "no-such-device", "", kPageSize)).empty());
}

BOOST_AUTO_TEST_CASE(change_plan_lists_page) {
  auto& e = E();
  net::io_context ioc;
  auto maker = e.MakeAsync(ioc, e.maker->options().token);

  auto modifications = e.maker->ListModifications(e.m, e.plan);
  BOOST_REQUIRE(modifications.ok());
  BOOST_REQUIRE_EQUAL(modifications->size(), static_cast<size_t>(kItems));
  BOOST_TEST(Keys(Walk(e.maker->Modifications(e.m, e.plan, kPageSize))) == Keys(*modifications));
  BOOST_TEST(Keys(Await(ioc, maker->ModificationPager(e.m, e.plan, kPageSize))) == Keys(*modifications));
  ExpectFirstPage(e.maker->ListModificationsPage(e.m, e.plan, "", kPageSize));

  auto reports = Items(e.maker->PerformanceReports(e.m, e.plan), "reports");
  BOOST_REQUIRE_EQUAL(reports.size(), static_cast<size_t>(kItems));
  BOOST_TEST(Keys(Walk(e.maker->Reports(e.m, e.plan, kPageSize))) == Keys(reports));
  BOOST_TEST(Keys(Visit<JsonText>(ioc, [&](auto visit, auto done) {
               ForEach(maker->ReportPager(e.m, e.plan, kPageSize), std::move(visit), std::move(done));
             })) == Keys(reports));
  ExpectFirstPage(e.maker->PerformanceReportsPage(e.m, e.plan, "", kPageSize));

  // Four drifting reports: four alerts in the manufacturer's list and in the regulator's.
  for (Client* client : {e.maker.get(), e.agency.get()}) {
    const std::string tenant = client == e.maker.get() ? e.m : e.a;
    auto alerts = Items(client->Alerts(tenant), "alerts");
    BOOST_REQUIRE_EQUAL(alerts.size(), 4u);
    BOOST_TEST(Keys(Walk(client->DriftAlerts(tenant, kPageSize))) == Keys(alerts));
    // Pages of 1, 2 and 3: the cursor moves on from raised to (here no)
    // relayed alerts at and off a page's end.
    for (int size : {1, 3}) BOOST_TEST(Keys(Walk(client->DriftAlerts(tenant, size))) == Keys(alerts));
    ExpectFirstPage(client->AlertsPage(tenant, "", kPageSize));
  }
  BOOST_TEST(Keys(Await(ioc, maker->DriftAlertPager(e.m, kPageSize))) ==
             Keys(Items(e.maker->Alerts(e.m), "alerts")));
  BOOST_TEST(Keys(Visit<JsonText>(ioc, [&](auto visit, auto done) {
               maker->ForEachDriftAlert(e.m, std::move(visit), std::move(done));
             })) == Keys(Items(e.maker->Alerts(e.m), "alerts")));
}

BOOST_AUTO_TEST_CASE(review_timelines_and_audit_log_page) {
  auto& e = E();
  net::io_context ioc;
  auto agency = e.MakeAsync(ioc, e.agency->options().token);
  auto op = e.MakeAsync(ioc, e.server->operator_token());

  auto timelines = e.agency->ListReviewTimelines(e.a);
  BOOST_REQUIRE_MESSAGE(timelines.ok(), timelines.status().ToString());
  BOOST_REQUIRE_EQUAL(timelines->size(), static_cast<size_t>(kItems));
  BOOST_TEST(json::parse(timelines->front()).at("pathway").as_string() == "contract-0");
  BOOST_TEST(Keys(Walk(e.agency->ReviewTimelines(e.a, kPageSize))) == Keys(*timelines));
  BOOST_TEST(Keys(Visit<JsonText>(ioc, [&](auto visit, auto done) {
               ForEach(agency->ReviewTimelinePager(e.a, kPageSize), std::move(visit), std::move(done));
             })) == Keys(*timelines));
  BOOST_TEST(Keys(Visit<JsonText>(ioc, [&](auto visit, auto done) {
               agency->ForEachReviewTimeline(e.a, std::move(visit), std::move(done));
             })) == Keys(*timelines));
  ExpectFirstPage(e.agency->ListReviewTimelinesPage(e.a, "", kPageSize));

  // The audit log grows with every request, reads included (and is written
  // in batches): a later walk starts with exactly the entries of an earlier
  // whole-list read, in order, and may hold more after them.
  auto starts_with = [](const std::vector<std::string>& walked, const std::vector<std::string>& whole) {
    return walked.size() >= whole.size() && std::equal(whole.begin(), whole.end(), walked.begin());
  };
  for (int i = 0; i < 3 * kAuditPage; ++i) BOOST_REQUIRE(e.op->ListTenants().ok());  // the operator's log
  for (auto [client, async, tenant] :
       {std::tuple{e.agency.get(), agency, e.a}, std::tuple{e.op.get(), op, std::string()}}) {
    // Entries are written every 200 ms: wait for more than a page's worth.
    StatusOr<std::vector<JsonText>> entries = client->AuditLog(tenant);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (entries.ok() && entries->size() <= static_cast<size_t>(2 * kAuditPage) &&
           std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      entries = client->AuditLog(tenant);
    }
    BOOST_REQUIRE_MESSAGE(entries.ok(), entries.status().ToString());
    BOOST_REQUIRE_GT(entries->size(), static_cast<size_t>(2 * kAuditPage));
    uint64_t seq = 0;
    for (const auto& entry : *entries) {  // the chain's order, none twice
      const uint64_t next = json::parse(entry).at("seq").to_number<uint64_t>();
      BOOST_TEST(next > seq);
      seq = next;
    }
    BOOST_TEST(starts_with(Keys(Walk(client->AuditEntries(tenant, kAuditPage))), Keys(*entries)));
    BOOST_TEST(starts_with(Keys(Await(ioc, async->AuditEntryPager(tenant, kAuditPage), kAuditPage)),
                           Keys(*entries)));
    BOOST_TEST(starts_with(Keys(Visit<JsonText>(ioc,
                                                [&](auto visit, auto done) {
                                                  async->ForEachAuditEntry(tenant, std::move(visit),
                                                                           std::move(done));
                                                })),
                           Keys(*entries)));
    ExpectFirstPage(client->AuditLogPage(tenant, "", kAuditPage), kAuditPage);
  }
  // Another tenant's audit log is refused to a tenant admin, page by page too.
  auto refused = e.agency->AuditLogPage(e.m);
  BOOST_TEST(!refused.ok());
  bool failed_once = false;
  for (auto& entry : e.agency->AuditEntries(e.m)) failed_once = !entry.ok();
  BOOST_TEST(failed_once);
}
