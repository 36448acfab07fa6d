// The consumer's own common/status.h, on its include path ahead of the SDK's:
// an integrator's project may well have one. The SDK's installed headers must
// never pick it up (they include "dossier/common/status.h"); if one did, the
// SDK's dossier::Status would be missing and the consumer would not compile.
#pragma once

#include <string>

namespace consumer {

struct Status {
  std::string message;
};

}  // namespace consumer
