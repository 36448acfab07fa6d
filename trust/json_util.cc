#include "trust/json_util.h"

#include <boost/json/basic_parser_impl.hpp>
#include <set>
#include <string>
#include <vector>

namespace dossier::trust {
namespace {

using boost::json::error_code;
using boost::json::string_view;

// A SAX handler that only tracks member names per open object.
struct DuplicateKeyHandler {
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);

  std::vector<std::set<std::string>> objects;
  std::string key;
  std::string duplicate;
  bool found_duplicate = false;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t, error_code&) { return true; }
  bool on_object_begin(error_code&) {
    objects.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    objects.pop_back();
    return true;
  }
  bool on_string_part(string_view, std::size_t, error_code&) { return true; }
  bool on_string(string_view, std::size_t, error_code&) { return true; }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code& ec) {
    key.append(s.data(), s.size());
    bool inserted = objects.back().insert(key).second;
    if (!inserted) {
      duplicate = key;
      found_duplicate = true;
      ec = boost::json::make_error_code(boost::json::error::syntax);
      return false;
    }
    key.clear();
    return true;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(int64_t, string_view, error_code&) { return true; }
  bool on_uint64(uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }
};

}  // namespace

Status CheckNoDuplicateKeys(std::string_view json) {
  boost::json::basic_parser<DuplicateKeyHandler> parser{boost::json::parse_options{}};
  error_code ec;
  parser.write_some(false, json.data(), json.size(), ec);
  if (parser.handler().found_duplicate) {
    return InvalidArgument("duplicate JSON member \"" + parser.handler().duplicate + "\"", "duplicate-key");
  }
  return Status::Ok();
}

}  // namespace dossier::trust
