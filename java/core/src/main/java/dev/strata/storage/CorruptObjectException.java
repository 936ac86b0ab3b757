package dev.strata.storage;

/**
 * An object was read whole but its content fails its checksum or format check. Never returned as
 * data: upper layers (blocks, roots, log segments) throw this with the offending key.
 */
public class CorruptObjectException extends ObjectStoreException {
    public CorruptObjectException(String key, String detail) {
        super("corrupt object: " + detail, key);
    }
}
