package dev.strata.api;

/** The distance function of a collection's vector index; fixed when the collection is created. */
public enum Space {
    /** Squared Euclidean distance. */
    L2("l2"),
    /** 1 - dot product. */
    IP("ip"),
    /** 1 - dot product of the normalized vectors. */
    COSINE("cosine");

    private final String wireName;

    Space(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Space fromWireName(Object name) {
        for (Space s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new InvalidArgumentException("Invalid space \"" + name + "\"; expected l2, ip or cosine");
    }
}
