package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.foreign.Arena;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MallocStatsTest {

    @Test
    void countsWhatTheCHeapHandsOut() {
        Optional<MallocStats> before = MallocStats.read();
        assumeThat(before).as("glibc with mallinfo2").isPresent();
        assertThat(before.get().inUseBytes()).isPositive();
        assertThat(before.get().freeBytes()).isNotNegative();
        try (Arena arena = Arena.ofConfined()) {
            arena.allocate(64L * 1024 * 1024); // the JDK takes native segments from malloc
            // Other threads allocate and free too; 64 MiB stands well above what they move meanwhile.
            assertThat(MallocStats.read().orElseThrow().inUseBytes()).isGreaterThan(before.get().inUseBytes() + 32L * 1024 * 1024);
        }
    }
}
