// Export profiles (issue 16 item 5): each export format has named, versioned
// profiles, one of them the format's default. A profile fixes what an agency's
// format version decides in the package: the EUDAMED DTX message version of
// the eu-mdr package's registration message, the eSTAR template version the
// fda-estar forms declare. A submission pins the profile of each format when
// it is submitted, so re-exporting it after the default moves on gives the
// same bytes (docs/EXPORT_PROFILES.md).
//
// Contract
// - The catalogue is data compiled in; pure functions; thread-safe.
// - Profile names are unique across formats ("eudamed-dtx-3.0.25").
// - "verification" says where a version comes from and whether that was
//   checked ("verified: ..." / "unverified: ...").
#pragma once

#include <boost/json.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dossier::translate {

struct ExportProfile {
  std::string format;  // "eu-mdr"
  std::string name;    // "eudamed-dtx-3.0.25"
  std::string title;
  std::string verification;
  bool is_default = false;
  // What the profile fixes in the package ("" where the format has no such thing).
  std::string eudamed_message_version;  // m:Push/@version of the DTX registration message
  std::string estar_template;           // the eSTAR template the forms declare
};

// Every profile, grouped by format in ExportFormats() order, default first.
const std::vector<ExportProfile>& ExportProfiles();

// The profile `name` of `format`: InvalidArgument "unknown-profile" (field
// "profile") when there is none.
StatusOr<const ExportProfile*> FindExportProfile(std::string_view format, std::string_view name);

// The default of `format`, or of `overrides[format]` when the deployment moved
// the default (ServerOptions::export_profile_defaults); "unknown-format" /
// "unknown-profile" when either names nothing.
StatusOr<const ExportProfile*> DefaultExportProfile(std::string_view format,
                                                    const std::map<std::string, std::string>& overrides = {});

// {"format", "name", "title", "default", "verification", "eudamedMessageVersion"?, "estarTemplate"?}
boost::json::object ExportProfileToJson(const ExportProfile& profile);

}  // namespace dossier::translate
