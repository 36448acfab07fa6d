// ClientCore: the transparency log. The log key is pinned on first fetch;
// the last verified checkpoint per server is remembered (in memory and in
// ClientOptions::checkpoint_file) and every newer one must prove consistency.
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core.h"
#include "trust/merkle.h"

namespace dossier::client {
namespace json = boost::json;
namespace fs = std::filesystem;
using internal::FromJson;
using internal::HttpRequest;
using internal::RememberedCheckpoint;

// With pins, the server's key must be one of them, valid now, and its origin
// the pinned one: a server presenting another key is refused, not believed.
Status ClientCore::CheckAgainstPins(const LogPublicKey& key) const {
  const std::string& origin = options_.log_trust.origin;
  if (!origin.empty() && key.origin != origin) {
    return DataLoss("the server's log is \"" + key.origin + "\", not the pinned \"" + origin + "\"",
                    "log-origin-mismatch");
  }
  if (memory_->pins.empty()) return Status::Ok();
  for (const auto& pinned : internal::PinnedKeysAt(memory_->pins, std::chrono::system_clock::now())) {
    if (pinned.KeyId() == key.key_id) return Status::Ok();
  }
  return DataLoss("the server's log key " + key.key_id + " is not one of the keys pinned for now",
                  "log-key-not-pinned");
}

ClientCore::Task<LogPublicKey> ClientCore::GetLogPublicKey() {
  if (memory_->log_key) {
    // A pinned key's window may close while the client lives.
    if (Status pinned = CheckAgainstPins(*memory_->log_key); !pinned.ok()) co_return pinned;
    co_return *memory_->log_key;
  }
  CO_ASSIGN_OR_RETURN(auto out, co_await GetAs<LogPublicKey>("/v1/log/public-key"));
  out.key_id = out.key.KeyId();  // what the key is, not what the answer claims
  if (Status pinned = CheckAgainstPins(out); !pinned.ok()) co_return pinned;
  // Another coroutine may have pinned one meanwhile; it must be the same key.
  if (memory_->log_key && memory_->log_key->key_id != out.key_id) {
    co_return DataLoss("the server's log key changed", "log-key-changed");
  }
  memory_->log_key = out;
  co_return out;
}

ClientCore::Task<trust::Checkpoint> ClientCore::GetCheckpoint() {
  CO_ASSIGN_OR_RETURN(auto key, co_await GetLogPublicKey());
  HttpRequest r;
  r.method = "GET";
  r.target = "/v1/log/checkpoint";
  r.idempotent = true;
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  CO_ASSIGN_OR_RETURN(auto checkpoint, trust::OpenCheckpoint(response.body, key.origin, key.key));
  if (checkpoint.origin != key.origin) co_return DataLoss("checkpoint of another log", "wrong-log-origin");
  CO_ASSIGN_OR_RETURN(auto remembered, co_await CheckAndRememberCheckpoint(checkpoint));
  (void)remembered;
  co_return checkpoint;
}

// The file is a cache of what was verified: an unreadable one, or an entry
// that does not parse, is treated as not seen yet.
void ClientCore::LoadCheckpointFile() {
  memory_->checkpoint_file_loaded = true;
  if (options_.checkpoint_file.empty()) return;
  std::ifstream in(options_.checkpoint_file, std::ios::binary);
  if (!in) return;  // first use
  std::stringstream text;
  text << in.rdbuf();
  auto file = internal::ParseObject(text.str());
  if (!file.ok()) return;
  const json::value* servers = file->if_contains("servers");
  if (servers == nullptr || !servers->is_object()) return;
  for (const auto& [server, entry] : servers->as_object()) {
    auto remembered = FromJson<RememberedCheckpoint>(entry);
    if (remembered.ok()) memory_->checkpoints[std::string(server)] = std::move(*remembered);
  }
}

Status ClientCore::SaveCheckpointFile() {
  if (options_.checkpoint_file.empty()) return Status::Ok();
  json::object servers;
  for (const auto& [server, remembered] : memory_->checkpoints)
    servers[server] = internal::ToJson(remembered);
  const std::string text = json::serialize(json::object{{"servers", std::move(servers)}}) + "\n";
  const std::string tmp = options_.checkpoint_file.string() + ".tmp";
  std::error_code ec;
  fs::create_directories(options_.checkpoint_file.parent_path(), ec);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status(StatusCode::kInternal, "cannot write " + tmp, "io-error");
  ::fchmod(fileno(f), 0600);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  fs::rename(tmp, options_.checkpoint_file, ec);
  if (!ok || ec)
    return Status(StatusCode::kInternal, "cannot write " + options_.checkpoint_file.string(), "io-error");
  return Status::Ok();
}

ClientCore::Task<ClientCore::Done> ClientCore::CheckAndRememberCheckpoint(trust::Checkpoint checkpoint) {
  if (!memory_->checkpoint_file_loaded) LoadCheckpointFile();
  const std::string& server = transport_->server_key();
  auto it = memory_->checkpoints.find(server);
  if (it != memory_->checkpoints.end()) {
    // Copy: the map may change while this coroutine waits for the proof.
    const RememberedCheckpoint seen = it->second;
    // The file says which log this server was; a server now showing another
    // log is not a newer checkpoint of the same one. Files written before the
    // origin was recorded have none.
    if (!seen.origin.empty() && seen.origin != checkpoint.origin) {
      co_return DataLoss("this server's log was \"" + seen.origin + "\" and is now \"" + checkpoint.origin +
                             "\"; remove the remembered checkpoint only if the change is expected",
                         "log-origin-changed");
    }
    if (checkpoint.tree_size == seen.tree_size) {
      if (checkpoint.root_hash != seen.root_hash) {
        co_return DataLoss("the log shows two different trees of size " + std::to_string(seen.tree_size),
                           "log-fork");
      }
      co_return Done{};
    }
    // Prove that the smaller tree is a prefix of the larger one, either way
    // round; only a newer checkpoint replaces the remembered one.
    const bool newer = checkpoint.tree_size > seen.tree_size;
    const uint64_t from = newer ? seen.tree_size : checkpoint.tree_size;
    const uint64_t to = newer ? checkpoint.tree_size : seen.tree_size;
    // Every tree extends the empty one and there is no proof from size 0
    // (RFC 6962 defines none; the server refuses from=0): VerifyConsistency
    // then only checks that the empty side's root is the empty tree's.
    std::vector<std::string> proof;
    if (from > 0) {
      CO_ASSIGN_OR_RETURN(proof, co_await GetConsistencyProof(from, to));
    }
    Status consistent = newer
                            ? trust::VerifyConsistency(from, to, proof, seen.root_hash, checkpoint.root_hash)
                            : trust::VerifyConsistency(from, to, proof, checkpoint.root_hash, seen.root_hash);
    if (!consistent.ok()) {
      co_return DataLoss("the log's checkpoint of size " + std::to_string(checkpoint.tree_size) +
                             " is not consistent with the one of size " + std::to_string(seen.tree_size) +
                             " seen before: the log was rewritten",
                         "consistency-proof-invalid");
    }
    if (!newer) co_return Done{};
  }
  memory_->checkpoints[server] = {checkpoint.tree_size, checkpoint.root_hash, checkpoint.origin,
                                  memory_->log_key ? memory_->log_key->key_id : std::string()};
  if (Status saved = SaveCheckpointFile(); !saved.ok()) co_return saved;
  co_return Done{};
}

ClientCore::Task<std::vector<std::string>> ClientCore::GetProof(std::string target) {
  CO_ASSIGN_OR_RETURN(auto o, co_await CallJson("GET", std::move(target), {}, true));
  co_return internal::ProofFromJson(json::value(std::move(o)));
}

ClientCore::Task<std::vector<std::string>> ClientCore::GetInclusionProof(uint64_t leaf_index,
                                                                         uint64_t tree_size) {
  co_return co_await GetProof("/v1/log/proofs/inclusion?leafIndex=" + std::to_string(leaf_index) +
                              "&treeSize=" + std::to_string(tree_size));
}

ClientCore::Task<std::vector<std::string>> ClientCore::GetConsistencyProof(uint64_t from_size,
                                                                           uint64_t to_size) {
  co_return co_await GetProof("/v1/log/proofs/consistency?from=" + std::to_string(from_size) +
                              "&to=" + std::to_string(to_size));
}

}  // namespace dossier::client
