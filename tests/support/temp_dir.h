// A fresh temporary directory for one test, removed with everything in it
// when the TempDir is destroyed. Part of dossier_test_support (tests only).
//
// Contract: the directory is created under std::filesystem::temp_directory_path()
// ($TMPDIR, else /tmp) with a unique name (mkdtemp), so concurrent tests and
// processes never share one. Creation failure throws std::runtime_error (a test
// cannot continue without it); removal failures are ignored. Not copyable; one
// TempDir is used by one thread at a time.
#pragma once

#include <filesystem>
#include <string_view>

namespace dossier::testing {

class TempDir {
 public:
  // `prefix` starts the directory's name, to tell tests' leftovers apart.
  explicit TempDir(std::string_view prefix = "dossier-test-");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace dossier::testing
