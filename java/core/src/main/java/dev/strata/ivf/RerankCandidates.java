package dev.strata.ivf;

import dev.strata.blockfile.Block;
import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Space;
import java.lang.foreign.Arena;
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

    /**
     * Offers every candidate, with its exact distance to the query, to {@code out}. The candidates' rows are gathered
     * into one scratch matrix and scored in one native call: one downcall per candidate was a seventh of a warm query.
     */
    void rerank(Space space, MemorySegment query, int dimension, TopK out) {
        int n = top.size();
        if (n == 0) {
            return;
        }
        long rowBytes = (long) dimension * Float.BYTES;
        float[] d = new float[n];
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment rows = scratch.allocate(n * rowBytes, 64);
            for (int i = 0; i < n; i++) {
                long id = top.id(i);
                MemorySegment.copy(blocks.get((int) (id >>> 32)).vector((int) id), 0, rows, i * rowBytes, rowBytes);
            }
            DistanceKernels.distances(space, query, rows, n, dimension, MemorySegment.ofArray(d));
        }
        for (int i = 0; i < n; i++) {
            long id = top.id(i);
            Block<?> block = blocks.get((int) (id >>> 32));
            out.offer(PostingKeys.offset(block.key((int) id).num()), d[i]);
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
