package dev.strata.jmh.cold;

import dev.strata.api.RecordSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The records and queries of the cold-read benchmark, deterministic for a seed, shaped like bench/'s
 * workload: unit vectors from a mixture of 100 Gaussian clusters (unit-norm centres, sigma 0.04 per
 * coordinate), a document of 18-22 words, metadata {category: cat-0..cat-9, year: 1990-2024}.
 * Record i is the same whichever batch asks for it, so a load can be split or resumed.
 */
public final class ColdWorkload {

    static final int CLUSTERS = 100;
    static final int CATEGORIES = 10;
    private static final double SIGMA = 0.04;
    private static final String[] WORDS = ("amber anchor apple arch arrow atlas autumn badge basin beacon berry birch "
            + "blade bloom bolt breeze brick bridge brook cabin candle canyon carbon cedar chalk cherry cinder cipher "
            + "citadel clover cobalt comet copper coral crane crater crystal delta desert dune eagle ember engine falcon "
            + "fern fiber flint forest fossil fountain frost garnet glacier granite harbor hazel helix heron horizon iris "
            + "island ivory jade jasper kernel lagoon lantern lattice ledger lemon lily linen lotus magnet maple marble "
            + "meadow meteor mirror monsoon mosaic nebula needle nickel oasis obsidian ocean olive onyx orbit orchid "
            + "pebble pepper pillar pine planet plume prism quartz quill radar raven reef ridge river rocket saffron "
            + "sapphire signal silver sketch slate spark spiral spruce stone summit tango thistle thunder timber topaz "
            + "torch tundra valley velvet violet vortex walnut willow winter zenith").split(" ");

    private final long seed;
    private final int dim;
    private final float[][] centres;

    public ColdWorkload(long seed, int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be positive, got " + dim);
        }
        this.seed = seed;
        this.dim = dim;
        SplittableRandom random = new SplittableRandom(seed);
        centres = new float[CLUSTERS][];
        for (int c = 0; c < CLUSTERS; c++) {
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = (float) random.nextGaussian();
            }
            centres[c] = normalize(v);
        }
    }

    public static String id(int i) {
        return "id-%07d".formatted(i);
    }

    /** Records [from, from + count). */
    public RecordSet records(int from, int count) {
        List<String> ids = new ArrayList<>(count);
        List<float[]> embeddings = new ArrayList<>(count);
        List<String> documents = new ArrayList<>(count);
        List<Map<String, Object>> metadatas = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            ids.add(id(i));
            embeddings.add(vector(r));
            int words = 18 + r.nextInt(5);
            StringBuilder doc = new StringBuilder();
            for (int w = 0; w < words; w++) {
                doc.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            documents.add(doc.toString());
            metadatas.add(Map.of("category", category(r.nextInt(CATEGORIES)), "year", 1990 + r.nextInt(35)));
        }
        return RecordSet.builder().ids(ids).embeddings(embeddings).documents(documents).metadatas(metadatas).build();
    }

    /** The embedding of record i (the one {@link #records} gives it). */
    public float[] embedding(int i) {
        return vector(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i));
    }

    public static String category(int c) {
        return "cat-" + c;
    }

    /** Query vectors from the same mixture, from a stream no record uses. */
    public List<float[]> queries(int count) {
        SplittableRandom r = new SplittableRandom(~seed);
        List<float[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(vector(r));
        }
        return out;
    }

    private float[] vector(SplittableRandom r) {
        float[] c = centres[r.nextInt(CLUSTERS)];
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = c[j] + (float) (SIGMA * r.nextGaussian());
        }
        return normalize(v);
    }

    private static float[] normalize(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int j = 0; j < v.length; j++) {
            v[j] *= inv;
        }
        return v;
    }
}
