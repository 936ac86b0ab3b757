package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Include;
import dev.strata.api.QueryResult;
import dev.strata.segment.Record;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The streamed query answer is byte for byte what Jackson writes for the same answer as a map tree. */
class QueryAnswerJsonTest {

    private static Map<String, Object> metadata(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> answers() {
        Record a = new Record("id-1", new float[] {0.1f, -2.5e-7f, 3f, Float.MIN_VALUE}, "plain text",
                metadata("category", "cat-1", "year", 1999L, "score", 0.125, "flag", true, "small", 7, "f", 1.5f), null);
        Record b = new Record("id-\"2\"\n", new float[] {1e30f, -0f}, "unicode é ✓ 😀 and \\ \" \u0001",
                metadata("nothing", null, "list", List.of(1L, "x", false), "nested", Map.of("k", 2L)), "s3://b/k");
        Record c = new Record("id-3", new float[] {0f}, null, null, null);
        List<List<Record>> two = List.of(List.of(a, b, c), List.of(c));
        float[][] distances = {{0f, 0.30000001f, 1.9999999f}, {Float.MAX_VALUE}};
        return Stream.of(
                Arguments.of(QueryResult.of(two, distances, EnumSet.allOf(Include.class))),
                Arguments.of(QueryResult.of(two, distances, EnumSet.of(Include.DOCUMENTS, Include.METADATAS, Include.DISTANCES))),
                Arguments.of(QueryResult.of(two, distances, EnumSet.noneOf(Include.class))),
                Arguments.of(QueryResult.of(List.of(List.of()), new float[][] {{}}, EnumSet.of(Include.DISTANCES))),
                Arguments.of(QueryResult.of(List.of(), new float[0][], EnumSet.of(Include.EMBEDDINGS, Include.URIS))));
    }

    @ParameterizedTest
    @MethodSource("answers")
    void streamedBytesEqualTheTreesBytes(QueryResult result) throws Exception {
        String streamed = JsonBody.MAPPER.writeValueAsString(new QueryAnswerJson(result));
        String tree = JsonBody.MAPPER.writeValueAsString(tree(result));
        assertThat(streamed).isEqualTo(tree);
        assertThat(JsonBody.MAPPER.readTree(streamed).get("ids").size()).isEqualTo(result.ids().size());
    }

    /** The answer as the map tree the server wrote before: Chroma's field order, nulls written. */
    private static Map<String, Object> tree(QueryResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ids", r.ids());
        m.put("embeddings", r.embeddings());
        m.put("documents", r.documents());
        m.put("metadatas", r.metadatas());
        m.put("distances", r.distances());
        m.put("uris", r.uris());
        Set<Include> include = r.include();
        List<String> names = new ArrayList<>();
        Arrays.stream(Include.values()).filter(include::contains).forEach(i -> names.add(i.wireName()));
        m.put("include", names);
        return m;
    }
}
