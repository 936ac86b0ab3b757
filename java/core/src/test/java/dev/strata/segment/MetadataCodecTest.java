package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.CorruptObjectException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataCodecTest {

    @Test
    void everyValueTypeSurvivesTheRoundTripWithItsTypeAndOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "héllo \"quoted\" ✓");
        m.put("i", 42L);
        m.put("big", Long.MIN_VALUE);
        m.put("f", 1.0);
        m.put("tiny", 4.9e-324);
        m.put("t", true);
        m.put("no", false);
        m.put("tags", List.of("a", "b"));
        m.put("ns", List.of(1L, 2L));
        m.put("fs", List.of(0.5, 2.0));
        Map<String, Object> back = MetadataCodec.decode(MetadataCodec.encode(m), "k");
        assertThat(back).containsExactlyEntriesOf(m);
        assertThat(back.get("f")).isInstanceOf(Double.class);
        assertThat(back.get("i")).isInstanceOf(Long.class);
        assertThat(List.copyOf(back.keySet())).containsExactlyElementsOf(m.keySet());
    }

    @Test
    void aRecordKeepsDecodedMetadataWithoutACopyButReadOnlyAndCopiesAnyOtherMap() {
        Map<String, Object> decoded = MetadataCodec.decode("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "k");
        Record r = new Record("id", null, null, decoded, null);
        assertThatThrownBy(() -> r.metadata().put("b", 2L)).isInstanceOf(UnsupportedOperationException.class);
        Map<String, Object> callers = new LinkedHashMap<>(Map.of("a", 1L));
        Record copied = new Record("id", null, null, callers, null);
        callers.put("b", 2L);
        assertThat(copied.metadata()).containsOnlyKeys("a");
    }

    @Test
    void malformedOrUnsupportedStoredMetadataIsACorruptObjectNamingWhere() {
        for (String bad : List.of("[1]", "{\"a\":", "{\"a\":null}", "{\"a\":{\"b\":1}}", "{\"a\":[[1]]}", "{\"a\":[]}",
                "{\"a\":[1,\"x\"]}", "{\"a\":123456789012345678901234567890}", "")) {
            assertThatThrownBy(() -> MetadataCodec.decode(bad.getBytes(StandardCharsets.UTF_8), "blocks/x"))
                    .as(bad).isInstanceOf(CorruptObjectException.class).hasMessageContaining("blocks/x");
        }
    }
}
