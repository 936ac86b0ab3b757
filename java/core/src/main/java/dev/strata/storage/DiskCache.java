package dev.strata.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk tier of the block cache: raw object bytes in files under one folder, bounded in bytes,
 * least recently used evicted first.
 *
 * <p>Each file is {@code payload | key | trailer(keyLength, payloadLength, CRC32C, magic)} named by
 * the SHA-256 of its key. Files are written to a temp name and renamed, but not fsync'd: a torn or
 * bit-rotten file fails its checksum, is deleted and counted, and the caller reads the object from
 * the store instead. The index lives in memory and is rebuilt from the folder on open (recency
 * from file modification times), so the folder can be deleted whenever the node is stopped.
 */
final class DiskCache {

    private static final Logger LOG = LoggerFactory.getLogger(DiskCache.class);
    /** Its magic ends each file; an entry of another format or version is a miss (the store holds the object). */
    private static final FileFormat FORMAT = FileFormat.of("disk cache entry", "SBC1", 1, 1);
    private static final int MAGIC = FORMAT.magicInt();
    private static final int TRAILER_BYTES = 4 + 8 + 4 + 4;
    private static final String TMP_DIR = "tmp";

    private final Path dir;
    private final Path tmpDir;
    private final long capacityBytes;
    /** File name to file size, in access order: the eldest entry is the least recently used. */
    private final LinkedHashMap<String, Long> lru = new LinkedHashMap<>(1024, 0.75f, true);
    private long usedBytes;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder corrupt = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    private DiskCache(Path dir, long capacityBytes) {
        this.dir = dir;
        this.tmpDir = dir.resolve(TMP_DIR);
        this.capacityBytes = capacityBytes;
    }

    /** Opens the tier in {@code dir}, indexing the files a previous run left there. */
    static DiskCache open(Path dir, long capacityBytes) {
        DiskCache cache = new DiskCache(dir.toAbsolutePath().normalize(), capacityBytes);
        try {
            Files.createDirectories(cache.tmpDir);
            cache.clearTemp();
            cache.rebuildIndex();
        } catch (IOException e) {
            throw new ObjectStoreException("cannot open the disk cache in " + dir, null, e);
        }
        return cache;
    }

    private void clearTemp() throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmpDir)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p); // a write interrupted by a crash
            }
        }
    }

    private record Found(String name, long size, FileTime lastUsed) {}

    private void rebuildIndex() throws IOException {
        List<Found> found = new ArrayList<>();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path shard : shards) {
                if (shard.getFileName().toString().equals(TMP_DIR)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path f : files) {
                        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                        if (a.isRegularFile()) {
                            found.add(new Found(f.getFileName().toString(), a.size(), a.lastModifiedTime()));
                        }
                    }
                }
            }
        }
        found.sort(Comparator.comparing(Found::lastUsed));
        List<String> victims;
        synchronized (this) {
            for (Found f : found) {
                lru.put(f.name(), f.size());
                usedBytes += f.size();
            }
            victims = evictOverCapacity(null);
        }
        deleteFiles(victims);
    }

    /** The object's bytes, or null when absent or when its file failed verification (then dropped). */
    byte[] get(String key) {
        String name = nameOf(key);
        synchronized (this) {
            if (lru.get(name) == null) {
                misses.increment();
                return null;
            }
        }
        Path file = pathOf(name);
        byte[] payload;
        try {
            payload = readVerified(key, file);
        } catch (NoSuchFileException e) {
            forget(name);
            misses.increment();
            return null;
        } catch (IOException e) {
            LOG.warn("disk cache read of {} failed, reading from the store: {}", key, e.toString());
            drop(name);
            misses.increment();
            return null;
        }
        if (payload == null) {
            LOG.warn("disk cache file {} for {} is corrupt or truncated; dropped", file, key);
            corrupt.increment();
            drop(name);
            misses.increment();
            return null;
        }
        hits.increment();
        touch(file);
        return payload;
    }

    /** Stores a copy of the object's bytes; failures only cost a later cache miss. */
    void put(String key, byte[] payload) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        long size = (long) payload.length + keyBytes.length + TRAILER_BYTES;
        if (size > capacityBytes) {
            // Would evict everything and still not fit; an older entry under the key must not
            // outlive this put, or a reader would get bytes other than the last ones put.
            invalidate(key);
            return;
        }
        String name = nameOf(key);
        Path target = pathOf(name);
        Path tmp = tmpDir.resolve(UUID.randomUUID().toString());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer[] parts = {ByteBuffer.wrap(payload), ByteBuffer.wrap(keyBytes),
                        ByteBuffer.wrap(trailer(payload, keyBytes))};
                while (parts[2].hasRemaining()) {
                    ch.write(parts);
                }
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("disk cache write of {} failed: {}", key, e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // cleared on the next open
            }
            return;
        }
        List<String> victims;
        synchronized (this) {
            Long previous = lru.put(name, size);
            usedBytes += size - (previous == null ? 0 : previous);
            victims = evictOverCapacity(name);
        }
        deleteFiles(victims);
    }

    /** Forgets the key and deletes its file. */
    void invalidate(String key) {
        drop(nameOf(key));
    }

    /** Picks least recently used entries until the tier fits; the caller deletes their files outside the lock. */
    private List<String> evictOverCapacity(String keep) {
        List<String> victims = new ArrayList<>();
        Iterator<Map.Entry<String, Long>> it = lru.entrySet().iterator();
        while (usedBytes > capacityBytes && it.hasNext()) {
            Map.Entry<String, Long> eldest = it.next();
            if (eldest.getKey().equals(keep)) {
                continue;
            }
            usedBytes -= eldest.getValue();
            victims.add(eldest.getKey());
            it.remove();
            evictions.increment();
        }
        return victims;
    }

    private void deleteFiles(List<String> names) {
        for (String n : names) {
            try {
                Files.deleteIfExists(pathOf(n));
            } catch (IOException e) {
                LOG.warn("cannot delete evicted disk cache file {}: {}", n, e.toString());
            }
        }
    }

    private void drop(String name) {
        forget(name);
        deleteFiles(List.of(name));
    }

    private synchronized void forget(String name) {
        Long size = lru.remove(name);
        if (size != null) {
            usedBytes -= size;
        }
    }

    private static void touch(Path file) {
        try {
            // recency survives a restart: the index is rebuilt in modification-time order
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException ignored) {
            // evicted concurrently
        }
    }

    private static byte[] trailer(byte[] payload, byte[] keyBytes) {
        return ByteBuffer.allocate(TRAILER_BYTES).putInt(keyBytes.length).putLong(payload.length)
                .putInt(crcOf(payload, keyBytes)).putInt(MAGIC).array();
    }

    private static int crcOf(byte[] payload, byte[] keyBytes) {
        return FileFormat.crc32c(ByteBuffer.wrap(payload), ByteBuffer.wrap(keyBytes));
    }

    /**
     * The payload when {@code file} is a whole, intact file written for {@code key}; else null. The
     * payload is read straight into the array returned: no copy of a block on the hit path.
     */
    private static byte[] readVerified(String key, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < TRAILER_BYTES) {
                return null;
            }
            ByteBuffer t = ByteBuffer.allocate(TRAILER_BYTES);
            readFully(ch, t, size - TRAILER_BYTES);
            t.flip();
            int keyLength = t.getInt();
            long payloadLength = t.getLong();
            int crcValue = t.getInt();
            if (t.getInt() != MAGIC || keyLength < 0 || payloadLength < 0
                    || payloadLength + keyLength + TRAILER_BYTES != size) {
                return null;
            }
            byte[] payload = new byte[(int) payloadLength];
            byte[] keyBytes = new byte[keyLength];
            readFully(ch, ByteBuffer.wrap(payload), 0);
            readFully(ch, ByteBuffer.wrap(keyBytes), payloadLength);
            if (crcOf(payload, keyBytes) != crcValue || !key.equals(new String(keyBytes, StandardCharsets.UTF_8))) {
                return null;
            }
            return payload;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException("file ended early"); // truncated after its size was read
            }
        }
    }

    private Path pathOf(String name) {
        return dir.resolve(name.substring(0, 2)).resolve(name);
    }

    static String nameOf(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file a key is cached in (for tests that damage it). */
    Path fileOf(String key) {
        return pathOf(nameOf(key));
    }

    synchronized long usedBytes() {
        return usedBytes;
    }

    synchronized int entries() {
        return lru.size();
    }

    long capacityBytes() {
        return capacityBytes;
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    long corrupt() {
        return corrupt.sum();
    }

    long evictions() {
        return evictions.sum();
    }
}
