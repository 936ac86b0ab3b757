package dev.strata.engine;

import dev.strata.blockfile.ArrowMemory;
import dev.strata.blockfile.Block;
import dev.strata.nativeio.MallocStats;
import dev.strata.storage.KvMemory;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The node's resident memory by part, so that what a node's RSS holds can be read off {@code /metrics}
 * ({@code strata_memory_bytes{part=...}}) and {@code strata stats --metrics}. The {@link #parts()} are meant not to
 * overlap and to sum to the RSS: {@code other} is what none of the others explains (the GC's own structures, the
 * JIT compiler's arenas, committed heap not yet touched counted the other way). Where the process cannot be read
 * (not Linux, or no glibc), the parts measured from it are absent. docs/ops.md says how each part is measured.
 *
 * @param rssBytes the process's resident set; -1 when unknown
 * @param parts    resident bytes by part, in the order docs/ops.md lists them; every value is at least zero
 * @param details  figures that overlap the parts, to read them by: heap_used (within heap), block_cache_memory
 *                 (the block cache's memory tier, within heap and vector_blocks), mapped_buffers (within
 *                 mapped_files), malloc_in_use (the C heap's allocations, of which direct_buffers, arrow,
 *                 vector_blocks, native_index, the RocksDB parts and malloc_other), malloc_arenas_resident (the resident pages of
 *                 malloc's arenas: what they hand out, less large chunks mmapped on their own, plus malloc_free)
 */
record MemoryBreakdown(long rssBytes, Map<String, Long> parts, Map<String, Long> details) {

    MemoryBreakdown {
        parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * A breakdown with the parts and details {@link #of(EmbeddedStrata)} gives in this process, each zero where it
     * would read {@code /proc/self/smaps}: what the gauges need to be registered, without the smaps read (80 ms on a
     * node's start path, the first time).
     */
    static MemoryBreakdown shape(EmbeddedStrata strata) {
        Optional<ResidentMemory> resident = ResidentMemory.readable() ? Optional.of(new ResidentMemory(0, 0, 0, 0))
                : Optional.empty();
        return of(resident, MallocStats.read(), strata.kvMemory(), 0, 0);
    }

    /** What the node's engine and process hold now. */
    static MemoryBreakdown of(EmbeddedStrata strata) {
        return of(ResidentMemory.read(), MallocStats.read(), strata.kvMemory(), strata.warmIndexBytes(),
                strata.cache().stats().memoryBytes());
    }

    static MemoryBreakdown of(Optional<ResidentMemory> resident, Optional<MallocStats> malloc, KvMemory kv,
            long nativeIndexBytes, long blockCacheBytes) {
        Map<String, Long> parts = new LinkedHashMap<>();
        Map<String, Long> details = new LinkedHashMap<>();
        long heapCommitted = 0;
        long heapUsed = 0;
        long metaspace = 0;
        long codeCache = 0;
        long otherNonHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long committed = Math.max(0, pool.getUsage().getCommitted());
            String name = pool.getName();
            if (pool.getType() == MemoryType.HEAP) {
                heapCommitted += committed;
                heapUsed += Math.max(0, pool.getUsage().getUsed());
            } else if (name.equals("Metaspace")) {
                metaspace += committed; // includes the compressed class space
            } else if (name.equals("Compressed Class Space")) {
                continue;
            } else if (name.startsWith("CodeHeap") || name.equals("Code Cache")) {
                codeCache += committed;
            } else {
                otherNonHeap += committed;
            }
        }
        long direct = bufferPool("direct");
        long arrow = Math.max(0, ArrowMemory.allocatedBytes());
        parts.put("heap", heapCommitted);
        parts.put("metaspace", metaspace);
        parts.put("code_cache", codeCache);
        parts.put("jvm_other", otherNonHeap);
        resident.ifPresent(r -> parts.put("thread_stacks", r.threadStackBytes()));
        resident.ifPresent(r -> parts.put("mapped_files", r.fileBytes()));
        parts.put("direct_buffers", direct);
        parts.put("arrow", arrow);
        // decoded blocks of vectors, off-heap (malloc'd by their shared arenas) until their last holder releases them
        long vectorBlocks = Math.max(0, Block.liveNativeBytes());
        parts.put("vector_blocks", vectorBlocks);
        parts.put("native_index", Math.max(0, nativeIndexBytes));
        parts.put("rocksdb_memtables", kv.memtablesBytes());
        parts.put("rocksdb_block_cache", kv.blockCacheBytes());
        parts.put("rocksdb_table_readers", kv.tableReadersBytes());
        malloc.ifPresent(m -> {
            // The C heap's allocations not already named: the JVM's own (symbols, compiler, JNI) and libraries'.
            long named = direct + arrow + vectorBlocks + Math.max(0, nativeIndexBytes) + kv.totalBytes();
            parts.put("malloc_other", Math.max(0, m.inUseBytes() - named));
            parts.put("malloc_free", resident.map(r -> freeResident(r, m)).orElse(m.freeBytes()));
        });
        long rss = resident.map(ResidentMemory::rssBytes).orElse(-1L);
        if (rss >= 0) {
            long accounted = parts.values().stream().mapToLong(Long::longValue).sum();
            parts.put("other", Math.max(0, rss - accounted));
        }
        details.put("heap_used", heapUsed);
        details.put("block_cache_memory", Math.max(0, blockCacheBytes));
        details.put("mapped_buffers", bufferPool("mapped"));
        malloc.ifPresent(m -> details.put("malloc_in_use", m.inUseBytes()));
        resident.ifPresent(r -> details.put("malloc_arenas_resident", r.mallocArenaBytes()));
        return new MemoryBreakdown(rss, parts, details);
    }

    /**
     * Freed C heap still resident: the arenas' resident pages less what is allocated from them. glibc's own count of
     * free bytes also counts pages {@code malloc_trim} gave back, so it serves only as the bound where the arenas
     * cannot be found in the mappings.
     */
    private static long freeResident(ResidentMemory resident, MallocStats malloc) {
        if (resident.mallocArenaBytes() == 0) {
            return malloc.freeBytes();
        }
        return Math.min(malloc.freeBytes(), Math.max(0, resident.mallocArenaBytes() - malloc.arenaInUseBytes()));
    }

    private static long bufferPool(String name) {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals(name))
                .mapToLong(pool -> Math.max(0, pool.getMemoryUsed())).sum();
    }
}
