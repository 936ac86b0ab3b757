package dev.strata.wal;

/**
 * Checks a sealed segment object read from the store with the log's own decoder, for tools that
 * verify or copy a bucket without opening a {@link WriteAheadLog} (operator commands).
 */
public final class SegmentObjects {

    private SegmentObjects() {}

    /**
     * Verifies every frame of the segment object stored at {@code key} (checksums, seqs without gaps
     * exactly covering the range its key names, nothing after the last frame) and returns its record
     * count; a damaged object throws {@link dev.strata.storage.CorruptObjectException} with the key.
     */
    public static int verify(String key, byte[] bytes) {
        return SegmentReader.decode(key, bytes).payloads().size();
    }
}
