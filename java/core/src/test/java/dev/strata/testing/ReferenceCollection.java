package dev.strata.testing;

import dev.strata.api.CollectionConfiguration;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Space;
import dev.strata.api.Validator;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogMaterializer;
import dev.strata.segment.LogOperation;
import dev.strata.segment.Record;
import dev.strata.segment.RecordChange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * The reference semantics of one Chroma collection, in memory and by brute force, for model-based
 * tests of the engine. Writes go through the same {@link Validator} and {@link LogMaterializer} the
 * engine uses, one batch at a time. Records are kept in insertion order: an update keeps a record's
 * place, a delete followed by a re-add moves it to the end. get returns records in that order (also
 * when asked by ids); query ranks by exact distance, ties broken by that order.
 */
public final class ReferenceCollection {

    private final Space space;
    private final Validator validator;
    private final LinkedHashMap<String, Record> records = new LinkedHashMap<>();
    private OptionalInt dimension = OptionalInt.empty();

    public ReferenceCollection(CollectionConfiguration configuration, Validator validator) {
        this.space = configuration.space();
        this.validator = validator;
    }

    public ReferenceCollection(Space space) {
        this(CollectionConfiguration.defaults().withSpace(space), new Validator());
    }

    public OptionalInt dimension() {
        return dimension;
    }

    public void add(RecordSet set) {
        write(LogOperation.ADD, set);
    }

    public void upsert(RecordSet set) {
        write(LogOperation.UPSERT, set);
    }

    public void update(RecordSet set) {
        write(LogOperation.UPDATE, set);
    }

    /** Deletes the records matching every given criterion; returns how many were deleted. */
    public int delete(DeleteRequest request) {
        validator.validateDelete(request);
        List<String> ids = select(request.ids(), request.where() == null ? null : request.where()::matches,
                request.whereDocument() == null ? null : request.whereDocument()::matches)
                .stream().map(Record::id).toList();
        if (!ids.isEmpty()) {
            apply(LogBatch.delete(ids));
        }
        return ids.size();
    }

    public int count() {
        return records.size();
    }

    public GetResult get(GetRequest request) {
        validator.validateGet(request);
        List<Record> matched = select(request.ids(), request.where() == null ? null : request.where()::matches,
                request.whereDocument() == null ? null : request.whereDocument()::matches);
        int from = Math.min(request.offset(), matched.size());
        int to = request.limit() == null ? matched.size() : (int) Math.min((long) from + request.limit(), matched.size());
        return GetResult.of(matched.subList(from, to), request.include());
    }

    public GetResult peek(int limit) {
        return get(GetRequest.builder().limit(limit).include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS).build());
    }

    public QueryResult query(QueryRequest request) {
        validator.validateQuery(request, dimension);
        if (request.ids() != null && !request.ids().isEmpty()) {
            // As Chroma ("Error finding id"): a query restricted to ids fails when one of them is not there.
            java.util.Set<String> missing = new java.util.LinkedHashSet<>(request.ids());
            select(request.ids(), null, null).forEach(r -> missing.remove(r.id()));
            if (!missing.isEmpty()) {
                throw new dev.strata.api.NotFoundException("Error finding id: the query names ids the collection"
                        + " does not have: " + missing);
            }
        }
        List<Record> candidates = select(request.ids(), request.where() == null ? null : request.where()::matches,
                request.whereDocument() == null ? null : request.whereDocument()::matches);
        List<List<Record>> nearest = new ArrayList<>();
        List<List<Float>> distances = new ArrayList<>();
        for (float[] q : request.queryEmbeddings()) {
            List<Scored> scored = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                Record r = candidates.get(i);
                if (r.embedding() != null) {
                    scored.add(new Scored(r, distance(q, r.embedding()), i));
                }
            }
            scored.sort(Comparator.comparingDouble(Scored::distance).thenComparingInt(Scored::order));
            List<Scored> top = scored.subList(0, Math.min(request.nResults(), scored.size()));
            nearest.add(top.stream().map(Scored::record).toList());
            distances.add(top.stream().map(Scored::distance).toList());
        }
        return QueryResult.of(nearest, distances, request.include());
    }

    /** Chroma's distances: l2 squared Euclidean, ip 1 - dot, cosine 1 - cosine similarity. */
    public float distance(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        double l2 = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
            double d = (double) a[i] - b[i];
            l2 += d * d;
        }
        return (float) switch (space) {
            case L2 -> l2;
            case IP -> 1 - dot;
            case COSINE -> 1 - dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-30);
        };
    }

    private void write(LogOperation op, RecordSet set) {
        LogBatch batch = validator.toLogBatch(op, set, dimension);
        apply(batch);
    }

    private void apply(LogBatch batch) {
        LogMaterializer materializer = new LogMaterializer(records::get);
        materializer.apply(batch);
        for (RecordChange change : materializer.changes()) {
            switch (change) {
                case RecordChange.Insert insert -> records.put(insert.id(), insert.record());
                case RecordChange.Replace replace -> records.put(replace.id(), replace.record());
                case RecordChange.Delete delete -> records.remove(delete.id());
            }
            if (dimension.isEmpty() && !(change instanceof RecordChange.Delete)) {
                float[] e = change instanceof RecordChange.Insert i ? i.record().embedding()
                        : ((RecordChange.Replace) change).record().embedding();
                if (e != null) {
                    dimension = OptionalInt.of(e.length);
                }
            }
        }
    }

    private List<Record> select(List<String> ids, Function<Map<String, Object>, Boolean> where,
            Function<String, Boolean> whereDocument) {
        Set<String> wanted = ids == null ? null : new HashSet<>(ids);
        List<Record> out = new ArrayList<>();
        for (Record r : records.values()) {
            if ((wanted == null || wanted.contains(r.id()))
                    && (where == null || where.apply(r.metadata()))
                    && (whereDocument == null || whereDocument.apply(r.document()))) {
                out.add(r);
            }
        }
        return out;
    }

    private record Scored(Record record, float distance, int order) {}
}
