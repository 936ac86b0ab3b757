package dev.strata.blockfile;

import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Builds a new version of a blockfile, copy-on-write: sets and deletes are buffered (in any order, the
 * last one per key wins) and {@link #commit()} rewrites only the blocks whose key range they touch, shares
 * every other block with the previous root, then writes a new root naming them all. Blocks are written
 * before the root, so a root never names a missing block; a reader never sees an uncommitted writer.
 *
 * <p>Block sizing: a rewritten range is cut into blocks of about the target size; a rewritten block left
 * under a quarter of the target is merged with an unchanged neighbour when together they stay within 1.25
 * times the target (the same slack the cut allows a last small piece); a block left empty is dropped. One writer commits once; it is safe to fill from several threads.
 *
 * <p>With {@link #cutAt(BlockGroups) groups}, a block also never holds entries of two groups (a small
 * block only ever merges with a neighbour of its own group), so a reader of one group reads only its
 * blocks. The format is the same: readers need not know how blocks were cut.
 */
public final class BlockfileWriter<V> {

    /** S3 latency favours large blocks: one GET of 1 MiB costs about as much as one of 4 KiB. */
    public static final int DEFAULT_TARGET_BLOCK_BYTES = 1 << 20;

    /** Changed blocks fetched together while rewriting. */
    private static final int PREFETCH_BLOCKS = 16;

    private final BlockCache cache;
    private final String keyPrefix;
    private final ValueType<V> type;
    private final long targetBlockBytes;
    private final BlockfileReader<V> base;
    /** Buffered changes: an empty Optional is a delete. */
    private final NavigableMap<BlockKey, Optional<V>> pending = new TreeMap<>();
    private BlockGroups groups = BlockGroups.NONE;
    private boolean committed;

    private BlockfileWriter(BlockCache cache, String keyPrefix, ValueType<V> type, long targetBlockBytes, BlockfileReader<V> base) {
        if (targetBlockBytes <= 0) {
            throw new IllegalArgumentException("target block size must be positive, got " + targetBlockBytes);
        }
        this.cache = cache;
        this.keyPrefix = ObjectLayout.checkBlockfileFolder(keyPrefix);
        this.type = type;
        this.targetBlockBytes = targetBlockBytes;
        this.base = base;
    }

    /** A writer of a new, empty blockfile under {@code keyPrefix} (e.g. {@code c/{collection}/}). */
    public static <V> BlockfileWriter<V> create(BlockCache cache, String keyPrefix, ValueType<V> type) {
        return create(cache, keyPrefix, type, DEFAULT_TARGET_BLOCK_BYTES);
    }

    public static <V> BlockfileWriter<V> create(BlockCache cache, String keyPrefix, ValueType<V> type, long targetBlockBytes) {
        return new BlockfileWriter<>(cache, keyPrefix, type, targetBlockBytes, null);
    }

    /** A writer of the next version of the blockfile rooted at {@code rootKey}, under the same key prefix. */
    public static <V> BlockfileWriter<V> fork(BlockCache cache, String rootKey, ValueType<V> type) {
        return fork(cache, rootKey, type, DEFAULT_TARGET_BLOCK_BYTES);
    }

    public static <V> BlockfileWriter<V> fork(BlockCache cache, String rootKey, ValueType<V> type, long targetBlockBytes) {
        BlockfileReader<V> base = BlockfileReader.open(cache, rootKey, type);
        return new BlockfileWriter<>(cache, ObjectLayout.blockfileFolderOfRoot(rootKey), type, targetBlockBytes, base);
    }

    /** Cuts the blocks this writer writes at group changes as well as by size (see the class comment). */
    public synchronized BlockfileWriter<V> cutAt(BlockGroups groups) {
        checkOpen();
        this.groups = java.util.Objects.requireNonNull(groups);
        return this;
    }

    /** Sets {@code (prefix, key)} to {@code value}; key is a String, long, double or boolean. */
    public synchronized BlockfileWriter<V> set(String prefix, Object key, V value) {
        checkOpen();
        pending.put(BlockKey.of(prefix, key), Optional.of(type.retain(value)));
        return this;
    }

    /** Removes {@code (prefix, key)}; removing an absent key is not an error. */
    public synchronized BlockfileWriter<V> delete(String prefix, Object key) {
        checkOpen();
        pending.put(BlockKey.of(prefix, key), Optional.empty());
        return this;
    }

    /** Number of buffered sets and deletes. */
    public synchronized int pendingChanges() {
        return pending.size();
    }

    /** Writes the changed blocks, then the new root; returns the root's key and what was written and shared. */
    public synchronized CommitResult commit() {
        checkOpen();
        committed = true;
        List<BlockRef> old = base == null ? List.of() : base.blockRefs();
        List<BlockRef> out = new ArrayList<>();
        List<String> written = new ArrayList<>();
        try (BlockUploader uploader = new BlockUploader(cache)) {
            if (old.isEmpty()) {
                writeBlocks(merge(new SortedEntries<>(), pending), uploader, out, written);
            } else {
                rewriteChangedRuns(old, uploader, out, written);
            }
            uploader.awaitAll();
        }
        String rootKey = ObjectLayout.root(keyPrefix, UUID.randomUUID().toString());
        byte[] rootBytes = Root.encode(type, out);
        cache.store().put(rootKey, rootBytes);
        cache.put(rootKey, Root.decode(rootKey, rootBytes));
        cache.putBytes(rootKey, rootBytes);
        Set<String> writtenSet = new HashSet<>(written);
        List<String> shared = out.stream().map(b -> ObjectLayout.block(keyPrefix, b.blockId()))
                .filter(k -> !writtenSet.contains(k)).toList();
        Set<String> sharedSet = new HashSet<>(shared);
        List<String> superseded = new ArrayList<>();
        if (base != null) {
            superseded.add(base.rootKey());
            for (BlockRef b : old) {
                String key = ObjectLayout.block(keyPrefix, b.blockId());
                if (!sharedSet.contains(key)) {
                    superseded.add(key);
                }
            }
        }
        return new CommitResult(rootKey, written, shared, superseded, out.stream().mapToLong(BlockRef::entries).sum());
    }

    /**
     * Walks the old blocks; each maximal run of consecutive blocks that pending changes fall into is
     * merged with those changes and rewritten, every other block is kept as it is.
     */
    private void rewriteChangedRuns(List<BlockRef> old, BlockUploader uploader, List<BlockRef> out, List<String> written) {
        NavigableSet<Integer> changed = new TreeSet<>();
        for (BlockKey k : pending.keySet()) {
            changed.add(base.blockIndexOf(k));
        }
        int n = old.size();
        int i = 0;
        int prefetchedThrough = -1;
        while (i < n) {
            if (!changed.contains(i)) {
                out.add(old.get(i++));
                continue;
            }
            if (i > prefetchedThrough) {
                // Fetch the next few changed blocks together: one round trip of latency, not one per block,
                // while a bounded window keeps a large compaction from flushing the cache.
                List<Integer> window = changed.tailSet(i, true).stream().limit(PREFETCH_BLOCKS).toList();
                base.loadBlocks(window);
                prefetchedThrough = window.getLast();
            }
            int j = i;
            while (j < n && changed.contains(j)) {
                j++;
            }
            SortedEntries<V> run = new SortedEntries<>();
            for (int b = i; b < j; b++) {
                loadInto(b, run);
            }
            NavigableMap<BlockKey, Optional<V>> changes = pending;
            if (i > 0) {
                changes = changes.tailMap(old.get(i).firstKey(), true);
            }
            if (j < n) {
                changes = changes.headMap(old.get(j).firstKey(), false);
            }
            SortedEntries<V> merged = merge(run, changes);
            if (merged.size() > 0 && merged.bytes() < targetBlockBytes / 4) {
                long mergeLimit = targetBlockBytes + targetBlockBytes / 4;
                if (j < n && merged.bytes() + old.get(j).dataBytes() <= mergeLimit
                        && !groups.separates(merged.key(merged.size() - 1), old.get(j).firstKey())) {
                    loadInto(j++, merged);
                } else if (i > 0 && !out.isEmpty() && out.getLast() == old.get(i - 1)
                        && merged.bytes() + old.get(i - 1).dataBytes() <= mergeLimit
                        && !groups.separates(old.get(i - 1).firstKey(), merged.key(0))) {
                    out.removeLast();
                    SortedEntries<V> joined = new SortedEntries<>();
                    loadInto(i - 1, joined);
                    joined.addAll(merged);
                    merged = joined;
                }
            }
            writeBlocks(merged, uploader, out, written);
            i = j;
        }
    }

    private void loadInto(int blockIndex, SortedEntries<V> into) {
        try (Block<V> block = base.block(blockIndex)) {
            for (int r = 0; r < block.size(); r++) {
                BlockKey k = block.key(r);
                V v = block.value(r);
                into.add(k, v, entrySize(k, v));
            }
        }
    }

    /** The entries of {@code existing} with {@code changes} applied (both in key order). */
    private SortedEntries<V> merge(SortedEntries<V> existing, NavigableMap<BlockKey, Optional<V>> changes) {
        SortedEntries<V> out = new SortedEntries<>();
        int e = 0;
        for (var change : changes.entrySet()) {
            BlockKey k = change.getKey();
            while (e < existing.size() && existing.key(e).compareTo(k) < 0) {
                out.addFrom(existing, e++);
            }
            if (e < existing.size() && existing.key(e).compareTo(k) == 0) {
                e++;
            }
            change.getValue().ifPresent(v -> out.add(k, v, entrySize(k, v)));
        }
        while (e < existing.size()) {
            out.addFrom(existing, e++);
        }
        return out;
    }

    private void writeBlocks(SortedEntries<V> entries, BlockUploader uploader, List<BlockRef> out, List<String> written) {
        int from = 0;
        for (int to : entries.cut(targetBlockBytes, groups)) {
            List<BlockKey> keys = entries.keys(from, to);
            byte[] data = BlockCodec.encode(type, keys, entries.values(from, to));
            String id = UUID.randomUUID().toString();
            String key = ObjectLayout.block(keyPrefix, id);
            uploader.put(key, data);
            written.add(key);
            out.add(new BlockRef(keys.getFirst(), id, keys.size(), entries.bytes(from, to), Frame.storedCrc(data)));
            from = to;
        }
    }

    private int entrySize(BlockKey key, V value) {
        return key.encodedSizeEstimate() + type.encodedSizeEstimate(value);
    }

    private void checkOpen() {
        if (committed) {
            throw new IllegalStateException("this blockfile writer has committed; fork a new one from its root");
        }
    }
}
