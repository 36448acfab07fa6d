#include "server/audit.h"

#include <cstdio>

#include "server/json_util.h"
#include "trust/digest.h"
#include "trust/encoding.h"

namespace dossier::server {
namespace json = boost::json;

namespace {
constexpr std::string_view kCollection = "audit";
constexpr std::string_view kHeadCollection = "audit-head";

std::string SeqId(uint64_t seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(seq));
  return buf;
}

// The hash covers the previous hash and every member but "hash" itself.
std::string EntryHash(const json::object& entry_without_hash) {
  return trust::HexEncode(trust::Sha256(json::serialize(entry_without_hash)));
}
}  // namespace

AuditLog::AuditLog(storage::Store& store, std::chrono::milliseconds interval)
    : store_(store), interval_(interval), thread_([this] { Run(); }) {}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void AuditLog::Record(AuditEntry entry) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(entry));
    ++enqueued_;
  }
  // No notify: the writer drains the queue every interval_ anyway, and waking
  // it for each entry cost every request a futex wake and a context switch.
}

void AuditLog::Flush() {
  std::unique_lock lock(mu_);
  const uint64_t target = enqueued_;
  // The writer's wait only ends early on a predicate it checks: without this
  // flag a Flush() woke it for nothing and waited out the rest of interval_.
  flush_requested_ = true;
  cv_.notify_one();
  written_cv_.wait(lock, [&] { return written_ >= target || stopping_; });
}

void AuditLog::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait_for(lock, interval_, [this] { return stopping_ || flush_requested_; });
    flush_requested_ = false;
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    std::deque<AuditEntry> batch;
    batch.swap(queue_);
    lock.unlock();
    const size_t n = batch.size();
    WriteBatch(batch);
    lock.lock();
    written_ += n;
    written_cv_.notify_all();
  }
}

StatusOr<AuditLog::ChainHead> AuditLog::LoadHead(const std::string& tenant) {
  if (auto it = heads_.find(tenant); it != heads_.end()) return it->second;
  ChainHead head;
  auto stored = store_.GetRecord(tenant, kHeadCollection, "head");
  if (stored.ok()) {
    boost::system::error_code ec;
    json::value v = json::parse(*stored, ec);
    if (!ec && v.is_object()) {
      head.seq = v.at("seq").to_number<uint64_t>();
      head.hash = std::string(v.at("hash").as_string());
    }
  } else if (stored.status().code() != StatusCode::kNotFound) {
    return stored.status();
  }
  heads_[tenant] = head;
  return head;
}

void AuditLog::WriteBatch(std::deque<AuditEntry>& batch) {
  std::vector<storage::RecordWrite> writes;
  std::map<std::string, ChainHead> updated;
  for (auto& e : batch) {
    auto head = updated.count(e.tenant) ? StatusOr<ChainHead>(updated[e.tenant]) : LoadHead(e.tenant);
    if (!head.ok()) continue;  // unknown tenant (deleted?): nothing to chain to
    ChainHead h = *head;
    json::object entry{{"seq", h.seq + 1},         {"time", FormatTime(e.time_ms)},
                       {"principal", e.principal}, {"role", e.role},
                       {"method", e.method},       {"route", e.route},
                       {"object", e.path},         {"status", e.status},
                       {"remote", e.remote},       {"prevHash", h.hash}};
    h.seq += 1;
    h.hash = EntryHash(entry);
    entry["hash"] = h.hash;
    writes.push_back({e.tenant, std::string(kCollection), SeqId(h.seq), json::serialize(entry)});
    updated[e.tenant] = h;
  }
  for (const auto& [tenant, h] : updated) {
    writes.push_back({tenant, std::string(kHeadCollection), "head",
                      json::serialize(json::object{{"seq", h.seq}, {"hash", h.hash}})});
  }
  if (writes.empty()) return;
  Status s = store_.WriteRecords(writes);
  if (s.ok()) {
    for (const auto& [tenant, h] : updated) heads_[tenant] = h;
  } else {
    std::fprintf(stderr, "audit: could not write %zu entries: %s\n", batch.size(), s.ToString().c_str());
  }
}

StatusOr<storage::Page<json::object>> AuditLog::Read(const std::string& tenant, const std::string& page_token,
                                                     size_t page_size) {
  Flush();
  DOSSIER_ASSIGN_OR_RETURN(auto page, store_.ListRecords(tenant, kCollection, page_token, page_size));
  storage::Page<json::object> out;
  out.next_page_token = page.next_page_token;
  for (auto& [id, text] : page.items) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return DataLoss("audit entry " + id + " does not parse", "corruption");
    out.items.push_back(std::move(v.as_object()));
  }
  return out;
}

Status AuditLog::VerifyChain(const std::string& tenant) {
  Flush();
  std::string token, prev;
  uint64_t expected_seq = 1;
  do {
    DOSSIER_ASSIGN_OR_RETURN(auto page, store_.ListRecords(tenant, kCollection, token, 500));
    for (auto& [id, text] : page.items) {
      boost::system::error_code ec;
      json::value v = json::parse(text, ec);
      if (ec || !v.is_object())
        return DataLoss("audit entry " + id + " does not parse", "audit-chain-broken");
      json::object entry = v.as_object();
      const std::string hash(entry.at("hash").as_string());
      entry.erase("hash");
      if (entry.at("seq").to_number<uint64_t>() != expected_seq || entry.at("prevHash").as_string() != prev ||
          EntryHash(entry) != hash) {
        return DataLoss("audit entry " + std::to_string(expected_seq) + " does not link to its predecessor",
                        "audit-chain-broken");
      }
      prev = hash;
      ++expected_seq;
    }
    token = page.next_page_token;
  } while (!token.empty());
  return Status::Ok();
}

}  // namespace dossier::server
