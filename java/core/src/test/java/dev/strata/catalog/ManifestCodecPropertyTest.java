package dev.strata.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.FileFormat;
import dev.strata.storage.UnsupportedFormatVersionException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ManifestCodecPropertyTest {

    @Provide
    Arbitrary<Map<String, Object>> metadata() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<Object> value = Arbitraries.oneOf(scalar,
                Arbitraries.strings().alpha().ofMaxLength(5).list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.longs().list().ofMaxSize(4).map(l -> (Object) l));
        return Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(10), value).ofMaxSize(8);
    }

    private static CatalogState stateWith(Map<String, Object> metadata) {
        CatalogState s = CatalogState.initial(new UUID(1, 2)).copyForWrite();
        CollectionRecord c = s.createCollection("default_tenant", "default_database", "c", metadata,
                Map.of("hnsw", Map.of("space", "l2")), 4, false, new UUID(3, 4), Instant.ofEpochSecond(1_700_000_000, 123));
        s.commitVersion(c.id(), 0, 1, "c/v/1.json", 17, Instant.ofEpochSecond(1_700_000_100));
        s.generation = 5;
        return s;
    }

    @Property(tries = 200)
    void metadataSurvivesTheManifest(@ForAll("metadata") Map<String, Object> metadata) {
        CatalogState s = stateWith(metadata);
        byte[] bytes = ManifestCodec.encode(s, "node@1");

        CatalogState back = ManifestCodec.decode("m", bytes);

        CollectionRecord original = s.allCollections().getFirst();
        CollectionRecord decoded = back.allCollections().getFirst();
        assertThat(decoded).isEqualTo(original);
        assertThat(List.copyOf(decoded.metadata().keySet())).isEqualTo(List.copyOf(original.metadata().keySet()));
        assertThat(back.generation).isEqualTo(5);
        assertThat(ManifestCodec.encode(back, "node@1")).isEqualTo(bytes);
    }

    @Property(tries = 300)
    void aDamagedManifestIsRefusedOrReadsTheSame(@ForAll("metadata") Map<String, Object> metadata,
                                                 @ForAll @IntRange(min = 0, max = 100_000) int position,
                                                 @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] bytes = ManifestCodec.encode(stateWith(metadata), null);
        byte[] damaged = Arrays.copyOf(bytes, bytes.length);
        damaged[position % bytes.length] ^= (byte) flip;

        try {
            CatalogState back = ManifestCodec.decode("catalog/manifest.json", damaged);
            // only a change that JSON ignores (the trailing whitespace) may pass
            assertThat(ManifestCodec.encode(back, null)).isEqualTo(bytes);
        } catch (CorruptObjectException e) {
            assertThat(e.key()).isEqualTo("catalog/manifest.json");
        } // never an UnsupportedFormatVersionException: the format digit is under the checksum

    }

    /** A manifest of {@code catalog} in {@code format}, checksummed over {@code checksummedFormat} and the catalog. */
    private static byte[] manifest(String format, String checksummedFormat, String catalog) {
        int crc = FileFormat.crc32c(ByteBuffer.wrap(checksummedFormat.getBytes(StandardCharsets.US_ASCII)),
                ByteBuffer.wrap(catalog.getBytes(StandardCharsets.UTF_8)));
        return ("{\"format\":" + format + ",\"crc32c\":\"" + FileFormat.crcHex(crc) + "\",\"catalog\":" + catalog + "}\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The catalog value of a manifest this build wrote. */
    private static String catalogOf(byte[] manifest) {
        String text = new String(manifest, StandardCharsets.UTF_8);
        return text.substring(text.indexOf("\"catalog\":") + "\"catalog\":".length(), text.lastIndexOf('}'));
    }

    @Test
    void theFormatNumberIsUnderTheChecksum() {
        byte[] bytes = ManifestCodec.encode(stateWith(Map.of()), null);
        String catalog = catalogOf(bytes);
        assertThat(bytes).isEqualTo(manifest("2", "2", catalog));

        // A newer format, intact: a newer Strata wrote it.
        assertThatThrownBy(() -> ManifestCodec.decode("catalog/manifest.json", manifest("3", "3", catalog)))
                .isInstanceOf(UnsupportedFormatVersionException.class).isNotInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("catalog manifest format version 3 was written by a newer Strata");
        // The format digit changed after the checksum was taken: damage, whichever way it moved.
        for (String damaged : List.of("3", "1", "7")) {
            assertThatThrownBy(() -> ManifestCodec.decode("catalog/manifest.json", manifest(damaged, "2", catalog)))
                    .isExactlyInstanceOf(CorruptObjectException.class).hasMessageContaining("checksum mismatch");
        }
    }

    @Test
    void aManifestOfFormatOneWhoseChecksumCoversTheCatalogAloneStillReads() {
        CatalogState s = stateWith(Map.of("k", "v"));
        byte[] current = ManifestCodec.encode(s, "node@1");
        CatalogState back = ManifestCodec.decode("catalog/manifest.json", manifest("1", "", catalogOf(current)));
        assertThat(back.allCollections()).isEqualTo(s.allCollections());
        assertThat(ManifestCodec.encode(back, "node@1")).isEqualTo(current);
    }
}
