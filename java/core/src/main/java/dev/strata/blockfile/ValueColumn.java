package dev.strata.blockfile;

import java.util.function.IntFunction;

/** The decoded values of one block, held in GC-managed memory. */
interface ValueColumn<V> {
    V get(int row);

    /** Memory held, for the block cache's weigher. */
    long sizeInBytes();

    /** A column read through {@code getter} from arrays the getter captures. */
    static <V> ValueColumn<V> of(IntFunction<V> getter, long sizeInBytes) {
        return new ValueColumn<>() {
            @Override
            public V get(int row) {
                return getter.apply(row);
            }

            @Override
            public long sizeInBytes() {
                return sizeInBytes;
            }
        };
    }
}
