package dev.strata.segment;

import dev.strata.filter.MetadataValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the common shape of stored metadata without a JSON parser: one object of strings without escapes,
 * booleans, numbers and lists of those, as {@link MetadataCodec} writes it. Every record a query returns is
 * decoded, and creating a Jackson parser for each cost about 1 KB of garbage per record (more than the
 * values), a third of a query's allocation at k=10. Anything else (an escape in a string, a number too long,
 * odd whitespace) answers null, and the caller decodes those bytes with Jackson: this reader only saves
 * work, it never decides what a document means.
 */
final class FlatJsonReader {

    private final byte[] b;
    private int i;

    private FlatJsonReader(byte[] bytes) {
        this.b = bytes;
    }

    /** The metadata map of {@code bytes}, with canonical values; null when it is not of the plain shape. */
    static Map<String, Object> read(byte[] bytes) {
        try {
            return new FlatJsonReader(bytes).object();
        } catch (NotPlain | IllegalArgumentException e) {
            return null;
        }
    }

    private Map<String, Object> object() {
        expect('{');
        Map<String, Object> out = new DecodedMetadata();
        if (peek() == '}') {
            i++;
            return end(out);
        }
        while (true) {
            String key = string();
            expect(':');
            out.put(key, peek() == '[' ? list() : scalar());
            byte c = next();
            if (c == '}') {
                return end(out);
            }
            if (c != ',') {
                throw NotPlain.INSTANCE;
            }
        }
    }

    private Map<String, Object> end(Map<String, Object> out) {
        if (i != b.length) {
            throw NotPlain.INSTANCE;
        }
        return out;
    }

    private Object list() {
        expect('[');
        List<Object> values = new ArrayList<>();
        if (peek() == ']') {
            i++;
            return MetadataValues.list(values);
        }
        while (true) {
            values.add(scalar());
            byte c = next();
            if (c == ']') {
                return MetadataValues.list(values);
            }
            if (c != ',') {
                throw NotPlain.INSTANCE;
            }
        }
    }

    private Object scalar() {
        byte c = peek();
        if (c == '"') {
            return string();
        }
        if (c == 't') {
            literal("true");
            return Boolean.TRUE;
        }
        if (c == 'f') {
            literal("false");
            return Boolean.FALSE;
        }
        return number();
    }

    private String string() {
        expect('"');
        int start = i;
        while (true) {
            byte c = next();
            if (c == '"') {
                return new String(b, start, i - 1 - start, StandardCharsets.UTF_8);
            }
            if (c == '\\' || (c >= 0 && c < 0x20)) {
                throw NotPlain.INSTANCE; // escapes and control characters: Jackson's job
            }
        }
    }

    private Object number() {
        int start = i;
        boolean integral = true;
        while (i < b.length) {
            byte c = b[i];
            if (c >= '0' && c <= '9' || c == '-') {
                i++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+') {
                integral = false;
                i++;
            } else {
                break;
            }
        }
        int length = i - start;
        if (length == 0 || length > 24) {
            throw NotPlain.INSTANCE;
        }
        if (integral) {
            if (length > 18) {
                throw NotPlain.INSTANCE; // near or past 64 bits: Jackson decides (and refuses past it)
            }
            return MetadataValues.scalar(integer(start, i));
        }
        return MetadataValues.scalar(Double.parseDouble(new String(b, start, length, StandardCharsets.ISO_8859_1)));
    }

    /** The integer written in {@code b[from, to)} (at most 18 characters, so it cannot overflow), without a String. */
    private long integer(int from, int to) {
        boolean negative = b[from] == '-';
        int p = negative ? from + 1 : from;
        if (p == to) {
            throw NotPlain.INSTANCE;
        }
        long value = 0;
        for (; p < to; p++) {
            int digit = b[p] - '0';
            if (digit < 0 || digit > 9) {
                throw NotPlain.INSTANCE; // a '-' after the first character
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private void literal(String word) {
        for (int k = 0; k < word.length(); k++) {
            if (next() != word.charAt(k)) {
                throw NotPlain.INSTANCE;
            }
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw NotPlain.INSTANCE;
        }
    }

    private byte peek() {
        if (i >= b.length) {
            throw NotPlain.INSTANCE;
        }
        return b[i];
    }

    private byte next() {
        if (i >= b.length) {
            throw NotPlain.INSTANCE;
        }
        return b[i++];
    }

    /** Not the plain shape: decode with Jackson. Preallocated, without a stack: it is control flow here. */
    private static final class NotPlain extends RuntimeException {
        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }
}
