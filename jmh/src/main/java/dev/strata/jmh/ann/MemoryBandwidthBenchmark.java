package dev.strata.jmh.ann;

import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Space;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.LongVector;
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

/**
 * Is the brute-force kernel memory-bound? One query against 100k x 384 float32 (153.6 MB, far
 * beyond any cache) through libstrata's kernels, against a plain single-thread sequential read of
 * the same bytes. Each op reads {@link #BYTES} bytes once, so bytes/s = ops/s x BYTES
 * (scripts/bench-jmh prints both and the kernel / read ratio).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class MemoryBandwidthBenchmark {
    public static final int N = 100_000;
    public static final int DIM = 384;
    public static final long BYTES = (long) N * DIM * Float.BYTES;
    static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    /** Four independent accumulators keep several loads in flight instead of one dependency chain. */
    static final int UNROLL = 4;

    Arena arena;
    MemorySegment vectors;
    MemorySegment query;
    MemorySegment out;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        vectors = arena.allocate(BYTES, 64);
        query = arena.allocate(ValueLayout.JAVA_FLOAT, DIM);
        out = arena.allocate(ValueLayout.JAVA_FLOAT, N);
        ClusteredVectors generator = new ClusteredVectors(11, DIM);
        generator.fill(vectors, N);
        generator.fill(query, 1);
        if (BYTES % ((long) UNROLL * LONGS.vectorByteSize()) != 0) {
            throw new IllegalStateException("the read loops assume " + BYTES + " bytes is a multiple of "
                    + UNROLL * LONGS.vectorByteSize());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment kernelIp() {
        DistanceKernels.distances(Space.IP, query, vectors, N, DIM, out);
        return out;
    }

    @Benchmark
    public MemorySegment kernelL2() {
        DistanceKernels.distances(Space.L2, query, vectors, N, DIM, out);
        return out;
    }

    /** The read ceiling: SIMD loads of the whole segment, summed so the loads cannot be elided. */
    @Benchmark
    public long readVectorApi() {
        ByteOrder order = ByteOrder.nativeOrder();
        long step = LONGS.vectorByteSize();
        LongVector a = LongVector.zero(LONGS);
        LongVector b = a;
        LongVector c = a;
        LongVector d = a;
        for (long off = 0; off < BYTES; off += UNROLL * step) {
            a = a.add(LongVector.fromMemorySegment(LONGS, vectors, off, order));
            b = b.add(LongVector.fromMemorySegment(LONGS, vectors, off + step, order));
            c = c.add(LongVector.fromMemorySegment(LONGS, vectors, off + 2 * step, order));
            d = d.add(LongVector.fromMemorySegment(LONGS, vectors, off + 3 * step, order));
        }
        return a.add(b).add(c).add(d).reduceLanes(VectorOperators.ADD);
    }

    /** The same read as a scalar loop of longs, which C2 may vectorize by itself. */
    @Benchmark
    public long readLongs() {
        long sum = 0;
        for (long off = 0; off < BYTES; off += Long.BYTES) {
            sum += vectors.get(ValueLayout.JAVA_LONG, off);
        }
        return sum;
    }
}
