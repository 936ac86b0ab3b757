package dev.strata.ivf;

import dev.strata.blockfile.Block;
import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Space;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a code scan keeps, by approximate distance, until they are reranked with exact distances from
 * the float vectors of the same blocks (still in memory: the candidates hold the blocks, not copies).
 * A candidate's id is {@code block index << 32 | row}, the block index into the blocks scanned so far.
 */
final class RerankCandidates {

    private final TopK top;
    private final List<Block<?>> blocks = new ArrayList<>();

    RerankCandidates(int size) {
        this.top = new TopK(size);
    }

    /** Registers a block whose rows will be offered; returns its index for {@link #offer}. */
    int add(Block<?> block) {
        blocks.add(block);
        return blocks.size() - 1;
    }

    float bound() {
        return top.bound();
    }

    void offer(int block, int row, float approximateDistance) {
        top.offer(((long) block << 32) | row, approximateDistance);
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
}
