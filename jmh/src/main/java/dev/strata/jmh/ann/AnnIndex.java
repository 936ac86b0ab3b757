package dev.strata.jmh.ann;

import java.util.Locale;

/**
 * One ANN library's graph index over an {@link AnnDataset}, searched by dot product. Each has one
 * knob trading speed for recall, its "breadth": the size of the candidate list the graph walk
 * keeps (hnswlib's ef, the k of Lucene's collector before the top-k is cut, JVector's rerankK).
 * Not thread-safe: one benchmark thread per instance.
 */
public interface AnnIndex extends AutoCloseable {
    /** How M / ef_construction map onto this library, for the report. */
    String describeBuild();

    /** The name of this library's breadth knob. */
    String breadthName();

    void setBreadth(int breadth);

    /** The k nearest to query q of the data set, in the library's own result type: what a benchmark measures. */
    Object search(int q, int k);

    /** The ids of a result of {@link #search}. */
    long[] ids(Object result);

    @Override
    void close();

    /** Builds the index of engine ("strata", "lucene", "jvector") over data with HNSW's M and ef_construction. */
    static AnnIndex build(String engine, AnnDataset data, int m, int efConstruction) {
        return switch (engine.toLowerCase(Locale.ROOT)) {
            case "strata" -> new StrataHnsw(data, m, efConstruction);
            case "lucene" -> new LuceneHnsw(data, m, efConstruction);
            case "jvector" -> new JVectorGraph(data, m, efConstruction);
            default -> throw new IllegalArgumentException("unknown engine '" + engine + "': expected strata, lucene or jvector");
        };
    }
}
