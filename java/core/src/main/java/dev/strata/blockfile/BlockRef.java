package dev.strata.blockfile;

/**
 * A root's entry for one block: its first key, id (the uuid in {@code {prefix}b/{id}}), entry count,
 * estimated data bytes (what the writer sizes blocks by) and the CRC32C its object must carry.
 */
record BlockRef(BlockKey firstKey, String blockId, int entries, long dataBytes, int crc) {}
