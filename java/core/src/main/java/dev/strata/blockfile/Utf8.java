package dev.strata.blockfile;

/** UTF-8 facts about strings stored in blocks: well-formedness (so they round-trip) and encoded length. */
final class Utf8 {
    private Utf8() {}

    /**
     * Returns {@code s} when it is valid Unicode; an unpaired surrogate has no UTF-8 form and would come
     * back from a block as '?', so it is rejected up front.
     */
    static String requireWellFormed(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " has an unpaired surrogate at index " + i + ": not valid Unicode");
            }
        }
        return s;
    }

    static int length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // a 4-byte code point counted as two chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }
}
