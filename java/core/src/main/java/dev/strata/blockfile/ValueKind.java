package dev.strata.blockfile;

/** The value type of a blockfile, recorded in every block and root header (one value type per blockfile). */
public enum ValueKind {
    STRING,
    LONG,
    DOUBLE,
    BOOL,
    BYTES,
    BITMAP,
    FLOAT_VECTOR,
    /** Float vectors with a byte code per component (one more Arrow column, {@code code}). */
    FLOAT_VECTOR_WITH_CODE;

    private static final ValueKind[] BY_TAG = values();

    byte tag() {
        return (byte) ordinal();
    }

    /** The kind with header tag {@code tag}, or null when the tag is unknown (the caller reports corruption). */
    static ValueKind ofTagOrNull(int tag) {
        return tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
    }
}
