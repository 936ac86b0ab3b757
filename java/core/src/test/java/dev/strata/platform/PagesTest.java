package dev.strata.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Large allocations are mapped pages that leave the process when their arena closes; small ones are malloc'd. */
class PagesTest {

    @Test
    void aLargeAllocationIsMappedAndUnmappedWhenItsArenaCloses() throws Exception {
        assertThat(Pages.supported()).as("Linux: the build and test machines").isTrue();
        long bytes = 8L << 20;
        long before = Pages.mappedBytes();
        Arena arena = Arena.ofShared();
        MemorySegment segment = Pages.allocate(arena, bytes, 64);
        assertThat(segment.byteSize()).isEqualTo(bytes);
        assertThat(segment.address() % 4096).as("page-aligned").isZero();
        assertThat(Pages.mappedBytes() - before).isEqualTo(bytes);
        assertThat(segment.get(ValueLayout.JAVA_LONG, bytes - 8)).as("zero until written").isZero();
        segment.fill((byte) 7);
        assertThat(segment.get(ValueLayout.JAVA_BYTE, bytes / 2)).isEqualTo((byte) 7);
        assertThat(mappingOf(segment.address())).as("its own mapping in the process").isTrue();

        arena.close();
        assertThat(Pages.mappedBytes()).isEqualTo(before);
        assertThat(mappingOf(segment.address())).as("unmapped at once, not at a GC").isFalse();
        assertThatThrownBy(() -> segment.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSmallAllocationComesFromTheArena() {
        long before = Pages.mappedBytes();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = Pages.allocate(arena, Pages.MIN_BYTES - 1, 64);
            assertThat(small.byteSize()).isEqualTo(Pages.MIN_BYTES - 1);
            assertThat(small.address() % 64).isZero();
            assertThat(Pages.mappedBytes()).isEqualTo(before);
        }
    }

    /** Whether an address lies in one of the process's mappings (/proc/self/maps). */
    private static boolean mappingOf(long address) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] range = line.substring(0, line.indexOf(' ')).split("-");
            long from = Long.parseUnsignedLong(range[0], 16);
            long to = Long.parseUnsignedLong(range[1], 16);
            if (Long.compareUnsigned(address, from) >= 0 && Long.compareUnsigned(address, to) < 0) {
                return true;
            }
        }
        return false;
    }
}
