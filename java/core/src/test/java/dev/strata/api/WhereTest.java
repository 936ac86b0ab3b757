package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WhereTest {

    @Test
    void buildersEqualParsedJson() {
        Where built = Where.and(Where.eq("genre", "jazz"), Where.or(Where.gte("year", 1990), Where.in("id", 1, 2)));
        Where parsed = Where.parse(Map.of("$and", List.of(Map.of("genre", Map.of("$eq", "jazz")),
                Map.of("$or", List.of(Map.of("year", Map.of("$gte", 1990)), Map.of("id", Map.of("$in", List.of(1, 2))))))));
        assertThat(built).isEqualTo(parsed);
        assertThat(built.filter().keys()).containsExactly("genre", "year", "id");
        assertThat(built.matches(Map.of("genre", "jazz", "year", 2001L))).isTrue();
        assertThat(built.matches(Map.of("genre", "jazz", "year", 1980L))).isFalse();
    }

    @Test
    void malformedFiltersAreInvalidArgumentErrors() {
        assertThatThrownBy(() -> Where.parse(Map.of("a", 1, "b", 2)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Invalid where clause")
                .extracting(e -> ((StrataException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThatThrownBy(() -> Where.eq("k", null)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Where.and()).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> WhereDocument.regex("[")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Invalid where document clause");
    }

    @Test
    void documentBuilders() {
        WhereDocument w = WhereDocument.or(WhereDocument.contains("cat"), WhereDocument.regex("d.g"));
        assertThat(w.matches("a dog")).isTrue();
        assertThat(w.matches("a bird")).isFalse();
        assertThat(WhereDocument.parse(w.toMap())).isEqualTo(w);
    }

    @Test
    void errorsSayWhatTheCallerCanDo() {
        assertThat(new InvalidArgumentException("x").kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(new NotFoundException("x").kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(new AlreadyExistsException("x").kind()).isEqualTo(ErrorKind.CONFLICT);
        assertThat(new InternalException("x").kind()).isEqualTo(ErrorKind.INTERNAL);
        assertThat(new InternalException("x").retryable()).isFalse();
        assertThat(new WriteStalledException("x").retryable()).isTrue();
        assertThat(new ReadCancelledException("x", null).retryable()).isTrue();
        assertThat(new DeadlineExceededException("x", null).retryable()).as("narrow it first").isFalse();
        assertThat(new UnimplementedException("x").kind()).isEqualTo(ErrorKind.UNSUPPORTED);
        assertThat(Include.fromWireName("metadatas")).isEqualTo(Include.METADATAS);
        assertThat(GetRequest.all().include()).containsExactlyInAnyOrder(Include.DOCUMENTS, Include.METADATAS);
        assertThat(QueryRequest.builder().build().include()).contains(Include.DISTANCES);
        assertThat(QueryRequest.builder().build().nResults()).isEqualTo(10);
    }
}
