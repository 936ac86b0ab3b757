package dev.strata.ops;

import dev.strata.segment.HnswFile;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.UnsupportedFormatVersionException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks a saved vector index file through the segment layer's reader of HNSW files ({@link HnswFile}),
 * which streams it in ranges, and turns what it finds into a {@link Problem}.
 */
final class IndexFiles {

    static final int DEFAULT_CHUNK_BYTES = HnswFile.DEFAULT_CHUNK_BYTES;

    private IndexFiles() {}

    /**
     * What is wrong with the index file at {@code key} of {@code size} bytes, or empty when it is an intact
     * HNSW file of the expected dimension (null: any).
     */
    static Optional<Problem> check(ObjectStore store, String key, long size, Integer expectedDimension, int chunkBytes) {
        OptionalLong dimension;
        try {
            dimension = HnswFile.verify(store, key, size, chunkBytes);
        } catch (CorruptObjectException e) {
            return Optional.of(new Problem(Problem.Kind.CORRUPT, key, Verifier.detailOf(e)));
        } catch (UnsupportedFormatVersionException e) {
            return Optional.of(new Problem(Problem.Kind.TOO_NEW, key, Verifier.detailOf(e)));
        }
        if (dimension.isEmpty()) {
            return ObjectLayout.parseIndexFile(key).filter(ObjectLayout.IndexFileKey::isHnsw).isPresent()
                    ? Optional.of(new Problem(Problem.Kind.CORRUPT, key, "index file named as an HNSW graph lacks the STRHNSW1 magic"))
                    : Optional.of(new Problem(Problem.Kind.UNVERIFIED, key,
                            "index file of unknown format: only its presence was checked"));
        }
        if (expectedDimension != null && dimension.getAsLong() != expectedDimension) {
            return Optional.of(new Problem(Problem.Kind.MISMATCH, key, "index file has dimension " + dimension.getAsLong()
                    + " but its version manifest says " + expectedDimension));
        }
        return Optional.empty();
    }
}
