#include "tests/support/files.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dossier::testing {
namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read " + path.string());
  return out.str();
}

void WriteFile(const fs::path& path, std::string_view bytes) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void FlipByte(const fs::path& path, uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + path.string() + " to corrupt it");
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  if (!f.read(&c, 1)) {
    throw std::runtime_error("cannot read byte " + std::to_string(offset) + " of " + path.string());
  }
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
  f.close();
  if (!f) throw std::runtime_error("cannot write byte " + std::to_string(offset) + " of " + path.string());
}

}  // namespace dossier::testing
