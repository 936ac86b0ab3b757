package dev.strata.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The labels a filtered search may return. Built from a strictly ascending long[] or from a
 * RoaringBitmap, which is sent as a sorted label array or as a dense bitmap, whichever is smaller.
 */
public final class AllowList {
    /** No filter: every live label may be returned. */
    public static final AllowList ALL = new AllowList(StrataNative.STRATA_FILTER_NONE, new long[0]);

    private final int kind;
    /** The labels or words to send, for a list given as an array; null for one read from {@link #bitmap}. */
    private final long[] data;
    /** The bitmap the labels or words are written from straight into native memory (no heap copy); or null. */
    private final RoaringBitmap bitmap;
    private final long length;

    private AllowList(int kind, long[] data) {
        this.kind = kind;
        this.data = data;
        this.bitmap = null;
        this.length = data.length;
    }

    private AllowList(int kind, RoaringBitmap bitmap, long length) {
        this.kind = kind;
        this.data = null;
        this.bitmap = bitmap;
        this.length = length;
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

    /**
     * The bitmap's values (unsigned 32-bit) as labels. The bitmap is read when the search sends it, straight
     * into the search's native memory: it must not change until the search returns.
     */
    public static AllowList of(RoaringBitmap labels) {
        if (labels == null) {
            throw new IllegalArgumentException("allow-list bitmap is null");
        }
        if (labels.isEmpty()) {
            return new AllowList(StrataNative.STRATA_FILTER_SORTED_LABELS, new long[0]);
        }
        long words = (Integer.toUnsignedLong(labels.last()) >>> 6) + 1;
        long cardinality = labels.getLongCardinality();
        return cardinality <= words
                ? new AllowList(StrataNative.STRATA_FILTER_SORTED_LABELS, labels, cardinality)
                : new AllowList(StrataNative.STRATA_FILTER_BITMAP, labels, words);
    }

    int kind() {
        return kind;
    }

    /** Entries of the native array: labels for a sorted list, 64-bit words for a bitmap. */
    long length() {
        return length;
    }

    MemorySegment copyTo(Arena arena) {
        if (length == 0) {
            return MemorySegment.NULL;
        }
        if (data != null) {
            return arena.allocateFrom(JAVA_LONG, data);
        }
        MemorySegment out = arena.allocate(JAVA_LONG, length); // zeroed
        IntIterator values = bitmap.getIntIterator();
        if (kind == StrataNative.STRATA_FILTER_SORTED_LABELS) {
            for (long i = 0; values.hasNext(); i++) {
                out.setAtIndex(JAVA_LONG, i, Integer.toUnsignedLong(values.next()));
            }
            return out;
        }
        // Values come in ascending order: build each 64-bit word in a register and store it once.
        long wordIndex = -1;
        long word = 0;
        while (values.hasNext()) {
            long label = Integer.toUnsignedLong(values.next());
            if (label >>> 6 != wordIndex) {
                if (wordIndex >= 0) {
                    out.setAtIndex(JAVA_LONG, wordIndex, word);
                }
                wordIndex = label >>> 6;
                word = 0;
            }
            word |= 1L << (label & 63);
        }
        out.setAtIndex(JAVA_LONG, wordIndex, word);
        return out;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case StrataNative.STRATA_FILTER_NONE -> "AllowList[all]";
            case StrataNative.STRATA_FILTER_BITMAP -> "AllowList[bitmap of " + length + " words]";
            default -> "AllowList[" + length + " labels]";
        };
    }
}
