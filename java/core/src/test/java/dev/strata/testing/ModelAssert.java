package dev.strata.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.GetResult;
import dev.strata.api.InvalidArgumentException;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.data.Offset;

/** Comparisons of a collection's answers with {@link ReferenceCollection}'s, for model-based tests. */
public final class ModelAssert {

    private ModelAssert() {}

    /** Both succeed with the same value, or both reject the request as invalid. */
    public static <T> void same(Supplier<T> actual, Supplier<T> expected) {
        T want;
        try {
            want = expected.get();
        } catch (InvalidArgumentException e) {
            assertThatThrownBy(actual::get).isInstanceOf(InvalidArgumentException.class);
            return;
        } catch (dev.strata.api.NotFoundException e) {
            assertThatThrownBy(actual::get).isInstanceOf(dev.strata.api.NotFoundException.class);
            return;
        }
        assertThat(actual.get()).isEqualTo(want);
    }

    /**
     * A query answers as the reference's does, up to ties: equal distances may come in either order, and where a
     * tie straddles the last place either of the tied records may take it (the model's vectors have small integer
     * components, so ties are common, and which tied record an index returns is not specified, as in Chroma).
     * {@code fullReference} ranks every record, so each returned id's true distance is known.
     */
    public static void sameQuery(Supplier<QueryResult> actual, Supplier<QueryResult> reference,
                                 Supplier<QueryResult> fullReference, QueryRequest request) {
        QueryResult[] expected = new QueryResult[1];
        QueryResult[] answered = new QueryResult[1];
        same(() -> { answered[0] = actual.get(); return null; }, () -> { expected[0] = reference.get(); return null; });
        if (expected[0] == null) {
            return;
        }
        QueryResult got = answered[0];
        QueryResult full = fullReference.get();
        assertThat(got.ids()).as("rows of query %s", request).hasSameSizeAs(expected[0].ids());
        for (int q = 0; q < expected[0].ids().size(); q++) {
            List<String> want = expected[0].ids().get(q);
            List<String> ids = got.ids().get(q);
            assertThat(ids).as("ids of query %s", request).hasSameSizeAs(want).doesNotHaveDuplicates();
            List<String> ranked = full.ids().get(q);
            for (int i = 0; i < ids.size(); i++) {
                int at = ranked.indexOf(ids.get(i));
                assertThat(at).as("%s returned by query %s is a match", ids.get(i), request).isNotNegative();
                assertThat(got.distances().get(q).get(i)).as("distance of %s", ids.get(i))
                        .isCloseTo(expected[0].distances().get(q).get(i), Offset.offset(1e-4f))
                        .isCloseTo(full.distances().get(q).get(at), Offset.offset(1e-4f));
                if (full.documents() != null) {
                    assertThat(got.documents().get(q).get(i)).isEqualTo(full.documents().get(q).get(at));
                }
                if (full.metadatas() != null) {
                    assertThat(got.metadatas().get(q).get(i)).isEqualTo(full.metadatas().get(q).get(at));
                }
            }
        }
    }

    public static void assertSameGet(GetResult actual, GetResult expected, Object request) {
        assertThat(actual.ids()).as("ids of %s", request).isEqualTo(expected.ids());
        assertThat(actual.documents()).as("documents of %s", request).isEqualTo(expected.documents());
        assertThat(actual.uris()).as("uris of %s", request).isEqualTo(expected.uris());
        assertThat(actual.metadatas()).as("metadatas of %s", request).isEqualTo(expected.metadatas());
        if (expected.embeddings() != null) {
            assertThat(actual.embeddings()).as("embeddings of %s", request).hasSameSizeAs(expected.embeddings());
            for (int i = 0; i < expected.embeddings().size(); i++) {
                assertThat(actual.embeddings().get(i)).isEqualTo(expected.embeddings().get(i));
            }
        }
    }

}
