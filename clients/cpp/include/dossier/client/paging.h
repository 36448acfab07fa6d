// PageRange<T>: the items of a paged list as one range that follows the
// server's cursor (nextPageToken), fetching a page only when the iteration
// reaches it, so a long list is never held whole in memory.
//
//   for (StatusOr<ObjectInfo>& object : client->Objects("acme", ObjectKind::kDossier)) {
//     if (!object.ok()) { /* the page could not be fetched */ break; }
//     Use(*object);
//   }
//
// Each element is a StatusOr<T>: when fetching a page fails, the range yields
// that error once and ends. The range calls the client it came from while it
// is iterated: that client must outlive it. A range is single-pass (an input
// range); iterate it from one thread.
//
// Which lists page: every route whose answer carries nextPageToken, and each
// has the same forms (clients/cpp/README.md "Paging" has the full table):
//   whole list          page-level call          range            AsyncClient pager, ForEach...
//   —                   ListObjects              Objects          ObjectPager, ForEachObject
//   AllVersions         ListVersions             Versions         VersionPager, ForEachVersion
//   ListSubmissions     ListSubmissionsPage      Submissions      SubmissionPager, ForEachSubmission
//   Inbox               InboxPage                InboxSubmissions InboxPager, ForEachInboxSubmission
//   TenantLedger        TenantLedgerPage         Ledgers          LedgerPager, ForEachLedger
//   ListModifications   ListModificationsPage    Modifications    ModificationPager, ForEachModification
//   PerformanceReports  PerformanceReportsPage   Reports          ReportPager, ForEachReport
//   Alerts              AlertsPage               DriftAlerts      DriftAlertPager, ForEachDriftAlert
//   ListReviewTimelines ListReviewTimelinesPage  ReviewTimelines  ReviewTimelinePager, ForEachReviewTimeline
//   AuditLog            AuditLogPage             AuditEntries     AuditEntryPager, ForEachAuditEntry
// A page-level call takes (..., page_token, page_size, call_options): "" for
// the first page, 0 for the server's default size. The whole-list calls
// follow the cursor to the end inside the call. The other list calls
// (ListTenants, ListTokens, ListKeys, ListDecisions, ListPeers, Reliance,
// ListRelianceAgreements, ListComments) name routes that do not page: the
// server answers everything at once. AsyncPager and ForEach: async_paging.h.
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace dossier::client {

template <typename T>
class PageRange {
 private:
  struct State;

 public:
  struct Page {
    std::vector<T> items;
    std::string next_page_token;  // "" on the last page
  };
  // Fetches the page that `page_token` names ("" for the first).
  using FetchPage = std::function<StatusOr<Page>(const std::string& page_token)>;

  explicit PageRange(FetchPage fetch) : state_(std::make_shared<State>()) {
    state_->fetch = std::move(fetch);
  }

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = StatusOr<T>;
    using difference_type = std::ptrdiff_t;
    using pointer = StatusOr<T>*;
    using reference = StatusOr<T>&;

    iterator() = default;
    reference operator*() const { return *state_->current; }
    pointer operator->() const { return state_->current.get(); }
    iterator& operator++() {
      state_->Advance();
      return *this;
    }
    void operator++(int) { state_->Advance(); }
    friend bool operator==(const iterator& it, std::default_sentinel_t) { return it.state_->ended; }

   private:
    friend class PageRange;
    explicit iterator(State* state) : state_(state) {}
    State* state_ = nullptr;
  };

  // Fetches the first page (once: a range is iterated once).
  iterator begin() {
    if (!state_->started) {
      state_->started = true;
      state_->Advance();
    }
    return iterator(state_.get());
  }
  std::default_sentinel_t end() const { return {}; }

 private:
  struct State {
    FetchPage fetch;
    std::vector<T> page;
    size_t next = 0;         // index in `page` of the item after `current`
    std::string page_token;  // of the next page to fetch
    bool fetched_any = false;
    bool started = false;
    bool ended = false;
    std::unique_ptr<StatusOr<T>> current;

    void Advance() {
      if (ended) return;
      if (current && !current->ok()) {  // an error is yielded once, then the range ends
        ended = true;
        return;
      }
      while (next == page.size()) {
        if (fetched_any && page_token.empty()) {
          ended = true;
          return;
        }
        auto fetched = fetch(page_token);
        fetched_any = true;
        if (!fetched.ok()) {
          current = std::make_unique<StatusOr<T>>(fetched.status());
          return;
        }
        page = std::move(fetched->items);
        next = 0;
        page_token = std::move(fetched->next_page_token);
      }
      current = std::make_unique<StatusOr<T>>(std::move(page[next++]));
    }
  };
  std::shared_ptr<State> state_;
};

}  // namespace dossier::client
