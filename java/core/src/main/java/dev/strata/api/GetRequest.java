package dev.strata.api;

import java.util.List;
import java.util.Set;

/**
 * A get: records by ids and/or filters, in insertion order, paged by offset and limit (null = all).
 * Every criterion given must hold (ids AND where AND whereDocument).
 */
public record GetRequest(
        List<String> ids, Where where, WhereDocument whereDocument, Integer limit, int offset, Set<Include> include) {

    public GetRequest {
        ids = RecordSet.copy(ids);
        include = include == null ? Include.getDefaults() : Set.copyOf(include);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All records, default include. */
    public static GetRequest all() {
        return builder().build();
    }

    public static final class Builder extends FilteredRequestBuilder<Builder> {
        private Integer limit;
        private int offset;

        public Builder limit(Integer limit) {
            this.limit = limit;
            return this;
        }

        public Builder offset(int offset) {
            this.offset = offset;
            return this;
        }

        public GetRequest build() {
            return new GetRequest(ids, where, whereDocument, limit, offset, include);
        }
    }
}
