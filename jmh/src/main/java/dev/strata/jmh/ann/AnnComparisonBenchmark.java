package dev.strata.jmh.ann;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
 * Single-thread k=10 query throughput of Strata's native HNSW, Lucene's HNSW, JVector and Strata's
 * clustered (IVF) index over the same 100k x 384 clustered unit vectors (dot product), each at the
 * smallest search breadth that reaches the same recall@10 against exact answers. Build and tuning are trial setup, not
 * measured; each engine runs in its own fork so no JIT profile or heap state is shared. The setup
 * prints one {@code ANN-SETTING} line per engine (breadth, recall, build time, memory) for scripts/bench-jmh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xms4g", "-Xmx4g"})
public class AnnComparisonBenchmark {
    static final int K = 10;
    static final int QUERIES = 200;
    static final long SEED = 7;

    @Param({"strata", "lucene", "jvector", "clustered", "clustered-float"})
    String engine;

    @Param("100000")
    int size;

    @Param("384")
    int dim;

    @Param("0.95")
    double targetRecall;

    @Param("16")
    int m;

    @Param("100")
    int efConstruction;

    AnnDataset data;
    AnnIndex index;
    int next;

    @Setup(Level.Trial)
    public void build() {
        dev.strata.engine.ProcessSettings.applyEnvironment(); // STRATA_INSERT_THREADS, STRATA_DISPATCH
        data = AnnDataset.generate(SEED, size, dim, QUERIES, K);
        long start = System.nanoTime();
        index = AnnIndex.build(engine, data, m, efConstruction);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        BreadthTuner.Choice choice = BreadthTuner.choose(index, data, K, targetRecall);
        index.setBreadth(choice.breadth());
        long memory = index.memoryBytes();
        System.out.printf(Locale.ROOT, "%nANN-SETTING engine=%s breadth=%d recall=%.4f target=%.2f build_s=%.1f"
                        + " memory_bytes=%d bytes_per_vector=%.0f knob=\"%s\" build=\"%s\"%n",
                engine, choice.breadth(), choice.recall(), targetRecall, buildSeconds, memory,
                memory < 0 ? -1.0 : (double) memory / size, index.breadthName(), index.describeBuild());
    }

    @TearDown(Level.Trial)
    public void close() {
        index.close();
        data.close();
    }

    @Benchmark
    public Object searchK10() {
        next = next + 1 == QUERIES ? 0 : next + 1;
        return index.search(next, K);
    }
}
