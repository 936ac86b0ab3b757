package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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
                "{\"include\":[\"distances\"],\"query_embeddings\":[[1,2],[3,4]]}",
                // numbers at the edges of JSON's grammar and of float and long
                "{\"query_embeddings\":[[-0,-0.0,0.1e1,1E+2,2e-2,1e400,-1e400,1e-400,3.4028236e38,1.4e-45]]}",
                "{\"query_embeddings\":[[123456789012345678,-123456789012345678,1234567890123456789,9223372036854775807]]}",
                "{\"query_embeddings\":[[0.12345678901234567890123456789,16777217,9007199254740993]]}",
                "{\"query_embeddings\":[[01]]}",
                "{\"query_embeddings\":[[1.]]}",
                "{\"query_embeddings\":[[.5]]}",
                "{\"query_embeddings\":[[+1]]}",
                "{\"query_embeddings\":[[-]]}",
                "{\"query_embeddings\":[[1e]]}",
                "{\"query_embeddings\":[[1e+]]}",
                "{\"query_embeddings\":[[1,2,]]}",
                "{\"query_embeddings\":[[,1]]}",
                "{\"query_embeddings\":[[1 2]]}",
                "{\"query_embeddings\":[[1],]}",
                "{\"query_embeddings\":[[1]],}",
                "{\"query_embeddings\":[[1]] , }",
                "{\"query_embeddings\":[[1],nul]}",
                "{\"query_embeddings\":[[1],nuxx]}",
                "{\"query_embeddings\":[[NaN]]}",
                "{\"query_embeddings\":[[1" + "0".repeat(120) + "]]}",
                "{\"query_embeddings\":[[0." + "1".repeat(120) + "]]}",
                "{ \"query_embeddings\" :\n [ [ 1 ,\t2 ] ,\r\n null , [ ] ] \n, \"n_results\" : 5 }  ",
                "{\"query_embeddings\":[[1]] , \"n_results\": 3 , \"query_embeddings\":[[2]]}",
                "{\"query_embeddings\":[[1]] , \"n_results\": 3 , \"n_results\": 4}",
                "{\"query_embeddings\":[[1]], \"n_results\": }",
                "{\"query_embeddings\":[[1]]}}",
                "{\"query_embeddings\":[[1]]} {}",
                "{\"query_embeddings\":[[1]], \"where\": {\"a\": [1, 2, {\"b\": \"}\"}]}, \"n_results\": 2}",
                "\uFEFF{\"query_embeddings\":[[1,2]]}",
                "{\"query_embeddings\":[[1,2]]");
        assertThat(JsonBody.parseStreamingEmbeddings(bodies.getFirst().getBytes(StandardCharsets.UTF_8), FIELDS, EMBEDDINGS)
                .streamedFields()).as("a plain body takes the streamed path").containsExactly("query_embeddings");
        assertThat(JsonBody.parseStreamingEmbeddings(bodies.get(1).getBytes(StandardCharsets.UTF_8), FIELDS, EMBEDDINGS)
                .streamedFields()).as("so does one with fields before and after them").containsExactly("query_embeddings");
        assertThat(JsonBody.parseStreamingEmbeddings(bodies.get(2).getBytes(StandardCharsets.UTF_8), FIELDS, EMBEDDINGS)
                .streamedFields()).as("and one with a null row").containsExactly("query_embeddings");
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertThat(outcome(() -> JsonBody.parseStreamingEmbeddings(bytes, FIELDS, EMBEDDINGS)))
                    .as(body).isEqualTo(outcome(() -> JsonBody.parse(bytes, FIELDS)));
        }
    }

    @Property(tries = 200)
    void decimalsReadFromTheBytesEqualTheTreeParses(@ForAll("numbers") List<String> numbers) {
        String body = "{\"query_embeddings\":[[" + String.join(",", numbers) + "]],\"n_results\":1}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        JsonBody fast = JsonBody.parseStreamingEmbeddings(bytes, FIELDS, EMBEDDINGS);
        assertThat(fast.streamedFields()).as(body).containsExactly("query_embeddings");
        assertThat(outcome(() -> fast)).as(body).isEqualTo(outcome(() -> JsonBody.parse(bytes, FIELDS)));
    }

    @Provide
    Arbitrary<List<String>> numbers() {
        Arbitrary<String> printed = Arbitraries.doubles().map(String::valueOf).filter(x -> !x.contains("Infinity") && !x.equals("NaN"))
                .map(x -> x.replace("E", "e"));                                  // as JS prints a double, roughly
        Arbitrary<String> floats = Arbitraries.floats().map(f -> String.valueOf((double) f)).filter(x -> !x.contains("Inf") && !x.equals("NaN"));
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25)
                .filter(x -> x.length() == 1 || x.charAt(0) != '0')
                .flatMap(x -> Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25).map(f -> x + "." + f));
        Arbitrary<String> integers = Arbitraries.longs().between(-999_999_999_999_999_999L, 999_999_999_999_999_999L).map(String::valueOf);
        return Arbitraries.oneOf(printed, floats, digits, integers).list().ofMinSize(1).ofMaxSize(40);
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
