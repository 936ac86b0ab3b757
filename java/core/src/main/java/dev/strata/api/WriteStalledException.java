package dev.strata.api;

/**
 * A write waited longer than {@code STRATA_WRITE_STALL_TIMEOUT_MS} for compaction to make room in a
 * collection's uncompacted log tail ({@code STRATA_MAX_TAIL_RECORDS}): writes arrive faster than this node
 * indexes them, or compaction is failing (see the log). Nothing of the write was logged: retry it later.
 * Retryable (the server answers Chroma's rate-limit error, which clients retry).
 */
public final class WriteStalledException extends StrataException {
    public WriteStalledException(String message) {
        super(message, null);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.UNAVAILABLE;
    }
}
