#include "server/audit.h"

#include <cstdio>

#include "dossier/storage/v1/records.pb.h"
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

// The hash covers the previous hash and every member but "hash" itself: the
// SHA-256 of the entry's JSON without "hash", members in the order below (the
// order GET …/audit shows them), as Boost.JSON serialises it.
std::string EntryDigest(const json::object& entry_without_hash) {
  return trust::Sha256(json::serialize(entry_without_hash));
}

json::object EntryJson(const storage::v1::AuditEntryRecord& r) {
  return json::object{{"seq", r.seq()},
                      {"time", FormatTime(r.time_ms())},
                      {"principal", r.principal()},
                      {"role", r.role()},
                      {"method", r.method()},
                      {"route", r.route()},
                      {"object", r.object()},
                      {"status", r.status()},
                      {"remote", r.remote()},
                      {"prevHash", trust::HexEncode(r.prev_hash())}};
}

// A stored entry, as JSON with its hash. Entries are stored as an
// AuditEntryRecord (less than half the bytes of the JSON: the audit log is
// written on every request, and RocksDB's flushes and compactions of it were
// a tenth of a GET's CPU); those written before are JSON text, and a JSON
// object cannot be mistaken for the record (whose first byte is field 1's tag).
struct StoredEntry {
  json::object without_hash;
  std::string hash_hex;
};

StatusOr<StoredEntry> DecodeEntry(const std::string& id, const std::string& stored, std::string_view reason) {
  StoredEntry out;
  if (!stored.empty() && stored.front() == '{') {
    boost::system::error_code ec;
    json::value v = json::parse(stored, ec);
    const json::value* hash = !ec && v.is_object() ? v.as_object().if_contains("hash") : nullptr;
    if (hash == nullptr || !hash->is_string()) {
      return DataLoss("audit entry " + id + " does not parse", std::string(reason));
    }
    out.hash_hex = std::string(hash->as_string());
    out.without_hash = std::move(v.as_object());
    out.without_hash.erase("hash");  // the last member: the others keep their order
    return out;
  }
  storage::v1::AuditEntryRecord record;
  if (!record.ParseFromString(stored) || record.hash().size() != 32) {
    return DataLoss("audit entry " + id + " does not parse", std::string(reason));
  }
  out.without_hash = EntryJson(record);
  out.hash_hex = trust::HexEncode(record.hash());
  return out;
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
      auto hash = trust::HexDecode(v.at("hash").as_string());
      if (!hash.ok()) {  // a head this writer did not write: nothing sound to chain to
        std::fprintf(stderr, "audit: the chain head of tenant %s is not hex; entry not written\n",
                     tenant.c_str());
        return hash.status();
      }
      head.hash = std::move(*hash);
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
  storage::v1::AuditEntryRecord record;
  for (auto& e : batch) {
    auto head = updated.count(e.tenant) ? StatusOr<ChainHead>(updated[e.tenant]) : LoadHead(e.tenant);
    if (!head.ok()) continue;  // unknown tenant (deleted?): nothing to chain to
    ChainHead h = *head;
    record.Clear();
    record.set_seq(h.seq + 1);
    record.set_time_ms(e.time_ms);
    record.set_principal(std::move(e.principal));
    record.set_role(std::move(e.role));
    record.set_method(std::move(e.method));
    record.set_route(std::move(e.route));
    record.set_object(std::move(e.path));
    record.set_status(e.status);
    record.set_remote(std::move(e.remote));
    record.set_prev_hash(h.hash);
    record.set_hash(EntryDigest(EntryJson(record)));
    h.seq += 1;
    h.hash = record.hash();
    writes.push_back({e.tenant, std::string(kCollection), SeqId(h.seq), record.SerializeAsString()});
    updated[e.tenant] = h;
  }
  for (const auto& [tenant, h] : updated) {
    writes.push_back({tenant, std::string(kHeadCollection), "head",
                      json::serialize(json::object{{"seq", h.seq}, {"hash", trust::HexEncode(h.hash)}})});
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
  for (auto& [id, stored] : page.items) {
    DOSSIER_ASSIGN_OR_RETURN(StoredEntry entry, DecodeEntry(id, stored, "corruption"));
    entry.without_hash["hash"] = std::move(entry.hash_hex);
    out.items.push_back(std::move(entry.without_hash));
  }
  return out;
}

Status AuditLog::VerifyChain(const std::string& tenant) {
  Flush();
  std::string token, prev;
  uint64_t expected_seq = 1;
  do {
    DOSSIER_ASSIGN_OR_RETURN(auto page, store_.ListRecords(tenant, kCollection, token, 500));
    for (auto& [id, stored] : page.items) {
      DOSSIER_ASSIGN_OR_RETURN(StoredEntry entry, DecodeEntry(id, stored, "audit-chain-broken"));
      const json::value* seq = entry.without_hash.if_contains("seq");
      const json::value* prev_hash = entry.without_hash.if_contains("prevHash");
      if (seq == nullptr || !seq->is_number() || prev_hash == nullptr || !prev_hash->is_string() ||
          seq->to_number<uint64_t>() != expected_seq || prev_hash->as_string() != prev ||
          trust::HexEncode(EntryDigest(entry.without_hash)) != entry.hash_hex) {
        return DataLoss("audit entry " + std::to_string(expected_seq) + " does not link to its predecessor",
                        "audit-chain-broken");
      }
      prev = std::move(entry.hash_hex);
      ++expected_seq;
    }
    token = page.next_page_token;
  } while (!token.empty());
  return Status::Ok();
}

}  // namespace dossier::server
