package dev.strata.jmh;

import dev.strata.filter.FilterParser;
import dev.strata.filter.MetadataFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Per-record where evaluation, the cost of filtering the log tail by brute force. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetadataFilterBenchmark {

    List<Map<String, Object>> metadatas;
    MetadataFilter filter;

    @Setup
    public void setup() {
        metadatas = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            metadatas.add(Map.of("genre", i % 3 == 0 ? "jazz" : "rock", "year", 1950L + i % 70, "rating", (i % 50) / 10.0));
        }
        filter = FilterParser.parseWhere(Map.of("$and", List.of(
                Map.of("genre", "jazz"),
                Map.of("year", Map.of("$gte", 1960)),
                Map.of("$or", List.of(Map.of("rating", Map.of("$gt", 3.5)), Map.of("year", Map.of("$in", List.of(1990, 1991))))))));
    }

    /** Evaluates the filter on 10,000 records. */
    @Benchmark
    public int scan10k() {
        int n = 0;
        for (Map<String, Object> m : metadatas) {
            if (filter.matches(m)) {
                n++;
            }
        }
        return n;
    }
}
