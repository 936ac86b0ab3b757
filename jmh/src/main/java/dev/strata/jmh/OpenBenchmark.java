package dev.strata.jmh;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import dev.strata.storage.LocalFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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
 * {@code Strata.open} on an existing folder with the default settings (local storage, local durability), as an
 * embedding application meets it (issue 16: under 1 s in a fresh JVM, under 300 ms in a warm one). The folder holds
 * one collection of {@code size} x 384 cosine records with documents and metadatas, compacted, plus an uncompacted
 * log tail of {@code tail} records (below the compaction threshold), so open recovers a log and the first query
 * reads a version and scans a tail.
 *
 * <ul>
 *   <li>{@code freshOpen}, {@code freshOpenAndQuery}: the first open in a new JVM, one shot per fork (each fork is a
 *       fresh JVM; Strata's classes are not loaded before the measured call). The second adds what a user meets
 *       next: {@code getCollection} and a first query (k=10, documents + metadatas + distances).</li>
 *   <li>{@code warmOpen}, {@code warmOpenAndQuery}: the same, opened and closed again and again in one JVM (the close
 *       is not measured).</li>
 * </ul>
 *
 * <p>The folder is written once per jar and parameters by a child JVM (so the measured forks never ran Strata) into
 * {@code java.io.tmpdir}, and each fork copies it to a folder of its own.
 *
 * <pre>java -jar jmh/target/benchmarks.jar OpenBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OpenBenchmark {

    static final int DIM = 384;
    static final int CLUSTERS = 100;
    static final int BATCH = 1000;
    static final String COLLECTION = "bench";
    static final String[] JVM_FLAGS = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Xms256m", "-Xmx2g"};

    @Param("10000")
    int size;

    /** Records added after the compaction: the log tail open recovers and a first query scans. */
    @Param("500")
    int tail;

    Path dir;
    Strata strata;
    float[] query;

    @Setup(Level.Trial)
    public void copyFolder() throws Exception {
        Path template = template(size, tail);
        dir = Files.createTempDirectory("strata-open-bench");
        copyTree(template, dir);
        query = gaussian(new Random(7), null, 1f);
    }

    /** Closes what the iteration opened: not part of the measured time. */
    @TearDown(Level.Iteration)
    public void close() {
        if (strata != null) {
            strata.close();
            strata = null;
        }
    }

    @TearDown(Level.Trial)
    public void deleteFolder() throws IOException {
        LocalFolders.deleteTree(dir);
    }

    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(value = 10, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Xms256m", "-Xmx2g"})
    public Strata freshOpen() {
        strata = Strata.open(dir);
        return strata;
    }

    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(value = 10, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Xms256m", "-Xmx2g"})
    public QueryResult freshOpenAndQuery() {
        return openAndQuery();
    }

    @Benchmark
    @Warmup(iterations = 10)
    @Measurement(iterations = 20)
    @Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Xms256m", "-Xmx2g"})
    public Strata warmOpen() {
        strata = Strata.open(dir);
        return strata;
    }

    @Benchmark
    @Warmup(iterations = 10)
    @Measurement(iterations = 20)
    @Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Xms256m", "-Xmx2g"})
    public QueryResult warmOpenAndQuery() {
        return openAndQuery();
    }

    private QueryResult openAndQuery() {
        strata = Strata.open(dir);
        Collection collection = strata.database().getCollection(COLLECTION);
        return collection.query(QueryRequest.builder().queryEmbeddings(query).nResults(10)
                .include(Include.DISTANCES, Include.DOCUMENTS, Include.METADATAS).build());
    }

    /**
     * The prepared folder for these parameters and this jar, written by a child JVM the first time a fork asks for
     * it (into a scratch folder moved into place, so a half-written one is never taken).
     */
    static Path template(int size, int tail) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]);
        long built = Files.getLastModifiedTime(jar).toMillis();
        Path template = Path.of(System.getProperty("java.io.tmpdir"), "strata-open-bench",
                size + "x" + DIM + "-tail" + tail + "-" + built);
        if (Files.isDirectory(template)) {
            return template;
        }
        Files.createDirectories(template.getParent());
        Path scratch = Files.createTempDirectory(template.getParent(), "preparing");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(JVM_FLAGS));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Prepare.class.getName(),
                scratch.toString(), Integer.toString(size), Integer.toString(tail)));
        Process child = new ProcessBuilder(command).inheritIO().start();
        if (child.waitFor() != 0) {
            throw new IllegalStateException("preparing the folder failed: " + command);
        }
        try {
            Files.move(scratch, template, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            if (!Files.isDirectory(template)) {
                throw raced;
            }
            LocalFolders.deleteTree(scratch);
        }
        return template;
    }

    /** Writes the folder: {@code size} records in 100 Gaussian clusters, compacted, then {@code tail} more. */
    public static final class Prepare {
        public static void main(String[] args) {
            Path dir = Path.of(args[0]);
            int size = Integer.parseInt(args[1]);
            int tail = Integer.parseInt(args[2]);
            Random random = new Random(42);
            float[][] centres = new float[CLUSTERS][];
            for (int c = 0; c < CLUSTERS; c++) {
                centres[c] = gaussian(random, null, 1f);
            }
            try (Strata strata = Strata.open(dir)) {
                Collection collection = strata.database().createCollection(COLLECTION, null,
                        CollectionConfiguration.defaults().withSpace(Space.COSINE));
                add(collection, random, centres, 0, size);
                collection.compact();
                add(collection, random, centres, size, size + tail);
            }
        }

        private static void add(Collection collection, Random random, float[][] centres, int from, int to) {
            for (int start = from; start < to; start += BATCH) {
                int n = Math.min(BATCH, to - start);
                List<String> ids = new ArrayList<>(n);
                List<float[]> vectors = new ArrayList<>(n);
                List<String> docs = new ArrayList<>(n);
                List<Map<String, Object>> metas = new ArrayList<>(n);
                for (int i = start; i < start + n; i++) {
                    ids.add("r" + i);
                    vectors.add(gaussian(random, centres[random.nextInt(CLUSTERS)], 0.3f));
                    docs.add("record " + i + " of the open benchmark, a short document like a chunk title");
                    metas.add(Map.of("category", "c" + (i % 10), "year", 1990 + i % 35));
                }
                collection.add(RecordSet.builder().ids(ids).embeddings(vectors).documents(docs).metadatas(metas).build());
            }
        }
    }

    static float[] gaussian(Random random, float[] centre, float scale) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (centre == null ? 0 : centre[i]) + (float) random.nextGaussian() * scale;
        }
        return v;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
