package dev.strata.segment;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of an inverted index: a blockfile key {@code (prefix, key)} whose bitmap lists the offsets
 * of the records that hold it.
 */
record Posting(String prefix, Object key) {

    /**
     * The metadata postings of the record at {@code offset}: each scalar value, and each element of each array value,
     * in the chunk of that offset.
     */
    static Set<Posting> ofMetadata(Map<String, Object> metadata, int offset) {
        Set<Posting> out = new LinkedHashSet<>();
        if (metadata == null) {
            return out;
        }
        String chunk = SegmentParts.chunkPrefixOf(offset);
        metadata.forEach((k, v) -> {
            if (v instanceof List<?> list) {
                for (Object element : list) {
                    out.add(new Posting(chunk + SegmentParts.arrayPrefix(k), indexKey(element)));
                }
            } else {
                out.add(new Posting(chunk + SegmentParts.scalarPrefix(k), indexKey(v)));
            }
        });
        return out;
    }

    /** The trigram postings of the document at {@code offset}. */
    static Set<Posting> ofDocument(String document, int offset) {
        Set<Posting> out = new LinkedHashSet<>();
        if (document != null) {
            String prefix = SegmentParts.chunkPrefixOf(offset);
            for (String t : Trigrams.of(document)) {
                out.add(new Posting(prefix, t));
            }
        }
        return out;
    }

    /** The key a value is indexed under: -0.0 and 0.0 are one number, as the filter evaluator compares them. */
    static Object indexKey(Object canonical) {
        if (canonical instanceof Double d && d == 0.0) {
            return 0.0;
        }
        return canonical;
    }
}
