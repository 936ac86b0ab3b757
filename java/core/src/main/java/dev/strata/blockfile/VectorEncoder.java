package dev.strata.blockfile;

import java.lang.foreign.MemorySegment;

/**
 * Computes the byte codes of a block's float vectors when the block is decoded
 * ({@link BlockfileReader#withDerivedCodes}): codes that can be derived from the vectors need not be stored
 * beside them, so a block costs its vectors' bytes in the store, on the wire and in the disk tier, and its
 * codes only in memory.
 */
@FunctionalInterface
public interface VectorEncoder {

    /**
     * Writes {@code rows * dimension} bytes of codes into {@code codes} (row {@code i}'s code at byte
     * {@code i * dimension}) for the row-major float32 {@code vectors}. Called on the decoding thread.
     */
    void encode(MemorySegment vectors, int rows, int dimension, MemorySegment codes);
}
