package dev.strata.segment;

import dev.strata.ivf.ClusterSegment;
import dev.strata.ivf.ClusteredIndex;
import dev.strata.nativeio.HnswIndex;
import dev.strata.storage.FileFormat;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.strata.ivf.Nearest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import org.roaringbitmap.RoaringBitmap;

/**
 * One collection's warm accelerator: an in-memory HNSW graph over the current vectors of exactly one
 * compacted version (labels are offsets), kept on this node only and brought forward version by version.
 *
 * <p>It answers a query whole for the version it holds. While it catches up to a newer one (and before it starts
 * to), it answers for the index segments it holds whole, and the clustered index for the rest
 * ({@link #nearestCovering}); a sync holds the graph's lock for each batch of inserts, not throughout.
 * Bringing it forward adds only the
 * vectors that changed: those of index segments it has not seen whose bytes differ from what it holds (a
 * merged segment repeats vectors it already has), and marks deleted the offsets no longer live.
 */
final class WarmIndex implements AutoCloseable {

    /** Vectors handed to the native insert at once: big enough for its threads, small enough to stop soon. */
    static final int ADD_BATCH = 4096;

    private final VectorParams params;
    private final HnswIndex index;
    // Read: searches (tried, never waited for) and saves. Write: a sync's steps (a batch of inserts, the deletions,
    // the end) and close. A query tries it: while a batch is being inserted it searches the clustered index alone.
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile long version = -1;
    /**
     * The newest version whose segments' vectors the graph may hold: the graph's labels are right for any version from
     * this one on (a segment never changes, and a newer version only takes offsets away from older segments).
     */
    private volatile long reached = -1;
    /** Ids of the segments whose every current vector the graph holds (replaced whole, never changed in place). */
    private volatile Set<String> segments = Set.of();
    private volatile Coverage coverage;
    private final RoaringBitmap indexed = new RoaringBitmap();
    private volatile int size;
    private long[] hashes = new long[0];
    private boolean closed;
    // Set before close waits for the lock, so a sync in progress stops at its next vector instead of finishing.
    private volatile boolean closing;
    private volatile long lastUse = System.nanoTime();

    WarmIndex(VectorParams params) {
        this(params, HnswIndex.create(params.space(), params.dimension(), params.m(), params.efConstruction(),
                HnswIndex.DEFAULT_CAPACITY, HnswIndex.DEFAULT_SEED));
    }

    private WarmIndex(VectorParams params, HnswIndex index) {
        this.params = params;
        this.index = index;
    }

    /**
     * A snapshot's description starts with this magic ("SWG1", the version its last character). A description
     * of another magic is not loaded: the node builds the graph again, as it does without one.
     */
    private static final FileFormat SNAPSHOT = FileFormat.of("warm graph description", "SWG1", 1, 1);
    private static final int SNAPSHOT_MAGIC = SNAPSHOT.magicInt();

    /**
     * Writes the graph ({@code graphFile}) and then what it holds ({@code describeFile}: version, parameters,
     * segments, offsets and their digests, naming the graph file), so a restarted node loads it and brings it
     * forward instead of building it again. Nothing is written while it holds no version. The caller moves the
     * files into place (the description last).
     */
    boolean save(Path graphFile, Path describeFile, String graphName) throws IOException {
        // The read lock: saving only reads the graph, so searches go on; syncs and close wait for it.
        lock.readLock().lock();
        try {
            if (closed || version < 0) {
                return false;
            }
            index.save(graphFile);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(describeFile)))) {
                out.writeInt(SNAPSHOT_MAGIC);
                out.writeUTF(graphName);
                out.writeLong(version);
                out.writeUTF(params.space().name());
                out.writeInt(params.dimension());
                out.writeInt(params.m());
                out.writeInt(params.efConstruction());
                out.writeInt(params.efSearch());
                out.writeInt(params.nprobe());
                out.writeInt(segments.size());
                for (String id : segments) {
                    out.writeUTF(id);
                }
                indexed.serialize(out);
                for (int offset : indexed) {
                    out.writeLong(hashes[offset]);
                }
            }
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The graph file a saved description names, or null when there is none or it is not one. */
    static String graphNameOf(Path describeFile) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(describeFile))) {
            return in.readInt() == SNAPSHOT_MAGIC ? in.readUTF() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A graph saved by {@link #save}: its description from {@code describeFile}, its graph from the file it names
     * in {@code folder}. It holds the saved version; a sync brings it to any other.
     */
    static WarmIndex load(Path folder, Path describeFile) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(describeFile)))) {
            if (in.readInt() != SNAPSHOT_MAGIC) {
                throw new IOException("not a warm graph description: " + describeFile);
            }
            String graphName = in.readUTF();
            long version = in.readLong();
            VectorParams params = new VectorParams(dev.strata.nativeio.Space.valueOf(in.readUTF()), in.readInt(),
                    in.readInt(), in.readInt(), in.readInt(), in.readInt());
            int segmentCount = in.readInt();
            Set<String> segments = new HashSet<>();
            for (int i = 0; i < segmentCount; i++) {
                segments.add(in.readUTF());
            }
            RoaringBitmap indexed = new RoaringBitmap();
            indexed.deserialize(in);
            long[] hashes = new long[indexed.isEmpty() ? 0 : indexed.last() + 1];
            for (int offset : indexed) {
                hashes[offset] = in.readLong();
            }
            Path graph = folder.resolve(graphName);
            WarmIndex g = new WarmIndex(params, HnswFile.load(graph, graph.toString(), params.space(), params.dimension()));
            g.segments = Set.copyOf(segments);
            g.indexed.or(indexed);
            g.size = g.indexed.getCardinality();
            g.hashes = hashes;
            g.version = version;
            g.reached = version;
            return g;
        }
    }

    /** Memory one vector of these parameters takes in the graph: its floats, its level-0 links, bookkeeping. */
    static long bytesPerVector(VectorParams params) {
        return (long) params.dimension() * Float.BYTES + 2L * params.m() * Integer.BYTES + 48;
    }

    VectorParams params() {
        return params;
    }

    /** The version whose vectors it holds, -1 while it is changing or after a failed change. */
    long version() {
        return version;
    }

    long lastUse() {
        return lastUse;
    }

    /**
     * The k nearest to the query among {@code allowed} (null: all) if this holds exactly {@code atVersion}
     * and is not being changed; null otherwise. {@code live} is that version's live set.
     */
    List<VersionView.Neighbor> nearest(long atVersion, float[] query, int k, RoaringBitmap allowed, RoaringBitmap live) {
        if (version != atVersion || !lock.readLock().tryLock()) {
            return null;
        }
        try {
            if (closed || version != atVersion) {
                return null;
            }
            lastUse = System.nanoTime();
            int limit = Math.min(k, Math.max(1, indexed.getCardinality()));
            return VectorSegment.searchGraph(index, query, limit, allowed, live);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The k nearest among {@code allowed} (null: all) at {@code atVersion}, whose clustered index and live set are
     * given, while the graph holds only some of its segments (it is catching up to it, or to an older version): the
     * graph answers for the segments it holds whole, the clustered index for the others, and the two are merged.
     * Null when the graph can hold no vector of this version, or is inserting vectors at this moment.
     */
    List<VersionView.Neighbor> nearestCovering(long atVersion, ClusteredIndex clustered, RoaringBitmap live, float[] query,
            int k, RoaringBitmap allowed) {
        if (reached < 0 || atVersion < reached || closed) {
            return null; // labels of segments newer than atVersion may have been inserted: not right for it
        }
        if (!lock.readLock().tryLock()) {
            return null;
        }
        List<VersionView.Neighbor> fromGraph;
        Coverage c;
        try {
            if (closed || atVersion < reached) {
                return null;
            }
            c = coverage(atVersion, clustered);
            if (c.graphPart().isEmpty()) {
                return null;
            }
            lastUse = System.nanoTime();
            RoaringBitmap inGraph = allowed == null ? c.graphPart() : RoaringBitmap.and(c.graphPart(), allowed);
            int limit = Math.min(k, inGraph.getCardinality());
            fromGraph = limit == 0 ? List.of() : VectorSegment.searchGraph(index, query, limit, inGraph, live);
        } finally {
            lock.readLock().unlock();
        }
        Nearest rest = clustered.nearest(query, k, allowed, c.inGraph());
        return merge(fromGraph, rest, k);
    }

    /** The nearest k of both answers (an offset is in one of them only: the graph's part and the rest are disjoint). */
    private static List<VersionView.Neighbor> merge(List<VersionView.Neighbor> graph, Nearest rest, int k) {
        List<VersionView.Neighbor> out = new ArrayList<>(Math.min(k, graph.size() + rest.size()));
        int g = 0;
        int r = 0;
        while (out.size() < k && (g < graph.size() || r < rest.size())) {
            if (r >= rest.size() || (g < graph.size() && graph.get(g).distance() <= rest.distances()[r])) {
                out.add(graph.get(g++));
            } else {
                out.add(new VersionView.Neighbor(rest.offsets()[r], rest.distances()[r]));
                r++;
            }
        }
        return out;
    }

    /**
     * Which of a version's segments the graph holds, and their current vectors: computed once per version and state of
     * the graph (a sync replaces {@link #segments} as each segment completes).
     */
    private record Coverage(long version, Set<String> held, BitSet inGraph, RoaringBitmap graphPart) {}

    private Coverage coverage(long atVersion, ClusteredIndex clustered) {
        Set<String> held = segments;
        Coverage c = coverage;
        if (c != null && c.version() == atVersion && c.held() == held) {
            return c;
        }
        BitSet inGraph = new BitSet();
        RoaringBitmap graphPart = new RoaringBitmap();
        List<ClusterSegment> all = clustered.segments();
        for (int i = 0; i < all.size(); i++) {
            if (held.contains(all.get(i).files().id())) {
                inGraph.set(i);
                graphPart.or(clustered.mask(i));
            }
        }
        c = new Coverage(atVersion, held, inGraph, graphPart);
        coverage = c;
        return c;
    }

    /**
     * Brings the graph to {@code toVersion}, whose ef_search, clustered index and live set are given; returns how many
     * vectors it inserted. {@code stop} is polled between batches: when it says so, this returns early and
     * the graph holds no whole version (queries still use the segments it holds whole, {@link #nearestCovering}).
     * The write lock is held for each batch of inserts (the native insert spreads a batch over the cores), not for
     * the whole sync, so queries search the graph while the next batch is read. A failure leaves it holding no
     * version (the caller drops it).
     */
    int sync(long toVersion, int efSearch, ClusteredIndex clustered, RoaringBitmap live, BooleanSupplier stop) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return 0;
            }
            version = -1;
            reached = Math.max(reached, toVersion);
            // The version's ef_search (a modify may have changed it); hnswlib searches with max(ef, k).
            index.setEf(efSearch);
            RoaringBitmap gone = RoaringBitmap.andNot(indexed, live);
            if (!gone.isEmpty()) {
                index.markDeleted(Arrays.stream(gone.toArray()).asLongStream().toArray());
                indexed.andNot(gone);
                size = indexed.getCardinality();
            }
        } finally {
            lock.writeLock().unlock();
        }
        int[] added = {0};
        try (Batch batch = new Batch(params.dimension())) {
            return bringForward(toVersion, clustered, stop, batch, added);
        } catch (Stopped e) {
            return added[0]; // holds no whole version: a later sync completes it
        }
    }

    /** Inserts what the version has and the graph lacks, segment by segment; then the graph holds the version. */
    private int bringForward(long toVersion, ClusteredIndex clustered, BooleanSupplier stop, Batch batch, int[] added) {
        List<ClusterSegment> all = clustered.segments();
        Set<String> seen = new HashSet<>();
        RoaringBitmap current = new RoaringBitmap();
        for (int i = 0; i < all.size(); i++) {
            String id = all.get(i).files().id();
            seen.add(id);
            current.or(clustered.mask(i));
            if (segments.contains(id)) {
                continue; // its vectors are in already, and a segment never changes
            }
            all.get(i).forEachVector(clustered.mask(i), (offset, v) -> {
                if (closing || stop.getAsBoolean()) {
                    throw new Stopped();
                }
                added[0] += offer(batch, offset, v);
            });
            added[0] += batch.flushInto(this);
            Set<String> held = new HashSet<>(segments);
            held.add(id);
            segments = Set.copyOf(held); // queries now search this segment's vectors in the graph
        }
        // Any current vector still missing (none is expected: a vector that changes moves to a new
        // segment) is read by offset, so the graph always matches the version whatever the history.
        RoaringBitmap missing = RoaringBitmap.andNot(current, indexed);
        if (!missing.isEmpty()) {
            int[] offsets = missing.toArray();
            float[][] vectors = clustered.vectors(offsets);
            for (int j = 0; j < offsets.length; j++) {
                if (vectors[j] != null) {
                    added[0] += offer(batch, offsets[j], MemorySegment.ofArray(vectors[j]));
                }
            }
            added[0] += batch.flushInto(this);
        }
        lock.writeLock().lock();
        try {
            if (closed) {
                return added[0];
            }
            segments = Set.copyOf(seen);
            // Deleted and replaced elements stay in the graph as routing nodes; past this share it is rebuilt.
            index.compact(VersionWriter.MAX_DELETED_FRACTION);
            version = toVersion;
        } finally {
            lock.writeLock().unlock();
        }
        return added[0];
    }

    /** Queues the vector unless the graph already holds these exact bytes at this offset; returns vectors flushed. */
    private int offer(Batch batch, int offset, MemorySegment vector) {
        long hash = hash(vector);
        if (indexed.contains(offset) && offset < hashes.length && hashes[offset] == hash) {
            return 0;
        }
        return batch.add(offset, vector, hash) ? batch.flushInto(this) : 0;
    }

    /** Inserts staged vectors; only then are their digests recorded, so a stopped sync leaves none stale. */
    private void insert(long[] labels, long[] digests, MemorySegment rows, int n) {
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new Stopped();
            }
            index.add(n == labels.length ? labels : Arrays.copyOf(labels, n), rows);
            for (int i = 0; i < n; i++) {
                int offset = (int) labels[i];
                if (offset >= hashes.length) {
                    hashes = Arrays.copyOf(hashes, Math.max(offset + 1, hashes.length * 2));
                }
                hashes[offset] = digests[i];
                indexed.add(offset);
            }
            size = indexed.getCardinality();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A 64-bit digest of a vector's bytes: equal vectors, equal digests; a change shows with near certainty. */
    static long hash(MemorySegment v) {
        long h = 0x9E3779B97F4A7C15L;
        long size = v.byteSize();
        long i = 0;
        for (; i + Long.BYTES <= size; i += Long.BYTES) {
            h = (h ^ v.get(ValueLayout.JAVA_LONG_UNALIGNED, i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        for (; i < size; i++) {
            h = (h ^ v.get(ValueLayout.JAVA_BYTE, i)) * 0x94D049BB133111EBL;
        }
        return h ^ (h >>> 29);
    }

    /** Estimated memory the graph takes. */
    long bytes() {
        return (long) size() * bytesPerVector(params);
    }

    /** Vectors held in the graph. */
    int size() {
        return size;
    }

    /** Ends a sync early (thrown through the segment's vector walk). */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    @Override
    public void close() {
        closing = true;
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                version = -1;
                index.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Vectors staged off-heap for one native insert. */
    private static final class Batch implements AutoCloseable {
        private final Arena arena = Arena.ofConfined();
        private final int dim;
        private final MemorySegment rows;
        private final long[] labels = new long[ADD_BATCH];
        private final long[] digests = new long[ADD_BATCH];
        private int n;

        Batch(int dim) {
            this.dim = dim;
            this.rows = arena.allocate(ValueLayout.JAVA_FLOAT, (long) ADD_BATCH * dim);
        }

        /** Stages one vector; true when the batch is full. */
        boolean add(int offset, MemorySegment vector, long digest) {
            MemorySegment.copy(vector, 0, rows, (long) n * dim * Float.BYTES, (long) dim * Float.BYTES);
            digests[n] = digest;
            labels[n++] = offset;
            return n == ADD_BATCH;
        }

        int flushInto(WarmIndex target) {
            int flushed = n;
            if (n > 0) {
                target.insert(labels, digests, rows, n);
                n = 0;
            }
            return flushed;
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
