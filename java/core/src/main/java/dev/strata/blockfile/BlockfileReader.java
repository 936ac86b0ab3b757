package dev.strata.blockfile;

import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectLayout;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads one committed blockfile: the root through the block cache on open, then only the blocks a
 * lookup or scan reaches (binary search over the blocks' first keys). Immutable and thread-safe; what it
 * sees never changes, whatever writers commit later.
 *
 * <p>Keys are {@code (prefix, key)} with {@code key} a String, long, double or boolean (see
 * {@link BlockKey#of}).
 */
public final class BlockfileReader<V> {

    private final BlockCache cache;
    private final String rootKey;
    private final Root root;
    private final ValueType<V> type;
    /** Object keys of the blocks, built once: a lookup then costs no string building or hashing. */
    private final List<String> blockKeys;
    /** Computes each decoded block's codes from its vectors; null when blocks are decoded as stored. */
    private final VectorEncoder derivedCodes;

    private BlockfileReader(BlockCache cache, String rootKey, Root root, ValueType<V> type) {
        this.cache = cache;
        this.rootKey = rootKey;
        this.root = root;
        this.type = type;
        String keyPrefix = ObjectLayout.blockfileFolderOfRoot(rootKey);
        this.blockKeys = root.blocks().stream().map(b -> ObjectLayout.block(keyPrefix, b.blockId())).toList();
        this.derivedCodes = null;
    }

    private BlockfileReader(BlockfileReader<V> of, VectorEncoder derivedCodes) {
        this.cache = of.cache;
        this.rootKey = of.rootKey;
        this.root = of.root;
        this.type = of.type;
        this.blockKeys = of.blockKeys;
        this.derivedCodes = derivedCodes;
    }

    /**
     * This float-vector blockfile read with codes computed by {@code encoder} as each block is decoded
     * ({@link Block#codes()}): the codes are not stored, so they cost memory only while the block is decoded.
     * Every reader of one blockfile must agree on this, since the memory tier keeps one decoded block per object;
     * a block found there without codes (decoded by a reader without them) is dropped and decoded again.
     */
    public BlockfileReader<V> withDerivedCodes(VectorEncoder encoder) {
        if (type.kind() != ValueKind.FLOAT_VECTOR || encoder == null) {
            throw new IllegalArgumentException("codes are derived for float vectors only, not " + type);
        }
        return new BlockfileReader<>(this, encoder);
    }

    /**
     * Opens the blockfile whose root is {@code rootKey} (what {@link CommitResult#rootKey()} returned).
     *
     * @throws IllegalArgumentException when the blockfile holds another value type
     * @throws dev.strata.storage.CorruptObjectException when the root fails its checks
     */
    public static <V> BlockfileReader<V> open(BlockCache cache, String rootKey, ValueType<V> type) {
        ObjectLayout.blockfileFolderOfRoot(rootKey);
        Root root = cache.get(rootKey, Root::decode);
        if (!root.valueType().equals(type)) {
            throw new IllegalArgumentException("blockfile " + rootKey + " holds " + root.valueType() + " values, not " + type);
        }
        return new BlockfileReader<>(cache, rootKey, root, type);
    }

    /**
     * Opens a blockfile of whatever value type its root declares (e.g. vectors stored with or without
     * codes); the caller inspects {@link #valueType()}.
     */
    public static BlockfileReader<?> open(BlockCache cache, String rootKey) {
        ObjectLayout.blockfileFolderOfRoot(rootKey);
        Root root = cache.get(rootKey, Root::decode);
        return new BlockfileReader<>(cache, rootKey, root, root.valueType());
    }

    public String rootKey() {
        return rootKey;
    }

    public ValueType<V> valueType() {
        return type;
    }

    /** Number of entries (from the root: loads no block). */
    public long count() {
        return root.entryCount();
    }

    public int blockCount() {
        return root.blocks().size();
    }

    /** The root and every block this blockfile names: what a version keeps alive for GC. Loads no block. */
    public List<String> objectKeys() {
        List<String> keys = new ArrayList<>(blockCount() + 1);
        keys.add(rootKey);
        keys.addAll(blockKeys());
        return keys;
    }

    /**
     * The root and block keys of the blockfile rooted at {@code rootKey}, whatever its value type: what
     * GC keeps for a version. Reads only the root.
     */
    public static List<String> objectKeysOf(BlockCache cache, String rootKey) {
        ObjectLayout.blockfileFolderOfRoot(rootKey);
        return open(cache, rootKey).objectKeys();
    }

    /** Object keys of the blocks, in key order. */
    public List<String> blockKeys() {
        return blockKeys;
    }

    public Optional<V> get(String prefix, Object key) {
        return find(prefix, key, Block::value);
    }

    public boolean contains(String prefix, Object key) {
        return find(prefix, key, (block, row) -> row).isPresent();
    }

    /**
     * For a float-vector blockfile: hands the vector of {@code (prefix, key)} to {@code use} as a slice of its
     * block's contiguous segment, without a copy, valid only during the call (the block is held meanwhile).
     * False when the key is absent.
     */
    public boolean withVector(String prefix, Object key, Consumer<MemorySegment> use) {
        return find(prefix, key, (block, row) -> {
            use.accept(block.vector(row));
            return Boolean.TRUE;
        }).isPresent();
    }

    /** Reads the one block that could hold the key and maps the key's row there, holding the block meanwhile. */
    private <T> Optional<T> find(String prefix, Object key, BiFunction<Block<V>, Integer, T> atRow) {
        BlockKey k = BlockKey.of(prefix, key);
        if (blockCount() == 0) {
            return Optional.empty();
        }
        try (Block<V> block = block(blockIndexOf(k))) {
            int row = block.keys().search(k);
            return row >= 0 ? Optional.of(atRow.apply(block, row)) : Optional.empty();
        }
    }

    /**
     * Entries of {@code prefix} with keys between {@code from} and {@code to}, in key order. A null bound
     * is open; with one bound given, the open side stays within that bound's key kind (so
     * {@code range("year", 1990L, true, null, false)} yields int keys only); with both null, the whole prefix.
     */
    public Stream<BlockfileEntry<V>> range(String prefix, Object from, boolean fromInclusive, Object to, boolean toInclusive) {
        BlockKey lower = from == null ? null : BlockKey.of(prefix, from);
        BlockKey upper = to == null ? null : BlockKey.of(prefix, to);
        if (lower == null) {
            lower = upper == null ? BlockKey.firstOf(prefix) : BlockKey.minOf(prefix, upper.kind());
            fromInclusive = true;
        }
        KeyKind kind = (from == null) == (to == null) ? null : lower.kind();
        if (upper != null && blockCount() > 0) {
            // A bounded scan knows its blocks up front: fetch them in parallel, not one by one as reached.
            int first = blockIndexOf(lower);
            int last = blockIndexOf(upper);
            if (last > first) {
                loadBlocks(IntStream.rangeClosed(first, last).boxed().toList());
            }
        }
        return stream(new BlockCursor<>(this, lower, fromInclusive, new ScanBound(prefix, kind, upper, toInclusive)));
    }

    /** Every entry of {@code prefix}, in key order. */
    public Stream<BlockfileEntry<V>> scanPrefix(String prefix) {
        return range(prefix, null, true, null, true);
    }

    /** Every entry, in key order. */
    public Stream<BlockfileEntry<V>> entries() {
        return stream(new BlockCursor<>(this, null, true, ScanBound.NONE));
    }

    /**
     * Loads the blocks that could hold {@code keys} (under {@code prefix}) into the cache concurrently, so a
     * cold batch of lookups costs one object-store round trip of latency instead of one per block.
     */
    public void prefetch(String prefix, Collection<?> keys) {
        loadBlocks(blockIndexes(prefix, keys));
    }

    /** As {@link #prefetch(String, Collection)} for the keys under each of several prefixes, in one wave of reads. */
    public void prefetch(Collection<String> prefixes, Collection<?> keys) {
        Set<Integer> indexes = new TreeSet<>();
        for (String prefix : prefixes) {
            indexes.addAll(blockIndexes(prefix, keys));
        }
        loadBlocks(indexes);
    }

    /**
     * Loads every block holding entries of these prefixes into the cache concurrently: scans of several prefixes (a
     * range filter over the chunks of an inverted index) then cost one object-store round trip of latency instead of
     * one per prefix, or one per block for an open-ended range.
     */
    public void prefetchPrefixes(Collection<String> prefixes) {
        if (blockCount() == 0) {
            return;
        }
        Set<Integer> indexes = new TreeSet<>();
        for (String prefix : prefixes) {
            // '\0' sorts before any other character: the first key after every key of the prefix (and of no longer one)
            int last = blockIndexOf(BlockKey.firstOf(prefix + '\0'));
            for (int i = blockIndexOf(BlockKey.firstOf(prefix)); i <= last; i++) {
                indexes.add(i);
            }
        }
        loadBlocks(indexes);
    }

    /**
     * Whether every block holding one of these int keys is in the cache's memory tier (without boxing them or
     * collecting a set of blocks: the read of a query's records asks this per field).
     */
    public boolean allCached(String prefix, long[] keys) {
        int checked = -1;
        for (long key : keys) {
            int index = blockIndexOf(BlockKey.ofInt(prefix, key));
            if (index >= 0 && index != checked) {
                if (!isCached(index)) {
                    return false;
                }
                checked = index;
            }
        }
        return true;
    }

    /**
     * The value of each of these int keys under {@code prefix}, in the keys' order, null where a key is absent:
     * as {@link #get} per key without an {@code Optional} each. Cold blocks are loaded one by one; a caller
     * reading many prefetches them first.
     */
    public List<V> getAll(String prefix, long[] keys) {
        return values(prefix, keys, this::block);
    }

    /**
     * As {@link #getAll} when every block these keys fall in is decoded in the cache's memory tier, else null (and
     * nothing loaded): a warm read's one pass, a block lookup per key, where checking first and reading after
     * looked each block up twice.
     */
    public List<V> getAllIfCached(String prefix, long[] keys) {
        return values(prefix, keys, this::cachedBlock);
    }

    /** The values of int keys, each from the block {@code blockAt} gives with a reference; null if it gives none. */
    private List<V> values(String prefix, long[] keys, IntFunction<Block<V>> blockAt) {
        List<V> out = new ArrayList<>(keys.length);
        for (long key : keys) {
            BlockKey k = BlockKey.ofInt(prefix, key);
            int index = blockIndexOf(k);
            if (index < 0) {
                out.add(null);
                continue;
            }
            Block<V> block = blockAt.apply(index);
            if (block == null) {
                return null;
            }
            try (block) {
                int row = block.keys().search(k);
                out.add(row >= 0 ? block.value(row) : null);
            }
        }
        return out;
    }

    /** The distinct blocks that hold these keys, in order (none for an empty blockfile). */
    private Set<Integer> blockIndexes(String prefix, Collection<?> keys) {
        Set<Integer> indexes = new TreeSet<>();
        if (blockCount() > 0) {
            for (Object key : keys) {
                indexes.add(blockIndexOf(BlockKey.of(prefix, key)));
            }
        }
        return indexes;
    }

    /** The estimated data bytes of the block at {@code index}, from the root: loads no block. */
    public long blockBytes(int index) {
        return root.blocks().get(index).dataBytes();
    }

    /** Whether the block at {@code index} is in the cache's memory tier. */
    public boolean isCached(int index) {
        return cache.isCached(blockKeys.get(index));
    }

    /**
     * Drops this blockfile's decoded blocks from the cache's memory tier (not its disk tier): for blocks that are
     * not expected to be read soon. A reader holding one keeps it until it releases it.
     */
    public void forgetMemory() {
        blockKeys.forEach(cache::forgetMemory);
    }

    /** Loads every block into the cache, concurrently: one round trip of latency on a cold cache. */
    public void loadAll() {
        loadBlocks(IntStream.range(0, blockCount()).boxed().toList());
    }

    /** Loads the blocks at {@code indexes} into the cache, concurrently when there are several. */
    public void loadBlocks(Collection<Integer> indexes) {
        // Warm reads (every block in memory) skip the loader threads: a query's field reads profiled at
        // a tenth of its server time starting and joining virtual threads that had nothing to load.
        List<Integer> missing = indexes.stream().filter(i -> !isCached(i)).toList();
        if (missing.size() <= 1) {
            missing.forEach(i -> block(i).release());
            return;
        }
        try (ExecutorService loader = Executors.newVirtualThreadPerTaskExecutor()) {
            Futures.awaitAll(missing.stream().map(i -> loader.submit(() -> block(i).release())).toList(), "block load");
        }
    }

    /** The address (object key, checksum) of the block at {@code index}: loads no block. */
    public BlockAddress addressOf(int index) {
        return new BlockAddress(blockKeys.get(index), root.blocks().get(index).crc());
    }

    /** The addresses of every block, in key order: loads no block. */
    public List<BlockAddress> addresses() {
        return IntStream.range(0, blockCount()).mapToObj(this::addressOf).toList();
    }

    /**
     * Reads a block of a {@code type} blockfile into the cache without its root (verified against the
     * address's checksum), as the root's readers will then find it: lets a reader load blocks it knows it
     * will need alongside the roots rather than after them.
     */
    public static <V> void preload(BlockCache cache, BlockAddress address, ValueType<V> type) {
        Block<V> block = cache.get(address.objectKey(), (key, bytes) -> BlockCodec.decode(key, bytes, type, address.crc()));
        block.release();
    }

    /**
     * The block at {@code index} (0 .. blockCount-1), from the cache or the store, with a reference the caller
     * releases ({@link Block#close()}): until then its memory, and every segment it hands out, stays valid
     * even if the cache drops it.
     */
    public Block<V> block(int index) {
        // A warm block is returned without building the decoder (a capturing lambda per lookup: a query reads
        // about 30 blocks).
        Block<V> cached = cachedBlock(index);
        if (cached != null) {
            return cached;
        }
        int crc = root.blocks().get(index).crc();
        return cache.get(blockKeys.get(index), (key, bytes) -> BlockCodec.decode(key, bytes, type, crc, derivedCodes));
    }

    /**
     * The block at {@code index} with a reference if the memory tier holds it decoded as this reader needs it, else
     * null. One decoded by a reader that does not derive codes is dropped from the tier, to be decoded again with them.
     */
    private Block<V> cachedBlock(int index) {
        String objectKey = blockKeys.get(index);
        Block<V> cached = cache.getIfCached(objectKey);
        if (cached == null || derivedCodes == null || cached.hasCodes()) {
            return cached;
        }
        cached.release();
        cache.forgetMemory(objectKey);
        return null;
    }

    /**
     * The blocks at {@code indexes}, read concurrently for one pass over them ({@link BlockCache#getForPass}):
     * blocks not in the memory tier are not put there. Each comes with a reference the caller releases.
     */
    public List<Block<V>> blocksForPass(List<Integer> indexes) {
        List<Supplier<Block<V>>> reads = indexes.stream().<Supplier<Block<V>>>map(i -> () -> blockForPass(i)).toList();
        return readAll(reads, indexes.size() > 1 && !indexes.stream().allMatch(this::isCached));
    }

    /**
     * Runs block reads (each returns a block with a reference), on virtual threads when {@code concurrently} (cold
     * blocks: one round trip of latency for all), and returns the blocks in the reads' order. If a read fails, the
     * blocks the others returned are released and the first failure is thrown.
     */
    public static <B extends Block<?>> List<B> readAll(List<Supplier<B>> reads, boolean concurrently) {
        List<B> out = new ArrayList<>(reads.size());
        try {
            if (!concurrently) {
                for (Supplier<B> read : reads) {
                    out.add(read.get());
                }
                return out;
            }
            try (ExecutorService loader = Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<B>> loads = reads.stream().map(read -> loader.submit(read::get)).toList();
                RuntimeException failure = null;
                for (var f : loads) {
                    try {
                        out.add(Futures.await(f, "block load"));
                    } catch (RuntimeException e) {
                        failure = failure == null ? e : failure; // keep collecting: every loaded block is released below
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }
            return out;
        } catch (RuntimeException | Error e) {
            out.forEach(Block::release);
            throw e;
        }
    }

    private Block<V> blockForPass(int index) {
        int crc = root.blocks().get(index).crc();
        // A pass reads vectors, not codes: a block not in memory is decoded without them.
        return cache.getForPass(blockKeys.get(index), (key, bytes) -> BlockCodec.decode(key, bytes, type, crc));
    }

    /** The index of the block whose key range holds {@code (prefix, key)}; -1 for an empty blockfile. */
    public int blockIndexOf(String prefix, Object key) {
        return blockIndexOf(BlockKey.of(prefix, key));
    }

    int blockIndexOf(BlockKey key) {
        return root.blockFor(key);
    }

    /** The first keys of the blocks, in order (from the root: loads no block). */
    public List<BlockKey> blockFirstKeys() {
        return root.blocks().stream().map(BlockRef::firstKey).toList();
    }

    List<BlockRef> blockRefs() {
        return root.blocks();
    }

    private static <V> Stream<BlockfileEntry<V>> stream(BlockCursor<V> cursor) {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(cursor, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }
}
