package dev.strata.api;

/**
 * What a caller can do about a {@link StrataException}: the one question an error must answer for code that
 * handles it (SlateDB's {@code ErrorKind}, gRPC's status codes). The kinds say nothing about HTTP: the server
 * maps each error to Chroma's error name and status ({@code dev.strata.server.ChromaErrors}).
 */
public enum ErrorKind {
    /** The request is wrong (a value, a filter, a name, a dimension, a batch): fix it; resending it fails again. */
    INVALID_INPUT(false),
    /** The tenant, database or collection named does not exist. */
    NOT_FOUND(false),
    /** It contradicts what exists: a name already taken, or a node folder another node holds. */
    CONFLICT(false),
    /**
     * Not now, or not here; nothing was changed. Send the same request again later (writes outpace indexing, the
     * node is stopping) or to the node that holds the writer lease.
     */
    UNAVAILABLE(true),
    /** This node will never do it (it was opened read-only): send it to another node, not again to this one. */
    REFUSED(false),
    /** The read ran past its deadline and was stopped; nothing was changed. Narrow it, or raise the deadline. */
    TIMED_OUT(false),
    /** A Chroma feature Strata does not support. */
    UNSUPPORTED(false),
    /** Something inside Strata failed (storage, corrupt data, a bug): not the caller's fault; see the node's log. */
    INTERNAL(false);

    private final boolean retryable;

    ErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    /** True when sending the same request again (after a backoff) can succeed. */
    public boolean retryable() {
        return retryable;
    }
}
