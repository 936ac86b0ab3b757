package dev.strata.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.strata.api.Strata;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LangChain4j's own store test kit against a real Strata embedded in a temporary folder: add and search (ids,
 * segments, metadata of every type, scores, minScore), every filter and its negation, and removal (by id, ids,
 * filter, all). The kit's two classes run nested, each on its own collection of one Strata.
 */
class StrataEmbeddingStoreKitTest {

    @TempDir
    static Path folder;

    private static Strata strata;
    private static final EmbeddingModel MODEL = new HashingEmbeddingModel();

    @BeforeAll
    static void open() {
        strata = Strata.open(folder);
    }

    @AfterAll
    static void close() {
        strata.close();
    }

    private static StrataEmbeddingStore store(String collection) {
        return StrataEmbeddingStore.builder().strata(strata).collectionName(collection).build();
    }

    @Nested
    class Filtering extends EmbeddingStoreWithFilteringIT {
        private final StrataEmbeddingStore store = store("filtering");

        @Override
        protected EmbeddingStore<TextSegment> embeddingStore() {
            return store;
        }

        @Override
        protected EmbeddingModel embeddingModel() {
            return MODEL;
        }

        @Override
        protected void clearStore() {
            store.removeAll();
        }

        /** The kit's test, over the kit's cases that Strata can express ({@link #filtersStrataExpresses}). */
        @Override
        @ParameterizedTest
        @MethodSource("filtersStrataExpresses")
        protected void should_filter_by_metadata(Filter filter, List<Metadata> matching, List<Metadata> notMatching) {
            super.should_filter_by_metadata(filter, matching, notMatching);
        }

        /**
         * The kit's filter cases less those ordering strings (key > "b"): Strata, like Chroma, orders numbers
         * only, and the store refuses such a filter with UnsupportedOperationException (FilterToWhereTest).
         */
        static Stream<Arguments> filtersStrataExpresses() {
            return should_filter_by_metadata().filter(arguments -> !ordersAString((Filter) arguments.get()[0]));
        }
    }

    @Nested
    class Removal extends EmbeddingStoreWithRemovalIT {
        private final StrataEmbeddingStore store = store("removal");

        Removal() {
            store.removeAll();
        }

        @Override
        protected EmbeddingStore<TextSegment> embeddingStore() {
            return store;
        }

        @Override
        protected EmbeddingModel embeddingModel() {
            return MODEL;
        }
    }

    static boolean ordersAString(Filter filter) {
        Object value = switch (filter) {
            case IsGreaterThan f -> f.comparisonValue();
            case IsGreaterThanOrEqualTo f -> f.comparisonValue();
            case IsLessThan f -> f.comparisonValue();
            case IsLessThanOrEqualTo f -> f.comparisonValue();
            default -> null;
        };
        return value != null && !(value instanceof Number);
    }
}
