package dev.strata.blockfile;

import dev.strata.storage.Cacheable;
import java.lang.foreign.MemorySegment;

/**
 * One decoded, immutable block: sorted keys and their values in GC-managed memory, so a reader may keep
 * using a block after the cache evicted it. Thread-safe.
 */
public final class Block<V> implements Cacheable {

    private final String objectKey;
    private final KeyColumns keys;
    private final ValueColumn<V> values;

    Block(String objectKey, KeyColumns keys, ValueColumn<V> values) {
        this.objectKey = objectKey;
        this.keys = keys;
        this.values = values;
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
     * row {@code i} starts at byte {@code i * dimension * 4}. Zero copy; valid as long as it is reachable.
     */
    public MemorySegment vectors() {
        return vectorColumn().vectors();
    }

    /** Row {@code row}'s vector as a slice of {@link #vectors()}, without a copy. */
    public MemorySegment vector(int row) {
        return vectorColumn().row(row);
    }

    /** Whether the block's vectors carry codes ({@link ValueType#floatVectorWithCode}). */
    public boolean hasCodes() {
        return values instanceof VectorWithCodeValueType.CodedColumn;
    }

    /**
     * The codes of a block of vectors with codes, contiguous: row {@code i}'s code at byte {@code i * dimension}.
     * Zero copy, off-heap; valid as long as it is reachable.
     */
    public MemorySegment codes() {
        if (values instanceof VectorWithCodeValueType.CodedColumn coded) {
            return coded.codes();
        }
        throw new IllegalStateException("block " + objectKey + " holds no codes");
    }

    private FloatVectorValueType.FloatVectorColumn vectorColumn() {
        if (values instanceof FloatVectorValueType.FloatVectorColumn column) {
            return column;
        }
        if (values instanceof VectorWithCodeValueType.CodedColumn coded) {
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
