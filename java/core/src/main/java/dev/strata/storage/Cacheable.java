package dev.strata.storage;

/** A decoded value the block cache keeps in memory, weighed by the bytes it holds. */
public interface Cacheable {
    /** Approximate memory held by this value, in bytes (on-heap and off-heap). */
    long sizeInBytes();
}
