package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The streamed reading of embedding fields answers every body exactly as the tree parse does. */
class JsonBodyStreamingTest {

    private static final Set<String> FIELDS = Set.of("query_embeddings", "n_results", "where", "include");
    private static final Set<String> EMBEDDINGS = Set.of("query_embeddings");

    @Test
    void everyBodyGetsTheSameEmbeddingsOrTheSameErrorAsTheTreeParse() {
        String b64 = Base64.getEncoder().encodeToString(new byte[] {0, 0, (byte) 0x80, 0x3f});
        List<String> bodies = List.of(
                "{\"query_embeddings\":[[1,2.5,-3e-2],[0.1,0.2,0.3]],\"n_results\":3}",
                "{\"n_results\":3,\"query_embeddings\":[[1e38,-0.0,7]],\"where\":{\"a\":{\"$gt\":1}}}",
                "{\"query_embeddings\":[null,[1,2]]}",
                "{\"query_embeddings\":[[]]}",
                "{\"query_embeddings\":[]}",
                "{\"query_embeddings\":null}",
                "{\"query_embeddings\":[\"" + b64 + "\"]}",
                "{\"query_embeddings\":[\"not base64!\"]}",
                "{\"query_embeddings\":[[1,\"x\"]]}",
                "{\"query_embeddings\":[[1,[2]]]}",
                "{\"query_embeddings\":[[123456789012345678901234567890]]}",
                "{\"query_embeddings\":[[1,2]],\"query_embeddings\":[[3,4]]}",
                "{\"query_embeddings\":[[1,2]],\"unknown\":1}",
                "{\"query_embeddings\":[[1,2]]} trailing",
                "{\"query_embeddings\":[[1,2]]",
                "{\"query_embeddings\":{\"a\":1}}",
                "{\"query_embeddings\":7}",
                "[[1,2]]",
                "",
                "{\"include\":[\"distances\"],\"query_embeddings\":[[1,2],[3,4]]}");
        assertThat(JsonBody.parseStreamingEmbeddings(bodies.getFirst().getBytes(StandardCharsets.UTF_8), FIELDS, EMBEDDINGS)
                .streamedFields()).as("a plain body takes the streamed path").containsExactly("query_embeddings");
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertThat(outcome(() -> JsonBody.parseStreamingEmbeddings(bytes, FIELDS, EMBEDDINGS)))
                    .as(body).isEqualTo(outcome(() -> JsonBody.parse(bytes, FIELDS)));
        }
    }

    /** The embeddings and n_results read from the body, or the error's status and message. */
    private static String outcome(java.util.function.Supplier<JsonBody> parse) {
        try {
            JsonBody b = parse.get();
            List<float[]> e = b.embeddings("query_embeddings");
            List<String> rows = new ArrayList<>();
            if (e != null) {
                e.forEach(r -> rows.add(r == null ? "null" : java.util.Arrays.toString(r)));
            }
            return "ok has=" + b.has("query_embeddings") + " rows=" + (e == null ? "null" : rows) + " n=" + b.unsignedInt("n_results")
                    + " include=" + b.strings("include");
        } catch (HttpError err) {
            return "error " + err.status() + " " + err.getMessage();
        }
    }
}
