package dev.strata.api;

/**
 * A read (get, query, count, or the scan of a filtered delete) ran longer than {@code STRATA_QUERY_TIMEOUT_MS} and
 * was stopped; nothing was changed. Narrow it (filters, n_results, limit) or raise the setting. Not retryable as it is: the
 * request, not the node, is at fault, and the node kept serving everything else meanwhile.
 */
public final class DeadlineExceededException extends StrataException {
    public DeadlineExceededException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.TIMED_OUT;
    }
}
