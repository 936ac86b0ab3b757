package dev.strata.api;

/**
 * This node was opened read-only (STRATA_READ_ONLY=true, {@code strata serve --read-only}): it serves reads of a
 * bucket that another node writes and refuses every write (add, upsert, update, delete, creating, changing or
 * deleting tenants, databases and collections, compaction, GC). Send writes to the writer node. Refused, not
 * retryable: the request is well formed, and sending it to this node again cannot succeed.
 */
public class ReadOnlyException extends NotWriterException {
    public ReadOnlyException(String message) {
        super(message, null);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.REFUSED;
    }
}
