package dev.strata.api;

/**
 * This node was opened read-only (STRATA_READ_ONLY=true, {@code strata serve --read-only}): it serves reads of a
 * bucket that another node writes and refuses every write (add, upsert, update, delete, creating, changing or
 * deleting tenants, databases and collections, compaction, GC). Send writes to the writer node. HTTP 403: the
 * request is well formed, and retrying it on this node cannot succeed.
 */
public class ReadOnlyException extends NotWriterException {
    public ReadOnlyException(String message) {
        super(message, null);
    }

    @Override
    public String errorName() {
        return "ReadOnlyError";
    }

    @Override
    public int httpStatus() {
        return 403;
    }
}
