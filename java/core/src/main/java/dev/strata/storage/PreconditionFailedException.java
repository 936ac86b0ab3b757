package dev.strata.storage;

/** A conditional write lost: the object exists (put-if-absent) or its ETag changed (put-if-match). */
public class PreconditionFailedException extends ObjectStoreException {
    public PreconditionFailedException(String key, String detail) {
        super("conditional write failed: " + detail, key);
    }

    public PreconditionFailedException(String key, String detail, Throwable cause) {
        super("conditional write failed: " + detail, key, cause);
    }
}
