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

    /**
     * The smallest breadth worth trying for k results: k for a graph walk, whose candidate list cannot be shorter
     * than the results; an index whose breadth counts something else (clusters probed) starts lower.
     */
    default int minBreadth(int k) {
        return k;
    }

    /** The k nearest to query q of the data set, in the library's own result type: what a benchmark measures. */
    Object search(int q, int k);

    /** The ids of a result of {@link #search}. */
    long[] ids(Object result);

    /** Bytes of memory the searchable index holds (vectors included), or -1 when the adapter cannot tell. */
    default long memoryBytes() {
        return -1;
    }

    @Override
    void close();

    /**
     * Builds the index of engine ("strata", "lucene", "jvector": HNSW graphs of M and ef_construction; "clustered":
     * Strata's IVF index, which has neither) over data.
     */
    static AnnIndex build(String engine, AnnDataset data, int m, int efConstruction) {
        return switch (engine.toLowerCase(Locale.ROOT)) {
            case "strata" -> new StrataHnsw(data, m, efConstruction);
            case "lucene" -> new LuceneHnsw(data, m, efConstruction);
            case "jvector" -> new JVectorGraph(data, m, efConstruction);
            case "clustered" -> new ClusteredIvf(data, true);
            case "clustered-float" -> new ClusteredIvf(data, false);
            default -> throw new IllegalArgumentException("unknown engine '" + engine
                    + "': expected strata, lucene, jvector, clustered or clustered-float");
        };
    }
}
