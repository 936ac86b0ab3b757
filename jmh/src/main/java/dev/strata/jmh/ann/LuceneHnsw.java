package dev.strata.jmh.ann;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;

/**
 * Lucene's HNSW at its own layer: an OnHeapHnswGraph built by HnswGraphBuilder over on-heap
 * float[] vectors, searched by HnswGraphSearcher with the Lucene99 flat scorer (Panama
 * VectorUtil when jdk.incubator.vector is readable). This is the graph walk a KnnFloatVectorQuery
 * ends in, without the IndexSearcher, codec and Directory layers above it: Lucene's best case.
 */
final class LuceneHnsw implements AnnIndex {
    private static final long SEED = 42;
    private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

    private final FlatVectorsScorer scorer = FlatVectorScorerUtil.getLucene99FlatVectorsScorer();
    private final FloatVectorValues vectors;
    private final OnHeapHnswGraph graph;
    private final float[][] queries;
    private final int m;
    private final int beamWidth;
    private int breadth = 10;

    LuceneHnsw(AnnDataset data, int m, int beamWidth) {
        this.m = m;
        this.beamWidth = beamWidth;
        this.queries = data.queries();
        this.vectors = FloatVectorValues.fromFloats(Arrays.asList(data.vectors()), data.dim());
        try {
            graph = HnswGraphBuilder.create(scorer.getRandomVectorScorerSupplier(SIMILARITY, vectors), m, beamWidth, SEED)
                    .build(vectors.size());
        } catch (IOException e) {
            throw new UncheckedIOException("building Lucene's HNSW graph", e);
        }
    }

    @Override
    public String describeBuild() {
        return "HnswGraphBuilder maxConn=" + m + " beamWidth=" + beamWidth + " (level 0 degree " + 2 * m + "), " + scorer;
    }

    @Override
    public String breadthName() {
        return "collector k (fan-out)";
    }

    @Override
    public void setBreadth(int breadth) {
        this.breadth = breadth;
    }

    @Override
    public Object search(int q, int k) {
        try {
            RandomVectorScorer query = scorer.getRandomVectorScorer(SIMILARITY, vectors, queries[q]);
            TopKnnCollector collector = new TopKnnCollector(Math.max(k, breadth), Integer.MAX_VALUE);
            HnswGraphSearcher.search(query, collector, graph, null);
            TopDocs top = collector.topDocs();
            return top.scoreDocs.length <= k ? top.scoreDocs : Arrays.copyOf(top.scoreDocs, k);
        } catch (IOException e) {
            throw new UncheckedIOException("searching Lucene's HNSW graph", e);
        }
    }

    /** The on-heap float[] vectors (with their array headers) plus the graph's own estimate of its size. */
    @Override
    public long memoryBytes() {
        long vectorBytes = (long) vectors.size() * (16 + (long) vectors.dimension() * Float.BYTES);
        return vectorBytes + graph.ramBytesUsed();
    }

    @Override
    public long[] ids(Object result) {
        return Arrays.stream((ScoreDoc[]) result).mapToLong(d -> d.doc).toArray();
    }

    @Override
    public void close() {
        // On-heap graph and vectors: nothing to release.
    }
}
