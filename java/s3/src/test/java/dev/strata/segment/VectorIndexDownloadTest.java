package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.Neighbors;
import dev.strata.nativeio.Space;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.RequestStats;
import dev.strata.storage.S3ObjectStore;
import dev.strata.testing.S3MockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node without the index file downloads it in ranged chunks straight into memory and loads it from
 * there: the bytes must come out exact (the file's checksum is checked), a corrupt or short range must be
 * reported with the object's key, on a local folder and on S3 alike.
 */
class VectorIndexDownloadTest {

    private static final int DIM = 16;
    private static final int CHUNK = 10_000;
    private static final String KEY = "c/x/i/one/hnsw.bin";
    private static final VectorParams PARAMS = new VectorParams(Space.L2, DIM, 16, 100, 100);

    @TempDir
    Path dir;

    @Test
    void aLocalStoreIndexDownloadsInChunksIntoMemoryAndAnswersAsTheOriginal() throws IOException {
        try (ObjectStore store = new LocalObjectStore(dir.resolve("objects"))) {
            assertDownloadsExactly(store);
        }
    }

    @Test
    void anS3IndexDownloadsInChunksIntoMemoryAndAnswersAsTheOriginal() throws IOException {
        try (ObjectStore store = new S3ObjectStore(S3MockServer.shared().newBucket("index-download"))) {
            assertDownloadsExactly(store);
        }
    }

    private void assertDownloadsExactly(ObjectStore store) throws IOException {
        float[][] vectors = vectors(2000, 1);
        try (HnswIndex original = upload(store, vectors);
             VectorIndexes cold = new VectorIndexes(store, dir.resolve("cold"), CHUNK)) {
            assertThat(store.head(KEY).orElseThrow().size()).isGreaterThan(10L * CHUNK);
            HnswIndex loaded = cold.acquire("x", KEY, PARAMS);
            assertThat(loaded.count()).isEqualTo(vectors.length);
            original.setEf(PARAMS.efSearch());
            for (float[] q : vectors(20, 2)) {
                Neighbors a = loaded.search(q, 10);
                Neighbors b = original.search(q, 10);
                assertThat(a.ids()).containsExactly(b.ids());
                assertThat(a.distances()).containsExactly(b.distances());
            }
            // Loaded from memory: no file was written on the way ...
            try (Stream<Path> files = Files.list(dir.resolve("cold"))) {
                assertThat(files.toList()).isEmpty();
            }
            // ... and a compaction's private copy downloads it to a file then.
            try (HnswIndex copy = cold.loadCopy(KEY, PARAMS)) {
                assertThat(copy.count()).isEqualTo(vectors.length);
            }
            cold.release(KEY);
        }
    }

    @Test
    void aRangeWithAFlippedByteFailsTheChecksumAndNamesTheObject() throws IOException {
        try (ObjectStore local = new LocalObjectStore(dir.resolve("objects"));
             HnswIndex ignored = upload(local, vectors(2000, 3))) {
            ObjectStore flipping = new RangeTampering(local, bytes -> {
                byte[] b = bytes.clone();
                b[b.length / 2] ^= 0x10;
                return b;
            });
            try (VectorIndexes cold = new VectorIndexes(flipping, dir.resolve("cold"), CHUNK)) {
                assertThatThrownBy(() -> cold.acquire("x", KEY, PARAMS))
                        .isInstanceOfSatisfying(CorruptObjectException.class, e -> assertThat(e.key()).isEqualTo(KEY))
                        .hasMessageContaining("checksum mismatch").hasMessageContaining(KEY);
                assertThat(cold.loadedCount()).isZero();
            }
        }
    }

    @Test
    void aShortRangeIsReportedAsCorruptWithTheObjectKey() throws IOException {
        try (ObjectStore local = new LocalObjectStore(dir.resolve("objects"));
             HnswIndex ignored = upload(local, vectors(2000, 4))) {
            ObjectStore cutting = new RangeTampering(local, bytes -> Arrays.copyOf(bytes, bytes.length - 1));
            try (VectorIndexes cold = new VectorIndexes(cutting, dir.resolve("cold"), CHUNK)) {
                assertThatThrownBy(() -> cold.acquire("x", KEY, PARAMS))
                        .isInstanceOf(CorruptObjectException.class)
                        .hasMessageContaining(KEY).hasMessageContaining("returned");
            }
        }
    }

    /** Builds an index of these vectors and uploads its file under {@link #KEY}; returns the index. */
    private HnswIndex upload(ObjectStore store, float[][] vectors) {
        HnswIndex index = HnswIndex.create(Space.L2, DIM, 16, 100, vectors.length, 7);
        long[] labels = new long[vectors.length];
        Arrays.setAll(labels, i -> i);
        index.add(labels, vectors);
        Path file = dir.resolve("saved-" + System.nanoTime() + ".bin");
        index.save(file);
        store.putFile(KEY, file);
        return index;
    }

    private static float[][] vectors(int n, long seed) {
        Random random = new Random(seed);
        float[][] v = new float[n][DIM];
        for (float[] row : v) {
            for (int j = 0; j < DIM; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return v;
    }

    /** Passes every request through, with each ranged read's bytes changed by {@code tamper}. */
    private static final class RangeTampering extends ForwardingObjectStore {
        private final java.util.function.UnaryOperator<byte[]> tamper;

        RangeTampering(ObjectStore delegate, java.util.function.UnaryOperator<byte[]> tamper) {
            super(delegate);
            this.tamper = tamper;
        }

        @Override
        protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
            return call.get();
        }

        @Override
        public byte[] getRange(String key, long offset, int length) {
            return tamper.apply(delegate.getRange(key, offset, length));
        }

        @Override
        public int getRange(String key, long offset, java.nio.ByteBuffer into) {
            byte[] bytes = getRange(key, offset, into.remaining());
            into.put(bytes);
            return bytes.length;
        }

        @Override
        public String describe() {
            return "tampering " + delegate.describe();
        }
    }
}
