package dev.strata.storage;

/** An object-store operation failed after retries. Carries the key it concerned, when there is one. */
public class ObjectStoreException extends RuntimeException {
    private final String key;

    public ObjectStoreException(String message, String key, Throwable cause) {
        super(key == null ? message : message + " (key " + key + ")", cause);
        this.key = key;
    }

    public ObjectStoreException(String message, String key) {
        this(message, key, null);
    }

    /** The object key the failure concerned, or null. */
    public String key() {
        return key;
    }
}
