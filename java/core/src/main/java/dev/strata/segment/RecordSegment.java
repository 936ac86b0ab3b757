package dev.strata.segment;

import static dev.strata.segment.SegmentParts.RECORD_PREFIX;

import dev.strata.blockfile.Block;
import dev.strata.blockfile.BlockKey;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.storage.BlockCache;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.Futures;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The record segment of a version: one blockfile per field, keyed by offset id, plus the id → offset
 * map. A read loads only the blocks of the fields asked for, each field's blocks in parallel.
 */
final class RecordSegment {

    private final BlockfileReader<Long> ids;
    private final BlockfileReader<String> offsetIds;
    private final BlockfileReader<float[]> embeddings;
    private final BlockfileReader<String> documents;
    private final BlockfileReader<byte[]> metadata;
    private final BlockfileReader<String> uris;

    RecordSegment(BlockCache cache, VersionManifest manifest) {
        this.ids = BlockfileReader.open(cache, root(manifest, SegmentParts.IDS), ValueType.LONG);
        this.offsetIds = BlockfileReader.open(cache, root(manifest, SegmentParts.OFFSET_IDS), ValueType.STRING);
        this.documents = BlockfileReader.open(cache, root(manifest, SegmentParts.DOCUMENTS), ValueType.STRING);
        this.metadata = BlockfileReader.open(cache, root(manifest, SegmentParts.METADATA), ValueType.BYTES);
        this.uris = BlockfileReader.open(cache, root(manifest, SegmentParts.URIS), ValueType.STRING);
        String embeddingRoot = manifest.roots().get(SegmentParts.EMBEDDINGS);
        this.embeddings = embeddingRoot == null || manifest.dimension() == null
                ? null
                : BlockfileReader.open(cache, embeddingRoot, ValueType.floatVector(manifest.dimension()));
    }

    static String root(VersionManifest manifest, String part) {
        String key = manifest.roots().get(part);
        if (key == null) {
            throw new CorruptObjectException(manifest.objectKey(), "version manifest names no " + part + " blockfile");
        }
        return key;
    }

    int offsetOf(String id) {
        return ids.get(RECORD_PREFIX, id).map(Long::intValue).orElse(-1);
    }

    List<Record> read(int[] offsets, VersionView.Fields fields) {
        long[] keys = new long[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            keys[i] = offsets[i];
        }
        boolean withEmbeddings = fields.embedding() && embeddings != null;
        // One pass per field over the keys: a warm read of a query's records costs a block lookup and a row
        // search per (field, record), and no Optional, boxed key or capturing lambda for each. Only when a block
        // is not in memory are the fields' blocks fetched together (one round trip) and the missing fields read.
        List<String> recordIds = offsetIds.getAllIfCached(RECORD_PREFIX, keys);
        List<String> docs = fields.document() ? documents.getAllIfCached(RECORD_PREFIX, keys) : null;
        List<byte[]> metas = fields.metadata() ? metadata.getAllIfCached(RECORD_PREFIX, keys) : null;
        List<String> uriValues = fields.uri() ? uris.getAllIfCached(RECORD_PREFIX, keys) : null;
        if (recordIds == null || (fields.document() && docs == null) || (fields.metadata() && metas == null)
                || (fields.uri() && uriValues == null) || (withEmbeddings && !embeddings.allCached(RECORD_PREFIX, keys))) {
            List<BlockfileReader<?>> needed = new ArrayList<>(5);
            needed.add(offsetIds);
            if (withEmbeddings) {
                needed.add(embeddings);
            }
            if (fields.document()) {
                needed.add(documents);
            }
            if (fields.metadata()) {
                needed.add(metadata);
            }
            if (fields.uri()) {
                needed.add(uris);
            }
            prefetchAll(needed, keys); // skips the files whose blocks are all in memory
            recordIds = recordIds != null ? recordIds : offsetIds.getAll(RECORD_PREFIX, keys);
            docs = !fields.document() || docs != null ? docs : documents.getAll(RECORD_PREFIX, keys);
            metas = !fields.metadata() || metas != null ? metas : metadata.getAll(RECORD_PREFIX, keys);
            uriValues = !fields.uri() || uriValues != null ? uriValues : uris.getAll(RECORD_PREFIX, keys);
        }
        List<Record> out = new ArrayList<>(offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            String id = recordIds.get(i);
            if (id == null) {
                throw new IllegalArgumentException("offset " + offsets[i] + " is not a record of this version");
            }
            byte[] meta = metas == null ? null : metas.get(i);
            out.add(new Record(id,
                    fields.embedding() ? embedding(offsets[i]) : null,
                    docs == null ? null : docs.get(i),
                    meta == null ? null : MetadataCodec.decode(meta, metadata.rootKey()),
                    uriValues == null ? null : uriValues.get(i)));
        }
        return out;
    }

    /** Prefetches the id blocks of these ids, then every field block of the offsets they map to. */
    void prefetchRecords(Collection<String> userIds) {
        ids.prefetch(RECORD_PREFIX, userIds);
        long[] keys = userIds.stream().map(id -> ids.get(RECORD_PREFIX, id)).flatMap(Optional::stream)
                .mapToLong(Long::longValue).toArray();
        if (keys.length == 0) {
            return;
        }
        prefetchAll(Stream.<BlockfileReader<?>>of(offsetIds, embeddings, documents, metadata, uris).filter(Objects::nonNull).toList(),
                keys);
    }

    /**
     * Loads the blocks of these keys in every one of these blockfiles, all at once: one round trip on a
     * cold cache. (A parallel stream ran only as many fields at a time as the machine has cores, so a cold
     * read on 2 cores paid a second round trip for its third field.)
     */
    private static void prefetchAll(List<BlockfileReader<?>> files, long[] keys) {
        // Files whose blocks are all in memory are skipped, so a warm read starts no threads (as loadBlocks).
        List<BlockfileReader<?>> cold = new ArrayList<>(0);
        for (BlockfileReader<?> f : files) {
            if (!f.allCached(RECORD_PREFIX, keys)) {
                cold.add(f);
            }
        }
        if (cold.isEmpty()) {
            return;
        }
        List<Long> boxed = LongStream.of(keys).boxed().toList();
        if (cold.size() == 1) {
            cold.getFirst().prefetch(RECORD_PREFIX, boxed);
            return;
        }
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            cold.stream().map(f -> io.submit(() -> f.prefetch(RECORD_PREFIX, boxed))).toList()
                    .forEach(f -> Futures.await(f, "reading record fields"));
        }
    }

    /** The embedding of an offset as a fresh array, or null when the record has none. */
    float[] embedding(int offset) {
        float[][] out = new float[1][];
        if (embeddings != null) {
            embeddings.withVector(RECORD_PREFIX, (long) offset, v -> out[0] = v.toArray(ValueLayout.JAVA_FLOAT));
        }
        return out[0];
    }

    /** Receives an offset's embedding in its block's memory, valid during the call only. */
    interface VectorSink {
        void accept(int offset, MemorySegment vector);
    }

    /**
     * Hands the embedding of each of these offsets (ascending) that has one to the sink, walking the
     * embedding blocks in order: one block lookup per run of offsets in the same block, not per offset.
     */
    void forEachVector(int[] sortedOffsets, VectorSink sink) {
        if (embeddings == null || embeddings.blockCount() == 0 || sortedOffsets.length == 0) {
            return;
        }
        List<Long> keys = new ArrayList<>(sortedOffsets.length);
        for (int o : sortedOffsets) {
            keys.add((long) o);
        }
        embeddings.prefetch(RECORD_PREFIX, keys);
        List<BlockKey> firstKeys = embeddings.blockFirstKeys();
        int i = 0;
        while (i < sortedOffsets.length) {
            int b = embeddings.blockIndexOf(RECORD_PREFIX, (long) sortedOffsets[i]);
            long nextFirst = b + 1 < firstKeys.size() ? firstKeys.get(b + 1).num() : Long.MAX_VALUE;
            try (Block<float[]> block = embeddings.block(b)) {
                do {
                    int row = block.find(RECORD_PREFIX, (long) sortedOffsets[i]);
                    if (row >= 0) {
                        sink.accept(sortedOffsets[i], block.vector(row));
                    }
                    i++;
                } while (i < sortedOffsets.length && sortedOffsets[i] < nextFirst);
            }
        }
    }

    /** Documents of these offsets (null where none), prefetched in parallel. */
    String[] documents(int[] offsets) {
        List<Long> keys = new ArrayList<>(offsets.length);
        for (int o : offsets) {
            keys.add((long) o);
        }
        documents.prefetch(RECORD_PREFIX, keys);
        String[] out = new String[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            out[i] = documents.get(RECORD_PREFIX, keys.get(i)).orElse(null);
        }
        return out;
    }

    BlockfileReader<String> documentsFile() {
        return documents;
    }

    BlockfileReader<Long> idsFile() {
        return ids;
    }

    BlockfileReader<String> offsetIdsFile() {
        return offsetIds;
    }

    BlockfileReader<float[]> embeddingsFile() {
        return embeddings;
    }

    BlockfileReader<byte[]> metadataFile() {
        return metadata;
    }

    BlockfileReader<String> urisFile() {
        return uris;
    }
}
