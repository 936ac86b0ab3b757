package dev.strata.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.strata.api.Settings;
import dev.strata.catalog.CollectionRecord;
import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.LocalFolders;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.RequestStats;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a standby does while the writer it would replace is alive: it follows the bucket as a read-only node
 * would, in {@code {path}/standby}, opening every collection and catching up with the log its writer uploads.
 *
 * <p>Why: a replacement's first write waits for the collection to open, and in a fresh JVM the catalog manifest,
 * the version and the log tail were read and decoded by code that had never run (the log tail of a few hundred
 * records took 1.3-2.1 s after a takeover on a loaded machine). Following the bucket runs that code, JIT-compiles
 * it and warms the object store's connections before the writer dies, so the takeover only pays for what
 * changed. The follower writes nothing: its store refuses writes, and it shares the node's store without
 * closing it. It is closed, and its folder deleted, as soon as the standby takes the lease (or gives up).
 */
final class StandbyRehearsal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandbyRehearsal.class);
    static final String FOLDER = "standby";
    private static final long FOLLOW_INTERVAL_MS = 1_000;
    private static final long SEGMENT_COPY_BYTES = 64L << 20;

    private final Settings settings;
    private final ObjectStore store;
    private final Path folder;
    private final CountDownLatch stop = new CountDownLatch(1);
    // Log segments the follower fetched, for the replay after the takeover; bounded, and gone a minute after.
    // Made when the node starts standing by: a writer that takes the lease at once never needs it.
    private volatile Cache<String, byte[]> segments;
    private Thread thread;

    StandbyRehearsal(Settings settings, ObjectStore store) {
        this.settings = settings;
        this.store = store;
        this.folder = settings.path().resolve(FOLDER);
    }

    /** Starts following the bucket in the background; called once, when the node starts standing by. */
    synchronized void start() {
        if (stop.getCount() == 0 || thread != null) {
            return;
        }
        segments = Caffeine.newBuilder()
                .maximumWeight(SEGMENT_COPY_BYTES).weigher((String k, byte[] v) -> v.length)
                .expireAfterWrite(Duration.ofMinutes(1)).scheduler(Scheduler.systemScheduler()).build();
        thread = Thread.ofPlatform().daemon().name("strata-standby-rehearsal").start(this::run);
    }

    private void run() {
        Settings follower = settings.withPath(folder).with("STRATA_READ_ONLY", "true")
                .with("STRATA_READ_ONLY_REFRESH_MS", "0");
        try {
            deleteFolder();
            try (EmbeddedStrata node = EmbeddedStrata.openSharing(follower, new Unclosed(store))) {
                long start = System.nanoTime();
                int opened = follow(node);
                LOG.info("standby: following the bucket read-only until the writer's lease is free ({} collections"
                        + " opened in {} ms)", opened, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                while (!stop.await(FOLLOW_INTERVAL_MS, TimeUnit.MILLISECONDS)) {
                    node.refresh();
                    follow(node);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A rehearsal only saves time; the standby still takes over without it.
            if (stop.getCount() > 0) {
                LOG.info("standby: stopped following the bucket ({}); the takeover opens the collections itself",
                        e.getMessage());
            }
        } finally {
            deleteFolder();
        }
    }

    /** Opens every collection of the catalog not open yet; returns how many are open. */
    private static int follow(EmbeddedStrata node) {
        int opened = 0;
        for (CollectionRecord c : node.catalog().allCollections()) {
            try {
                node.runtime(c.id());
                opened++;
            } catch (RuntimeException e) {
                LOG.debug("standby: could not open collection {}: {}", c.id(), e.getMessage());
            }
        }
        return opened;
    }

    /**
     * Stops following. It does not wait: the takeover goes on at once, and the follower closes (and deletes its
     * folder) after the step it is in. Not interrupted either, since it shares the node's store connections.
     */
    @Override
    public void close() {
        stop.countDown();
    }

    /** Waits up to {@code ms} for the follower to have closed; for tests. */
    boolean awaitClosed(long ms) throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.join(ms);
        }
        return t == null || !t.isAlive();
    }

    private void deleteFolder() {
        try {
            LocalFolders.deleteTree(folder);
        } catch (IOException e) {
            LOG.debug("standby: could not delete {}: {}", folder, e.getMessage());
        }
    }

    /**
     * The node's store as its log should read it after the takeover: log segments the follower fetched are served
     * from memory. A segment object never changes (its key names its seqs and epoch), so a copy is as good as a
     * GET; after the takeover the replay reads the same segments the follower just read, and on a loaded S3 (or
     * S3Mock) their hundreds of GETs were most of the 1.5 s the first write still waited.
     */
    synchronized ObjectStore withFollowedSegments(ObjectStore nodeStore) {
        if (thread == null) {
            return nodeStore; // never stood by
        }
        return new ForwardingObjectStore(nodeStore) {
            @Override
            protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
                return call.get();
            }

            @Override
            public byte[] get(String key) {
                byte[] copy = segments.getIfPresent(key);
                if (copy != null) {
                    segments.invalidate(key); // a replay reads each once; the log's own cache keeps it from here
                    return copy;
                }
                return delegate.get(key);
            }

            @Override
            public String describe() {
                return delegate.describe();
            }
        };
    }

    /** The node's store, shared with the follower: the follower's close leaves it open. */
    private final class Unclosed extends ForwardingObjectStore {
        Unclosed(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public byte[] get(String key) {
            byte[] bytes = delegate.get(key);
            if (ObjectLayout.parseLogSegment(key).isPresent()) {
                segments.put(key, bytes);
            }
            return bytes;
        }

        @Override
        protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
            return call.get();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            // the node's own store: closed with the node
        }
    }
}
