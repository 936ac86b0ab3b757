package dev.strata.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * What the C heap (glibc's malloc, shared by libstrata, hnswlib, RocksDB, Arrow's and the JDK's own native
 * allocations) holds, from glibc's {@code mallinfo2}, summed over all arenas.
 *
 * @param arenaInUseBytes bytes handed out from the arenas and not yet freed ({@code uordblks})
 * @param mmappedBytes    chunks large enough to get an mmap of their own ({@code hblkhd}), unmapped when freed
 * @param freeBytes       bytes freed but kept by malloc in its arenas ({@code fordblks}); after
 *                        {@link NativeMemory#releaseFree()} their pages are no longer resident but still counted
 *                        here, so this is an upper bound of what they cost in RSS
 */
public record MallocStats(long arenaInUseBytes, long mmappedBytes, long freeBytes) {

    /** struct mallinfo2: ten size_t fields. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            JAVA_LONG.withName("arena"), JAVA_LONG.withName("ordblks"), JAVA_LONG.withName("smblks"),
            JAVA_LONG.withName("hblks"), JAVA_LONG.withName("hblkhd"), JAVA_LONG.withName("usmblks"),
            JAVA_LONG.withName("fsmblks"), JAVA_LONG.withName("uordblks"), JAVA_LONG.withName("fordblks"),
            JAVA_LONG.withName("keepcost"));

    /** Null where the C library has no mallinfo2 (glibc before 2.33, musl, macOS, Windows). */
    private static final MethodHandle MALLINFO2_CALL = Linker.nativeLinker().defaultLookup().find("mallinfo2")
            .map(address -> Linker.nativeLinker().downcallHandle(address, FunctionDescriptor.of(MALLINFO2)))
            .orElse(null);

    /** Every allocation not yet freed. */
    public long inUseBytes() {
        return arenaInUseBytes + mmappedBytes;
    }

    /** The C heap now; empty where the C library cannot say. */
    public static Optional<MallocStats> read() {
        if (MALLINFO2_CALL == null) {
            return Optional.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2_CALL.invokeExact((SegmentAllocator) arena);
            return Optional.of(new MallocStats(field(info, "uordblks"), field(info, "hblkhd"), field(info, "fordblks")));
        } catch (Throwable e) {
            throw new IllegalStateException("mallinfo2 failed", e);
        }
    }

    private static long field(MemorySegment info, String name) {
        return info.get(JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement(name)));
    }
}
