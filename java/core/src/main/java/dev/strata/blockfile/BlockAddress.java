package dev.strata.blockfile;

/**
 * Where one block of a blockfile is stored and the checksum its root gives it: enough to read and verify
 * the block without its root, so a reader can fetch blocks it knows it will need in the same wave as the
 * roots (see {@link BlockfileReader#preload}).
 */
public record BlockAddress(String objectKey, int crc) {}
