// Paging for AsyncClient: the asynchronous counterpart of PageRange
// (paging.h, whose table names the pager of every paged list). An
// AsyncPager<T> follows the server's cursor (nextPageToken) one page per
// Next(); ForEach visits every item of every page. Both take any Asio
// completion token, like every AsyncClient call:
//
//   auto pager = client->ObjectPager("acme", ObjectKind::kDossier);
//   while (!pager.done()) {                       // inside an awaitable coroutine
//     StatusOr<std::vector<ObjectInfo>> page = co_await pager.Next(asio::use_awaitable);
//     if (!page.ok()) break;                      // or retry: the position is kept
//     for (ObjectInfo& object : *page) Use(object);
//   }
//
//   ForEach(client->VersionPager("acme", ObjectKind::kDossier, "scanner"),
//           [](const VersionInfo& v) { Use(v); return true; },   // false stops early
//           [](Status done) { ... });                             // callback, future, awaitable...
//
// Next completes with void(StatusOr<std::vector<T>>): the next page's items
// (a page may be empty while more follow). After the last page, done() is
// true and Next completes with an empty list. A failed fetch completes with
// its error and keeps the position, so calling Next again retries the same
// page. One Next at a time: a second Next while one is pending completes with
// reason "pager-busy" (FailedPrecondition).
//
// ForEach completes with void(Status): Ok once every item was visited (or
// `visit` returned false), else the first page's error. `visit` runs where
// the page completed: on the client's strand (never block in it).
//
// Cancellation: a token's cancellation slot cancels the page being fetched
// (reason "cancelled", as every AsyncClient call); the pager keeps its
// position.
//
// Lifetime: a pager calls the AsyncClient it came from; that client must
// outlive the pager's pending Next / ForEach. Copies of a pager share one
// position. Thread-safety: use one pager from one thread (or strand) at a time.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/status.h"
#include "dossier/client/paging.h"

namespace dossier::client {

template <typename T>
class AsyncPager {
 public:
  using Page = typename PageRange<T>::Page;
  using PageHandler = boost::asio::any_completion_handler<void(StatusOr<Page>)>;
  // Starts fetching the page `page_token` names ("" for the first) and
  // completes `done` once; `slot` cancels the fetch.
  using FetchPage =
      std::function<void(std::string page_token, boost::asio::cancellation_slot slot, PageHandler done)>;

  explicit AsyncPager(FetchPage fetch) : state_(std::make_shared<State>()) {
    state_->fetch = std::move(fetch);
  }

  // True once the last page has been delivered.
  bool done() const { return state_->done; }

  template <typename Token>
  auto Next(Token&& token) {
    return boost::asio::async_initiate<Token, void(StatusOr<std::vector<T>>)>(
        [state = state_](auto handler) {
          using Result = StatusOr<std::vector<T>>;
          if (state->done) {
            boost::asio::dispatch(boost::asio::append(std::move(handler), Result(std::vector<T>{})));
            return;
          }
          if (state->in_flight) {
            boost::asio::dispatch(boost::asio::append(
                std::move(handler),
                Result(Status(StatusCode::kFailedPrecondition,
                              "a page of this pager is already being fetched", "pager-busy"))));
            return;
          }
          state->in_flight = true;
          auto slot = boost::asio::get_associated_cancellation_slot(handler);
          state->fetch(
              state->page_token, slot, [state, handler = std::move(handler)](StatusOr<Page> page) mutable {
                state->in_flight = false;
                if (!page.ok()) {
                  boost::asio::dispatch(boost::asio::append(std::move(handler), Result(page.status())));
                  return;
                }
                state->page_token = std::move(page->next_page_token);
                state->done = state->page_token.empty();
                boost::asio::dispatch(
                    boost::asio::append(std::move(handler), Result(std::move(page->items))));
              });
        },
        token);
  }

 private:
  struct State {
    FetchPage fetch;
    std::string page_token;  // of the next page to fetch
    bool in_flight = false;
    bool done = false;
  };
  std::shared_ptr<State> state_;
};

// Visits every item `pager` has left, page by page, fetching a page only once
// the previous one was visited. `visit` returns false to stop early.
template <typename T, typename Token>
auto ForEach(AsyncPager<T> pager, std::type_identity_t<std::function<bool(const T&)>> visit, Token&& token) {
  return boost::asio::async_initiate<Token, void(Status)>(
      [](auto handler, AsyncPager<T> walked, std::function<bool(const T&)> visitor) {
        struct Walk : std::enable_shared_from_this<Walk> {
          AsyncPager<T> pager;
          std::function<bool(const T&)> visit;
          boost::asio::any_completion_handler<void(Status)> handler;
          boost::asio::cancellation_slot slot;
          Walk(AsyncPager<T> p, std::function<bool(const T&)> v,
               boost::asio::any_completion_handler<void(Status)> h)
              : pager(std::move(p)), visit(std::move(v)), handler(std::move(h)) {
            slot = boost::asio::get_associated_cancellation_slot(handler);
          }
          void Finish(Status status) {
            boost::asio::dispatch(boost::asio::append(std::move(handler), std::move(status)));
          }
          void Step() {
            if (pager.done()) return Finish(Status::Ok());
            pager.Next(boost::asio::bind_cancellation_slot(
                slot, [self = this->shared_from_this()](StatusOr<std::vector<T>> items) {
                  if (!items.ok()) return self->Finish(items.status());
                  for (const T& item : *items) {
                    if (!self->visit(item)) return self->Finish(Status::Ok());
                  }
                  self->Step();
                }));
          }
        };
        std::make_shared<Walk>(std::move(walked), std::move(visitor), std::move(handler))->Step();
      },
      token, std::move(pager), std::move(visit));
}

}  // namespace dossier::client
