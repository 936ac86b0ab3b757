package dev.strata.jmh.ann;

/**
 * Finds the smallest breadth at which an index reaches a recall@k target over all queries of its
 * data set, so libraries are timed at equal recall rather than at equal (and incomparable) knobs.
 */
public final class BreadthTuner {
    /**
     * Candidate breadths, about 12-25% apart from 10 on: the recall reached overshoots the target by little. Those
     * under k only serve an index whose breadth is not a candidate-list size ({@link AnnIndex#minBreadth}).
     */
    static final int[] BREADTHS = {1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256,
            320, 384, 448, 512, 640, 768, 1024};

    public record Choice(int breadth, double recall) {}

    private BreadthTuner() {}

    /** The first breadth reaching target, with its recall; fails if even the largest does not. */
    public static Choice choose(AnnIndex index, AnnDataset data, int k, double target) {
        double best = 0;
        for (int breadth : BREADTHS) {
            if (breadth < index.minBreadth(k)) {
                continue;
            }
            index.setBreadth(breadth);
            double recall = recall(index, data, k);
            if (recall >= target) {
                return new Choice(breadth, recall);
            }
            best = Math.max(best, recall);
        }
        throw new IllegalStateException("recall@" + k + " target " + target + " not reached: best " + best + " at "
                + index.breadthName() + " " + BREADTHS[BREADTHS.length - 1]);
    }

    /** Mean recall@k over every query of data at the index's current breadth. */
    public static double recall(AnnIndex index, AnnDataset data, int k) {
        int queries = data.queries().length;
        double sum = 0;
        for (int q = 0; q < queries; q++) {
            sum += data.recall(q, index.ids(index.search(q, k)));
        }
        return sum / queries;
    }
}
