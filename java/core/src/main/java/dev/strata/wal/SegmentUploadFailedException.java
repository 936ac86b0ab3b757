package dev.strata.wal;

import dev.strata.storage.ObjectStoreException;

/**
 * Durability S3: an append was written and fsync'd into the local log, but the segment holding it (or an
 * older one of the same collection) could not be put in the object store, so the append is not
 * acknowledged. The record keeps its {@link #seq()} in the log, and the background uploader keeps
 * trying to put the segment: readers of the log will see it.
 */
public final class SegmentUploadFailedException extends ObjectStoreException {

    private final String collection;
    private final long seq;

    SegmentUploadFailedException(String collection, long seq, String key, Throwable cause) {
        super("log record " + seq + " of collection " + collection + " is in the local log but its segment was not"
                + " uploaded (" + cause.getMessage() + "); the uploader retries it", key, cause);
        this.collection = collection;
        this.seq = seq;
    }

    public String collection() {
        return collection;
    }

    /** The record's sequence number: it is in the log, before every later append of the collection. */
    public long seq() {
        return seq;
    }
}
