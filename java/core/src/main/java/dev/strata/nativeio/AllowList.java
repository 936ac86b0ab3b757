package dev.strata.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.roaringbitmap.RoaringBitmap;

/**
 * The labels a filtered search may return. Built from a strictly ascending long[] or from a
 * RoaringBitmap, which is sent as a sorted label array or as a dense bitmap, whichever is smaller.
 */
public final class AllowList {
    /** No filter: every live label may be returned. */
    public static final AllowList ALL = new AllowList(StrataNative.STRATA_FILTER_NONE, new long[0]);

    private final int kind;
    private final long[] data;

    private AllowList(int kind, long[] data) {
        this.kind = kind;
        this.data = data;
    }

    /** Labels in strictly ascending order; checked here so a bad list fails before any native call. */
    public static AllowList ofSorted(long[] sortedLabels) {
        if (sortedLabels == null) {
            throw new IllegalArgumentException("allow-list labels are null");
        }
        for (int i = 1; i < sortedLabels.length; i++) {
            if (sortedLabels[i - 1] >= sortedLabels[i]) {
                throw new IllegalArgumentException("allow-list labels must be strictly ascending; position " + i
                        + " holds " + sortedLabels[i] + " after " + sortedLabels[i - 1]);
            }
        }
        return new AllowList(StrataNative.STRATA_FILTER_SORTED_LABELS, sortedLabels.clone());
    }

    /** The bitmap's values (unsigned 32-bit) as labels. */
    public static AllowList of(RoaringBitmap labels) {
        if (labels == null) {
            throw new IllegalArgumentException("allow-list bitmap is null");
        }
        if (labels.isEmpty()) {
            return new AllowList(StrataNative.STRATA_FILTER_SORTED_LABELS, new long[0]);
        }
        long last = Integer.toUnsignedLong(labels.last());
        long words = (last >>> 6) + 1;
        long cardinality = labels.getLongCardinality();
        if (cardinality <= words) {
            long[] sorted = new long[(int) cardinality];
            int[] i = {0};
            labels.forEach((int v) -> sorted[i[0]++] = Integer.toUnsignedLong(v));
            return new AllowList(StrataNative.STRATA_FILTER_SORTED_LABELS, sorted);
        }
        long[] bits = new long[(int) words];
        labels.forEach((int v) -> {
            long label = Integer.toUnsignedLong(v);
            bits[(int) (label >>> 6)] |= 1L << (label & 63);
        });
        return new AllowList(StrataNative.STRATA_FILTER_BITMAP, bits);
    }

    int kind() {
        return kind;
    }

    /** Entries of the native array: labels for a sorted list, 64-bit words for a bitmap. */
    long length() {
        return data.length;
    }

    MemorySegment copyTo(Arena arena) {
        return data.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_LONG, data);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case StrataNative.STRATA_FILTER_NONE -> "AllowList[all]";
            case StrataNative.STRATA_FILTER_BITMAP -> "AllowList[bitmap of " + data.length + " words]";
            default -> "AllowList[" + data.length + " labels]";
        };
    }
}
