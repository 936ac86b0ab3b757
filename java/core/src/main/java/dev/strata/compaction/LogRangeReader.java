package dev.strata.compaction;

import dev.strata.wal.LogReader;
import dev.strata.wal.LogRecord;
import java.util.List;

/**
 * Reads a collection's log from one seq to another, one record at a time, fetching chunks whose size follows the
 * records' bytes: a log of one-record adds is read 1,000 records a call, a log of 40,000-record batches (tens of
 * megabytes each) a few records a call. A fixed count of records per call would hold up to 1,000 such batches in
 * memory at once, whatever the compaction's own budget.
 */
final class LogRangeReader {

    /** At most this many records per call. */
    static final int MAX_RECORDS = 1000;
    /** About this many payload bytes per call, once the first call has shown the records' size. */
    static final long CHUNK_BYTES = 16L << 20;
    /** Records asked for in the first call, before their size is known. */
    static final int FIRST_RECORDS = 16;

    private final LogReader log;
    private final String name;
    private final long last;
    private long next;
    private LogRecord[] chunk = new LogRecord[0];
    private int index;
    private int count = FIRST_RECORDS;

    /** Reads seqs {@code first} to {@code last}, both included. */
    LogRangeReader(LogReader log, String name, long first, long last) {
        this.log = log;
        this.name = name;
        this.next = first;
        this.last = last;
    }

    /** The next record of the range, or null past its end. Fails if the log ends before the range does. */
    LogRecord next() {
        if (index == chunk.length) {
            if (next > last) {
                return null;
            }
            List<LogRecord> read = log.read(name, next, (int) Math.min(count, last - next + 1));
            if (read.isEmpty()) {
                throw new IllegalStateException("the log " + name + " ends before seq " + next
                        + " but its last durable seq is " + last);
            }
            chunk = read.toArray(LogRecord[]::new);
            index = 0;
            long bytes = 0;
            for (LogRecord r : chunk) {
                bytes += r.payload().length;
            }
            count = (int) Math.clamp(CHUNK_BYTES * chunk.length / Math.max(1, bytes), 1, MAX_RECORDS);
        }
        LogRecord r = chunk[index];
        // The payload is garbage once the caller has decoded it: the chunk must not keep it.
        chunk[index++] = null;
        next = r.seq() + 1;
        return r;
    }

    /** The seq the next call returns (past the range's end when it returns null). */
    long nextSeq() {
        return next;
    }
}
