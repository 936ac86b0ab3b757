package dev.strata.blockfile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Entries in key order with their estimated encoded sizes: the material a writer cuts into blocks. */
final class SortedEntries<V> {

    private final List<BlockKey> keys = new ArrayList<>();
    private final List<V> values = new ArrayList<>();
    private int[] sizes = new int[16];
    private long bytes;

    void add(BlockKey key, V value, int size) {
        if (keys.size() == sizes.length) {
            sizes = Arrays.copyOf(sizes, sizes.length * 2);
        }
        sizes[keys.size()] = size;
        keys.add(key);
        values.add(value);
        bytes += size;
    }

    /** Appends row {@code row} of {@code other}, reusing its size. */
    void addFrom(SortedEntries<V> other, int row) {
        add(other.keys.get(row), other.values.get(row), other.sizes[row]);
    }

    void addAll(SortedEntries<V> other) {
        for (int i = 0; i < other.size(); i++) {
            addFrom(other, i);
        }
    }

    BlockKey key(int row) {
        return keys.get(row);
    }

    int size() {
        return keys.size();
    }

    long bytes() {
        return bytes;
    }

    /**
     * Cuts the entries into consecutive runs of about {@code target} bytes each: a run closes before the
     * entry that would take it past the target, and a last run under a quarter of the target joins the
     * one before it, so no tiny block is left at the end. Returns the end index (exclusive) of each run.
     */
    List<Integer> cut(long target) {
        return cut(target, BlockGroups.NONE);
    }

    /**
     * As {@link #cut(long)}, and a run also closes where the group changes, so no run holds two groups; a
     * group's last run under a quarter of the target joins the group's run before it (never another group's).
     */
    List<Integer> cut(long target, BlockGroups groups) {
        List<Integer> ends = new ArrayList<>();
        long runBytes = 0;
        // Whether the open run continues its group (began at a size cut, so it may join the run before).
        boolean continuesGroup = false;
        for (int i = 0; i < keys.size(); i++) {
            boolean newGroup = i > 0 && groups.separates(keys.get(i - 1), keys.get(i));
            if (runBytes > 0 && newGroup) {
                closeGroup(ends, i, runBytes, target, continuesGroup);
                runBytes = 0;
                continuesGroup = false;
            } else if (runBytes > 0 && runBytes + sizes[i] > target) {
                ends.add(i);
                runBytes = 0;
                continuesGroup = true;
            }
            runBytes += sizes[i];
        }
        if (!keys.isEmpty()) {
            closeGroup(ends, keys.size(), runBytes, target, continuesGroup);
        }
        return ends;
    }

    private static void closeGroup(List<Integer> ends, int end, long runBytes, long target, boolean continuesGroup) {
        if (continuesGroup && !ends.isEmpty() && runBytes < target / 4) {
            ends.removeLast();
        }
        ends.add(end);
    }

    List<BlockKey> keys(int from, int to) {
        return keys.subList(from, to);
    }

    List<V> values(int from, int to) {
        return values.subList(from, to);
    }

    long bytes(int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += sizes[i];
        }
        return sum;
    }
}
