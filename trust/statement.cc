#include "trust/statement.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "trust/digest.h"
#include "trust/json_util.h"

namespace dossier::trust {
namespace {

Status BadStatement(std::string message, std::string field = {}) {
  return InvalidArgument(std::move(message), "bad-statement", std::move(field));
}

StatusOr<std::string> RequiredString(const boost::json::object& obj, const char* name, bool allow_empty) {
  const boost::json::value* v = obj.if_contains(name);
  if (v == nullptr) return BadStatement(std::string(name) + " is required", name);
  if (!v->is_string()) return BadStatement(std::string(name) + " must be a string", name);
  if (!allow_empty && v->get_string().empty())
    return BadStatement(std::string(name) + " must not be empty", name);
  return std::string(v->get_string());
}

}  // namespace

StatusOr<Statement> ParseStatement(std::string_view json) {
  if (Status dup = CheckNoDuplicateKeys(json); !dup.ok()) return BadStatement(dup.message());
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(boost::json::string_view(json.data(), json.size()), ec);
  if (ec) return BadStatement("statement is not valid JSON: " + ec.message());
  const boost::json::object* obj = v.if_object();
  if (obj == nullptr) return BadStatement("statement must be a JSON object");
  for (const auto& member : *obj) {
    std::string_view key(member.key().data(), member.key().size());
    if (key != "tenant" && key != "object" && key != "version" && key != "parentDigest" &&
        key != "contentDigest" && key != "mediaType") {
      return BadStatement("unknown member " + std::string(key), std::string(key));
    }
  }
  Statement s;
  DOSSIER_ASSIGN_OR_RETURN(s.tenant, RequiredString(*obj, "tenant", false));
  DOSSIER_ASSIGN_OR_RETURN(s.object, RequiredString(*obj, "object", false));

  const boost::json::value* version = obj->if_contains("version");
  if (version == nullptr) return BadStatement("version is required", "version");
  if (version->is_int64() && version->get_int64() >= 1) {
    s.version = static_cast<uint64_t>(version->get_int64());
  } else if (version->is_uint64()) {
    s.version = version->get_uint64();
  } else {
    return BadStatement("version must be an integer >= 1", "version");
  }

  DOSSIER_ASSIGN_OR_RETURN(s.parent_digest, RequiredString(*obj, "parentDigest", true));
  if (!s.parent_digest.empty() && !IsDigestRef(s.parent_digest)) {
    return BadStatement("parentDigest must be \"\" or sha256:<64 lowercase hex>", "parentDigest");
  }
  DOSSIER_ASSIGN_OR_RETURN(s.content_digest, RequiredString(*obj, "contentDigest", false));
  if (!IsDigestRef(s.content_digest)) {
    return BadStatement("contentDigest must be sha256:<64 lowercase hex>", "contentDigest");
  }
  DOSSIER_ASSIGN_OR_RETURN(s.media_type, RequiredString(*obj, "mediaType", false));
  return s;
}

std::string SerializeStatement(const Statement& statement) {
  boost::json::object obj;
  obj["tenant"] = statement.tenant;
  obj["object"] = statement.object;
  obj["version"] = statement.version;
  obj["parentDigest"] = statement.parent_digest;
  obj["contentDigest"] = statement.content_digest;
  obj["mediaType"] = statement.media_type;
  return boost::json::serialize(obj);
}

}  // namespace dossier::trust
