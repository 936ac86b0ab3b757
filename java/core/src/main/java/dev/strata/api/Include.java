package dev.strata.api;

import java.util.EnumSet;
import java.util.Set;

/** Which fields a get or query returns, named as in Chroma's {@code include}. */
public enum Include {
    EMBEDDINGS("embeddings"),
    DOCUMENTS("documents"),
    METADATAS("metadatas"),
    DISTANCES("distances"),
    URIS("uris");

    private final String wireName;

    Include(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Chroma's default for get: documents and metadatas. */
    public static Set<Include> getDefaults() {
        return EnumSet.of(DOCUMENTS, METADATAS);
    }

    /** Chroma's default for query: documents, metadatas and distances. */
    public static Set<Include> queryDefaults() {
        return EnumSet.of(DOCUMENTS, METADATAS, DISTANCES);
    }

    public static Include fromWireName(String name) {
        for (Include i : values()) {
            if (i.wireName.equals(name)) {
                return i;
            }
        }
        throw new InvalidArgumentException("Unknown include item \"" + name
                + "\"; expected embeddings, documents, metadatas, distances or uris");
    }
}
