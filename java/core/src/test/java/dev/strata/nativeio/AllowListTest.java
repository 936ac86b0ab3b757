package dev.strata.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/** A bitmap reaches native memory as the sorted labels or the dense words it stands for, whichever is smaller. */
class AllowListTest {

    @Test
    void aSparseBitmapIsSentAsItsSortedLabels() {
        RoaringBitmap labels = RoaringBitmap.bitmapOf(3, 700, 70_000, -1); // -1: the unsigned label 2^32 - 1
        AllowList allow = AllowList.of(labels);
        assertThat(allow.kind()).isEqualTo(StrataNative.STRATA_FILTER_SORTED_LABELS);
        assertThat(allow.length()).isEqualTo(4);
        try (Arena arena = Arena.ofConfined()) {
            assertThat(allow.copyTo(arena).toArray(JAVA_LONG)).containsExactly(3, 700, 70_000, 0xFFFF_FFFFL);
        }
    }

    @Test
    void aDenseBitmapIsSentAsWordsWithEveryBitItHolds() {
        Random random = new Random(7);
        RoaringBitmap labels = new RoaringBitmap();
        for (int i = 0; i < 20_000; i++) {
            if (random.nextInt(3) == 0) {
                labels.add(i);
            }
        }
        labels.add(64); // a word boundary
        labels.add(19_999);
        AllowList allow = AllowList.of(labels);
        assertThat(allow.kind()).isEqualTo(StrataNative.STRATA_FILTER_BITMAP);
        assertThat(allow.length()).isEqualTo(19_999 / 64 + 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment words = allow.copyTo(arena);
            RoaringBitmap decoded = new RoaringBitmap();
            for (int w = 0; w < allow.length(); w++) {
                long word = words.getAtIndex(JAVA_LONG, w);
                for (int bit = 0; bit < 64; bit++) {
                    if ((word & (1L << bit)) != 0) {
                        decoded.add(w * 64 + bit);
                    }
                }
            }
            assertThat(decoded).isEqualTo(labels);
        }
    }

    @Test
    void emptyAndArrayListsAreSentAsGiven() {
        AllowList empty = AllowList.of(new RoaringBitmap());
        assertThat(empty.length()).isZero();
        AllowList sorted = AllowList.ofSorted(new long[] {1, 5, 9});
        try (Arena arena = Arena.ofConfined()) {
            assertThat(empty.copyTo(arena)).isEqualTo(MemorySegment.NULL);
            assertThat(sorted.copyTo(arena).toArray(JAVA_LONG)).containsExactly(1, 5, 9);
        }
    }
}
