package dev.strata.jmh;

import dev.strata.blockfile.BlockfileWriter;
import dev.strata.blockfile.ValueType;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogOptions;
import dev.strata.gc.GarbageCollector;
import dev.strata.gc.GcOptions;
import dev.strata.gc.GcReport;
import dev.strata.segment.VersionManifest;
import dev.strata.segment.VersionPins;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalKv;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
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
 * The cost of one GC pass that finds nothing to delete (the steady state of the background thread): one
 * collection with {@code versions} copy-on-write versions of a blockfile of about {@code blocks} blocks, every
 * version kept. After the first pass the kept versions' references are cached, so a pass is one catalog read, one
 * listing of the collection's prefix and the classification of every object; {@code coldPass} uses an empty cache
 * (a fresh node: every manifest and root is read again).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
public class GcRunBenchmark {

    private static final int TARGET_BLOCK_BYTES = 4096;
    private static final int ENTRIES_PER_BLOCK = 200;

    @Param({"1000"})
    public int blocks;

    @Param({"10"})
    public int versions;

    private Path dir;
    private LocalObjectStore store;
    private LocalKv kv;
    private Catalog catalog;
    private BlockCache cache;
    private VersionPins pins;
    private GarbageCollector warm;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("gc-bench");
        store = new LocalObjectStore(dir.resolve("objects"));
        kv = LocalKv.open(dir.resolve("kv"), List.of(Catalog.KV_FAMILY));
        catalog = Catalog.open(kv, store, CatalogOptions.defaults());
        cache = new BlockCache(store, 256L << 20);
        pins = new VersionPins();
        UUID id = catalog.createCollection("default_tenant", "default_database", "bench", null, null, null).id();
        String prefix = ObjectLayout.collectionFolder(id);
        long entries = (long) blocks * ENTRIES_PER_BLOCK;
        BlockfileWriter<Long> w = BlockfileWriter.create(cache, prefix, ValueType.LONG, TARGET_BLOCK_BYTES);
        for (long i = 0; i < entries; i++) {
            w.set("", i, i);
        }
        String root = w.commit().rootKey();
        SplittableRandom random = new SplittableRandom(7);
        for (long v = 1; v <= versions; v++) {
            if (v > 1) {
                // each version rewrites about 1% of the blocks
                BlockfileWriter<Long> f = BlockfileWriter.fork(cache, root, ValueType.LONG, TARGET_BLOCK_BYTES);
                for (int c = 0; c < Math.max(1, blocks / 100); c++) {
                    f.set("", random.nextLong(entries), v);
                }
                root = f.commit().rootKey();
            }
            VersionManifest m = new VersionManifest(VersionManifest.FORMAT, id, v, v, System.currentTimeMillis(), null,
                    (int) entries, (int) entries, Map.of("record.ids", root), List.of(), Map.of());
            store.put(m.objectKey(), m.encode());
            catalog.commitVersion(id, v - 1, v, m.objectKey(), v);
        }
        warm = collector(cache);
        warm.dryRun();
    }

    private GarbageCollector collector(BlockCache blockCache) {
        return new GarbageCollector(catalog, blockCache, pins, null,
                GcOptions.defaults().withKeepVersions(versions));
    }

    @Benchmark
    public GcReport steadyStatePass() {
        return warm.runOnce();
    }

    @Benchmark
    public GcReport coldPass() {
        try (BlockCache fresh = new BlockCache(store, 256L << 20)) {
            return collector(fresh).runOnce();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        catalog.close();
        kv.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
