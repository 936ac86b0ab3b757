package dev.strata.api;

/**
 * Base of every error Strata reports to its callers. {@link #kind()} says what the caller can do about it
 * and {@link #retryable()} whether the same request may succeed later; the message says what went wrong and
 * where. How an error travels over HTTP (Chroma's error name and status) is the server's business.
 */
public abstract class StrataException extends RuntimeException {

    protected StrataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What the caller can do about this error. */
    public abstract ErrorKind kind();

    /** True when sending the same request again, after a backoff, can succeed. */
    public final boolean retryable() {
        return kind().retryable();
    }
}
