package dev.strata.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Folds log batches, in log order, over a collection's current records into the net change per id,
 * with Chroma's rules: ADD of an existing id is ignored; UPDATE of a missing id is ignored; UPSERT
 * inserts or updates; UPDATE/UPSERT merge metadata key by key (a null value deletes the key) and keep
 * every field the batch does not carry; DELETE removes (a missing id is ignored); the last operation
 * per id wins. Used by compaction and by the in-memory log tail. Not thread-safe.
 */
public final class LogMaterializer {

    private final Function<String, Record> current;
    // Ordered so that changes come out in touch order, inserts at their (last) insertion.
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    /** @param current looks up the record an id holds before these batches, or null when it holds none */
    public LogMaterializer(Function<String, Record> current) {
        this.current = current;
    }

    /** The net changes of these batches over the given current records. */
    public static List<RecordChange> materialize(Function<String, Record> current, List<LogBatch> batches) {
        LogMaterializer m = new LogMaterializer(current);
        batches.forEach(m::apply);
        return m.changes();
    }

    public void apply(LogBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            String id = batch.ids().get(i);
            Slot slot = slots.computeIfAbsent(id, k -> new Slot(current.apply(k)));
            Record now = slot.now;
            Record next = switch (batch.operation()) {
                case ADD -> now == null ? insert(batch, i) : now;
                case UPDATE -> now == null ? null : merge(now, batch, i);
                case UPSERT -> now == null ? insert(batch, i) : merge(now, batch, i);
                case DELETE -> null;
            };
            if (next != now) {
                slot.now = next;
                slot.touched = true;
                if (now == null && next != null) {
                    // An update of a missing id is a no-op and must not reserve the id an earlier place.
                    slots.remove(id);
                    slots.put(id, slot);
                    slot.reinserted = slot.original != null;
                }
            }
        }
    }

    /** The record an id holds after the batches applied so far, or null when it holds none. */
    public Record lookup(String id) {
        Slot slot = slots.get(id);
        return slot == null ? current.apply(id) : slot.now;
    }

    /**
     * The net change per touched id, in the order ids were first touched, except that an id takes a new
     * place, at the end, each time it is inserted (so new ids come out in insertion order); ids with no
     * net effect are left out. An id that existed, was deleted and was added again comes out as a
     * Delete followed by an Insert: it is a new record, placed after the others.
     */
    public List<RecordChange> changes() {
        List<RecordChange> out = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (!s.touched) {
                continue;
            }
            if (s.original == null && s.now != null) {
                out.add(new RecordChange.Insert(s.now));
            } else if (s.original != null && s.now == null) {
                out.add(new RecordChange.Delete(s.original));
            } else if (s.original != null && s.reinserted) {
                // Deleted and added again: a new record at the end, as if the runs had been compacted apart.
                out.add(new RecordChange.Delete(s.original));
                out.add(new RecordChange.Insert(s.now));
            } else if (s.original != null) {
                out.add(new RecordChange.Replace(s.original, s.now));
            }
        }
        return out;
    }

    private static Record insert(LogBatch b, int i) {
        return new Record(b.ids().get(i), b.embedding(i), b.document(i), withoutNulls(b.metadata(i)), b.uri(i));
    }

    private static Record merge(Record old, LogBatch b, int i) {
        float[] embedding = b.embedding(i) != null ? b.embedding(i) : old.embedding();
        String document = b.document(i) != null ? b.document(i) : old.document();
        String uri = b.uri(i) != null ? b.uri(i) : old.uri();
        Map<String, Object> metadata = old.metadata();
        Map<String, Object> update = b.metadata(i);
        if (update != null) {
            Map<String, Object> merged = old.metadata() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(old.metadata());
            update.forEach((k, v) -> {
                if (v == null) {
                    merged.remove(k);
                } else {
                    merged.put(k, v);
                }
            });
            metadata = merged;
        }
        return new Record(old.id(), embedding, document, metadata, uri);
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        if (m == null || !m.containsValue(null)) {
            return m;
        }
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.values().removeIf(v -> v == null);
        return out;
    }

    private static final class Slot {
        final Record original;
        Record now;
        boolean touched;
        boolean reinserted;

        Slot(Record original) {
            this.original = original;
            this.now = original;
        }
    }
}
