package dev.strata.wal;

import java.nio.file.Path;

/**
 * A local segment file fails its checksum or framing somewhere other than a torn tail. The log refuses
 * to open (or to return the records) rather than skip acknowledged data.
 */
public class WalCorruptedException extends RuntimeException {
    private final Path file;
    private final long offset;

    public WalCorruptedException(Path file, long offset, String detail) {
        super("corrupt write-ahead log segment " + file + " at offset " + offset + ": " + detail);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
