package dev.strata.jmh;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import dev.strata.api.Where;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole embedded query as a JVM service calls it ({@code Collection.query}, k=10) on a warm, compacted
 * collection of {@code size} x 384 cosine vectors in 100 Gaussian clusters, each record with a document and
 * two metadata keys: distances only, distances + documents + metadatas, and the latter with a 10% filter.
 * Sample time gives p50 / p99; run with {@code -prof gc} for the allocation per query (issue 19's targets:
 * p50 ≤ 200 µs and ≤ 20 KB per query at 100k with documents and metadatas).
 *
 * <pre>java -jar jmh/target/benchmarks.jar EmbeddedQueryBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Xms1g", "-Xmx2g"})
public class EmbeddedQueryBenchmark {

    static final int DIM = 384;
    static final int CLUSTERS = 100;
    static final int QUERIES = 256;
    static final int BATCH = 1000;

    @Param("100000")
    int size;

    Path dir;
    Strata strata;
    Collection collection;
    float[][] queries;
    int next;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("strata-embedded-query");
        strata = Strata.open(Settings.defaults(dir));
        collection = strata.database().createCollection("bench", null, CollectionConfiguration.defaults().withSpace(Space.COSINE));
        Random random = new Random(42);
        float[][] centres = new float[CLUSTERS][];
        for (int c = 0; c < CLUSTERS; c++) {
            centres[c] = gaussian(random, null, 1f);
        }
        for (int from = 0; from < size; from += BATCH) {
            int n = Math.min(BATCH, size - from);
            List<String> ids = new ArrayList<>(n);
            List<float[]> vectors = new ArrayList<>(n);
            List<String> docs = new ArrayList<>(n);
            List<Map<String, Object>> metas = new ArrayList<>(n);
            for (int i = from; i < from + n; i++) {
                ids.add("r" + i);
                vectors.add(gaussian(random, centres[random.nextInt(CLUSTERS)], 0.3f));
                docs.add("record " + i + " of the embedded query benchmark, a short document like a chunk title");
                metas.add(Map.of("category", "c" + (i % 10), "year", 1990 + i % 35));
            }
            collection.add(RecordSet.builder().ids(ids).embeddings(vectors).documents(docs).metadatas(metas).build());
        }
        collection.compact();
        queries = new float[QUERIES][];
        for (int q = 0; q < QUERIES; q++) {
            queries[q] = gaussian(random, centres[random.nextInt(CLUSTERS)], 0.3f);
        }
        // Warm: the in-memory graph is built in the background after the compaction; wait until queries
        // stop getting faster (its build) rather than guess a time.
        waitForSteadyQueries();
    }

    private void waitForSteadyQueries() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        double previous = Double.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                distancesOnly();
            }
            double perQuery = (System.nanoTime() - start) / 200.0;
            if (perQuery > previous * 0.9) {
                return;
            }
            previous = perQuery;
            Thread.sleep(2_000);
        }
    }

    private float[] query() {
        return queries[next++ & (QUERIES - 1)];
    }

    @Benchmark
    public QueryResult distancesOnly() {
        return collection.query(QueryRequest.builder().queryEmbeddings(query()).nResults(10)
                .include(Include.DISTANCES).build());
    }

    @Benchmark
    public QueryResult documentsMetadatasDistances() {
        return collection.query(QueryRequest.builder().queryEmbeddings(query()).nResults(10)
                .include(Include.DISTANCES, Include.DOCUMENTS, Include.METADATAS).build());
    }

    @Benchmark
    public QueryResult filteredTenPercent() {
        return collection.query(QueryRequest.builder().queryEmbeddings(query()).nResults(10)
                .where(Where.eq("category", "c3"))
                .include(Include.DISTANCES, Include.DOCUMENTS, Include.METADATAS).build());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        strata.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static float[] gaussian(Random random, float[] centre, float scale) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (centre == null ? 0 : centre[i]) + (float) random.nextGaussian() * scale;
        }
        return v;
    }
}
