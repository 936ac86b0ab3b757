package dev.strata.blockfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class BlockfileRoundTripTest {

    private static final int SMALL_BLOCKS = 512;
    private static final int N = 300;

    @TempDir
    Path dir;

    private LocalObjectStore store;

    @BeforeEach
    void open() {
        store = new LocalObjectStore(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Writes N entries (keys "id-000".."id-299" under prefix "p"), reads them back through a cold cache. */
    private <V> BlockfileReader<V> roundTrip(ValueType<V> type, IntFunction<V> valueOf) {
        BlockfileWriter<V> writer = BlockfileWriter.create(new BlockCache(store, 1 << 20), "c/col/", type, SMALL_BLOCKS);
        for (int i = N - 1; i >= 0; i--) {
            writer.set("p", "id-%03d".formatted(i), valueOf.apply(i));
        }
        CommitResult result = writer.commit();
        assertThat(result.rootKey()).startsWith("c/col/r/");
        assertThat(result.writtenBlockKeys()).hasSizeGreaterThan(1).allMatch(k -> k.startsWith("c/col/b/"));
        BlockfileReader<V> reader = BlockfileReader.open(new BlockCache(store, 1 << 20), result.rootKey(), type);
        assertThat(reader.count()).isEqualTo(N);
        assertThat(reader.blockCount()).isEqualTo(result.writtenBlockKeys().size());
        List<String> keys = reader.entries().map(e -> (String) e.key().key()).toList();
        assertThat(keys).hasSize(N).isSorted().doesNotHaveDuplicates();
        assertThat(reader.contains("p", "id-007")).isTrue();
        assertThat(reader.contains("p", "id-300")).isFalse();
        assertThat(reader.contains("q", "id-007")).isFalse();
        assertThat(reader.get("p", "nope")).isEmpty();
        return reader;
    }

    @Test
    void stringValues() {
        BlockfileReader<String> r = roundTrip(ValueType.STRING, i -> "document " + i + " é✓😀");
        assertThat(r.get("p", "id-123")).contains("document 123 é✓😀");
        assertThat(r.entries().map(BlockfileEntry::value)).element(5).isEqualTo("document 5 é✓😀");
    }

    @Test
    void longValues() {
        BlockfileReader<Long> r = roundTrip(ValueType.LONG, i -> i * 1_000_000_007L - 5);
        for (int i = 0; i < N; i++) {
            assertThat(r.get("p", "id-%03d".formatted(i))).contains(i * 1_000_000_007L - 5);
        }
    }

    @Test
    void doubleValues() {
        BlockfileReader<Double> r = roundTrip(ValueType.DOUBLE, i -> i == 0 ? Double.NaN : i / 3.0);
        assertThat(r.get("p", "id-000")).hasValueSatisfying(v -> assertThat(v).isNaN());
        assertThat(r.get("p", "id-299")).contains(299 / 3.0);
    }

    @Test
    void boolValues() {
        BlockfileReader<Boolean> r = roundTrip(ValueType.BOOL, i -> i % 3 == 0);
        assertThat(r.entries().filter(BlockfileEntry::value).count()).isEqualTo(100);
        assertThat(r.get("p", "id-004")).contains(false);
    }

    @Test
    void byteValues() {
        BlockfileReader<byte[]> r = roundTrip(ValueType.BYTES, i -> ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        assertThat(r.get("p", "id-042")).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("{\"n\":42}"));
        assertThat(roundTrip(ValueType.BYTES, i -> new byte[0]).get("p", "id-001")).hasValueSatisfying(
                b -> assertThat(b).isEmpty());
    }

    @Test
    void bitmapValuesAreFreshCopies() {
        BlockfileReader<RoaringBitmap> r = roundTrip(ValueType.BITMAP, i -> RoaringBitmap.bitmapOf(i, i + 1, 1_000_000 + i));
        RoaringBitmap got = r.get("p", "id-010").orElseThrow();
        assertThat(got.toArray()).containsExactly(10, 11, 1_000_010);
        got.add(77);
        assertThat(r.get("p", "id-010").orElseThrow().contains(77)).isFalse();
    }

    @Test
    void floatVectorsAreOneContiguousSegmentPerBlock() {
        int dim = 5;
        BlockfileReader<float[]> r = roundTrip(ValueType.floatVector(dim), i -> vectorOf(i, dim));
        assertThat(r.get("p", "id-123")).hasValueSatisfying(v -> assertThat(v).containsExactly(vectorOf(123, dim)));
        int seen = 0;
        for (int b = 0; b < r.blockCount(); b++) {
            Block<float[]> block = r.block(b);
            MemorySegment all = block.vectors();
            assertThat(all.byteSize()).isEqualTo((long) block.size() * dim * Float.BYTES);
            assertThat(all.isNative()).isTrue();
            for (int row = 0; row < block.size(); row++) {
                int id = Integer.parseInt(((String) block.key(row).key()).substring(3));
                float[] expected = vectorOf(id, dim);
                for (int j = 0; j < dim; j++) {
                    assertThat(all.getAtIndex(ValueLayout.JAVA_FLOAT, (long) row * dim + j)).isEqualTo(expected[j]);
                }
                seen++;
            }
        }
        assertThat(seen).isEqualTo(N);
        float[][] slice = new float[1][];
        assertThat(r.withVector("p", "id-200", v -> slice[0] = v.toArray(ValueLayout.JAVA_FLOAT))).isTrue();
        assertThat(slice[0]).containsExactly(vectorOf(200, dim));
        assertThat(r.withVector("p", "id-999", v -> slice[0] = null)).isFalse();
        assertThat(slice[0]).isNotNull();
    }

    private static float[] vectorOf(int i, int dim) {
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = i * 0.5f + j - 2.25f;
        }
        return v;
    }

    @Test
    void keysOfEveryKindAndPrefixesRoundTrip() {
        BlockCache cache = new BlockCache(store, 1 << 20);
        List<Object> keys = List.of(true, false, -5L, 7, Long.MAX_VALUE, -0.0, 0.0, Double.NEGATIVE_INFINITY, Double.NaN,
                2.5f, "", "a", "ä", "\uD83D\uDE00");
        BlockfileWriter<Long> w = BlockfileWriter.create(cache, "", ValueType.LONG, 64);
        long n = 0;
        for (String prefix : List.of("", "year", "name")) {
            for (Object k : keys) {
                w.set(prefix, k, n++);
            }
        }
        BlockfileReader<Long> r = BlockfileReader.open(new BlockCache(store, 1 << 20), w.commit().rootKey(), ValueType.LONG);
        n = 0;
        for (String prefix : List.of("", "year", "name")) {
            for (Object k : keys) {
                assertThat(r.get(prefix, k)).as("%s/%s", prefix, k).contains(n++);
            }
        }
        assertThat(r.get("year", 7L)).isEqualTo(r.get("year", 7));
        assertThat(r.get("year", (double) Long.MAX_VALUE)).isEmpty();
        assertThat(r.count()).isEqualTo(3L * keys.size());
    }

    @Test
    void emptyBlockfile() {
        BlockCache cache = new BlockCache(store, 1 << 20);
        CommitResult result = BlockfileWriter.create(cache, "c/x/", ValueType.STRING).commit();
        assertThat(result.writtenBlockKeys()).isEmpty();
        BlockfileReader<String> r = BlockfileReader.open(cache, result.rootKey(), ValueType.STRING);
        assertThat(r.count()).isZero();
        assertThat(r.get("p", "a")).isEmpty();
        assertThat(r.entries()).isEmpty();
        assertThat(r.scanPrefix("p")).isEmpty();
        assertThat(r.objectKeys()).containsExactly(result.rootKey());
        CommitResult next = BlockfileWriter.fork(cache, result.rootKey(), ValueType.STRING).set("p", "a", "x").commit();
        assertThat(BlockfileReader.open(cache, next.rootKey(), ValueType.STRING).get("p", "a")).contains("x");
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        BlockCache cache = new BlockCache(store, 1 << 20);
        BlockfileWriter<float[]> w = BlockfileWriter.create(cache, "c/x/", ValueType.floatVector(3));
        assertThatThrownBy(() -> w.set("p", "a", new float[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension 2").hasMessageContaining("stores 3");
        assertThatThrownBy(() -> w.set("p", "a", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be null");
        assertThatThrownBy(() -> w.set("p", UUID.randomUUID(), new float[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported key type java.util.UUID");
        assertThatThrownBy(() -> w.set(null, "a", new float[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> w.set("p", "bad\uD83D", new float[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> BlockfileWriter.create(cache, "c/y/", ValueType.STRING).set("p", "k", "\uDE00x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("string value");
        assertThatThrownBy(() -> ValueType.floatVector(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlockfileWriter.create(cache, "c/x", ValueType.LONG))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends with '/'");
        String root = w.set("p", "a", new float[3]).commit().rootKey();
        assertThatThrownBy(() -> w.set("p", "b", new float[3])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BlockfileReader.open(cache, root, ValueType.floatVector(4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FLOAT_VECTOR(3)");
        assertThatThrownBy(() -> BlockfileReader.open(cache, root, ValueType.STRING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlockfileReader.open(cache, "c/x/b/123", ValueType.STRING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a blockfile root key");
    }

    @Test
    void largeValuesGetBlocksOfTheirOwn() {
        BlockCache cache = new BlockCache(store, 1 << 20);
        BlockfileWriter<byte[]> w = BlockfileWriter.create(cache, "c/x/", ValueType.BYTES, 100);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            values.add(new byte[1000 + i]);
            w.set("p", (long) i, values.get(i));
        }
        CommitResult result = w.commit();
        assertThat(result.writtenBlockKeys()).hasSize(5);
        BlockfileReader<byte[]> r = BlockfileReader.open(cache, result.rootKey(), ValueType.BYTES);
        assertThat(r.get("p", 3L)).hasValueSatisfying(b -> assertThat(b).hasSize(1003));
    }

    @Test
    void vectorBlockfileForkRewritesOnlyTheChangedBlock() {
        int dim = 8;
        BlockCache cache = new BlockCache(store, 1 << 20);
        BlockfileWriter<float[]> w = BlockfileWriter.create(cache, "c/v/", ValueType.floatVector(dim), 1024);
        for (long id = 0; id < 400; id++) {
            w.set("", id, vectorOf((int) id, dim));
        }
        CommitResult first = w.commit();
        CommitResult second = BlockfileWriter.fork(cache, first.rootKey(), ValueType.floatVector(dim), 1024)
                .set("", 123L, vectorOf(-1, dim)).commit();
        assertThat(second.writtenBlockKeys()).hasSize(1);
        assertThat(second.sharedBlockKeys()).hasSize(first.writtenBlockKeys().size() - 1);
        BlockfileReader<float[]> r = BlockfileReader.open(new BlockCache(store, 1 << 20), second.rootKey(), ValueType.floatVector(dim));
        float[][] changed = new float[1][];
        assertThat(r.withVector("", 123L, v -> changed[0] = v.toArray(ValueLayout.JAVA_FLOAT))).isTrue();
        assertThat(changed[0]).containsExactly(vectorOf(-1, dim));
        assertThat(r.get("", 124L)).hasValueSatisfying(v -> assertThat(v).containsExactly(vectorOf(124, dim)));
        Block<float[]> block = r.block(r.blockIndexOf("", 123L));
        int row = block.find("", 123L);
        assertThat(block.vector(row).address()).isEqualTo(block.vectors().address() + (long) row * dim * Float.BYTES);
    }

    @Test
    void metadataInvertedIndexRangeUnion() {
        BlockCache cache = new BlockCache(store, 1 << 20);
        BlockfileWriter<RoaringBitmap> w = BlockfileWriter.create(cache, "c/m/", ValueType.BITMAP, 256);
        for (long year = 1950; year < 2020; year++) {
            RoaringBitmap ids = new RoaringBitmap();
            for (int offset = (int) (year - 1950); offset < 1000; offset += 70) {
                ids.add(offset);
            }
            w.set("year", year, ids);
        }
        w.set("genre", "jazz", RoaringBitmap.bitmapOf(1, 2, 3));
        BlockfileReader<RoaringBitmap> r = BlockfileReader.open(cache, w.commit().rootKey(), ValueType.BITMAP);
        RoaringBitmap nineties = new RoaringBitmap();
        r.range("year", 1990L, true, 2000L, false).forEach(e -> nineties.or(e.value()));
        RoaringBitmap expected = new RoaringBitmap();
        for (int offset = 0; offset < 1000; offset++) {
            if (1950 + offset % 70 >= 1990 && 1950 + offset % 70 < 2000) {
                expected.add(offset);
            }
        }
        assertThat(nineties).isEqualTo(expected);
        assertThat(r.get("genre", "jazz").orElseThrow().toArray()).containsExactly(1, 2, 3);
    }

    @Test
    void valuesModifiedAfterSetAreCommittedAsTheyWereSet() {
        BlockCache cache = new BlockCache(store, 1 << 20);
        float[] vector = {1, 2, 3};
        BlockfileWriter<float[]> vectors = BlockfileWriter.create(cache, "c/v/", ValueType.floatVector(3)).set("", 1L, vector);
        vector[0] = 99;
        RoaringBitmap bitmap = RoaringBitmap.bitmapOf(1);
        BlockfileWriter<RoaringBitmap> bitmaps = BlockfileWriter.create(cache, "c/b/", ValueType.BITMAP).set("k", "v", bitmap);
        bitmap.add(2);
        byte[] bytes = {5};
        BlockfileWriter<byte[]> raw = BlockfileWriter.create(cache, "c/r/", ValueType.BYTES).set("", 1L, bytes);
        bytes[0] = 6;
        assertThat(BlockfileReader.open(cache, vectors.commit().rootKey(), ValueType.floatVector(3)).get("", 1L).orElseThrow())
                .containsExactly(1, 2, 3);
        assertThat(BlockfileReader.open(cache, bitmaps.commit().rootKey(), ValueType.BITMAP).get("k", "v").orElseThrow().toArray())
                .containsExactly(1);
        assertThat(BlockfileReader.open(cache, raw.commit().rootKey(), ValueType.BYTES).get("", 1L).orElseThrow())
                .containsExactly(5);
    }
}
