package dev.strata.ops;

import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies one object between stores. Small objects go through memory; larger ones (index files reach
 * gigabytes) are downloaded in ranges to a temporary file and uploaded from it (multipart on S3), so
 * a backup's heap stays bounded by concurrency × threshold.
 */
final class ObjectCopier {

    static final long DEFAULT_IN_MEMORY_BYTES = 32L << 20;
    static final int DEFAULT_RANGE_BYTES = 8 << 20;

    private final ObjectStore source;
    private final ObjectStore target;
    private final long inMemoryBytes;
    private final int rangeBytes;

    ObjectCopier(ObjectStore source, ObjectStore target, long inMemoryBytes, int rangeBytes) {
        this.source = source;
        this.target = target;
        this.inMemoryBytes = inMemoryBytes;
        this.rangeBytes = rangeBytes;
    }

    /** Copies the object at {@code key}, whose listing said {@code size} bytes; returns the bytes copied. */
    long copy(String key, long size) {
        if (size <= inMemoryBytes) {
            byte[] data = source.get(key);
            target.put(key, data);
            return data.length;
        }
        Path file = null;
        try {
            file = Files.createTempFile("strata-copy", ".obj");
            long copied = download(key, size, file);
            target.putFile(key, file);
            return copied;
        } catch (IOException e) {
            throw new ObjectStoreException("cannot stage the copy in a temporary file", key, e);
        } finally {
            deleteQuietly(file);
        }
    }

    private long download(String key, long size, Path file) throws IOException {
        long offset = 0;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (offset < size) {
                byte[] range = source.getRange(key, offset, (int) Math.min(rangeBytes, size - offset));
                if (range.length == 0) {
                    throw new ObjectStoreException("object ends at " + offset + " bytes, its listing said " + size, key);
                }
                ByteBuffer buf = ByteBuffer.wrap(range);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                offset += range.length;
            }
        }
        return offset;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless; the copy's outcome is what matters
        }
    }
}
