// Offline verification of an exported package (GET .../export, `dossier
// export`): ties every file of the package to the signed version it was
// exported from, given only the log's public key (trust/export_package.h
// describes the package layout and each check; the checks themselves are
// trust::VerifyExportPackage, which runs trust::BundleVerifier).
//
// A ZIP is read by the caller (the `dossier` CLI reads it with
// schema/translate's guarded ZIP reader, translate::ZipPackageFiles); an
// unpacked package folder is read by PackageFolder here.
//
// Errors: Status values. PackageFolder: "io-error" when the folder cannot be
// listed or a file read. VerifyExportedPackage: "bad-key" when the PEM is not
// an Ed25519 public key, otherwise the reasons of trust::VerifyExportPackage.
// Thread-safety: pure functions (PackageFolder's result reads the disk).
#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"
#include "trust/export_package.h"

namespace dossier::client {

// The files below `dir` (relative paths with '/'), for VerifyExportedPackage.
// Reading a path that is not one of them is NotFound.
StatusOr<trust::PackageFiles> PackageFolder(const std::filesystem::path& dir);

// Verifies `files` against the log key `log_key_pem` (GET /v1/log/public-key,
// or the key `dossier login` pinned).
StatusOr<trust::ExportVerification> VerifyExportedPackage(const trust::PackageFiles& files,
                                                          const std::string& log_key_pem);

}  // namespace dossier::client
