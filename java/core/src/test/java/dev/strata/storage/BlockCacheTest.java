package dev.strata.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockCacheTest {

    record Blob(byte[] bytes) implements Cacheable {
        @Override
        public long sizeInBytes() {
            return bytes.length;
        }
    }

    static final BiFunction<String, byte[], Blob> DECODE = (k, b) -> new Blob(b);

    @TempDir
    Path dir;

    LocalObjectStore store;
    Path cacheDir;

    @BeforeEach
    void setUp() {
        store = new LocalObjectStore(dir.resolve("objects"));
        cacheDir = dir.resolve("cache");
    }

    long storeGets() {
        return store.stats().requests(RequestStats.Op.GET);
    }

    static byte[] filled(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        return b;
    }

    BlockCache withDisk(long diskBytes) {
        return new BlockCache(store, BlockCacheOptions.memoryOnly(1 << 20).withDisk(cacheDir, diskBytes));
    }

    @Test
    void memoryTierDecodesOnceAndCountsHits() {
        store.put("b/1", "one".getBytes(UTF_8));
        AtomicInteger decodes = new AtomicInteger();
        try (BlockCache cache = new BlockCache(store, 1 << 20)) {
            BiFunction<String, byte[], Blob> counting = (k, b) -> {
                decodes.incrementAndGet();
                return new Blob(b);
            };
            Blob first = cache.get("b/1", counting);
            Blob second = cache.get("b/1", counting);

            assertThat(second).isSameAs(first);
            assertThat(decodes.get()).isEqualTo(1);
            assertThat(storeGets()).isEqualTo(1);
            assertThat(cache.hits()).isEqualTo(1);
            assertThat(cache.misses()).isEqualTo(1);
            assertThat(cache.diskHits()).isZero();
        }
    }

    @Test
    void concurrentMissesOfOneKeyShareOneLoad() throws Exception {
        store.put("b/hot", filled(100, 1));
        AtomicInteger decodes = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (BlockCache cache = new BlockCache(store, 1 << 20)) {
            BiFunction<String, byte[], Blob> slow = (k, b) -> {
                decodes.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return new Blob(b);
            };
            Thread[] readers = new Thread[8];
            for (int i = 0; i < readers.length; i++) {
                readers[i] = Thread.ofVirtual().start(() -> cache.get("b/hot", slow));
            }
            while (cache.hits() + cache.misses() < readers.length) {
                Thread.onSpinWait();
            }
            release.countDown();
            for (Thread t : readers) {
                t.join();
            }
            assertThat(decodes.get()).isEqualTo(1);
            assertThat(storeGets()).isEqualTo(1);
        }
    }

    @Test
    void aFailedLoadIsNotCached() {
        try (BlockCache cache = new BlockCache(store, 1 << 20)) {
            assertThatThrownBy(() -> cache.get("b/late", DECODE)).isInstanceOf(ObjectNotFoundException.class);
            store.put("b/late", "now".getBytes(UTF_8));

            assertThat(cache.get("b/late", DECODE).bytes()).isEqualTo("now".getBytes(UTF_8));
        }
    }

    @Test
    void memoryTierStaysWithinItsBound() {
        try (BlockCache cache = new BlockCache(store, 1000)) {
            for (int i = 0; i < 10; i++) {
                cache.put("b/" + i, new Blob(new byte[400]));
            }
            BlockCacheStats s = cache.stats();
            assertThat(s.memoryBytes()).isLessThanOrEqualTo(1000);
            assertThat(s.memoryEntries()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void diskTierServesANewCacheAfterRestart() {
        store.put("b/1", filled(500, 7));
        try (BlockCache cache = withDisk(1 << 20)) {
            cache.get("b/1", DECODE);
            assertThat(cache.diskMisses()).isEqualTo(1);
        }
        assertThat(storeGets()).isEqualTo(1);

        try (BlockCache restarted = withDisk(1 << 20)) {
            assertThat(restarted.get("b/1", DECODE).bytes()).isEqualTo(filled(500, 7));
            assertThat(restarted.diskHits()).isEqualTo(1);
            assertThat(restarted.stats().diskEntries()).isEqualTo(1);
        }
        assertThat(storeGets()).as("served from disk, not the store").isEqualTo(1);
    }

    @Test
    void diskTierIsBoundedAndEvictsTheLeastRecentlyUsed() {
        long entryBytes = 1000 + "b/x".length() + 20; // payload + key + trailer
        try (BlockCache cache = withDisk(3 * entryBytes)) {
            cache.putBytes("b/a", filled(1000, 'a'));
            cache.putBytes("b/b", filled(1000, 'b'));
            cache.putBytes("b/c", filled(1000, 'c'));
            cache.get("b/a", DECODE); // a is now more recent than b
            cache.putBytes("b/d", filled(1000, 'd'));

            BlockCacheStats s = cache.stats();
            assertThat(s.diskEntries()).isEqualTo(3);
            assertThat(s.diskBytes()).isLessThanOrEqualTo(3 * entryBytes);
            assertThat(s.diskEvictions()).isEqualTo(1);
            assertThat(Files.exists(cacheDir.resolve(shardOf("b/b")))).as("b evicted").isFalse();
            assertThat(Files.exists(cacheDir.resolve(shardOf("b/a")))).isTrue();

            store.put("b/b", filled(1000, 'B'));
            assertThat(cache.get("b/b", DECODE).bytes()).as("an evicted key comes from the store").isEqualTo(filled(1000, 'B'));
            assertThat(cache.get("b/d", DECODE).bytes()).isEqualTo(filled(1000, 'd'));
        }
    }

    @Test
    void anObjectLargerThanTheDiskTierIsNotCachedOnDisk() {
        try (BlockCache cache = withDisk(100)) {
            cache.putBytes("b/big", new byte[200]);
            assertThat(cache.stats().diskEntries()).isZero();
        }
    }

    @Test
    void aCorruptDiskFileIsDroppedAndTheObjectReReadFromTheStore() throws Exception {
        byte[] data = filled(300, 3);
        Path file = storedAndCachedOnDisk("b/1", data);
        byte[] onDisk = Files.readAllBytes(file);
        onDisk[10] ^= 0x40;
        Files.write(file, onDisk);

        try (BlockCache cache = withDisk(1 << 20)) {
            assertThat(cache.get("b/1", DECODE).bytes()).isEqualTo(data);
            assertThat(cache.stats().diskCorrupt()).isEqualTo(1);
            assertThat(storeGets()).isEqualTo(1);
        }
        try (BlockCache cache = withDisk(1 << 20)) {
            assertThat(cache.get("b/1", DECODE).bytes()).as("rewritten after the re-read").isEqualTo(data);
            assertThat(cache.diskHits()).isEqualTo(1);
        }
    }

    @Test
    void aTruncatedDiskFileIsNeverReturned() throws Exception {
        byte[] data = filled(300, 4);
        Path file = storedAndCachedOnDisk("b/1", data);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 150));

        try (BlockCache cache = withDisk(1 << 20)) {
            assertThat(cache.get("b/1", DECODE).bytes()).isEqualTo(data);
            assertThat(cache.stats().diskCorrupt()).isEqualTo(1);
        }
    }

    @Test
    void bytesTheDecoderRejectsAreReplacedByTheStoresBytes() {
        byte[] good = "good".getBytes(UTF_8);
        store.put("b/1", good);
        try (BlockCache cache = withDisk(1 << 20)) {
            cache.putBytes("b/1", "stale-but-checksummed".getBytes(UTF_8));
            Blob b = cache.get("b/1", (k, bytes) -> {
                if (!Arrays.equals(bytes, good)) {
                    throw new CorruptObjectException(k, "bad magic");
                }
                return new Blob(bytes);
            });
            assertThat(b.bytes()).isEqualTo(good);
            assertThat(storeGets()).isEqualTo(1);
        }
    }

    @Test
    void reopeningWithASmallerBoundEvictsTheOldestFiles() throws Exception {
        try (BlockCache cache = withDisk(1 << 20)) {
            for (String k : new String[] {"b/old", "b/mid", "b/new"}) {
                cache.putBytes(k, filled(1000, 1));
            }
        }
        long t = System.currentTimeMillis();
        Files.setLastModifiedTime(cacheDir.resolve(shardOf("b/old")), FileTime.fromMillis(t - 30_000));
        Files.setLastModifiedTime(cacheDir.resolve(shardOf("b/mid")), FileTime.fromMillis(t - 20_000));
        Files.setLastModifiedTime(cacheDir.resolve(shardOf("b/new")), FileTime.fromMillis(t - 10_000));
        Files.writeString(Files.createDirectories(cacheDir.resolve("tmp")).resolve("torn"), "partial write");

        try (BlockCache cache = withDisk(2 * 1030)) {
            assertThat(cache.stats().diskEntries()).isEqualTo(2);
            assertThat(Files.exists(cacheDir.resolve(shardOf("b/old")))).isFalse();
            assertThat(Files.exists(cacheDir.resolve(shardOf("b/new")))).isTrue();
            assertThat(cacheDir.resolve("tmp")).isEmptyDirectory();
        }
    }

    @Test
    void invalidateForgetsBothTiers() {
        store.put("b/1", filled(10, 1));
        try (BlockCache cache = withDisk(1 << 20)) {
            cache.get("b/1", DECODE);
            store.delete("b/1");
            cache.invalidate("b/1");

            assertThatThrownBy(() -> cache.get("b/1", DECODE)).isInstanceOf(ObjectNotFoundException.class);
            assertThat(Files.exists(cacheDir.resolve(shardOf("b/1")))).isFalse();
        }
    }

    @Test
    void optionsRejectABoundlessDiskTier() {
        assertThatThrownBy(() -> BlockCacheOptions.defaults().withDisk(cacheDir, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("diskBytes");
        assertThatThrownBy(() -> BlockCacheOptions.memoryOnly(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Puts the object in the store and in the disk tier (by a cache since closed); returns its cache file. */
    private Path storedAndCachedOnDisk(String key, byte[] data) {
        store.put(key, data);
        try (BlockCache cache = withDisk(1 << 20)) {
            cache.putBytes(key, data);
        }
        return cacheDir.resolve(shardOf(key));
    }

    private static Path shardOf(String key) {
        String name = DiskCache.nameOf(key);
        return Path.of(name.substring(0, 2), name);
    }
}
