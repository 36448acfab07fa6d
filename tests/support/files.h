// Whole-file reading and writing, and byte flipping for corruption tests.
// Part of dossier_test_support (tests only).
//
// Contract: every function either does all of its work or throws
// std::runtime_error naming the file (Boost.Test reports it as the test's
// failure). Thread-safe as long as two threads do not touch the same file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace dossier::testing {

// The file's bytes.
std::string ReadFile(const std::filesystem::path& path);

// Replaces the file with `bytes`, creating missing parent directories.
void WriteFile(const std::filesystem::path& path, std::string_view bytes);

// XORs the byte at `offset` with 0x5a (so it always changes), in place.
void FlipByte(const std::filesystem::path& path, uint64_t offset);

}  // namespace dossier::testing
