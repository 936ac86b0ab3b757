package dev.strata.jmh.ann;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * JVector's in-memory graph: GraphIndexBuilder over full-precision vectors (no PQ, so every score
 * is exact and rerankK is purely the search beam), hierarchy on, searched by one reused
 * GraphSearcher. JVector's degree is the whole neighbour list, so HNSW's M becomes 2M (HNSW's
 * level 0 degree); alpha and neighbour overflow are JVector's usual 1.2.
 */
final class JVectorGraph implements AnnIndex {
    private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;
    private static final float NEIGHBOR_OVERFLOW = 1.2f;
    private static final float ALPHA = 1.2f;

    private final RandomAccessVectorValues vectors;
    private final ImmutableGraphIndex graph;
    private final GraphSearcher searcher;
    private final List<VectorFloat<?>> queries;
    private final int degree;
    private final int beamWidth;
    private int breadth = 10;

    JVectorGraph(AnnDataset data, int m, int beamWidth) {
        VectorTypeSupport types = VectorizationProvider.getInstance().getVectorTypeSupport();
        this.degree = 2 * m;
        this.beamWidth = beamWidth;
        this.vectors = new ListRandomAccessVectorValues(
                Arrays.stream(data.vectors()).<VectorFloat<?>>map(types::createFloatVector).toList(), data.dim());
        this.queries = Arrays.stream(data.queries()).<VectorFloat<?>>map(types::createFloatVector).toList();
        try (GraphIndexBuilder builder = new GraphIndexBuilder(vectors, SIMILARITY, degree, beamWidth, NEIGHBOR_OVERFLOW,
                ALPHA, true)) {
            graph = builder.build(vectors);
        } catch (IOException e) {
            throw new UncheckedIOException("building JVector's graph", e);
        }
        searcher = new GraphSearcher(graph);
    }

    @Override
    public String describeBuild() {
        return "GraphIndexBuilder degree=" + degree + " beamWidth=" + beamWidth + " overflow=" + NEIGHBOR_OVERFLOW
                + " alpha=" + ALPHA + " hierarchy, " + VectorizationProvider.getInstance().getClass().getSimpleName();
    }

    @Override
    public String breadthName() {
        return "rerankK";
    }

    @Override
    public void setBreadth(int breadth) {
        this.breadth = breadth;
    }

    @Override
    public Object search(int q, int k) {
        return searcher.search(DefaultSearchScoreProvider.exact(queries.get(q), SIMILARITY, vectors), k,
                Math.max(k, breadth), 0f, 0f, Bits.ALL);
    }

    @Override
    public long[] ids(Object result) {
        return Arrays.stream(((SearchResult) result).getNodes()).mapToLong(n -> n.node).toArray();
    }

    @Override
    public void close() {
        try {
            searcher.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing JVector's searcher", e);
        }
    }
}
