package dev.strata.wal;

import dev.strata.storage.LocalFolders;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that writes segment files. It takes every append queued while the previous fsync
 * ran (and, in S3 mode, every append within the batch window), writes them, fsyncs each touched file
 * once, in S3 mode seals and PUTs those segments, and only then completes the appends' futures. It also
 * seals segments by size and age, and carries out collection deletes in order with the appends.
 */
final class GroupCommitter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    private static final long MAX_TICK_MS = 100;

    sealed interface Command permits Append, Delete, Stop {}

    record Append(String collection, byte[] payload, CompletableFuture<Long> done) implements Command {}

    record Delete(String collection, CompletableFuture<Void> done) implements Command {}

    record Stop() implements Command {}

    private record Pending(Append request, long seq, CollectionLog log, Segment segment) {}

    private final LinkedBlockingQueue<Command> queue = new LinkedBlockingQueue<>();
    private final Map<String, CollectionLog> logs;
    private final Path walDir;
    private final WalOptions options;
    private final WalIndex index;
    private final ObjectStore store;
    private final SegmentUploader uploader;
    private final ExecutorService putPool;
    private final WalCounters counters;

    GroupCommitter(Map<String, CollectionLog> logs, Path walDir, WalOptions options, WalIndex index,
                   ObjectStore store, SegmentUploader uploader, ExecutorService putPool, WalCounters counters) {
        this.logs = logs;
        this.walDir = walDir;
        this.options = options;
        this.index = index;
        this.store = store;
        this.uploader = uploader;
        this.putPool = putPool;
        this.counters = counters;
    }

    private boolean stopped;

    /** Queues a command; false once the committer has stopped (nothing would ever complete it). */
    synchronized boolean submit(Command c) {
        if (stopped) {
            return false;
        }
        queue.add(c);
        return true;
    }

    @Override
    public void run() {
        long tickMs = Math.max(1, Math.min(MAX_TICK_MS, options.segmentAgeMs() / 2));
        List<Command> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            batch.clear();
            try {
                Command first = queue.poll(tickMs, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    collectBatch(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
            try {
                stopping |= process(batch);
                sealAged();
            } catch (Error e) {
                // Out of memory mid-batch: which of its appends reached the file is unknown, so each one not yet
                // acknowledged fails (its collection then refuses writes until reopened, which replays the log). A
                // committer that died instead would leave every later write of every collection waiting forever.
                LOG.error("the log writer failed a batch of {} commands and goes on: {}", batch.size(), e.toString());
                for (Command c : batch) {
                    fail(c, new IllegalStateException("the log writer failed this batch (" + e + "); it was not"
                            + " acknowledged", e));
                }
                stopping |= batch.stream().anyMatch(c -> c instanceof Stop);
            }
        }
        sealAll();
        synchronized (this) {
            stopped = true;
        }
        List<Command> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (Command c : rest) {
            fail(c, new IllegalStateException("write-ahead log is closed"));
        }
    }

    /** Adds what is already queued; in S3 mode keeps collecting until the batch window closes. */
    private void collectBatch(List<Command> batch) throws InterruptedException {
        if (options.durability() != WalOptions.Durability.S3 || options.s3BatchWindowMs() == 0) {
            queue.drainTo(batch);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.s3BatchWindowMs());
        while (!(batch.getLast() instanceof Stop)) {
            long left = deadline - System.nanoTime();
            Command c = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (c == null) {
                queue.drainTo(batch);
                return;
            }
            batch.add(c);
        }
    }

    /** Carries out one batch; true when it held the stop command. */
    private boolean process(List<Command> batch) {
        List<Pending> pending = new ArrayList<>();
        Set<CollectionLog> touched = new LinkedHashSet<>();
        boolean stop = false;
        for (Command c : batch) {
            switch (c) {
                case Append a -> {
                    CollectionLog log = logs.computeIfAbsent(a.collection(), id -> new CollectionLog(id, walDir.resolve(id)));
                    try {
                        CollectionLog.Appended r = log.append(a.payload(), options.segmentBytes());
                        pending.add(new Pending(a, r.seq(), log, r.segment()));
                        touched.add(log);
                    } catch (IOException | RuntimeException e) {
                        a.done().completeExceptionally(asUnchecked(e, log));
                    }
                }
                case Delete d -> {
                    commit(pending, touched);
                    pending.clear();
                    touched.clear();
                    delete(d);
                }
                case Stop s -> stop = true;
            }
        }
        commit(pending, touched);
        return stop;
    }

    private void commit(List<Pending> pending, Set<CollectionLog> touched) {
        if (pending.isEmpty()) {
            return;
        }
        Map<CollectionLog, Throwable> failed = new IdentityHashMap<>();
        for (CollectionLog log : touched) {
            try {
                if (log.sync()) {
                    counters.fsyncs.increment();
                }
            } catch (IOException e) {
                failed.put(log, asUnchecked(e, log));
            }
        }
        Map<Segment, Throwable> putFailures = options.durability() == WalOptions.Durability.S3
                ? sealAndPut(pending, touched, failed) : Map.of();
        for (Pending p : pending) {
            Throwable t = failed.get(p.log());
            Throwable putFailure = putFailures.get(p.segment());
            if (t == null && putFailure != null) {
                t = new SegmentUploadFailedException(p.log().id, p.seq(), p.segment().key(p.log().id).key(), putFailure);
            }
            if (t != null) {
                p.request().done().completeExceptionally(t);
            } else {
                counters.appends.increment();
                p.request().done().complete(p.seq());
            }
        }
    }

    /** S3 mode: seals the touched segments and puts every segment holding a pending record, in parallel. */
    private Map<Segment, Throwable> sealAndPut(List<Pending> pending, Set<CollectionLog> touched,
                                               Map<CollectionLog, Throwable> failed) {
        for (CollectionLog log : touched) {
            if (!failed.containsKey(log)) {
                try {
                    sealed(log, log.seal());
                } catch (IOException e) {
                    failed.put(log, asUnchecked(e, log));
                }
            }
        }
        Map<Segment, CompletableFuture<Void>> puts = new IdentityHashMap<>();
        for (Pending p : pending) {
            if (!failed.containsKey(p.log())) {
                puts.computeIfAbsent(p.segment(), s -> CompletableFuture.runAsync(() -> uploadInOrder(p.log(), s), putPool));
            }
        }
        Map<Segment, Throwable> failures = new IdentityHashMap<>();
        puts.forEach((seg, f) -> {
            try {
                f.join();
            } catch (RuntimeException e) {
                failures.put(seg, e.getCause() != null ? e.getCause() : e);
            }
        });
        return failures;
    }

    /**
     * Puts the collection's older segments still waiting (their upload failed earlier) before {@code seg}:
     * an acknowledged record never sits in the bucket above a hole that a node recovering from the
     * bucket would stop at.
     */
    private void uploadInOrder(CollectionLog log, Segment seg) {
        for (Segment earlier : log.awaitingUpload()) {
            if (earlier.firstSeq < seg.firstSeq) {
                uploader.upload(log, earlier);
            }
        }
        uploader.upload(log, seg);
    }

    private void sealAged() {
        long now = System.nanoTime();
        long age = TimeUnit.MILLISECONDS.toNanos(options.segmentAgeMs());
        for (CollectionLog log : logs.values()) {
            if (log.openSegmentOlderThan(age, now)) {
                sealQuietly(log);
            }
        }
    }

    private void sealAll() {
        for (CollectionLog log : logs.values()) {
            sealQuietly(log);
        }
    }

    private void sealQuietly(CollectionLog log) {
        try {
            sealed(log, log.seal());
        } catch (IOException e) {
            log.fail(e);
            LOG.error("cannot seal the open log segment of collection {}", log.id, e);
        }
    }

    /** Records a just-sealed segment in the index (not synced: recovery rebuilds it from the file). */
    private void sealed(CollectionLog log, Segment seg) {
        if (seg != null) {
            synchronized (log) {
                index.putSegment(log.id, seg, false);
            }
        }
    }

    private void delete(Delete d) {
        try {
            CollectionLog log = logs.remove(d.collection());
            if (log != null) {
                synchronized (log) {
                    log.deleted = true;
                }
                log.closeChannel();
            }
            index.removeCollection(d.collection());
            Path dir = walDir.resolve(d.collection());
            LocalFolders.deleteTree(dir);
            for (ObjectMeta m : store.list(ObjectLayout.logFolder(d.collection()))) {
                store.delete(m.key());
            }
            d.done().complete(null);
        } catch (IOException e) {
            d.done().completeExceptionally(new UncheckedIOException("cannot delete the log of collection " + d.collection(), e));
        } catch (RuntimeException e) {
            d.done().completeExceptionally(e);
        }
    }

    private static void fail(Command c, RuntimeException e) {
        switch (c) {
            case Append a -> a.done().completeExceptionally(e);
            case Delete d -> d.done().completeExceptionally(e);
            case Stop s -> { }
        }
    }

    private static RuntimeException asUnchecked(Exception e, CollectionLog log) {
        return e instanceof RuntimeException r ? r
                : new UncheckedIOException("write to the log of collection " + log.id + " failed", (IOException) e);
    }
}
