package dev.strata.query;

/**
 * Where a k-NN query's time goes inside the engine: {@link ReadExecutor} reports each stage's duration
 * here (the engine binds it to metrics). Called on the query's thread; implementations must be cheap.
 */
@FunctionalInterface
public interface QueryStages {

    /** Reports nothing. */
    QueryStages NONE = (stage, nanos) -> { };

    /** The stages of one query, in the order they run. */
    enum Stage {
        /** The log tail's matches and exact distances. */
        TAIL("tail"),
        /** The compacted version's filter bitmap (where, where_document, ids) minus the tail's overrides. */
        FILTER("filter"),
        /** The compacted version's nearest neighbours (warm graph or clustered index), every query embedding. */
        SEARCH("search"),
        /** The fields of the records found (record blocks, metadata decoding). */
        READ("read");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    void record(Stage stage, long nanos);
}
