package dev.strata.ivf;

import dev.strata.nativeio.Space;

/**
 * The parameters of a clustered index: its distance space and dimension (fixed once built), the target
 * number of vectors per cluster when a segment is clustered, how many clusters a query probes in total
 * across the index's segments, and the bounds a segment's clusters are balanced to when it is written
 * ({@link ClusterBalancer}): a cluster of more than {@code maxCluster} vectors is split, one of fewer than
 * {@code minCluster} is merged into its neighbours, and a split re-examines the vectors of the
 * {@code reassignNeighbors} clusters nearest to it.
 */
public record IvfParams(Space space, int dimension, int clusterSize, int nprobe, int minCluster, int maxCluster,
        int reassignNeighbors) {

    /** About a 1 MiB block's worth of 384-d float vectors: a probed cluster costs about one block read. */
    public static final int DEFAULT_CLUSTER_SIZE = 256;
    /** Chroma's default search_nprobe. */
    public static final int DEFAULT_NPROBE = 64;
    public static final int MAX_NPROBE = 4096;
    /** Chroma's default reassign_neighbor_count, also what a collection without a spann section uses. */
    public static final int DEFAULT_REASSIGN_NEIGHBORS = 64;
    public static final int MAX_REASSIGN_NEIGHBORS = 1024;

    public IvfParams {
        if (space == null) {
            throw new IllegalArgumentException("vector space must be given");
        }
        if (dimension < 1 || clusterSize < 8 || nprobe < 1 || nprobe > MAX_NPROBE || minCluster < 1
                || maxCluster < 2 * minCluster || clusterSize < minCluster || clusterSize > maxCluster
                || reassignNeighbors < 0 || reassignNeighbors > MAX_REASSIGN_NEIGHBORS) {
            throw new IllegalArgumentException("invalid clustered index parameters: dimension " + dimension
                    + ", cluster size " + clusterSize + " in [" + minCluster + ", " + maxCluster + "], nprobe " + nprobe
                    + ", reassign neighbours " + reassignNeighbors);
        }
    }

    /**
     * Parameters whose clusters are balanced to the window of Chroma's defaults around {@code clusterSize}:
     * from {@code clusterSize / sqrt 2} to {@code clusterSize * sqrt 2}, the two bounds a factor of 2 apart as
     * Chroma's merge_threshold (25) and split_threshold (50) are.
     */
    public IvfParams(Space space, int dimension, int clusterSize, int nprobe) {
        this(space, dimension, clusterSize, nprobe, (int) Math.round(clusterSize / Math.sqrt(2)),
                Math.max(2 * (int) Math.round(clusterSize / Math.sqrt(2)), (int) Math.round(clusterSize * Math.sqrt(2))),
                DEFAULT_REASSIGN_NEIGHBORS);
    }

    public IvfParams withNprobe(int probes) {
        return new IvfParams(space, dimension, clusterSize, probes, minCluster, maxCluster, reassignNeighbors);
    }
}
