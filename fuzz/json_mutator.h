// Structure-aware mutation for JSON inputs (issue 20): libFuzzer's byte
// mutations break JSON syntax in most of their changes, so the JSON targets
// spent their time in the parser's first error path. MutateJson parses the
// text with Boost.JSON, changes the document at one place (a value, a member,
// the shape of an array or object, or a subtree copied from elsewhere in the
// document or from a second input) and prints it again: the result is always
// JSON, so the changes reach the decoding and validation behind the parser.
//
// A target uses it from LLVMFuzzerCustomMutator / LLVMFuzzerCustomCrossOver
// for part of the mutations and keeps libFuzzer's own (LLVMFuzzerMutate, with
// the target's dictionary) for the rest, which still test the parser itself.
// Only the libFuzzer build defines those hooks (DOSSIER_FUZZ_LIBFUZZER); the
// replay build never mutates.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace dossier::fuzz {

namespace json = boost::json;

// False when DOSSIER_FUZZ_BYTES_ONLY is set: the hooks then leave every
// mutation to libFuzzer, so the same binary measures coverage with and
// without structure-aware mutation (docs/FUZZING.md).
inline bool StructureAware() {
  static const bool on = std::getenv("DOSSIER_FUZZ_BYTES_ONLY") == nullptr;
  return on;
}

// Parses `text` as one JSON document (comments, trailing commas and other
// extensions refused, as the server refuses them); nullopt if it is not one.
inline std::optional<json::value> ParseJsonDocument(std::string_view text) {
  if (text.empty()) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return std::nullopt;
  return v;
}

class JsonMutator {
 public:
  explicit JsonMutator(unsigned seed) : rng_(seed) {}

  // Applies 1 to 3 structural changes to `root`.
  void Mutate(json::value& root) {
    const int rounds = 1 + static_cast<int>(Below(3));
    for (int i = 0; i < rounds; ++i) MutateOnce(root);
  }

  // Replaces one node of `root` by a copy of a node of `other`.
  void CrossOver(json::value& root, const json::value& other) {
    std::vector<const json::value*> donors;
    CollectConst(other, donors);
    std::vector<Slot> slots;
    Collect(root, nullptr, slots);
    if (donors.empty() || slots.empty()) return;
    *Pick(slots).node = *donors[Below(donors.size())];
  }

 private:
  // A node and the container holding it (nullptr for the root).
  struct Slot {
    json::value* node;
    json::value* parent;
  };

  size_t Below(size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  template <typename T>
  T& Pick(std::vector<T>& v) {
    return v[Below(v.size())];
  }

  static void Collect(json::value& v, json::value* parent, std::vector<Slot>& out) {
    out.push_back({&v, parent});
    if (v.is_object()) {
      for (auto& member : v.get_object()) Collect(member.value(), &v, out);
    } else if (v.is_array()) {
      for (auto& element : v.get_array()) Collect(element, &v, out);
    }
  }
  static void CollectConst(const json::value& v, std::vector<const json::value*>& out) {
    out.push_back(&v);
    if (v.is_object()) {
      for (const auto& member : v.get_object()) CollectConst(member.value(), out);
    } else if (v.is_array()) {
      for (const auto& element : v.get_array()) CollectConst(element, out);
    }
  }
  // Every member name and string value in the document: the vocabulary
  // (field names, enum values, codes, digests) that new members and values
  // are drawn from.
  static void Words(const json::value& v, std::vector<std::string>& names,
                    std::vector<std::string>& strings) {
    if (v.is_object()) {
      for (const auto& member : v.get_object()) {
        names.emplace_back(member.key());
        Words(member.value(), names, strings);
      }
    } else if (v.is_array()) {
      for (const auto& element : v.get_array()) Words(element, names, strings);
    } else if (v.is_string()) {
      strings.emplace_back(v.get_string());
    }
  }

  // Values at the edges of what decoders check: types, ranges, lengths.
  json::value Interesting(const std::vector<std::string>& strings) {
    switch (Below(16)) {
      case 0:
        return nullptr;
      case 1:
        return true;
      case 2:
        return false;
      case 3:
        return 0;
      case 4:
        return -1;
      case 5:
        return static_cast<int64_t>(INT32_MAX) + 1;
      case 6:
        return INT64_MIN;
      case 7:
        return UINT64_MAX;
      case 8:
        return 1e308;
      case 9:
        return 0.5;
      case 10:
        return "";
      case 11:
        return json::string(Below(2) ? 65 : 300, 'a');
      case 12:
        return json::string("sha256:" + std::string(64, Below(2) ? '0' : 'f'));
      case 13:
        return json::array();
      case 14:
        return json::object();
      default:
        return json::string(strings.empty() ? std::string("x") : strings[Below(strings.size())]);
    }
  }

  void MutateOnce(json::value& root) {
    std::vector<Slot> slots;
    Collect(root, nullptr, slots);
    std::vector<std::string> names, strings;
    Words(root, names, strings);
    Slot& at = Pick(slots);
    json::value& v = *at.node;
    switch (Below(10)) {
      case 0:  // a value of another type or at an edge
        v = Interesting(strings);
        return;
      case 1:  // a copy of another node of the same document
        v = json::value(*Pick(slots).node);
        return;
      case 2:  // remove this node from its container
        if (at.parent && at.parent->is_object()) {
          auto& obj = at.parent->get_object();
          for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (&it->value() == &v) {
              obj.erase(it);
              return;
            }
          }
        } else if (at.parent && at.parent->is_array()) {
          auto& arr = at.parent->get_array();
          arr.erase(arr.begin() + (&v - arr.data()));
        }
        return;
      case 3:  // a new or replaced member, named like one of the document's
        if (v.is_object()) {
          const std::string name = names.empty() ? std::string("x") : names[Below(names.size())];
          v.get_object()[name] = Below(2) ? Interesting(strings) : json::value(*Pick(slots).node);
        }
        return;
      case 4:  // rename a member
        if (v.is_object() && !v.get_object().empty() && !names.empty()) {
          auto& obj = v.get_object();
          auto it = obj.begin() + static_cast<std::ptrdiff_t>(Below(obj.size()));
          json::value moved = std::move(it->value());
          obj.erase(it);
          obj[names[Below(names.size())]] = std::move(moved);
        }
        return;
      case 5:  // grow, shrink or reorder an array
        if (v.is_array()) {
          auto& arr = v.get_array();
          const size_t op = Below(4);
          if (op == 0 && !arr.empty()) {
            arr.push_back(json::value(arr[Below(arr.size())]));
          } else if (op == 1 && arr.size() > 1) {
            std::swap(arr[Below(arr.size())], arr[Below(arr.size())]);
          } else if (op == 2) {
            arr.clear();
          } else {
            arr.push_back(Interesting(strings));
          }
        }
        return;
      case 6:  // numbers: off by one, sign, scale
        if (v.is_int64()) {
          // In uint64_t, where overflow wraps (INT64_MIN - 1 is INT64_MAX).
          const uint64_t n = static_cast<uint64_t>(v.get_int64());
          const int64_t options[] = {static_cast<int64_t>(n + 1),
                                     static_cast<int64_t>(n - 1),
                                     static_cast<int64_t>(0 - n),
                                     static_cast<int64_t>(n << 1),
                                     0,
                                     v.get_int64() / 2};
          v = options[Below(6)];
        } else if (v.is_uint64()) {
          v = v.get_uint64() - 1;
        } else if (v.is_double()) {
          v = -v.get_double();
        }
        return;
      case 7:  // strings: cut, doubled, one character changed, another word
        if (v.is_string()) {
          std::string s(v.get_string());
          const size_t op = Below(4);
          if (op == 0) {
            s.resize(Below(s.size() + 1));
          } else if (op == 1) {
            s += s;
          } else if (op == 2 && !s.empty()) {
            s[Below(s.size())] = static_cast<char>(Below(2) ? Below(128) : 0xC3);
          } else if (!strings.empty()) {
            s = strings[Below(strings.size())];
          }
          v = json::string(s);
        }
        return;
      case 8:  // wrap in an array or an object
        if (Below(2)) {
          v = json::array{json::value(v)};
        } else {
          const std::string name = names.empty() ? std::string("x") : names[Below(names.size())];
          json::object obj;
          obj[name] = json::value(v);
          v = std::move(obj);
        }
        return;
      default:  // deep nesting
        for (size_t i = 0, depth = 1 + Below(64); i < depth; ++i) v = json::array{json::value(v)};
        return;
    }
  }

  std::minstd_rand rng_;
};

// The JSON text `text` mutated, or nullopt when `text` is not JSON or the
// result would not fit in `max_size` bytes.
inline std::optional<std::string> MutateJsonText(std::string_view text, size_t max_size, unsigned seed) {
  auto doc = ParseJsonDocument(text);
  if (!doc) return std::nullopt;
  JsonMutator(seed).Mutate(*doc);
  std::string out = json::serialize(*doc);
  if (out.size() > max_size) return std::nullopt;
  return out;
}

// `text` with one node replaced by a node of `other`; nullopt when either is
// not JSON or the result does not fit.
inline std::optional<std::string> CrossOverJsonText(std::string_view text, std::string_view other,
                                                    size_t max_size, unsigned seed) {
  auto doc = ParseJsonDocument(text);
  auto donor = ParseJsonDocument(other);
  if (!doc || !donor) return std::nullopt;
  JsonMutator(seed).CrossOver(*doc, *donor);
  std::string out = json::serialize(*doc);
  if (out.size() > max_size) return std::nullopt;
  return out;
}

// Writes `prefix` followed by `body` over data[0..max_size); returns the new
// size, or 0 when it does not fit.
inline size_t WriteMutation(uint8_t* data, size_t max_size, std::string_view prefix, std::string_view body) {
  if (prefix.size() + body.size() > max_size) return 0;
  std::memmove(data, prefix.data(), prefix.size());
  std::memcpy(data + prefix.size(), body.data(), body.size());
  return prefix.size() + body.size();
}

// The size limit for one mutation of an input of `size` bytes: twice the
// input plus 64 bytes, at most `max_size`. Why: with a custom mutator,
// libFuzzer 14 stops growing its own limit gradually (-len_control) and offers
// -max_len at once; inputs then grew to 64 KiB within a minute and every
// execution slowed down with them.
inline size_t GrowthLimit(size_t size, size_t max_size) { return std::min(max_size, 2 * size + 64); }

// For inputs that are `prefix` bytes (kept) followed by a JSON text: the
// mutated input written over `data`, its size, or 0 when the text is not JSON
// or the result does not fit.
inline size_t MutateJsonAfter(uint8_t* data, size_t size, size_t max_size, size_t prefix, unsigned seed) {
  if (size <= prefix) return 0;
  std::minstd_rand rng(seed);
  const std::string head(reinterpret_cast<const char*>(data), prefix);
  auto out = MutateJsonText(std::string_view(reinterpret_cast<const char*>(data) + prefix, size - prefix),
                            max_size - prefix, static_cast<unsigned>(rng()));
  return out ? WriteMutation(data, max_size, head, *out) : 0;
}

// The same for a crossover of two such inputs, keeping the first one's prefix.
inline size_t CrossOverJsonAfter(const uint8_t* data1, size_t size1, const uint8_t* data2, size_t size2,
                                 uint8_t* out, size_t max_out, size_t prefix, unsigned seed) {
  if (size1 <= prefix || size2 <= prefix) return 0;
  const std::string head(reinterpret_cast<const char*>(data1), prefix);
  auto mixed =
      CrossOverJsonText(std::string_view(reinterpret_cast<const char*>(data1) + prefix, size1 - prefix),
                        std::string_view(reinterpret_cast<const char*>(data2) + prefix, size2 - prefix),
                        max_out - prefix, seed);
  return mixed ? WriteMutation(out, max_out, head, *mixed) : 0;
}

// libFuzzer's plain crossover, for inputs that are not JSON: the start of one
// input and the end of the other.
inline size_t SpliceBytes(const uint8_t* data1, size_t size1, const uint8_t* data2, size_t size2,
                          uint8_t* out, size_t max_out, unsigned seed) {
  std::minstd_rand rng(seed);
  const size_t take1 = size1 == 0 ? 0 : rng() % (size1 + 1);
  const size_t take2 = size2 == 0 ? 0 : rng() % (size2 + 1);
  const size_t n1 = std::min(take1, max_out);
  const size_t n2 = std::min(size2 - take2, max_out - n1);
  std::memcpy(out, data1, n1);
  std::memcpy(out + n1, data2 + take2, n2);
  return n1 + n2;
}

}  // namespace dossier::fuzz
