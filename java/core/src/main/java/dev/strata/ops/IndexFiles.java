package dev.strata.ops;

import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Checks a saved HNSW index file the way the native loader does first (docs/native.md, file format):
 * magic {@code STRHNSW1}, int32 space, int32 reserved, int64 dimension, ..., and a trailing CRC32C of
 * everything before it, little-endian as the native library writes it. The file is read in ranges and
 * checksummed as it streams, so checking an index of gigabytes neither loads its graph into native
 * memory nor holds the file on the heap.
 */
final class IndexFiles {

    static final int DEFAULT_CHUNK_BYTES = 8 << 20;

    private static final byte[] HNSW_MAGIC = "STRHNSW1".getBytes(StandardCharsets.US_ASCII);
    private static final int DIMENSION_OFFSET = 16;
    private static final int TRAILER_BYTES = 4;
    private static final int MIN_BYTES = DIMENSION_OFFSET + 8 + TRAILER_BYTES;

    private IndexFiles() {}

    /**
     * What is wrong with the index file at {@code key} of {@code size} bytes, or empty when it is an intact
     * HNSW file of the expected dimension (null: any).
     */
    static Optional<Problem> check(ObjectStore store, String key, long size, Integer expectedDimension, int chunkBytes) {
        byte[] chunk = store.getRange(key, 0, (int) Math.min(size, Math.max(chunkBytes, MIN_BYTES)));
        if (chunk.length < HNSW_MAGIC.length || !Arrays.equals(chunk, 0, HNSW_MAGIC.length, HNSW_MAGIC, 0, HNSW_MAGIC.length)) {
            return ObjectLayout.parseIndexFile(key).filter(ObjectLayout.IndexFileKey::isHnsw).isPresent()
                    ? corrupt(key, "index file named as an HNSW graph lacks the STRHNSW1 magic")
                    : Optional.of(new Problem(Problem.Kind.UNVERIFIED, key,
                            "index file of unknown format: only its presence was checked"));
        }
        if (size < MIN_BYTES) {
            return corrupt(key, "index file truncated: " + size + " bytes");
        }
        long dimension = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).getLong(DIMENSION_OFFSET);
        long checked = size - TRAILER_BYTES;
        CRC32C crc = new CRC32C();
        byte[] trailer = new byte[TRAILER_BYTES];
        long offset = 0;
        while (true) {
            int covered = (int) Math.max(0, Math.min(chunk.length, checked - offset));
            crc.update(chunk, 0, covered);
            for (int i = covered; i < chunk.length; i++) {
                trailer[(int) (offset + i - checked)] = chunk[i];
            }
            offset += chunk.length;
            if (offset >= size) {
                break;
            }
            chunk = store.getRange(key, offset, (int) Math.min(chunkBytes, size - offset));
            if (chunk.length == 0) {
                return corrupt(key, "index file ends at " + offset + " bytes, its listing said " + size);
            }
        }
        int stored = ByteBuffer.wrap(trailer).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if ((int) crc.getValue() != stored) {
            return corrupt(key, "index file checksum mismatch (stored " + Integer.toHexString(stored) + ", computed "
                    + Long.toHexString(crc.getValue()) + ")");
        }
        if (expectedDimension != null && dimension != expectedDimension) {
            return Optional.of(new Problem(Problem.Kind.MISMATCH, key, "index file has dimension " + dimension
                    + " but its version manifest says " + expectedDimension));
        }
        return Optional.empty();
    }

    private static Optional<Problem> corrupt(String key, String detail) {
        return Optional.of(new Problem(Problem.Kind.CORRUPT, key, detail));
    }
}
