package dev.strata.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Large native buffers that are about to be overwritten whole (a downloaded index file). Arena.allocate
 * zeroes what it allocates: for 1.6 GB that is a second pass over every page, most of a second of a cold
 * query's CPU on a small machine, spent on bytes the download replaces at once. These come from the C
 * library's malloc uncleared and are freed with the arena.
 */
@SuppressWarnings("restricted") // this package is where Strata is allowed to use restricted FFM methods
public final class NativeBuffers {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("malloc").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));

    private NativeBuffers() {
    }

    /**
     * {@code size} bytes of uninitialized native memory, freed when {@code arena} closes. Every byte must be
     * written before it is read.
     */
    public static MemorySegment allocateUninitialized(long size, Arena arena) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
        MemorySegment raw;
        try {
            raw = (MemorySegment) MALLOC.invokeExact(Math.max(size, 1));
        } catch (Throwable t) {
            throw new IllegalStateException("malloc failed", t);
        }
        if (raw.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("cannot allocate " + size + " bytes of native memory");
        }
        return raw.reinterpret(size, arena, NativeBuffers::free);
    }

    private static void free(MemorySegment raw) {
        try {
            FREE.invokeExact(raw);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }
}
