package dev.strata.nativeio;

import java.util.Locale;

/** Distance spaces as Chroma names them: l2 = squared euclidean, ip = 1 - dot, cosine = 1 - cos. */
public enum Space {
    L2("l2", StrataNative.STRATA_SPACE_L2),
    IP("ip", StrataNative.STRATA_SPACE_IP),
    COSINE("cosine", StrataNative.STRATA_SPACE_COSINE);

    private final String chromaName;
    private final int code;

    Space(String chromaName, int code) {
        this.chromaName = chromaName;
        this.code = code;
    }

    public String chromaName() {
        return chromaName;
    }

    int code() {
        return code;
    }

    /** Parses a Chroma space name ({@code hnsw:space}). */
    public static Space of(String name) {
        if (name != null) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (Space s : values()) {
                if (s.chromaName.equals(lower)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown space '" + name + "': expected l2, ip or cosine");
    }
}
