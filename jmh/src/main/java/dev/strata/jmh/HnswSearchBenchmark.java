package dev.strata.jmh;

import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.Neighbors;
import dev.strata.nativeio.Space;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
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
 * Vectors are random points around 1,000 random centres: embeddings cluster, and uniform noise in
 * 384 dimensions has no meaningful neighbours (every search would degrade towards a full scan).
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
        Random random = new Random(3);
        float[][] centres = new float[1000][DIM];
        for (float[] c : centres) {
            for (int j = 0; j < DIM; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        index = HnswIndex.create(Space.of(space), DIM, 16, 100, size, 100);
        try (Arena arena = Arena.ofConfined()) {
            int batch = 10_000;
            MemorySegment rows = arena.allocate(ValueLayout.JAVA_FLOAT, (long) batch * DIM);
            for (int start = 0; start < size; start += batch) {
                for (int i = 0; i < batch; i++) {
                    float[] c = centres[random.nextInt(centres.length)];
                    for (int j = 0; j < DIM; j++) {
                        rows.setAtIndex(ValueLayout.JAVA_FLOAT, (long) i * DIM + j, c[j] + 0.4f * (float) random.nextGaussian());
                    }
                }
                index.add(LongStream.range(start, start + batch).toArray(), rows);
            }
        }
        index.setEf(100);
        queries = new float[256][DIM];
        for (float[] q : queries) {
            float[] c = centres[random.nextInt(centres.length)];
            for (int j = 0; j < DIM; j++) {
                q[j] = c[j] + 0.4f * (float) random.nextGaussian();
            }
        }
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
