package dev.strata.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** $regex runs in linear time (RE2); what RE2 cannot run is refused when the filter is parsed, naming the construct. */
class LinearRegexTest {

    private static DocumentFilter parse(String op, String pattern) {
        return FilterParser.parseWhereDocument(Map.of(op, pattern));
    }

    @Test
    void backtrackingOnlyConstructsAreRefusedByName() {
        Map<String, String> refused = Map.of(
                "(a)\\1", "backreference",
                "(?<n>a)\\k<n>", "named backreference",
                "a(?=b)", "lookahead",
                "a(?!b)", "negative lookahead",
                "(?<=a)b", "lookbehind",
                "(?<!a)b", "negative lookbehind",
                "(?>ab)", "atomic group",
                "a*+", "possessive quantifier");
        refused.forEach((pattern, construct) -> {
            for (String op : new String[] {"$regex", "$not_regex"}) {
                assertThatThrownBy(() -> parse(op, pattern)).as(pattern)
                        .isInstanceOf(InvalidFilterException.class)
                        .hasMessageStartingWith("Invalid where document clause: ")
                        .hasMessageContaining(construct)
                        .hasMessageContaining(op);
            }
        });
    }

    @Test
    void escapedOrBracketedLookalikesAreText() {
        assertThat(parse("$regex", "\\(?=x").matches("a(=x")).isTrue();
        assertThat(parse("$regex", "[(?=]+").matches("?=")).isTrue();
        assertThat(parse("$regex", "[]\\\\1]").matches("1")).isTrue();
    }

    @Test
    void programsThatExpandPastTheBoundAreRefusedBeforeCompiling() {
        // ((a{1000}){1000}){1000} would be a billion instructions: it ran out of memory while compiling.
        for (String p : new String[] {"((a{1000}){1000}){1000}", "(a{1000}){1000}", "(((a{100}){100}){100}){100}",
                "x".repeat(LinearRegex.MAX_PATTERN_CHARS + 1)}) {
            assertThatThrownBy(() -> parse("$regex", p)).isInstanceOf(InvalidFilterException.class)
                    .hasMessageContaining("$regex pattern is");
        }
        assertThat(LinearRegex.programSize("[a-z]{1,100}")).isBetween(100L, 120L);
        assertThat(LinearRegex.programSize("a{")).isLessThan(5);
        assertThat(parse("$regex", "\\d{3}-\\d{4}").matches("call 555-1234")).isTrue();
    }

    @Test
    void syntaxErrorsAndRe2SemanticsMatchChromas() {
        assertThatThrownBy(() -> parse("$regex", "(unclosed")).isInstanceOf(InvalidFilterException.class)
                .hasMessageContaining("bad regular expression");
        // Unanchored search, RE2 classes and flags, as Rust's regex crate.
        assertThat(parse("$regex", "(?i)QUICK").matches("the quick fox")).isTrue();
        assertThat(parse("$regex", "\\pL+\\d").matches("abc1")).isTrue();
        assertThat(parse("$regex", "(?P<w>fox)$").matches("the quick fox")).isTrue();
        assertThat(parse("$not_regex", "^quick").matches("the quick fox")).isTrue();
    }

    @Test
    void catastrophicPatternsMatchInLinearTime() {
        // Java's backtracking engine never finished (.*a){12}x on 100 KB of 'a', and overflowed its stack on
        // ^(a|b)*$; RE2 answers both (a slow machine takes well under a second; no bound asserted here).
        String doc = "a".repeat(100_000);
        assertThat(parse("$regex", "(.*a){12}x").matches(doc)).isFalse();
        assertThat(parse("$regex", "^(a|b)*$").matches(doc)).isTrue();
        assertThat(parse("$not_regex", "^(a|b)*$").matches(doc)).isFalse();
    }

    @Test
    void aLongMatchStopsAtItsDeadline() {
        String doc = "a".repeat(200_000);
        Deadline deadline = Deadline.after(60_000);
        deadline.cancel("test");
        DocumentFilter f = parse("$regex", "(.*a){12}x");
        assertThatThrownBy(() -> deadline.call(() -> f.matches(doc))).isInstanceOf(ReadAbortedException.class)
                .satisfies(e -> assertThat(((ReadAbortedException) e).reason()).isEqualTo(ReadAbortedException.Reason.CANCELLED));
        // Outside a read nothing is checked.
        assertThat(f.matches(doc)).isFalse();
    }
}
