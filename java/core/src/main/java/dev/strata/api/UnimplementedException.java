package dev.strata.api;

/** A Chroma feature Strata does not support (HTTP 501). */
public class UnimplementedException extends StrataException {
    public UnimplementedException(String message) {
        super(message, null);
    }

    public UnimplementedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorName() {
        return "UnimplementedError";
    }

    @Override
    public int httpStatus() {
        return 501;
    }
}
