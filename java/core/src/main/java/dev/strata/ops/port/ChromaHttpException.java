package dev.strata.ops.port;

/** A Chroma server answered with an error status, or could not be reached; the message names the request. */
public final class ChromaHttpException extends RuntimeException {

    private final int status;

    public ChromaHttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ChromaHttpException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 when no answer arrived. */
    public int status() {
        return status;
    }
}
