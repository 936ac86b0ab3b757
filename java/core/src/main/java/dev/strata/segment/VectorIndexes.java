package dev.strata.segment;

import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.NativeBuffers;
import dev.strata.nativeio.NativeMemory;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectNotFoundException;
import dev.strata.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The HNSW indexes of open versions, loaded once per index file and shared by every reader of it
 * (reference counted). Index files go through a local folder (the node's cache): downloaded there to be
 * loaded, written there to be uploaded. The newest index of each collection stays loaded even while
 * no reader holds it, so the version a compaction just published opens without a reload.
 *
 * <p>Compaction never mutates an index a reader uses: it loads a private copy from the local file,
 * updates it incrementally, and {@link #publish}es it as the next version's index.
 */
public final class VectorIndexes implements AutoCloseable {

    static final int DOWNLOAD_CHUNK_BYTES = 16 << 20;
    static final int DOWNLOAD_PARALLELISM = 8;

    private final ObjectStore store;
    private final Path folder;
    private final Map<String, Entry> loaded = new HashMap<>();
    private final Map<String, String> newest = new HashMap<>();

    private final int downloadChunkBytes;

    public VectorIndexes(ObjectStore store, Path folder) {
        this(store, folder, DOWNLOAD_CHUNK_BYTES);
    }

    VectorIndexes(ObjectStore store, Path folder, int downloadChunkBytes) {
        this.store = store;
        this.folder = folder;
        this.downloadChunkBytes = downloadChunkBytes;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the vector index folder " + folder, e);
        }
    }

    /** The loaded index of an index file, held until {@link #release}. */
    synchronized HnswIndex acquire(String collection, String objectKey, VectorParams params) {
        Entry e = loaded.get(objectKey);
        if (e == null) {
            HnswIndex index = load(objectKey, params);
            index.setEf(params.efSearch());
            e = new Entry(collection, index);
            loaded.put(objectKey, e);
            newest.putIfAbsent(collection, objectKey);
        } else {
            // A later version may share this index file with a new ef_search: the newest setting wins.
            e.index.setEf(params.efSearch());
        }
        e.refs++;
        return e.index;
    }

    synchronized void release(String objectKey) {
        Entry e = loaded.get(objectKey);
        if (e != null && --e.refs <= 0 && !objectKey.equals(newest.get(e.collection))) {
            unload(objectKey);
        }
    }

    /** A private, mutable copy of an index file's index, for compaction to update. */
    HnswIndex loadCopy(String objectKey, VectorParams params) {
        Path file;
        synchronized (this) {
            file = localFile(objectKey);
        }
        HnswIndex index = HnswFile.load(file, objectKey, params.space(), params.dimension());
        index.setEf(params.efSearch());
        return index;
    }

    /**
     * Saves an index compaction built, uploads it as a new index file of the collection and keeps it
     * loaded as the collection's newest index. Returns the object key. The caller gives up the index.
     */
    synchronized String publish(String collection, HnswIndex index) {
        String key = ObjectLayout.hnswFile(collection, UUID.randomUUID().toString());
        Path file = pathOf(key);
        index.save(file);
        store.putImmutableFile(key, file); // the local file is only ever read, then deleted
        loaded.put(key, new Entry(collection, index));
        String previous = newest.put(collection, key);
        if (previous != null) {
            Entry p = loaded.get(previous);
            if (p != null && p.refs <= 0) {
                unload(previous);
            }
        }
        return key;
    }

    /** Forgets an index published by a compaction that then failed (its version was never committed). */
    synchronized void discard(String collection, String objectKey) {
        if (objectKey.equals(newest.get(collection))) {
            newest.remove(collection);
        }
        Entry e = loaded.get(objectKey);
        if (e != null && e.refs <= 0) {
            unload(objectKey);
        }
    }

    /** Number of loaded indexes (for tests and stats). */
    public synchronized int loadedCount() {
        return loaded.size();
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(e -> e.index.close());
        loaded.clear();
        newest.clear();
    }

    private void unload(String objectKey) {
        Entry e = loaded.remove(objectKey);
        if (e != null) {
            e.index.close();
            NativeMemory.releaseFree(); // an index is hundreds of MB at 100k vectors: give the pages back
            try {
                Files.deleteIfExists(pathOf(objectKey));
            } catch (IOException ignored) {
                // a leftover file in the cache folder is harmless: it is downloaded again if ever needed
            }
        }
    }

    /** The local copy of an index file, downloaded when missing. */
    private Path localFile(String objectKey) {
        Path file = pathOf(objectKey);
        if (!Files.exists(file)) {
            try {
                Path tmp = Files.createTempFile(folder, "download", ".tmp");
                try {
                    download(objectKey, tmp);
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot download vector index " + objectKey + " to " + folder, e);
            }
        }
        return file;
    }

    /**
     * The index of an index file: from the local file when there is one (this node wrote it), otherwise
     * downloaded into native memory and loaded from there. A cold reader so skips writing the file, forcing
     * it to disk and reading it back (gigabytes at a million vectors); the checksum is checked all the same.
     * A compaction that later needs the file ({@link #loadCopy}) downloads it then.
     */
    private HnswIndex load(String objectKey, VectorParams params) {
        Path file = pathOf(objectKey);
        if (Files.exists(file)) {
            return HnswFile.load(file, objectKey, params.space(), params.dimension());
        }
        long size = sizeOf(objectKey);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment bytes = NativeBuffers.allocateUninitialized(size, arena);
            // Each range streams into its slice of the buffer: no array per chunk, no copy after.
            fetchRanges(objectKey, size, (offset, length) ->
                    store.getRange(objectKey, offset, bytes.asSlice(offset, length).asByteBuffer()));
            return HnswFile.load(bytes, objectKey, params.space(), params.dimension());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download vector index " + objectKey, e);
        }
    }

    /** Downloads an object into a file, each range written at its position. */
    private void download(String objectKey, Path to) throws IOException {
        long size = sizeOf(objectKey);
        try (FileChannel out = FileChannel.open(to, StandardOpenOption.WRITE)) {
            fetchRanges(objectKey, size, (offset, length) -> {
                ByteBuffer bytes = ByteBuffer.wrap(store.getRange(objectKey, offset, length));
                long position = offset;
                while (bytes.hasRemaining()) {
                    position += out.write(bytes, position);
                }
                return bytes.capacity();
            });
            out.force(true);
        }
    }

    private long sizeOf(String objectKey) {
        return store.head(objectKey).orElseThrow(() -> new ObjectNotFoundException(objectKey)).size();
    }

    /** Downloads one range to where it belongs and returns how many bytes it got; called concurrently. */
    @FunctionalInterface
    private interface RangeFetch {
        int fetch(long offset, int length) throws IOException;
    }

    /**
     * Fetches an object of {@code size} bytes in ranged chunks, {@value #DOWNLOAD_PARALLELISM} at a time: an
     * index can be larger than one array, and parallel ranges are what make S3 downloads fast. A short range
     * (the object changed or was cut) is an error, not a silent hole.
     */
    private void fetchRanges(String objectKey, long size, RangeFetch fetch) throws IOException {
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore permits = new Semaphore(DOWNLOAD_PARALLELISM);
            List<Future<?>> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += downloadChunkBytes) {
                long at = offset;
                int length = (int) Math.min(downloadChunkBytes, size - offset);
                parts.add(io.submit(() -> {
                    permits.acquire();
                    try {
                        int got = fetch.fetch(at, length);
                        if (got != length) {
                            throw new CorruptObjectException(objectKey, "range at " + at + " returned " + got
                                    + " of " + length + " bytes (the object is shorter than its listed size " + size + ")");
                        }
                    } finally {
                        permits.release();
                    }
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                try {
                    part.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IOException("download of " + objectKey + " failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while downloading " + objectKey, e);
                }
            }
        }
    }

    private Path pathOf(String objectKey) {
        return folder.resolve(objectKey.replace('/', '_'));
    }

    private static final class Entry {
        final String collection;
        final HnswIndex index;
        int refs;

        Entry(String collection, HnswIndex index) {
            this.collection = collection;
            this.index = index;
        }
    }
}
