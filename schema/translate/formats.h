// Per-format exporters and importers behind translate.h's dispatch. Each
// exporter receives the PROJECTED dossier (what the format carries, see
// crosswalk.h) and the loss already computed; each importer streams records.
#pragma once

#include <filesystem>
#include <functional>

#include "common/status.h"
#include "dossier/v1/dossier.pb.h"
#include "schema/translate/translate.h"

namespace dossier::translate {

using Emit = std::function<Status(ImportRecord&&)>;

// `binding` (nullable) is passed on to BuildZipPackage (package.h).
StatusOr<ExportResult> ExportImdrfToc(const v1::Dossier& d, std::vector<LossItem> loss,
                                      const BlobReader& blobs, const ExportBinding* binding);
// The fda-estar forms declare `profile.estar_template`.
StatusOr<ExportResult> ExportFdaEstar(const v1::Dossier& d, std::vector<LossItem> loss,
                                      const BlobReader& blobs, const ExportProfile& profile,
                                      const ExportBinding* binding);
// The registration message is of `profile.eudamed_message_version`, created at `created_ms` (0: now).
StatusOr<ExportResult> ExportEuMdr(const v1::Dossier& d, std::vector<LossItem> loss, const BlobReader& blobs,
                                   const ExportProfile& profile, int64_t created_ms,
                                   const ExportBinding* binding);
StatusOr<ExportResult> ExportHsaCsdt(const v1::Dossier& d, std::vector<LossItem> loss,
                                     const BlobReader& blobs, const ExportBinding* binding);
StatusOr<ExportResult> ExportFhirR5(const v1::Dossier& d, std::vector<LossItem> loss);

Status ImportImdrfToc(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit);
Status ImportFdaEstar(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit);
Status ImportEuMdr(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit);
Status ImportHsaCsdt(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit);
Status ImportFhirR5(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit);
Status ImportGudidXml(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit);
Status ImportOpenFda510k(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit);
Status ImportOpenFdaClassification(const std::filesystem::path& in, const ImportLimits& limits,
                                   const Emit& emit);
Status ImportEudamedDtx(const std::filesystem::path& in, const ImportLimits& limits, const Emit& emit);

// EUDAMED DTX Push (service DEVICE, POST) registering the Basic UDI-DI and the
// UDI-DI of `d` (eu-mdr projection). Fails with "not-exportable" (field = the
// first gap's path) when EudamedRegistrationGaps(d) is not empty. The Push
// carries `message_version` and the creationDateTime `created_ms` (0: now).
StatusOr<std::string> EudamedDeviceRegistrationXml(const v1::Dossier& d);
StatusOr<std::string> EudamedDeviceRegistrationXml(const v1::Dossier& d, std::string_view message_version,
                                                   int64_t created_ms);

// Reads a whole (small) file with a size cap; "input-too-large" beyond it.
StatusOr<std::string> ReadFileCapped(const std::filesystem::path& in, uint64_t max_bytes);

}  // namespace dossier::translate
