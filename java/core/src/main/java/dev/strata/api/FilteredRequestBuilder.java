package dev.strata.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The selection part shared by the get and query builders: ids, where, where_document, include. */
public abstract class FilteredRequestBuilder<B extends FilteredRequestBuilder<B>> {
    protected List<String> ids;
    protected Where where;
    protected WhereDocument whereDocument;
    protected Set<Include> include;

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    public B ids(String... ids) {
        return ids(Arrays.asList(ids));
    }

    public B ids(List<String> ids) {
        this.ids = ids;
        return self();
    }

    public B where(Where where) {
        this.where = where;
        return self();
    }

    /** Chroma's JSON shape; null or an empty map means no filter. */
    public B where(Map<String, ?> where) {
        this.where = where == null || where.isEmpty() ? null : Where.parse(where);
        return self();
    }

    public B whereDocument(WhereDocument whereDocument) {
        this.whereDocument = whereDocument;
        return self();
    }

    /** Chroma's JSON shape; null or an empty map means no filter. */
    public B whereDocument(Map<String, ?> whereDocument) {
        this.whereDocument = whereDocument == null || whereDocument.isEmpty() ? null : WhereDocument.parse(whereDocument);
        return self();
    }

    public B include(Include... include) {
        this.include = include.length == 0 ? EnumSet.noneOf(Include.class) : EnumSet.copyOf(Arrays.asList(include));
        return self();
    }

    /** null = the operation's default. */
    public B include(Set<Include> include) {
        this.include = include;
        return self();
    }
}
