package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogMaterializerTest {

    private final Map<String, Record> stored = new HashMap<>();

    private static Record rec(String id, float e, String doc, Map<String, Object> meta) {
        return new Record(id, new float[] {e}, doc, meta, null);
    }

    private static LogBatch batch(LogOperation op, String id, Float e, String doc, Map<String, Object> meta) {
        List<Map<String, Object>> metas = Arrays.asList(meta);
        return new LogBatch(op, List.of(id), e == null ? null : new float[][] {{e}}, doc == null ? null : List.of(doc),
                meta == null ? null : metas, null);
    }

    private List<RecordChange> run(LogBatch... batches) {
        return LogMaterializer.materialize(stored::get, List.of(batches));
    }

    @Test
    void addOfExistingIdIsIgnored() {
        stored.put("a", rec("a", 1, "old", Map.of("k", 1L)));
        assertThat(run(batch(LogOperation.ADD, "a", 2f, "new", null))).isEmpty();
    }

    @Test
    void updateOfMissingIdIsIgnored() {
        assertThat(run(batch(LogOperation.UPDATE, "x", 2f, "new", null))).isEmpty();
    }

    @Test
    void newIdsComeOutInInsertionOrderNotFirstTouch() {
        // x is touched first by a no-op update, then inserted after y: compaction gives offsets in this order.
        List<RecordChange> changes = run(batch(LogOperation.UPDATE, "x", 1f, null, null),
                batch(LogOperation.ADD, "y", 1f, null, null),
                batch(LogOperation.UPSERT, "x", 2f, null, null),
                batch(LogOperation.ADD, "z", 3f, null, null),
                LogBatch.delete(List.of("y")),
                batch(LogOperation.ADD, "y", 4f, null, null));
        assertThat(changes).extracting(RecordChange::id).containsExactly("x", "z", "y");
        assertThat(changes).allMatch(c -> c instanceof RecordChange.Insert);
    }

    @Test
    void anExistingIdDeletedAndAddedAgainIsANewRecordAtTheEnd() {
        stored.put("a", rec("a", 1, "old", null));
        stored.put("b", rec("b", 2, "keep", null));
        List<RecordChange> changes = run(LogBatch.delete(List.of("a")),
                batch(LogOperation.UPDATE, "b", 3f, null, null),
                batch(LogOperation.ADD, "a", 4f, "new", null));
        assertThat(changes).containsExactly(
                new RecordChange.Replace(rec("b", 2, "keep", null), rec("b", 3, "keep", null)),
                new RecordChange.Delete(rec("a", 1, "old", null)),
                new RecordChange.Insert(rec("a", 4, "new", null)));
    }

    @Test
    void deleteOfMissingIdIsIgnored() {
        assertThat(run(LogBatch.delete(List.of("x")))).isEmpty();
    }

    @Test
    void addInsertsWithoutNullMetadataValues() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("k", "v");
        meta.put("gone", null);
        assertThat(run(batch(LogOperation.ADD, "a", 1f, "d", meta)))
                .containsExactly(new RecordChange.Insert(rec("a", 1, "d", Map.of("k", "v"))));
    }

    @Test
    void updateMergesMetadataKeyByKeyAndKeepsAbsentFields() {
        stored.put("a", rec("a", 1, "doc", Map.of("keep", 1L, "change", "x", "drop", true)));
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("change", "y");
        update.put("drop", null);
        update.put("new", 2.5);
        List<RecordChange> changes = run(batch(LogOperation.UPDATE, "a", null, null, update));
        assertThat(changes).containsExactly(new RecordChange.Replace(stored.get("a"),
                rec("a", 1, "doc", Map.of("keep", 1L, "change", "y", "new", 2.5))));
    }

    @Test
    void deletingEveryMetadataKeyLeavesNoMetadata() {
        stored.put("a", rec("a", 1, "doc", Map.of("k", 1L)));
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("k", null);
        RecordChange change = run(batch(LogOperation.UPSERT, "a", null, null, update)).getFirst();
        assertThat(((RecordChange.Replace) change).record().metadata()).isNull();
    }

    @Test
    void upsertInsertsOrUpdates() {
        stored.put("a", rec("a", 1, "doc", null));
        List<RecordChange> changes = run(
                new LogBatch(LogOperation.UPSERT, List.of("a", "b"), new float[][] {{5}, {6}}, null, null, null));
        assertThat(changes).containsExactly(
                new RecordChange.Replace(stored.get("a"), rec("a", 5, "doc", null)),
                new RecordChange.Insert(rec("b", 6, null, null)));
    }

    @Test
    void lastOperationPerIdWins() {
        stored.put("a", rec("a", 1, "doc", null));
        assertThat(run(batch(LogOperation.UPDATE, "a", 2f, null, null), LogBatch.delete(List.of("a"))))
                .containsExactly(new RecordChange.Delete(stored.get("a")));
        assertThat(run(LogBatch.delete(List.of("a")), batch(LogOperation.ADD, "a", 3f, "re", null)))
                .containsExactly(new RecordChange.Delete(stored.get("a")), new RecordChange.Insert(rec("a", 3, "re", null)));
        assertThat(run(batch(LogOperation.ADD, "n", 3f, null, null), LogBatch.delete(List.of("n")))).isEmpty();
    }

    @Test
    void addAfterAddInTheSameRunIsIgnoredAndUpdateAfterAddApplies() {
        LogMaterializer m = new LogMaterializer(stored::get);
        m.apply(batch(LogOperation.ADD, "a", 1f, "first", null));
        m.apply(batch(LogOperation.ADD, "a", 2f, "second", null));
        m.apply(batch(LogOperation.UPDATE, "a", null, "third", null));
        assertThat(m.lookup("a")).isEqualTo(rec("a", 1, "third", null));
        assertThat(m.changes()).containsExactly(new RecordChange.Insert(rec("a", 1, "third", null)));
    }
}
