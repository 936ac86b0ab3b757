package dev.strata.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A bucket of immutable objects addressed by string keys ({@code a/b/c}), plus the few conditional
 * writes that make manifests and leases safe (compare-and-swap on the ETag).
 *
 * <p>All methods throw {@link ObjectStoreException} (unchecked) after the implementation's retries;
 * {@link ObjectNotFoundException} when a key is absent, {@link PreconditionFailedException} when a
 * conditional write loses. Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

    /** The whole object. */
    byte[] get(String key);

    /** The object's bytes together with the ETag they had, for a later {@link #putIfMatch}. */
    VersionedBytes getVersioned(String key);

    /** {@code length} bytes from {@code offset} (fewer when the object ends first). */
    byte[] getRange(String key, long offset, int length);

    /**
     * Reads up to {@code into.remaining()} bytes from {@code offset} into the buffer (fewer when the object
     * ends first), advancing its position; returns how many. Backends that can stream (S3, local files) write
     * straight into the buffer without an intermediate array: what downloads of large files use.
     */
    default int getRange(String key, long offset, ByteBuffer into) {
        byte[] bytes = getRange(key, offset, into.remaining());
        into.put(bytes);
        return bytes.length;
    }

    /** Size, ETag and modification time, or empty when the key is absent. */
    Optional<ObjectMeta> head(String key);

    /** Writes (or replaces) the object; returns its new ETag. */
    String put(String key, byte[] data);

    /** Uploads a file's content (multipart where the backend has it); returns the new ETag. */
    String putFile(String key, Path file);

    /**
     * {@link #putFile} for a file its writer never changes again (it may still delete it or replace it by
     * a rename): a store on the same file system may then link the file instead of copying its bytes.
     * Returns no ETag, so that a store need not read the file to compute one: such objects (index
     * files) are never the subject of a conditional write.
     */
    default void putImmutableFile(String key, Path file) {
        putFile(key, file);
    }

    /** Writes only when no object has the key; otherwise {@link PreconditionFailedException}. */
    String putIfAbsent(String key, byte[] data);

    /** Writes only when the current object's ETag equals {@code etag}; otherwise {@link PreconditionFailedException}. */
    String putIfMatch(String key, byte[] data, String etag);

    /**
     * True when {@link #putIfAbsent} and {@link #putIfMatch} are enforced by the store itself (local folders, S3,
     * S3Mock). A writer then takes a bucket over at once and fences its predecessor by those conditions; without
     * them a new writer waits for the old lease to expire.
     */
    default boolean conditionalWrites() {
        return true;
    }

    /** Deletes the object; deleting an absent key is not an error. */
    void delete(String key);

    /** Every object whose key starts with {@code prefix}, in lexicographic key order. */
    List<ObjectMeta> list(String prefix);

    /** Request and byte counters per operation type since this store was opened. */
    RequestStats stats();

    /** A short human-readable description (backend and location) for logs and errors. */
    String describe();

    @Override
    void close();
}
