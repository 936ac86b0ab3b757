package dev.strata.ivf;

import dev.strata.blockfile.Block;
import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Space;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows a code scan keeps, by approximate distance, until they are reranked with exact distances from
 * the float vectors of the same blocks (still in memory: the candidates hold the blocks, not copies).
 * A candidate's id is {@code block index << 32 | row}, the block index into the blocks scanned so far.
 *
 * <p>Only blocks with a kept candidate are held (a reference each, released when their last candidate is
 * displaced, or at {@link #close()}): a selective filter scans far more blocks than the memory tier holds,
 * and keeping every scanned block would hold them all until the rerank.
 */
final class RerankCandidates implements AutoCloseable {

    private final TopK top;
    private final List<Block<?>> blocks = new ArrayList<>();
    /** Candidates kept per registered block; the block is held while its count is positive. */
    private int[] kept = new int[16];

    RerankCandidates(int size) {
        this.top = new TopK(size);
    }

    /**
     * Registers a block whose rows will be offered (held by the caller during its offers); returns its index
     * for {@link #offer}.
     */
    int add(Block<?> block) {
        blocks.add(block);
        if (blocks.size() > kept.length) {
            kept = Arrays.copyOf(kept, kept.length * 2);
        }
        return blocks.size() - 1;
    }

    float bound() {
        return top.bound();
    }

    void offer(int block, int row, float approximateDistance) {
        long displaced = top.offer(((long) block << 32) | row, approximateDistance);
        if (displaced == TopK.REJECTED) {
            return;
        }
        if (kept[block] == 0 && !blocks.get(block).retain()) {
            throw new IllegalStateException("a scanned block was freed while its scan held it");
        }
        kept[block]++;
        if (displaced >= 0) {
            int from = (int) (displaced >>> 32);
            if (--kept[from] == 0) {
                blocks.get(from).release();
            }
        }
    }

    /** Offers every candidate, with its exact distance to the query, to {@code out}. */
    void rerank(Space space, MemorySegment query, int dimension, TopK out) {
        float[] d = new float[1];
        MemorySegment distance = MemorySegment.ofArray(d);
        for (int i = 0; i < top.size(); i++) {
            long id = top.id(i);
            Block<?> block = blocks.get((int) (id >>> 32));
            int row = (int) id;
            DistanceKernels.distances(space, query, block.vector(row), 1, dimension, distance);
            out.offer(PostingKeys.offset(block.key(row).num()), d[0]);
        }
    }

    /** Releases the blocks still held. */
    @Override
    public void close() {
        for (int b = 0; b < blocks.size(); b++) {
            if (kept[b] > 0) {
                kept[b] = 0;
                blocks.get(b).release();
            }
        }
    }
}
