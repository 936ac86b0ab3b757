package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.Space;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.UnsupportedFormatVersionException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's load verdicts on an index file, as the storage layer reports them (the same as verify's). */
class HnswFileLoadTest {

    private static final String KEY = "c/x/i/1/hnsw.bin";

    @TempDir
    Path dir;

    byte[] saved;

    @BeforeEach
    void saveAnIndex() throws IOException {
        try (HnswIndex index = HnswIndex.create(Space.L2, 3)) {
            index.add(new long[] {1, 2, 3}, new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
            Path file = dir.resolve("saved.bin");
            index.save(file);
            saved = Files.readAllBytes(file);
        }
    }

    /** The saved bytes as version {@code digit} with a valid checksum: what a newer Strata would write. */
    private byte[] ofVersion(char digit) {
        byte[] bytes = saved.clone();
        bytes[7] = (byte) digit;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }

    private HnswIndex loadFile(byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve("index.bin"), bytes);
        return HnswFile.load(file, KEY, Space.L2, 3);
    }

    private HnswIndex loadMemory(byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(bytes.length);
            segment.copyFrom(MemorySegment.ofArray(bytes));
            return HnswFile.load(segment, KEY, Space.L2, 3);
        }
    }

    @Test
    void anIntactFileLoadsFromAFileAndFromMemory() throws IOException {
        try (HnswIndex fromFile = loadFile(saved); HnswIndex fromMemory = loadMemory(saved)) {
            assertThat(fromFile.count()).isEqualTo(3);
            assertThat(fromMemory.count()).isEqualTo(3);
        }
    }

    @Test
    void aFileANewerStrataWroteIsTooNewNotCorrupt() {
        byte[] newer = ofVersion('2');
        for (var load : java.util.List.<ThrowingLoad>of(this::loadFile, this::loadMemory)) {
            assertThatThrownBy(() -> load.apply(newer)).isInstanceOfSatisfying(UnsupportedFormatVersionException.class, e -> {
                assertThat(e.version()).isEqualTo(2);
                assertThat(e.newestReadable()).isEqualTo(1);
                assertThat(e.key()).isEqualTo(KEY);
            }).hasMessageContaining("HNSW index file format version 2 was written by a newer Strata");
        }
    }

    @Test
    void aDamagedVersionDigitOrBodyIsCorruption() {
        byte[] digit = saved.clone();
        digit[7] = '2'; // the checksum no longer matches: damage, not a newer Strata
        byte[] body = saved.clone();
        body[body.length / 2] ^= 0x10;
        for (byte[] damaged : new byte[][] {digit, body}) {
            assertThatThrownBy(() -> loadFile(damaged)).isExactlyInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining("checksum mismatch").hasMessageContaining(KEY);
            assertThatThrownBy(() -> loadMemory(damaged)).isExactlyInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining("checksum mismatch");
        }
    }

    @FunctionalInterface
    private interface ThrowingLoad {
        HnswIndex apply(byte[] bytes) throws IOException;
    }
}
