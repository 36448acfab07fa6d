// The SDK's version. Kept equal to the project's version (CMakeLists.txt
// `project(... VERSION ...)`): configuring fails when they differ.
// Compatibility policy: clients/cpp/README.md.
#pragma once

#define DOSSIER_CLIENT_VERSION_MAJOR 0
#define DOSSIER_CLIENT_VERSION_MINOR 2
#define DOSSIER_CLIENT_VERSION_PATCH 0
#define DOSSIER_CLIENT_VERSION_STRING "0.2.0"
// One number to compare: MAJOR * 10000 + MINOR * 100 + PATCH.
#define DOSSIER_CLIENT_VERSION \
  (DOSSIER_CLIENT_VERSION_MAJOR * 10000 + DOSSIER_CLIENT_VERSION_MINOR * 100 + DOSSIER_CLIENT_VERSION_PATCH)
