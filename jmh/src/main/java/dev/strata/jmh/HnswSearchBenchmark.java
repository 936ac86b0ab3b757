package dev.strata.jmh;

import dev.strata.jmh.ann.ClusteredVectors;
import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.Neighbors;
import dev.strata.nativeio.Space;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
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
 * k=10 search in an HNSW index of 100k vectors of dimension 384 (the build is setup, not measured).
 * Vectors are clustered ({@link ClusteredVectors}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class HnswSearchBenchmark {
    static final int DIM = 384;

    @Param("100000")
    int size;

    @Param({"l2", "cosine"})
    String space;

    HnswIndex index;
    float[][] queries;
    int next;

    @Setup(Level.Trial)
    public void build() {
        dev.strata.engine.ProcessSettings.applyEnvironment(); // STRATA_INSERT_THREADS, STRATA_DISPATCH
        ClusteredVectors generator = new ClusteredVectors(3, DIM);
        index = HnswIndex.create(Space.of(space), DIM, 16, 100, size, 100);
        try (Arena arena = Arena.ofConfined()) {
            int batch = 10_000;
            MemorySegment rows = arena.allocate(ValueLayout.JAVA_FLOAT, (long) batch * DIM);
            for (int start = 0; start < size; start += batch) {
                generator.fill(rows, batch);
                index.add(LongStream.range(start, start + batch).toArray(), rows);
            }
        }
        index.setEf(100);
        queries = generator.next(256);
    }

    @TearDown(Level.Trial)
    public void close() {
        index.close();
    }

    @Benchmark
    public Neighbors searchK10() {
        next = (next + 1) & 255;
        return index.search(queries[next], 10);
    }
}
