#include "server/bootstrap.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "server/credentials.h"
#include "server/json_util.h"
#include "server/router.h"
#include "trust/digest.h"

namespace dossier::server {
namespace fs = std::filesystem;

namespace {

// Written to a temporary name with mode 0600, fsynced, then renamed, so a
// crash never leaves a half-written secret under the real name; the folder is
// fsynced after the rename, since until then a power cut may undo the rename
// (a lost log key would make the next start sign with a new one; a lost
// operator token locks the operator out, the store being bootstrapped).
Status WriteSecretFile(const fs::path& path, std::string_view contents) {
  const std::string tmp = path.string() + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Unavailable("cannot write " + tmp, "io-error");
  ::fchmod(fileno(f), 0600);
  bool ok = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size();
  ok = std::fflush(f) == 0 && ok;
  ok = ::fsync(fileno(f)) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return Unavailable("cannot write " + tmp, "io-error");
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Unavailable("cannot rename " + tmp + ": " + ec.message(), "io-error");
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const int dir = ::open(folder.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (dir < 0) return Unavailable("cannot open " + folder.string(), "io-error");
  const bool synced = ::fsync(dir) == 0;
  ::close(dir);
  if (!synced) return Unavailable("cannot fsync " + folder.string(), "io-error");
  return Status::Ok();
}

StatusOr<std::string> ReadFile(const fs::path& path, uint64_t limit) {
  std::error_code ec;
  const uint64_t size = fs::file_size(path, ec);
  if (ec) return Unavailable("cannot stat " + path.string() + ": " + ec.message(), "io-error");
  if (size > limit) return InvalidArgument("content is larger than this server parses", "body-too-large");
  std::ifstream in(path, std::ios::binary);
  std::string out(size, '\0');
  in.read(out.data(), static_cast<std::streamsize>(size));
  if (!in) return Unavailable("cannot read " + path.string(), "io-error");
  return out;
}

}  // namespace

StatusOr<LogIdentity> LoadOrCreateLogIdentity(const ServerOptions& options) {
  const fs::path path = options.data_dir / "log-key.pem";
  std::error_code ec;
  auto key = [&]() -> StatusOr<trust::PrivateKey> {
    if (fs::exists(path, ec)) {
      DOSSIER_ASSIGN_OR_RETURN(std::string pem, ReadFile(path, 1 << 16));
      auto loaded = trust::PrivateKey::FromPem(pem);
      if (!loaded.ok()) return loaded.status().Annotate("log key " + path.string());
      return loaded;
    }
    DOSSIER_ASSIGN_OR_RETURN(auto created, trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519));
    DOSSIER_RETURN_IF_ERROR(WriteSecretFile(path, created.Pem()));
    return created;
  }();
  if (!key.ok()) return key.status();
  LogIdentity identity{std::move(key).value(), ""};
  identity.origin = options.log_origin.empty()
                        ? "dossier-exchange/" + identity.key.public_key().KeyId().substr(0, 16)
                        : options.log_origin;
  return identity;
}

Status CheckLogKey(storage::Store& store, const LogIdentity& identity) {
  // In the operator's record space ("" tenant), beside nothing a tenant can reach.
  const std::string collection = "log-identity", id = "key-id";
  const std::string mine = identity.key.public_key().KeyId();
  Status recorded = store.WriteRecords({{"", collection, id, mine, storage::RecordWrite::Mode::kCreate}});
  if (recorded.ok()) return Status::Ok();
  if (recorded.reason() != "record-exists") return recorded.Annotate("record the log key");
  DOSSIER_ASSIGN_OR_RETURN(std::string theirs, store.GetRecord("", collection, id));
  if (theirs == mine) return Status::Ok();
  return FailedPrecondition(
      "this node's log key (log-key.pem in the data directory, key id " + mine.substr(0, 16) +
          "…) is not the key the store's log is signed with (key id " + theirs.substr(0, 16) +
          "…); copy the deployment's log-key.pem into the data directory (every node on one "
          "database needs the same one) and start again",
      "log-key-mismatch");
}

StatusOr<std::optional<std::string>> BootstrapOperator(storage::Store& store, const fs::path& data_dir) {
  DOSSIER_ASSIGN_OR_RETURN(auto done, store.GetSetting("operator-bootstrapped"));
  if (done) return std::optional<std::string>();
  DOSSIER_ASSIGN_OR_RETURN(const std::string secret, NewTokenSecret());
  storage::TokenRecord token;
  DOSSIER_ASSIGN_OR_RETURN(std::string token_id, NewTokenId());
  token.set_id(token_id);
  token.set_role(std::string(RoleName(Role::kOperator)));
  token.set_label("operator (created at first start)");
  token.set_secret_hash(trust::Sha256(secret));
  token.set_created_ms(NowMs());
  DOSSIER_RETURN_IF_ERROR(store.PutToken(token));
  DOSSIER_RETURN_IF_ERROR(WriteSecretFile(data_dir / "operator.token", secret + "\n"));
  DOSSIER_RETURN_IF_ERROR(store.PutSetting("operator-bootstrapped", token.id()));
  return std::optional<std::string>(secret);
}

}  // namespace dossier::server
