package dev.strata.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read cache in front of the object store for immutable objects (blocks, roots, index files).
 *
 * <ul>
 *   <li>Memory tier: decoded values, bounded by their {@link Cacheable#sizeInBytes()}; concurrent
 *       misses of one key share one load and one decode, and no cache lock is held while loading
 *       (a slow S3 read never blocks readers of other keys).</li>
 *   <li>Disk tier (optional): the raw object bytes in files, bounded in bytes, LRU, checksummed, so
 *       a restarted node re-reads from local disk instead of the store.</li>
 * </ul>
 *
 * <p>Objects are immutable, so entries never go stale: a key is only invalidated when GC deletes
 * its object. Eviction only drops the cache's reference: a value whose memory is freed explicitly counts
 * references ({@link Cacheable#retain()}), the memory tier holds one, and every value {@link #get} and
 * {@link #getIfCached} return carries one for the caller, who releases it. So a value a reader still
 * holds stays valid after eviction, and one nobody holds is freed at once, not at the next GC.
 */
public final class BlockCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlockCache.class);

    private final ObjectStore store;
    private final Cache<String, Cacheable> memory;
    /** Loads in progress: later callers of the same key wait for them instead of loading again. */
    private final ConcurrentHashMap<String, CompletableFuture<Cacheable>> loading = new ConcurrentHashMap<>();
    private final DiskCache disk;
    private final LongAdder memoryHits = new LongAdder();
    private final LongAdder memoryMisses = new LongAdder();
    private final LongAdder passLoads = new LongAdder();

    /** A cache with a memory tier of {@code memoryBytes} and no disk tier. */
    public BlockCache(ObjectStore store, long memoryBytes) {
        this(store, BlockCacheOptions.memoryOnly(memoryBytes));
    }

    public BlockCache(ObjectStore store, BlockCacheOptions options) {
        this.store = store;
        this.memory = Caffeine.newBuilder()
                .maximumWeight(options.memoryBytes())
                .weigher((String k, Cacheable v) -> (int) Math.min(Integer.MAX_VALUE, v.sizeInBytes()))
                // evict on the writing thread: the bound holds when put returns (a put that finds another thread
                // evicting leaves its eviction to that thread or the next operation: a moment over the bound)
                .executor(Runnable::run)
                // the memory tier's reference, dropped whatever removed the entry (size, invalidation, replacement)
                .removalListener((String k, Cacheable v, RemovalCause cause) -> {
                    if (v != null) {
                        v.release();
                    }
                })
                .build();
        this.disk = options.diskDir() == null ? null : DiskCache.open(options.diskDir(), options.diskBytes());
    }

    /**
     * The decoded object: from memory, else its bytes from the disk tier or the store, decoded once by
     * {@code decoder}. A decoder that finds bytes from the disk tier corrupt ({@link CorruptObjectException})
     * gets the store's bytes instead; corruption in the store's bytes reaches the caller. The caller holds a
     * reference to the value ({@link Cacheable#release()} when done; a no-op for values on the heap).
     */
    @SuppressWarnings("unchecked")
    public <T extends Cacheable> T get(String key, BiFunction<String, byte[], T> decoder) {
        while (true) {
            T warm = getIfCached(key);
            if (warm != null) {
                return warm;
            }
            CompletableFuture<Cacheable> mine = new CompletableFuture<>();
            CompletableFuture<Cacheable> inProgress = loading.putIfAbsent(key, mine);
            if (inProgress != null) {
                memoryHits.increment();
                T loaded = (T) Futures.join(inProgress);
                if (loaded.retain()) {
                    return loaded;
                }
                continue; // evicted and freed between its load and now: look again
            }
            try {
                // a load may have finished between the first look and claiming the key
                Cacheable cached = memory.getIfPresent(key);
                if (cached != null && cached.retain()) {
                    memoryHits.increment();
                    mine.complete(cached);
                    return (T) cached;
                }
                memoryMisses.increment();
                T value = load(key, decoder); // its one reference is the caller's
                value.retain(); // and this one the memory tier's, dropped on removal
                memory.put(key, value); // before the claim is released, so no later caller misses both
                mine.complete(value);
                return value;
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e); // waiting callers see the same failure; nothing is cached
                throw e;
            } finally {
                loading.remove(key, mine);
            }
        }
    }

    /**
     * The decoded object for one pass over many objects: from the memory tier when it is there, else read (disk
     * tier, then store; the disk tier keeps the bytes) and decoded for this caller alone, never admitted to the
     * memory tier. The caller holds a reference as with {@link #get}; a value only it holds is freed at its
     * release. A pass over a whole index segment (a merge, a warm graph's build) would otherwise fill the tier with
     * blocks no query reads again, and hold every vector twice beside the graph.
     */
    public <T extends Cacheable> T getForPass(String key, BiFunction<String, byte[], T> decoder) {
        T warm = getIfCached(key);
        if (warm != null) {
            return warm;
        }
        passLoads.increment();
        return load(key, decoder);
    }

    private <T extends Cacheable> T load(String key, BiFunction<String, byte[], T> decoder) {
        if (disk != null) {
            byte[] cached = disk.get(key);
            if (cached != null) {
                try {
                    return decoder.apply(key, cached);
                } catch (CorruptObjectException e) {
                    disk.invalidate(key); // the file passed its checksum but not the decoder: trust the store
                }
            }
        }
        byte[] bytes = store.get(key);
        T value = decoder.apply(key, bytes);
        if (disk != null) {
            disk.put(key, bytes);
        }
        return value;
    }

    /**
     * The decoded object if it is in the memory tier (counted as a hit), with a reference for the caller as
     * {@link #get}, else null: lets a hot reader skip building a decoder for {@link #get} when the object is
     * already decoded.
     */
    @SuppressWarnings("unchecked")
    public <T extends Cacheable> T getIfCached(String key) {
        Cacheable cached = memory.getIfPresent(key);
        // a value evicted and freed since the lookup is as good as absent
        if (cached != null && cached.retain()) {
            memoryHits.increment();
            return (T) cached;
        }
        return null;
    }

    /** Whether the decoded object is in the memory tier now (a get would not load it). */
    public boolean isCached(String key) {
        return memory.getIfPresent(key) != null;
    }

    /**
     * Seeds the memory tier with a value just written (write-through), sparing the first reader a GET. The
     * tier takes a reference of its own; the caller keeps (and releases) any it holds.
     */
    public void put(String key, Cacheable value) {
        if (memory.getIfPresent(key) == value) {
            return; // Caffeine reports no removal when a value replaces itself: a second reference would leak
        }
        if (!value.retain()) {
            throw new IllegalStateException("cannot cache " + key + ": its memory is already freed");
        }
        memory.put(key, value);
    }

    /**
     * Seeds the disk tier with an object's bytes just written; a no-op without a disk tier. Never fails: the object is
     * in the store, so a copy the disk tier cannot take costs a later GET, never the caller's write.
     */
    public void putBytes(String key, byte[] bytes) {
        if (disk != null) {
            try {
                disk.put(key, bytes); // logs and skips its own I/O failures
            } catch (RuntimeException e) {
                LOG.debug("{} not written through to the disk tier: {}", key, e.toString());
            }
        }
    }

    /**
     * Drops a key's decoded value from the memory tier only: its object still exists (the disk tier keeps
     * its bytes) but is not expected to be read again soon, e.g. a block a newer version replaced.
     */
    public void forgetMemory(String key) {
        memory.invalidate(key);
    }

    /** Forgets a key in both tiers (its object was deleted). */
    public void invalidate(String key) {
        memory.invalidate(key);
        if (disk != null) {
            disk.invalidate(key);
        }
    }

    /** Memory-tier hits (including callers that joined a load in progress). */
    public long hits() {
        return memoryHits.sum();
    }

    /** Memory-tier misses: loads from the disk tier or the store. */
    public long misses() {
        return memoryMisses.sum();
    }

    /** Objects read for a pass ({@link #getForPass}) and not kept in the memory tier. */
    public long passLoads() {
        return passLoads.sum();
    }

    public long diskHits() {
        return disk == null ? 0 : disk.hits();
    }

    public long diskMisses() {
        return disk == null ? 0 : disk.misses();
    }

    /** Counters and sizes of both tiers, for metrics. */
    public BlockCacheStats stats() {
        memory.cleanUp();
        long memoryWeight = memory.policy().eviction()
                .map(e -> e.weightedSize().orElse(0L)).orElse(0L);
        return new BlockCacheStats(hits(), misses(), memoryWeight, memory.estimatedSize(),
                diskHits(), diskMisses(),
                disk == null ? 0 : disk.corrupt(), disk == null ? 0 : disk.evictions(),
                disk == null ? 0 : disk.usedBytes(), disk == null ? 0 : disk.entries());
    }

    public ObjectStore store() {
        return store;
    }

    @Override
    public void close() {
        memory.invalidateAll();
    }
}
