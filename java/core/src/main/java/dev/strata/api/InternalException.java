package dev.strata.api;

/** A failure inside Strata (storage, corruption, a bug), not the caller's fault. */
public class InternalException extends StrataException {
    public InternalException(String message) {
        super(message, null);
    }

    public InternalException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.INTERNAL;
    }
}
