package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.segment.Record;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The answer built from the engine's unboxed distances is the one built from boxed lists. */
class QueryResultTest {

    private static final List<List<Record>> RECORDS = List.of(
            List.of(new Record("a", new float[] {1, 2}, "doc a", Map.of("k", 1L), null),
                    new Record("b", null, null, null, "u:b")),
            List.of());

    @Test
    void unboxedDistancesGiveTheSameAnswerAsBoxedOnes() {
        Set<Include> include = Set.of(Include.DISTANCES, Include.DOCUMENTS, Include.METADATAS, Include.URIS,
                Include.EMBEDDINGS);
        QueryResult unboxed = QueryResult.of(RECORDS, new float[][] {{0.25f, 0.5f}, {}}, include);
        QueryResult boxed = QueryResult.of(RECORDS, List.of(List.of(0.25f, 0.5f), List.of()), include);
        assertThat(unboxed.distances()).isEqualTo(boxed.distances()).isEqualTo(List.of(List.of(0.25f, 0.5f), List.of()));
        assertThat(unboxed.ids()).isEqualTo(boxed.ids()).isEqualTo(List.of(List.of("a", "b"), List.of()));
        assertThat(unboxed.documents()).isEqualTo(boxed.documents());
        assertThat(unboxed.documents().getFirst()).containsExactly("doc a", null);
        assertThat(unboxed.metadatas()).isEqualTo(boxed.metadatas());
        assertThat(unboxed.uris().getFirst()).containsExactly(null, "u:b");
        assertThat(unboxed.embeddings().getFirst().getFirst()).containsExactly(1f, 2f)
                .isNotSameAs(RECORDS.getFirst().getFirst().embedding());
    }

    @Test
    void columnsNotIncludedAreNullAndTheAnswerIsReadOnly() {
        QueryResult r = QueryResult.of(RECORDS, new float[][] {{0.25f, 0.5f}, {}}, Set.of(Include.DOCUMENTS));
        assertThat(r.distances()).isNull();
        assertThat(r.metadatas()).isNull();
        assertThatThrownBy(() -> r.ids().getFirst().set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.documents().add(List.of())).isInstanceOf(UnsupportedOperationException.class);
        QueryResult withDistances = QueryResult.of(RECORDS, new float[][] {{0.25f, 0.5f}, {}}, Set.of(Include.DISTANCES));
        assertThatThrownBy(() -> withDistances.distances().getFirst().set(0, 1f))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
