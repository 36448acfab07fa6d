// Key layout of the embedded store. Every tenant-scoped key starts with the
// tenant's fixed-width number (8 bytes, big-endian), so a tenant's keys form
// one contiguous range and every scan is bounded to it (Kvrocks' namespace
// prefix idea). Numbers and versions are big-endian so byte order is numeric
// order.
//
//   column family  key                                            value
//   tenants        tenant id                                      TenantRecord
//   credentials    'h' secret-hash(32)                            TokenRecord
//                  'i' tn(8) token-id                             secret-hash
//   keys           tn(8) key-id(hex)                              KeyRecord
//   blobs          tn(8) digest(32 raw)                           BlobRecord
//   objects        tn(8) kind 0x00 id                             ObjectRecord
//   versions       tn(8) kind 0x00 id 0x00 version(8)             VersionRecord
//   feed           tn(8) seq(8)                                   FeedEntry
//   records        tn(8) collection 0x00 id                       opaque value
//   log            'l' index(8)                                   leaf data
//                  'n' level(1) index(8)                          complete-subtree hash
//   default        "log-size" | "tenant-counter" | "feed-seq/" tn | "setting/" name
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dossier::storage::keys {

inline void AppendBigEndian64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

inline std::string BigEndian64(uint64_t v) {
  std::string out;
  AppendBigEndian64(&out, v);
  return out;
}

// Reads 8 big-endian bytes; `bytes` must hold at least 8.
inline uint64_t ReadBigEndian64(std::string_view bytes) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return v;
}

inline std::string TenantPrefix(uint64_t tenant_number) { return BigEndian64(tenant_number); }

inline std::string TokenByHash(std::string_view secret_hash) { return "h" + std::string(secret_hash); }

inline std::string TokenIndex(uint64_t tn, std::string_view token_id) {
  return "i" + BigEndian64(tn) + std::string(token_id);
}
inline std::string TokenIndexPrefix(uint64_t tn) { return "i" + BigEndian64(tn); }

inline std::string Key(uint64_t tn, std::string_view key_id) { return BigEndian64(tn) + std::string(key_id); }

inline std::string Blob(uint64_t tn, std::string_view raw_digest) {
  return BigEndian64(tn) + std::string(raw_digest);
}

inline std::string ObjectPrefix(uint64_t tn, std::string_view kind) {
  std::string k = BigEndian64(tn);
  k.append(kind);
  k.push_back('\0');
  return k;
}
inline std::string Object(uint64_t tn, std::string_view kind, std::string_view id) {
  return ObjectPrefix(tn, kind) + std::string(id);
}

inline std::string VersionPrefix(uint64_t tn, std::string_view kind, std::string_view id) {
  std::string k = Object(tn, kind, id);
  k.push_back('\0');
  return k;
}
inline std::string Version(uint64_t tn, std::string_view kind, std::string_view id, uint64_t version) {
  std::string k = VersionPrefix(tn, kind, id);
  AppendBigEndian64(&k, version);
  return k;
}

inline std::string RecordPrefix(uint64_t tn, std::string_view collection) { return ObjectPrefix(tn, collection); }
inline std::string Record(uint64_t tn, std::string_view collection, std::string_view id) {
  return Object(tn, collection, id);
}

inline std::string Feed(uint64_t tn, uint64_t seq) { return BigEndian64(tn) + BigEndian64(seq); }
inline std::string FeedSeq(uint64_t tn) { return "feed-seq/" + BigEndian64(tn); }

inline std::string LogLeaf(uint64_t index) { return "l" + BigEndian64(index); }
inline std::string LogNode(int level, uint64_t index) {
  std::string k = "n";
  k.push_back(static_cast<char>(level));
  AppendBigEndian64(&k, index);
  return k;
}

inline constexpr std::string_view kLogSize = "log-size";
inline constexpr std::string_view kTenantCounter = "tenant-counter";
inline std::string Setting(std::string_view name) { return "setting/" + std::string(name); }

// The smallest key greater than every key starting with `prefix`, for
// iterate_upper_bound. `prefix` must not be all 0xff bytes.
inline std::string PrefixSuccessor(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last != 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

}  // namespace dossier::storage::keys
