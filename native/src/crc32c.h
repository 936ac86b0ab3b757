// Internal: CRC32C (Castagnoli), the checksum of saved index files; equals java.util.zip.CRC32C.
#pragma once
#include <cstddef>
#include <cstdint>

namespace strata {
uint32_t crc32c(const void* data, size_t size);
}
