package dev.strata.wal;

import java.util.List;

/**
 * Reads a collection's log records in seq order: the node's own {@link WriteAheadLog}, or on a node that may not
 * write, the log the writer uploaded ({@link BucketLog}).
 */
public interface LogReader {

    /** Up to {@code maxRecords} records from {@code fromSeqInclusive} on, in seq order; fewer (or none) where the log ends. */
    List<LogRecord> read(String collection, long fromSeqInclusive, int maxRecords);
}
