package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The plain-shape reader answers exactly what Jackson answers (values, their types and the key order) for any
 * metadata the codec writes, and declines (null) whatever it does not read itself, so Jackson decides those.
 */
class FlatJsonReaderTest {

    @Property(tries = 500)
    void answersAsJacksonDoesForWhatTheCodecWrites(@ForAll("metadata") Map<String, Object> metadata) {
        byte[] bytes = MetadataCodec.encode(metadata);
        Map<String, Object> jackson = MetadataCodec.decodeWithJackson(bytes, "k");
        Map<String, Object> plain = FlatJsonReader.read(bytes);
        if (plain != null) {
            assertThat(plain).containsExactlyEntriesOf(jackson);
            plain.forEach((k, v) -> assertThat(v).as(k).hasSameClassAs(jackson.get(k)));
        }
        assertThat(MetadataCodec.decode(bytes, "k")).containsExactlyEntriesOf(metadata);
    }

    @Test
    void readsThePlainShapeItselfAndDeclinesTheRest() {
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("category", "c3");
        plain.put("year", 1999L);
        plain.put("score", -0.25);
        plain.put("ok", true);
        plain.put("tags", List.of("a", "b"));
        assertThat(FlatJsonReader.read(MetadataCodec.encode(plain))).containsExactlyEntriesOf(plain);
        for (String declined : List.of("{\"a\":\"x\\ny\"}", "{\"a\": 1}", "{\"a\":1234567890123456789}", "{\"a\":1}x",
                "{\"a\":[]}", "{\"a\":null}", "[1]", "", "{\"a\":-}", "{\"a\":1-2}")) {
            assertThat(FlatJsonReader.read(declined.getBytes(StandardCharsets.UTF_8))).as(declined).isNull();
        }
    }

    @Provide
    Arbitrary<Map<String, Object>> metadata() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(12);
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                text.map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.integers().between(-1000, 1000).map(i -> (Object) (long) i),
                Arbitraries.doubles().filter(Double::isFinite).map(d -> (Object) d),
                Arbitraries.of(0.1, -0.0, 4.9e-324, 1e21, 123456.789e-12).map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<Object> list = Arbitraries.oneOf(
                text.list().ofMinSize(1).ofMaxSize(4).map(l -> (Object) List.copyOf(l)),
                Arbitraries.longs().list().ofMinSize(1).ofMaxSize(4).map(l -> (Object) List.copyOf(l)),
                Arbitraries.doubles().filter(Double::isFinite).list().ofMinSize(1).ofMaxSize(4)
                        .map(l -> (Object) List.copyOf(l)));
        Arbitrary<Object> value = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, scalar), net.jqwik.api.Tuple.of(1, list));
        return Combinators.combine(text.list().ofMaxSize(6), value.list().ofSize(6)).as((keys, values) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                m.put(keys.get(i), values.get(i));
            }
            return m;
        });
    }
}
