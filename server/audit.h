// The audit log: one entry per authenticated request (principal, tenant,
// route, object, outcome, time), append-only and hash-chained per tenant, so a
// removed or edited entry breaks the chain. Entries are queued by request
// threads and written in batches by one background thread (one synced write
// per batch), so auditing reads costs no fsync on the request path; a crash
// can lose at most the last batch interval of entries.
//
// Secrets never reach it: entries hold the token id, never the token, and the
// path, never the query string or headers.
//
// Thread-safety: Record() may be called from any thread.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "storage/store.h"

namespace dossier::server {

struct AuditEntry {
  std::string tenant;     // whose audit log holds it ("" = the operator's)
  std::string principal;  // token id
  std::string role;
  std::string method;
  std::string route;  // the route pattern
  std::string path;   // the object addressed
  int status = 0;
  std::string remote;
  int64_t time_ms = 0;
};

class AuditLog {
 public:
  explicit AuditLog(storage::Store& store,
                    std::chrono::milliseconds interval = std::chrono::milliseconds(200));
  ~AuditLog();  // flushes what is queued

  void Record(AuditEntry entry);
  // Writes everything queued so far; returns when it is durable.
  void Flush();

  // A tenant's entries in order, as stored (JSON objects with seq, prevHash, hash).
  StatusOr<storage::Page<boost::json::object>> Read(const std::string& tenant, const std::string& page_token,
                                                    size_t page_size);
  // Recomputes a tenant's chain; reports the first entry that does not link.
  Status VerifyChain(const std::string& tenant);

 private:
  struct ChainHead {
    uint64_t seq = 0;
    std::string hash;  // raw SHA-256 of the last entry ("" before the first); stored as hex
  };
  void Run();
  void WriteBatch(std::deque<AuditEntry>& batch);
  StatusOr<ChainHead> LoadHead(const std::string& tenant);

  storage::Store& store_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<AuditEntry> queue_;
  uint64_t enqueued_ = 0, written_ = 0;
  std::condition_variable written_cv_;
  bool stopping_ = false;
  bool flush_requested_ = false;            // a Flush() waits: write now, not at the next interval
  std::map<std::string, ChainHead> heads_;  // writer thread only
  std::thread thread_;
};

}  // namespace dossier::server
