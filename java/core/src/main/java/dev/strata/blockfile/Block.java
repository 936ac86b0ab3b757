package dev.strata.blockfile;

import dev.strata.storage.Cacheable;
import java.lang.foreign.MemorySegment;

/**
 * One decoded, immutable block: sorted keys and their values. Thread-safe.
 *
 * <p>A block of vectors keeps them off-heap, in memory freed when its last reference is released
 * ({@link BlockMemory}): whoever gets a block from {@link BlockfileReader#block} holds a reference and
 * releases it ({@link #close()}, so try-with-resources) once done with the block and every segment it
 * handed out. Other blocks live on the heap; for them the references cost nothing.
 */
public final class Block<V> implements Cacheable, AutoCloseable {

    private final String objectKey;
    private final KeyColumns keys;
    private final ValueColumn<V> values;
    private final BlockMemory memory; // null: the values are on the heap

    Block(String objectKey, KeyColumns keys, ValueColumn<V> values) {
        this(objectKey, keys, values, null);
    }

    Block(String objectKey, KeyColumns keys, ValueColumn<V> values, BlockMemory memory) {
        this.objectKey = objectKey;
        this.keys = keys;
        this.values = values;
        this.memory = memory;
        if (memory != null) {
            memory.allocated(values.sizeInBytes());
            memory.watch(this);
        }
    }

    /** One more reference (the caller's); false when this block's memory is already freed: read it again. */
    @Override
    public boolean retain() {
        return memory == null || memory.retain();
    }

    /** Drops the caller's reference: its segments must not be used after. */
    @Override
    public void release() {
        if (memory != null) {
            memory.release();
        }
    }

    /** {@link #release()}. */
    @Override
    public void close() {
        release();
    }

    /** Whether this block's off-heap memory is freed (always false for a block on the heap). */
    public boolean isFreed() {
        return memory != null && memory.isFreed();
    }

    /** Off-heap bytes held by decoded blocks of vectors in this JVM, not freed yet. */
    public static long liveNativeBytes() {
        return BlockMemory.liveBytes();
    }

    public String objectKey() {
        return objectKey;
    }

    public int size() {
        return keys.size();
    }

    public BlockKey key(int row) {
        return keys.key(row);
    }

    public V value(int row) {
        return values.get(row);
    }

    /** The row of {@code (prefix, key)}, or -1 when this block does not hold it. */
    public int find(String prefix, Object key) {
        return Math.max(-1, keys.search(BlockKey.of(prefix, key)));
    }

    /**
     * All vectors of a float-vector block (with or without codes) as one contiguous row-major float32 segment (native byte order):
     * row {@code i} starts at byte {@code i * dimension * 4}. Zero copy; valid while the caller holds the block.
     */
    public MemorySegment vectors() {
        return vectorColumn().vectors();
    }

    /** Row {@code row}'s vector as a slice of {@link #vectors()}, without a copy. */
    public MemorySegment vector(int row) {
        return vectorColumn().row(row);
    }

    /**
     * Whether the block's vectors carry codes: stored with them ({@link ValueType#floatVectorWithCode}) or derived
     * when the block was decoded ({@link BlockfileReader#withDerivedCodes}).
     */
    public boolean hasCodes() {
        return values instanceof CodedVectors;
    }

    /**
     * The codes of a block of vectors with codes, contiguous: row {@code i}'s code at byte {@code i * dimension}.
     * Zero copy, off-heap; valid while the caller holds the block.
     */
    public MemorySegment codes() {
        if (values instanceof CodedVectors coded) {
            return coded.codes();
        }
        throw new IllegalStateException("block " + objectKey + " holds no codes");
    }

    private FloatVectorValueType.FloatVectorColumn vectorColumn() {
        if (values instanceof FloatVectorValueType.FloatVectorColumn column) {
            return column;
        }
        if (values instanceof CodedVectors coded) {
            return coded.floats();
        }
        throw new IllegalStateException("block " + objectKey + " does not hold float vectors");
    }

    KeyColumns keys() {
        return keys;
    }

    @Override
    public long sizeInBytes() {
        return 64 + keys.sizeInBytes() + values.sizeInBytes();
    }
}
