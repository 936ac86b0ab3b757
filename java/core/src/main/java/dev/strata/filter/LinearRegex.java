package dev.strata.filter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Compiles {@code $regex} / {@code $not_regex} patterns with RE2/J: matching takes time linear in the
 * document, whatever the pattern, so no filter can backtrack for ever (Java's regex took exponential time on
 * {@code (.*a){12}x} and overflowed its stack on {@code ^(a|b)*$} over a 100 KB document). RE2 syntax is also
 * what Chroma's Rust regex crate accepts. What RE2 cannot run in linear time (backreferences, lookaround,
 * atomic groups, possessive quantifiers) is refused when the filter is parsed, with the construct named.
 */
public final class LinearRegex {

    /** Longest pattern accepted. */
    public static final int MAX_PATTERN_CHARS = 4096;

    /**
     * Largest compiled program accepted, estimated from the pattern. RE2/J compiles a counted repetition by
     * copying its operand, so nested counts multiply: {@code ((a{1000}){1000}){1000}} would be a billion
     * instructions (out of memory while compiling) and {@code (a{1000}){1000}} a million (a third of a second to
     * compile, a million steps per document character to match). Matching costs up to (document length x program
     * size) steps, so this bound also bounds one document's match.
     */
    public static final long MAX_PROGRAM_SIZE = 10_000;

    private LinearRegex() {}

    /** The compiled pattern; an {@link InvalidFilterException} (with {@code prefix}) naming what is wrong. */
    static Pattern compile(String pattern, String prefix, String op) {
        if (pattern.length() > MAX_PATTERN_CHARS) {
            throw new InvalidFilterException(prefix + op + " pattern is " + pattern.length() + " characters long; at most "
                    + MAX_PATTERN_CHARS + " are accepted");
        }
        String unsupported = unsupportedConstruct(pattern);
        if (unsupported != null) {
            throw new InvalidFilterException(prefix + op + " uses " + unsupported + ", which Strata does not support:"
                    + " regular expressions run in linear time (RE2 syntax, as Chroma's), without backreferences or"
                    + " lookaround; pattern: " + pattern);
        }
        long size = programSize(pattern);
        if (size > MAX_PROGRAM_SIZE) {
            throw new InvalidFilterException(prefix + op + " pattern is too large once its counted repetitions are"
                    + " expanded (about " + (size >= CAP ? "more than " + CAP : size) + " instructions, at most "
                    + MAX_PROGRAM_SIZE + "); use fewer or smaller {n,m} counts: " + pattern);
        }
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new InvalidFilterException(prefix + "bad regular expression for " + op + ": " + e.getDescription()
                    + " in " + pattern);
        } catch (RuntimeException | StackOverflowError e) {
            // RE2/J's parser recurses on nesting depth; a pathological pattern must still be the caller's error.
            throw new InvalidFilterException(prefix + "regular expression for " + op + " cannot be compiled ("
                    + e.getClass().getSimpleName() + "): " + pattern);
        }
    }

    private static final long CAP = 1_000_000_000L;

    /**
     * An upper estimate of the instructions RE2/J compiles the pattern to: one per literal, class, operator and
     * group, with a counted repetition {n,m} multiplying its operand by m (n+1 for {n,}). Alternatives are summed,
     * not maximized, so it over-counts; values saturate at {@link #CAP}.
     */
    static long programSize(String p) {
        java.util.ArrayDeque<long[]> groups = new java.util.ArrayDeque<>();
        long sum = 0;
        long last = 0; // size of the atom a following quantifier applies to
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            long atom;
            switch (c) {
                case '\\' -> {
                    i = skipEscape(p, i);
                    atom = 1;
                }
                case '[' -> {
                    i = skipClass(p, i);
                    atom = 1;
                }
                case '(' -> {
                    groups.push(new long[] {sum, last});
                    sum = 0;
                    last = 0;
                    continue;
                }
                case ')' -> {
                    atom = sat(sum + 1);
                    long[] outer = groups.isEmpty() ? new long[] {0, 0} : groups.pop();
                    sum = outer[0];
                }
                case '|' -> {
                    sum = sat(sum + 1);
                    last = 0;
                    continue;
                }
                case '*', '+', '?' -> {
                    sum = sat(sum + 1);
                    continue;
                }
                case '{' -> {
                    int close = p.indexOf('}', i);
                    long count = close < 0 ? -1 : repeatCount(p.substring(i + 1, close));
                    if (count < 0) {
                        atom = 1; // not a repetition: a literal '{'
                        break;
                    }
                    sum = sat(sum + sat(mul(last, Math.max(0, count - 1)) + 1));
                    last = sat(mul(last, count));
                    i = close;
                    continue;
                }
                default -> atom = 1;
            }
            sum = sat(sum + atom);
            last = atom;
        }
        while (!groups.isEmpty()) {
            sum = sat(sum + groups.pop()[0]);
        }
        return sum;
    }

    /** The largest count of "n", "n," or "n,m", or -1 when the text is not a repetition. */
    private static long repeatCount(String inside) {
        if (!inside.matches("\\d{1,9}(,\\d{0,9})?")) {
            return -1;
        }
        int comma = inside.indexOf(',');
        if (comma < 0) {
            return Long.parseLong(inside);
        }
        String max = inside.substring(comma + 1);
        return max.isEmpty() ? Long.parseLong(inside.substring(0, comma)) + 1 : Long.parseLong(max);
    }

    private static int skipEscape(String p, int i) {
        if (i + 1 >= p.length()) {
            return i;
        }
        char next = p.charAt(i + 1);
        if ((next == 'p' || next == 'P' || next == 'x') && i + 2 < p.length() && p.charAt(i + 2) == '{') {
            int close = p.indexOf('}', i + 2);
            return close < 0 ? p.length() - 1 : close;
        }
        return i + 1;
    }

    private static int skipClass(String p, int i) {
        int j = i + 1;
        if (j < p.length() && p.charAt(j) == '^') {
            j++;
        }
        if (j < p.length() && p.charAt(j) == ']') {
            j++;
        }
        for (; j < p.length(); j++) {
            char c = p.charAt(j);
            if (c == '\\') {
                j = skipEscape(p, j);
            } else if (c == '[' && j + 1 < p.length() && p.charAt(j + 1) == ':') {
                int close = p.indexOf(":]", j + 2);
                j = close < 0 ? j : close + 1;
            } else if (c == ']') {
                return j;
            }
        }
        return p.length() - 1;
    }

    private static long sat(long v) {
        return Math.min(v, CAP);
    }

    private static long mul(long a, long b) {
        return a != 0 && b > CAP / a ? CAP : a * b;
    }

    /**
     * The name of a backtracking-only construct the pattern uses, or null. Scans outside character classes
     * and skips escaped characters, so {@code [(?=]} and {@code \(?=} are plain text, as RE2 reads them.
     */
    static String unsupportedConstruct(String p) {
        boolean inClass = false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                char next = p.charAt(i + 1);
                if (!inClass && next >= '1' && next <= '9') {
                    return "a backreference (\\" + next + ")";
                }
                if (!inClass && next == 'k' && i + 2 < p.length() && (p.charAt(i + 2) == '<' || p.charAt(i + 2) == '{'
                        || p.charAt(i + 2) == '\'')) {
                    return "a named backreference (\\k<...>)";
                }
                i++;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
                continue;
            }
            if (c == '[') {
                inClass = true;
                // A ']' right after '[' or '[^' is a literal member, not the end of the class.
                if (i + 1 < p.length() && p.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < p.length() && p.charAt(i + 1) == ']') {
                    i++;
                }
                continue;
            }
            if (c == '(' && p.startsWith("(?", i)) {
                if (p.startsWith("(?=", i)) {
                    return "a lookahead (?=...)";
                }
                if (p.startsWith("(?!", i)) {
                    return "a negative lookahead (?!...)";
                }
                if (p.startsWith("(?<=", i)) {
                    return "a lookbehind (?<=...)";
                }
                if (p.startsWith("(?<!", i)) {
                    return "a negative lookbehind (?<!...)";
                }
                if (p.startsWith("(?>", i)) {
                    return "an atomic group (?>...)";
                }
            }
            if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < p.length() && p.charAt(i + 1) == '+') {
                return "a possessive quantifier (" + c + "+)";
            }
        }
        return null;
    }
}
