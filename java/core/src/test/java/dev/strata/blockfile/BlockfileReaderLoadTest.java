package dev.strata.blockfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.BlockCache;
import dev.strata.storage.BlockCacheOptions;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.RequestStats.Op;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader fetches the root on open and then only the blocks a lookup or scan reaches. */
class BlockfileReaderLoadTest {

    @TempDir
    Path dir;

    private LocalObjectStore store;
    private String rootKey;

    @BeforeEach
    void write() {
        store = new LocalObjectStore(dir);
        BlockfileWriter<Long> w = BlockfileWriter.create(new BlockCache(store, 1 << 20), "c/col/", ValueType.LONG, 512);
        for (long year = 1900; year < 2100; year++) {
            w.set("year", year, year * 10);
        }
        for (int i = 0; i < 200; i++) {
            w.set("name", "n%03d".formatted(i), (long) i);
        }
        rootKey = w.commit().rootKey();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private long gets() {
        return store.stats().requests(Op.GET);
    }

    @Test
    void pointLookupsLoadOneBlockEach() {
        long before = gets();
        BlockfileReader<Long> r = BlockfileReader.open(new BlockCache(store, 1 << 20), rootKey, ValueType.LONG);
        assertThat(gets() - before).as("open reads the root only").isEqualTo(1);
        assertThat(r.blockCount()).isGreaterThan(10);
        assertThat(r.count()).isEqualTo(400);
        assertThat(r.objectKeys()).hasSize(r.blockCount() + 1).first().isEqualTo(rootKey);
        assertThat(BlockfileReader.objectKeysOf(new BlockCache(store, 1 << 20), rootKey)).isEqualTo(r.objectKeys());
        assertThat(gets() - before).as("count and object keys come from the root").isEqualTo(2);

        before++;
        assertThat(r.get("year", 1950L)).contains(19500L);
        assertThat(gets() - before).isEqualTo(2);
        assertThat(r.blockIndexOf("year", 1951L)).isEqualTo(r.blockIndexOf("year", 1950L));
        assertThat(r.get("year", 1951L)).contains(19510L);
        assertThat(gets() - before).as("same block, from the cache").isEqualTo(2);
        long mid = gets();
        assertThat(r.get("name", "n150")).contains(150L);
        assertThat(r.contains("name", "n150x")).isFalse();
        assertThat(gets() - mid).as("a miss reads the one block that could hold the key").isEqualTo(1);
    }

    /** The blocks of whole prefixes in one wave: a scan of them then reads nothing more, and other blocks are not read. */
    @Test
    void prefetchPrefixesLoadsTheBlocksOfThosePrefixesOnly() {
        BlockfileReader<Long> r = BlockfileReader.open(new BlockCache(store, 1 << 20), rootKey, ValueType.LONG);
        int nameBlocks = r.blockIndexOf("name", "n199") - r.blockIndexOf("name", "n000") + 1;
        assertThat(nameBlocks).isGreaterThan(3);
        long before = gets();
        r.prefetchPrefixes(List.of("name", "absent"));
        assertThat(gets() - before).as("the blocks of \"name\" (\"absent\" would sort into the first of them)").isEqualTo(nameBlocks);
        try (var names = r.scanPrefix("name")) {
            assertThat(names.count()).isEqualTo(200);
        }
        assertThat(gets() - before).as("the scan reads no block more").isEqualTo(nameBlocks);
        assertThat(r.get("year", 2000L)).contains(20000L);
        assertThat(gets() - before).as("a year in the middle: its block was not read").isEqualTo(nameBlocks + 1);
    }

    /**
     * A batch of int keys (a query's records): values in the keys' order, null for a key the blockfile lacks, each
     * block loaded once; allCached says whether the batch would load anything.
     */
    @Test
    void aBatchOfIntKeysReadsEachBlockOnceInKeyOrder() {
        BlockfileReader<Long> r = BlockfileReader.open(new BlockCache(store, 1 << 20), rootKey, ValueType.LONG);
        long[] keys = {2099, 1900, 1899, 1950, 1900, 2100};
        int blocks = (int) java.util.stream.LongStream.of(2099, 1900, 1950)
                .mapToObj(k -> r.blockIndexOf("year", k)).distinct().count();
        assertThat(r.allCached("year", keys)).isFalse();
        long before = gets();
        assertThat(r.getAll("year", keys)).containsExactly(20990L, 19000L, null, 19500L, 19000L, null);
        assertThat(gets() - before).as("one GET per distinct block").isEqualTo(blocks);
        assertThat(r.allCached("year", keys)).isTrue();
        assertThat(r.getAll("year", new long[0])).isEmpty();
        assertThat(r.allCached("year", new long[0])).isTrue();
    }

    /**
     * The node that wrote a version reads it next (its queries, the warm graph's build): with a disk tier, every block
     * and the root it put are written through, and reading the whole blockfile again makes no GET.
     */
    @Test
    void aWriterWithADiskTierReadsWhatItWroteWithoutAGet() {
        try (BlockCache cache = new BlockCache(store, BlockCacheOptions.memoryOnly(1 << 20)
                .withDisk(dir.resolve("disk"), 16L << 20))) {
            BlockfileWriter<Long> w = BlockfileWriter.create(cache, "c/through/", ValueType.LONG, 512);
            for (long i = 0; i < 500; i++) {
                w.set("k", i, i * 3);
            }
            String root = w.commit().rootKey();
            BlockfileReader<Long> r = BlockfileReader.open(cache, root, ValueType.LONG);
            assertThat(r.blockCount()).isGreaterThan(5);
            r.objectKeys().forEach(cache::forgetMemory); // what the memory tier held is gone: the disk tier answers
            long before = gets();
            BlockfileReader<Long> again = BlockfileReader.open(cache, root, ValueType.LONG);
            assertThat(again.entries().mapToLong(e -> e.value()).sum()).isEqualTo(3L * 499 * 500 / 2);
            assertThat(gets() - before).as("GETs to read back what this cache's writer put").isZero();
            assertThat(cache.diskHits()).isEqualTo(again.blockCount() + 1);
        }
    }

    @Test
    void rangeScanLoadsOnlyTheBlocksItCovers() {
        BlockfileReader<Long> r = BlockfileReader.open(new BlockCache(store, 1 << 20), rootKey, ValueType.LONG);
        long before = gets();
        List<Long> years = r.range("year", 1990L, true, 2000L, false).map(e -> (Long) e.key().key()).toList();
        assertThat(years).containsExactlyElementsOf(IntStream.range(1990, 2000).mapToObj(y -> (long) y).toList());
        int first = r.blockIndexOf("year", 1990L);
        int last = r.blockIndexOf("year", 2000L);
        assertThat(gets() - before).isEqualTo(last - first + 1);
    }

    @Test
    void prefetchLoadsEachNeededBlockOnceThenLookupsHitTheCache() {
        BlockfileReader<Long> r = BlockfileReader.open(new BlockCache(store, 1 << 20), rootKey, ValueType.LONG);
        List<Long> years = List.of(1900L, 1901L, 2000L, 2099L, 2099L);
        long distinctBlocks = years.stream().map(y -> r.blockIndexOf("year", y)).distinct().count();
        assertThat(distinctBlocks).isEqualTo(3);
        long before = gets();
        r.prefetch("year", years);
        assertThat(gets() - before).isEqualTo(3);
        for (long y : years) {
            assertThat(r.get("year", y)).contains(y * 10);
        }
        assertThat(gets() - before).isEqualTo(3);
    }

    @Test
    void prefetchReportsACorruptBlock() {
        BlockfileReader<Long> r = BlockfileReader.open(new BlockCache(store, 1 << 20), rootKey, ValueType.LONG);
        String damaged = r.blockKeys().get(r.blockIndexOf("year", 2000L));
        store.put(damaged, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> r.prefetch("year", List.of(1900L, 2000L)))
                .isInstanceOfSatisfying(CorruptObjectException.class, e -> assertThat(e.key()).isEqualTo(damaged));
    }

    @Test
    void unboundedSideOfARangeStaysInTheBoundsKind() {
        BlockfileWriter<Long> w = BlockfileWriter.fork(new BlockCache(store, 1 << 20), rootKey, ValueType.LONG, 512);
        String next = w.set("year", 1995.5, -1L).set("year", "unknown", -2L).commit().rootKey();
        BlockfileReader<Long> r = BlockfileReader.open(new BlockCache(store, 1 << 20), next, ValueType.LONG);
        assertThat(r.range("year", 2098L, false, null, false).map(e -> e.key().key()).toList()).containsExactly(2099L);
        assertThat(r.range("year", null, false, 1000.0, true).map(e -> e.key().key()).toList()).isEmpty();
        assertThat(r.range("year", null, false, 2000.0, true).map(e -> e.key().key()).toList()).containsExactly(1995.5);
        assertThat(r.range("year", 2099L, true, "zzz", true).map(e -> e.key().key()).toList())
                .containsExactly(2099L, 1995.5, "unknown");
        assertThat(r.scanPrefix("year").count()).isEqualTo(202);
        assertThat(r.scanPrefix("nothing")).isEmpty();
    }

    @Test
    void concurrentReadersShareOneReader() throws Exception {
        BlockfileReader<Long> r = BlockfileReader.open(new BlockCache(store, 1 << 20), rootKey, ValueType.LONG);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Long>> sums = IntStream.range(0, 8).mapToObj(t -> pool.submit(() -> {
                long sum = 0;
                for (long year = 1900; year < 2100; year++) {
                    sum += r.get("year", year).orElseThrow();
                }
                return sum + r.scanPrefix("name").mapToLong(e -> e.value()).sum();
            })).toList();
            long expected = IntStream.range(1900, 2100).mapToLong(y -> y * 10L).sum() + IntStream.range(0, 200).sum();
            for (Future<Long> s : sums) {
                assertThat(s.get()).isEqualTo(expected);
            }
        }
    }
}
