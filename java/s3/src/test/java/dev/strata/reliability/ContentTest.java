package dev.strata.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContentTest {

    @Test
    void neighbouringIdsAtVersionsOneRunApartGetDifferentEmbeddings() {
        // "w2-37" and "w2-38" hash one apart: the old seed (hash * 1_000_003 + version) made these two equal.
        assertThat(Content.embedding("w2-37", 2_000_010)).isNotEqualTo(Content.embedding("w2-38", 1_000_007));
    }

    @Test
    void everyIdAndVersionOfACrashLoopHasItsOwnEmbedding() {
        Set<List<Float>> seen = new HashSet<>();
        int written = 0;
        for (int writer = 0; writer < 3; writer++) {
            for (int i = 0; i < 40; i++) {
                for (long run = 1; run <= 20; run++) {
                    for (long v = 0; v < 60; v++) {
                        float[] e = Content.embedding("w" + writer + "-" + i, run * 1_000_000 + v);
                        Float[] boxed = new Float[e.length];
                        Arrays.setAll(boxed, k -> e[k]);
                        seen.add(List.of(boxed));
                        written++;
                    }
                }
            }
        }
        assertThat(seen).hasSize(written);
    }
}
