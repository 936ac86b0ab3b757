package dev.strata.reliability;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * The content of record {@code id} written at {@code version}: derived from the two alone, so the parent can
 * check what it reads back against what the child acknowledged, and a reader can check any record it sees
 * is whole (document, metadata and embedding all of one version).
 */
final class Content {

    static final int DIMENSION = 8;

    private Content() {}

    static float[] embedding(String id, long version) {
        // The seed must differ for every (id, version): a linear mix such as hash * c + version repeats
        // across ids whose hashes differ by one ("w2-37", "w2-38") at versions c apart, and two records with
        // one embedding make "a record's own embedding finds it first" a coin toss.
        long idSeed = new SplittableRandom(id.hashCode()).nextLong();
        SplittableRandom random = new SplittableRandom(new SplittableRandom(idSeed ^ version).nextLong());
        float[] v = new float[DIMENSION];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }

    static String document(String id, long version) {
        return id + "@" + version;
    }

    static Map<String, Object> metadata(int writer, long version) {
        return Map.of("w", writer, "v", version);
    }

    /** The version a document names, or -1 when it is not one of ours. */
    static long versionOf(String id, String document) {
        if (document == null || !document.startsWith(id + "@")) {
            return -1;
        }
        return Long.parseLong(document.substring(id.length() + 1));
    }

    /**
     * Null when the record read is exactly the content of the version its document names, otherwise what is
     * wrong with it (a torn or foreign record).
     */
    static String problem(String id, String document, Map<String, Object> metadata, float[] embedding) {
        long version = versionOf(id, document);
        if (version < 0) {
            return id + ": document '" + document + "' is not ours";
        }
        if (metadata == null || !(metadata.get("v") instanceof Number v) || v.longValue() != version) {
            return id + ": metadata " + metadata + " is not of version " + version;
        }
        if (embedding != null && !java.util.Arrays.equals(embedding, embedding(id, version))) {
            return id + ": embedding is not of version " + version;
        }
        return null;
    }

    /** The hash the child prints with an acknowledged write and the parent recomputes. */
    static int hash(String op, java.util.List<String> ids, long version) {
        int h = op.hashCode();
        for (String id : ids) {
            h = 31 * h + id.hashCode();
            h = 31 * h + java.util.Arrays.hashCode(embedding(id, version));
            h = 31 * h + document(id, version).hashCode();
        }
        return h;
    }
}
