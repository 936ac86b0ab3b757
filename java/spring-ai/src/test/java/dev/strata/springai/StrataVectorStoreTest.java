package dev.strata.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.CollectionConfiguration;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

/** Add, search with every filter kind and a threshold, delete by ids and by filter, on a real embedded Strata. */
class StrataVectorStoreTest {

    @TempDir
    Path folder;

    private Strata strata;
    private StrataVectorStore store;
    private final FilterExpressionBuilder b = new FilterExpressionBuilder();

    @BeforeEach
    void open() {
        strata = Strata.open(folder);
        store = StrataVectorStore.builder(strata.database(), new WordHashEmbeddingModel()).build();
        store.add(List.of(
                new Document("so-what", "so what jazz trumpet", Map.of("genre", "jazz", "year", 1959, "live", false)),
                new Document("blue", "blue in green jazz piano", Map.of("genre", "jazz", "year", 1959)),
                new Document("paranoid", "paranoid metal guitar", Map.of("genre", "metal", "year", 1970)),
                new Document("untitled", "untitled ambient", Map.of())));
    }

    @AfterEach
    void close() {
        strata.close();
    }

    private List<String> ids(SearchRequest.Builder request) {
        return store.similaritySearch(request.query("jazz").topK(10).build()).stream().map(Document::getId).toList();
    }

    private List<String> ids(String filter) {
        return ids(SearchRequest.builder().filterExpression(filter));
    }

    @Test
    void searchReturnsTextMetadataAndTheCosineSimilarityAsScore() {
        List<Document> found = store.similaritySearch(SearchRequest.builder().query("so what jazz trumpet").topK(1).build());
        assertThat(found).hasSize(1);
        Document d = found.getFirst();
        assertThat(d.getId()).isEqualTo("so-what");
        assertThat(d.getText()).isEqualTo("so what jazz trumpet");
        assertThat(d.getMetadata()).containsEntry("genre", "jazz").containsEntry("year", 1959L).containsEntry("live", false);
        assertThat(d.getScore()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(((Number) d.getMetadata().get("distance")).doubleValue()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void theThresholdDropsDocumentsScoringBelowIt() {
        double blue = WordHashEmbeddingModel.similarity("jazz", "blue in green jazz piano");
        double soWhat = WordHashEmbeddingModel.similarity("jazz", "so what jazz trumpet");
        assertThat(soWhat).isGreaterThan(blue);   // what the texts were chosen for
        double between = (blue + soWhat) / 2;

        List<Document> found = store.similaritySearch(
                SearchRequest.builder().query("jazz").topK(10).similarityThreshold(between).build());
        assertThat(found).extracting(Document::getId).containsExactly("so-what");
        assertThat(found.getFirst().getScore()).isCloseTo(soWhat, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(ids(SearchRequest.builder().similarityThreshold(blue - 1e-4))).containsExactly("so-what", "blue");
        // Accept-all keeps every document, also those whose similarity rounds to just below 0 (no shared word).
        assertThat(ids(SearchRequest.builder().similarityThresholdAll())).hasSize(4);
    }

    @Test
    void everyComparisonFilters() {
        assertThat(ids("genre == 'jazz'")).containsExactlyInAnyOrder("so-what", "blue");
        assertThat(ids("genre != 'jazz'")).containsExactlyInAnyOrder("paranoid", "untitled");   // lacking the key too
        assertThat(ids("year > 1959")).containsExactly("paranoid");
        assertThat(ids("year >= 1959")).containsExactlyInAnyOrder("so-what", "blue", "paranoid");
        assertThat(ids("year < 1970")).containsExactlyInAnyOrder("so-what", "blue");
        assertThat(ids("year <= 1970")).containsExactlyInAnyOrder("so-what", "blue", "paranoid");
        assertThat(ids("genre in ['metal', 'punk']")).containsExactly("paranoid");
        assertThat(ids("genre nin ['metal', 'punk']")).containsExactlyInAnyOrder("so-what", "blue", "untitled");
        assertThat(ids("live == false")).containsExactly("so-what");
    }

    @Test
    void logicalOperatorsFilterAndNotIsPushedToTheLeaves() {
        assertThat(ids("genre == 'jazz' && live == false")).containsExactly("so-what");
        assertThat(ids("genre == 'metal' || live == false")).containsExactlyInAnyOrder("so-what", "paranoid");
        assertThat(ids("NOT(genre == 'jazz')")).containsExactlyInAnyOrder("paranoid", "untitled");
        assertThat(ids("NOT(genre == 'jazz' || genre == 'metal')")).containsExactly("untitled");
        assertThat(ids("NOT(genre == 'jazz' || year > 1960)")).isEmpty();   // untitled has no year to be <= 1960
        assertThat(ids(SearchRequest.builder().filterExpression(
                b.and(b.eq("genre", "jazz"), b.not(b.in("live", false))).build()))).containsExactly("blue");
        // not(year > 1960) is year <= 1960: numbers only, so "untitled" (no year) is not in it
        assertThat(ids(SearchRequest.builder().filterExpression(b.not(b.gt("year", 1960)).build())))
                .containsExactlyInAnyOrder("so-what", "blue");
    }

    @Test
    void deleteByIdsAndByFilter() {
        store.delete(List.of("so-what", "no-such-id"));
        assertThat(ids(SearchRequest.builder().similarityThresholdAll())).containsExactlyInAnyOrder("blue", "paranoid", "untitled");
        store.delete(b.lt("year", 1980).build());
        assertThat(ids(SearchRequest.builder().similarityThresholdAll())).containsExactly("untitled");
        store.delete("genre != 'metal'");
        assertThat(ids(SearchRequest.builder().similarityThresholdAll())).isEmpty();
    }

    @Test
    void addingAnIdAgainReplacesItsTextAndEmbedding() {
        store.add(List.of(new Document("untitled", "jazz", Map.of("genre", "jazz"))));
        assertThat(store.similaritySearch(SearchRequest.builder().query("jazz").topK(1).build()))
                .extracting(Document::getId).containsExactly("untitled");
        assertThat(ids("genre == 'jazz'")).containsExactlyInAnyOrder("so-what", "blue", "untitled");
    }

    @Test
    void whatStrataCannotExpressIsRefusedByName() {
        assertThatThrownBy(() -> ids("genre > 'b'"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("GT");
        assertThatThrownBy(() -> ids(SearchRequest.builder().filterExpression(b.isNull("genre").build())))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("ISNULL");
    }

    @Test
    void aCollectionInAnotherSpaceIsRefused() {
        strata.database().createCollection("euclid", null, CollectionConfiguration.defaults().withSpace(Space.L2));
        assertThatThrownBy(() -> StrataVectorStore.builder(strata.database(), new WordHashEmbeddingModel())
                .collectionName("euclid").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cosine");
    }
}
