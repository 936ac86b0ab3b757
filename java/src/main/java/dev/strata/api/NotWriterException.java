package dev.strata.api;

/**
 * This node may not write: another node holds the writer lease of the bucket (at open), or took it over after
 * this node's lease expired (a pause longer than the lease's TTL). Reads of what is already here still work;
 * retry writes on the node that holds the lease, or reopen this one once the other has closed.
 */
public class NotWriterException extends InternalException {
    public NotWriterException(String message, Throwable cause) {
        super(message, cause);
    }
}
