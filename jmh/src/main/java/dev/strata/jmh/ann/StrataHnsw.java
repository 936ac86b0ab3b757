package dev.strata.jmh.ann;

import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.Neighbors;
import dev.strata.nativeio.Space;
import java.util.stream.LongStream;

/** Strata's native index (hnswlib in libstrata behind Panama), space ip, fed the off-heap rows by address. */
final class StrataHnsw implements AnnIndex {
    private static final long SEED = 100;
    private final HnswIndex index;
    private final float[][] queries;
    private final int m;
    private final int efConstruction;

    StrataHnsw(AnnDataset data, int m, int efConstruction) {
        this.m = m;
        this.efConstruction = efConstruction;
        this.queries = data.queries();
        this.index = HnswIndex.create(Space.IP, data.dim(), m, efConstruction, data.size(), SEED);
        index.add(LongStream.range(0, data.size()).toArray(), data.rows());
    }

    @Override
    public String describeBuild() {
        return "HnswIndex M=" + m + " ef_construction=" + efConstruction + " (level 0 degree " + 2 * m + ")";
    }

    @Override
    public String breadthName() {
        return "ef";
    }

    @Override
    public void setBreadth(int breadth) {
        index.setEf(breadth);
    }

    @Override
    public Object search(int q, int k) {
        return index.search(queries[q], k);
    }

    @Override
    public long[] ids(Object result) {
        return ((Neighbors) result).ids();
    }

    @Override
    public void close() {
        index.close();
    }
}
