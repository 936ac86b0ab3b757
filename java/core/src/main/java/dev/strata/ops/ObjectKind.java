package dev.strata.ops;

import dev.strata.catalog.CatalogOptions;
import java.util.Optional;

/** What an object of the bucket is, from its key alone (DESIGN §2, "where bytes live"). */
public enum ObjectKind {
    /** {@code c/{id}/b/{uuid}}: an Arrow IPC block of a blockfile. */
    BLOCK("blocks"),
    /** {@code c/{id}/r/{uuid}}: a blockfile root. */
    ROOT("roots"),
    /** {@code c/{id}/i/{uuid}/...}: a vector index file. */
    INDEX("index"),
    /** {@code c/{id}/log/{first}-{last}.wal}: a sealed log segment. */
    LOG("log"),
    /** {@code c/{id}/v/{version}.json}: a version manifest. */
    VERSION_MANIFEST("manifests"),
    /** {@code catalog/manifest.json}. */
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

    /** The kind of the object stored at {@code key}. */
    public static ObjectKind of(String key) {
        if (key.equals(CatalogOptions.MANIFEST_KEY)) {
            return CATALOG;
        }
        String[] parts = key.split("/", 4);
        if (parts.length < 4 || !parts[0].equals("c")) {
            return OTHER;
        }
        return switch (parts[2]) {
            case "b" -> BLOCK;
            case "r" -> ROOT;
            case "i" -> INDEX;
            case "log" -> LOG;
            case "v" -> VERSION_MANIFEST;
            default -> OTHER;
        };
    }

    /** The collection folder a key lives in ({@code c/{id}/...} gives {@code id}), if any. */
    public static Optional<String> collectionOf(String key) {
        if (!key.startsWith("c/")) {
            return Optional.empty();
        }
        int slash = key.indexOf('/', 2);
        return slash > 2 ? Optional.of(key.substring(2, slash)) : Optional.empty();
    }
}
