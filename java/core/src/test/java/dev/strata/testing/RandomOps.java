package dev.strata.testing;

import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.RecordSet;
import dev.strata.api.Where;
import dev.strata.api.WhereDocument;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random operations on one collection for model-based tests: writes over a small id pool (so ids
 * collide), deletes, gets and queries with random filters, and restarts. Embeddings have small
 * integer coordinates so that l2 and ip distances are exact in float and ties are decided by
 * insertion order alone.
 */
public final class RandomOps {

    private static final List<String> DOCUMENTS = Arrays.asList("red fox", "blue whale", "red whale", "grey", null);
    private static final List<String> STRINGS = List.of("a", "b", "c");

    private RandomOps() {}

    public sealed interface Op {}

    /** kind: add, upsert or update. */
    public record Write(String kind, RecordSet records) implements Op {}

    public record Delete(DeleteRequest request) implements Op {}

    public record Get(GetRequest request) implements Op {}

    public record Query(QueryRequest request) implements Op {}

    public record Restart() implements Op {}

    /** Compact the collection's log into a new version (the test supplies the compactor). */
    public record Compact() implements Op {}

    /** A sequence of operations, with restarts and compactions only when asked for. */
    public static Arbitrary<List<Op>> ops(int maxSize, boolean withRestarts, boolean withCompactions) {
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(4, writes("add")),
                Tuple.of(3, writes("upsert")),
                Tuple.of(3, writes("update")),
                Tuple.of(2, deletes()),
                Tuple.of(3, gets()),
                Tuple.of(3, queries()),
                Tuple.of(withRestarts ? 1 : 0, Arbitraries.just(new Restart())),
                Tuple.of(withCompactions ? 2 : 0, Arbitraries.just(new Compact())));
        return op.list().ofMinSize(5).ofMaxSize(maxSize);
    }

    public static Arbitrary<Op> writes(String kind) {
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
            Arbitrary<List<String>> uris = Arbitraries.of("s3://a", "s3://b").injectNull(0.3).list().ofSize(n).injectNull(0.6);
            return Combinators.combine(embeddings, documents, metadatas, uris).as((e, d, m, u) ->
                    (Op) new Write(kind, new RecordSet(ids, e, d, m, u)));
        });
    }

    public static Arbitrary<Op> deletes() {
        Arbitrary<List<String>> ids = Arbitraries.integers().between(0, 29).map(i -> "id" + i).list().ofMaxSize(5)
                .uniqueElements().injectNull(0.5);
        return Combinators.combine(ids, where().injectNull(0.5), whereDocument().injectNull(0.7))
                .as((i, w, d) -> (Op) new Delete(new DeleteRequest(i, w, d)));
    }

    public static Arbitrary<Op> gets() {
        Arbitrary<List<String>> ids = Arbitraries.integers().between(0, 29).map(i -> "id" + i).list().ofMaxSize(6)
                .uniqueElements().injectNull(0.8);
        Arbitrary<Integer> limit = Arbitraries.integers().between(0, 12).injectNull(0.6);
        Arbitrary<Integer> offset = Arbitraries.integers().between(0, 8).injectNull(0.6);
        return Combinators.combine(ids, where().injectNull(0.4), whereDocument().injectNull(0.7), limit, offset)
                .as((i, w, d, l, o) -> (Op) new Get(new GetRequest(i, w, d, l, o == null ? 0 : o,
                        EnumSet.of(Include.DOCUMENTS, Include.METADATAS, Include.EMBEDDINGS, Include.URIS))));
    }

    public static Arbitrary<Op> queries() {
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

    public static Arbitrary<Where> where() {
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

    public static Arbitrary<WhereDocument> whereDocument() {
        return Arbitraries.oneOf(
                Arbitraries.of("red", "whale", "fox").map(WhereDocument::contains),
                Arbitraries.of("red", "grey").map(WhereDocument::notContains),
                Arbitraries.just(WhereDocument.regex("^b.*e$")));
    }
}
