// Readable input errors and output for the dossier CLI: JSON files read with
// line and column on error, JSON written with plain decimals, schema
// messages that list an enum's valid values instead of a protobuf type URL,
// and fixed-width tables.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace dossier::cli {

// The JSON text of file `path`; throws Failure (local) naming `what`, the
// file, and the line and column of a syntax error.
boost::json::value ReadJsonFile(const std::filesystem::path& path, const std::string& what);
// The same check for text already read; "" when it parses, else
// "line L, column C: <problem>".
std::string JsonSyntaxError(std::string_view text);

// JSON text with numbers as people write them (0.93, never 9.3E-1).
std::string CompactJson(const boost::json::value& v);

// A number for people: integers without a fraction, others with up to
// `digits` significant digits ("0.93", "412").
std::string PlainNumber(const boost::json::value& v, int digits = 6);
// A member as text for a table cell: strings as they are, numbers via
// PlainNumber (also integers sent as decimal strings), booleans as yes/no,
// "" when missing or null.
std::string Cell(const boost::json::object& o, std::string_view member);

// `message` with protobuf type URLs ("for type type.googleapis.com/
// dossier.v1.Decision.Outcome") replaced by the enum's valid values.
std::string ReadableSchemaMessage(const std::string& message);

// Rows under a header, each column as wide as its widest cell (the last
// column is not padded).
void PrintTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

}  // namespace dossier::cli
