package dev.strata.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.wal.LogReader;
import dev.strata.wal.LogRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogRangeReaderTest {

    /** A log of {@code size} records, seqs 1 to size, each of {@code payload} bytes; remembers each call's count. */
    private static final class FakeLog implements LogReader {
        final long size;
        final int payload;
        final List<Integer> asked = new ArrayList<>();

        FakeLog(long size, int payload) {
            this.size = size;
            this.payload = payload;
        }

        @Override
        public List<LogRecord> read(String collection, long from, int max) {
            asked.add(max);
            List<LogRecord> out = new ArrayList<>();
            for (long s = from; s <= size && out.size() < max; s++) {
                out.add(new LogRecord(s, new byte[payload]));
            }
            return out;
        }
    }

    private static List<Long> readAll(LogRangeReader reader) {
        List<Long> seqs = new ArrayList<>();
        for (LogRecord r; (r = reader.next()) != null; ) {
            seqs.add(r.seq());
        }
        return seqs;
    }

    @Test
    void bigRecordsAreReadAFewAtATimeAndSmallOnesAThousand() {
        FakeLog big = new FakeLog(100, 4 << 20);
        assertThat(readAll(new LogRangeReader(big, "c", 1, 100))).hasSize(100).startsWith(1L, 2L).endsWith(100L);
        assertThat(big.asked.getFirst()).isEqualTo(LogRangeReader.FIRST_RECORDS);
        assertThat(big.asked.subList(1, big.asked.size())).as("16 MiB of 4 MiB records").allMatch(n -> n <= 4);

        FakeLog small = new FakeLog(5000, 200);
        assertThat(readAll(new LogRangeReader(small, "c", 1, 5000))).hasSize(5000);
        assertThat(small.asked.get(1)).isEqualTo(LogRangeReader.MAX_RECORDS);
    }

    @Test
    void readsOnlyTheRangeAndFailsWhenTheLogEndsBeforeIt() {
        FakeLog log = new FakeLog(50, 10);
        LogRangeReader reader = new LogRangeReader(log, "c", 11, 20);
        assertThat(readAll(reader)).containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        assertThat(reader.next()).isNull();
        assertThat(log.asked).allMatch(n -> n <= 10);

        LogRangeReader beyond = new LogRangeReader(log, "c", 45, 60);
        assertThat(readAll(new LogRangeReader(log, "c", 45, 50))).hasSize(6);
        assertThatThrownBy(() -> readAll(beyond)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ends before seq 51");
    }
}
