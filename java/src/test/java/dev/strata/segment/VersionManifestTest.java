package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.CorruptObjectException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VersionManifestTest {

    private final UUID id = UUID.fromString("00000000-0000-0000-0000-000000000007");

    private VersionManifest sample() {
        return new VersionManifest(VersionManifest.FORMAT, id, 3, 1200, 1_700_000_000_000L, 4, 10, 11,
                Map.of("record.ids", "c/" + id + "/r/a", "metadata.strings", "c/" + id + "/r/b"),
                List.of("c/" + id + "/i/x/hnsw.bin"), Map.of("space", "cosine", "m", 16));
    }

    @Test
    void roundTripsAndNamesItsObjects() {
        VersionManifest m = sample();
        VersionManifest back = VersionManifest.decode(m.objectKey(), m.encode());
        assertThat(back).isEqualTo(m);
        assertThat(back.namedObjects()).containsExactlyInAnyOrder(
                "c/" + id + "/r/a", "c/" + id + "/r/b", "c/" + id + "/i/x/hnsw.bin");
        assertThat(m.objectKey()).isEqualTo("c/" + id + "/v/00000000000000000003.json");
    }

    @Test
    void detectsCorruptionWithTheKey() {
        byte[] bytes = sample().encode();
        bytes[10] ^= 0x01;
        assertThatThrownBy(() -> VersionManifest.decode("k/v.json", bytes))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("k/v.json");
        assertThatThrownBy(() -> VersionManifest.decode("k/v.json", "{}".getBytes()))
                .isInstanceOf(CorruptObjectException.class);
    }
}
