package dev.strata.query;

import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Space;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The log tail's embeddings as one contiguous off-heap float32 matrix (row-major), so that the native
 * SIMD kernel scans them without a copy. Rows are appended; a replaced or deleted record leaves a dead
 * row that {@link LogTail} reclaims by repacking. Not thread-safe: the tail's lock guards it.
 */
final class TailVectors implements AutoCloseable {

    private static final int INITIAL_ROWS = 256;
    /** ... but no more than this many bytes before rows arrive: a 65,536-d tail starts at 4 rows, not 64 MB. */
    private static final long INITIAL_BYTES = 1 << 20;

    private final int dimension;
    private final long rowBytes;
    private Arena arena;
    private MemorySegment rows;
    private int capacity;
    private int used;

    TailVectors(int dimension) {
        this.dimension = dimension;
        this.rowBytes = (long) dimension * Float.BYTES;
        allocate(initialRows());
    }

    int dimension() {
        return dimension;
    }

    int used() {
        return used;
    }

    /** Appends a row; returns its index. */
    int append(float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("tail vectors have dimension " + dimension + ", got " + vector.length);
        }
        if (used == capacity) {
            grow();
        }
        MemorySegment.copy(vector, 0, rows, ValueLayout.JAVA_FLOAT, used * rowBytes, dimension);
        return used++;
    }

    /**
     * Distances of the query to the given rows. When the rows are most of the matrix one kernel call
     * scans it all in place; otherwise they are gathered into a scratch matrix first.
     */
    float[] distances(Space space, float[] query, int[] selected) {
        float[] out = new float[selected.length];
        if (selected.length == 0) {
            return out;
        }
        if ((long) selected.length * 2 >= used) {
            float[] all = DistanceKernels.distances(space, query, rows, used);
            for (int i = 0; i < selected.length; i++) {
                out[i] = all[selected[i]];
            }
            return out;
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment gathered = scratch.allocate(selected.length * rowBytes, Float.BYTES);
            for (int i = 0; i < selected.length; i++) {
                MemorySegment.copy(rows, selected[i] * rowBytes, gathered, i * rowBytes, rowBytes);
            }
            return DistanceKernels.distances(space, query, gathered, selected.length);
        }
    }

    /** A new matrix holding only the given rows, in that order (row i of the result is keep[i]). */
    TailVectors repack(int[] keep) {
        TailVectors packed = new TailVectors(dimension);
        packed.ensureCapacity(keep.length);
        for (int row : keep) {
            MemorySegment.copy(rows, row * rowBytes, packed.rows, packed.used * rowBytes, rowBytes);
            packed.used++;
        }
        return packed;
    }

    @Override
    public void close() {
        arena.close();
    }

    private int initialRows() {
        return (int) Math.max(1, Math.min(INITIAL_ROWS, INITIAL_BYTES / rowBytes));
    }

    private void grow() {
        ensureCapacity(capacity * 2);
    }

    private void ensureCapacity(int rowsWanted) {
        if (rowsWanted <= capacity) {
            return;
        }
        Arena oldArena = arena;
        MemorySegment old = rows;
        allocate(rowsWanted);
        MemorySegment.copy(old, 0, rows, 0, used * rowBytes);
        oldArena.close();
    }

    private void allocate(int rowCount) {
        // Shared: readers on other threads scan the matrix while holding the tail's read lock.
        arena = Arena.ofShared();
        rows = arena.allocate(Math.max(rowCount * rowBytes, 1), 64);
        capacity = rowCount;
    }
}
