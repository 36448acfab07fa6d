// A fresh directory under the system's temp folder for one test, removed with
// everything in it when the test ends. Test-only.
#pragma once

#include <filesystem>
#include <random>
#include <string>

namespace dossier::storage {

struct TestTempDir {
  std::filesystem::path path;

  explicit TestTempDir(const std::string& prefix = "dossier-storage-test-") {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() / (prefix + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~TestTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TestTempDir(const TestTempDir&) = delete;
  TestTempDir& operator=(const TestTempDir&) = delete;
};

}  // namespace dossier::storage
