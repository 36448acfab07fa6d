// A main() for fuzz targets built without libFuzzer (g++, `make test`): runs
// LLVMFuzzerTestOneInput once on every file named on the command line (or
// inside a named directory), so crash regressions and seed corpora are
// replayed by every build, with or without clang.
//
// Inputs under a directory named "known" reproduce bugs reported upstream and
// not fixed yet: each runs in a child process; a crash there prints "KNOWN
// ISSUE still reproduces" and does not fail the run, while a clean run prints
// "FIXED" (move the file up one level so it guards the fix). Any other input
// that crashes fails the run, as it should.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path p = argv[i];
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
    } else if (std::filesystem::exists(p)) {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    const std::string bytes = s.str();
    std::cerr << "replay " << f.string() << " (" << bytes.size() << " bytes)\n";
    if (f.parent_path().filename() == "known") {
      std::cout.flush();
      std::cerr.flush();
      const pid_t pid = ::fork();
      if (pid == 0) {
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        ::_exit(0);
      }
      int status = 0;
      ::waitpid(pid, &status, 0);
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        std::cout << "FIXED: " << f.string() << " no longer crashes; move it out of known/\n";
      } else {
        std::cout << "KNOWN ISSUE still reproduces: " << f.string() << "\n";
      }
      continue;
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::cout << "replayed " << files.size() << " inputs without a crash\n";
  return 0;
}
