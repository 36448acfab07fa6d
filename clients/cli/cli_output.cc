#include "cli_output.h"

#include <google/protobuf/descriptor.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <regex>

#include "cli_util.h"

namespace dossier::cli {
namespace json = boost::json;
namespace fs = std::filesystem;

std::string JsonSyntaxError(std::string_view text) {
  json::stream_parser parser;
  boost::system::error_code ec;
  const size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (!ec) return "";
  // write_some stops where the text stopped making sense.
  const size_t at = std::min(consumed, text.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " +
         (at >= text.size() ? "the JSON ends too early" : "JSON " + ec.message());
}

json::value ReadJsonFile(const fs::path& path, const std::string& what) {
  const std::string text = ReadTextFile(path, what);
  if (std::string problem = JsonSyntaxError(text); !problem.empty()) {
    throw Failure{kExitLocal, what + " " + path.string() + ": " + problem};
  }
  return json::parse(text);
}

std::string PlainNumber(const json::value& v, int digits) {
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (!v.is_double()) return "";
  const double d = v.as_double();
  if (!std::isfinite(d)) return std::to_string(d);
  if (d == std::floor(d) && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, d);
  std::string out = buf;
  if (out.find('e') != std::string::npos) {
    std::snprintf(buf, sizeof buf, "%.*f", digits, d);  // never exponent form
    out = buf;
    while (!out.empty() && out.back() == '0') out.pop_back();
    if (!out.empty() && out.back() == '.') out.pop_back();
  }
  return out;
}

namespace {

// Shortest text that reads back as the same double, without an exponent
// for the magnitudes a dossier holds.
std::string ExactDecimal(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string shortest(buf, ec == std::errc() ? end : buf);
  if (shortest.find('e') == std::string::npos) {
    if (shortest.find('.') == std::string::npos && std::isfinite(d)) shortest += ".0";
    return shortest;
  }
  auto [fend, fec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  return fec == std::errc() ? std::string(buf, fend) : shortest;
}

void Write(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, val] : v.as_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::value(k)) + ":";
        Write(out, val);
      }
      out += '}';
      break;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& val : v.as_array()) {
        if (!first) out += ',';
        first = false;
        Write(out, val);
      }
      out += ']';
      break;
    }
    case json::kind::double_:
      out += ExactDecimal(v.as_double());
      break;
    default:
      out += json::serialize(v);
  }
}

}  // namespace

std::string CompactJson(const json::value& v) {
  std::string out;
  Write(out, v);
  return out;
}

std::string Cell(const json::object& o, std::string_view member) {
  const json::value* v = o.if_contains(member);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_bool()) return v->as_bool() ? "yes" : "no";
  if (v->is_number()) return PlainNumber(*v);
  return CompactJson(*v);
}

std::string ReadableSchemaMessage(const std::string& message) {
  static const std::regex type_url(R"((for type )?type\.googleapis\.com/([A-Za-z0-9_.]+))");
  std::smatch m;
  if (!std::regex_search(message, m, type_url)) return message;
  const std::string name = m[2].str();
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::string replacement;
  if (const auto* e = pool->FindEnumTypeByName(name)) {
    replacement = "; valid values: ";
    for (int i = 0; i < e->value_count(); ++i) {
      const std::string& value = e->value(i)->name();
      if (value.size() > 12 && value.compare(value.size() - 12, 12, "_UNSPECIFIED") == 0) continue;
      replacement += (replacement.back() == ' ' ? "" : ", ") + value;
    }
  } else {
    // Not an enum: name the message type without the URL.
    const size_t dot = name.rfind('.');
    replacement = "for " + (dot == std::string::npos ? name : name.substr(dot + 1));
  }
  std::string out = m.prefix().str();
  while (!out.empty() && out.back() == ' ' && replacement[0] == ';') out.pop_back();
  return out + replacement + m.suffix().str();
}

void PrintTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  };
  print(header);
  for (const auto& row : rows) print(row);
}

}  // namespace dossier::cli
