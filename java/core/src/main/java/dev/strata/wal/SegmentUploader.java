package dev.strata.wal;

import dev.strata.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts sealed segments in the object store and records that in the index; drops local files (and index
 * entries) of segments wholly below a collection's truncation watermark once they are uploaded. Runs on
 * the background schedule and, in S3 durability mode, inline for the committer.
 */
final class SegmentUploader {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentUploader.class);

    private final Map<String, CollectionLog> logs;
    private final ObjectStore store;
    private final WalIndex index;
    private final WalCounters counters;
    private final long epoch;
    private volatile BooleanSupplier mayUpload = () -> true;
    private volatile BooleanSupplier stillWriter = () -> true;

    SegmentUploader(Map<String, CollectionLog> logs, ObjectStore store, WalIndex index, WalCounters counters, long epoch) {
        this.epoch = epoch;
        this.logs = logs;
        this.store = store;
        this.index = index;
        this.counters = counters;
    }

    /** See {@link WriteAheadLog#fenceUploads}. */
    void fence(BooleanSupplier mayUpload) {
        this.mayUpload = mayUpload;
    }

    /** See {@link WriteAheadLog#confirmUploads}. */
    void confirm(BooleanSupplier stillWriter) {
        this.stillWriter = stillWriter;
    }

    /** One background pass: uploads every sealed segment still only local, oldest first per collection. */
    void uploadPending() {
        for (CollectionLog log : logs.values()) {
            for (Segment seg : log.awaitingUpload()) {
                try {
                    upload(log, seg);
                } catch (RuntimeException e) {
                    LOG.warn("upload of a log segment of collection {} failed, retrying later: {}", log.id, e.toString());
                    break;
                }
            }
            dropTruncated(log);
        }
    }

    /** Puts one sealed segment (a no-op when it is already uploaded); throws when the store refuses. */
    void upload(CollectionLog log, Segment seg) {
        synchronized (seg) {
            String key;
            synchronized (log) {
                if (seg.uploaded || log.deleted || !seg.localPresent || !seg.sealed) {
                    return;
                }
                seg.epoch = epoch;
                key = seg.key(log.id).key();
            }
            if (!mayUpload.getAsBoolean()) {
                throw new WalFencedException("log segment " + key + " not uploaded: this node may no longer write "
                        + "the object store's log (it lost the writer lease)");
            }
            store.putFile(key, seg.file);
            counters.uploads.increment();
            if (!stillWriter.getAsBoolean()) {
                // Put after a successor took the log over: readers ignore it, so it must not count as durable here.
                throw new WalFencedException("log segment " + key + " was put after another node took the bucket"
                        + " over (writer epoch " + epoch + " is fenced): it does not count, this node may no longer write");
            }
            boolean orphan;
            synchronized (log) {
                orphan = log.deleted;
                if (!orphan) {
                    seg.uploaded = true;
                    // Not synced: losing this flag only costs a repeated PUT of the same bytes.
                    index.putSegment(log.id, seg, false);
                }
            }
            if (orphan) {
                store.delete(key);
            }
        }
    }

    /**
     * Forgets uploaded segments wholly below the watermark: deletes their local files and index entries.
     * The newest segment is kept (its key carries the log's last seq for a node that recovers from the
     * store). Returns the object keys of the forgotten segments, which GC may delete.
     */
    List<String> dropTruncated(CollectionLog log) {
        List<String> keys = new ArrayList<>();
        synchronized (log) {
            if (log.deleted || log.segments.isEmpty()) {
                return keys;
            }
            Segment newest = log.segments.lastEntry().getValue();
            for (Iterator<Segment> it = log.segments.values().iterator(); it.hasNext(); ) {
                Segment s = it.next();
                if (s == newest || s.lastSeq >= log.lowWatermark) {
                    break;
                }
                if (!s.uploaded) {
                    continue;
                }
                if (s.localPresent) {
                    try {
                        Files.deleteIfExists(s.file);
                    } catch (IOException e) {
                        LOG.warn("cannot delete truncated log file {}: {}", s.file, e.toString());
                        continue;
                    }
                }
                index.removeSegment(log.id, s.firstSeq);
                it.remove();
                keys.add(s.key(log.id).key());
            }
        }
        return keys;
    }
}
