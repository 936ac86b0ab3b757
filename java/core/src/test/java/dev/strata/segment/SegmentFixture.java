package dev.strata.segment;

import org.roaringbitmap.RoaringBitmap;
import java.util.function.Predicate;
import java.util.Set;
import java.util.HashSet;
import dev.strata.blockfile.ValueType;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.BlockKey;
import dev.strata.nativeio.Space;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import dev.strata.storage.ObjectStore;
import dev.strata.testing.FaultyStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * One collection's versions written straight from record changes (no log, no catalog), over a local
 * folder. Keeps the latest version open and the records it should hold, by id.
 */
final class SegmentFixture implements AutoCloseable {

    final UUID collection = UUID.randomUUID();
    final FaultyStore store;
    final BlockCache cache;
    final VectorIndexes indexes;
    final VersionPins pins = new VersionPins();
    final CompactedVersions versions;
    final WarmIndexes warm;
    final VersionWriter writer;
    final Space space;
    final Map<String, Record> expected = new LinkedHashMap<>();
    private final List<CompactedVersion> opened = new ArrayList<>();
    CompactedVersion current;
    /** What the last {@link #write} produced. */
    VersionWriter.Written lastWritten;

    SegmentFixture(Path dir, Space space, long targetBlockBytes) {
        this(dir, space, targetBlockBytes, 0);
    }

    /** {@code warmBytes}: budget of the in-memory graphs every opened version is offered to (0: none). */
    SegmentFixture(Path dir, Space space, long targetBlockBytes, long warmBytes) {
        this(dir, space, targetBlockBytes, warmBytes, 0);
    }

    /** As above, a collection's first graph built {@code firstBuildDelayMs} after its version opened. */
    SegmentFixture(Path dir, Space space, long targetBlockBytes, long warmBytes, long firstBuildDelayMs) {
        this.store = new FaultyStore(new LocalObjectStore(dir.resolve("objects")));
        this.cache = new BlockCache(store, 64L << 20);
        this.indexes = new VectorIndexes(store, dir.resolve("cache").resolve("hnsw"));
        this.warm = new WarmIndexes(warmBytes, firstBuildDelayMs);
        this.versions = new CompactedVersions(cache, indexes, pins, warm);
        this.writer = new VersionWriter(cache, indexes, targetBlockBytes);
        this.space = space;
    }

    SegmentFixture(Path dir) {
        this(dir, Space.L2, 1 << 20);
    }

    /** Applies these batches to the current version and opens the version written from them. */
    CompactedVersion apply(List<LogBatch> batches) {
        List<RecordChange> changes = LogMaterializer.materialize(
                current == null ? id -> null : current::read, batches);
        return write(changes);
    }

    CompactedVersion apply(LogBatch... batches) {
        return apply(List.of(batches));
    }

    CompactedVersion write(List<RecordChange> changes) {
        long version = current == null ? 1 : current.version() + 1;
        VersionWriter.Written w = writer.write(collection, current, changes, version, version * 10,
                d -> new VectorParams(space, d, 16, 100, 100));
        store.putIfAbsent(w.manifest().objectKey(), w.manifest().encode());
        lastWritten = w;
        for (RecordChange c : changes) {
            switch (c) {
                case RecordChange.Insert i -> expected.put(i.id(), i.record());
                case RecordChange.Replace r -> expected.put(r.id(), r.record());
                case RecordChange.Delete d -> expected.remove(d.id());
            }
        }
        current = versions.open(w.manifest().objectKey());
        opened.add(current);
        return current;
    }

    /** ADD of records r{from} .. r{to - 1}, each with a document and the given embedding and metadata. */
    static LogBatch adds(int from, int to, IntFunction<float[]> embedding, IntFunction<Map<String, Object>> metadata) {
        List<String> ids = new ArrayList<>();
        float[][] e = new float[to - from][];
        List<String> docs = new ArrayList<>();
        List<Map<String, Object>> metas = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("r" + i);
            e[i - from] = embedding.apply(i);
            docs.add("record " + i + " says hello");
            metas.add(metadata.apply(i));
        }
        return new LogBatch(LogOperation.ADD, ids, e, docs, metas, null);
    }

    /** A 4-dimensional embedding that differs by seed: for tests whose records need one but not a particular one. */
    static float[] smallVector(int seed) {
        float[] v = new float[4];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(seed * 17 + i);
        }
        return v;
    }

    /** The blockfile of an inverted index part ({@link SegmentParts#METADATA_INDEX}, {@link SegmentParts#TRIGRAMS}). */
    BlockfileReader<RoaringBitmap> bitmaps(CompactedVersion v, String part) {
        return BlockfileReader.open(cache, v.manifest().roots().get(part), ValueType.BITMAP);
    }

    /** The object keys of the blocks whose first key's prefix passes {@code prefix}. */
    static Set<String> blocksStartingIn(BlockfileReader<?> file, Predicate<String> prefix) {
        Set<String> out = new HashSet<>();
        List<BlockKey> firstKeys = file.blockFirstKeys();
        for (int b = 0; b < firstKeys.size(); b++) {
            if (prefix.test(firstKeys.get(b).prefix())) {
                out.add(file.blockKeys().get(b));
            }
        }
        return out;
    }

    /** Every record of a version, by id, read through offsetOf and read. */
    static Map<String, Record> readAll(VersionView v) {
        Map<String, Record> out = new LinkedHashMap<>();
        int[] offsets = v.liveOffsets().toArray();
        for (Record r : v.read(offsets, VersionView.Fields.ALL)) {
            out.put(r.id(), r);
        }
        return out;
    }

    @Override
    public void close() {
        opened.forEach(CompactedVersion::close);
        warm.close();
        indexes.close();
        cache.close();
        store.close();
    }
}
