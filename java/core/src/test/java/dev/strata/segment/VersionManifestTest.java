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
    void aManifestOfANewerFormatIsReportedAsNewerNotAsCorrupt() {
        VersionManifest plain = sample();
        VersionManifest newer = new VersionManifest(VersionManifest.FORMAT + 1, id, 3, 1200, 1_700_000_000_000L, 4, 10, 11,
                plain.roots(), plain.indexFiles(), plain.vector());
        assertThatThrownBy(() -> VersionManifest.decode(newer.objectKey(), newer.encode()))
                .isInstanceOf(dev.strata.storage.UnsupportedFormatVersionException.class)
                .isNotInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("version manifest format version " + (VersionManifest.FORMAT + 1) + " was written by a newer Strata")
                .hasMessageContaining(newer.objectKey());
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
    void openBlocksRoundTripAndAreLeftOutWhenNone() {
        VersionManifest plain = sample();
        assertThat(new String(plain.encode(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("open_blocks");
        VersionManifest.OpenBlock head = new VersionManifest.OpenBlock("ivf.s1.centroids", "c/" + id + "/b/x", -7);
        VersionManifest m = new VersionManifest(plain.format(), id, 3, 1200, 1_700_000_000_000L, 4, 10, 11, plain.roots(),
                plain.indexFiles(), plain.vector(), List.of(head));
        VersionManifest back = VersionManifest.decode(m.objectKey(), m.encode());
        assertThat(back.openBlocks()).containsExactly(head);
        assertThat(back.withVersion(4).openBlocks()).containsExactly(head);
        assertThat(back.forkedAs(UUID.randomUUID(), 1L).openBlocks()).containsExactly(head);
        // a manifest written before open blocks existed decodes with none
        assertThat(VersionManifest.decode(plain.objectKey(), plain.encode()).openBlocks()).isEmpty();
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
