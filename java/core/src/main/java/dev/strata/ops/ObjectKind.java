package dev.strata.ops;

import dev.strata.storage.ObjectLayout;

/** What an object of the bucket is, from its key alone ({@link ObjectLayout} defines the keys). */
public enum ObjectKind {
    /** An Arrow IPC block of a blockfile. */
    BLOCK("blocks"),
    /** A blockfile root. */
    ROOT("roots"),
    /** A vector index file. */
    INDEX("index"),
    /** A sealed log segment. */
    LOG("log"),
    /** A version manifest. */
    VERSION_MANIFEST("manifests"),
    /** The catalog manifest. */
    CATALOG("catalog"),
    /** Anything else (the lease, or a key outside the layout). */
    OTHER("other");

    private final String label;

    ObjectKind(String label) {
        this.label = label;
    }

    /** Short plural name used in tables and JSON ("blocks", "roots", ...). */
    public String label() {
        return label;
    }

    /** The kind of the object stored at {@code key}, by the collection sub-folder it lies in. */
    public static ObjectKind of(String key) {
        if (key.equals(ObjectLayout.CATALOG_MANIFEST)) {
            return CATALOG;
        }
        return ObjectLayout.folderOf(key).map(f -> switch (f) {
            case BLOCKS -> BLOCK;
            case ROOTS -> ROOT;
            case INDEX_FILES -> INDEX;
            case LOG -> LOG;
            case VERSIONS -> VERSION_MANIFEST;
        }).orElse(OTHER);
    }
}
