package dev.strata.segment;

import dev.strata.ivf.ClusterSegment;
import dev.strata.ivf.ClusteredIndex;
import dev.strata.nativeio.NativeMemory;
import dev.strata.platform.ThreadPriority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's warm accelerators: for each collection whose vectors fit the memory budget, an in-memory
 * HNSW graph ({@link WarmIndex}) built in the background from the blocks of the newest version opened,
 * and brought forward incrementally as newer versions open. The object store never receives a graph: with a
 * local folder, a graph is saved there when first built, at most every {@link #CHECKPOINT_INTERVAL_MS} after
 * that, and at close, and a node that starts (or restarts after a crash) loads it and brings it forward by what
 * changed since; without one, a node builds its graphs again from the blocks.
 *
 * <p>Queries never wait long for a graph: until one holds their exact version, the segments it already holds whole
 * are searched in it and the others in the clustered index (a query waits at most a few dozen inserts of a
 * sync for its turn, else the clustered index answers alone). One background thread does the building, newest version first; a graph that would
 * not fit evicts the least recently used others, and one larger than the whole budget is never built.
 */
public final class WarmIndexes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarmIndexes.class);

    /**
     * A collection's first graph is built this long after its version opened: on a node that has just started,
     * the build reads every posting block, and the first queries' own block reads go first.
     */
    public static final long FIRST_BUILD_DELAY_MS = 2_000;

    /**
     * Collections with fewer live vectors get no graph: the clustered index scans them whole (exact, with a
     * stable order among equal distances) in about the time a graph search takes.
     */
    public static final int MIN_VECTORS = 5_000;

    /**
     * A graph brought forward is saved again at most this often (the first time as soon as it is built): what a
     * crash costs is building what changed since, not the whole graph.
     */
    public static final long CHECKPOINT_INTERVAL_MS = 5 * 60_000;

    private static final String GRAPH_SUFFIX = ".graph";

    /** The name of a saved graph's description file after its collection's id. */
    private static final String DESCRIBE_SUFFIX = ".graph.describe";

    /** Time a closing node spends saving graphs (SIGTERM must end a node within 5 s). */
    static final long SAVE_BUDGET_MS = 1_500;

    private final long budgetBytes;
    private final long firstBuildDelayMs;
    private final Path folder; // snapshots of the graphs (checkpoints and at close), loaded at the next start (null: none)
    private final long checkpointIntervalMs;
    /** Each collection's last saved graph: its version, and when (by the builder thread, at load or at close). */
    private final Map<UUID, Saved> saved = new java.util.concurrent.ConcurrentHashMap<>();
    private final int minVectors;
    private final Map<UUID, WarmIndex> graphs = new HashMap<>();
    private final Map<UUID, Target> pending = new LinkedHashMap<>();
    private final ScheduledExecutorService builder;
    /** The collection whose saved graph the builder is reading (null: none), and whether it was forgotten meanwhile. */
    private UUID loading;
    private boolean loadingForgotten;
    /** The version the builder is bringing a graph to (null: none). */
    private Target syncing;
    /** Runs on the builder before it looks for a saved graph (tests hold it there). */
    private volatile Runnable beforeLoad = () -> { };
    private volatile boolean closed;
    private long built;

    /** {@code budgetBytes}: memory all graphs together may take (0: none is built). */
    public WarmIndexes(long budgetBytes) {
        this(budgetBytes, FIRST_BUILD_DELAY_MS, null, MIN_VECTORS);
    }

    /** With the delay before a collection's first build, and a graph for collections of any size (tests). */
    public WarmIndexes(long budgetBytes, long firstBuildDelayMs) {
        this(budgetBytes, firstBuildDelayMs, null, 0);
    }

    /** As above, saving graphs in {@code folder} (tests). */
    public WarmIndexes(long budgetBytes, long firstBuildDelayMs, Path folder) {
        this(budgetBytes, firstBuildDelayMs, folder, 0);
    }

    /**
     * With a local folder where the graphs are saved when the node closes, and from which a collection's graph is
     * loaded (then brought forward to the version opened) instead of being built again after a restart.
     */
    public WarmIndexes(long budgetBytes, long firstBuildDelayMs, Path folder, int minVectors) {
        this(budgetBytes, firstBuildDelayMs, folder, minVectors, CHECKPOINT_INTERVAL_MS);
    }

    /** As above, saving a graph the builder has brought forward at most every {@code checkpointIntervalMs}. */
    public WarmIndexes(long budgetBytes, long firstBuildDelayMs, Path folder, int minVectors, long checkpointIntervalMs) {
        if (budgetBytes < 0 || firstBuildDelayMs < 0) {
            throw new IllegalArgumentException("budget and delay must not be negative, got " + budgetBytes + ", " + firstBuildDelayMs);
        }
        this.budgetBytes = budgetBytes;
        this.firstBuildDelayMs = firstBuildDelayMs;
        this.folder = folder;
        this.minVectors = minVectors;
        this.checkpointIntervalMs = checkpointIntervalMs;
        // a graph build takes cores for seconds: level with the reads, which it makes fast, not above them
        this.builder = Executors.newSingleThreadScheduledExecutor(ThreadPriority.lowered(
                Thread.ofPlatform().daemon().name("strata-warm-index").factory(), ThreadPriority.MAINTENANCE));
    }

    private record Saved(long version, long atNanos) {}

    /** A version to bring a collection's graph to. */
    private record Target(UUID collection, long version, VectorParams params, ClusteredIndex index, RoaringBitmap live) {}

    /**
     * Asks for the collection's graph to hold this version (ignored when it or a pending request already
     * reaches a newer one, or when the vectors exceed the budget). Returns at once.
     */
    void offer(UUID collection, long version, VectorParams params, ClusteredIndex index, RoaringBitmap live) {
        if (budgetBytes == 0 || closed || index == null) {
            return;
        }
        if (index.liveCount() < minVectors) {
            forgetGraph(collection); // shrunk below the bound: the clustered index answers exactly
            return;
        }
        boolean first;
        synchronized (this) {
            WarmIndex g = graphs.get(collection);
            Target p = pending.get(collection);
            if ((g != null && g.version() >= version) || (p != null && p.version() >= version)) {
                return;
            }
            pending.put(collection, new Target(collection, version, params, index, live));
            Path saved = describeFile(collection);
            first = g == null && (saved == null || !Files.exists(saved)); // a saved graph loads from local disk at once
        }
        try {
            builder.schedule(this::buildNext, first ? firstBuildDelayMs : 0, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: nothing more is built
        }
    }

    /**
     * The k nearest from the collection's graph if it holds exactly {@code version} right now, else null
     * (the caller searches the clustered index).
     */
    List<VersionView.Neighbor> nearest(UUID collection, long version, float[] query, int k, RoaringBitmap allowed,
            RoaringBitmap live) {
        WarmIndex g;
        synchronized (this) {
            g = graphs.get(collection);
        }
        return g == null ? null : g.nearest(version, query, k, allowed, live);
    }

    /**
     * While the collection's graph catches up to {@code version} (or has not started to): the k nearest, the graph
     * answering for the segments it holds whole and the clustered index for the rest; null when it cannot help.
     */
    List<VersionView.Neighbor> nearestCovering(UUID collection, long version, ClusteredIndex clustered, RoaringBitmap live,
            float[] query, int k, RoaringBitmap allowed) {
        WarmIndex g;
        synchronized (this) {
            g = graphs.get(collection);
        }
        return g == null ? null : g.nearestCovering(version, clustered, live, query, k, allowed);
    }

    /**
     * How many of the collection's live vectors its graph has yet to take in to hold the newest version offered: 0
     * when it holds it, when no graph is due (graphs off, a collection under {@link #MIN_VECTORS} or over the
     * budget), or before its first build (which writers do not wait for: they start it, {@link #expedite}). Writers
     * are paced by it so that a bulk load does not end with seconds of graph building still to do.
     */
    public synchronized long lag(UUID collection) {
        Target t = pending.get(collection);
        if (t == null && syncing != null && syncing.collection().equals(collection)) {
            t = syncing;
        }
        if (t == null || bytesOf(t) > budgetBytes) {
            return 0;
        }
        WarmIndex g = graphs.get(collection);
        // A first build is not waited for (writers start it at once instead, expedite): it runs beside the load.
        return g == null ? 0 : Math.max(0, t.index().liveCount() - g.size());
    }

    /**
     * Starts the builder on pending work now rather than after {@link #FIRST_BUILD_DELAY_MS}: the collection is being
     * written, so its first build runs beside the writes instead of after them.
     */
    public void expedite(UUID collection) {
        synchronized (this) {
            // Only a first build waits for a delay; any other pending work is already queued without one.
            if (closed || !pending.containsKey(collection) || graphs.containsKey(collection)) {
                return;
            }
        }
        try {
            builder.execute(this::buildNext);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: nothing more is built
        }
    }

    /** The memory a graph of the target's live vectors takes. */
    private static long bytesOf(Target t) {
        return t.index().liveCount() * WarmIndex.bytesPerVector(t.params());
    }

    /** Something the builder runs before it reads a collection's saved graph (tests). */
    void beforeLoad(Runnable hook) {
        this.beforeLoad = hook;
    }

    /**
     * The collections with a graph saved in the folder, the most recently saved first (none without a folder): what a
     * node restarted on this folder was serving. None when graphs are off (a budget of 0): they would not be loaded.
     */
    public List<UUID> savedCollections() {
        if (folder == null || budgetBytes <= 0 || !Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(DESCRIBE_SUFFIX))
                    .sorted(Comparator.comparingLong(WarmIndexes::modifiedMillis).reversed())
                    .map(f -> collectionOf(f.getFileName().toString())).flatMap(Optional::stream).toList();
        } catch (IOException e) {
            return List.of(); // nothing to open ahead: the first queries load what they need
        }
    }

    private static long modifiedMillis(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static Optional<UUID> collectionOf(String describeFileName) {
        try {
            return Optional.of(UUID.fromString(
                    describeFileName.substring(0, describeFileName.length() - DESCRIBE_SUFFIX.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not one of ours
        }
    }

    /** Whether the collection's graph holds exactly this version now. */
    public synchronized boolean holds(UUID collection, long version) {
        WarmIndex g = graphs.get(collection);
        return g != null && g.version() == version;
    }

    /** Vectors inserted into graphs since start (a measure of the building work, for tests and metrics). */
    public synchronized long vectorsInserted() {
        return built;
    }

    /** Estimated bytes the graphs take. */
    public synchronized long bytes() {
        return graphs.values().stream().mapToLong(WarmIndex::bytes).sum();
    }

    /** Waits until no build is queued or running (for tests and benchmarks); false on timeout. */
    public boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            var probe = builder.submit(() -> { });
            try {
                probe.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return false;
            }
            synchronized (this) {
                if (pending.isEmpty()) {
                    return true;
                }
            }
            Thread.sleep(10); // a first build may still be waiting for its delay
        }
        return false;
    }

    private void buildNext() {
        try {
            buildPending();
        } finally {
            synchronized (this) {
                syncing = null;
            }
        }
    }

    private void buildPending() {
        Target t;
        WarmIndex g;
        synchronized (this) {
            if (closed || pending.isEmpty()) {
                return;
            }
            t = pending.remove(pending.keySet().iterator().next());
            g = graphs.get(t.collection());
            long need = bytesOf(t);
            if (g != null && !sameGraph(g.params(), t.params())) {
                graphs.remove(t.collection()).close();
                g = null;
            }
            if (need > budgetBytes) {
                if (g != null) {
                    graphs.remove(t.collection()).close(); // outgrown: the clustered index serves it alone
                }
                LOG.debug("collection {} version {}: {} bytes of graph exceed the warm index budget of {}; "
                        + "served by the clustered index only", t.collection(), t.version(), need, budgetBytes);
                return;
            }
            evictFor(t.collection(), need);
            syncing = t;
            if (g == null) {
                loading = t.collection();
                loadingForgotten = false;
            }
        }
        if (g == null) {
            // Outside the lock: reading a saved graph takes about a second at 100k x 384, and every query asks this
            // object for its graph first; meanwhile the clustered index answers them (a restarted node's first query).
            beforeLoad.run();
            WarmIndex loaded = loadSaved(t);
            synchronized (this) {
                loading = null;
                if (closed || loadingForgotten) {
                    loaded.close();
                    return;
                }
                graphs.put(t.collection(), loaded);
            }
            g = loaded;
        }
        try {
            long start = System.nanoTime();
            int added = g.sync(t.version(), t.params().efSearch(), t.index(), t.live(), () -> closed);
            synchronized (this) {
                built += added;
            }
            if (g.version() == t.version()) {
                // Queries of this version now search the graph, which holds every vector: the posting blocks that
                // queries cached before it was ready would only hold the vectors a second time.
                t.index().segments().forEach(ClusterSegment::forgetPostingsInMemory);
                // Up to the whole memory tier was just freed: glibc would keep it resident in its arenas (205 MiB of
                // freed C heap at 100k in bench-memory) for blocks no query of this version reads again.
                NativeMemory.releaseFree();
            }
            LOG.debug("warm index of collection {} now holds version {} ({} vectors inserted in {} ms)", t.collection(),
                    t.version(), added, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            if (added > 0) {
                checkpoint(t.collection(), g);
            }
        } catch (RuntimeException e) {
            // Blocks of a superseded version may be gone, the native insert may fail: drop the graph, the
            // clustered index answers, and the next version opened builds it again.
            if (!closed) {
                LOG.warn("warm index of collection {} could not reach version {}: {}", t.collection(), t.version(), e.toString());
            }
            synchronized (this) {
                if (graphs.get(t.collection()) == g) {
                    graphs.remove(t.collection());
                }
            }
            g.close();
        }
    }

    /** The graph saved for the collection when it matches the target's parameters, else a new one. */
    private WarmIndex loadSaved(Target t) {
        Path describe = describeFile(t.collection());
        if (describe != null && Files.exists(describe)) {
            try {
                WarmIndex saved = WarmIndex.load(folder, describe);
                if (sameGraph(saved.params(), t.params())) {
                    // what is on disk is this graph: its next checkpoint is an interval away
                    this.saved.put(t.collection(), new Saved(saved.version(), System.nanoTime()));
                    LOG.debug("warm index of collection {} loaded at version {} ({} vectors)", t.collection(),
                            saved.version(), saved.size());
                    return saved;
                }
                saved.close();
            } catch (IOException | RuntimeException e) {
                LOG.info("saved warm index of collection {} not used ({}); building it from blocks", t.collection(), e.toString());
            }
        }
        return new WarmIndex(t.params());
    }

    private Path describeFile(UUID collection) {
        return folder == null ? null : folder.resolve(collection + DESCRIBE_SUFFIX);
    }

    /**
     * Saves every graph that holds a version (the builder is stopped): graph file, then its description. A node
     * stops within seconds of SIGTERM, so no save starts past {@link #SAVE_BUDGET_MS}: the rest are built again.
     */
    private void saveAll() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SAVE_BUDGET_MS);
        graphs.forEach((collection, g) -> {
            if (System.nanoTime() > deadline) {
                LOG.info("warm index of collection {} not saved: the node's stop has no time left for it", collection);
                return;
            }
            Saved last = saved.get(collection);
            if (last == null || last.version() != g.version()) { // a checkpoint of this very version is on disk
                save(collection, g);
            }
        });
    }

    /**
     * Saves a graph that the builder thread has just brought to a version, when it has never been saved or its last
     * save is {@code checkpointIntervalMs} old: a node that crashes then loads it at its next start and brings it
     * forward, instead of building it again from every posting block (20-30 s of both cores at 100k x 384).
     * Queries go on meanwhile: saving only reads the graph.
     */
    private void checkpoint(UUID collection, WarmIndex g) {
        Saved last = saved.get(collection);
        if (folder == null || closed
                || (last != null && System.nanoTime() - last.atNanos() < TimeUnit.MILLISECONDS.toNanos(checkpointIntervalMs))) {
            return;
        }
        long start = System.nanoTime();
        if (save(collection, g)) {
            LOG.debug("warm index of collection {} saved at version {} in {} ms", collection, g.version(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    /**
     * Writes the graph under a new name, then moves its description into place, then deletes the collection's other
     * graph files (the one the old description named, and any a crash left half written). Returns whether it saved.
     */
    private boolean save(UUID collection, WarmIndex g) {
        String graphName = collection + "." + UUID.randomUUID() + GRAPH_SUFFIX;
        Path describe = describeFile(collection);
        Path tmp = folder.resolve(collection + ".describe.tmp");
        try {
            Files.createDirectories(folder);
            if (!g.save(folder.resolve(graphName), tmp, graphName)) {
                Files.deleteIfExists(folder.resolve(graphName));
                return false;
            }
            Files.move(tmp, describe, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            saved.put(collection, new Saved(g.version(), System.nanoTime()));
            try (var others = Files.newDirectoryStream(folder, collection + ".*" + GRAPH_SUFFIX)) {
                for (Path other : others) {
                    if (!other.getFileName().toString().equals(graphName)) {
                        Files.deleteIfExists(other);
                    }
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.info("warm index of collection {} not saved: {}", collection, e.toString());
            return false;
        }
    }

    private void forgetGraph(UUID collection) {
        WarmIndex g;
        synchronized (this) {
            pending.remove(collection);
            g = graphs.remove(collection);
            if (collection.equals(loading)) {
                loadingForgotten = true;
            }
        }
        if (g != null) {
            g.close();
        }
    }

    /** Closes least recently used graphs of other collections until {@code need} more bytes fit. */
    private void evictFor(UUID collection, long need) {
        WarmIndex own = graphs.get(collection);
        long used = bytes() - (own == null ? 0 : own.bytes());
        List<Map.Entry<UUID, WarmIndex>> byAge = graphs.entrySet().stream()
                .filter(e -> !e.getKey().equals(collection))
                .sorted(Comparator.comparingLong(e -> e.getValue().lastUse()))
                .toList();
        for (Map.Entry<UUID, WarmIndex> e : byAge) {
            if (used + need <= budgetBytes) {
                break;
            }
            used -= e.getValue().bytes();
            graphs.remove(e.getKey()).close();
        }
    }

    /** Whether a graph built with {@code a} can serve a version with {@code b} (search settings aside). */
    private static boolean sameGraph(VectorParams a, VectorParams b) {
        return a.space() == b.space() && a.dimension() == b.dimension() && a.m() == b.m()
                && a.efConstruction() == b.efConstruction();
    }

    /** Forgets a collection's graph (a dropped collection), and its saved copy. */
    public void forget(UUID collection) {
        forgetGraph(collection);
        saved.remove(collection);
        Path describe = describeFile(collection);
        if (describe != null) {
            String graph = WarmIndex.graphNameOf(describe);
            try {
                Files.deleteIfExists(describe);
                if (graph != null) {
                    Files.deleteIfExists(folder.resolve(graph));
                }
            } catch (IOException e) {
                // a leftover is harmless: a description naming a graph of a dropped collection is never offered
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        builder.shutdownNow();
        try {
            builder.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (folder != null) {
                saveAll();
            }
            graphs.values().forEach(WarmIndex::close);
            graphs.clear();
            pending.clear();
        }
    }
}
