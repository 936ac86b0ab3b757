package dev.strata.engine;

import dev.strata.catalog.CatalogOptions;
import dev.strata.catalog.LeaseHeldException;
import dev.strata.catalog.StandbyBeacon;
import dev.strata.catalog.WriterLease;
import dev.strata.storage.LocalKv;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStoreException;
import dev.strata.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the writer lease for a node folder and decides whether the folder's own log ({path}/wal) may be continued.
 * It may only when no other node held the lease since this folder last did: otherwise a successor may have
 * written the same seqs, and the folder's unuploaded tail (acknowledged with durability {@code local}) was lost
 * with that takeover, so the log is set aside and recovered from the bucket.
 *
 * <p>{@code {path}/writer-epoch} holds the epoch this folder last held and, while it is acquiring, the epoch it
 * is about to take ({@code "3 4"}): a crash between the lease write and the file write still finds the folder's
 * own epoch in the lease.
 */
final class LocalWriterEpoch {

    private static final Logger LOG = LoggerFactory.getLogger(LocalWriterEpoch.class);
    static final String FILE = "writer-epoch";

    private LocalWriterEpoch() {}

    /**
     * Takes the lease as {@link #acquire(Path, ObjectStore, LocalKv, String, CatalogOptions)} does, and while another
     * node's live writer holds it keeps watching, for up to {@code waitMs}: a standby node, which takes the bucket
     * over about the stale interval after that writer dies. 0: one watch, then {@link LeaseHeldException}.
     * {@code onStandby} runs once, when the node starts standing by.
     */
    static WriterLease acquire(Path path, ObjectStore store, LocalKv kv, String nodeId, CatalogOptions options,
                               long waitMs, Runnable onStandby) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        StandbyBeacon beacon = null;
        boolean told = false;
        try {
            while (true) {
                try {
                    return acquire(path, store, kv, nodeId, options);
                } catch (LeaseHeldException | ObjectStoreException e) {
                    // A standby outlives a store hiccup while it watches (a failed read of the lease): it watches again.
                    if (waitMs <= 0 || System.nanoTime() - deadline >= 0) {
                        throw e;
                    }
                    if (!told) {
                        LOG.info("standing by for up to {} ms (STRATA_LEASE_WAIT_MS): {}; this node takes the bucket"
                                + " over once that writer's lease goes unrenewed", waitMs, e.getMessage());
                        // The writer renews at the standby rate once it sees the beacon, so a takeover is quick
                        // (with one heartbeat for both, the writer reads no beacon and none is written).
                        beacon = options.heartbeat().adaptive() ? StandbyBeacon.start(store, nodeId, options) : null;
                        told = true;
                        onStandby.run();
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        } finally {
            if (beacon != null) {
                beacon.close();
            }
        }
    }

    static WriterLease acquire(Path path, ObjectStore store, LocalKv kv, String nodeId, CatalogOptions options)
            throws IOException {
        Path file = path.resolve(FILE);
        long[] mine = read(file); // {held, pending}, or null for a folder that never recorded one
        WriterLease.Holder seen = WriterLease.holder(store, options.leaseKey());
        boolean continues = seen == null
                || (seen.nodeId().equals(nodeId) && (mine == null || seen.epoch() == mine[0] || seen.epoch() == mine[1]));
        if (continues) {
            write(file, mine == null ? 0 : mine[0], seen == null ? 1 : seen.epoch() + 1);
        }
        WriterLease lease = WriterLease.acquire(store, nodeId, options);
        boolean raced = seen == null ? lease.previousHolder() != null
                : !seen.nodeId().equals(lease.previousHolder()) || seen.epoch() != lease.previousEpoch();
        Path wal = path.resolve("wal");
        if ((!continues || raced) && WriteAheadLog.hasLocal(wal, kv)) {
            try {
                WriteAheadLog.discardLocal(wal, kv);
            } catch (RuntimeException e) {
                lease.close();
                throw e;
            }
        }
        write(file, lease.epoch(), lease.epoch());
        return lease;
    }


    private static long[] read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
        try {
            long held = Long.parseLong(parts[0]);
            return new long[] {held, parts.length > 1 ? Long.parseLong(parts[1]) : held};
        } catch (NumberFormatException e) {
            return new long[] {-1, -1};
        }
    }

    private static void write(Path file, long held, long pending) throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap((held + " " + pending + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
