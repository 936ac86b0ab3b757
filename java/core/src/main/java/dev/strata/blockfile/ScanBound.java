package dev.strata.blockfile;

/**
 * Where a scan stops: at the first key outside {@code prefix} (null: never), of another kind than
 * {@code kind} (null: any kind), or beyond {@code to} (null: no key bound).
 */
record ScanBound(String prefix, KeyKind kind, BlockKey to, boolean toInclusive) {

    static final ScanBound NONE = new ScanBound(null, null, null, false);

    boolean passed(KeyColumns keys, int row) {
        if (prefix != null && !keys.prefix(row).equals(prefix)) {
            return true;
        }
        if (kind != null && keys.kind(row) != kind) {
            return true;
        }
        if (to == null) {
            return false;
        }
        int c = keys.compareAt(row, to);
        return toInclusive ? c > 0 : c >= 0;
    }
}
