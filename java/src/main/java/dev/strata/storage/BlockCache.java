package dev.strata.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.BiFunction;

/**
 * The read cache in front of the object store for immutable objects (blocks, roots, index files).
 * The memory tier keeps decoded values, bounded by their {@link Cacheable#sizeInBytes()}; misses
 * read the object and decode it once. Objects are immutable, so entries never go stale: a key is
 * only invalidated when GC deletes its object.
 *
 * <p>Eviction only drops the cache's reference: a value must stay valid for a reader that still
 * holds it (decoded values own GC-managed memory, never memory freed on eviction).
 */
public final class BlockCache implements AutoCloseable {

    private final ObjectStore store;
    private final Cache<String, Cacheable> memory;

    public BlockCache(ObjectStore store, long memoryBytes) {
        this.store = store;
        this.memory = Caffeine.newBuilder()
                .maximumWeight(memoryBytes)
                .weigher((String k, Cacheable v) -> (int) Math.min(Integer.MAX_VALUE, v.sizeInBytes()))
                .recordStats()
                .build();
    }

    /** The decoded object: from memory, else read from the store and decoded by {@code decoder}. */
    @SuppressWarnings("unchecked")
    public <T extends Cacheable> T get(String key, BiFunction<String, byte[], T> decoder) {
        return (T) memory.get(key, k -> decoder.apply(k, store.get(k)));
    }

    /** Seeds the cache with a value just written (write-through), sparing the first reader a GET. */
    public void put(String key, Cacheable value) {
        memory.put(key, value);
    }

    /** Forgets a key (its object was deleted). */
    public void invalidate(String key) {
        memory.invalidate(key);
    }

    public long hits() {
        return memory.stats().hitCount();
    }

    public long misses() {
        return memory.stats().missCount();
    }

    public ObjectStore store() {
        return store;
    }

    @Override
    public void close() {
        memory.invalidateAll();
    }
}
