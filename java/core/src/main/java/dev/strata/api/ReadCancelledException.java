package dev.strata.api;

/**
 * A read stopped because it was no longer wanted: its client disconnected, or the node is stopping
 * ({@link Cancellation}). Nothing was changed. Retryable, on this node once it is back or on another.
 */
public final class ReadCancelledException extends StrataException {
    public ReadCancelledException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.UNAVAILABLE;
    }
}
