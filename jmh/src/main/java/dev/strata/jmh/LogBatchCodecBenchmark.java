package dev.strata.jmh;

import dev.strata.segment.LogBatch;
import dev.strata.segment.LogBatchCodec;
import dev.strata.segment.LogOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Encode / decode cost of one logged batch: the per-write CPU the log adds, and recovery speed. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LogBatchCodecBenchmark {

    @Param({"100", "1000"})
    int records;

    @Param({"384"})
    int dimension;

    LogBatch batch;
    byte[] encoded;

    @Setup
    public void setup() {
        Random random = new Random(42);
        List<String> ids = new ArrayList<>();
        float[][] embeddings = new float[records][dimension];
        List<String> documents = new ArrayList<>();
        List<Map<String, Object>> metadatas = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            ids.add("id-" + i);
            for (int d = 0; d < dimension; d++) {
                embeddings[i][d] = random.nextFloat();
            }
            documents.add("document number " + i + " with a few words of text");
            metadatas.add(Map.of("source", "web", "page", (long) i, "score", random.nextDouble()));
        }
        batch = new LogBatch(LogOperation.ADD, ids, embeddings, documents, metadatas, null);
        encoded = LogBatchCodec.encode(batch);
    }

    @Benchmark
    public byte[] encode() {
        return LogBatchCodec.encode(batch);
    }

    @Benchmark
    public LogBatch decode() {
        return LogBatchCodec.decode(encoded);
    }
}
