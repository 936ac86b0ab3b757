package dev.strata.storage;

/** The key names no object. */
public class ObjectNotFoundException extends ObjectStoreException {
    public ObjectNotFoundException(String key) {
        super("no such object", key);
    }
}
