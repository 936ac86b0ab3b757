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

// The whole file (STRATA_ERR_NOT_FOUND when there is none).
std::string read(const std::string& path);

}  // namespace strata::hnsw_file
