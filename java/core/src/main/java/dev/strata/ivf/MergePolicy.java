package dev.strata.ivf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which segments a compaction merges, tiered by size as Lucene's and LanceDB's policies are: a segment's
 * tier is the power of {@link #FACTOR} its size is of {@link #FIRST_TIER}; when a tier holds
 * {@link #FACTOR} segments (the new one included), they merge into one of the next tier, so each vector is
 * rewritten once per tier (log10 of the collection over 4,096 times), not at every compaction. A merged
 * segment never exceeds {@link #MAX_SEGMENT} vectors (bounds a merge's memory), and a segment whose live
 * share fell under {@link #MIN_LIVE_SHARE} is rewritten to drop its dead vectors.
 */
public final class MergePolicy {

    public static final int FACTOR = 10;
    public static final int FIRST_TIER = 4096;
    public static final int MAX_SEGMENT = 131_072;
    public static final double MIN_LIVE_SHARE = 0.5;

    private MergePolicy() {}

    /** A segment as the policy sees it: vectors stored, and how many of them are still current. */
    public record Candidate(int index, long size, long live) {}

    static int tier(long size) {
        int t = 0;
        long bound = FIRST_TIER;
        while (size >= bound) {
            t++;
            bound *= FACTOR;
        }
        return t;
    }

    /**
     * The indexes of {@code existing} to merge, and whether the {@code pending} new vectors merge with them
     * (else they form a segment of their own).
     */
    public record Selection(List<Integer> merged, boolean includesPending) {}

    public static Selection select(List<Candidate> existing, long pending) {
        List<Integer> merged = new ArrayList<>();
        for (Candidate c : existing) {
            if (c.live() < c.size() * MIN_LIVE_SHARE) {
                merged.add(c.index());
            }
        }
        Map<Integer, List<Candidate>> tiers = new TreeMap<>();
        for (Candidate c : existing) {
            if (!merged.contains(c.index())) {
                tiers.computeIfAbsent(tier(c.live()), t -> new ArrayList<>()).add(c);
            }
        }
        int pendingTier = tier(pending);
        boolean includesPending = false;
        for (Map.Entry<Integer, List<Candidate>> e : tiers.entrySet()) {
            List<Candidate> group = new ArrayList<>(e.getValue());
            boolean withPending = pending > 0 && e.getKey() == pendingTier;
            if (group.size() + (withPending ? 1 : 0) < FACTOR) {
                continue;
            }
            group.sort(Comparator.comparingLong(Candidate::live));
            long total = withPending ? pending : 0;
            List<Integer> chosen = new ArrayList<>();
            for (Candidate c : group) {
                // The first segment is taken even past the cap when the merge would otherwise be of one segment, but
                // not to join a pending batch: a bulk load's big batches (a step of ~70,000 vectors) would each
                // rewrite the smallest full segment beside them, again and again, for nothing gained.
                if (total + c.live() > MAX_SEGMENT && (!chosen.isEmpty() || withPending)) {
                    break;
                }
                total += c.live();
                chosen.add(c.index());
            }
            if (chosen.size() + (withPending ? 1 : 0) >= 2) {
                merged.addAll(chosen);
                includesPending |= withPending;
            }
        }
        // A rewrite of dead-heavy segments takes the small pending batch along rather than leaving it alone.
        if (!merged.isEmpty() && pending > 0 && pending < FIRST_TIER) {
            includesPending = true;
        }
        merged.sort(Integer::compare);
        return new Selection(List.copyOf(merged), includesPending);
    }
}
