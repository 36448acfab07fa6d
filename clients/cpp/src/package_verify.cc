#include "dossier/client/package_verify.h"

#include <fstream>
#include <iterator>
#include <memory>
#include <set>

#include "trust/digest.h"
#include "trust/keys.h"

namespace dossier::client {
namespace fs = std::filesystem;

namespace {

// A package's own files (manifest, signature, bundle, content) are small; a
// larger one is refused rather than read whole.
constexpr uintmax_t kMaxWholeFile = 64ull << 20;

}  // namespace

StatusOr<trust::PackageFiles> PackageFolder(const fs::path& dir) {
  std::error_code ec;
  auto paths = std::make_shared<std::set<std::string>>();
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) paths->insert(it->path().lexically_relative(dir).generic_string());
  }
  if (ec)
    return Status(StatusCode::kNotFound, "cannot list " + dir.string() + ": " + ec.message(), "io-error");
  trust::PackageFiles files;
  files.paths.assign(paths->begin(), paths->end());
  files.read = [dir, paths](const std::string& name) -> StatusOr<std::string> {
    if (!paths->count(name)) return NotFound("the package has no " + name);
    std::error_code size_ec;
    if (fs::file_size(dir / name, size_ec) > kMaxWholeFile || size_ec)
      return InvalidArgument(name + " is too large to read whole", "input-too-large", name);
    std::ifstream in(dir / name, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return Internal("cannot read " + name, "io-error");
    return bytes;
  };
  files.digest = [dir, paths](const std::string& name) -> StatusOr<std::string> {
    if (!paths->count(name)) return NotFound("the package has no " + name);
    DOSSIER_ASSIGN_OR_RETURN(std::string raw, trust::Sha256File(dir / name));
    return trust::DigestRef(raw);
  };
  return files;
}

StatusOr<trust::ExportVerification> VerifyExportedPackage(const trust::PackageFiles& files,
                                                          const std::string& log_key_pem) {
  auto key = trust::PublicKey::FromPem(log_key_pem);
  if (!key.ok()) return InvalidArgument("the log key is not a PEM public key", "bad-key");
  return trust::VerifyExportPackage(files, *key);
}

}  // namespace dossier::client
