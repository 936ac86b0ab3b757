package dev.strata.jmh;

import dev.strata.storage.BlockCache;
import dev.strata.storage.BlockCacheOptions;
import dev.strata.storage.Cacheable;
import dev.strata.storage.LocalObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of a block read per cache tier: a memory hit, a disk-tier hit (read + CRC32C check of the
 * file) and a miss served by the local object store. Blocks are {@code blockBytes} each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class BlockCacheBenchmark {

    record Blob(byte[] bytes) implements Cacheable {
        @Override
        public long sizeInBytes() {
            return bytes.length;
        }
    }

    private static final BiFunction<String, byte[], Blob> DECODE = (k, b) -> new Blob(b);
    private static final int BLOCKS = 64;

    @Param({"65536", "1048576"})
    int blockBytes;

    Path dir;
    LocalObjectStore store;
    BlockCache memoryHot;
    BlockCache diskOnly;
    BlockCache noCache;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("strata-cache-bench");
        store = new LocalObjectStore(dir.resolve("objects"));
        Random random = new Random(1);
        for (int i = 0; i < BLOCKS; i++) {
            byte[] b = new byte[blockBytes];
            random.nextBytes(b);
            store.put(key(i), b);
        }
        memoryHot = new BlockCache(store, 1L << 30);
        // memory too small to hold a block: every get goes to the disk tier
        diskOnly = new BlockCache(store, BlockCacheOptions.memoryOnly(1).withDisk(dir.resolve("cache"), 1L << 30));
        noCache = new BlockCache(store, 1);
        for (int i = 0; i < BLOCKS; i++) {
            memoryHot.get(key(i), DECODE);
            diskOnly.get(key(i), DECODE);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        memoryHot.close();
        diskOnly.close();
        noCache.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String key(int i) {
        return "c/bench/b/" + i;
    }

    private String nextKey() {
        next = (next + 1) % BLOCKS;
        return key(next);
    }

    @Benchmark
    public Blob memoryHit() {
        return memoryHot.get(nextKey(), DECODE);
    }

    @Benchmark
    public Blob diskTierHit() {
        return diskOnly.get(nextKey(), DECODE);
    }

    @Benchmark
    public Blob localStoreRead() {
        return noCache.get(nextKey(), DECODE);
    }
}
