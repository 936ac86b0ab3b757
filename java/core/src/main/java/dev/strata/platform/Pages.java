package dev.strata.platform;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Large off-heap allocations mapped straight from the kernel ({@code mmap}) and unmapped when their arena closes,
 * so that their memory leaves the process the moment it is freed.
 *
 * <p>Why not {@link Arena#allocate}, which is {@code malloc}: glibc serves a freed chunk's size from its own heap
 * afterwards (its mmap threshold rises to the largest chunk freed, up to 32 MiB) and keeps what is freed there, so
 * decoded blocks that come and go (hundreds of KiB each, freed as the block cache turns over) left 100 MiB and more
 * of freed but resident C heap in a node at 100k vectors. Mapped pages have no such afterlife.
 *
 * <p>Linux only (the flag values are Linux's, the same on x86-64 and aarch64); elsewhere, and for allocations under
 * {@link #MIN_BYTES} (a page's rounding would waste too much), the arena allocates as usual.
 */
public final class Pages {

    /** Smaller allocations come from the arena ({@code malloc}): a mapping costs whole pages and a system call. */
    public static final long MIN_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(Pages.class);
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 2;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final AtomicLong MAPPED = new AtomicLong();

    static {
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                mmap = linker.defaultLookup().find("mmap").map(a -> linker.downcallHandle(a, FunctionDescriptor.of(
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG))).orElse(null);
                munmap = linker.defaultLookup().find("munmap").map(a -> linker.downcallHandle(a, FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG))).orElse(null);
            } catch (RuntimeException | LinkageError e) {
                LOG.info("large blocks are malloc'd: mmap is not available ({})", e.toString());
            }
        }
        MMAP = munmap == null ? null : mmap;
        MUNMAP = mmap == null ? null : munmap;
    }

    private Pages() {}

    /**
     * {@code bytes} bytes (page-aligned when mapped, else aligned to {@code alignment}), freed when {@code arena}
     * closes: mapped from the kernel when they are at least {@link #MIN_BYTES} and the system allows it, else
     * allocated by the arena. Mapped memory is zero until written, as the arena's.
     */
    public static MemorySegment allocate(Arena arena, long bytes, long alignment) {
        if (MMAP == null || bytes < MIN_BYTES || alignment > 4096) {
            return arena.allocate(bytes, alignment);
        }
        long address;
        try {
            address = (long) MMAP.invokeExact(0L, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap failed", t);
        }
        if (address == -1L || address == 0L) {
            return arena.allocate(bytes, alignment); // out of mappings: let malloc try (and fail as it fails)
        }
        MAPPED.addAndGet(bytes);
        return MemorySegment.ofAddress(address).reinterpret(bytes, arena, segment -> unmap(address, bytes));
    }

    private static void unmap(long address, long bytes) {
        try {
            int rc = (int) MUNMAP.invokeExact(address, bytes);
            if (rc != 0) {
                LOG.warn("munmap of {} bytes failed: the memory stays mapped", bytes);
                return;
            }
        } catch (Throwable t) {
            LOG.warn("munmap of {} bytes failed: the memory stays mapped", bytes, t);
            return;
        }
        MAPPED.addAndGet(-bytes);
    }

    /** Bytes mapped by {@link #allocate} and not unmapped yet. */
    public static long mappedBytes() {
        return MAPPED.get();
    }

    /** Whether {@link #allocate} maps large allocations here. */
    public static boolean supported() {
        return MMAP != null;
    }
}
