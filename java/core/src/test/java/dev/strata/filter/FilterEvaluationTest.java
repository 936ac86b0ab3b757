package dev.strata.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterEvaluationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean where(String clause, Map<String, Object> metadata) throws Exception {
        return FilterParser.parseWhere(JSON.readValue(clause, Object.class)).matches(metadata);
    }

    private static boolean doc(String clause, String document) throws Exception {
        return FilterParser.parseWhereDocument(JSON.readValue(clause, Object.class)).matches(document);
    }

    private static final Map<String, Object> M = Map.of(
            "i", 3L, "f", 2.5, "s", "red", "b", true, "tags", List.of("x", "y"), "nums", List.of(1L, 2L));

    @Test
    void intsAndFloatsCompareAcrossTypes() throws Exception {
        assertThat(where("{\"i\": 3.0}", M)).isTrue();
        assertThat(where("{\"i\": {\"$gt\": 2.9}}", M)).isTrue();
        assertThat(where("{\"f\": {\"$lt\": 3}}", M)).isTrue();
        assertThat(where("{\"f\": {\"$gte\": 2.5}}", M)).isTrue();
        assertThat(where("{\"f\": {\"$gt\": 2.5}}", M)).isFalse();
        assertThat(where("{\"i\": {\"$lte\": 2}}", M)).isFalse();
        assertThat(where("{\"i\": {\"$in\": [1, 3.0]}}", M)).isTrue();
    }

    @Test
    void typesDoNotMixOtherwise() throws Exception {
        assertThat(where("{\"b\": 1}", M)).isFalse();
        assertThat(where("{\"s\": {\"$gt\": 1}}", M)).isFalse();
        assertThat(where("{\"i\": \"3\"}", M)).isFalse();
    }

    @Test
    void negationsMatchRecordsLackingTheKey() throws Exception {
        assertThat(where("{\"missing\": {\"$ne\": 1}}", M)).isTrue();
        assertThat(where("{\"missing\": {\"$nin\": [1]}}", M)).isTrue();
        assertThat(where("{\"missing\": {\"$not_contains\": \"x\"}}", M)).isTrue();
        assertThat(where("{\"missing\": {\"$ne\": 1}}", null)).isTrue();
        assertThat(where("{\"missing\": 1}", M)).isFalse();
        assertThat(where("{\"missing\": {\"$gt\": 0}}", M)).isFalse();
        assertThat(where("{\"s\": {\"$ne\": \"red\"}}", M)).isFalse();
        assertThat(where("{\"s\": {\"$nin\": [\"red\", \"blue\"]}}", M)).isFalse();
    }

    @Test
    void containsLooksInsideArrays() throws Exception {
        assertThat(where("{\"tags\": {\"$contains\": \"x\"}}", M)).isTrue();
        assertThat(where("{\"tags\": {\"$contains\": \"z\"}}", M)).isFalse();
        assertThat(where("{\"tags\": {\"$not_contains\": \"x\"}}", M)).isFalse();
        assertThat(where("{\"nums\": {\"$contains\": 2.0}}", M)).isTrue();
        assertThat(where("{\"s\": {\"$contains\": \"r\"}}", M)).isFalse();
        assertThat(where("{\"tags\": \"x\"}", M)).isFalse();
    }

    @Test
    void andOrCombine() throws Exception {
        assertThat(where("{\"$and\": [{\"i\": 3}, {\"s\": \"red\"}]}", M)).isTrue();
        assertThat(where("{\"$and\": [{\"i\": 3}, {\"s\": \"blue\"}]}", M)).isFalse();
        assertThat(where("{\"$or\": [{\"i\": 4}, {\"s\": \"red\"}]}", M)).isTrue();
        assertThat(where("{\"$or\": [{\"i\": 4}]}", M)).isFalse();
    }

    @Test
    void documentContainsIsCaseSensitiveSubstring() throws Exception {
        assertThat(doc("{\"$contains\": \"Fox\"}", "the quick Fox")).isTrue();
        assertThat(doc("{\"$contains\": \"fox\"}", "the quick Fox")).isFalse();
        assertThat(doc("{\"$not_contains\": \"fox\"}", "the quick Fox")).isTrue();
        assertThat(doc("{\"$contains\": \"a\"}", null)).isFalse();
        assertThat(doc("{\"$not_contains\": \"a\"}", null)).isTrue();
    }

    @Test
    void documentRegexIsUnanchored() throws Exception {
        assertThat(doc("{\"$regex\": \"q[a-z]+k\"}", "the quick fox")).isTrue();
        assertThat(doc("{\"$regex\": \"^quick\"}", "the quick fox")).isFalse();
        assertThat(doc("{\"$not_regex\": \"\\\\d\"}", "no digits")).isTrue();
        assertThat(doc("{\"$or\": [{\"$contains\": \"zzz\"}, {\"$regex\": \"fo.\"}]}", "the quick fox")).isTrue();
        assertThat(doc("{\"$and\": [{\"$contains\": \"the\"}, {\"$regex\": \"cat\"}]}", "the quick fox")).isFalse();
    }
}
