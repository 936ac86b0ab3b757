package dev.strata.wal;

import static dev.strata.wal.WalFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectLayout.LogSegment;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRecoveryTest {

    @TempDir
    Path dir;

    /** Writes a segment file as the committer would: frames {@code first..first+n-1}. */
    private Path writeSegment(String collection, long first, int n) throws Exception {
        Path d = dir.resolve("wal").resolve(collection);
        Files.createDirectories(d);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long s = first; s < first + n; s++) {
            ByteBuffer b = RecordFrame.encode(s, payload("payload-" + s));
            out.write(b.array(), 0, b.limit());
        }
        Path file = d.resolve(CollectionLog.fileName(first));
        Files.write(file, out.toByteArray());
        return file;
    }

    private static long frameBytes(long seq) {
        return RecordFrame.HEADER_BYTES + payload("payload-" + seq).length;
    }

    @Test
    void aCutLastRecordIsTruncatedAndAppendsResumeAfterIt() throws Exception {
        Path file = writeSegment("c", 1, 5);
        long size = Files.size(file);
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);
        }
        try (WalFixture f = WalFixture.open(dir, WalOptions.defaults())) {
            assertThat(f.wal.lastSeq("c")).isEqualTo(4);
            assertThat(Files.size(file)).isEqualTo(size - frameBytes(5));
            assertThat(f.wal.read("c", 1, 10)).extracting(WalFixture::text)
                    .containsExactly("payload-1", "payload-2", "payload-3", "payload-4");
            assertThat(f.wal.append("c", payload("new"))).isEqualTo(5);
            assertThat(f.wal.read("c", 4, 10)).extracting(WalFixture::text).containsExactly("payload-4", "new");
        }
    }

    /** Appends {@code tail} to a 3-record segment and checks that opening cuts exactly the tail off. */
    private void assertTailIsCut(byte[] tail) throws Exception {
        Path file = writeSegment("c", 1, 3);
        long size = Files.size(file);
        Files.write(file, tail, StandardOpenOption.APPEND);
        try (WalFixture f = WalFixture.open(dir, WalOptions.defaults())) {
            assertThat(f.wal.lastSeq("c")).isEqualTo(3);
            assertThat(Files.size(file)).isEqualTo(size);
        }
    }

    @Test
    void garbageAfterTheLastRecordIsTruncated() throws Exception {
        assertTailIsCut(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
    }

    @Test
    void aZeroFilledTailIsTruncated() throws Exception {
        assertTailIsCut(new byte[4096]);
    }

    @Test
    void aLastRecordWithABadChecksumIsTruncated() throws Exception {
        Path file = writeSegment("c", 1, 3);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(file, bytes);
        try (WalFixture f = WalFixture.open(dir, WalOptions.defaults())) {
            assertThat(f.wal.lastSeq("c")).isEqualTo(2);
        }
    }

    @Test
    void aBadChecksumInTheMiddleIsCorruptionNamingFileAndOffset() throws Exception {
        Path file = writeSegment("c", 1, 5);
        byte[] bytes = Files.readAllBytes(file);
        long secondFrame = frameBytes(1);
        bytes[(int) secondFrame + RecordFrame.HEADER_BYTES + 2] ^= 0x01;
        Files.write(file, bytes);
        assertThatThrownBy(() -> WalFixture.open(dir, WalOptions.defaults()))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("offset " + secondFrame)
                .satisfies(e -> assertThat(((WalCorruptedException) e).offset()).isEqualTo(secondFrame));
    }

    @Test
    void aTornTailInAnOlderSegmentIsCorruption() throws Exception {
        Path older = writeSegment("c", 1, 3);
        writeSegment("c", 4, 3);
        try (var ch = java.nio.channels.FileChannel.open(older, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(older) - 2);
        }
        assertThatThrownBy(() -> WalFixture.open(dir, WalOptions.defaults()))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining(older.toString());
    }

    @Test
    void aSeqOutOfOrderIsCorruption() throws Exception {
        writeSegment("c", 1, 2);
        Path d = dir.resolve("wal").resolve("c");
        ByteBuffer wrong = RecordFrame.encode(7, payload("x"));
        Files.write(d.resolve(CollectionLog.fileName(1)), java.util.Arrays.copyOf(wrong.array(), wrong.limit()),
                StandardOpenOption.APPEND);
        Files.write(d.resolve(CollectionLog.fileName(1)), java.util.Arrays.copyOf(wrong.array(), wrong.limit()),
                StandardOpenOption.APPEND);
        assertThatThrownBy(() -> WalFixture.open(dir, WalOptions.defaults()))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("expected seq 3 but found 7");
    }

    /** Appends {@code n} records on node1 of a bucket, closes it (sealing and uploading); the object's key. */
    private String uploadedSegment(LocalObjectStore bucket, int n) {
        try (WalFixture f = WalFixture.open(dir.resolve("node1"), bucket, WalOptions.defaults())) {
            for (int i = 0; i < n; i++) {
                f.wal.append("c", payload("r" + i));
            }
        }
        return new LogSegment("c", 1, n).key();
    }

    @Test
    void aCorruptObjectInTheStoreIsReportedWithItsKey() throws Exception {
        LocalObjectStore bucket = new LocalObjectStore(dir.resolve("bucket"));
        String key = uploadedSegment(bucket, 5);
        Path object = bucket.root().resolve(key);
        byte[] bytes = Files.readAllBytes(object);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(object, bytes);
        try (WalFixture f = WalFixture.open(dir.resolve("node2"), bucket, WalOptions.defaults())) {
            assertThat(f.wal.lastSeq("c")).isEqualTo(5);
            assertThatThrownBy(() -> f.wal.read("c", 1, 10))
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining(key)
                    .satisfies(e -> assertThat(((CorruptObjectException) e).key()).isEqualTo(key));
        }
    }

    @Test
    void aTruncatedObjectIsCorruptEvenWhenItEndsOnAFrameBoundary() throws Exception {
        LocalObjectStore bucket = new LocalObjectStore(dir.resolve("bucket"));
        String key = uploadedSegment(bucket, 3);
        Path object = bucket.root().resolve(key);
        byte[] bytes = Files.readAllBytes(object);
        Files.write(object, java.util.Arrays.copyOf(bytes, bytes.length - (RecordFrame.HEADER_BYTES + 2)));
        try (WalFixture f = WalFixture.open(dir.resolve("node2"), bucket, WalOptions.defaults())) {
            assertThatThrownBy(() -> f.wal.read("c", 1, 10))
                    .isInstanceOf(CorruptObjectException.class)
                    .hasMessageContaining("key names 3");
        }
    }

    @Test
    void anEmptyNewestSegmentIsDiscarded() throws Exception {
        writeSegment("c", 1, 3);
        Path empty = dir.resolve("wal").resolve("c").resolve(CollectionLog.fileName(4));
        Files.write(empty, new byte[5]);
        try (WalFixture f = WalFixture.open(dir, WalOptions.defaults())) {
            assertThat(f.wal.lastSeq("c")).isEqualTo(3);
            assertThat(f.wal.append("c", payload("four"))).isEqualTo(4);
            assertThat(f.wal.read("c", 4, 1)).extracting(WalFixture::text).containsExactly("four");
        }
    }
}
