package dev.strata.ivf;

import java.util.Arrays;

/** The k smallest (distance, offset) pairs seen so far: a bounded max-heap on distance. */
final class TopK {

    private final int k;
    private final float[] distances;
    private final int[] offsets;
    private int size;

    TopK(int k) {
        this.k = k;
        this.distances = new float[k];
        this.offsets = new int[k];
    }

    /** The distance a candidate must beat to enter (infinite until the heap is full). */
    float bound() {
        return size < k ? Float.POSITIVE_INFINITY : distances[0];
    }

    void offer(int offset, float distance) {
        if (size < k) {
            distances[size] = distance;
            offsets[size] = offset;
            siftUp(size++);
        } else if (distance < distances[0]) {
            distances[0] = distance;
            offsets[0] = offset;
            siftDown(0);
        }
    }

    int size() {
        return size;
    }

    /** The kept pairs, nearest first, as (offsets, distances). */
    Result sorted() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(distances[a], distances[b]);
            return c != 0 ? c : Integer.compare(offsets[a], offsets[b]);
        });
        int[] o = new int[size];
        float[] d = new float[size];
        for (int i = 0; i < size; i++) {
            o[i] = offsets[order[i]];
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
        int o = offsets[a];
        offsets[a] = offsets[b];
        offsets[b] = o;
    }
}
