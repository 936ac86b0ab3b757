package dev.strata.springai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;

/** The translation in Chroma's JSON shape (StrataVectorStoreTest runs every kind against Strata). */
class ExpressionToWhereTest {

    private static Map<String, Object> where(String expression) {
        return ExpressionToWhere.toWhere(new FilterExpressionTextParser().parse(expression)).toMap();
    }

    @Test
    void notIsPushedToTheLeavesByDeMorgan() {
        assertThat(where("NOT(a == 'x' && (b > 1 || c nin ['y']))")).isEqualTo(Map.of("$or", List.of(
                Map.of("a", Map.of("$ne", "x")),
                Map.of("$and", List.of(
                        Map.of("b", Map.of("$lte", 1L)),
                        Map.of("c", Map.of("$in", List.of("y"))))))));
        assertThat(where("NOT(NOT(b >= 2.5))")).isEqualTo(Map.of("b", Map.of("$gte", 2.5)));
        assertThat(where("NOT(b < 2)")).isEqualTo(Map.of("b", Map.of("$gte", 2L)));
        assertThat(where("NOT(b <= 2)")).isEqualTo(Map.of("b", Map.of("$gt", 2L)));
        assertThat(where("NOT(b != 2)")).isEqualTo(Map.of("b", Map.of("$eq", 2L)));
    }

    @Test
    void quotedKeysLoseTheirQuotes() {
        assertThat(where("'my key' == 1")).isEqualTo(Map.of("my key", Map.of("$eq", 1L)));
    }

    @Test
    void noExpressionIsNoWhere() {
        assertThat(ExpressionToWhere.toWhere(null)).isNull();
    }
}
