package dev.strata.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Checks a saved HNSW index file the way the native loader does first (docs/native.md, file format):
 * magic {@code STRHNSW1}, int32 space, int32 reserved, int64 dimension, ..., and a trailing CRC32C of
 * everything before it, little-endian as the native library writes it. Checking the checksum here
 * avoids loading the whole graph into native memory just to verify it.
 */
final class IndexFiles {

    private static final byte[] HNSW_MAGIC = "STRHNSW1".getBytes(StandardCharsets.US_ASCII);
    private static final int DIMENSION_OFFSET = 16;
    private static final int MIN_BYTES = DIMENSION_OFFSET + 8 + 4;

    private IndexFiles() {}

    static boolean isHnsw(byte[] bytes) {
        return bytes.length >= HNSW_MAGIC.length
                && Arrays.equals(bytes, 0, HNSW_MAGIC.length, HNSW_MAGIC, 0, HNSW_MAGIC.length);
    }

    /**
     * What is wrong with an HNSW index file, or empty when it is intact and (given a dimension) of
     * that dimension.
     */
    static Optional<Problem> checkHnsw(String key, byte[] bytes, Integer expectedDimension) {
        if (bytes.length < MIN_BYTES) {
            return Optional.of(new Problem(Problem.Kind.CORRUPT, key, "index file truncated: " + bytes.length + " bytes"));
        }
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = le.getInt(bytes.length - 4);
        if ((int) crc.getValue() != stored) {
            return Optional.of(new Problem(Problem.Kind.CORRUPT, key, "index file checksum mismatch (stored "
                    + Integer.toHexString(stored) + ", computed " + Long.toHexString(crc.getValue()) + ")"));
        }
        long dimension = le.getLong(DIMENSION_OFFSET);
        if (expectedDimension != null && dimension != expectedDimension) {
            return Optional.of(new Problem(Problem.Kind.MISMATCH, key, "index file has dimension " + dimension
                    + " but its version manifest says " + expectedDimension));
        }
        return Optional.empty();
    }
}
