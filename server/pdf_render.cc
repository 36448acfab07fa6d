#include "server/pdf_render.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "common/random.h"

namespace dossier::server {
namespace fs = std::filesystem;

namespace {

// Removes the work directory however the call ends.
struct WorkDir {
  fs::path path;
  ~WorkDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

// In the child, between fork and exec: only async-signal-safe calls.
void WriteProcFile(const char* path, const char* text, size_t length) {
  const int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  ssize_t written = write(fd, text, length);
  (void)written;
  close(fd);
}

// The id maps that keep the renderer's user the server's user inside its
// namespace (so it can write its output file), formatted before fork.
struct IdMaps {
  char uid_map[64], gid_map[64];
  size_t uid_length, gid_length;
};

[[noreturn]] void ExecRenderer(const char* const* argv, const char* const* envp, int in_fd, int err_fd,
                               rlim_t cpu_seconds, const IdMaps& maps) {
  setpgid(0, 0);
  // No network: an unprivileged user namespace with its own (down) loopback.
  // Where the kernel refuses, the proxy settings still point every fetch at
  // a closed port.
  if (unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0) {
    WriteProcFile("/proc/self/setgroups", "deny", 4);
    WriteProcFile("/proc/self/uid_map", maps.uid_map, maps.uid_length);
    WriteProcFile("/proc/self/gid_map", maps.gid_map, maps.gid_length);
  }
  struct rlimit cpu = {cpu_seconds, cpu_seconds};
  setrlimit(RLIMIT_CPU, &cpu);
  struct rlimit fsize = {256u << 20, 256u << 20};
  setrlimit(RLIMIT_FSIZE, &fsize);
  dup2(in_fd, STDIN_FILENO);
  dup2(err_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  execve(argv[0], const_cast<char* const*>(argv), const_cast<char* const*>(envp));
  _exit(127);
}

std::string Tail(const fs::path& file, size_t bytes) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

}  // namespace

StatusOr<std::string> RenderPdf(std::string_view html, const PdfRenderOptions& options) {
  std::error_code ec;
  if (options.renderer.empty() || !fs::exists(options.renderer, ec)) {
    return Unavailable("no PDF renderer at " + options.renderer.string() + " (install Debian's wkhtmltopdf)",
                       "pdf-renderer-unavailable");
  }
  DOSSIER_ASSIGN_OR_RETURN(const std::string suffix, ::dossier::RandomHex(8));
  WorkDir work{options.staging_dir / ("pdf-" + suffix)};
  if (!fs::create_directories(work.path, ec) || ec) {
    return Unavailable("cannot create the PDF work directory", "io-error");
  }
  const fs::path input = work.path / "redline.html", output = work.path / "redline.pdf",
                 log = work.path / "renderer.log";
  {
    std::ofstream out(input, std::ios::binary);
    out.write(html.data(), static_cast<std::streamsize>(html.size()));
    if (!out) return Unavailable("cannot stage the HTML for the PDF renderer", "io-error");
  }
  // Everything the child needs is built before fork.
  const std::string renderer = options.renderer.string(), in_arg = input.string(), out_arg = output.string();
  const std::vector<const char*> argv = {renderer.c_str(),
                                         "-q",
                                         "--disable-javascript",
                                         "--disable-local-file-access",
                                         "--no-images",
                                         "--proxy",
                                         "http://127.0.0.1:9",
                                         "--encoding",
                                         "utf-8",
                                         in_arg.c_str(),
                                         out_arg.c_str(),
                                         nullptr};
  const std::string home = "HOME=" + work.path.string(), runtime = "XDG_RUNTIME_DIR=" + work.path.string();
  const std::vector<const char*> envp = {"PATH=/usr/bin:/bin",
                                         home.c_str(),
                                         runtime.c_str(),
                                         "LANG=C.UTF-8",
                                         "QT_QPA_PLATFORM=offscreen",
                                         "http_proxy=http://127.0.0.1:9",
                                         "https_proxy=http://127.0.0.1:9",
                                         "HTTP_PROXY=http://127.0.0.1:9",
                                         "HTTPS_PROXY=http://127.0.0.1:9",
                                         "no_proxy=",
                                         nullptr};
  const int in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int err_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (in_fd < 0 || err_fd < 0) {
    if (in_fd >= 0) close(in_fd);
    if (err_fd >= 0) close(err_fd);
    return Unavailable("cannot open the renderer's standard files", "io-error");
  }
  const rlim_t cpu_seconds = static_cast<rlim_t>(options.timeout.count()) + 1;
  IdMaps maps{};
  maps.uid_length = static_cast<size_t>(std::snprintf(maps.uid_map, sizeof maps.uid_map, "%u %u 1\n",
                                                      static_cast<unsigned>(getuid()),
                                                      static_cast<unsigned>(getuid())));
  maps.gid_length = static_cast<size_t>(std::snprintf(maps.gid_map, sizeof maps.gid_map, "%u %u 1\n",
                                                      static_cast<unsigned>(getgid()),
                                                      static_cast<unsigned>(getgid())));
  const pid_t pid = fork();
  if (pid == 0) ExecRenderer(argv.data(), envp.data(), in_fd, err_fd, cpu_seconds, maps);
  close(in_fd);
  close(err_fd);
  if (pid < 0) return Unavailable("cannot start the PDF renderer", "pdf-render-failed");

  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return Unavailable("lost the PDF renderer", "pdf-render-failed");
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return Status(StatusCode::kDeadlineExceeded,
                    "the PDF renderer took longer than " + std::to_string(options.timeout.count()) + " s",
                    "pdf-render-timeout");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Unavailable("the PDF renderer failed: " + Tail(log, 300), "pdf-render-failed");
  }
  std::ifstream pdf(output, std::ios::binary);
  std::stringstream bytes;
  bytes << pdf.rdbuf();
  std::string out = bytes.str();
  if (out.rfind("%PDF-", 0) != 0) return Unavailable("the PDF renderer wrote no PDF", "pdf-render-failed");
  return out;
}

}  // namespace dossier::server
