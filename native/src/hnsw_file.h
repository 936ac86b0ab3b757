// Internal: the HNSW index file's envelope (docs/native.md, file format): the magic "STRHNSW", the
// format version as one ASCII digit, the body (hnsw_index.cpp's layout), then a CRC32C of everything
// before it. Every check of the envelope lives here, so a load reports damage and a newer format apart:
// STRATA_ERR_CORRUPT for a wrong magic, a bad checksum or a truncated file; STRATA_ERR_UNSUPPORTED for
// an intact file that a newer Strata wrote.
#pragma once
#include <string>
#include <string_view>

#include "strata.h"

namespace strata::hnsw_file {

// The format version this build writes, and the newest it reads (strata.h, so Java's declaration is checked
// against it).
constexpr int kVersion = STRATA_HNSW_FORMAT_VERSION;

// A buffer holding the header, for the body to be appended to.
std::string begin();

// Appends the checksum to a buffer from begin() plus its body.
void finish(std::string& bytes);

// The body of an index file's bytes once its envelope checks out. name: the file or object, for errors.
std::string_view open(const std::string& name, std::string_view bytes);

// Writes beside the target, forces it to disk and renames: a crash never leaves a half-written file.
void write(const std::string& path, const std::string& bytes);

// A file mapped read-only for as long as this lives: loading a graph reads it once, so it is neither zero-filled
// nor copied into a buffer first (for a 168 MB graph those were half of a 1.2 s load, in page faults and copies).
// Strata replaces index files by renaming new ones over them, never by truncating one in place (which would make
// a mapped read fault).
class MappedFile {
 public:
  // STRATA_ERR_NOT_FOUND when there is no such file, STRATA_ERR_IO when it cannot be read.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace strata::hnsw_file
