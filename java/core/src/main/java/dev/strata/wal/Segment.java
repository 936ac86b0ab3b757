package dev.strata.wal;

import dev.strata.storage.ObjectLayout.LogSegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One segment of a collection's log: a local file, an object in the store, or both. Mutable fields are
 * guarded by the owning {@link CollectionLog}'s monitor; the channel is used only by the committer.
 * Local segments keep the file offset of every record in memory, so a read seeks straight to its seq.
 */
final class Segment {

    final long firstSeq;
    final Path file;
    long lastSeq;
    /** The writer epoch its object key carries: set when it is uploaded (or read from the store / index). */
    long epoch;
    long bytes;
    long durableBytes;
    boolean sealed;
    boolean uploaded;
    boolean localPresent;
    FileChannel channel;
    long openedNanos;
    private long[] offsets = new long[0];
    private int offsetCount;

    Segment(long firstSeq, Path file) {
        this.firstSeq = firstSeq;
        this.file = file;
        this.lastSeq = firstSeq - 1;
    }

    LogSegment key(String collection) {
        return new LogSegment(collection, firstSeq, lastSeq, epoch);
    }

    boolean hasRecords() {
        return lastSeq >= firstSeq;
    }

    void addOffset(long offset) {
        if (offsetCount == offsets.length) {
            offsets = Arrays.copyOf(offsets, Math.max(64, offsetCount * 2));
        }
        offsets[offsetCount++] = offset;
    }

    /** The file offset where {@code seq} starts; one past the last record gives the end of the records. */
    long offsetOf(long seq) {
        int i = Math.toIntExact(seq - firstSeq);
        return i < offsetCount ? offsets[i] : bytes;
    }

    /** Frees the per-record offsets once the local file is gone. */
    void forgetOffsets() {
        offsets = new long[0];
        offsetCount = 0;
    }
}
