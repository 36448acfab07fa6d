// What a node creates on its first start and loads afterwards: its
// transparency-log identity and the operator's token.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "common/status.h"
#include "server/options.h"
#include "storage/store.h"
#include "trust/keys.h"

namespace dossier::server {

// The node's transparency-log identity: its Ed25519 key and checkpoint origin.
struct LogIdentity {
  trust::PrivateKey key;
  std::string origin;
};

// Loads DIR/log-key.pem, creating it (mode 0600) on first start.
StatusOr<LogIdentity> LoadOrCreateLogIdentity(const ServerOptions& options);

// Refuses a log key other than the one the store's log is signed with: the
// first node to start on a store records its log key's id there (create-if-
// absent, so nodes starting together on one database agree on one); every
// later start compares. FailedPrecondition "log-key-mismatch" when they
// differ. A store whose log predates the record is taken as signed with the
// key of the first start that records it.
Status CheckLogKey(storage::Store& store, const LogIdentity& identity);

// On the first start of a store, creates the operator token, writes it to
// DIR/operator.token (mode 0600) and returns it; afterwards returns nullopt.
StatusOr<std::optional<std::string>> BootstrapOperator(storage::Store& store,
                                                       const std::filesystem::path& data_dir);

}  // namespace dossier::server
