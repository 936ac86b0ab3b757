package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.strata.api.Collection;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryBreakdownTest {

    @TempDir
    Path dir;

    private EmbeddedStrata strata;

    @BeforeEach
    void open() {
        strata = EmbeddedStrata.open(Settings.defaults(dir));
    }

    @AfterEach
    void close() {
        strata.close();
    }

    @Test
    void everyPartIsMeasuredAndNoneIsNegative() {
        Collection c = strata.database().createCollection("memory", null, null);
        List<String> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add("r" + i);
            vectors.add(new float[] {i, 1, 2, 3});
        }
        c.add(RecordSet.builder().ids(ids).embeddings(vectors).build());
        c.compact();

        MemoryBreakdown memory = MemoryBreakdown.of(strata);

        assertThat(memory.parts()).containsKeys("heap", "metaspace", "code_cache", "direct_buffers", "arrow",
                "native_index", "rocksdb_memtables", "rocksdb_block_cache", "rocksdb_table_readers");
        assertThat(memory.parts().values()).allSatisfy(bytes -> assertThat(bytes).isNotNegative());
        assertThat(memory.details().values()).allSatisfy(bytes -> assertThat(bytes).isNotNegative());
        assertThat(memory.parts().get("heap")).isPositive();
        assertThat(memory.parts().get("metaspace")).isPositive();
        assertThat(memory.parts().get("code_cache")).isPositive();
        // The collection's writes went through RocksDB's log index: its memtables hold them.
        assertThat(memory.parts().get("rocksdb_memtables")).isPositive();
        assertThat(memory.details().get("heap_used")).isLessThanOrEqualTo(memory.parts().get("heap"));
    }

    @Test
    void onLinuxThePartsSumToTheResidentSet() {
        assumeThat(ResidentMemory.SMAPS).isReadable();
        MemoryBreakdown memory = MemoryBreakdown.of(strata);

        assertThat(memory.parts()).containsKeys("thread_stacks", "mapped_files", "other");
        assertThat(memory.parts().get("thread_stacks")).isPositive();
        assertThat(memory.parts().get("mapped_files")).isPositive(); // libjvm.so's code at least
        // Resident memory holds at least the heap the program uses and the loaded classes.
        assertThat(memory.rssBytes()).isGreaterThan(memory.details().get("heap_used") + memory.parts().get("metaspace") / 2);
        long sum = memory.parts().values().stream().mapToLong(Long::longValue).sum();
        // "other" makes up the rest, unless the estimates (committed heap not yet touched) already exceed the RSS.
        assertThat(sum).isGreaterThanOrEqualTo(memory.rssBytes());
    }

    @Test
    void theShapeTheGaugesAreRegisteredFromNamesWhatABreakdownHolds() {
        MemoryBreakdown shape = MemoryBreakdown.shape(strata);
        MemoryBreakdown memory = MemoryBreakdown.of(strata);
        assertThat(shape.parts().keySet()).containsExactlyElementsOf(memory.parts().keySet());
        assertThat(shape.details().keySet()).containsExactlyElementsOf(memory.details().keySet());
        assertThat(shape.rssBytes() >= 0).isEqualTo(memory.rssBytes() >= 0);
    }

    @Test
    void metersShowEveryPart() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        strata.bindMetrics(registry);
        System.gc(); // a gauge whose state object is only weakly held would read NaN after a collection

        for (String part : MemoryBreakdown.of(strata).parts().keySet()) {
            assertThat(registry.get(MemoryGauges.PARTS).tag("part", part).gauge().value()).as(part).isNotNaN().isNotNegative();
        }
        assertThat(registry.get(MemoryGauges.DETAILS).tag("what", "heap_used").gauge().value()).isPositive();
    }

    @Test
    void stacksAndArenasAreToldApartByTheirMappings() throws IOException {
        String smaps = """
                55d0c0000000-55d0c0001000 r-xp 00000000 fe:00 1234                       /usr/bin/java
                Size:                  4 kB
                Rss:                   4 kB
                7f0000000000-7f0000004000 ---p 00000000 00:00 0
                Size:                 16 kB
                Rss:                   0 kB
                7f0000004000-7f0000100000 rw-p 00000000 00:00 0
                Size:               1008 kB
                Rss:                  88 kB
                7f0000200000-7f0004000000 rw-p 00000000 00:00 0
                Size:              63488 kB
                Rss:                1000 kB
                VmFlags: rd wr mr mw me ac sd
                7f0004000000-7f0008000000 ---p 00000000 00:00 0
                Size:              65536 kB
                Rss:                   0 kB
                7f0008000000-7f0008100000 rw-p 00000000 00:00 0
                Size:               1024 kB
                Rss:                 500 kB
                7f0010000000-7f0010300000 rw-p 00000000 00:00 0
                Size:               3072 kB
                Rss:                2000 kB
                7f0010300000-7f0014000000 ---p 00000000 00:00 0
                Size:              62464 kB
                Rss:                   0 kB
                55d0c1000000-55d0c2000000 rw-p 00000000 00:00 0                          [heap]
                Size:              16384 kB
                Rss:                 300 kB
                7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]
                Size:                132 kB
                Rss:                  12 kB
                """;

        ResidentMemory memory = ResidentMemory.parse(new BufferedReader(new StringReader(smaps)));

        assertThat(memory.rssBytes()).isEqualTo((4 + 88 + 1000 + 500 + 2000 + 300 + 12) * 1024L);
        assertThat(memory.fileBytes()).isEqualTo(4 * 1024L);
        // the 1008 kB stack above a 16 kB guard, and the main stack; not the arena after a 64 MB reservation
        assertThat(memory.threadStackBytes()).isEqualTo((88 + 12) * 1024L);
        // the main arena, and the arena heap on a 64 MiB boundary whose reserve ends 64 MiB after its start; not the
        // 62 MB mapping before it, which is not aligned
        assertThat(memory.mallocArenaBytes()).isEqualTo((2000 + 300) * 1024L);
    }
}
