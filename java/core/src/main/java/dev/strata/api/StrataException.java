package dev.strata.api;

/**
 * Base of every error the client reports, carrying Chroma's error name and HTTP status so the server
 * can answer {"error": errorName(), "message": getMessage()} with httpStatus().
 */
public abstract class StrataException extends RuntimeException {

    protected StrataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Chroma's error name, e.g. "InvalidArgumentError". */
    public abstract String errorName();

    /** The HTTP status the server answers with. */
    public abstract int httpStatus();
}
