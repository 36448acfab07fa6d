// The kinds of versioned, signed objects the server keeps (dossiers, change
// plans, ...). Each kind says how its content is parsed and validated; the
// version machinery in api.cc is the same for all of them.
#pragma once

#include <google/protobuf/descriptor.h>

#include <boost/json.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "schema/dossier_codec.h"

namespace dossier::server {

struct ParsedContent {
  std::string canonical_json;  // protobuf JSON mapping, lowerCamelCase
  std::string protobuf_bytes;  // the same content as protobuf binary
  // Every blob the content refers to, with the JSON path of the reference.
  std::vector<std::pair<std::string, std::string>> referenced_blobs;
};

struct ContentKind {
  std::string collection;   // URL collection and storage kind: "dossiers"
  std::string singular;     // "a dossier"
  std::string list_member;  // member of the list response: "dossiers"
  std::string media_base;   // "application/vnd.dossier.v1" (+json / +protobuf)
  // Members of the create request beyond id and title, each naming a dossier
  // of the same tenant (e.g. a change plan's "dossier").
  std::vector<std::string> create_attributes;
  std::string create_example;
  // The content's protobuf message (its JSON-mapping schema goes into
  // /openapi.json) and the prefix of this kind's schema names there
  // ("Dossier" -> DossierCreate, DossierObject, DossierVersion).
  const google::protobuf::Descriptor* message = nullptr;
  std::string schema_name;
  // Parses and validates content; errors carry the field path inside it.
  std::function<StatusOr<ParsedContent>(std::string_view bytes, schema::ContentFormat format)> parse;
  // As parse, but leaves canonical_json and protobuf_bytes empty: a commit
  // needs only validity and the referenced blobs, and rendering the content
  // back to JSON was about a tenth of a commit's CPU (docs/PERFORMANCE.md).
  // Empty for kinds whose parse is cheap anyway; then parse is used.
  std::function<StatusOr<ParsedContent>(std::string_view bytes, schema::ContentFormat format)> validate;
  // Section-level difference of two contents, or empty when the kind has none.
  std::function<StatusOr<boost::json::object>(std::string_view from, std::string_view from_media,
                                              std::string_view to, std::string_view to_media)>
      diff;
};

// Dossiers and change plans.
std::vector<ContentKind> BuiltInContentKinds();

}  // namespace dossier::server
