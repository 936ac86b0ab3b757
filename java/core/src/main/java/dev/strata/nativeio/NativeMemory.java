package dev.strata.nativeio;

/** The C heap that libstrata, hnswlib and the JVM's own native allocations share. */
public final class NativeMemory {

    private NativeMemory() {}

    /**
     * Returns the C heap's free pages to the operating system. glibc keeps freed chunks resident in its
     * arenas, so after a large free (an index copy replaced by compaction) the process keeps its peak
     * size; this costs a walk of the arenas, a few milliseconds, so call it after such frees, not per query.
     */
    public static void releaseFree() {
        NativeException.check(StrataNative.strata_release_memory());
    }
}
