package dev.strata.jmh;

import dev.strata.filter.FilterParser;
import dev.strata.filter.MetadataFilter;
import dev.strata.nativeio.Space;
import dev.strata.query.EmptyVersion;
import dev.strata.query.LogTail;
import dev.strata.query.QueryStages;
import dev.strata.query.ReadExecutor;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogOperation;
import dev.strata.segment.VersionView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * Exact k-NN (k = 10) over an uncompacted log tail of {@code records} 128-d records: unfiltered (one
 * SIMD kernel call over the whole off-heap matrix) and with a metadata filter keeping ~20% (evaluated
 * per record, then the matching rows gathered). The tail is what compaction bounds (1,000 records
 * by default); the larger sizes show what a collection pays before its first compaction.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class LogTailQueryBenchmark {

    @Param({"1000", "20000"})
    public int records;

    @Param({"128"})
    public int dim;

    @Param({"L2"})
    public Space space;

    private LogTail tail;
    private float[] query;
    private MetadataFilter filter;

    @Setup(Level.Trial)
    public void fill() {
        Random random = new Random(42);
        tail = new LogTail(EmptyVersion.INSTANCE, space);
        int batch = 1000;
        long seq = 1;
        for (int from = 0; from < records; from += batch) {
            int n = Math.min(batch, records - from);
            List<String> ids = new ArrayList<>(n);
            float[][] embeddings = new float[n][dim];
            List<Map<String, Object>> metadatas = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add("r" + (from + i));
                for (int j = 0; j < dim; j++) {
                    embeddings[i][j] = (float) random.nextGaussian();
                }
                metadatas.add(Map.of("bucket", (long) random.nextInt(5)));
            }
            tail.apply(seq++, new LogBatch(LogOperation.ADD, ids, embeddings, null, metadatas, null));
        }
        query = new float[dim];
        for (int j = 0; j < dim; j++) {
            query[j] = (float) random.nextGaussian();
        }
        filter = FilterParser.parseWhere(Map.of("bucket", 3));
    }

    @TearDown(Level.Trial)
    public void close() {
        tail.close();
    }

    @Benchmark
    public List<ReadExecutor.Hits> unfiltered() {
        return ReadExecutor.query(tail, List.of(query), 10, null, null, null, VersionView.Fields.NONE, QueryStages.NONE);
    }

    @Benchmark
    public List<ReadExecutor.Hits> filtered() {
        return ReadExecutor.query(tail, List.of(query), 10, null, filter, null, VersionView.Fields.NONE, QueryStages.NONE);
    }
}
