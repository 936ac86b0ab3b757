package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Folding many batches at once (what compaction does) must give the same collection as applying them
 * one by one to a naive map with Chroma's rules written out directly.
 */
class LogMaterializerPropertyTest {

    private static final List<String> IDS = List.of("a", "b", "c", "d");
    private static final List<String> KEYS = List.of("k1", "k2", "k3");

    @Property(tries = 300)
    void materializedChangesEqualOneByOneApplication(@ForAll("initial") Map<String, Record> initial,
            @ForAll("logs") List<LogBatch> log) {
        Map<String, Record> compacted = new HashMap<>(initial);
        for (RecordChange change : LogMaterializer.materialize(initial::get, log)) {
            switch (change) {
                case RecordChange.Insert i -> {
                    // New, or deleted by the Delete just before it (an existing id deleted and added again).
                    assertThat(compacted).doesNotContainKey(i.id());
                    compacted.put(i.id(), i.record());
                }
                case RecordChange.Replace r -> {
                    assertThat(initial.get(r.id())).isEqualTo(r.previous());
                    compacted.put(r.id(), r.record());
                }
                case RecordChange.Delete d -> {
                    assertThat(initial.get(d.id())).isEqualTo(d.previous());
                    compacted.remove(d.id());
                }
            }
        }
        assertThat(compacted).isEqualTo(naive(initial, log));
    }

    private static Map<String, Record> naive(Map<String, Record> initial, List<LogBatch> log) {
        Map<String, Record> state = new HashMap<>(initial);
        for (LogBatch b : log) {
            for (int i = 0; i < b.size(); i++) {
                String id = b.ids().get(i);
                Record old = state.get(id);
                switch (b.operation()) {
                    case DELETE -> state.remove(id);
                    case ADD -> {
                        if (old == null) {
                            state.put(id, fresh(b, i));
                        }
                    }
                    case UPDATE -> {
                        if (old != null) {
                            state.put(id, merged(old, b, i));
                        }
                    }
                    case UPSERT -> state.put(id, old == null ? fresh(b, i) : merged(old, b, i));
                }
            }
        }
        return state;
    }

    private static Record fresh(LogBatch b, int i) {
        Map<String, Object> m = b.metadata(i) == null ? null : new LinkedHashMap<>(b.metadata(i));
        if (m != null) {
            m.values().removeIf(v -> v == null);
        }
        return new Record(b.ids().get(i), b.embedding(i), b.document(i), m, b.uri(i));
    }

    private static Record merged(Record old, LogBatch b, int i) {
        Map<String, Object> m = old.metadata() == null ? new HashMap<>() : new HashMap<>(old.metadata());
        if (b.metadata(i) != null) {
            b.metadata(i).forEach((k, v) -> {
                if (v == null) {
                    m.remove(k);
                } else {
                    m.put(k, v);
                }
            });
        }
        return new Record(old.id(),
                b.embedding(i) != null ? b.embedding(i) : old.embedding(),
                b.document(i) != null ? b.document(i) : old.document(),
                m,
                b.uri(i) != null ? b.uri(i) : old.uri());
    }

    @Provide
    Arbitrary<Map<String, Record>> initial() {
        return Arbitraries.subsetOf(IDS).flatMap(ids -> {
            List<Arbitrary<Record>> records = new ArrayList<>();
            for (String id : ids) {
                records.add(Combinators.combine(Arbitraries.floats().between(-1, 1), docs(), metadata(false))
                        .as((e, d, m) -> new Record(id, new float[] {e}, d, m, null)));
            }
            return Combinators.combine(records).as(list -> {
                Map<String, Record> out = new HashMap<>();
                list.forEach(r -> out.put(r.id(), r));
                return out;
            });
        });
    }

    @Provide
    Arbitrary<List<LogBatch>> logs() {
        return batch().list().ofMaxSize(6);
    }

    private Arbitrary<LogBatch> batch() {
        return Combinators.combine(Arbitraries.of(LogOperation.class), Arbitraries.subsetOf(IDS).filter(s -> !s.isEmpty()))
                .flatAs((op, idSet) -> {
                    List<String> ids = List.copyOf(idSet);
                    int n = ids.size();
                    if (op == LogOperation.DELETE) {
                        return Arbitraries.just(LogBatch.delete(ids));
                    }
                    Arbitrary<float[]> emb = Arbitraries.floats().between(-1, 1).map(f -> new float[] {f});
                    Arbitrary<float[]> embOrNull = op == LogOperation.UPDATE ? emb.injectNull(0.4) : emb;
                    return Combinators.combine(embOrNull.list().ofSize(n), docs().list().ofSize(n),
                                    metadata(op != LogOperation.ADD).list().ofSize(n))
                            .as((e, d, m) -> new LogBatch(op, ids, e.toArray(new float[0][]), d, m, null));
                });
    }

    private static Arbitrary<String> docs() {
        return Arbitraries.of("x", "y", "z").injectNull(0.3);
    }

    private static Arbitrary<Map<String, Object>> metadata(boolean deletes) {
        Arbitrary<Object> value = Arbitraries.longs().between(0, 3).map(l -> (Object) l);
        return Arbitraries.maps(Arbitraries.of(KEYS), deletes ? value.injectNull(0.3) : value).ofMaxSize(3)
                .map(m -> (Map<String, Object>) new LinkedHashMap<>(m)).injectNull(0.3);
    }
}
