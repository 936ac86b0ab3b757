package dev.strata.ivf;

import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Neighbors;
import dev.strata.nativeio.Space;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.roaringbitmap.RoaringBitmap;

/**
 * Bounds the size of a segment's clusters after k-means, as SPANN bounds its posting lists (Chroma's
 * {@code merge_threshold}, {@code split_threshold} and {@code reassign_neighbor_count}). k-means leaves
 * uneven clusters: a dense region under one centroid makes a cluster several times the target, whose probe
 * reads several blocks and scans a crowd, and an outlier seed leaves a cluster of a handful of vectors,
 * a probe that reads a block for almost nothing. So, before the segment is written:
 * <ol>
 *   <li>each cluster under {@link IvfParams#minCluster()} (smallest first, while more than one remains) is
 *       dissolved: each of its vectors joins its nearest remaining centroid;</li>
 *   <li>each cluster over {@link IvfParams#maxCluster()} is split in two by 2-means over its vectors; then the
 *       split's vectors may move to one of the {@link IvfParams#reassignNeighbors()} clusters nearest to the
 *       old centroid, and those clusters' vectors to one of the two new centroids, whichever is nearest. A
 *       cluster pushed over the bound by that is split in turn;</li>
 *   <li>a half of a split left under the lower bound is dissolved as in 1, unless that would push a
 *       cluster over the upper bound;</li>
 *   <li>every centroid is recomputed as the mean of its members (unit length for cosine).</li>
 * </ol>
 * After it no cluster holds more than the upper bound (a split whose vectors are all equal is cut in halves),
 * and a cluster under the lower bound is one half of a split whose neighbours are full. Every distance is computed by the native
 * kernels; deterministic for a seed. In the inner-product space clusters are left as k-means made them.
 */
final class ClusterBalancer {

    /** 2-means iterations of a split: two centres settle in a few. */
    static final int SPLIT_ITERATIONS = 6;

    /** The balanced clustering: centroids (row-major) and each vector's cluster. */
    record Clustering(float[] centroids, int[] assignment) {
        int clusters(int dim) {
            return centroids.length / dim;
        }
    }

    private final IvfParams params;
    private final int dim;
    private final List<float[]> vectors;
    private final List<float[]> centroids = new ArrayList<>();
    /** Members by cluster; null for a dissolved cluster. */
    private final List<RoaringBitmap> members = new ArrayList<>();
    private final int[] assignment;
    private final SplittableRandom random;
    private int live;
    /**
     * An upper bound of each cluster's radius (the largest distance of a member from its centroid, as a metric:
     * the l2 distance, or the angle for cosine). A vector nearer its centroid than half the distance to another
     * centroid is nearer its own, so a neighbour whose radius is under half its distance to both halves of a split
     * cannot lose a vector to them, and its vectors need not be compared.
     */
    private float[] radius;

    private ClusterBalancer(IvfParams params, List<float[]> vectors, float[] centroids, int[] assignment, long seed) {
        this.params = params;
        this.dim = params.dimension();
        this.vectors = vectors;
        this.assignment = assignment.clone();
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int k = centroids.length / dim;
        for (int c = 0; c < k; c++) {
            this.centroids.add(Arrays.copyOfRange(centroids, c * dim, (c + 1) * dim));
            members.add(new RoaringBitmap());
        }
        for (int i = 0; i < assignment.length; i++) {
            members.get(assignment[i]).add(i);
        }
        live = k;
        radius = new float[2 * k + 16];
    }

    /** {@code centroids} and {@code assignment} as k-means left them, balanced to the params' bounds. */
    static Clustering balance(IvfParams params, List<float[]> vectors, float[] centroids, int[] assignment, long seed) {
        if (vectors.isEmpty() || params.space() == Space.IP) {
            // Inner product is no distance (a vector's "nearest" centroid is the longest one in its direction):
            // 2-means and reassignment by it drift towards long centroids instead of nearby ones, and cost recall.
            return new Clustering(centroids, assignment);
        }
        ClusterBalancer b = new ClusterBalancer(params, vectors, centroids, assignment, seed);
        for (int c = 0; c < b.centroids.size(); c++) {
            b.radius[c] = b.radiusOf(c);
        }
        b.mergeSmall(false);
        b.splitLarge();
        // Halves of splits that fell under the lower bound join their neighbours where none is pushed over the upper.
        b.mergeSmall(true);
        return b.result();
    }

    private int size(int c) {
        RoaringBitmap m = members.get(c);
        return m == null ? 0 : m.getCardinality();
    }

    private void move(int vector, int to) {
        int from = assignment[vector];
        if (from != to) {
            members.get(from).remove(vector);
            members.get(to).add(vector);
            assignment[vector] = to;
        }
    }

    /**
     * Dissolves the clusters under the lower bound, smallest first, each vector into its nearest other cluster.
     * {@code withinMax}: a cluster is dissolved only if no receiver ends over the upper bound.
     */
    private void mergeSmall(boolean withinMax) {
        Integer[] order = IntStream.range(0, centroids.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(this::size));
        for (int c : order) {
            // Sizes change as merged vectors land: each cluster is judged when its turn comes.
            if (live <= 1 || members.get(c) == null || size(c) >= params.minCluster()) {
                continue;
            }
            int[] leaving = members.get(c).toArray();
            int[] others = IntStream.of(liveClusters()).filter(o -> o != c).toArray();
            float[] distance = new float[leaving.length];
            int[] to = nearestOf(leaving, others, distance);
            if (withinMax && overfills(to)) {
                continue;
            }
            members.set(c, null);
            live--;
            for (int i = 0; i < leaving.length; i++) {
                members.get(to[i]).add(leaving[i]);
                assignment[leaving[i]] = to[i];
                widen(to[i], distance[i]);
            }
        }
    }

    /** Whether moving vectors into the clusters {@code to} would take one of them over the upper bound. */
    private boolean overfills(int[] to) {
        int[] incoming = new int[centroids.size()];
        for (int t : to) {
            if (size(t) + ++incoming[t] > params.maxCluster()) {
                return true;
            }
        }
        return false;
    }

    private void splitLarge() {
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < centroids.size(); c++) {
            if (size(c) > params.maxCluster()) {
                queue.add(c);
            }
        }
        // Reassignment may push a neighbour over the bound, which is split in turn; past this many splits the
        // rest are split without reassignment, which only ever shrinks clusters, so the loop ends.
        int reassigningSplits = 4 * centroids.size() + 16;
        while (!queue.isEmpty()) {
            int c = queue.poll();
            if (size(c) <= params.maxCluster()) {
                continue;
            }
            float[] old = centroids.get(c);
            int added = split(c);
            if (reassigningSplits-- > 0 && params.reassignNeighbors() > 0) {
                for (int touched : reassign(old, c, added)) {
                    if (size(touched) > params.maxCluster()) {
                        queue.add(touched);
                    }
                }
            }
            if (size(c) > params.maxCluster()) {
                queue.add(c);
            }
            if (size(added) > params.maxCluster()) {
                queue.add(added);
            }
        }
    }

    /** Splits cluster {@code c} in two by 2-means: {@code c} keeps one half, the returned new cluster the other. */
    private int split(int c) {
        int[] ids = members.get(c).toArray();
        int s = ids.length;
        float[] rows = PackedRows.of(vectors, ids, dim); // no other packing on this thread until the split ends
        MemorySegment all = PackedRows.segment(rows, s, dim);
        // Start from a random member and a second drawn with probability proportional to its distance from the first
        // (a k-means++ step): far apart as a rule, yet rarely the one outlier the farthest member would be.
        int first = random.nextInt(s);
        float[] a = Arrays.copyOfRange(rows, first * dim, (first + 1) * dim);
        float[] da = DistanceKernels.distances(params.space(), a, all, s);
        double total = 0;
        for (int i = 0; i < s; i++) {
            total += Math.max(0f, da[i]);
        }
        int second = s - 1;
        double draw = random.nextDouble() * total;
        for (int i = 0; i < s; i++) {
            draw -= Math.max(0f, da[i]);
            if (draw <= 0 && i != first) {
                second = i;
                break;
            }
        }
        float[] b = Arrays.copyOfRange(rows, second * dim, (second + 1) * dim);
        boolean[] toB = new boolean[s];
        int inB = 0;
        for (int iteration = 0; iteration < SPLIT_ITERATIONS; iteration++) {
            if (iteration > 0) {
                da = DistanceKernels.distances(params.space(), a, all, s); // the first pass reuses the seeding's
            }
            float[] db = DistanceKernels.distances(params.space(), b, all, s);
            inB = 0;
            for (int i = 0; i < s; i++) {
                toB[i] = db[i] < da[i];
                inB += toB[i] ? 1 : 0;
            }
            if (inB == 0 || inB == s) {
                break;
            }
            a = mean(rows, toB, false);
            b = mean(rows, toB, true);
        }
        if (inB == 0 || inB == s) {
            // Equal vectors (or ties throughout): halves, so that the split still shrinks the cluster.
            inB = 0;
            for (int i = 0; i < s; i++) {
                toB[i] = i >= s / 2;
                inB += toB[i] ? 1 : 0;
            }
            a = mean(rows, toB, false);
            b = mean(rows, toB, true);
        }
        int added = centroids.size();
        centroids.add(b);
        members.add(new RoaringBitmap());
        if (added >= radius.length) {
            radius = Arrays.copyOf(radius, 2 * radius.length);
        }
        live++;
        centroids.set(c, a);
        for (int i = 0; i < s; i++) {
            if (toB[i]) {
                move(ids[i], added);
            }
        }
        radius[c] = radiusOf(c);
        radius[added] = radiusOf(added);
        return added;
    }

    /**
     * After splitting a cluster whose centroid was {@code old} into {@code a} and {@code b}: each of their vectors goes
     * to the nearest of them and the {@code reassignNeighbors} clusters nearest to {@code old}, and each of those
     * neighbours' vectors to the nearer of its own centroid and the two new ones. Returns the neighbours.
     */
    private int[] reassign(float[] old, int a, int b) {
        int[] others = IntStream.of(liveClusters()).filter(c -> c != a && c != b).toArray();
        if (others.length == 0) {
            return others;
        }
        int count = Math.min(params.reassignNeighbors(), others.length);
        Neighbors near = DistanceKernels.topK(params.space(), old, pack(others), others.length, count);
        int[] neighbours = new int[near.ids().length];
        for (int i = 0; i < neighbours.length; i++) {
            neighbours[i] = others[(int) near.ids()[i]];
        }
        int[] candidates = new int[neighbours.length + 2];
        candidates[0] = a;
        candidates[1] = b;
        System.arraycopy(neighbours, 0, candidates, 2, neighbours.length);
        for (int split : new int[] {a, b}) {
            int[] ids = members.get(split).toArray();
            float[] distance = new float[ids.length];
            int[] to = nearestOf(ids, candidates, distance);
            for (int i = 0; i < ids.length; i++) {
                move(ids[i], to[i]);
                widen(to[i], distance[i]);
            }
        }
        MemorySegment packed = pack(neighbours);
        float[] fromA = DistanceKernels.distances(params.space(), centroids.get(a), packed, neighbours.length);
        float[] fromB = DistanceKernels.distances(params.space(), centroids.get(b), packed, neighbours.length);
        List<Integer> compared = new ArrayList<>();
        for (int j = 0; j < neighbours.length; j++) {
            double gap = Float.isNaN(fromA[j]) || Float.isNaN(fromB[j]) ? 0 : Math.min(metric(fromA[j]), metric(fromB[j]));
            // A margin for the rounding of float distances: a neighbour at the edge is compared, not skipped.
            if (2 * radius[neighbours[j]] * 1.001 + 1e-6 >= gap) {
                compared.add(neighbours[j]);
            }
        }
        // Vectors only move from a neighbour to a or b, so the neighbours are compared independently, on the k-means
        // workers, and the moves applied after.
        List<Moves> moves = KMeans.WORKERS.submit(() -> compared.parallelStream().map(n -> {
            int[] ids = members.get(n).toArray();
            float[] distance = new float[ids.length];
            return new Moves(ids, nearestOf(ids, new int[] {n, a, b}, distance), distance);
        }).toList()).join();
        for (Moves m : moves) {
            for (int i = 0; i < m.ids().length; i++) {
                move(m.ids()[i], m.to()[i]);
                widen(m.to()[i], m.distance()[i]);
            }
        }
        return neighbours;
    }

    private record Moves(int[] ids, int[] to, float[] distance) {}

    private Clustering result() {
        int[] renumber = new int[centroids.size()];
        Arrays.fill(renumber, -1);
        List<float[]> kept = new ArrayList<>();
        for (int c = 0; c < centroids.size(); c++) {
            if (size(c) > 0) {
                renumber[c] = kept.size();
                kept.add(centroidOf(members.get(c)));
            }
        }
        float[] out = new float[kept.size() * dim];
        for (int c = 0; c < kept.size(); c++) {
            System.arraycopy(kept.get(c), 0, out, c * dim, dim);
        }
        int[] assigned = new int[assignment.length];
        for (int i = 0; i < assignment.length; i++) {
            assigned[i] = renumber[assignment[i]];
        }
        return new Clustering(out, assigned);
    }

    private float[] centroidOf(RoaringBitmap ids) {
        double[] sum = new double[dim];
        ids.forEach((int v) -> {
            float[] row = vectors.get(v);
            for (int j = 0; j < dim; j++) {
                sum[j] += row[j];
            }
        });
        return KMeans.centre(params.space(), sum, 0, dim, Math.max(1, ids.getCardinality()));
    }

    /** The mean of the rows on one side of a split. */
    private float[] mean(float[] rows, boolean[] side, boolean which) {
        double[] sum = new double[dim];
        int count = 0;
        for (int i = 0; i < side.length; i++) {
            if (side[i] == which) {
                count++;
                for (int j = 0; j < dim; j++) {
                    sum[j] += rows[i * dim + j];
                }
            }
        }
        return KMeans.centre(params.space(), sum, 0, dim, Math.max(1, count));
    }

    private int[] liveClusters() {
        return IntStream.range(0, centroids.size()).filter(c -> members.get(c) != null).toArray();
    }

    private MemorySegment pack(int[] clusters) {
        float[] packed = new float[clusters.length * dim];
        for (int i = 0; i < clusters.length; i++) {
            System.arraycopy(centroids.get(clusters[i]), 0, packed, i * dim, dim);
        }
        return MemorySegment.ofArray(packed);
    }

    /**
     * For each of the vectors {@code ids}, the nearest of the clusters {@code candidates} (ties to the earlier
     * candidate). One kernel call per candidate over the vectors' rows, rather than one per vector.
     */
    private int[] nearestOf(int[] ids, int[] candidates, float[] distance) {
        int[] out = new int[ids.length];
        if (ids.length == 0) {
            return out;
        }
        Arrays.fill(out, candidates[0]);
        MemorySegment all = PackedRows.segment(PackedRows.of(vectors, ids, dim), ids.length, dim);
        float[] best = new float[ids.length];
        Arrays.fill(best, Float.POSITIVE_INFINITY);
        for (int candidate : candidates) {
            float[] d = DistanceKernels.distances(params.space(), centroids.get(candidate), all, ids.length);
            for (int i = 0; i < ids.length; i++) {
                if (d[i] < best[i]) {
                    best[i] = d[i];
                    out[i] = candidate;
                }
            }
        }
        if (distance != null) {
            System.arraycopy(best, 0, distance, 0, ids.length);
        }
        return out;
    }

    /** The radius of cluster {@code c} from its members' distances (0 for an empty cluster). */
    private float radiusOf(int c) {
        int[] ids = members.get(c) == null ? new int[0] : members.get(c).toArray();
        float[] distance = new float[ids.length];
        nearestOf(ids, new int[] {c}, distance);
        float r = 0;
        for (float d : distance) {
            r = Math.max(r, metric(d));
        }
        return r;
    }

    /** A member at kernel distance {@code d} joined cluster {@code c}. */
    private void widen(int c, float d) {
        radius[c] = Math.max(radius[c], metric(d));
    }

    /**
     * A kernel distance as a metric, for which the triangle inequality holds: the l2 distance (the kernel gives its
     * square), or for cosine the angle (the kernel gives 1 - cos). Infinite for a NaN, so nothing is skipped on it.
     */
    private float metric(float d) {
        if (Float.isNaN(d)) {
            return Float.POSITIVE_INFINITY;
        }
        return params.space() == Space.COSINE ? (float) Math.acos(Math.max(-1.0, Math.min(1.0, 1.0 - d)))
                : (float) Math.sqrt(Math.max(0f, d));
    }
}
