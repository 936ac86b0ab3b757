package dev.strata.segment;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The trigrams of a text: every run of three consecutive code points. A document containing a text
 * contains all of the text's trigrams, which is what lets the trigram postings narrow a $contains.
 * Runs holding an unpaired surrogate are left out (they cannot be blockfile keys); a query text with
 * one is therefore verified against every document instead.
 */
final class Trigrams {

    static final int N = 3;

    static Set<String> of(String text) {
        Set<String> out = new LinkedHashSet<>();
        int[] cps = text.codePoints().toArray();
        for (int i = 0; i + N <= cps.length; i++) {
            if (!hasLoneSurrogate(cps, i)) {
                out.add(new String(cps, i, N));
            }
        }
        return out;
    }

    /** Whether the trigram postings can answer a $contains of this text (else: verify every document). */
    static boolean indexable(String text) {
        int[] cps = text.codePoints().toArray();
        if (cps.length < N) {
            return false;
        }
        for (int cp : cps) {
            if (Character.isSurrogate((char) cp) && cp <= Character.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasLoneSurrogate(int[] cps, int from) {
        for (int i = from; i < from + N; i++) {
            if (cps[i] <= Character.MAX_VALUE && Character.isSurrogate((char) cps[i])) {
                return true;
            }
        }
        return false;
    }

    private Trigrams() {}
}
