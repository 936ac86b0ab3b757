package dev.strata.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.ByteRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FileFormatTest {

    private static final FileFormat FORMAT = FileFormat.of("test object", "STST", 2, 3);
    private static final String KEY = "c/x/b/1";

    /** An object of the usual envelope: magic, version, body, CRC32C of all before it. */
    private static byte[] object(int version, byte[] body, ByteOrder order) {
        ByteBuffer out = ByteBuffer.allocate(FORMAT.headerBytes() + body.length + FileFormat.CRC_BYTES).order(order);
        out.put(FORMAT.magic()).put((byte) version).put(body);
        out.putInt(FileFormat.crc32c(out.array(), 0, out.position()));
        return out.array();
    }

    @Property(tries = 200)
    void anIntactObjectOfAReadableVersionPasses(@ForAll @Size(max = 64) byte[] body, @ForAll @IntRange(min = 2, max = 3) int version,
                                                @ForAll boolean littleEndian) {
        ByteOrder order = littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        assertThat(FORMAT.verify(KEY, object(version, body, order), order)).isEqualTo(version);
    }

    @Property(tries = 200)
    void aNewerVersionIsTooNewNotCorrupt(@ForAll @Size(max = 64) byte[] body, @ForAll @IntRange(min = 4, max = 255) int version) {
        assertThatThrownBy(() -> FORMAT.verify(KEY, object(version, body, ByteOrder.BIG_ENDIAN), ByteOrder.BIG_ENDIAN))
                .isInstanceOfSatisfying(UnsupportedFormatVersionException.class, e -> {
                    assertThat(e.key()).isEqualTo(KEY);
                    assertThat(e.version()).isEqualTo(version);
                    assertThat(e.newestReadable()).isEqualTo(3);
                    assertThat(e.format()).isEqualTo("test object");
                })
                .isNotInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("test object format version " + version + " was written by a newer Strata")
                .hasMessageContaining("reads versions 2 to 3");
    }

    @Property(tries = 300)
    void anyFlippedByteIsCorruptionEvenInTheVersion(@ForAll @Size(max = 64) byte[] body, @ForAll @IntRange(min = 0, max = 1000) int where,
                                                    @ForAll @ByteRange(min = 1) byte mask) {
        byte[] data = object(3, body, ByteOrder.BIG_ENDIAN);
        data[where % data.length] ^= mask;
        assertThatThrownBy(() -> FORMAT.verify(KEY, data, ByteOrder.BIG_ENDIAN)).isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(KEY);
    }

    @Test
    void anOlderVersionThanAnyReleaseWroteIsCorrupt() {
        assertThatThrownBy(() -> FORMAT.verify(KEY, object(1, new byte[3], ByteOrder.BIG_ENDIAN), ByteOrder.BIG_ENDIAN))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("unknown test object format version 1");
        assertThatThrownBy(() -> FORMAT.checkVersion(KEY, 9)).isInstanceOf(UnsupportedFormatVersionException.class);
        assertThat(FORMAT.checkVersion(KEY, 2)).isEqualTo(2);
    }

    @Test
    void truncatedOrForeignObjectsAreCorrupt() {
        assertThatThrownBy(() -> FORMAT.verify(KEY, new byte[4], ByteOrder.BIG_ENDIAN))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("test object truncated: 4 bytes");
        byte[] foreign = object(3, new byte[8], ByteOrder.BIG_ENDIAN);
        foreign[0] = 'X';
        assertThatThrownBy(() -> FORMAT.verify(KEY, foreign, ByteOrder.BIG_ENDIAN))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("wrong magic for a test object: XTST");
    }

    @Test
    void aLayerMayReportCorruptionWithItsOwnException() {
        class LayerCorrupt extends CorruptObjectException {
            LayerCorrupt(String key, String detail) {
                super(key, detail);
            }
        }
        byte[] data = object(3, new byte[8], ByteOrder.LITTLE_ENDIAN);
        data[7] ^= 1;
        assertThatThrownBy(() -> FORMAT.verify(KEY, data, ByteOrder.LITTLE_ENDIAN, LayerCorrupt::new))
                .isInstanceOf(LayerCorrupt.class).hasMessageContaining("test object checksum mismatch");
    }

    @Test
    void checksumsAreCrc32cInTheFormsTheFormatsStore() {
        byte[] bytes = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(FileFormat.crc32c(bytes, 0, bytes.length)).isEqualTo(0xE3069283); // the CRC-32C check value
        assertThat(FileFormat.crc32c(ByteBuffer.wrap(bytes, 0, 4), ByteBuffer.wrap(bytes, 4, 5))).isEqualTo(0xE3069283);
        assertThat(FileFormat.crcHex(0xE3069283)).isEqualTo("e3069283");
        assertThat(FileFormat.crcHex(0x0000abcd)).isEqualTo("0000abcd");
        assertThat(FileFormat.of("x", "SWG1", 1, 1).magicInt()).isEqualTo(0x53574731);
    }
}
