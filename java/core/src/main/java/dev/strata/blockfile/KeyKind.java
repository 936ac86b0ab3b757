package dev.strata.blockfile;

/**
 * The type of the key part of a {@link BlockKey}. Keys of different kinds under one prefix sort by kind
 * first, in declaration order (bool, int, float, string), so a range scan over one kind never meets
 * another kind in its middle.
 */
public enum KeyKind {
    BOOL,
    INT,
    FLOAT,
    STRING;

    private static final KeyKind[] BY_TAG = values();

    byte tag() {
        return (byte) ordinal();
    }

    static KeyKind ofTag(int tag) {
        if (tag < 0 || tag >= BY_TAG.length) {
            throw new IllegalArgumentException("unknown key kind tag " + tag);
        }
        return BY_TAG[tag];
    }
}
