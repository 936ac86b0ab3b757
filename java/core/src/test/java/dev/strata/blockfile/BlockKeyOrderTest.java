package dev.strata.blockfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockKeyOrderTest {

    @Test
    void ordersByPrefixThenKindThenValue() {
        List<BlockKey> expected = List.of(
                BlockKey.of("", "z"),
                BlockKey.of("a", false),
                BlockKey.of("a", true),
                BlockKey.of("a", Long.MIN_VALUE),
                BlockKey.of("a", -1L),
                BlockKey.of("a", 0L),
                BlockKey.of("a", Long.MAX_VALUE),
                BlockKey.of("a", Double.NEGATIVE_INFINITY),
                BlockKey.of("a", -1.5),
                BlockKey.of("a", -0.0),
                BlockKey.of("a", 0.0),
                BlockKey.of("a", 1e300),
                BlockKey.of("a", Double.POSITIVE_INFINITY),
                BlockKey.of("a", Double.NaN),
                BlockKey.of("a", ""),
                BlockKey.of("a", "A"),
                BlockKey.of("a", "a"),
                BlockKey.of("a", "ab"),
                BlockKey.of("ab", false),
                BlockKey.of("b", ""));
        List<BlockKey> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(7));
        Collections.sort(shuffled);
        assertThat(shuffled).containsExactlyElementsOf(expected);
    }

    @Test
    void minimaOfEachKindSortFirstWithinTheirKind() {
        assertThat(BlockKey.minOf("p", KeyKind.INT)).isLessThanOrEqualTo(BlockKey.of("p", Long.MIN_VALUE));
        assertThat(BlockKey.minOf("p", KeyKind.FLOAT)).isLessThanOrEqualTo(BlockKey.of("p", Double.NEGATIVE_INFINITY))
                .isGreaterThan(BlockKey.of("p", Long.MAX_VALUE));
        assertThat(BlockKey.minOf("p", KeyKind.STRING)).isGreaterThan(BlockKey.of("p", Double.NaN));
        assertThat(BlockKey.firstOf("p")).isLessThanOrEqualTo(BlockKey.of("p", false));
    }

    @Test
    void widensIntegersAndFloatsAndKeepsTheBoxedKey() {
        assertThat(BlockKey.of("p", 3)).isEqualTo(BlockKey.of("p", 3L));
        assertThat(BlockKey.of("p", (short) 3)).isEqualTo(BlockKey.of("p", 3L));
        assertThat(BlockKey.of("p", 2.5f)).isEqualTo(BlockKey.of("p", 2.5));
        assertThat(BlockKey.of("p", 2.5).key()).isEqualTo(2.5);
        assertThat(BlockKey.of("p", true).key()).isEqualTo(true);
        assertThat(BlockKey.of("p", 9L).key()).isEqualTo(9L);
        assertThat(BlockKey.of("p", "s").key()).isEqualTo("s");
    }
}
