package dev.strata.ivf;

import dev.strata.storage.BlockCache;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * Computes and writes the index segments of a new version from the previous version's index and what
 * changed: the new or replaced vectors form a new segment (or join a merge the {@link MergePolicy} picks),
 * removed embeddings become tombstones, and the previous segments are kept as they are. Only the new and
 * merged segments are written: the cost of a compaction follows what changed, not the collection's size.
 */
public final class IndexUpdate {

    private final ClusterSegmentWriter writer;
    private final IvfParams params;

    public IndexUpdate(BlockCache cache, String keyPrefix, long targetBlockBytes, IvfParams params) {
        this(cache, keyPrefix, targetBlockBytes, params, SegmentCodes.enabledByDefault());
    }

    /** {@code codes}: whether the segments written are searched by 8-bit codes (derived from the vectors when read). */
    public IndexUpdate(BlockCache cache, String keyPrefix, long targetBlockBytes, IvfParams params, boolean codes) {
        this(new ClusterSegmentWriter(cache, keyPrefix, targetBlockBytes, codes), params);
    }

    IndexUpdate(ClusterSegmentWriter writer, IvfParams params) {
        this.writer = writer;
        this.params = params;
    }

    /** The new version's segments (oldest first) and the objects written for them. */
    public record Result(List<SegmentFiles> segments, List<String> writtenKeys, int mergedSegments) {}

    /** Vectors not yet in any segment of the new version, by offset (insertion order kept). */
    public interface Source {
        void forEach(VectorConsumer consumer);
    }

    public interface VectorConsumer {
        void accept(int offset, float[] vector);
    }

    /**
     * @param previous the previous version's index (null: none)
     * @param live     the new version's live offsets
     * @param adds     new or replaced vectors by offset
     * @param removed  offsets of live records whose embedding was removed
     * @param seed     clustering seed (e.g. the version number)
     */
    public Result apply(ClusteredIndex previous, RoaringBitmap live, Map<Integer, float[]> adds, RoaringBitmap removed, long seed) {
        RoaringBitmap changed = new RoaringBitmap();
        adds.keySet().forEach(changed::add);
        changed.or(removed);
        List<SegmentFiles> kept = new ArrayList<>();
        List<MergePolicy.Candidate> candidates = new ArrayList<>();
        List<RoaringBitmap> currents = new ArrayList<>();
        RoaringBitmap carriedTombstones = new RoaringBitmap();
        if (previous != null) {
            for (int i = 0; i < previous.segments().size(); i++) {
                RoaringBitmap current = RoaringBitmap.and(previous.mask(i), live);
                current.andNot(changed);
                currents.add(current);
                if (!current.isEmpty()) {
                    candidates.add(new MergePolicy.Candidate(i, previous.segments().get(i).offsets().getLongCardinality(),
                            current.getLongCardinality()));
                }
            }
        }
        MergePolicy.Selection selection = MergePolicy.select(candidates, adds.size());
        List<Integer> merged = selection.merged();
        for (MergePolicy.Candidate c : candidates) {
            if (!merged.contains(c.index())) {
                kept.add(previous.segments().get(c.index()).files());
            }
        }
        if (previous != null) {
            // A merged or dropped segment's tombstones still hide stale vectors of the segments kept before it.
            for (int i = 0; i < previous.segments().size(); i++) {
                boolean gone = merged.contains(i) || currents.get(i).isEmpty();
                if (gone) {
                    carriedTombstones.or(previous.segments().get(i).tombstones());
                }
            }
            carriedTombstones.and(live);
        }
        RoaringBitmap tombstones = RoaringBitmap.or(removed, carriedTombstones);
        tombstones.and(live);
        List<String> written = new ArrayList<>();
        List<SegmentFiles> out = new ArrayList<>(kept);
        Batch batch = new Batch(out, written, seed);
        for (int i : merged) {
            ClusterSegment s = previous.segments().get(i);
            s.forEachVector(currents.get(i), (offset, v) -> batch.add(offset, v.toArray(ValueLayout.JAVA_FLOAT)));
        }
        if (selection.includesPending() || merged.isEmpty()) {
            adds.forEach(batch::add);
        } else {
            batch.flush(RoaringBitmap.bitmapOf());
            adds.forEach(batch::add);
        }
        batch.flush(tombstones);
        return new Result(out, written, merged.size());
    }

    /**
     * The first index of a version whose previous format had no clustered index: every current vector of
     * {@code source} plus the changes, in segments of at most {@link MergePolicy#MAX_SEGMENT}.
     */
    public Result convert(Source source, Map<Integer, float[]> adds, long seed) {
        List<String> written = new ArrayList<>();
        List<SegmentFiles> out = new ArrayList<>();
        Batch batch = new Batch(out, written, seed);
        source.forEach((offset, v) -> {
            if (!adds.containsKey(offset)) {
                batch.add(offset, v);
            }
        });
        adds.forEach(batch::add);
        batch.flush(RoaringBitmap.bitmapOf());
        return new Result(out, written, 0);
    }

    /** Vectors gathered into segments of at most MAX_SEGMENT, each written when full. */
    private final class Batch {
        final List<SegmentFiles> out;
        final List<String> written;
        final long seed;
        final List<Integer> offsets = new ArrayList<>();
        final List<float[]> vectors = new ArrayList<>();

        Batch(List<SegmentFiles> out, List<String> written, long seed) {
            this.out = out;
            this.written = written;
            this.seed = seed;
        }

        void add(int offset, float[] vector) {
            offsets.add(offset);
            vectors.add(vector);
            if (vectors.size() >= MergePolicy.MAX_SEGMENT) {
                flush(RoaringBitmap.bitmapOf());
            }
        }

        void flush(RoaringBitmap tombstones) {
            if (vectors.isEmpty() && tombstones.isEmpty()) {
                return;
            }
            int[] o = offsets.stream().mapToInt(Integer::intValue).toArray();
            ClusterSegmentWriter.Written w = writer.write(params, o, List.copyOf(vectors), tombstones, seed + out.size());
            out.add(w.files());
            written.addAll(w.objectKeys());
            offsets.clear();
            vectors.clear();
        }
    }
}
