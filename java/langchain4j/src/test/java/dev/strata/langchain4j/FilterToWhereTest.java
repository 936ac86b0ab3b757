package dev.strata.langchain4j;

import static dev.langchain4j.store.embedding.filter.Filter.and;
import static dev.langchain4j.store.embedding.filter.Filter.not;
import static dev.langchain4j.store.embedding.filter.Filter.or;
import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.store.embedding.filter.Filter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The translation itself, in Chroma's JSON shape (the store tests run every kind against Strata). */
class FilterToWhereTest {

    private static Map<String, Object> where(Filter filter) {
        return FilterToWhere.toWhere(filter).toMap();
    }

    @Test
    void comparisonsMapToChromaOperators() {
        assertThat(where(metadataKey("a").isEqualTo("x"))).isEqualTo(Map.of("a", Map.of("$eq", "x")));
        assertThat(where(metadataKey("a").isNotEqualTo(1))).isEqualTo(Map.of("a", Map.of("$ne", 1L)));
        assertThat(where(metadataKey("a").isGreaterThan(1))).isEqualTo(Map.of("a", Map.of("$gt", 1L)));
        assertThat(where(metadataKey("a").isGreaterThanOrEqualTo(1.5))).isEqualTo(Map.of("a", Map.of("$gte", 1.5)));
        assertThat(where(metadataKey("a").isLessThan(2L))).isEqualTo(Map.of("a", Map.of("$lt", 2L)));
        assertThat(where(metadataKey("a").isLessThanOrEqualTo(2))).isEqualTo(Map.of("a", Map.of("$lte", 2L)));
        assertThat(where(metadataKey("a").isIn("x", "y"))).isEqualTo(Map.of("a", Map.of("$in", List.of("x", "y"))));
        assertThat(where(metadataKey("a").isNotIn(1, 2))).isEqualTo(Map.of("a", Map.of("$nin", List.of(1L, 2L))));
    }

    @Test
    void uuidsAreComparedAsTheStringsStrataStores() {
        UUID id = UUID.randomUUID();
        assertThat(where(metadataKey("a").isEqualTo(id))).isEqualTo(Map.of("a", Map.of("$eq", id.toString())));
    }

    @Test
    void notIsPushedToTheLeavesByDeMorgan() {
        Filter filter = not(and(metadataKey("a").isEqualTo("x"),
                or(metadataKey("b").isGreaterThan(1), not(metadataKey("c").isIn("y")))));
        // not(a = x and (b > 1 or not c in [y])) = a != x or (b <= 1 and c in [y])
        assertThat(where(filter)).isEqualTo(Map.of("$or", List.of(
                Map.of("a", Map.of("$ne", "x")),
                Map.of("$and", List.of(
                        Map.of("b", Map.of("$lte", 1L)),
                        Map.of("c", Map.of("$in", List.of("y"))))))));
        assertThat(where(not(metadataKey("a").isGreaterThanOrEqualTo(3)))).isEqualTo(Map.of("a", Map.of("$lt", 3L)));
        assertThat(where(not(metadataKey("a").isLessThan(3)))).isEqualTo(Map.of("a", Map.of("$gte", 3L)));
        assertThat(where(not(metadataKey("a").isLessThanOrEqualTo(3)))).isEqualTo(Map.of("a", Map.of("$gt", 3L)));
        assertThat(where(not(metadataKey("a").isNotIn("x")))).isEqualTo(Map.of("a", Map.of("$in", List.of("x"))));
        assertThat(where(not(not(metadataKey("a").isNotEqualTo("x"))))).isEqualTo(Map.of("a", Map.of("$ne", "x")));
    }

    @Test
    void whatStrataCannotExpressIsRefusedByName() {
        assertThatThrownBy(() -> FilterToWhere.toWhere(metadataKey("a").containsString("x")))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("ContainsString");
        assertThatThrownBy(() -> FilterToWhere.toWhere(and(metadataKey("b").isEqualTo(1), metadataKey("a").isGreaterThan("m"))))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("IsGreaterThan")
                .hasMessageContaining("numbers only");
    }

    @Test
    void noFilterIsNoWhere() {
        assertThat(FilterToWhere.toWhere(null)).isNull();
    }
}
