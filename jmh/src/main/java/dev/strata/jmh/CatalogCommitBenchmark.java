package dev.strata.jmh;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogOptions;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.ConflictException;
import dev.strata.storage.LocalKv;
import dev.strata.storage.LocalObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one catalog change (a version commit: manifest CAS write + synced RocksDB write) as the catalog
 * grows, single-threaded and with concurrent committers sharing manifest writes (group commit).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class CatalogCommitBenchmark {

    @Param({"100", "2000"})
    int collections;

    Path dir;
    LocalObjectStore store;
    LocalKv kv;
    Catalog catalog;
    List<CollectionRecord> records;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("strata-catalog-bench");
        store = new LocalObjectStore(dir.resolve("objects"));
        kv = LocalKv.open(dir.resolve("catalog"), List.of(Catalog.KV_FAMILY));
        catalog = Catalog.open(kv, store, CatalogOptions.defaults());
        for (int i = 0; i < collections; i++) {
            catalog.createCollection("default_tenant", "default_database", "c" + i,
                    Map.of("owner", "bench", "i", i), Map.of("hnsw", Map.of("space", "l2")), 384);
        }
        records = catalog.allCollections();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        kv.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void commitOne() {
        CollectionRecord r = records.get(ThreadLocalRandom.current().nextInt(records.size()));
        long v = catalog.getCollection(r.id()).version();
        try {
            catalog.commitVersion(r.id(), v, v + 1, "c/" + r.id() + "/v/" + (v + 1) + ".json", v + 1);
        } catch (ConflictException raced) {
            // another thread committed this collection first: still one catalog change attempted
        }
    }

    @Benchmark
    @Threads(1)
    public void commitVersionOneThread() {
        commitOne();
    }

    @Benchmark
    @Threads(4)
    public void commitVersionFourThreads() {
        commitOne();
    }
}
