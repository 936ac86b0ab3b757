package dev.strata.wal;

import dev.strata.storage.BlockCache;
import dev.strata.storage.Cacheable;
import dev.strata.storage.CorruptObjectException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

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
        String key = new SegmentKey(v.collection(), v.firstSeq(), v.lastSeq(), v.epoch()).key();
        DecodedSegment d = cache.get(key, SegmentReader::decode);
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
        SegmentKey k = SegmentKey.parse(key).orElseThrow(() -> new CorruptObjectException(key, "not a log segment key"));
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
