package dev.strata.jmh.ann;

import java.util.Locale;

/**
 * Recall@10 and rough single-thread QPS of the clustered index with codes, over rerank factors and nprobe, on the
 * data set {@link AnnComparisonBenchmark} uses: how {@code ClusteredIndex.RERANK_FACTOR} was chosen. Factor 0 is the
 * exact float scan of the same blocks. Not a JMH benchmark (no forks, short timing): for choosing, not for reporting.
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.strata.jmh.ann.RerankSweep [size] [factors...]</pre>
 */
public final class RerankSweep {

    private RerankSweep() {}

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int[] factors = {0, 1, 2, 3, 4, 6, 8};
        if (args.length > 1) {
            factors = new int[args.length - 1];
            for (int i = 1; i < args.length; i++) {
                factors[i - 1] = Integer.parseInt(args[i]);
            }
        }
        int k = AnnComparisonBenchmark.K;
        try (AnnDataset data = AnnDataset.generate(AnnComparisonBenchmark.SEED, size, 384, AnnComparisonBenchmark.QUERIES, k);
                ClusteredIvf index = new ClusteredIvf(data, true)) {
            System.out.println(index.describeBuild());
            for (int nprobe : new int[] {8, 16, 24, 32, 48, 64}) {
                index.setBreadth(nprobe);
                for (int factor : factors) {
                    index.setRerankFactor(factor);
                    double recall = BreadthTuner.recall(index, data, k);
                    long start = System.nanoTime();
                    int rounds = 3;
                    for (int r = 0; r < rounds; r++) {
                        for (int q = 0; q < data.queries().length; q++) {
                            index.search(q, k);
                        }
                    }
                    double qps = rounds * data.queries().length / ((System.nanoTime() - start) / 1e9);
                    System.out.printf(Locale.ROOT, "nprobe=%d factor=%d recall@10=%.4f qps=%.0f%n", nprobe, factor, recall, qps);
                }
            }
        }
    }
}
