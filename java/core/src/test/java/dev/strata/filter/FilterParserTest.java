package dev.strata.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.filter.MetadataFilter.Compare;
import dev.strata.filter.MetadataFilter.CompareOp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Object json(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static MetadataFilter where(String text) {
        return FilterParser.parseWhere(json(text));
    }

    @Test
    void shorthandMeansEqAndIntsBecomeLongs() {
        assertThat(where("{\"n\": 3}")).isEqualTo(new Compare("n", CompareOp.EQ, 3L));
        assertThat(where("{\"s\": \"x\"}")).isEqualTo(new Compare("s", CompareOp.EQ, "x"));
        assertThat(where("{\"b\": true}")).isEqualTo(new Compare("b", CompareOp.EQ, true));
        assertThat(where("{\"f\": {\"$gte\": 1.5}}")).isEqualTo(new Compare("f", CompareOp.GTE, 1.5));
    }

    @Test
    void logicalOperatorsNestAndAcceptASingleClause() {
        MetadataFilter f = where("{\"$and\": [{\"a\": 1}, {\"$or\": [{\"b\": {\"$in\": [\"x\", \"y\"]}}]}]}");
        assertThat(f).isEqualTo(new MetadataFilter.And(List.of(new Compare("a", CompareOp.EQ, 1L),
                new MetadataFilter.Or(List.of(new MetadataFilter.Membership("b", false, List.of("x", "y")))))));
        assertThat(f.keys()).containsExactly("a", "b");
        assertThat(f.leaves()).hasSize(2);
    }

    @Test
    void toMapRoundTrips() {
        MetadataFilter f = where("{\"$or\": [{\"a\": {\"$ne\": 1}}, {\"t\": {\"$not_contains\": \"x\"}}, {\"n\": {\"$nin\": [1, 2.5]}}]}");
        assertThat(FilterParser.parseWhere(f.toMap())).isEqualTo(f);
        DocumentFilter d = FilterParser.parseWhereDocument(json("{\"$and\": [{\"$regex\": \"a.c\"}, {\"$not_contains\": \"z\"}]}"));
        assertThat(FilterParser.parseWhereDocument(d.toMap())).isEqualTo(d);
        assertThat(d.leaves()).containsExactly(new DocumentFilter.Regex("a.c", false), new DocumentFilter.Contains("z", true));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\": 1, \"b\": 2}",                 // several keys: Chroma has no implicit $and
        "{}",
        "[1]",
        "{\"s\": {\"$gt\": \"x\"}}",            // ordering a string
        "{\"b\": {\"$lt\": true}}",             // ordering a bool
        "{\"a\": {\"$in\": []}}",
        "{\"a\": {\"$in\": [1, \"x\"]}}",       // mixed kinds
        "{\"a\": {\"$in\": 1}}",
        "{\"a\": {\"$eq\": [1]}}",
        "{\"a\": [1, 2]}",
        "{\"a\": null}",
        "{\"a\": {\"$eq\": 1, \"$ne\": 2}}",
        "{\"a\": {\"$like\": 1}}",
        "{\"$and\": []}",
        "{\"$and\": {\"a\": 1}}",
        "{\"$gt\": 1}",
        "{\"#document\": {\"$contains\": \"x\"}}",
        "{\"a\": {\"$regex\": \"x\"}}",
        "{\"a\": {\"$contains\": [1]}}"
    })
    void malformedWhereIsRejectedWithTheChromaPrefix(String clause) {
        assertThatThrownBy(() -> where(clause)).isInstanceOf(InvalidFilterException.class)
                .hasMessageStartingWith("Invalid where clause: ");
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertThatThrownBy(() -> where("{\"s\": {\"$gt\": \"x\"}}")).hasMessageContaining("$gt on field s needs a number");
        assertThatThrownBy(() -> where("{\"a\": 1, \"b\": 2}")).hasMessageContaining("combine conditions with $and");
        assertThatThrownBy(() -> where("{\"a\": {\"$in\": [1, \"x\"]}}")).hasMessageContaining("mixes number and str");
    }

    @Test
    void numbersMayBeMixedInALists() {
        assertThat(where("{\"a\": {\"$in\": [1, 2.5]}}"))
                .isEqualTo(new MetadataFilter.Membership("a", false, List.of(1L, 2.5)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"$contains\": 1}",
        "{\"$contains\": \"a\", \"$regex\": \"b\"}",
        "{\"$eq\": \"a\"}",
        "{\"$or\": []}",
        "{\"$regex\": \"(unclosed\"}"
    })
    void malformedWhereDocumentIsRejected(String clause) {
        assertThatThrownBy(() -> FilterParser.parseWhereDocument(json(clause)))
                .isInstanceOf(InvalidFilterException.class)
                .hasMessageStartingWith("Invalid where document clause: ");
    }

    @Test
    void javaMapsWithIntegersParseLikeJson() {
        assertThat(FilterParser.parseWhere(Map.of("n", Map.of("$lt", 5)))).isEqualTo(new Compare("n", CompareOp.LT, 5L));
        assertThat(FilterParser.parseWhere(Map.of("n", 2.5f))).isEqualTo(new Compare("n", CompareOp.EQ, 2.5));
    }
}
