package dev.strata.segment;

import dev.strata.ivf.ClusteredIndex;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's warm accelerators: for each collection whose vectors fit the memory budget, an in-memory
 * HNSW graph ({@link WarmIndex}) built in the background from the blocks of the newest version opened,
 * and brought forward incrementally as newer versions open. Nothing about them is durable: the object
 * store never receives a graph, and a node that starts builds them again from the blocks.
 *
 * <p>Queries never wait for a graph: until one holds their exact version they are answered by the
 * clustered index. One background thread does the building, newest version first; a graph that would
 * not fit evicts the least recently used others, and one larger than the whole budget is never built.
 */
public final class WarmIndexes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarmIndexes.class);

    private final long budgetBytes;
    private final Map<UUID, WarmIndex> graphs = new HashMap<>();
    private final Map<UUID, Target> pending = new LinkedHashMap<>();
    private final ExecutorService builder;
    private volatile boolean closed;
    private long built;

    /** {@code budgetBytes}: memory all graphs together may take (0: none is built). */
    public WarmIndexes(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budget must not be negative, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        this.builder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "strata-warm-index");
            t.setDaemon(true);
            return t;
        });
    }

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
        synchronized (this) {
            WarmIndex g = graphs.get(collection);
            Target p = pending.get(collection);
            if ((g != null && g.version() >= version) || (p != null && p.version() >= version)) {
                return;
            }
            pending.put(collection, new Target(collection, version, params, index, live));
        }
        try {
            builder.execute(this::buildNext);
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
        return graphs.values().stream().mapToLong(g -> (long) g.size() * WarmIndex.bytesPerVector(g.params())).sum();
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
        }
        return false;
    }

    private void buildNext() {
        Target t;
        WarmIndex g;
        synchronized (this) {
            if (closed || pending.isEmpty()) {
                return;
            }
            t = pending.remove(pending.keySet().iterator().next());
            g = graphs.get(t.collection());
            long need = t.index().liveCount() * WarmIndex.bytesPerVector(t.params());
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
            if (g == null) {
                g = new WarmIndex(t.params());
                graphs.put(t.collection(), g);
            }
        }
        try {
            long start = System.nanoTime();
            int added = g.sync(t.version(), t.params().efSearch(), t.index(), t.live(), () -> closed);
            synchronized (this) {
                built += added;
            }
            LOG.debug("warm index of collection {} now holds version {} ({} vectors inserted in {} ms)", t.collection(),
                    t.version(), added, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
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

    /** Closes least recently used graphs of other collections until {@code need} more bytes fit. */
    private void evictFor(UUID collection, long need) {
        long used = bytes() - (graphs.containsKey(collection)
                ? (long) graphs.get(collection).size() * WarmIndex.bytesPerVector(graphs.get(collection).params()) : 0);
        List<Map.Entry<UUID, WarmIndex>> byAge = graphs.entrySet().stream()
                .filter(e -> !e.getKey().equals(collection))
                .sorted(Comparator.comparingLong(e -> e.getValue().lastUse()))
                .toList();
        for (Map.Entry<UUID, WarmIndex> e : byAge) {
            if (used + need <= budgetBytes) {
                break;
            }
            used -= (long) e.getValue().size() * WarmIndex.bytesPerVector(e.getValue().params());
            graphs.remove(e.getKey()).close();
        }
    }

    /** Whether a graph built with {@code a} can serve a version with {@code b} (search settings aside). */
    private static boolean sameGraph(VectorParams a, VectorParams b) {
        return a.space() == b.space() && a.dimension() == b.dimension() && a.m() == b.m()
                && a.efConstruction() == b.efConstruction();
    }

    /** Forgets a collection's graph (a dropped collection). */
    public void forget(UUID collection) {
        WarmIndex g;
        synchronized (this) {
            pending.remove(collection);
            g = graphs.remove(collection);
        }
        if (g != null) {
            g.close();
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
            graphs.values().forEach(WarmIndex::close);
            graphs.clear();
            pending.clear();
        }
    }
}
