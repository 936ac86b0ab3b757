package dev.strata.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The log of one collection: its segments in seq order and the open segment being appended to. Only
 * the committer thread writes files and advances {@code nextSeq}; every field is guarded by this
 * object's monitor, and file I/O happens outside it so readers are never blocked by an fsync.
 */
final class CollectionLog {

    private static final Pattern SEGMENT_FILE = Pattern.compile("\\d{20}\\.wal");

    final String id;
    final Path dir;
    final TreeMap<Long, Segment> segments = new TreeMap<>();
    Segment open;
    long nextSeq = 1;
    long durableSeq;
    long lowWatermark = 1;
    boolean deleted;
    /** Set when a write or fsync failed: what the file holds is unknown, so appends are refused. */
    Throwable failure;
    private boolean dirty;

    CollectionLog(String id, Path dir) {
        this.id = id;
        this.dir = dir;
    }

    /** The local file of the segment starting at {@code firstSeq} (zero-padded so a listing sorts by seq). */
    static String fileName(long firstSeq) {
        return String.format("%020d.wal", firstSeq);
    }

    /** Whether {@code name} is a name {@link #fileName} gives (recovery skips anything else in the folder). */
    static boolean isSegmentFileName(String name) {
        return SEGMENT_FILE.matcher(name).matches();
    }

    /** Where an append went: its seq and the segment holding it. */
    record Appended(long seq, Segment segment) {}

    /** Appends one record to the open segment (starting one when there is none); committer thread only. */
    Appended append(byte[] payload, long segmentBytes) throws IOException {
        Segment seg;
        long seq;
        synchronized (this) {
            if (failure != null) {
                throw new IllegalStateException("log of collection " + id + " failed earlier and refuses appends: " + failure);
            }
            seg = open;
            seq = nextSeq;
        }
        if (seg != null && seg.bytes >= segmentBytes) {
            seal();
            seg = null;
        }
        if (seg == null) {
            seg = startSegment(seq);
        }
        ByteBuffer frame = RecordFrame.encode(seq, payload);
        long at = seg.bytes;
        try {
            while (frame.hasRemaining()) {
                seg.channel.write(frame, at + frame.position());
            }
        } catch (IOException e) {
            // Cut the partial frame so a later append does not leave garbage between valid frames.
            fail(e);
            seg.channel.truncate(at);
            throw e;
        }
        synchronized (this) {
            seg.addOffset(at);
            seg.bytes = at + frame.limit();
            seg.lastSeq = seq;
            nextSeq = seq + 1;
            dirty = true;
        }
        return new Appended(seq, seg);
    }

    /** Fsyncs the open segment if records were written since the last sync; true when it did. */
    boolean sync() throws IOException {
        Segment seg;
        long bytes;
        long last;
        synchronized (this) {
            if (!dirty || open == null) {
                return false;
            }
            seg = open;
            bytes = seg.bytes;
            last = seg.lastSeq;
            dirty = false;
        }
        try {
            seg.channel.force(false);
        } catch (IOException e) {
            fail(e);
            throw e;
        }
        synchronized (this) {
            seg.durableBytes = Math.max(seg.durableBytes, bytes);
            durableSeq = Math.max(durableSeq, last);
        }
        return true;
    }

    /** Fsyncs and closes the open segment; it is then immutable and may be uploaded. Null when none was open. */
    Segment seal() throws IOException {
        Segment seg;
        synchronized (this) {
            seg = open;
        }
        if (seg == null) {
            return null;
        }
        sync();
        seg.channel.close();
        synchronized (this) {
            seg.channel = null;
            seg.sealed = true;
            open = null;
        }
        return seg;
    }

    boolean openSegmentOlderThan(long nanos, long now) {
        synchronized (this) {
            return open != null && now - open.openedNanos >= nanos;
        }
    }

    private Segment startSegment(long firstSeq) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(fileName(firstSeq));
        Segment seg = new Segment(firstSeq, file);
        seg.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        // The new name must survive a power loss too, not only the bytes written into it.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        seg.openedNanos = System.nanoTime();
        seg.localPresent = true;
        synchronized (this) {
            segments.put(firstSeq, seg);
            open = seg;
        }
        return seg;
    }

    synchronized void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    /** Sealed local segments not yet in the object store, oldest first. */
    synchronized List<Segment> awaitingUpload() {
        List<Segment> out = new ArrayList<>();
        for (Segment s : segments.values()) {
            if (s.sealed && !s.uploaded && s.localPresent && s.hasRecords()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Closes the open segment's channel without sealing (the log is being deleted or closed after a failure). */
    synchronized void closeChannel() {
        if (open != null && open.channel != null) {
            try {
                open.channel.close();
            } catch (IOException ignored) {
                // closing a file we are abandoning
            }
            open.channel = null;
        }
    }
}
