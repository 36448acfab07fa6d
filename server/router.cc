#include "server/router.h"

namespace dossier::server {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool Includes(Role have, Role need) {
  if (have == Role::kNone) return false;
  if (have == Role::kAdmin) return need != Role::kOperator;
  if (have == need) return true;
  switch (need) {
    case Role::kViewer:
      return have == Role::kReviewer || have == Role::kEditor;
    default:
      return false;
  }
}

}  // namespace

void Router::AddSchema(std::string name, std::string schema_json) {
  schemas_.emplace(std::move(name), std::move(schema_json));
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kNone:
      return "NONE";
    case Role::kViewer:
      return "VIEWER";
    case Role::kReviewer:
      return "REVIEWER";
    case Role::kEditor:
      return "EDITOR";
    case Role::kAdmin:
      return "ADMIN";
    case Role::kOperator:
      return "OPERATOR";
  }
  return "NONE";
}

StatusOr<Role> ParseTenantRole(std::string_view name) {
  if (name == "ADMIN") return Role::kAdmin;
  if (name == "EDITOR") return Role::kEditor;
  if (name == "REVIEWER") return Role::kReviewer;
  if (name == "VIEWER") return Role::kViewer;
  return InvalidArgument("role must be ADMIN, EDITOR, REVIEWER or VIEWER", "bad-role", "role");
}

std::string_view AccessName(Access access) {
  switch (access) {
    case Access::kPublic: return "public";
    case Access::kAuthenticated: return "authenticated";
    case Access::kOperator: return "operator";
    case Access::kOperatorOrTenantAdmin: return "operator or tenant ADMIN";
    case Access::kTenantViewer: return "tenant VIEWER";
    case Access::kTenantReviewer: return "tenant REVIEWER";
    case Access::kTenantEditorOrReviewer: return "tenant EDITOR or REVIEWER";
    case Access::kTenantEditor: return "tenant EDITOR";
    case Access::kTenantAdmin: return "tenant ADMIN";
    case Access::kTenantViewerOrReliancePeer: return "tenant VIEWER or reliance peer";
  }
  return "authenticated";
}

void Router::Add(Route route) {
  Compiled compiled;
  for (std::string_view part : SplitPath(route.pattern)) {
    Segment segment;
    size_t open = part.find('{');
    if (open == std::string_view::npos) {
      segment.prefix = std::string(part);
    } else {
      size_t close = part.find('}', open);
      segment.prefix = std::string(part.substr(0, open));
      segment.name = std::string(part.substr(open + 1, close - open - 1));
      segment.suffix = std::string(part.substr(close + 1));
    }
    compiled.segments.push_back(std::move(segment));
  }
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(compiled));
}

bool Router::MatchSegments(const Compiled& compiled, const std::vector<std::string_view>& parts,
                           std::map<std::string, std::string>* params) {
  if (parts.size() != compiled.segments.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& s = compiled.segments[i];
    std::string_view part = parts[i];
    if (s.name.empty()) {
      if (part != s.prefix) return false;
      continue;
    }
    if (part.size() <= s.prefix.size() + s.suffix.size()) return false;
    if (part.substr(0, s.prefix.size()) != s.prefix) return false;
    if (part.substr(part.size() - s.suffix.size()) != s.suffix) return false;
    std::string_view value = part.substr(s.prefix.size(), part.size() - s.prefix.size() - s.suffix.size());
    (*params)[s.name] = std::string(value);
  }
  return true;
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  if (path.empty() || path.front() != '/') return match;
  const auto parts = SplitPath(path);
  for (size_t i = 0; i < routes_.size(); ++i) {
    std::map<std::string, std::string> params;
    if (!MatchSegments(compiled_[i], parts, &params)) continue;
    const bool method_ok = routes_[i].method == method || (method == "HEAD" && routes_[i].method == "GET");
    if (!method_ok) {
      match.path_known = true;
      continue;
    }
    if (method == "HEAD" && routes_[i].method == "GET") {
      // Prefer an explicit HEAD route when there is one.
      bool explicit_head = false;
      for (size_t j = 0; j < routes_.size(); ++j) {
        std::map<std::string, std::string> ignored;
        if (routes_[j].method == "HEAD" && MatchSegments(compiled_[j], parts, &ignored)) explicit_head = true;
      }
      if (explicit_head) continue;
    }
    match.route = &routes_[i];
    match.params = std::move(params);
    return match;
  }
  return match;
}

Status Authorize(Access access, const Principal* principal, std::string_view tenant, bool reliance_peer) {
  if (access == Access::kPublic) return Status::Ok();
  if (principal == nullptr) return Unauthenticated("a bearer token or client certificate is required");
  const bool is_operator = principal->role == Role::kOperator;
  if (access == Access::kAuthenticated) return Status::Ok();
  if (access == Access::kOperator) {
    return is_operator ? Status::Ok() : PermissionDenied("only the node operator may do this");
  }
  if (is_operator) {
    if (access == Access::kOperatorOrTenantAdmin) return Status::Ok();
    return PermissionDenied("the operator manages tenants but does not read or write their content");
  }
  // Tenant-scoped: another tenant's objects do not exist for this caller,
  // unless that tenant explicitly shared its reliance feed with it.
  if (principal->tenant != tenant) {
    if (access == Access::kTenantViewerOrReliancePeer && reliance_peer) return Status::Ok();
    return NotFound("not found");
  }
  Role need = Role::kViewer;
  switch (access) {
    case Access::kTenantViewer:
    case Access::kTenantViewerOrReliancePeer:
      need = Role::kViewer;
      break;
    case Access::kTenantReviewer:
      need = Role::kReviewer;
      break;
    case Access::kTenantEditor:
      need = Role::kEditor;
      break;
    case Access::kTenantAdmin:
    case Access::kOperatorOrTenantAdmin:
      need = Role::kAdmin;
      break;
    default:
      break;
  }
  if (access == Access::kTenantEditorOrReviewer) {
    if (Includes(principal->role, Role::kEditor) || Includes(principal->role, Role::kReviewer)) return Status::Ok();
    return PermissionDenied("role " + std::string(RoleName(principal->role)) +
                            " may not do this; it needs EDITOR or REVIEWER");
  }
  if (!Includes(principal->role, need)) {
    return PermissionDenied("role " + std::string(RoleName(principal->role)) + " may not do this; it needs " +
                            std::string(RoleName(need)));
  }
  return Status::Ok();
}

}  // namespace dossier::server
