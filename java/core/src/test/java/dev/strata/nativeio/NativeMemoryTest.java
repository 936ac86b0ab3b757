package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** releaseFree gives glibc's free pages back, which a free in the middle of the heap alone does not. */
class NativeMemoryTest {

    private static final int CHUNKS = 2048;
    private static final long CHUNK_BYTES = 64 << 10; // below glibc's mmap threshold: from the arena

    @Test
    void freedArenaMemoryLeavesTheProcessAfterARelease() throws IOException {
        // NativeBuffers' memory is the C library's malloc, freed when its arena closes.
        Arena[] chunks = new Arena[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            chunks[i] = Arena.ofConfined();
            NativeBuffers.allocateUninitialized(CHUNK_BYTES, chunks[i]).fill((byte) 1); // resident
        }
        long allocated = rssKb();
        // Free all but the last: the freed 128 MB sit below a live chunk, so free() cannot trim them itself.
        for (int i = 0; i < CHUNKS - 1; i++) {
            chunks[i].close();
        }
        long freedOnly = rssKb();
        NativeMemory.releaseFree();
        long released = rssKb();
        chunks[CHUNKS - 1].close();

        long heldKb = CHUNKS * CHUNK_BYTES / 1024;
        assertThat(allocated - released).as("RSS kB given back (allocated %d, after free %d, after release %d)",
                allocated, freedOnly, released).isGreaterThan(heldKb / 2);
        assertThat(freedOnly - released).as("given back by the release, not by free").isGreaterThan(heldKb / 4);
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
