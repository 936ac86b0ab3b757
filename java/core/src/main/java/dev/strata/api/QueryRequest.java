package dev.strata.api;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A k-NN query: for each query embedding, the nResults nearest records (default 10) among those that
 * pass ids, where and whereDocument. Fewer results when fewer records pass; never an error for that.
 */
public record QueryRequest(
        List<float[]> queryEmbeddings, int nResults, List<String> ids, Where where, WhereDocument whereDocument,
        Set<Include> include) {

    public static final int DEFAULT_N_RESULTS = 10;

    public QueryRequest {
        queryEmbeddings = RecordSet.copy(queryEmbeddings);
        ids = RecordSet.copy(ids);
        include = include == null ? Include.queryDefaults() : Set.copyOf(include);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder extends FilteredRequestBuilder<Builder> {
        private List<float[]> queryEmbeddings;
        private int nResults = DEFAULT_N_RESULTS;

        public Builder queryEmbeddings(float[]... queryEmbeddings) {
            return queryEmbeddings(Arrays.asList(queryEmbeddings));
        }

        public Builder queryEmbeddings(List<float[]> queryEmbeddings) {
            this.queryEmbeddings = queryEmbeddings;
            return this;
        }

        public Builder nResults(int nResults) {
            this.nResults = nResults;
            return this;
        }

        public QueryRequest build() {
            return new QueryRequest(queryEmbeddings, nResults, ids, where, whereDocument, include);
        }
    }
}
