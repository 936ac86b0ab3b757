package dev.strata.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.filter.FilterParser;
import dev.strata.filter.MetadataFilter;
import dev.strata.nativeio.Space;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogOperation;
import dev.strata.segment.Record;
import dev.strata.segment.VersionView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogTailTest {

    private static LogBatch upsert(String id, float[] embedding, Map<String, Object> metadata) {
        return new LogBatch(LogOperation.UPSERT, List.of(id), new float[][] {embedding}, null,
                metadata == null ? null : java.util.Collections.singletonList(metadata), null);
    }

    private static final InMemoryVersion BASE = new InMemoryVersion(1, 10, dev.strata.api.Space.L2, List.of(
            new Record("a", new float[] {0, 0}, "doc a", Map.of("n", 1L), null),
            new Record("b", new float[] {5, 5}, "doc b", Map.of("n", 2L), null),
            new Record("c", new float[] {9, 9}, "doc c", Map.of("n", 3L), null)));

    @Test
    void overridesHideBaseRecordsAndKeepTheirPlace() {
        try (LogTail tail = new LogTail(BASE, Space.L2)) {
            assertThat(tail.lastSeq()).isEqualTo(10);
            tail.apply(11, upsert("b", new float[] {1, 1}, Map.of("n", 20L)));
            tail.apply(12, LogBatch.delete(List.of("a")));
            tail.apply(13, upsert("d", new float[] {2, 2}, null));
            tail.apply(14, upsert("a", new float[] {3, 3}, null));

            assertThat(tail.count()).isEqualTo(4);
            LogTail.Read get = tail.read(null, null, null, List.of(), 0);
            assertThat(get.overridden().toArray()).containsExactly(0, 1);
            assertThat(get.matches()).extracting(m -> m.record().id()).containsExactly("b", "d", "a");
            LogTail.Read read = tail.read(null, null, null, List.of(new float[] {0, 0}), 2);
            assertThat(read.nearest().getFirst()).extracting(h -> h.match().record().id()).containsExactly("b", "d");
            assertThat(read.nearest().getFirst().getFirst().distance()).isEqualTo(2f);
            // The update merged metadata over the base record.
            assertThat(tail.lookup("b").metadata()).isEqualTo(Map.of("n", 20L));

            List<Record> all = ReadExecutor.get(tail, null, null, null, null, 0, VersionView.Fields.ALL);
            assertThat(all).extracting(Record::id).containsExactly("b", "c", "d", "a");
            assertThat(ReadExecutor.get(tail, null, FilterParser.parseWhere(Map.of("n", Map.of("$gte", 3))), null,
                    1, 0, VersionView.Fields.NONE)).extracting(Record::id).containsExactly("b");
        }
    }

    /** Reads share the overrides bitmap without copying it; a later batch publishes a new one. */
    @Test
    void aReadsOverridesAreASnapshotThatLaterBatchesDoNotChange() {
        try (LogTail tail = new LogTail(BASE, Space.L2)) {
            tail.apply(11, upsert("b", new float[] {1, 1}, null));
            LogTail.Read first = tail.read(null, null, null, List.of(), 0);
            LogTail.Read again = tail.read(null, null, null, List.of(), 0);
            assertThat(again.overridden()).as("no copy per read").isSameAs(first.overridden());

            tail.apply(12, upsert("d", new float[] {2, 2}, null)); // a new id: overrides nothing
            assertThat(tail.read(null, null, null, List.of(), 0).overridden()).isSameAs(first.overridden());
            tail.apply(13, upsert("b", new float[] {3, 3}, null)); // already overridden
            assertThat(tail.read(null, null, null, List.of(), 0).overridden()).isSameAs(first.overridden());

            tail.apply(14, LogBatch.delete(List.of("c")));
            LogTail.Read later = tail.read(null, null, null, List.of(), 0);
            assertThat(later.overridden().toArray()).containsExactly(1, 2);
            assertThat(first.overridden().toArray()).as("the earlier read's view").containsExactly(1);
            assertThat(ReadExecutor.get(tail, null, null, null, null, 0, VersionView.Fields.NONE))
                    .extracting(Record::id).containsExactly("a", "b", "d");
            assertThat(first.overridden().toArray()).as("a get leaves the shared bitmap alone").containsExactly(1);
            assertThat(tail.count()).isEqualTo(3);
        }
    }

    @Test
    void batchesMustArriveInSeqOrder() {
        try (LogTail tail = new LogTail(BASE, Space.L2)) {
            tail.apply(11, LogBatch.delete(List.of("c")));
            assertThatThrownBy(() -> tail.apply(11, LogBatch.delete(List.of("b"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not after");
            assertThat(tail.count()).isEqualTo(2);
        }
    }

    @Test
    void manyReplacementsRepackTheVectorsWithoutChangingAnswers() {
        try (LogTail tail = new LogTail(EmptyVersion.INSTANCE, Space.L2)) {
            long seq = 1;
            for (int i = 0; i < 50; i++) {
                tail.apply(seq++, upsert("fixed" + i, new float[] {i, 0}, null));
            }
            // Each upsert of "moving" leaves a dead row behind; enough of them trigger a repack.
            for (int i = 0; i < 3000; i++) {
                tail.apply(seq++, upsert("moving", new float[] {1000 - i, 7}, null));
            }
            LogTail.Read read = tail.read(null, null, null, List.of(new float[] {-2000, 7}, new float[] {3.2f, 0}), 3);
            assertThat(read.nearest().get(0)).extracting(h -> h.match().record().id())
                    .containsExactly("moving", "fixed0", "fixed1");
            assertThat(read.nearest().get(0).getFirst().distance()).isEqualTo(1f);
            assertThat(read.nearest().get(1)).extracting(h -> h.match().record().id())
                    .containsExactly("fixed3", "fixed4", "fixed2");
            assertThat(tail.count()).isEqualTo(51);
        }
    }

    @Test
    void selectiveFiltersGatherOnlyTheMatchingRows() {
        try (LogTail tail = new LogTail(EmptyVersion.INSTANCE, Space.IP)) {
            for (int i = 0; i < 100; i++) {
                tail.apply(i + 1, upsert("r" + i, new float[] {i, 1}, Map.of("i", (long) i)));
            }
            MetadataFilter few = FilterParser.parseWhere(Map.of("i", Map.of("$in", List.of(3, 7, 90))));
            LogTail.Read read = tail.read(null, few, null, List.of(new float[] {1, 0}), 5);
            assertThat(read.nearest().getFirst()).extracting(h -> h.match().record().id()).containsExactly("r90", "r7", "r3");
            assertThat(read.nearest().getFirst().getFirst().distance()).isEqualTo(1 - 90f);
        }
    }
}
