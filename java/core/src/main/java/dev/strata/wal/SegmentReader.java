package dev.strata.wal;

import dev.strata.storage.BlockCache;
import dev.strata.storage.Cacheable;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Reads records of one segment: from its local file when it still has one (a positional read of exactly
 * the wanted records), otherwise from its object, decoded once, verified, and kept in a block cache
 * because compaction reads a segment in several steps.
 */
final class SegmentReader {

    /** What a read needs of a segment, copied under the log's lock. */
    record View(String collection, long firstSeq, long lastSeq, long epoch, Path file, boolean local, boolean uploaded,
                long fromOffset, long toOffset) {}

    /** A segment object, decoded and checked: its payloads in seq order. */
    record DecodedSegment(long firstSeq, List<byte[]> payloads, long sizeInBytes) implements Cacheable {}

    private final BlockCache cache;

    SegmentReader(BlockCache cache) {
        this.cache = cache;
    }

    /**
     * Segment objects fetched at once by {@link #readAll}: a node that takes a bucket over, or opens a collection
     * whose log it did not write, reads a tail of hundreds of small segments (a group commit each), and one round
     * trip after the other took seconds before its first write was answered.
     */
    static final int PARALLEL_READS = 32;

    /**
     * Appends the records {@code from..to} of each view in turn to {@code out}; a view that overlaps the one
     * before it contributes only the seqs after it. The segment objects it needs from the store are fetched
     * {@link #PARALLEL_READS} at a time in their order while it reads (a read of a segment still being fetched
     * waits for that fetch, as the cache coalesces them); a failed fetch is left to the read, which retries it
     * and reports the failure with its context.
     */
    void readAll(List<View> views, long from, long to, List<LogRecord> out) {
        List<String> remote = views.stream().filter(v -> !v.local()).map(SegmentReader::keyOf)
                .filter(k -> !cache.isCached(k)).toList();
        ExecutorService fetches = remote.size() < 2 ? null : Executors.newVirtualThreadPerTaskExecutor();
        try {
            if (fetches != null) {
                // The reading thread fetches a segment itself when it gets there before a fetcher did, so the
                // fetchers hold one permit fewer and at most PARALLEL_READS GETs are in flight. Fair: fetched in
                // the order read.
                Semaphore permits = new Semaphore(PARALLEL_READS - 1, true);
                for (String k : remote) {
                    fetches.submit(() -> {
                        permits.acquire();
                        try {
                            return cache.get(k, SegmentReader::decode);
                        } finally {
                            permits.release();
                        }
                    });
                }
            }
            long next = from;
            for (View v : views) {
                read(v, next, to, out);
                next = Math.max(next, Math.min(v.lastSeq(), to) + 1);
            }
        } finally {
            if (fetches != null) {
                fetches.shutdownNow(); // after a failed read, the fetches not needed any more stop
            }
        }
    }

    private static String keyOf(View v) {
        return new LogSegment(v.collection(), v.firstSeq(), v.lastSeq(), v.epoch()).key();
    }

    /** Appends the records {@code from..to} (within the view's range) to {@code out}. */
    void read(View v, long from, long to, List<LogRecord> out) {
        long first = Math.max(from, v.firstSeq());
        long last = Math.min(to, v.lastSeq());
        if (first > last) {
            return;
        }
        if (v.local()) {
            try {
                readLocal(v, first, last, out);
                return;
            } catch (NoSuchFileException e) {
                if (!v.uploaded()) {
                    throw new IllegalStateException("log file " + v.file() + " vanished before it was uploaded", e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read log file " + v.file(), e);
            }
        }
        DecodedSegment d = cache.get(keyOf(v), SegmentReader::decode);
        for (long s = first; s <= last; s++) {
            out.add(new LogRecord(s, d.payloads().get(Math.toIntExact(s - d.firstSeq()))));
        }
    }

    private static void readLocal(View v, long first, long last, List<LogRecord> out) throws IOException {
        int length = Math.toIntExact(v.toOffset() - v.fromOffset());
        ByteBuffer buf = ByteBuffer.allocate(length);
        try (FileChannel ch = FileChannel.open(v.file(), StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, v.fromOffset() + buf.position()) < 0) {
                    break;
                }
            }
        }
        buf.flip();
        int before = out.size();
        RecordFrame.Scan scan = RecordFrame.scan(buf, first, (seq, off, payload) -> out.add(new LogRecord(seq, bytesOf(payload))));
        if (scan.end() != RecordFrame.End.CLEAN || out.size() - before != last - first + 1) {
            throw new WalCorruptedException(v.file(), v.fromOffset() + scan.validBytes(),
                    scan.end() == RecordFrame.End.CLEAN ? "file ends before seq " + last : scan.detail());
        }
    }

    /** Decodes a whole segment object; its frames must be intact and exactly cover the seqs its key names. */
    static DecodedSegment decode(String key, byte[] bytes) {
        LogSegment k = ObjectLayout.parseLogSegment(key).orElseThrow(() -> new CorruptObjectException(key, "not a log segment key"));
        List<byte[]> payloads = new ArrayList<>();
        RecordFrame.Scan scan = RecordFrame.scan(ByteBuffer.wrap(bytes), k.firstSeq(), (seq, off, p) -> payloads.add(bytesOf(p)));
        if (scan.end() != RecordFrame.End.CLEAN) {
            throw new CorruptObjectException(key, scan.detail() + " at offset " + scan.validBytes());
        }
        if (scan.lastSeq() != k.lastSeq()) {
            throw new CorruptObjectException(key, "holds seqs up to " + scan.lastSeq() + " but its key names " + k.lastSeq());
        }
        return new DecodedSegment(k.firstSeq(), payloads, bytes.length + 16L * payloads.size());
    }

    private static byte[] bytesOf(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
