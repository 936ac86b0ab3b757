package dev.strata.blockfile;

import java.lang.foreign.Arena;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The off-heap memory of one decoded block of vectors, freed as soon as nobody holds the block: the block
 * cache holds one reference while the block is in its memory tier, and each reader one while it reads.
 *
 * <p>Why not leave it to the GC ({@link Arena#ofAuto()}): a node whose heap is nearly empty collects seldom,
 * so blocks the cache dropped kept their memory until the next collection, over a GiB at 1M vectors with a
 * 256 MiB memory tier. A shared arena closed at the last release returns it at once; a reader that used a
 * segment after that would get an {@link IllegalStateException}, never a read of freed memory.
 *
 * <p>A block lost with references never released (a bug) is still freed when the GC finds it unreachable.
 */
final class BlockMemory {

    private static final Logger LOG = LoggerFactory.getLogger(BlockMemory.class);
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong LIVE_BYTES = new AtomicLong();

    private final Arena arena = Arena.ofShared();
    private final AtomicInteger refs = new AtomicInteger(1);
    private long bytes;

    Arena arena() {
        return arena;
    }

    /** Records the bytes allocated from {@link #arena()}, once decoded. */
    void allocated(long bytes) {
        this.bytes = bytes;
        LIVE_BYTES.addAndGet(bytes);
    }

    /** Frees the memory when {@code owner} becomes unreachable with references still held. */
    void watch(Object owner) {
        CLEANER.register(owner, this::reclaim);
    }

    /** Takes a reference; false when the memory is already freed (the caller must read the block again). */
    boolean retain() {
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one frees the memory. */
    void release() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            free();
        } else if (r < 0) {
            refs.set(0);
            throw new IllegalStateException("a block's memory was released more often than retained");
        }
    }

    boolean isFreed() {
        return refs.get() <= 0;
    }

    private void reclaim() {
        if (refs.getAndSet(0) > 0) {
            LOG.debug("a block's memory was freed by the GC: a reader did not release it");
            free();
        }
    }

    private void free() {
        LIVE_BYTES.addAndGet(-bytes);
        arena.close();
    }

    /** Bytes held by decoded vector blocks of this JVM that are not freed yet. */
    static long liveBytes() {
        return LIVE_BYTES.get();
    }
}
