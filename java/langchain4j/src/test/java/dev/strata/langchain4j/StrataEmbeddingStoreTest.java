package dev.strata.langchain4j;

import static dev.langchain4j.store.embedding.filter.Filter.not;
import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the kit does not cover: persistence through the store's own Strata, the space check, negated ranges. */
class StrataEmbeddingStoreTest {

    @TempDir
    Path folder;

    private static final Embedding E = Embedding.from(new float[] {1f, 0f, 0f});

    @Test
    void aStoreOpenedOnAFolderKeepsItsRecordsAcrossReopening() {
        String id;
        try (StrataEmbeddingStore store = StrataEmbeddingStore.builder().path(folder).build()) {
            id = store.add(E, TextSegment.from("kept", Metadata.from("k", "v")));
        }
        try (StrataEmbeddingStore store = StrataEmbeddingStore.builder().path(folder).build()) {
            List<EmbeddingMatch<TextSegment>> matches = store.search(
                    EmbeddingSearchRequest.builder().queryEmbedding(E).maxResults(5).build()).matches();
            assertThat(matches).extracting(EmbeddingMatch::embeddingId).containsExactly(id);
            assertThat(matches.getFirst().embedded()).isEqualTo(TextSegment.from("kept", Metadata.from("k", "v")));
        }
    }

    @Test
    void aCollectionInAnotherSpaceIsRefused() {
        try (Strata strata = Strata.open(folder)) {
            var l2 = strata.database().createCollection("euclid", null, CollectionConfiguration.defaults().withSpace(Space.L2));
            assertThatThrownBy(() -> StrataEmbeddingStore.of(l2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cosine");
            assertThatThrownBy(() -> StrataEmbeddingStore.builder().strata(strata).collectionName("euclid").build())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aNegatedRangeMatchesOnlyRecordsHoldingTheKey() {
        try (Strata strata = Strata.open(folder)) {
            StrataEmbeddingStore store = StrataEmbeddingStore.builder().strata(strata).build();
            store.add("low", E);   // no segment: no metadata at all
            store.addAll(List.of("one", "five"), List.of(E, E), List.of(
                    TextSegment.from("one", new Metadata().put("n", 1)),
                    TextSegment.from("five", new Metadata().put("n", 5))));

            assertThat(ids(store, not(metadataKey("n").isGreaterThan(2)))).containsExactly("one");
            assertThat(ids(store, not(metadataKey("n").isEqualTo(5)))).containsExactlyInAnyOrder("low", "one");
        }
    }

    @Test
    void removeAllByFilterLeavesTheOthers() {
        try (Strata strata = Strata.open(folder)) {
            StrataEmbeddingStore store = StrataEmbeddingStore.builder().strata(strata).build();
            store.addAll(List.of("a", "b", "c"), List.of(E, E, E), List.of(
                    TextSegment.from("a", new Metadata().put("year", 1959)),
                    TextSegment.from("b", new Metadata().put("year", 1970)),
                    TextSegment.from("c", new Metadata().put("year", 1990))));
            store.removeAll(metadataKey("year").isLessThan(1980));
            assertThat(ids(store, null)).containsExactly("c");
        }
    }

    private static List<String> ids(StrataEmbeddingStore store, Filter filter) {
        return store.search(EmbeddingSearchRequest.builder().queryEmbedding(E).maxResults(10).filter(filter).build())
                .matches().stream().map(EmbeddingMatch::embeddingId).toList();
    }
}
