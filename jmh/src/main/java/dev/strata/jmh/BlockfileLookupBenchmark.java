package dev.strata.jmh;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.BlockfileWriter;
import dev.strata.blockfile.ValueType;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Point lookups on a blockfile whose blocks are all in the memory cache: user id (string) → offset id
 * (long), as the record segment does for every get by id. Measures the binary search over the root,
 * the cache hit and the binary search in the block; no object-store request happens after setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
public class BlockfileLookupBenchmark {

    @Param({"1000000"})
    public int entries;

    @Param({"1048576"})
    public int targetBlockBytes;

    private Path dir;
    private LocalObjectStore store;
    private BlockfileReader<Long> reader;
    private String[] hitKeys;
    private String[] missKeys;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("blockfile-bench");
        store = new LocalObjectStore(dir);
        BlockCache cache = new BlockCache(store, 1L << 30);
        BlockfileWriter<Long> writer = BlockfileWriter.create(cache, "c/bench/", ValueType.LONG, targetBlockBytes);
        for (int i = 0; i < entries; i++) {
            writer.set("", idOf(i), (long) i);
        }
        reader = BlockfileReader.open(cache, writer.commit().rootKey(), ValueType.LONG);
        for (int b = 0; b < reader.blockCount(); b++) {
            reader.block(b);
        }
        SplittableRandom random = new SplittableRandom(42);
        hitKeys = new String[1 << 16];
        missKeys = new String[1 << 16];
        for (int i = 0; i < hitKeys.length; i++) {
            hitKeys[i] = idOf(random.nextInt(entries));
            missKeys[i] = idOf(random.nextInt(entries)) + "~";
        }
    }

    private static String idOf(int i) {
        return "user-%08d".formatted(i);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Per-thread cursor over the key arrays, so threads don't contend on a shared counter. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public Long getHit(Cursor cursor) {
        return reader.get("", hitKeys[cursor.next++ & (hitKeys.length - 1)]).orElseThrow();
    }

    @Benchmark
    public boolean containsMiss(Cursor cursor) {
        return reader.contains("", missKeys[cursor.next++ & (missKeys.length - 1)]);
    }
}
