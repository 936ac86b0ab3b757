package dev.strata.ivf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three blockfiles of one index segment, by root key, and how a version manifest names them: the roots
 * {@code ivf.{id}.centroids}, {@code ivf.{id}.postings} and {@code ivf.{id}.members}.
 */
public record SegmentFiles(String id, String centroidsRoot, String postingsRoot, String membersRoot) {

    public static final String PART_PREFIX = "ivf.";
    static final String CENTROIDS = "centroids";
    static final String POSTINGS = "postings";
    static final String MEMBERS = "members";
    private static final Pattern PART = Pattern.compile("ivf\\.([0-9a-z-]+)\\.(centroids|postings|members)");

    /** The manifest root names of this segment's blockfiles. */
    public Map<String, String> roots() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(part(id, CENTROIDS), centroidsRoot);
        out.put(part(id, POSTINGS), postingsRoot);
        out.put(part(id, MEMBERS), membersRoot);
        return out;
    }

    static String part(String id, String file) {
        return PART_PREFIX + id + "." + file;
    }

    /** The segment's files among a manifest's roots. */
    public static SegmentFiles of(String id, Map<String, String> roots) {
        String c = roots.get(part(id, CENTROIDS));
        String p = roots.get(part(id, POSTINGS));
        String m = roots.get(part(id, MEMBERS));
        if (c == null || p == null || m == null) {
            throw new IllegalArgumentException("the version names no complete index segment " + id);
        }
        return new SegmentFiles(id, c, p, m);
    }

    /** Whether a manifest root name belongs to an index segment, and which of its files it is (null if none). */
    public static String fileOf(String part) {
        Matcher m = PART.matcher(part);
        return m.matches() ? m.group(2) : null;
    }

    /** Whether a root name is a segment's centroid file (float vectors). */
    public static boolean isCentroids(String part) {
        return CENTROIDS.equals(fileOf(part));
    }

    /** Whether a root name is a segment's posting file: float vectors, with or without codes (as its root declares). */
    public static boolean isPostings(String part) {
        return POSTINGS.equals(fileOf(part));
    }
}
