package dev.strata.blockfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.BlockCache;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.LocalObjectStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged block or root is reported as CorruptObjectException naming its key, never returned as data. */
class BlockfileCorruptionTest {

    @TempDir
    Path dir;

    private LocalObjectStore store;
    private String rootKey;
    private String blockKey;

    @BeforeEach
    void write() {
        store = new LocalObjectStore(dir);
        BlockfileWriter<String> w = BlockfileWriter.create(new BlockCache(store, 1 << 20), "c/col/", ValueType.STRING, 256);
        for (int i = 0; i < 100; i++) {
            w.set("p", (long) i, "value " + i);
        }
        CommitResult result = w.commit();
        rootKey = result.rootKey();
        blockKey = BlockfileReader.open(new BlockCache(store, 1 << 20), rootKey, ValueType.STRING).blockKeys().get(2);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void damage(String key, UnaryOperator<byte[]> change) {
        store.put(key, change.apply(store.get(key)));
    }

    /** Reads the damaged block through a cold cache: opening the root works, the lookup must fail. */
    private void assertBlockReportedCorrupt(String detail) {
        BlockfileReader<String> reader = BlockfileReader.open(new BlockCache(store, 1 << 20), rootKey, ValueType.STRING);
        long key = reader.blockFirstKeys().get(2).num();
        assertThat(reader.get("p", 0L)).contains("value 0");
        assertThatThrownBy(() -> reader.get("p", key))
                .isInstanceOfSatisfying(CorruptObjectException.class, e -> assertThat(e.key()).isEqualTo(blockKey))
                .hasMessageContaining(blockKey)
                .hasMessageContaining(detail);
    }

    private static byte[] flip(byte[] data, int index) {
        byte[] copy = data.clone();
        copy[index] ^= 0x20;
        return copy;
    }

    @Test
    void flippedByteInABlockFailsTheChecksum() {
        damage(blockKey, b -> flip(b, b.length / 2));
        assertBlockReportedCorrupt("checksum mismatch");
    }

    @Test
    void truncatedBlock() {
        damage(blockKey, b -> Arrays.copyOf(b, b.length - 9));
        assertBlockReportedCorrupt("checksum mismatch");
        damage(blockKey, b -> Arrays.copyOf(b, 7));
        assertBlockReportedCorrupt("truncated");
    }

    @Test
    void wrongMagic() {
        damage(blockKey, b -> flip(b, 0));
        assertBlockReportedCorrupt("wrong magic");
    }

    @Test
    void aValidBlockOfAnotherBlockfileUnderThisKey() {
        CommitResult other = BlockfileWriter.create(new BlockCache(store, 1 << 20), "c/other/", ValueType.STRING)
                .set("p", 5L, "other").commit();
        damage(blockKey, b -> store.get(other.writtenBlockKeys().getFirst()));
        assertBlockReportedCorrupt("differs from the one its root recorded");
    }

    @Test
    void aRootGivenAsABlock() {
        damage(blockKey, b -> store.get(rootKey));
        assertBlockReportedCorrupt("wrong magic for a block");
    }

    @Test
    void damagedRootIsReportedWithItsKey() {
        byte[] good = store.get(rootKey);
        for (UnaryOperator<byte[]> change : java.util.List.<UnaryOperator<byte[]>>of(
                b -> flip(b, b.length - 30), b -> Arrays.copyOf(b, b.length / 2), b -> flip(b, 1), b -> new byte[0])) {
            store.put(rootKey, change.apply(good));
            assertThatThrownBy(() -> BlockfileReader.open(new BlockCache(store, 1 << 20), rootKey, ValueType.STRING))
                    .isInstanceOfSatisfying(CorruptObjectException.class, e -> assertThat(e.key()).isEqualTo(rootKey))
                    .hasMessageContaining(rootKey);
        }
    }

    @Test
    void unsupportedFormatVersionIsReportedEvenWithAMatchingChecksum() {
        damage(blockKey, b -> {
            byte[] copy = b.clone();
            copy[4] = 9;
            int crc = Frame.crcOf(copy, copy.length - 4);
            java.nio.ByteBuffer.wrap(copy, copy.length - 4, 4).putInt(crc);
            return copy;
        });
        BlockfileReader<String> reader = BlockfileReader.open(new BlockCache(store, 1 << 20), rootKey, ValueType.STRING);
        assertThatThrownBy(() -> reader.block(2)).isInstanceOf(dev.strata.storage.UnsupportedFormatVersionException.class)
                .hasMessageContaining("block format version 9 was written by a newer Strata").hasMessageContaining(blockKey);
    }
}
