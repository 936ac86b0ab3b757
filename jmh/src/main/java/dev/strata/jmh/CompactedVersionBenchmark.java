package dev.strata.jmh;

import dev.strata.filter.DocumentFilter;
import dev.strata.filter.MetadataFilter.CompareOp;
import dev.strata.filter.MetadataFilter;
import dev.strata.nativeio.Space;
import dev.strata.segment.CompactedVersion;
import dev.strata.segment.CompactedVersions;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogMaterializer;
import dev.strata.segment.LogOperation;
import dev.strata.segment.RecordChange;
import dev.strata.segment.VectorIndexes;
import dev.strata.segment.VectorParams;
import dev.strata.segment.VersionPins;
import dev.strata.segment.VersionView;
import dev.strata.segment.VersionWriter;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads of a compacted 50,000-record version (64-d cosine vectors, a document and three metadata keys
 * each) with a warm block cache: filter planning into bitmaps, k-NN with and without an allow-list, and
 * fetching records.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
public class CompactedVersionBenchmark {

    static final int N = 50_000;
    static final int DIM = 64;
    static final List<String> WORDS = List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
            "hotel", "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa");

    Path dir;
    LocalObjectStore store;
    BlockCache cache;
    VectorIndexes indexes;
    CompactedVersion version;
    float[] query;
    RoaringBitmap onePercent;
    RoaringBitmap thirtyPercent;
    int[] tenOffsets;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("strata-version-bench");
        store = new LocalObjectStore(dir.resolve("objects"));
        cache = new BlockCache(store, 512L << 20);
        indexes = new VectorIndexes(store, dir.resolve("hnsw"));
        Random random = new Random(42);
        List<String> ids = new ArrayList<>();
        float[][] vectors = new float[N][];
        List<String> docs = new ArrayList<>();
        List<Map<String, Object>> metas = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            ids.add("id-" + i);
            vectors[i] = vector(random);
            StringBuilder doc = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                doc.append(WORDS.get(random.nextInt(WORDS.size()))).append(' ');
            }
            docs.add(doc.toString());
            metas.add(Map.of("category", "cat-" + (i % 100), "year", 1990L + i % 35, "score", random.nextDouble()));
        }
        List<RecordChange> changes = LogMaterializer.materialize(id -> null,
                List.of(new LogBatch(LogOperation.ADD, ids, vectors, docs, metas, null)));
        UUID collection = UUID.randomUUID();
        VersionWriter.Written w = new VersionWriter(cache, indexes).write(collection, null, changes, 1, 1,
                d -> new VectorParams(Space.COSINE, d, 16, 100, 100));
        store.putIfAbsent(w.manifest().objectKey(), w.manifest().encode());
        version = new CompactedVersions(cache, indexes, new VersionPins()).open(w.manifest().objectKey());
        query = vector(random);
        onePercent = version.matching(new MetadataFilter.Compare("category", CompareOp.EQ, "cat-7"), null);
        thirtyPercent = version.matching(new MetadataFilter.Compare("score", CompareOp.LT, 0.3), null);
        tenOffsets = new int[10];
        for (int i = 0; i < 10; i++) {
            tenOffsets[i] = random.nextInt(N);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        version.close();
        indexes.close();
        cache.close();
        store.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static float[] vector(Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @Benchmark
    public RoaringBitmap whereEquals1Percent() {
        return version.matching(new MetadataFilter.Compare("category", CompareOp.EQ, "cat-42"), null);
    }

    @Benchmark
    public RoaringBitmap whereIntRange() {
        return version.matching(new MetadataFilter.Compare("year", CompareOp.GTE, 2015L), null);
    }

    @Benchmark
    public RoaringBitmap whereNotEquals() {
        return version.matching(new MetadataFilter.Compare("category", CompareOp.NE, "cat-42"), null);
    }

    @Benchmark
    public RoaringBitmap documentContains() {
        return version.matching(null, new DocumentFilter.Contains("kilo lima", false));
    }

    @Benchmark
    public List<VersionView.Neighbor> nearestUnfiltered() {
        return version.nearest(query, 10, null);
    }

    @Benchmark
    public List<VersionView.Neighbor> nearestOnePercentExact() {
        return version.nearest(query, 10, onePercent);
    }

    @Benchmark
    public List<VersionView.Neighbor> nearestThirtyPercentHnsw() {
        return version.nearest(query, 10, thirtyPercent);
    }

    @Benchmark
    public Object readTenRecords() {
        return version.read(tenOffsets, VersionView.Fields.ALL);
    }
}
