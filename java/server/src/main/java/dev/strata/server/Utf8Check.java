package dev.strata.server;

/**
 * Whether a JSON body's bytes are text Chroma would read: well-formed UTF-8 (no overlong forms, no encoded
 * surrogates, nothing past U+10FFFF) and no {@code \\u} escape of a lone surrogate. Jackson decodes an overlong
 * {@code C0 AF} to '/' and keeps lone surrogates; Chroma's serde_json refuses both, and so does this (400).
 */
final class Utf8Check {

    private Utf8Check() {}

    /** Null when the body is acceptable, else what is wrong with it and where. */
    static String problem(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i];
            if (c >= 0) {
                if (c == '\\' && i + 1 < n) {
                    if (b[i + 1] == 'u') {
                        String bad = escape(b, i);
                        if (bad != null) {
                            return bad;
                        }
                        i += isHigh(hex(b, i + 2)) ? 12 : 6;
                    } else {
                        i += 2; // \\ \" \n ...: the escaped byte is not the start of another escape
                    }
                    continue;
                }
                i++;
                continue;
            }
            int len;
            int min;
            int cp;
            if ((c & 0xE0) == 0xC0) {
                len = 2;
                min = 0x80;
                cp = c & 0x1F;
            } else if ((c & 0xF0) == 0xE0) {
                len = 3;
                min = 0x800;
                cp = c & 0x0F;
            } else if ((c & 0xF8) == 0xF0) {
                len = 4;
                min = 0x10000;
                cp = c & 0x07;
            } else {
                return invalid(i);
            }
            if (i + len > n) {
                return invalid(i);
            }
            for (int k = 1; k < len; k++) {
                int cc = b[i + k];
                if ((cc & 0xC0) != 0x80) {
                    return invalid(i);
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return invalid(i);
            }
            i += len;
        }
        return null;
    }

    /** A {@code \\uXXXX} escape at {@code at}: null when it is a whole character or a surrogate pair. */
    private static String escape(byte[] b, int at) {
        int u = hex(b, at + 2);
        if (u < 0 || !(isHigh(u) || isLow(u))) {
            return null; // not a surrogate (a malformed escape is the JSON parser's to report)
        }
        if (isHigh(u) && at + 11 < b.length && b[at + 6] == '\\' && b[at + 7] == 'u' && isLow(hex(b, at + 8))) {
            return null;
        }
        return "The request body holds a lone surrogate escape (\\u" + Integer.toHexString(u).toUpperCase()
                + ") at byte " + at + ": strings must be valid Unicode";
    }

    private static boolean isHigh(int u) {
        return u >= 0xD800 && u <= 0xDBFF;
    }

    private static boolean isLow(int u) {
        return u >= 0xDC00 && u <= 0xDFFF;
    }

    /** The 4 hex digits at {@code at}, or -1. */
    private static int hex(byte[] b, int at) {
        if (at + 4 > b.length) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(b[at + k], 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static String invalid(int at) {
        return "The request body is not valid UTF-8 (at byte " + at + ")";
    }
}
