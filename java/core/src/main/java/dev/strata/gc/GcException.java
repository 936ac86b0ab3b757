package dev.strata.gc;

/** Garbage collection of a collection stopped: nothing it could not prove unneeded was deleted. */
public final class GcException extends RuntimeException {
    public GcException(String message, Throwable cause) {
        super(message, cause);
    }
}
