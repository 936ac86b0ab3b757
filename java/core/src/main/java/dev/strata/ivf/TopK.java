package dev.strata.ivf;

import java.util.Arrays;

/**
 * The k smallest (distance, id) pairs seen so far: a bounded max-heap on distance. Ids are offsets, or for a
 * code scan's candidates references to rows of blocks ({@link RerankCandidates}).
 */
final class TopK {

    private final int k;
    private final float[] distances;
    private final long[] ids;
    private int size;

    TopK(int k) {
        this.k = k;
        this.distances = new float[k];
        this.ids = new long[k];
    }

    /** The distance a candidate must beat to enter (infinite until the heap is full). */
    float bound() {
        return size < k ? Float.POSITIVE_INFINITY : distances[0];
    }

    /** {@link #offer}: the pair was kept and displaced none. */
    static final long KEPT = -1;
    /** {@link #offer}: the pair was not kept. */
    static final long REJECTED = -2;

    /** Offers a pair (ids are never negative): {@link #KEPT}, {@link #REJECTED}, or the id it displaced. */
    long offer(long id, float distance) {
        if (size < k) {
            distances[size] = distance;
            ids[size] = id;
            siftUp(size++);
            return KEPT;
        } else if (distance < distances[0]) {
            long displaced = ids[0];
            distances[0] = distance;
            ids[0] = id;
            siftDown(0);
            return displaced;
        }
        return REJECTED;
    }

    int size() {
        return size;
    }

    /** The i-th kept id, in heap order (0 .. size-1). */
    long id(int i) {
        return ids[i];
    }

    /** The kept pairs, nearest first (equal distances by id), as (offsets, distances): ids are offsets. */
    Result sorted() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(distances[a], distances[b]);
            return c != 0 ? c : Long.compare(ids[a], ids[b]);
        });
        int[] o = new int[size];
        float[] d = new float[size];
        for (int i = 0; i < size; i++) {
            o[i] = (int) ids[order[i]];
            d[i] = distances[order[i]];
        }
        return new Result(o, d);
    }

    record Result(int[] offsets, float[] distances) {}

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (distances[parent] >= distances[i]) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int largest = i;
            if (l < size && distances[l] > distances[largest]) {
                largest = l;
            }
            if (r < size && distances[r] > distances[largest]) {
                largest = r;
            }
            if (largest == i) {
                return;
            }
            swap(i, largest);
            i = largest;
        }
    }

    private void swap(int a, int b) {
        float d = distances[a];
        distances[a] = distances[b];
        distances[b] = d;
        long o = ids[a];
        ids[a] = ids[b];
        ids[b] = o;
    }
}
