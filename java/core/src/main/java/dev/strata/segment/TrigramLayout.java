package dev.strata.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * Where a version keeps its trigram postings, which follows from its manifest's format and next offset
 * (docs/segments.md, "Trigram postings per chunk"):
 * <ul>
 *   <li>formats 1 and 2: one bitmap per trigram over every offset, under {@link SegmentParts#UNCHUNKED};</li>
 *   <li>format 3: one bitmap per trigram and chunk of {@link SegmentParts#CHUNK_OFFSETS} offsets;</li>
 *   <li>format 4 and later: the same for every full chunk, and the chunk still filling (the one holding the next
 *       offset) per sub-chunk of {@link SegmentParts#SUB_CHUNK_OFFSETS} offsets. Every trigram of the documents a
 *       compaction adds gains offsets there, so each compaction rewrote that chunk's postings whole (4.4 MB per
 *       1,000 documents at 1M); now it rewrites those of one sub-chunk, and the chunk's once, when it fills.</li>
 * </ul>
 */
record TrigramLayout(int format, int nextOffset) {

    static TrigramLayout of(VersionManifest manifest) {
        return new TrigramLayout(manifest.format(), manifest.nextOffset());
    }

    /** The layout of a version this code writes with offsets below {@code nextOffset}. */
    static TrigramLayout written(int nextOffset) {
        return new TrigramLayout(VersionManifest.FORMAT, nextOffset);
    }

    boolean unchunked() {
        return format < VersionManifest.CHUNKED_TRIGRAMS;
    }

    /** The chunk kept per sub-chunk, or -1 when every chunk is kept whole. */
    int openChunk() {
        return format >= VersionManifest.OPEN_TRIGRAM_CHUNK_BY_SUB_CHUNK ? nextOffset / SegmentParts.CHUNK_OFFSETS : -1;
    }

    /** Every prefix a trigram's postings may be under, in key order: where a reader looks it up. */
    List<String> prefixes() {
        if (unchunked()) {
            return List.of(SegmentParts.UNCHUNKED);
        }
        int open = openChunk();
        if (open < 0) {
            return SegmentParts.chunkPrefixes(nextOffset);
        }
        long from = (long) open * SegmentParts.CHUNK_OFFSETS;
        List<String> out = new ArrayList<>(SegmentParts.chunkPrefixes((int) from));
        for (int sub = 0; from + (long) sub * SegmentParts.SUB_CHUNK_OFFSETS < nextOffset; sub++) {
            out.add(SegmentParts.subChunkPrefix(open, sub));
        }
        return out;
    }

    /**
     * The offsets of one trigram in {@code chunk} by the prefix they are kept under: the chunk's own, or in the open
     * chunk one per sub-chunk they touch (a chunked layout only).
     */
    Map<String, RoaringBitmap> split(int chunk, RoaringBitmap offsets) {
        if (chunk != openChunk()) {
            return Map.of(SegmentParts.chunkPrefix(chunk), offsets);
        }
        Map<String, RoaringBitmap> out = new TreeMap<>();
        SegmentParts.split(offsets, SegmentParts.SUB_CHUNK_OFFSETS).forEach((sub, bits) ->
                out.put(SegmentParts.subChunkPrefix(chunk, sub % SegmentParts.SUBS_PER_CHUNK), bits));
        return out;
    }

    /** The prefixes the postings of {@code chunk} may be under (a chunked layout only). */
    List<String> prefixesOf(int chunk) {
        if (chunk != openChunk()) {
            return List.of(SegmentParts.chunkPrefix(chunk));
        }
        List<String> out = new ArrayList<>();
        for (int sub = 0; sub < SegmentParts.SUBS_PER_CHUNK; sub++) {
            out.add(SegmentParts.subChunkPrefix(chunk, sub));
        }
        return out;
    }
}
