package dev.strata.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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

    public static final class Builder {
        private List<String> ids;
        private Where where;
        private WhereDocument whereDocument;
        private Integer limit;
        private int offset;
        private Set<Include> include;

        public Builder ids(String... ids) {
            return ids(Arrays.asList(ids));
        }

        public Builder ids(List<String> ids) {
            this.ids = ids;
            return this;
        }

        public Builder where(Where where) {
            this.where = where;
            return this;
        }

        /** Chroma's JSON shape; null or an empty map means no filter. */
        public Builder where(Map<String, ?> where) {
            this.where = where == null || where.isEmpty() ? null : Where.parse(where);
            return this;
        }

        public Builder whereDocument(WhereDocument whereDocument) {
            this.whereDocument = whereDocument;
            return this;
        }

        public Builder whereDocument(Map<String, ?> whereDocument) {
            this.whereDocument = whereDocument == null || whereDocument.isEmpty() ? null : WhereDocument.parse(whereDocument);
            return this;
        }

        public Builder limit(Integer limit) {
            this.limit = limit;
            return this;
        }

        public Builder offset(int offset) {
            this.offset = offset;
            return this;
        }

        public Builder include(Include... include) {
            this.include = include.length == 0 ? EnumSet.noneOf(Include.class) : EnumSet.copyOf(Arrays.asList(include));
            return this;
        }

        public Builder include(Set<Include> include) {
            this.include = include;
            return this;
        }

        public GetRequest build() {
            return new GetRequest(ids, where, whereDocument, limit, offset, include);
        }
    }
}
