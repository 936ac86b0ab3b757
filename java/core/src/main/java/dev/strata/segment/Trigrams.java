package dev.strata.segment;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

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
        forEach(text, out::add);
        return out;
    }

    /**
     * Hands every trigram occurrence of the text to the action, repeats included. Text without surrogates
     * (nearly all) is cut with substring: no code point array. Compaction indexes every new document
     * here, and building a set of trigrams (and of postings) per document was a fifth of its allocation.
     */
    static void forEach(String text, Consumer<String> action) {
        int n = text.length();
        boolean bmpOnly = true;
        for (int i = 0; i < n && bmpOnly; i++) {
            bmpOnly = !Character.isSurrogate(text.charAt(i));
        }
        if (bmpOnly) {
            for (int i = 0; i + N <= n; i++) {
                action.accept(text.substring(i, i + N));
            }
            return;
        }
        int[] cps = text.codePoints().toArray();
        for (int i = 0; i + N <= cps.length; i++) {
            if (!hasLoneSurrogate(cps, i)) {
                action.accept(new String(cps, i, N));
            }
        }
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
