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

// On the first start of a store, creates the operator token, writes it to
// DIR/operator.token (mode 0600) and returns it; afterwards returns nullopt.
StatusOr<std::optional<std::string>> BootstrapOperator(storage::Store& store,
                                                       const std::filesystem::path& data_dir);

}  // namespace dossier::server
