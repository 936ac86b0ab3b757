package dev.strata.api;

/** A Chroma feature Strata does not support. */
public class UnimplementedException extends StrataException {
    public UnimplementedException(String message) {
        super(message, null);
    }

    public UnimplementedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.UNSUPPORTED;
    }
}
