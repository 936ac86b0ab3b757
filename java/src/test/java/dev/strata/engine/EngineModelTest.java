package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.InvalidArgumentException;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import dev.strata.api.Where;
import dev.strata.api.WhereDocument;
import dev.strata.testing.ReferenceCollection;
import org.assertj.core.data.Offset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;

/**
 * Model-based test: random sequences of writes, reads, filtered queries and restarts applied to an
 * embedded Strata and to {@link ReferenceCollection} must give the same answers. Embeddings have
 * small integer coordinates, so l2 and ip distances are exact in float and ties are broken by
 * insertion order on both sides: query results must match exactly.
 */
class EngineModelTest {

    private static final List<String> DOCUMENTS = Arrays.asList("red fox", "blue whale", "red whale", "grey", null);
    private static final List<String> STRINGS = List.of("a", "b", "c");

    sealed interface Op {}

    record Write(String kind, RecordSet records) implements Op {}

    record Delete(DeleteRequest request) implements Op {}

    record Get(GetRequest request) implements Op {}

    record Query(QueryRequest request) implements Op {}

    record Restart() implements Op {}

    @Property(tries = 25, shrinking = ShrinkingMode.BOUNDED)
    void strataAnswersLikeTheReference(@ForAll("spaces") Space space, @ForAll("ops") List<Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("strata-model");
        ReferenceCollection reference = new ReferenceCollection(space);
        Strata strata = Strata.open(dir);
        try {
            Collection collection = strata.database().createCollection("model", null,
                    CollectionConfiguration.defaults().withSpace(space));
            for (Op op : ops) {
                switch (op) {
                    case Restart r -> {
                        strata.close();
                        strata = Strata.open(dir);
                        collection = strata.database().getCollection("model");
                    }
                    case Write w -> {
                        Collection c = collection;
                        same(() -> {
                            switch (w.kind()) {
                                case "add" -> c.add(w.records());
                                case "upsert" -> c.upsert(w.records());
                                default -> c.update(w.records());
                            }
                            return null;
                        }, () -> {
                            switch (w.kind()) {
                                case "add" -> reference.add(w.records());
                                case "upsert" -> reference.upsert(w.records());
                                default -> reference.update(w.records());
                            }
                            return null;
                        });
                    }
                    case Delete d -> {
                        Collection c = collection;
                        same(() -> c.delete(d.request()), () -> reference.delete(d.request()));
                    }
                    case Get g -> {
                        GetResult expected = reference.get(g.request());
                        GetResult actual = collection.get(g.request());
                        assertSameGet(actual, expected, g.request());
                    }
                    case Query q -> {
                        Collection c = collection;
                        QueryResult[] results = new QueryResult[2];
                        same(() -> results[0] = c.query(q.request()), () -> results[1] = reference.query(q.request()));
                        if (results[0] != null) {
                            assertSameQuery(results[0], results[1], q.request());
                        }
                    }
                }
                assertThat(collection.count()).as("count after %s", op).isEqualTo(reference.count());
            }
            assertSameGet(collection.peek(1000), reference.peek(1000), null);
        } finally {
            strata.close();
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Both succeed with the same value, or both reject the request as invalid. */
    private static <T> void same(Supplier<T> actual, Supplier<T> expected) {
        T want;
        try {
            want = expected.get();
        } catch (InvalidArgumentException e) {
            assertThatThrownBy(actual::get).isInstanceOf(InvalidArgumentException.class);
            return;
        }
        assertThat(actual.get()).isEqualTo(want);
    }

    private static void assertSameGet(GetResult actual, GetResult expected, Object request) {
        assertThat(actual.ids()).as("ids of %s", request).isEqualTo(expected.ids());
        assertThat(actual.documents()).as("documents of %s", request).isEqualTo(expected.documents());
        assertThat(actual.metadatas()).as("metadatas of %s", request).isEqualTo(expected.metadatas());
        if (expected.embeddings() != null) {
            assertThat(actual.embeddings()).as("embeddings of %s", request).hasSameSizeAs(expected.embeddings());
            for (int i = 0; i < expected.embeddings().size(); i++) {
                assertThat(actual.embeddings().get(i)).isEqualTo(expected.embeddings().get(i));
            }
        }
    }

    private static void assertSameQuery(QueryResult actual, QueryResult expected, QueryRequest request) {
        assertThat(actual.ids()).as("ids of query %s", request).isEqualTo(expected.ids());
        assertThat(actual.documents()).isEqualTo(expected.documents());
        assertThat(actual.metadatas()).isEqualTo(expected.metadatas());
        for (int q = 0; q < expected.distances().size(); q++) {
            List<Float> want = expected.distances().get(q);
            List<Float> got = actual.distances().get(q);
            for (int i = 0; i < want.size(); i++) {
                assertThat(got.get(i)).isCloseTo(want.get(i), Offset.offset(1e-4f));
            }
        }
    }

    @Provide
    Arbitrary<Space> spaces() {
        return Arbitraries.of(Space.L2, Space.IP);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(4, writes("add")),
                Tuple.of(3, writes("upsert")),
                Tuple.of(3, writes("update")),
                Tuple.of(2, deletes()),
                Tuple.of(3, gets()),
                Tuple.of(3, queries()),
                Tuple.of(1, Arbitraries.just(new Restart())));
        return op.list().ofMinSize(5).ofMaxSize(40);
    }

    private Arbitrary<Op> writes(String kind) {
        boolean update = kind.equals("update");
        return Arbitraries.integers().between(0, 29).set().ofMinSize(1).ofMaxSize(8).flatMap(idSet -> {
            List<String> ids = idSet.stream().map(i -> "id" + i).toList();
            int n = ids.size();
            // Mostly the collection's dimension 3; sometimes 2, which both sides must reject once 3 is set.
            Arbitrary<List<float[]>> embeddings = Arbitraries.frequency(Tuple.of(20, 3), Tuple.of(1, 2))
                    .flatMap(dim -> embedding(dim).injectNull(update ? 0.4 : 0).list().ofSize(n))
                    .injectNull(update ? 0.5 : 0.02);
            Arbitrary<List<String>> documents = Arbitraries.of(DOCUMENTS).list().ofSize(n).injectNull(0.3);
            Arbitrary<List<Map<String, Object>>> metadatas = metadata(!kind.equals("add")).list().ofSize(n).injectNull(0.3);
            return Combinators.combine(embeddings, documents, metadatas).as((e, d, m) ->
                    (Op) new Write(kind, new RecordSet(ids, e, d, m, null)));
        });
    }

    private Arbitrary<Op> deletes() {
        Arbitrary<List<String>> ids = Arbitraries.integers().between(0, 29).map(i -> "id" + i).list().ofMaxSize(5)
                .uniqueElements().injectNull(0.5);
        return Combinators.combine(ids, where().injectNull(0.5), whereDocument().injectNull(0.7))
                .as((i, w, d) -> (Op) new Delete(new DeleteRequest(i, w, d)));
    }

    private Arbitrary<Op> gets() {
        Arbitrary<List<String>> ids = Arbitraries.integers().between(0, 29).map(i -> "id" + i).list().ofMaxSize(6)
                .uniqueElements().injectNull(0.8);
        Arbitrary<Integer> limit = Arbitraries.integers().between(0, 12).injectNull(0.6);
        Arbitrary<Integer> offset = Arbitraries.integers().between(0, 8).injectNull(0.6);
        return Combinators.combine(ids, where().injectNull(0.4), whereDocument().injectNull(0.7), limit, offset)
                .as((i, w, d, l, o) -> (Op) new Get(new GetRequest(i, w, d, l, o == null ? 0 : o,
                        EnumSet.of(Include.DOCUMENTS, Include.METADATAS, Include.EMBEDDINGS))));
    }

    private Arbitrary<Op> queries() {
        Arbitrary<List<float[]>> embeddings = embedding(3).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<String>> ids = Arbitraries.integers().between(0, 29).map(i -> "id" + i).list().ofMaxSize(8)
                .uniqueElements().injectNull(0.8);
        return Combinators.combine(embeddings, Arbitraries.integers().between(1, 12), ids, where().injectNull(0.5),
                        whereDocument().injectNull(0.8))
                .as((e, n, i, w, d) -> (Op) new Query(new QueryRequest(e, n, i, w, d,
                        EnumSet.of(Include.DOCUMENTS, Include.METADATAS, Include.DISTANCES))));
    }

    private static Arbitrary<float[]> embedding(int dimension) {
        return Arbitraries.integers().between(-3, 3).array(int[].class).ofSize(dimension).map(ints -> {
            float[] f = new float[ints.length];
            for (int i = 0; i < ints.length; i++) {
                f[i] = ints[i];
            }
            return f;
        });
    }

    private static Arbitrary<Map<String, Object>> metadata(boolean allowNullValues) {
        Arbitrary<Object> k = Arbitraries.integers().between(0, 3).map(i -> (Object) i);
        Arbitrary<Object> s = Arbitraries.of(STRINGS).map(x -> (Object) x);
        Arbitrary<Object> f = Arbitraries.of(0.5, 1.5, 2.0).map(x -> (Object) x);
        Arbitrary<Object> b = Arbitraries.of(true, false).map(x -> (Object) x);
        double nulls = allowNullValues ? 0.2 : 0;
        return Combinators.combine(k.injectNull(0.3 + nulls), s.injectNull(0.3 + nulls), f.injectNull(0.5),
                b.injectNull(0.5)).as((kv, sv, fv, bv) -> {
                    Map<String, Object> m = new HashMap<>();
                    putMaybe(m, "k", kv, allowNullValues);
                    putMaybe(m, "s", sv, allowNullValues);
                    putMaybe(m, "f", fv, false);
                    putMaybe(m, "b", bv, false);
                    return m.isEmpty() ? null : m;
                });
    }

    private static void putMaybe(Map<String, Object> m, String key, Object value, boolean nullDeletes) {
        if (value != null) {
            m.put(key, value);
        } else if (nullDeletes && key.hashCode() % 2 == 0) {
            m.put(key, null);
        }
    }

    private static Arbitrary<Where> where() {
        Arbitrary<Where> leaf = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 3).map(i -> Where.eq("k", i)),
                Arbitraries.integers().between(0, 3).map(i -> Where.gte("k", i)),
                Arbitraries.of(0.5, 1.5).map(x -> Where.lt("f", x)),
                Arbitraries.of(STRINGS).map(x -> Where.ne("s", x)),
                Arbitraries.of(STRINGS).map(x -> Where.in("s", x, "c")),
                Arbitraries.of(true, false).map(x -> Where.eq("b", x)));
        return Arbitraries.oneOf(leaf, leaf, Combinators.combine(leaf, leaf).as(Where::and),
                Combinators.combine(leaf, leaf).as(Where::or));
    }

    private static Arbitrary<WhereDocument> whereDocument() {
        return Arbitraries.oneOf(
                Arbitraries.of("red", "whale", "fox").map(WhereDocument::contains),
                Arbitraries.of("red", "grey").map(WhereDocument::notContains),
                Arbitraries.just(WhereDocument.regex("^b.*e$")));
    }
}
