// strata_hnsw file envelope: magic, version, checksum, and the file I/O of save and load.
#include "hnsw_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "crc32c.h"
#include "status.h"

namespace strata::hnsw_file {
namespace {

constexpr char kMagic[7] = {'S', 'T', 'R', 'H', 'N', 'S', 'W'};
constexpr size_t kHeaderBytes = sizeof(kMagic) + 1;
constexpr size_t kCrcBytes = 4;

}  // namespace

std::string begin() {
  std::string out(kMagic, sizeof(kMagic));
  out.push_back(static_cast<char>('0' + kVersion));
  return out;
}

void finish(std::string& bytes) {
  uint32_t crc = crc32c(bytes.data(), bytes.size());
  bytes.append(reinterpret_cast<const char*>(&crc), kCrcBytes);
}

std::string_view open(const std::string& name, std::string_view bytes) {
  auto corrupt = [&](const std::string& what) { return Error(STRATA_ERR_CORRUPT, name + ": " + what); };
  if (bytes.size() < kHeaderBytes + kCrcBytes || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    throw corrupt("not a Strata HNSW index file");
  }
  uint32_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - kCrcBytes, kCrcBytes);
  if (crc32c(bytes.data(), bytes.size() - kCrcBytes) != stored) throw corrupt("checksum mismatch");
  // The version is read only once the checksum holds: a damaged digit is damage, not a newer Strata.
  char digit = bytes[sizeof(kMagic)];
  if (digit < '1' || digit > '9') throw corrupt("unknown format version byte " + std::to_string(digit & 0xff));
  int version = digit - '0';
  if (version > kVersion) {
    throw Error(STRATA_ERR_UNSUPPORTED, name + ": HNSW index file format version " + std::to_string(version) +
                                            " was written by a newer Strata: this one reads versions 1 to " +
                                            std::to_string(kVersion) + "; upgrade Strata to read it");
  }
  return bytes.substr(kHeaderBytes, bytes.size() - kHeaderBytes - kCrcBytes);
}

void write(const std::string& path, const std::string& bytes) {
  std::string temp = path + ".tmp";
  FILE* f = std::fopen(temp.c_str(), "wb");
  if (f == nullptr) throw Error(STRATA_ERR_IO, "cannot create " + temp + ": " + std::strerror(errno));
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() && std::fflush(f) == 0 && fsync(fileno(f)) == 0;
  int saved = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    if (ok) saved = errno;
    std::remove(temp.c_str());
    throw Error(STRATA_ERR_IO, "cannot write " + path + ": " + std::strerror(saved));
  }
}

MappedFile::MappedFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    throw Error(e == ENOENT ? STRATA_ERR_NOT_FOUND : STRATA_ERR_IO, "cannot open " + path + ": " + std::strerror(e));
  }
  struct stat st {};
  int stat_error = fstat(fd, &st) == 0 ? 0 : errno;
  int map_error = 0;
  if (stat_error == 0 && st.st_size > 0) {
    // MAP_POPULATE maps the file's cached pages in one pass instead of one fault per page.
    void* mapped = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (mapped == MAP_FAILED) {
      map_error = errno;
    } else {
      data_ = mapped;
      size_ = static_cast<size_t>(st.st_size);
    }
  }
  ::close(fd);  // the mapping keeps the file's pages
  if (stat_error != 0) throw Error(STRATA_ERR_IO, "cannot read " + path + ": " + std::strerror(stat_error));
  if (map_error != 0) throw Error(STRATA_ERR_IO, "cannot map " + path + ": " + std::strerror(map_error));
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) munmap(data_, size_);
}

}  // namespace strata::hnsw_file
