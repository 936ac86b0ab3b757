package dev.strata.jmh;

import dev.strata.storage.LocalKv;
import dev.strata.storage.LocalObjectStore;
import dev.strata.wal.WalOptions;
import dev.strata.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Appends of 1 KiB records with durability LOCAL (acknowledged after the fsync) to one collection, from
 * 1 and from 8 writer threads on a temp folder. Throughput mode gives records/s; sample-time mode gives
 * the ack latency distribution (p99 in its percentiles). With 8 writers group commit shares fsyncs, so
 * records/s should rise well above the single-writer figure while the latency stays near one fsync.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class WalAppendBenchmark {

    private Path root;
    private LocalKv kv;
    private LocalObjectStore store;
    private WriteAheadLog wal;
    private byte[] payload;

    @Setup(Level.Trial)
    public void open() throws IOException {
        root = Files.createTempDirectory("strata-wal-bench");
        kv = LocalKv.open(root.resolve("catalog"), List.of("wal"));
        store = new LocalObjectStore(root.resolve("objects"));
        wal = WriteAheadLog.open(root.resolve("wal"), kv, store, WalOptions.defaults());
        payload = new byte[1024];
        ThreadLocalRandom.current().nextBytes(payload);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        System.out.println("\n" + wal.stats());
        wal.close();
        kv.close();
        store.close();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public long append1Writer() {
        return wal.append("bench", payload);
    }

    @Benchmark
    @Threads(8)
    public long append8Writers() {
        return wal.append("bench", payload);
    }
}
