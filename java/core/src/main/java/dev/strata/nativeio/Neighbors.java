package dev.strata.nativeio;

/**
 * The result of one k-NN query, nearest first. For an index the ids are labels; for the kernels
 * they are row indexes into the vectors searched. May hold fewer than k entries.
 */
public record Neighbors(long[] ids, float[] distances) {
    public Neighbors {
        if (ids.length != distances.length) {
            throw new IllegalArgumentException("ids and distances differ in length");
        }
    }

    public int size() {
        return ids.length;
    }
}
