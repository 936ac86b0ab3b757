package dev.strata.storage;

/**
 * A decoded value the block cache keeps in memory, weighed by the bytes it holds.
 *
 * <p>A value that owns memory freed explicitly (a block of vectors, off-heap) counts references: the cache
 * holds one while the value is in its memory tier, and gives each caller of {@link BlockCache#get} its own,
 * which the caller releases. Other values need not: the defaults cost nothing.
 */
public interface Cacheable {
    /** Approximate memory held by this value, in bytes (on-heap and off-heap). */
    long sizeInBytes();

    /** Takes a reference; false when the value's memory is already freed (it must be read again). */
    default boolean retain() {
        return true;
    }

    /** Drops a reference taken by {@link #retain()} or handed out by the cache. */
    default void release() {}
}
