package dev.strata.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A delete by ids and/or filters; every criterion given must hold, and at least one must be given. */
public record DeleteRequest(List<String> ids, Where where, WhereDocument whereDocument) {

    public DeleteRequest {
        ids = RecordSet.copy(ids);
    }

    public static DeleteRequest ofIds(String... ids) {
        return new DeleteRequest(Arrays.asList(ids), null, null);
    }

    public static DeleteRequest of(Where where) {
        return new DeleteRequest(null, where, null);
    }

    /** From Chroma's JSON shapes; null or empty maps mean no filter. */
    public static DeleteRequest of(List<String> ids, Map<String, ?> where, Map<String, ?> whereDocument) {
        return new DeleteRequest(ids,
                where == null || where.isEmpty() ? null : Where.parse(where),
                whereDocument == null || whereDocument.isEmpty() ? null : WhereDocument.parse(whereDocument));
    }
}
