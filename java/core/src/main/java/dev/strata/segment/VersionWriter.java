package dev.strata.segment;

import dev.strata.platform.ThreadPriority;
import static dev.strata.segment.SegmentParts.RECORD_PREFIX;

import dev.strata.blockfile.BlockAddress;
import dev.strata.blockfile.BlockfileEntry;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.BlockfileWriter;
import dev.strata.blockfile.ValueType;
import dev.strata.ivf.ClusterSegment;
import dev.strata.ivf.ClusteredIndex;
import dev.strata.ivf.IndexUpdate;
import dev.strata.ivf.IvfParams;
import dev.strata.ivf.SegmentFiles;
import dev.strata.storage.BlockCache;
import dev.strata.storage.Futures;
import dev.strata.storage.ObjectLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.roaringbitmap.RoaringBitmap;

/**
 * Writes the next version of a collection from the previous one and the net record changes of the log
 * since it: every blockfile is forked copy-on-write (only the blocks a change falls into are rewritten;
 * a blockfile nothing touched keeps its root), and the vector index is updated incrementally on a
 * private copy (add new, replace changed embeddings, mark removed ones deleted; never rebuilt), then
 * saved as a new index file. Writes files only: the manifest it returns is for the caller to put.
 */
public final class VersionWriter {

    /**
     * Platform threads for index builds: a build spends seconds inside native inserts, which would pin a
     * virtual thread's carrier and starve the server's request threads.
     */
    private static final ExecutorService INDEX_BUILDERS = Executors.newCachedThreadPool(ThreadPriority.lowered(
            Thread.ofPlatform().daemon().name("strata-index-build-", 0).factory(), ThreadPriority.MAINTENANCE));

    /**
     * Threads that encode and commit a version's blockfiles, at maintenance priority like the rest of a compaction:
     * on the common pool, block encoding (a compaction's main CPU cost besides the index) ran at whatever priority the
     * pool's threads inherited from the thread that started them, shared them with every parallel stream, and no
     * thread name said whose CPU it was.
     */
    private static final ExecutorService BLOCK_WRITERS = Executors.newCachedThreadPool(ThreadPriority.lowered(
            Thread.ofPlatform().daemon().name("strata-block-write-", 0).factory(), ThreadPriority.MAINTENANCE));

    /** Deleted share of an HNSW graph's elements above which compaction rebuilds it. */
    static final double MAX_DELETED_FRACTION = 0.5;

    private final BlockCache cache;
    private final VectorIndexes indexes;
    private final long targetBlockBytes;

    /**
     * The record fields a query returns for its k answers, read one block per answer at random offsets, and the
     * id map that gets and writes look ids up in: their blocks are cut smaller (a cold query's 10 answers read
     * 10 small blocks per field, not 10 MiB; a compaction appending ids rewrites a small last block, not a MiB
     * one: a third of the bytes written by a 1M ingest went to rewriting the two id files' last blocks), at the
     * cost of more blocks (their roots grow; a scan of every record costs more, parallel, requests).
     */
    static final Set<String> ANSWER_FIELDS = Set.of(SegmentParts.IDS, SegmentParts.OFFSET_IDS, SegmentParts.DOCUMENTS,
            SegmentParts.METADATA, SegmentParts.URIS);
    static final int ANSWER_FIELD_DIVISOR = 8;

    public VersionWriter(BlockCache cache, VectorIndexes indexes) {
        this(cache, indexes, BlockfileWriter.DEFAULT_TARGET_BLOCK_BYTES);
    }

    /** A writer cutting blocks of about {@code targetBlockBytes} (small blocks: cheaper small updates, more GETs). */
    public VersionWriter(BlockCache cache, VectorIndexes indexes, long targetBlockBytes) {
        this.cache = cache;
        this.indexes = indexes;
        this.targetBlockBytes = targetBlockBytes;
    }

    /**
     * A written version: its manifest (not yet stored), the index file it published, if a new one, and the
     * previous version's blockfile objects (roots and blocks) it no longer names.
     */
    public record Written(VersionManifest manifest, String publishedIndexKey, List<String> supersededKeys) {

        public Written {
            supersededKeys = List.copyOf(supersededKeys);
        }
    }

    /**
     * Writes version {@code version} (its files, not its manifest).
     *
     * @param previous     the version the changes apply to; null when there is none (version 0)
     * @param firstParams  the collection's configured vector index parameters for a dimension: all of them
     *                     when this version builds the first index, else only ef_search is taken
     */
    public Written write(UUID collection, CompactedVersion previous, List<RecordChange> changes, long version,
            long logCursor, IntFunction<VectorParams> firstParams) {
        return new Run(collection, previous, firstParams).write(changes, version, logCursor);
    }

    /**
     * Drops the previous version's objects that {@code written} replaced from the block cache's memory, once
     * it has committed: they stay in the store for readers still on that version (GC removes them later),
     * but keeping them cached would fill the memory tier with blocks no new read asks for (each compaction
     * of a busy collection rewrites its index blocks).
     */
    public void forgetSuperseded(Written written) {
        written.supersededKeys().forEach(cache::forgetMemory);
    }

    /** Undoes what {@link #write} left behind in memory after the version failed to commit. */
    public void discard(UUID collection, Written written) {
        if (written.publishedIndexKey() != null) {
            indexes.discard(collection.toString(), written.publishedIndexKey());
        }
    }

    /** One version being written. */
    private final class Run {
        final UUID collection;
        final CompactedVersion previous;
        final IntFunction<VectorParams> firstParams;
        final String keyPrefix;
        final BlockfileWriter<Long> ids;
        final BlockfileWriter<String> offsetIds;
        final BlockfileWriter<String> documents;
        final BlockfileWriter<byte[]> metadata;
        final BlockfileWriter<String> uris;
        final BlockfileWriter<RoaringBitmap> index;
        final BlockfileWriter<RoaringBitmap> trigrams;
        final boolean convertTrigrams;
        final boolean convertIndex;
        Integer dimension;
        int nextOffset;
        final RoaringBitmap live;
        final Map<Posting, RoaringBitmap[]> metadataDeltas = new HashMap<>();
        final Map<Posting, RoaringBitmap[]> trigramDeltas = new HashMap<>();
        final Map<Integer, float[]> vectorAdds = new LinkedHashMap<>();
        final Set<Integer> vectorDeletes = new HashSet<>();

        Run(UUID collection, CompactedVersion previous, IntFunction<VectorParams> firstParams) {
            this.collection = collection;
            this.previous = previous;
            this.firstParams = firstParams;
            this.keyPrefix = ObjectLayout.collectionFolder(collection);
            this.ids = writer(SegmentParts.IDS, ValueType.LONG);
            this.offsetIds = writer(SegmentParts.OFFSET_IDS, ValueType.STRING);
            this.documents = writer(SegmentParts.DOCUMENTS, ValueType.STRING);
            this.metadata = writer(SegmentParts.METADATA, ValueType.BYTES);
            this.uris = writer(SegmentParts.URIS, ValueType.STRING);
            // A version of an older format keeps one bitmap per trigram or metadata value: this one rewrites them
            // per chunk (once).
            this.convertIndex = previous != null && !MetadataSegment.chunkedIndex(previous.manifest());
            this.index = (convertIndex ? BlockfileWriter.create(cache, keyPrefix, ValueType.BITMAP, targetBlockBytes)
                    : writer(SegmentParts.METADATA_INDEX, ValueType.BITMAP)).cutAt(SegmentParts.BY_CHUNK);
            this.convertTrigrams = previous != null && TrigramLayout.of(previous.manifest()).unchunked();
            this.trigrams = (convertTrigrams ? BlockfileWriter.create(cache, keyPrefix, ValueType.BITMAP, targetBlockBytes)
                    : writer(SegmentParts.TRIGRAMS, ValueType.BITMAP)).cutAt(SegmentParts.BY_CHUNK);
            this.dimension = previous == null ? null : previous.manifest().dimension();
            this.nextOffset = previous == null ? 0 : previous.manifest().nextOffset();
            this.live = previous == null ? new RoaringBitmap() : previous.liveOffsets().clone();
        }

        private <V> BlockfileWriter<V> writer(String part, ValueType<V> type) {
            String root = previous == null ? null : previous.manifest().roots().get(part);
            long target = ANSWER_FIELDS.contains(part) ? Math.max(1, targetBlockBytes / ANSWER_FIELD_DIVISOR) : targetBlockBytes;
            return root == null
                    ? BlockfileWriter.create(cache, keyPrefix, type, target)
                    : BlockfileWriter.fork(cache, root, type, target);
        }

        Written write(List<RecordChange> changes, long version, long logCursor) {
            for (RecordChange change : changes) {
                switch (change) {
                    case RecordChange.Insert i -> insert(i.record());
                    case RecordChange.Replace r -> replace(offsetOf(r.id()), r.previous(), r.record());
                    case RecordChange.Delete d -> delete(offsetOf(d.id()), d.previous());
                }
            }
            if (convertIndex) {
                try (Stream<BlockfileEntry<RoaringBitmap>> values = previous.metadataSegment().indexFile().entries()
                        .filter(e -> !e.key().prefix().equals(SegmentParts.LIVE_PREFIX))) {
                    setAll(fold(chunked(values), metadataDeltas), index);
                }
            } else {
                applyDeltas(metadataDeltas, index, previous == null ? null : previous.metadataSegment().indexFile());
            }
            TrigramLayout layout = TrigramLayout.written(nextOffset);
            if (convertTrigrams) {
                try (Stream<BlockfileEntry<RoaringBitmap>> grams = previous.metadataSegment().trigramFile()
                        .scanPrefix(SegmentParts.UNCHUNKED)) {
                    setAll(laidOut(fold(chunked(grams), trigramDeltas), layout), trigrams);
                }
            } else {
                writeTrigrams(layout);
            }
            if (previous == null || convertIndex || !live.equals(previous.liveOffsets())) {
                index.set(SegmentParts.LIVE_PREFIX, SegmentParts.LIVE_KEY, live);
            }
            Map<String, String> roots = new LinkedHashMap<>(previous == null ? Map.of() : previous.manifest().roots());
            // Vectors live only in the index segments: a format-1 version's embeddings blockfile is dropped
            // (its vectors move into segments), and the segment roots are those the index update returns.
            roots.remove(SegmentParts.EMBEDDINGS);
            roots.keySet().removeIf(part -> SegmentFiles.fileOf(part) != null);
            Map<String, BlockfileWriter<?>> writers = new LinkedHashMap<>();
            writers.put(SegmentParts.IDS, ids);
            writers.put(SegmentParts.OFFSET_IDS, offsetIds);
            writers.put(SegmentParts.DOCUMENTS, documents);
            writers.put(SegmentParts.METADATA, metadata);
            writers.put(SegmentParts.URIS, uris);
            writers.put(SegmentParts.METADATA_INDEX, index);
            writers.put(SegmentParts.TRIGRAMS, trigrams);
            // A blockfile with no change keeps its root: nothing is written for it.
            // The vector index (CPU: graph inserts) is built while the blockfiles are written (mostly I/O).
            CompletableFuture<VectorFiles> vectorIndex = CompletableFuture.supplyAsync(() -> writeIndex(version), INDEX_BUILDERS);
            List<String> superseded = new ArrayList<>();
            try {
                // Every commit is waited for even when one fails (a parallel stream rethrows while the
                // others still upload), so nothing writes after this returns or throws.
                Futures.joinAll(writers.entrySet().stream()
                                .filter(e -> e.getValue().pendingChanges() > 0 || !roots.containsKey(e.getKey())
                                        || (convertTrigrams && e.getKey().equals(SegmentParts.TRIGRAMS))
                                        || (convertIndex && e.getKey().equals(SegmentParts.METADATA_INDEX)))
                                .map(e -> CompletableFuture.supplyAsync(() -> Map.entry(e.getKey(), e.getValue().commit()),
                                        BLOCK_WRITERS))
                                .toList())
                        .forEach(e -> {
                            roots.put(e.getKey(), e.getValue().rootKey());
                            superseded.addAll(e.getValue().supersededKeys());
                        });
            } catch (RuntimeException e) {
                // Nothing is left writing when this fails: the segments it wrote are orphans for GC.
                vectorIndex.handle((built, failure) -> null).join();
                throw e;
            }
            VectorFiles vectors = Futures.join(vectorIndex);
            Map<String, Object> vector = new LinkedHashMap<>();
            if (vectors.params() != null) {
                vector.putAll(vectors.params().toMap());
                vector.put(VectorParams.INDEX, VectorParams.CLUSTERED);
                vector.put(VectorParams.SEGMENTS, vectors.segments().stream().map(SegmentFiles::id).toList());
                vectors.segments().forEach(f -> roots.putAll(f.roots()));
            }
            VersionManifest manifest = new VersionManifest(VersionManifest.FORMAT, collection, version, logCursor,
                    System.currentTimeMillis(), dimension, live.getCardinality(), nextOffset, roots, List.of(), vector,
                    openBlocks(roots, vectors));
            return new Written(manifest, null, superseded);
        }

        /**
         * The blocks every open of the new version reads (the live set, each index segment's head), named in
         * its manifest so a cold open reads them with the roots. Their roots were just written or opened: in
         * the cache.
         */
        private List<VersionManifest.OpenBlock> openBlocks(Map<String, String> roots, VectorFiles vectors) {
            List<VersionManifest.OpenBlock> out = new ArrayList<>();
            String indexRoot = roots.get(SegmentParts.METADATA_INDEX);
            if (indexRoot != null) {
                BlockfileReader<RoaringBitmap> file = BlockfileReader.open(cache, indexRoot, ValueType.BITMAP);
                if (file.blockCount() > 0) {
                    BlockAddress a = file.addressOf(file.blockIndexOf(SegmentParts.LIVE_PREFIX, SegmentParts.LIVE_KEY));
                    out.add(new VersionManifest.OpenBlock(SegmentParts.METADATA_INDEX, a.objectKey(), a.crc()));
                }
            }
            for (SegmentFiles f : vectors.segments()) {
                ClusterSegment.open(cache, f, vectors.params().ivf().space(), dimension).headBlocks().forEach((part, blocks) -> blocks.forEach(
                        a -> out.add(new VersionManifest.OpenBlock(part, a.objectKey(), a.crc()))));
            }
            return out;
        }

        private int offsetOf(String id) {
            int offset = previous == null ? -1 : previous.offsetOf(id);
            if (offset < 0) {
                throw new IllegalStateException("record " + id + " changed but version "
                        + (previous == null ? 0 : previous.version()) + " of collection " + collection + " does not hold it");
            }
            return offset;
        }

        private void insert(Record r) {
            int offset = nextOffset++;
            long key = offset;
            ids.set(RECORD_PREFIX, r.id(), key);
            offsetIds.set(RECORD_PREFIX, key, r.id());
            live.add(offset);
            replace(offset, new Record(r.id(), null, null, null, null), r);
        }

        private void delete(int offset, Record previousRecord) {
            long key = offset;
            ids.delete(RECORD_PREFIX, previousRecord.id());
            offsetIds.delete(RECORD_PREFIX, key);
            live.remove(offset);
            replace(offset, previousRecord, new Record(previousRecord.id(), null, null, null, null));
        }

        /** Writes the fields that differ between {@code before} and {@code after}, and their index changes. */
        private void replace(int offset, Record before, Record after) {
            long key = offset;
            if (!Arrays.equals(before.embedding(), after.embedding())) {
                if (after.embedding() != null) {
                    checkDimension(after.embedding().length);
                    vectorAdds.put(offset, after.embedding());
                    vectorDeletes.remove(offset);
                } else {
                    vectorAdds.remove(offset);
                    vectorDeletes.add(offset);
                }
            }
            field(documents, key, before.document(), after.document());
            field(uris, key, before.uri(), after.uri());
            if (!Objects.equals(before.metadata(), after.metadata())) {
                if (after.metadata() == null) {
                    metadata.delete(RECORD_PREFIX, key);
                } else {
                    metadata.set(RECORD_PREFIX, key, MetadataCodec.encode(after.metadata()));
                }
                delta(metadataDeltas, Posting.ofMetadata(before.metadata(), offset), Posting.ofMetadata(after.metadata(), offset),
                        offset);
            }
            if (!Objects.equals(before.document(), after.document())) {
                if (before.document() == null) {
                    // A new document (the common case): every trigram is an addition; a repeated one adds
                    // the offset to its bitmap again, which changes nothing, so no per-document set.
                    String prefix = SegmentParts.chunkPrefixOf(offset);
                    Trigrams.forEach(after.document(), t -> slot(trigramDeltas, new Posting(prefix, t))[0].add(offset));
                } else {
                    delta(trigramDeltas, Posting.ofDocument(before.document(), offset),
                            Posting.ofDocument(after.document(), offset), offset);
                }
            }
        }

        private void checkDimension(int length) {
            if (dimension == null) {
                dimension = length;
            } else if (dimension != length) {
                throw new IllegalArgumentException("embedding of dimension " + length + " in collection " + collection
                        + " whose embeddings have dimension " + dimension);
            }
        }

        private static void field(BlockfileWriter<String> file, long key, String before, String after) {
            if (!Objects.equals(before, after)) {
                if (after == null) {
                    file.delete(RECORD_PREFIX, key);
                } else {
                    file.set(RECORD_PREFIX, key, after);
                }
            }
        }

        /** Records that {@code offset} leaves the postings only {@code before} has and joins those only {@code after} has. */
        private static void delta(Map<Posting, RoaringBitmap[]> deltas, Set<Posting> before, Set<Posting> after, int offset) {
            for (Posting p : before) {
                if (!after.contains(p)) {
                    slot(deltas, p)[1].add(offset);
                }
            }
            for (Posting p : after) {
                if (!before.contains(p)) {
                    slot(deltas, p)[0].add(offset);
                }
            }
        }

        private static RoaringBitmap[] slot(Map<Posting, RoaringBitmap[]> deltas, Posting p) {
            return deltas.computeIfAbsent(p, k -> new RoaringBitmap[] {new RoaringBitmap(), new RoaringBitmap()});
        }

        /**
         * Folds this version's trigram changes (keyed by chunk) into the postings as {@code layout} keeps them. A chunk
         * whose layout changes from the previous version's (the chunk still filling once it is full: from sub-chunks to
         * one bitmap per trigram; the one a format-3 version kept whole: to sub-chunks) has its postings read, deleted
         * and written again; every other change goes to the one entry it changes.
         */
        private void writeTrigrams(TrigramLayout layout) {
            BlockfileReader<RoaringBitmap> before = previous == null ? null : previous.metadataSegment().trigramFile();
            TrigramLayout was = previous == null ? layout : TrigramLayout.of(previous.manifest());
            Set<Integer> moved = new TreeSet<>();
            if (previous != null) {
                for (int chunk : new int[] {was.openChunk(), layout.openChunk()}) {
                    if (chunk >= 0 && (long) chunk * SegmentParts.CHUNK_OFFSETS < previous.manifest().nextOffset()
                            && !was.prefixesOf(chunk).equals(layout.prefixesOf(chunk))) {
                        moved.add(chunk);
                    }
                }
            }
            Map<Posting, RoaringBitmap> relaid = new HashMap<>();
            for (int chunk : moved) {
                for (String prefix : was.prefixesOf(chunk)) {
                    try (Stream<BlockfileEntry<RoaringBitmap>> entries = before.scanPrefix(prefix)) {
                        entries.forEach(e -> {
                            relaid.computeIfAbsent(new Posting(SegmentParts.chunkPrefix(chunk), e.key().key()),
                                    k -> new RoaringBitmap()).or(e.value());
                            trigrams.delete(prefix, e.key().key());
                        });
                    }
                }
            }
            Map<Posting, RoaringBitmap[]> ofMoved = new HashMap<>();
            Map<Posting, RoaringBitmap[]> inPlace = new HashMap<>();
            trigramDeltas.forEach((p, d) -> {
                int chunk = (int) SegmentParts.chunkOfPrefix(p.prefix());
                if (moved.contains(chunk)) {
                    ofMoved.put(p, d);
                    return;
                }
                layout.split(chunk, d[0]).forEach((prefix, bits) -> slot(inPlace, new Posting(prefix, p.key()))[0].or(bits));
                layout.split(chunk, d[1]).forEach((prefix, bits) -> slot(inPlace, new Posting(prefix, p.key()))[1].or(bits));
            });
            applyDeltas(inPlace, trigrams, before);
            setAll(laidOut(fold(relaid, ofMoved), layout), trigrams);
        }

        /**
         * The postings of an index a version of an older format kept unchunked (one bitmap per entry over every
         * offset), per chunk: each entry's prefix gains its chunk's in front.
         */
        private static Map<Posting, RoaringBitmap> chunked(Stream<BlockfileEntry<RoaringBitmap>> unchunked) {
            Map<Posting, RoaringBitmap> out = new HashMap<>();
            unchunked.forEach(e -> SegmentParts.byChunk(e.value()).forEach((chunk, part) ->
                    out.put(new Posting(SegmentParts.chunkPrefix(chunk) + e.key().prefix(), e.key().key()), part)));
            return out;
        }

        /** Trigram postings keyed by chunk, with those of {@code layout}'s open chunk cut per sub-chunk. */
        private static Map<Posting, RoaringBitmap> laidOut(Map<Posting, RoaringBitmap> byChunk, TrigramLayout layout) {
            Map<Posting, RoaringBitmap> out = new HashMap<>();
            byChunk.forEach((p, bitmap) -> layout.split((int) SegmentParts.chunkOfPrefix(p.prefix()), bitmap)
                    .forEach((prefix, bits) -> out.put(new Posting(prefix, p.key()), bits)));
            return out;
        }

        /** Folds posting changes into postings held in memory (removals first); returns them. */
        private static Map<Posting, RoaringBitmap> fold(Map<Posting, RoaringBitmap> postings, Map<Posting, RoaringBitmap[]> deltas) {
            deltas.forEach((p, d) -> {
                RoaringBitmap bitmap = postings.computeIfAbsent(p, k -> new RoaringBitmap());
                bitmap.andNot(d[1]);
                bitmap.or(d[0]);
            });
            return postings;
        }

        /** Writes every non-empty posting (to a writer that holds none of them, or whose old ones were deleted). */
        private static void setAll(Map<Posting, RoaringBitmap> postings, BlockfileWriter<RoaringBitmap> out) {
            postings.forEach((p, bitmap) -> {
                if (!bitmap.isEmpty()) {
                    out.set(p.prefix(), p.key(), bitmap);
                }
            });
        }

        /** Folds the posting changes into the previous bitmaps (removals first: an offset is never in both). */
        private static void applyDeltas(Map<Posting, RoaringBitmap[]> deltas, BlockfileWriter<RoaringBitmap> out,
                BlockfileReader<RoaringBitmap> before) {
            if (before != null) {
                Map<String, List<Object>> byPrefix = new HashMap<>();
                deltas.keySet().forEach(p -> byPrefix.computeIfAbsent(p.prefix(), k -> new ArrayList<>()).add(p.key()));
                byPrefix.entrySet().parallelStream().forEach(e -> before.prefetch(e.getKey(), e.getValue()));
            }
            deltas.forEach((p, d) -> {
                RoaringBitmap bitmap = before == null ? new RoaringBitmap()
                        : before.get(p.prefix(), p.key()).orElseGet(RoaringBitmap::new);
                bitmap.andNot(d[1]);
                bitmap.or(d[0]);
                if (bitmap.isEmpty()) {
                    out.delete(p.prefix(), p.key());
                } else {
                    out.set(p.prefix(), p.key(), bitmap);
                }
            });
        }

        /**
         * Writes the index segments of the new version: a new segment for the changed vectors (or a merge the
         * policy picks), or, from a version of the first format, segments of every vector it held.
         */
        private VectorFiles writeIndex(long version) {
            if (dimension == null) {
                return new VectorFiles(List.of(), null);
            }
            VectorParams configured = firstParams.apply(dimension);
            boolean legacy = previous != null && previous.manifest().format() < 2 && previous.manifest().dimension() != null;
            // Space and dimension are fixed once the index exists; the search parameters follow the configuration.
            VectorParams params = previous != null && !previous.manifest().vector().isEmpty()
                    ? VectorParams.fromMap(previous.manifest().vector()).withSearch(configured)
                    : configured;
            IvfParams ivf = params.ivf();
            IndexUpdate update = new IndexUpdate(cache, keyPrefix, targetBlockBytes, ivf);
            RoaringBitmap removed = new RoaringBitmap();
            vectorDeletes.forEach(removed::add);
            removed.and(live);
            if (legacy) {
                RecordSegment old = previous.records();
                IndexUpdate.Result converted = update.convert(consumer -> old.forEachVector(
                        previous.liveOffsets().toArray(),
                        (offset, v) -> {
                            if (live.contains(offset) && !removed.contains(offset)) {
                                consumer.accept(offset, v.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT));
                            }
                        }), vectorAdds, version);
                return new VectorFiles(converted.segments(), params);
            }
            ClusteredIndex before = previous == null ? null : previous.clusteredIndex();
            if (before != null && vectorAdds.isEmpty() && removed.isEmpty() && live.equals(previous.liveOffsets())) {
                return new VectorFiles(before.segments().stream().map(ClusterSegment::files).toList(), params);
            }
            IndexUpdate.Result result = update.apply(before, live, vectorAdds, removed, version);
            return new VectorFiles(result.segments(), params);
        }
    }

    private record VectorFiles(List<SegmentFiles> segments, VectorParams params) {}
}
