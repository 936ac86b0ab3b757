package dev.strata.api;

/**
 * A read stopped because it was no longer wanted: its client disconnected, or the node is stopping
 * ({@link Cancellation}). Nothing was changed. HTTP 503: retry it, on this node once it is back or on another.
 */
public final class ReadCancelledException extends StrataException {
    public ReadCancelledException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorName() {
        return "ServiceUnavailableError";
    }

    @Override
    public int httpStatus() {
        return 503;
    }
}
