package dev.strata.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** releaseFree gives glibc's free pages back, which a free in the middle of the heap alone does not. */
class NativeMemoryTest {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("malloc").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));

    private static final int CHUNKS = 2048;
    private static final long CHUNK_BYTES = 64 << 10; // below glibc's mmap threshold: from the arena

    @Test
    void freedArenaMemoryLeavesTheProcessAfterARelease() throws Throwable {
        MemorySegment[] chunks = new MemorySegment[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            chunks[i] = ((MemorySegment) MALLOC.invokeExact(CHUNK_BYTES)).reinterpret(CHUNK_BYTES);
            chunks[i].fill((byte) 1); // resident
        }
        long allocated = rssKb();
        // Free all but the last: the freed 128 MB sit below a live chunk, so free() cannot trim them itself.
        for (int i = 0; i < CHUNKS - 1; i++) {
            FREE.invokeExact(chunks[i]);
        }
        long freedOnly = rssKb();
        NativeMemory.releaseFree();
        long released = rssKb();
        FREE.invokeExact(chunks[CHUNKS - 1]);

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
