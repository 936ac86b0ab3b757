package dev.strata.blockfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks of vectors keep them off-heap and free that memory when neither the cache nor a reader holds the
 * block: at once, not at the next GC, and never under a reader.
 */
class BlockMemoryTest {

    private static final int DIM = 16;
    private static final int ROWS = 4_000;
    /** Bytes of vectors per block; the memory tier below holds about two blocks. */
    private static final int BLOCK_BYTES = 32 * 1024;

    @TempDir
    Path dir;

    private LocalObjectStore store;
    private String rootKey;

    @BeforeEach
    void write() {
        store = new LocalObjectStore(dir);
        BlockfileWriter<float[]> w = BlockfileWriter.create(new BlockCache(store, 1 << 20), "c/v/",
                ValueType.floatVector(DIM), BLOCK_BYTES);
        for (long i = 0; i < ROWS; i++) {
            w.set("", i, vectorOf(i));
        }
        rootKey = w.commit().rootKey();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private BlockfileReader<float[]> reader(BlockCache cache) {
        BlockfileReader<float[]> r = BlockfileReader.open(cache, rootKey, ValueType.floatVector(DIM));
        assertThat(r.blockCount()).as("enough blocks to overflow the memory tier").isGreaterThan(8);
        return r;
    }

    private static BlockCache smallCache(LocalObjectStore store) {
        return new BlockCache(store, 2L * BLOCK_BYTES + BLOCK_BYTES / 2);
    }

    @Test
    void aBlockTheCacheDropsIsFreedAtOnceWhenNobodyHoldsIt() {
        BlockCache cache = smallCache(store);
        BlockfileReader<float[]> r = reader(cache);
        Block<float[]> first = r.block(0);
        first.release();
        assertThat(first.isFreed()).as("the memory tier still holds it").isFalse();
        for (int b = 1; b < r.blockCount(); b++) {
            r.block(b).release();
        }
        assertThat(first.isFreed()).as("evicted, and nobody else held it").isTrue();
        assertThatThrownBy(() -> first.vectors().get(ValueLayout.JAVA_FLOAT, 0))
                .as("a use after release fails instead of reading freed memory")
                .isInstanceOf(IllegalStateException.class);
        assertThat(first.retain()).as("a freed block cannot be taken again").isFalse();
    }

    @Test
    void aBlockAReaderHoldsStaysValidAfterEvictionUntilReleased() {
        BlockCache cache = smallCache(store);
        BlockfileReader<float[]> r = reader(cache);
        Block<float[]> held = r.block(0);
        for (int b = 1; b < r.blockCount(); b++) {
            r.block(b).release();
        }
        assertThat(cache.isCached(r.blockKeys().getFirst())).as("evicted").isFalse();
        assertThat(held.isFreed()).isFalse();
        for (int row = 0; row < held.size(); row++) {
            assertThat(held.vector(row).toArray(ValueLayout.JAVA_FLOAT)).containsExactly(vectorOf(held.key(row).num()));
        }
        Block<float[]> again = r.block(0);
        assertThat(again).as("read again into the cache: a new copy").isNotSameAs(held);
        again.release();
        held.release();
        assertThat(held.isFreed()).as("its last reference released").isTrue();
        assertThat(again.isFreed()).as("freed unless the memory tier kept the new copy")
                .isEqualTo(!cache.isCached(r.blockKeys().getFirst()));
        assertThatThrownBy(held::release).as("a release without a reference is a bug, reported")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingTheCacheFreesTheBlocksNobodyHolds() {
        BlockCache cache = new BlockCache(store, 64L << 20);
        BlockfileReader<float[]> r = reader(cache);
        List<Block<float[]>> blocks = new ArrayList<>();
        for (int b = 0; b < r.blockCount(); b++) {
            Block<float[]> block = r.block(b);
            blocks.add(block);
            if (b > 0) {
                block.release();
            }
        }
        cache.close();
        assertThat(blocks.subList(1, blocks.size())).allMatch(Block::isFreed);
        assertThat(blocks.getFirst().isFreed()).as("still held by its reader").isFalse();
        blocks.getFirst().release();
        assertThat(blocks.getFirst().isFreed()).isTrue();
    }

    /** Scans, lookups and copy-on-write reads through a memory tier far smaller than the file see every value. */
    @Test
    void readsThroughATinyMemoryTierSeeEveryValue() {
        BlockCache cache = smallCache(store);
        BlockfileReader<float[]> r = reader(cache);
        long[] seen = {0};
        r.entries().forEach(e -> {
            assertThat(e.value()).containsExactly(vectorOf(e.key().num()));
            seen[0]++;
        });
        assertThat(seen[0]).isEqualTo(ROWS);
        assertThat(r.range("", 100L, true, 3_900L, false).count()).isEqualTo(3_800);
        assertThat(r.getAll("", new long[] {3_999, 0, 2_000, 77_777})).satisfies(values -> {
            assertThat(values.get(0)).containsExactly(vectorOf(3_999));
            assertThat(values.get(1)).containsExactly(vectorOf(0));
            assertThat(values.get(2)).containsExactly(vectorOf(2_000));
            assertThat(values.get(3)).isNull();
        });
        // a fork reads the old blocks it rewrites through the same tiny tier
        BlockfileWriter<float[]> fork = BlockfileWriter.fork(cache, rootKey, ValueType.floatVector(DIM), BLOCK_BYTES);
        for (long i = 0; i < ROWS; i += 97) {
            fork.set("", i, vectorOf(-i));
        }
        BlockfileReader<float[]> forked = BlockfileReader.open(cache, fork.commit().rootKey(), ValueType.floatVector(DIM));
        forked.entries().forEach(e -> {
            long i = e.key().num();
            assertThat(e.value()).containsExactly(vectorOf(i % 97 == 0 ? -i : i));
        });
    }

    /**
     * Many readers of one tiny memory tier at once: each sees its vector whole while blocks are evicted and freed
     * around it, and once the cache is closed every block is freed (nothing leaked a reference).
     */
    @Test
    void concurrentReadersNeverSeeFreedMemoryAndLeaveNothingHeld() throws Exception {
        BlockCache cache = smallCache(store);
        BlockfileReader<float[]> r = reader(cache);
        List<Block<float[]>> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong checked = new AtomicLong();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                tasks.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int n = 0; n < 3_000; n++) {
                        long key = random.nextLong(ROWS);
                        if (n % 3 == 0) {
                            try (Block<float[]> b = r.block(r.blockIndexOf("", key))) {
                                seen.add(b);
                                int row = b.find("", key);
                                MemorySegment v = b.vector(row);
                                Thread.yield(); // let other readers evict it meanwhile
                                assertThat(v.toArray(ValueLayout.JAVA_FLOAT)).containsExactly(vectorOf(key));
                            }
                        } else {
                            assertThat(r.withVector("", key, v -> assertThat(v.toArray(ValueLayout.JAVA_FLOAT))
                                    .containsExactly(vectorOf(key)))).isTrue();
                        }
                        checked.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : tasks) {
                f.get();
            }
        }
        assertThat(checked.get()).isEqualTo(12_000);
        assertThat(cache.misses()).as("the tier was far too small: blocks were read again and again")
                .isGreaterThan(100);
        cache.close();
        assertThat(seen).isNotEmpty().allMatch(Block::isFreed);
    }

    private static float[] vectorOf(long i) {
        float[] v = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            v[j] = i * 0.25f + j;
        }
        return v;
    }
}
