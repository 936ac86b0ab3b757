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

    public static void assertSameQuery(QueryResult actual, QueryResult expected, QueryRequest request) {
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
}
