#include "server/json_util.h"

namespace dossier::server {

Status ValidateId(std::string_view id, std::string_view field) {
  bool ok = !id.empty() && id.size() <= 64 && id.front() != '-';
  for (char c : id) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok)
    return InvalidArgument("ids are 1 to 64 characters of [a-z0-9-], not starting with '-'", "bad-id",
                           std::string(field));
  return Status::Ok();
}

}  // namespace dossier::server
