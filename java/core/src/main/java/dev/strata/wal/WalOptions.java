package dev.strata.wal;

/**
 * Settings of the write-ahead log.
 *
 * @param segmentBytes a segment is sealed once it holds at least this many bytes
 * @param segmentAgeMs a segment is sealed once its first record is this old (bounds what an
 *     uploader in {@link Durability#LOCAL} mode has not yet put in the object store)
 * @param durability when an append is acknowledged
 * @param s3BatchWindowMs in {@link Durability#S3} mode, appends arriving within this window share one PUT
 * @param uploadIntervalMs how often the background uploader puts sealed segments in the object store
 */
public record WalOptions(long segmentBytes, long segmentAgeMs, Durability durability,
                         long s3BatchWindowMs, long uploadIntervalMs) {

    /** When an append returns. */
    public enum Durability {
        /** After the record is fsync'd to the local segment file. */
        LOCAL,
        /** After the segment object holding the record is in the object store. */
        S3
    }

    /** The largest payload one record may carry. */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

    /** The largest segment size setting: a segment (at most this plus one record) is scanned in one buffer. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;

    public WalOptions {
        if (segmentBytes < 1 || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be 1.." + MAX_SEGMENT_BYTES + ", got " + segmentBytes);
        }
        if (segmentAgeMs < 1) {
            throw new IllegalArgumentException("segmentAgeMs must be >= 1, got " + segmentAgeMs);
        }
        if (durability == null) {
            throw new IllegalArgumentException("durability must be LOCAL or S3, got null");
        }
        if (s3BatchWindowMs < 0) {
            throw new IllegalArgumentException("s3BatchWindowMs must be >= 0, got " + s3BatchWindowMs);
        }
        if (uploadIntervalMs < 1) {
            throw new IllegalArgumentException("uploadIntervalMs must be >= 1, got " + uploadIntervalMs);
        }
    }

    /** 8 MiB segments sealed after 5 s, local durability, 10 ms S3 batch window, upload every second. */
    public static WalOptions defaults() {
        return new WalOptions(8L << 20, 5_000, Durability.LOCAL, 10, 1_000);
    }

    public WalOptions withDurability(Durability d) {
        return new WalOptions(segmentBytes, segmentAgeMs, d, s3BatchWindowMs, uploadIntervalMs);
    }

    public WalOptions withSegmentBytes(long bytes) {
        return new WalOptions(bytes, segmentAgeMs, durability, s3BatchWindowMs, uploadIntervalMs);
    }

    public WalOptions withSegmentAgeMs(long ms) {
        return new WalOptions(segmentBytes, ms, durability, s3BatchWindowMs, uploadIntervalMs);
    }

    public WalOptions withS3BatchWindowMs(long ms) {
        return new WalOptions(segmentBytes, segmentAgeMs, durability, ms, uploadIntervalMs);
    }

    public WalOptions withUploadIntervalMs(long ms) {
        return new WalOptions(segmentBytes, segmentAgeMs, durability, s3BatchWindowMs, ms);
    }
}
