package dev.strata.segment;

import dev.strata.blockfile.BlockfileEntry;
import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.ValueType;
import dev.strata.filter.Deadline;
import dev.strata.filter.DocumentFilter;
import dev.strata.filter.MetadataFilter.CompareOp;
import dev.strata.filter.MetadataFilter;
import dev.strata.filter.MetadataValues;
import dev.strata.storage.BlockCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.roaringbitmap.RoaringBitmap;

/**
 * The metadata segment of a version: inverted indexes (metadata key, value) → offsets, trigram
 * postings of documents, and the live offsets. Evaluates filters into bitmaps that equal the
 * record-by-record evaluator of {@link MetadataFilter} and {@link DocumentFilter}: a negated leaf is the
 * live set minus its positive form, so records lacking the key match it, as they do there.
 */
final class MetadataSegment {

    private final BlockfileReader<RoaringBitmap> index;
    private final BlockfileReader<RoaringBitmap> trigrams;
    private final RecordSegment records;
    private final RoaringBitmap live;
    /** The prefixes of the trigram postings: per chunk and sub-chunk ({@link TrigramLayout}), or the unchunked one. */
    private final List<String> trigramChunks;
    /** The chunk prefixes of the metadata value postings: one per chunk of offsets (format 4), or the unchunked one. */
    private final List<String> indexChunks;

    MetadataSegment(BlockCache cache, VersionManifest manifest, RecordSegment records) {
        this.index = BlockfileReader.open(cache, RecordSegment.root(manifest, SegmentParts.METADATA_INDEX), ValueType.BITMAP);
        this.trigrams = BlockfileReader.open(cache, RecordSegment.root(manifest, SegmentParts.TRIGRAMS), ValueType.BITMAP);
        this.trigramChunks = TrigramLayout.of(manifest).prefixes();
        this.indexChunks = chunkedIndex(manifest) ? SegmentParts.chunkPrefixes(manifest.nextOffset())
                : List.of(SegmentParts.UNCHUNKED);
        this.records = records;
        this.live = index.get(SegmentParts.LIVE_PREFIX, SegmentParts.LIVE_KEY).orElseGet(RoaringBitmap::new);
    }

    RoaringBitmap live() {
        return live;
    }

    BlockfileReader<RoaringBitmap> indexFile() {
        return index;
    }

    BlockfileReader<RoaringBitmap> trigramFile() {
        return trigrams;
    }

    /** Whether the metadata value postings are kept per chunk of offsets. */
    static boolean chunkedIndex(VersionManifest manifest) {
        return manifest.format() >= VersionManifest.CHUNKED_METADATA_INDEX;
    }

    /** The offsets whose document holds the trigram, over every chunk. */
    private RoaringBitmap trigramPostings(String gram) {
        RoaringBitmap out = new RoaringBitmap();
        for (String chunk : trigramChunks) {
            trigrams.get(chunk, gram).ifPresent(out::or);
        }
        return out;
    }

    RoaringBitmap matching(MetadataFilter where, DocumentFilter whereDocument) {
        RoaringBitmap out = where == null ? live.clone() : evaluate(where);
        if (whereDocument != null && !out.isEmpty()) {
            out.and(evaluate(whereDocument, out));
        }
        return out;
    }

    // ---- where

    private RoaringBitmap evaluate(MetadataFilter filter) {
        return switch (filter) {
            case MetadataFilter.And and -> {
                RoaringBitmap acc = null;
                for (MetadataFilter c : and.clauses()) {
                    RoaringBitmap b = evaluate(c);
                    acc = acc == null ? b : RoaringBitmap.and(acc, b);
                    if (acc.isEmpty()) {
                        break;
                    }
                }
                yield acc == null ? live.clone() : acc;
            }
            case MetadataFilter.Or or -> {
                RoaringBitmap acc = new RoaringBitmap();
                or.clauses().forEach(c -> acc.or(evaluate(c)));
                yield acc;
            }
            case MetadataFilter.Compare c -> switch (c.op()) {
                case EQ -> equal(SegmentParts.scalarPrefix(c.key()), c.value());
                case NE -> complement(equal(SegmentParts.scalarPrefix(c.key()), c.value()));
                default -> ordered(SegmentParts.scalarPrefix(c.key()), c.op(), c.value());
            };
            case MetadataFilter.Membership m -> {
                RoaringBitmap in = new RoaringBitmap();
                m.values().forEach(v -> in.or(equal(SegmentParts.scalarPrefix(m.key()), v)));
                yield m.negated() ? complement(in) : in;
            }
            case MetadataFilter.ArrayContains a -> {
                RoaringBitmap in = equal(SegmentParts.arrayPrefix(a.key()), a.value());
                yield a.negated() ? complement(in) : in;
            }
        };
    }

    private RoaringBitmap complement(RoaringBitmap positive) {
        return RoaringBitmap.andNot(live, positive);
    }

    /** Offsets whose value under {@code prefix} equals {@code value} (numbers across int and float), in every chunk. */
    private RoaringBitmap equal(String prefix, Object value) {
        if (MetadataValues.isNumber(value)) {
            return ordered(prefix, CompareOp.EQ, value);
        }
        if (indexChunks.size() == 1) {
            return index.get(indexChunks.getFirst() + prefix, value).orElseGet(RoaringBitmap::new);
        }
        List<String> prefixes = indexChunks.stream().map(chunk -> chunk + prefix).toList();
        index.prefetch(prefixes, List.of(value)); // one wave of block reads for every chunk
        RoaringBitmap out = new RoaringBitmap();
        for (String p : prefixes) {
            index.get(p, value).ifPresent(out::or);
        }
        return out;
    }

    /**
     * Offsets whose number under {@code prefix} compares to {@code value} as {@code op} says. Ints and
     * floats live under separate key kinds, so both are scanned; a scan whose bound cannot be expressed
     * exactly in the other kind is widened and its keys checked with the evaluator's own comparison.
     */
    private RoaringBitmap ordered(String prefix, CompareOp op, Object value) {
        RoaringBitmap out = new RoaringBitmap();
        if (indexChunks.size() > 1) {
            // every chunk's postings of the key in one wave of block reads, not one chunk (or block) after another
            index.prefetchPrefixes(indexChunks.stream().map(chunk -> chunk + prefix).toList());
        }
        for (String chunk : indexChunks) {
            collect(intCandidates(chunk + prefix, op, value), op, value, out);
            collect(floatCandidates(chunk + prefix, op, value), op, value, out);
        }
        return out;
    }

    private Stream<BlockfileEntry<RoaringBitmap>> intCandidates(String prefix, CompareOp op, Object value) {
        long lo;
        long hi;
        if (value instanceof Long l) {
            lo = l;
            hi = l;
        } else {
            double d = (Double) value;
            // (double) i is monotone in i; within a few ulps of d lies every long that could compare equal.
            long margin = (long) Math.min(4096, Math.max(2, 2 * Math.ulp(d)));
            long f = (long) Math.floor(d);
            lo = f - margin > f ? Long.MIN_VALUE : f - margin;
            hi = f + margin < f ? Long.MAX_VALUE : f + margin;
        }
        return switch (op) {
            case EQ -> index.range(prefix, lo, true, hi, true);
            case GT, GTE -> index.range(prefix, lo, true, null, true);
            case LT, LTE -> index.range(prefix, null, true, hi, true);
            case NE -> throw new IllegalStateException("$ne is evaluated as a complement");
        };
    }

    private Stream<BlockfileEntry<RoaringBitmap>> floatCandidates(String prefix, CompareOp op, Object value) {
        double v = ((Number) value).doubleValue();
        double d = v == 0.0 ? 0.0 : v;
        return switch (op) {
            case EQ -> index.range(prefix, d, true, d, true);
            case GT, GTE -> index.range(prefix, Math.nextDown(d), true, null, true);
            case LT, LTE -> index.range(prefix, null, true, Math.nextUp(d), true);
            case NE -> throw new IllegalStateException("$ne is evaluated as a complement");
        };
    }

    private static void collect(Stream<BlockfileEntry<RoaringBitmap>> entries, CompareOp op, Object value, RoaringBitmap out) {
        try (entries) {
            entries.forEach(e -> {
                Deadline.check();
                Object key = e.key().key();
                if (MetadataValues.isNumber(key) && holds(op, MetadataValues.compareNumbers(key, value))) {
                    out.or(e.value());
                }
            });
        }
    }

    private static boolean holds(CompareOp op, int c) {
        return switch (op) {
            case EQ -> c == 0;
            case GT -> c > 0;
            case GTE -> c >= 0;
            case LT -> c < 0;
            case LTE -> c <= 0;
            case NE -> c != 0;
        };
    }

    // ---- where_document

    /** Offsets among {@code scope} whose document passes the filter. */
    private RoaringBitmap evaluate(DocumentFilter filter, RoaringBitmap scope) {
        return switch (filter) {
            case DocumentFilter.And and -> {
                RoaringBitmap acc = scope.clone();
                for (DocumentFilter c : and.clauses()) {
                    acc = evaluate(c, acc);
                    if (acc.isEmpty()) {
                        break;
                    }
                }
                yield acc;
            }
            case DocumentFilter.Or or -> {
                RoaringBitmap acc = new RoaringBitmap();
                or.clauses().forEach(c -> acc.or(evaluate(c, scope)));
                yield acc;
            }
            case DocumentFilter.Contains c -> {
                RoaringBitmap positive = contains(c, scope);
                yield c.negated() ? RoaringBitmap.andNot(scope, positive) : positive;
            }
            case DocumentFilter.Regex r -> {
                // A pattern without metacharacters matches exactly where its text is a substring.
                RoaringBitmap positive = isLiteral(r.pattern())
                        ? contains(new DocumentFilter.Contains(r.pattern(), false), scope)
                        : verify(new DocumentFilter.Regex(r.pattern(), false, r.compiled()), scope);
                yield r.negated() ? RoaringBitmap.andNot(scope, positive) : positive;
            }
        };
    }

    private static boolean isLiteral(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if ("\\^$.|?*+()[]{}".indexOf(pattern.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** $contains: intersect the text's trigram postings, then check the substring on the survivors. */
    private RoaringBitmap contains(DocumentFilter.Contains c, RoaringBitmap scope) {
        DocumentFilter positive = new DocumentFilter.Contains(c.text(), false);
        if (!Trigrams.indexable(c.text())) {
            return verify(positive, scope);
        }
        Set<String> grams = Trigrams.of(c.text());
        List<String> sorted = new ArrayList<>(grams);
        trigrams.prefetch(trigramChunks, sorted);
        RoaringBitmap candidates = scope.clone();
        for (String g : sorted) {
            candidates.and(trigramPostings(g));
            if (candidates.isEmpty()) {
                return candidates;
            }
        }
        return verify(positive, candidates);
    }

    /** The offsets among {@code candidates} whose document passes a positive filter. */
    private RoaringBitmap verify(DocumentFilter positive, RoaringBitmap candidates) {
        RoaringBitmap out = new RoaringBitmap();
        if (candidates.getCardinality() * 8L > live.getCardinality()) {
            // Most documents are candidates: one sequential scan beats point lookups.
            try (Stream<BlockfileEntry<String>> all = records.documentsFile().scanPrefix(SegmentParts.RECORD_PREFIX)) {
                all.forEach(e -> {
                    Deadline.check();
                    int offset = ((Long) e.key().key()).intValue();
                    if (candidates.contains(offset) && positive.matches(e.value())) {
                        out.add(offset);
                    }
                });
            }
            return out;
        }
        int[] offsets = candidates.toArray();
        String[] docs = records.documents(offsets);
        for (int i = 0; i < offsets.length; i++) {
            Deadline.check();
            if (positive.matches(docs[i])) {
                out.add(offsets[i]);
            }
        }
        return out;
    }
}
