package dev.strata.ivf;

import dev.strata.nativeio.Space;

/**
 * The parameters of a clustered index: its distance space and dimension (fixed once built), the target
 * number of vectors per cluster when a segment is clustered, and how many clusters a query probes in
 * total across the index's segments.
 */
public record IvfParams(Space space, int dimension, int clusterSize, int nprobe) {

    /** About a 1 MiB block's worth of 384-d float vectors: a probed cluster costs about one block read. */
    public static final int DEFAULT_CLUSTER_SIZE = 256;
    /** Chroma's default search_nprobe. */
    public static final int DEFAULT_NPROBE = 64;
    public static final int MAX_NPROBE = 4096;

    public IvfParams {
        if (space == null) {
            throw new IllegalArgumentException("vector space must be given");
        }
        if (dimension < 1 || clusterSize < 8 || nprobe < 1 || nprobe > MAX_NPROBE) {
            throw new IllegalArgumentException("invalid clustered index parameters: dimension " + dimension
                    + ", cluster size " + clusterSize + ", nprobe " + nprobe);
        }
    }

    public IvfParams withNprobe(int probes) {
        return new IvfParams(space, dimension, clusterSize, probes);
    }
}
