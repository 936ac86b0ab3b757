package dev.strata.jmh;

import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Space;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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

/** Squared-L2 distances of one query against 100k vectors of dimension 384: native SIMD vs Java loops. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class KernelBenchmark {
    static final int N = 100_000;
    static final int DIM = 384;
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    Arena arena;
    MemorySegment vectors;
    MemorySegment query;
    MemorySegment out;
    float[] queryArray;
    float[] outArray;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        vectors = arena.allocate(ValueLayout.JAVA_FLOAT, (long) N * DIM);
        query = arena.allocate(ValueLayout.JAVA_FLOAT, DIM);
        out = arena.allocate(ValueLayout.JAVA_FLOAT, N);
        Random random = new Random(1);
        for (long i = 0; i < (long) N * DIM; i++) {
            vectors.setAtIndex(ValueLayout.JAVA_FLOAT, i, random.nextFloat());
        }
        queryArray = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            queryArray[j] = random.nextFloat();
            query.setAtIndex(ValueLayout.JAVA_FLOAT, j, queryArray[j]);
        }
        outArray = new float[N];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment nativeSimd() {
        DistanceKernels.distances(Space.L2, query, vectors, N, DIM, out);
        return out;
    }

    @Benchmark
    public float[] javaScalar() {
        for (int i = 0; i < N; i++) {
            long base = (long) i * DIM;
            float sum = 0;
            for (int j = 0; j < DIM; j++) {
                float d = queryArray[j] - vectors.getAtIndex(ValueLayout.JAVA_FLOAT, base + j);
                sum += d * d;
            }
            outArray[i] = sum;
        }
        return outArray;
    }

    @Benchmark
    public float[] javaVectorApi() {
        int bound = SPECIES.loopBound(DIM);
        for (int i = 0; i < N; i++) {
            long base = (long) i * DIM * Float.BYTES;
            FloatVector acc = FloatVector.zero(SPECIES);
            int j = 0;
            for (; j < bound; j += SPECIES.length()) {
                FloatVector q = FloatVector.fromArray(SPECIES, queryArray, j);
                FloatVector v = FloatVector.fromMemorySegment(SPECIES, vectors, base + (long) j * Float.BYTES,
                        ByteOrder.nativeOrder());
                FloatVector d = q.sub(v);
                acc = d.fma(d, acc);
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; j < DIM; j++) {
                float d = queryArray[j] - vectors.getAtIndex(ValueLayout.JAVA_FLOAT, base / Float.BYTES + j);
                sum += d * d;
            }
            outArray[i] = sum;
        }
        return outArray;
    }
}
