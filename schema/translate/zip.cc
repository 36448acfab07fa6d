#include "schema/translate/zip.h"

#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <stdexcept>

namespace dossier::translate {
namespace {

void Put16(std::string& s, uint16_t v) {
  s.push_back(static_cast<char>(v & 0xff));
  s.push_back(static_cast<char>(v >> 8));
}
void Put32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

constexpr uint16_t kDosDate1980 = (0 << 9) | (1 << 5) | 1;  // 1980-01-01: reproducible packages
constexpr uint16_t kUtf8Flag = 0x0800;

}  // namespace

struct ZipWriter::Deflater {
  z_stream zs{};
  bool initialised = false;
  ~Deflater() {
    if (initialised) deflateEnd(&zs);
  }
};

ZipWriter::ZipWriter() : deflater_(std::make_unique<Deflater>()) {}
ZipWriter::~ZipWriter() = default;

std::string ZipWriter::Deflate(std::string_view data) {
  z_stream& zs = deflater_->zs;
  if (!deflater_->initialised) {
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("deflateInit2");
    deflater_->initialised = true;
  } else if (deflateReset(&zs) != Z_OK) {
    throw std::runtime_error("deflateReset");
  }
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
  return out;
}

void ZipWriter::Add(std::string name, std::string_view data) {
  // Packages stay far below the ZIP32 limits (4 GiB, 65535 entries); exports
  // are built in memory, so anything near them is a caller bug.
  if (data.size() >= 0xffffffffu || entries_.size() >= 0xffff) throw std::length_error("zip64 not supported");
  Entry e;
  e.name = std::move(name);
  e.crc = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
  e.size = data.size();
  std::string deflated = Deflate(data);
  const bool store = deflated.size() >= data.size();  // incompressible (PDF, PNG): keep as is
  e.method = store ? 0 : 8;
  e.compressed = store ? data.size() : deflated.size();
  e.offset = out_.size();
  Put32(out_, 0x04034b50);
  Put16(out_, 20);
  Put16(out_, kUtf8Flag);
  Put16(out_, e.method);
  Put16(out_, 0);
  Put16(out_, kDosDate1980);
  Put32(out_, e.crc);
  Put32(out_, static_cast<uint32_t>(e.compressed));
  Put32(out_, static_cast<uint32_t>(e.size));
  Put16(out_, static_cast<uint16_t>(e.name.size()));
  Put16(out_, 0);
  out_ += e.name;
  if (store) {
    out_.append(data.data(), data.size());
  } else {
    out_ += deflated;
  }
  entries_.push_back(std::move(e));
}

std::string ZipWriter::Finish() {
  const uint64_t cd_offset = out_.size();
  for (const Entry& e : entries_) {
    Put32(out_, 0x02014b50);
    Put16(out_, (3 << 8) | 20);  // made by: Unix, spec 2.0 (so the mode bits below are read)
    Put16(out_, 20);
    Put16(out_, kUtf8Flag);
    Put16(out_, e.method);
    Put16(out_, 0);
    Put16(out_, kDosDate1980);
    Put32(out_, e.crc);
    Put32(out_, static_cast<uint32_t>(e.compressed));
    Put32(out_, static_cast<uint32_t>(e.size));
    Put16(out_, static_cast<uint16_t>(e.name.size()));
    Put16(out_, 0);
    Put16(out_, 0);
    Put16(out_, 0);
    Put16(out_, 0);
    Put32(out_, 0100644u << 16);  // regular file, rw-r--r--
    Put32(out_, static_cast<uint32_t>(e.offset));
    out_ += e.name;
  }
  const uint64_t cd_size = out_.size() - cd_offset;
  Put32(out_, 0x06054b50);
  Put16(out_, 0);
  Put16(out_, 0);
  Put16(out_, static_cast<uint16_t>(entries_.size()));
  Put16(out_, static_cast<uint16_t>(entries_.size()));
  Put32(out_, static_cast<uint32_t>(cd_size));
  Put32(out_, static_cast<uint32_t>(cd_offset));
  Put16(out_, 0);
  entries_.clear();
  return std::move(out_);
}

Status CheckEntryName(std::string_view name) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("ZIP entry name " + why, "zip-path-traversal", std::string(name));
  };
  if (name.empty()) return bad("is empty");
  if (name.front() == '/') return bad("is absolute");
  if (name.find('\\') != std::string_view::npos) return bad("contains a backslash");
  if (name.size() >= 2 && name[1] == ':') return bad("starts with a drive letter");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return bad("contains a control character");
  }
  size_t pos = 0;
  while (pos <= name.size()) {
    size_t end = name.find('/', pos);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(pos, end - pos);
    if (part == "..") return bad("climbs out with '..'");
    if (part == ".") return bad("contains '.'");
    pos = end + 1;
  }
  return Status::Ok();
}

StatusOr<std::unique_ptr<ZipReader>> ZipReader::Open(const std::filesystem::path& path,
                                                     const ImportLimits& limits) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!z) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    std::string msg = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return InvalidArgument("not a readable ZIP archive: " + msg, "bad-zip");
  }
  std::unique_ptr<ZipReader> r(new ZipReader());
  r->zip_ = z;
  r->limits_ = limits;
  const zip_int64_t n = zip_get_num_entries(z, 0);
  if (n < 0) return InvalidArgument("cannot list ZIP entries", "bad-zip");
  if (static_cast<uint64_t>(n) > limits.max_entries)
    return InvalidArgument(
        "ZIP holds " + std::to_string(n) + " entries, more than " + std::to_string(limits.max_entries),
        "zip-bomb");
  uint64_t declared_total = 0;
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
      return InvalidArgument("unreadable ZIP entry " + std::to_string(i), "bad-zip");
    std::string name = st.name;
    DOSSIER_RETURN_IF_ERROR(CheckEntryName(name));
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
      return InvalidArgument("encrypted ZIP entries are not accepted", "zip-encrypted", name);
    if (st.valid & ZIP_STAT_SIZE) {
      // Declared sizes can lie; they are only a cheap early rejection. The
      // real caps are enforced while inflating.
      if (st.size > limits.max_entry_uncompressed)
        return InvalidArgument("entry declares " + std::to_string(st.size) + " bytes uncompressed",
                               "zip-bomb", name);
      declared_total += st.size;
    }
    if (name.back() != '/') r->names_.push_back(std::move(name));
  }
  if (declared_total > limits.max_total_uncompressed)
    return InvalidArgument("archive declares " + std::to_string(declared_total) + " bytes uncompressed",
                           "zip-bomb");
  return r;
}

ZipReader::~ZipReader() {
  if (zip_) zip_discard(static_cast<zip_t*>(zip_));
}

bool ZipReader::Has(std::string_view name) const {
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

StatusOr<std::unique_ptr<ZipReader::Stream>> ZipReader::OpenEntry(std::string_view name) {
  zip_t* z = static_cast<zip_t*>(zip_);
  const std::string n(name);
  zip_stat_t st;
  if (zip_stat(z, n.c_str(), 0, &st) != 0) return InvalidArgument("no ZIP entry " + n, "bad-package", n);
  zip_file_t* f = zip_fopen(z, n.c_str(), 0);
  if (!f) return InvalidArgument("cannot open ZIP entry: " + std::string(zip_strerror(z)), "bad-zip", n);
  std::unique_ptr<Stream> s(new Stream());
  s->file_ = f;
  s->owner_ = this;
  s->name_ = n;
  s->compressed_ = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
  return s;
}

ZipReader::Stream::~Stream() {
  if (file_) zip_fclose(static_cast<zip_file_t*>(file_));
}

long ZipReader::Stream::Read(char* buf, size_t len) {
  if (!status_.ok()) return -1;
  const zip_int64_t got = zip_fread(static_cast<zip_file_t*>(file_), buf, len);
  if (got < 0) {
    // libzip reports CRC mismatches and corrupt deflate data here.
    status_ = InvalidArgument(
        "corrupt ZIP entry: " + std::string(zip_file_strerror(static_cast<zip_file_t*>(file_))), "bad-zip",
        name_);
    return -1;
  }
  read_ += static_cast<uint64_t>(got);
  owner_->total_read_ += static_cast<uint64_t>(got);
  const ImportLimits& lim = owner_->limits_;
  // Ratio check only past 1 MiB: small highly repetitive files are normal.
  const bool ratio_bomb =
      read_ > (1u << 20) && compressed_ > 0 && read_ / compressed_ > lim.max_compression_ratio;
  if (read_ > lim.max_entry_uncompressed || owner_->total_read_ > lim.max_total_uncompressed || ratio_bomb) {
    status_ = InvalidArgument("ZIP entry inflates beyond the limits (" + std::to_string(read_) +
                                  " bytes from " + std::to_string(compressed_) + ")",
                              "zip-bomb", name_);
    return -1;
  }
  return static_cast<long>(got);
}

StatusOr<std::string> ZipReader::ReadAll(std::string_view name, uint64_t max_bytes) {
  DOSSIER_ASSIGN_OR_RETURN(std::unique_ptr<Stream> s, OpenEntry(name));
  std::string out;
  char buf[65536];
  while (true) {
    const long got = s->Read(buf, sizeof buf);
    if (got < 0) return s->status();
    if (got == 0) break;
    out.append(buf, static_cast<size_t>(got));
    if (out.size() > max_bytes)
      return InvalidArgument("ZIP entry larger than " + std::to_string(max_bytes) + " bytes",
                             "input-too-large", std::string(name));
  }
  return out;
}

}  // namespace dossier::translate
