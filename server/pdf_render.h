// HTML to PDF with a Debian-packaged renderer (wkhtmltopdf, Debian 12 package
// "wkhtmltopdf" 0.12.6, Qt WebKit; tools/install-deps.sh installs it), run as
// a child process. (Debian's weasyprint cannot be installed beside
// libboost1.81-dev: its python3-fonttools pulls python3-scipy, pythran and
// libboost1.74-dev, which conflicts.)
//
// Contract
// - The argument list is fixed: the renderer path from the server options,
//   "-q --disable-javascript --disable-local-file-access --no-images --proxy
//   http://127.0.0.1:9 --encoding utf-8", and two file names the server makes
//   up in its own staging directory. Nothing from a request reaches the
//   command line.
// - No network: the child first tries to enter a new network namespace
//   (unshare(CLONE_NEWUSER | CLONE_NEWNET): only a loopback that is down);
//   where the kernel refuses that, its --proxy and every proxy variable point
//   at a closed local port. The HTML it is given (server/redline.h) names no
//   URL either way. Its environment is otherwise empty but for PATH, HOME and
//   XDG_RUNTIME_DIR (the work directory), LANG and QT_QPA_PLATFORM=offscreen.
// - Bounded: killed (its whole process group) after `timeout`; CPU time and
//   file size are capped with rlimits. A missing renderer is Unavailable
//   "pdf-renderer-unavailable"; a failure or time-out Unavailable
//   "pdf-render-failed" / DeadlineExceeded "pdf-render-timeout".
// - Thread-safe (each call has its own work directory, removed afterwards).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dossier::server {

struct PdfRenderOptions {
  std::filesystem::path renderer;     // e.g. /usr/bin/wkhtmltopdf
  std::chrono::seconds timeout{30};   // wall clock
  std::filesystem::path staging_dir;  // where the work directory is made
};

StatusOr<std::string> RenderPdf(std::string_view html, const PdfRenderOptions& options);

}  // namespace dossier::server
