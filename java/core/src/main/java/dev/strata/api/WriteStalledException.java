package dev.strata.api;

/**
 * A write waited longer than {@code STRATA_WRITE_STALL_TIMEOUT_MS} for compaction to make room in a
 * collection's uncompacted log tail ({@code STRATA_MAX_TAIL_RECORDS}): writes arrive faster than this node
 * indexes them, or compaction is failing (see the log). Nothing of the write was logged: retry it later.
 * Chroma's rate-limit error, HTTP 429, which clients treat as retryable.
 */
public final class WriteStalledException extends StrataException {
    public WriteStalledException(String message) {
        super(message, null);
    }

    @Override
    public String errorName() {
        return "RateLimitError";
    }

    @Override
    public int httpStatus() {
        return 429;
    }
}
