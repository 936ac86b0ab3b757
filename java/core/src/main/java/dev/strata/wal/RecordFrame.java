package dev.strata.wal;

import dev.strata.storage.FileFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;


/**
 * The framing of one record in a segment file and in a segment object:
 * {@code [int32 payload length][int32 crc32c][int64 seq][payload]}, little-endian. The CRC covers the
 * length, the seq and the payload, so a frame is self-checking wherever its bytes end up. Frames carry no
 * magic or version: the payload (a {@code segment.LogBatchCodec} batch) has its own.
 */
final class RecordFrame {

    static final int HEADER_BYTES = 16;

    private RecordFrame() {}

    static ByteBuffer encode(long seq, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(payload.length).putInt(crc(payload.length, seq, ByteBuffer.wrap(payload))).putLong(seq).put(payload);
        return b.flip();
    }

    static int crc(int length, long seq, ByteBuffer payload) {
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(length).putLong(seq).flip();
        return FileFormat.crc32c(head, payload);
    }

    /** Receives each valid frame of a scan; {@code payload} is a view valid only during the call. */
    @FunctionalInterface
    interface Visitor {
        void frame(long seq, long offset, ByteBuffer payload);
    }

    /** How a scan ended. */
    enum End { CLEAN, TORN_TAIL, CORRUPT }

    /**
     * The outcome of scanning frames: the bytes and last seq of the valid prefix, and why it stopped.
     * {@code problemOffset} is where the first bad frame starts (equal to {@code validBytes}).
     */
    record Scan(long validBytes, long lastSeq, int frames, End end, String detail) {}

    /**
     * Scans the frames in {@code buf} (position 0 to limit) expecting seqs {@code firstSeq, firstSeq+1, ...}
     * (any first seq when {@code firstSeq} is negative). A bad frame that reaches the end of the buffer,
     * or is followed only by zeros, is a torn tail; a bad frame with data after it, or a frame with a
     * valid CRC but an unexpected seq, is corruption.
     */
    static Scan scan(ByteBuffer buf, long firstSeq, Visitor visitor) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int limit = b.limit();
        int off = 0;
        long expected = firstSeq;
        long lastSeq = firstSeq < 0 ? -1 : firstSeq - 1;
        int frames = 0;
        while (off < limit) {
            if (limit - off < HEADER_BYTES) {
                return new Scan(off, lastSeq, frames, tailEnd(b, off), "partial frame header");
            }
            int length = b.getInt(off);
            int storedCrc = b.getInt(off + 4);
            long seq = b.getLong(off + 8);
            if (length < 0 || length > WalOptions.MAX_PAYLOAD_BYTES || (long) off + HEADER_BYTES + length > limit) {
                return new Scan(off, lastSeq, frames, tailEnd(b, off), "frame length " + length + " runs past the end");
            }
            ByteBuffer payload = b.slice(off + HEADER_BYTES, length);
            if (crc(length, seq, payload) != storedCrc) {
                boolean last = off + HEADER_BYTES + length == limit;
                return new Scan(off, lastSeq, frames, last ? End.TORN_TAIL : tailEnd(b, off), "checksum mismatch");
            }
            if (expected >= 0 && seq != expected) {
                return new Scan(off, lastSeq, frames, End.CORRUPT, "expected seq " + expected + " but found " + seq);
            }
            if (visitor != null) {
                visitor.frame(seq, off, payload);
            }
            lastSeq = seq;
            expected = seq + 1;
            frames++;
            off += HEADER_BYTES + length;
        }
        return new Scan(off, lastSeq, frames, End.CLEAN, "");
    }

    /** Zeros (a tail the file system extended but never wrote) or a cut frame: torn; anything else: corrupt. */
    private static End tailEnd(ByteBuffer b, int off) {
        int limit = b.limit();
        int length = limit - off >= 4 ? b.getInt(off) : 0;
        if (length < 0 || length > WalOptions.MAX_PAYLOAD_BYTES || (long) off + HEADER_BYTES + length >= limit) {
            return End.TORN_TAIL;
        }
        for (int i = off; i < limit; i++) {
            if (b.get(i) != 0) {
                return End.CORRUPT;
            }
        }
        return End.TORN_TAIL;
    }
}
