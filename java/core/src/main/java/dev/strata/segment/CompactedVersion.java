package dev.strata.segment;

import dev.strata.blockfile.BlockAddress;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.filter.DocumentFilter;
import dev.strata.filter.MetadataFilter;
import dev.strata.ivf.ClusterSegment;
import dev.strata.ivf.ClusteredIndex;
import dev.strata.ivf.Nearest;
import dev.strata.ivf.SegmentFiles;
import dev.strata.nativeio.HnswIndex;
import dev.strata.storage.BlockCache;
import dev.strata.storage.Futures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.roaringbitmap.RoaringBitmap;

/**
 * A compacted version opened for reading: its record, metadata and vector segments, pinned (for GC)
 * from open to {@link #close()}. Immutable apart from the pin; thread-safe.
 */
public final class CompactedVersion implements VersionView {

    private final VersionManifest manifest;
    private final RecordSegment records;
    private final MetadataSegment metadata;
    private final VectorSegment vectors;
    private final ClusteredIndex clustered;
    private final VectorIndexes indexes;
    private final WarmIndexes warm;
    private final String indexKey;
    private final VersionPins.Pin pin;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CompactedVersion(VersionManifest manifest, RecordSegment records, MetadataSegment metadata,
            VectorSegment vectors, ClusteredIndex clustered, VectorIndexes indexes, WarmIndexes warm, String indexKey,
            VersionPins.Pin pin) {
        this.manifest = manifest;
        this.records = records;
        this.metadata = metadata;
        this.vectors = vectors;
        this.clustered = clustered;
        this.indexes = indexes;
        this.warm = warm;
        this.indexKey = indexKey;
        this.pin = pin;
    }

    /**
     * Opens the version a manifest describes: pins it, opens its blockfile roots, and acquires its
     * vector index (loaded once per node and shared).
     */
    public static CompactedVersion open(BlockCache cache, VectorIndexes indexes, VersionPins pins, VersionManifest manifest) {
        return open(cache, indexes, pins, manifest, null);
    }

    /**
     * As {@link #open(BlockCache, VectorIndexes, VersionPins, VersionManifest)}, and offers the version to the
     * node's warm graphs (null: none), which then build or bring forward its collection's graph in the background.
     */
    public static CompactedVersion open(BlockCache cache, VectorIndexes indexes, VersionPins pins, VersionManifest manifest,
            WarmIndexes warm) {
        VersionPins.Pin pin = pins.pin(manifest.collection(), manifest.version());
        String indexKey = manifest.indexFiles().isEmpty() ? null : manifest.indexFiles().getFirst();
        Future<HnswIndex> index = null;
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            // A cold open costs one round trip for every root together, the index download alongside.
            if (indexKey != null) {
                VectorParams params = VectorParams.fromMap(manifest.vector());
                index = io.submit(() -> indexes.acquire(manifest.collection().toString(), indexKey, params));
            }
            List<Future<?>> roots = new ArrayList<>();
            manifest.roots().forEach((part, root) -> {
                ValueType<?> type = SegmentParts.type(part, manifest.dimension());
                if (type != null) {
                    roots.add(io.submit(() -> BlockfileReader.open(cache, root, type)));
                } else if (SegmentFiles.isPostings(part)) {
                    roots.add(io.submit(() -> BlockfileReader.open(cache, root)));
                }
            });
            // The blocks the manifest names (live set, index segment heads) are read alongside the roots:
            // a cold open then reads them in the roots' round trip, not in one after it.
            for (VersionManifest.OpenBlock b : manifest.openBlocks()) {
                ValueType<?> type = SegmentParts.type(b.part(), manifest.dimension());
                if (type != null) {
                    roots.add(io.submit(() -> BlockfileReader.preload(cache, new BlockAddress(b.key(), b.crc()), type)));
                }
            }
            for (Future<?> root : roots) {
                await(root);
            }
            // Heads a manifest did not name (older versions) load alongside the live set: one round trip.
            List<SegmentFiles> segmentFiles = manifest.segmentIds().stream().map(id -> SegmentFiles.of(id, manifest.roots())).toList();
            VectorParams params = index != null || !manifest.vector().isEmpty() ? VectorParams.fromMap(manifest.vector()) : null;
            List<ClusterSegment> segments = segmentFiles.stream()
                    .map(f -> ClusterSegment.open(cache, f, params.ivf().space(), manifest.dimension())).toList();
            List<Future<?>> heads = segments.stream().<Future<?>>map(s -> io.submit(s::loadHeadBlocks)).toList();
            RecordSegment records = new RecordSegment(cache, manifest);
            MetadataSegment metadata = new MetadataSegment(cache, manifest, records);
            heads.forEach(CompactedVersion::await);
            VectorSegment vectors = index == null ? null : new VectorSegment(params, await(index), records, metadata.live());
            ClusteredIndex clustered = manifest.format() >= 2 && manifest.dimension() != null && params != null
                    ? ClusteredIndex.open(params.ivf(), segments, metadata.live())
                    : null;
            if (clustered != null && warm != null) {
                warm.offer(manifest.collection(), manifest.version(), params, clustered, metadata.live());
            }
            return new CompactedVersion(manifest, records, metadata, vectors, clustered, indexes, warm, indexKey, pin);
        } catch (RuntimeException e) {
            if (index != null) {
                releaseWhenLoaded(indexes, indexKey, index);
            }
            pin.close();
            throw e;
        }
    }

    private static <T> T await(Future<T> f) {
        return Futures.await(f, "opening a version");
    }

    private static void releaseWhenLoaded(VectorIndexes indexes, String indexKey, Future<HnswIndex> index) {
        try {
            index.get();
            indexes.release(indexKey);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // the load failed: nothing was acquired
        }
    }

    public VersionManifest manifest() {
        return manifest;
    }

    public UUID collection() {
        return manifest.collection();
    }

    @Override
    public long version() {
        return manifest.version();
    }

    @Override
    public long logCursor() {
        return manifest.logCursor();
    }

    @Override
    public int count() {
        return manifest.count();
    }

    @Override
    public int offsetOf(String id) {
        return records.offsetOf(id);
    }

    @Override
    public RoaringBitmap liveOffsets() {
        return metadata.live();
    }

    @Override
    public RoaringBitmap matching(MetadataFilter where, DocumentFilter whereDocument) {
        return metadata.matching(where, whereDocument);
    }

    @Override
    public List<Record> read(int[] offsets, Fields fields) {
        if (clustered == null || !fields.embedding()) {
            return records.read(offsets, fields);
        }
        // Vectors are stored once, in the index segments: read them alongside the other fields.
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<float[][]> embeddings = io.submit(() -> clustered.vectors(offsets));
            List<Record> read = records.read(offsets, fields);
            float[][] vs = await(embeddings);
            List<Record> out = new ArrayList<>(read.size());
            for (int i = 0; i < read.size(); i++) {
                Record r = read.get(i);
                out.add(new Record(r.id(), vs[i], r.document(), r.metadata(), r.uri()));
            }
            return out;
        }
    }

    @Override
    public List<Neighbor> nearest(float[] query, int k, RoaringBitmap allowed) {
        if (clustered != null) {
            if (warm != null && query.length == manifest.dimension() && k >= 1
                    && (allowed == null || !clustered.answersExactly(allowed.getCardinality(), k))) {
                // A warm graph of exactly this version answers in microseconds; without one, the clustered index.
                List<Neighbor> fromGraph = warm.nearest(manifest.collection(), manifest.version(), query, k, allowed,
                        metadata.live());
                if (fromGraph != null) {
                    return fromGraph;
                }
                // The graph is catching up (right after a compaction, or a bulk load): it answers for the segments
                // it holds, the clustered index for the newer ones.
                List<Neighbor> covering = warm.nearestCovering(manifest.collection(), manifest.version(), clustered,
                        metadata.live(), query, k, allowed);
                if (covering != null) {
                    return covering;
                }
            }
            Nearest n = clustered.nearest(query, k, allowed);
            List<Neighbor> out = new ArrayList<>(n.size());
            for (int i = 0; i < n.size(); i++) {
                out.add(new Neighbor(n.offsets()[i], n.distances()[i]));
            }
            return out;
        }
        if (vectors == null) {
            return List.of();
        }
        return vectors.nearest(query, k, allowed);
    }

    /**
     * Loads into the cache, in parallel, the blocks that reading these ids' full records will need, so a
     * compaction looking up a batch of ids pays a few round trips instead of several per id.
     */
    public void prefetch(Collection<String> ids) {
        records.prefetchRecords(ids);
    }

    /** Whether a kNN among this many allowed records is answered by exact distances rather than HNSW. */
    public boolean answersExactly(int allowedCount, int k) {
        if (clustered != null) {
            return clustered.answersExactly(allowedCount, k);
        }
        return vectors != null && vectors.useBruteForce(allowedCount, k);
    }

    /** The clustered index (null for a version of the first format, or one without vectors). */
    ClusteredIndex clusteredIndex() {
        return clustered;
    }

    RecordSegment records() {
        return records;
    }

    MetadataSegment metadataSegment() {
        return metadata;
    }

    String indexKey() {
        return indexKey;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (indexKey != null) {
                indexes.release(indexKey);
            }
            pin.close();
        }
    }
}
