package dev.strata.ivf;

/** The result of a search: offsets nearest first, with their distances (as the space defines them). */
public record Nearest(int[] offsets, float[] distances) {

    public int size() {
        return offsets.length;
    }

    static Nearest of(TopK top) {
        TopK.Result r = top.sorted();
        return new Nearest(r.offsets(), r.distances());
    }
}
