package dev.strata.server;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows of JSON numbers ({@code [[0.1, -2e-3, ...], null, ...]}) read straight from a request body's bytes into float
 * arrays. A query's 384 decimals of 17 digits were half of its JSON parse through Jackson's tokens: each number
 * copied into a char buffer, made a String, then parsed. Here each is validated against JSON's number grammar and
 * parsed in place.
 *
 * <p>Only what the tree parse would accept as plain numbers is read: anything else (another JSON type, a number
 * outside the grammar or over {@link #MAX_NUMBER_LENGTH} characters, an integer of more than 18 digits, a missing
 * or extra comma) makes {@link #read} answer null, and the caller parses the whole body the slow way, which gives
 * the error. Values equal the tree parse's {@code (float) doubleValue()}: an integer converts from its exact value,
 * a decimal from its correctly rounded double.
 */
final class JsonNumberRows {

    /**
     * The longest number a body may hold (no number needs more: a double's longest exact form is 24 characters), set
     * as Jackson's limit by JsonBody's StreamReadConstraints; longer ones take the slow path, which refuses them.
     */
    static final int MAX_NUMBER_LENGTH = 100;
    /** Integers of up to 18 digits fit a long exactly; longer ones go to the slow path (Jackson's BigInteger). */
    private static final int MAX_LONG_DIGITS = 18;

    /** The rows, and the offset just past the outer array's closing bracket. */
    record Rows(List<float[]> rows, int end) {}

    private JsonNumberRows() {}

    /** The rows of the array that opens at {@code start} (a {@code [}), or null if it is not rows of numbers. */
    static Rows read(byte[] b, int start) {
        if (start >= b.length || b[start] != '[') {
            return null;
        }
        List<float[]> rows = new ArrayList<>(1);
        int i = whitespace(b, start + 1);
        if (i < b.length && b[i] == ']') {
            return new Rows(rows, i + 1);
        }
        float[] buffer = new float[16];
        while (i < b.length) {
            if (b[i] == 'n') {
                if (!isNull(b, i)) {
                    return null;
                }
                rows.add(null);
                i += 4;
            } else if (b[i] == '[') {
                int n = 0;
                i = whitespace(b, i + 1);
                if (i < b.length && b[i] == ']') {
                    i++;
                } else {
                    while (true) {
                        int end = numberEnd(b, i);
                        if (end < 0) {
                            return null;
                        }
                        if (n == buffer.length) {
                            buffer = Arrays.copyOf(buffer, n * 2);
                        }
                        float value = value(b, i, end);
                        if (Float.isNaN(value)) {
                            return null; // an integer too long for a long: the slow path
                        }
                        buffer[n++] = value;
                        i = whitespace(b, end);
                        if (i >= b.length) {
                            return null;
                        }
                        if (b[i] == ']') {
                            i++;
                            break;
                        }
                        if (b[i] != ',') {
                            return null;
                        }
                        i = whitespace(b, i + 1);
                    }
                }
                rows.add(Arrays.copyOf(buffer, n));
            } else {
                return null;
            }
            i = whitespace(b, i);
            if (i >= b.length) {
                return null;
            }
            if (b[i] == ']') {
                return new Rows(rows, i + 1);
            }
            if (b[i] != ',') {
                return null;
            }
            i = whitespace(b, i + 1);
        }
        return null;
    }

    /** The first offset from {@code i} that is not JSON whitespace. */
    static int whitespace(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isNull(byte[] b, int i) {
        return i + 4 <= b.length && b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l';
    }

    /**
     * The end of the JSON number at {@code i} ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}), or -1 if
     * none starts there or it is longer than {@link #MAX_NUMBER_LENGTH}. What follows it is the caller's to check.
     */
    static int numberEnd(byte[] b, int i) {
        int j = i;
        if (j < b.length && b[j] == '-') {
            j++;
        }
        if (j >= b.length) {
            return -1;
        }
        if (b[j] == '0') {
            j++;
        } else if (isDigit(b[j])) {
            j = digits(b, j);
        } else {
            return -1;
        }
        if (j < b.length && b[j] == '.') {
            int from = j + 1;
            j = digits(b, from);
            if (j == from) {
                return -1;
            }
        }
        if (j < b.length && (b[j] == 'e' || b[j] == 'E')) {
            j++;
            if (j < b.length && (b[j] == '+' || b[j] == '-')) {
                j++;
            }
            int from = j;
            j = digits(b, from);
            if (j == from) {
                return -1;
            }
        }
        return j - i > MAX_NUMBER_LENGTH ? -1 : j;
    }

    /** The number in {@code b[from, to)} (grammar already checked) as a float; NaN for a too long integer. */
    private static float value(byte[] b, int from, int to) {
        boolean negative = b[from] == '-';
        int digitsFrom = negative ? from + 1 : from;
        boolean integer = true;
        for (int j = digitsFrom; j < to; j++) {
            if (!isDigit(b[j])) {
                integer = false;
                break;
            }
        }
        if (!integer) {
            return (float) JavaDoubleParser.parseDouble(b, from, to - from);
        }
        if (to - digitsFrom > MAX_LONG_DIGITS) {
            return Float.NaN;
        }
        long v = 0;
        for (int j = digitsFrom; j < to; j++) {
            v = v * 10 + (b[j] - '0');
        }
        return (float) (double) (negative ? -v : v);
    }

    private static int digits(byte[] b, int j) {
        while (j < b.length && isDigit(b[j])) {
            j++;
        }
        return j;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
