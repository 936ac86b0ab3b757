package dev.strata.jmh.writeamp;

import dev.strata.ops.ObjectKind;
import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.RequestStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts the bytes of every successful write (put, conditional put, file upload) by the kind of object written
 * (blocks, roots, index files, log segments, version manifests, the catalog), so a benchmark can tell what a
 * compaction wrote from what the log's uploads wrote. Reads and deletes pass through uncounted.
 */
public final class CountingObjectStore extends ForwardingObjectStore {

    private final Map<ObjectKind, LongAdder> bytes = new EnumMap<>(ObjectKind.class);
    private final Map<ObjectKind, LongAdder> writes = new EnumMap<>(ObjectKind.class);
    private final Map<String, Long> recent = new java.util.HashMap<>();

    public CountingObjectStore(ObjectStore delegate) {
        super(delegate);
        for (ObjectKind k : ObjectKind.values()) {
            bytes.put(k, new LongAdder());
            writes.put(k, new LongAdder());
        }
    }

    @Override
    protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
        return call.get();
    }

    @Override
    public String put(String key, byte[] data) {
        return counted(key, data.length, super.put(key, data));
    }

    @Override
    public String putFile(String key, Path file) {
        long size = sizeOf(file);
        return counted(key, size, super.putFile(key, file));
    }

    @Override
    public void putImmutableFile(String key, Path file) {
        long size = sizeOf(file);
        super.putImmutableFile(key, file);
        counted(key, size, null);
    }

    @Override
    public String putIfAbsent(String key, byte[] data) {
        return counted(key, data.length, super.putIfAbsent(key, data));
    }

    @Override
    public String putIfMatch(String key, byte[] data, String etag) {
        return counted(key, data.length, super.putIfMatch(key, data, etag));
    }

    @Override
    public String describe() {
        return delegate.describe() + " (write bytes counted)";
    }

    /** Bytes written so far, by kind (a copy). */
    public Map<ObjectKind, Long> bytesByKind() {
        Map<ObjectKind, Long> out = new EnumMap<>(ObjectKind.class);
        bytes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Objects written so far, by kind (a copy). */
    public Map<ObjectKind, Long> writesByKind() {
        Map<ObjectKind, Long> out = new EnumMap<>(ObjectKind.class);
        writes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The keys written since the last call, with their sizes (a rewritten key counts every time). */
    public synchronized Map<String, Long> drainWritten() {
        Map<String, Long> out = Map.copyOf(recent);
        recent.clear();
        return out;
    }

    private <T> T counted(String key, long size, T result) {
        synchronized (this) {
            recent.merge(key, size, Long::sum);
        }
        ObjectKind kind = ObjectKind.of(key);
        bytes.get(kind).add(size);
        writes.get(kind).increment();
        return result;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("sizing " + file, e);
        }
    }
}
