package dev.strata.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.Space;
import dev.strata.storage.LocalObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexFilesTest {

    private static final String KEY = "c/x/i/1/hnsw.bin";

    @TempDir
    Path dir;

    LocalObjectStore store;
    byte[] saved;

    @BeforeEach
    void saveAnIndex() throws IOException {
        store = new LocalObjectStore(dir.resolve("objects"));
        try (HnswIndex index = HnswIndex.create(Space.COSINE, 3)) {
            index.add(new long[] {1, 2, 3}, new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
            Path file = dir.resolve("index.bin");
            index.save(file);
            saved = Files.readAllBytes(file);
        }
        store.put(KEY, saved);
    }

    private Optional<Problem> check(byte[] bytes, Integer dimension, int chunk) {
        store.put(KEY, bytes);
        return IndexFiles.check(store, KEY, bytes.length, dimension, chunk);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100, 1 << 20})
    void intactFileIsAcceptedWhateverTheChunkSize(int chunk) {
        assertThat(check(saved, 3, chunk)).isEmpty();
        assertThat(check(saved, null, chunk)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 20, -3, -1}) // header, body, inside the trailer, last byte
    void anyFlippedByteIsCorruption(int at) {
        byte[] damaged = saved.clone();
        int i = at >= 0 ? (at == 20 ? damaged.length / 2 : at) : damaged.length + at;
        damaged[i] ^= 0x01;
        Optional<Problem> p = check(damaged, 3, 7);
        assertThat(p).get().satisfies(q -> {
            assertThat(q.kind()).isEqualTo(Problem.Kind.CORRUPT);
            assertThat(q.detail()).contains(i < 8 ? "lacks the STRHNSW1 magic" : "checksum mismatch");
        });
    }

    @Test
    void aFileANewerStrataWroteIsTooNewNotCorrupt() {
        byte[] newer = saved.clone();
        newer[7] = '2'; // STRHNSW2, with a valid checksum
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(newer, 0, newer.length - 4);
        java.nio.ByteBuffer.wrap(newer).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(newer.length - 4, (int) crc.getValue());
        assertThat(check(newer, 3, 64)).get().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.TOO_NEW);
            assertThat(p.kind().isError()).isTrue();
            assertThat(p.detail()).contains("HNSW index file format version 2 was written by a newer Strata");
        });
    }

    @Test
    void aFileOfAnotherFormatUnderAnotherNameIsOnlyUnverified() {
        String other = "c/x/i/1/labels.bin";
        store.put(other, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThat(IndexFiles.check(store, other, 9, 3, 64)).get().extracting(Problem::kind)
                .isEqualTo(Problem.Kind.UNVERIFIED);
    }

    @Test
    void wrongDimensionIsAMismatchAndATruncatedFileIsCorrupt() {
        assertThat(check(saved, 8, 64)).get().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.MISMATCH);
            assertThat(p.detail()).contains("dimension 3").contains("says 8");
        });
        byte[] cut = java.util.Arrays.copyOf(saved, 20);
        assertThat(check(cut, 3, 64)).get().extracting(Problem::kind).isEqualTo(Problem.Kind.CORRUPT);
    }
}
