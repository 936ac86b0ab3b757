package dev.strata.jmh.writeamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.ops.ObjectKind;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.PreconditionFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counting decorator counts what was written, by kind, and the benchmark attributes a real ingest's bytes. */
class WriteAmplificationTest {

    @TempDir
    Path dir;

    @Test
    void countsWrittenBytesByKindAndNotFailedWrites() throws Exception {
        try (CountingObjectStore store = new CountingObjectStore(new LocalObjectStore(dir.resolve("objects")))) {
            store.put("c/abc/b/block1", new byte[100]);
            store.putIfAbsent("c/abc/r/root1", new byte[10]);
            Path log = Files.write(dir.resolve("seg.wal"), new byte[1000]);
            store.putFile("c/abc/log/1-5.wal", log);
            store.put("c/abc/b/block1", new byte[50]);
            assertThatThrownBy(() -> store.putIfAbsent("c/abc/r/root1", new byte[7]))
                    .isInstanceOf(PreconditionFailedException.class);
            store.get("c/abc/b/block1");

            assertThat(store.bytesByKind()).containsEntry(ObjectKind.BLOCK, 150L).containsEntry(ObjectKind.ROOT, 10L)
                    .containsEntry(ObjectKind.LOG, 1000L).containsEntry(ObjectKind.CATALOG, 0L);
            assertThat(store.writesByKind()).containsEntry(ObjectKind.BLOCK, 2L).containsEntry(ObjectKind.ROOT, 1L);
            assertThat(store.drainWritten()).containsEntry("c/abc/b/block1", 150L).hasSize(3);
            assertThat(store.drainWritten()).isEmpty();
        }
    }

    @Test
    void aSmallIngestReportsEveryCompactionAndItsBytesByPart() throws Exception {
        Path out = dir.resolve("out");
        WriteAmplificationBenchmark.main(new String[] {"--size", "3000", "--batch", "1000", "--dim", "16",
                "--vectors-only", "--out", out.toString()});

        List<String> rows = Files.readAllLines(out.resolve("write-amp-3000-vectors.tsv"));
        assertThat(rows).hasSize(4);
        for (String row : rows.subList(1, 4)) {
            long compactionBytes = Long.parseLong(row.split("\t")[1]);
            assertThat(compactionBytes).as("each add of 1,000 is compacted and writes blocks").isPositive();
        }
        String report = Files.readString(out.resolve("write-amp-3000-vectors.md"));
        assertThat(report).contains("| ivf.postings |", "| record.ids |", "compaction, median (all 3)");
        assertThat(out.resolve("data-3000")).as("the node's folder is removed").doesNotExist();
    }

    @Test
    void quantileIsTheNearestRank() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(WriteAmplificationBenchmark.quantile(sorted, 0.5)).isEqualTo(5);
        assertThat(WriteAmplificationBenchmark.quantile(sorted, 0.9)).isEqualTo(9);
        assertThat(WriteAmplificationBenchmark.quantile(sorted, 1.0)).isEqualTo(10);
        assertThat(WriteAmplificationBenchmark.quantile(new long[] {7}, 0.5)).isEqualTo(7);
    }
}
