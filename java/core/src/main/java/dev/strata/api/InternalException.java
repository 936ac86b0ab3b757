package dev.strata.api;

/** A failure inside Strata (storage, corruption, a bug), not the caller's fault (HTTP 500). */
public class InternalException extends StrataException {
    public InternalException(String message) {
        super(message, null);
    }

    public InternalException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorName() {
        return "InternalError";
    }

    @Override
    public int httpStatus() {
        return 500;
    }
}
