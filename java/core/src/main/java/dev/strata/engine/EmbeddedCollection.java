package dev.strata.engine;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.CollectionSchema;
import dev.strata.api.ConfigurationUpdate;
import dev.strata.api.DeleteRequest;
import dev.strata.api.EmbeddingFunctionConfig;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.IndexingStatus;
import dev.strata.api.NotFoundException;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Validator;
import dev.strata.api.Where;
import dev.strata.api.WhereDocument;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.CollectionUpdate;
import dev.strata.filter.DocumentFilter;
import dev.strata.filter.MetadataFilter;
import dev.strata.query.ReadExecutor;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogOperation;
import dev.strata.segment.Record;
import dev.strata.segment.VersionView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * A collection handle. Holds only the id: name, metadata and configuration are read from the
 * catalog on each call, so a handle follows renames and reports a deleted collection as not found.
 */
final class EmbeddedCollection implements Collection {

    private final EmbeddedStrata strata;
    private final UUID id;

    EmbeddedCollection(EmbeddedStrata strata, UUID id) {
        this.strata = strata;
        this.id = id;
    }

    @Override
    public UUID id() {
        return id;
    }

    @Override
    public String name() {
        return record().name();
    }

    @Override
    public String tenant() {
        return record().tenant();
    }

    @Override
    public String database() {
        return record().database();
    }

    /** Null when the collection has none (the catalog keeps none as empty; Chroma refuses empty metadata). */
    @Override
    public Map<String, Object> metadata() {
        Map<String, Object> m = record().metadata();
        return m == null || m.isEmpty() ? null : m;
    }

    @Override
    public EmbeddingFunctionConfig embeddingFunction() {
        return CollectionRuntime.embeddingFunction(record());
    }

    @Override
    public CollectionSchema schema() {
        CollectionSchema s = CollectionRuntime.schema(record());
        return s == null ? CollectionSchema.defaults() : s;
    }

    @Override
    public Collection fork(String newName) {
        return new EmbeddedCollection(strata, strata.fork(id, newName).id());
    }

    @Override
    public int forkCount() {
        return Errors.call(() -> strata.catalog().forkCount(id));
    }

    @Override
    public IndexingStatus indexingStatus() {
        return strata.read(() -> runtime().indexingStatus());
    }

    @Override
    public CollectionConfiguration configuration() {
        return CollectionRuntime.configuration(record());
    }

    @Override
    public OptionalInt dimension() {
        Integer d = record().dimension();
        return d == null ? OptionalInt.empty() : OptionalInt.of(d);
    }

    @Override
    public void add(RecordSet records) {
        write(LogOperation.ADD, records);
    }

    @Override
    public void upsert(RecordSet records) {
        write(LogOperation.UPSERT, records);
    }

    @Override
    public void update(RecordSet records) {
        write(LogOperation.UPDATE, records);
    }

    @Override
    public int delete(DeleteRequest request) {
        strata.checkWriter();
        validator().validateDelete(request);
        checkIndexed(request.where(), request.whereDocument());
        return Errors.call(() -> {
            CollectionRuntime runtime = runtime();
            strata.checkWriter();
            runtime.checkWritable();
            List<String> ids;
            try (CollectionRuntime.Pin pin = runtime.pin()) {
                ids = strata.withDeadline(() -> ReadExecutor.get(pin.tail(), request.ids(), where(request.where()),
                        whereDocument(request.whereDocument()), null, 0, VersionView.Fields.NONE))
                        .stream().map(Record::id).toList();
            }
            if (!ids.isEmpty()) {
                runtime.append(LogBatch.delete(ids));
            }
            return ids.size();
        });
    }

    @Override
    public GetResult get(GetRequest request) {
        validator().validateGet(request);
        checkIndexed(request.where(), request.whereDocument());
        Set<Include> include = request.include();
        List<Record> records = strata.read(() -> {
            try (CollectionRuntime.Pin pin = runtime().pin()) {
                return ReadExecutor.get(pin.tail(), request.ids(), where(request.where()),
                        whereDocument(request.whereDocument()), request.limit(), request.offset(), fields(include));
            }
        });
        return GetResult.of(records, include);
    }

    @Override
    public QueryResult query(QueryRequest request) {
        checkIndexed(request.where(), request.whereDocument());
        Set<Include> include = request.include();
        List<ReadExecutor.Hits> results = strata.read(() -> {
            CollectionRuntime runtime = runtime();
            validator().validateQuery(request, runtime.dimension());
            try (CollectionRuntime.Pin pin = runtime.pin()) {
                requireIds(pin, request.ids());
                Validator.checkQueryResults(request.queryEmbeddings().size(), request.nResults(),
                        request.ids() != null ? request.ids().size() : (long) pin.tail().base().count() + pin.tail().size());
                return ReadExecutor.query(pin.tail(), request.queryEmbeddings(), request.nResults(), request.ids(),
                        where(request.where()), whereDocument(request.whereDocument()), fields(include),
                        strata.queryStages());
            }
        });
        List<List<Record>> records = new ArrayList<>(results.size());
        float[][] distances = new float[results.size()][];
        for (int i = 0; i < distances.length; i++) {
            records.add(results.get(i).records());
            distances[i] = results.get(i).distances();
        }
        return QueryResult.of(records, distances, include);
    }

    @Override
    public int count() {
        return strata.read(() -> {
            try (CollectionRuntime.Pin pin = runtime().pin()) {
                return pin.tail().count();
            }
        });
    }

    @Override
    public GetResult peek(int limit) {
        return get(GetRequest.builder().limit(limit).include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS).build());
    }

    @Override
    public void modify(String newName, Map<String, Object> newMetadata, ConfigurationUpdate configuration,
                       EmbeddingFunctionConfig embeddingFunction) {
        strata.checkWriter();
        if (newName != null) {
            Validator.validateCollectionName(newName);
        }
        Map<String, Object> metadata = Validator.validateCollectionMetadata(newMetadata);
        Errors.run(() -> {
            CollectionUpdate update = CollectionUpdate.NONE;
            if (newName != null) {
                update = update.withName(newName);
            }
            if (metadata != null) {
                update = update.withMetadata(metadata);
            }
            if (configuration != null || embeddingFunction != null) {
                CollectionRecord r = record();
                CollectionConfiguration current = CollectionRuntime.configuration(r);
                update = update.withConfiguration(CollectionRuntime.stored(
                        configuration == null ? current : current.apply(configuration),
                        embeddingFunction != null ? embeddingFunction : CollectionRuntime.embeddingFunction(r),
                        CollectionRuntime.schema(r)));
            }
            strata.catalog().updateCollection(id, update);
        });
    }

    @Override
    public void compact() {
        strata.checkWriter();
        record();
        Errors.run(() -> strata.compactNow(id));
    }

    @Override
    public String toString() {
        return "Collection[" + id + "]";
    }

    private void write(LogOperation op, RecordSet records) {
        strata.checkWriter();
        CollectionRuntime runtime = runtime();
        Validator validator = validator();
        Errors.run(() -> {
            strata.checkWriter();
            runtime.write(validator, op, records);
        });
    }

    /**
     * A query restricted to ids must name ids the collection has: Chroma fails such a query ("Error finding id"),
     * and the official client's tests expect it to fail, so a missing id is a NotFoundException here.
     */
    private static void requireIds(CollectionRuntime.Pin pin, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return;
        }
        Set<String> missing = new java.util.LinkedHashSet<>(ids);
        ReadExecutor.get(pin.tail(), ids, null, null, null, 0, VersionView.Fields.NONE)
                .forEach(r -> missing.remove(r.id()));
        if (!missing.isEmpty()) {
            throw new NotFoundException("Error finding id: the query names ids the collection does not have: "
                    + (missing.size() > 10 ? List.copyOf(missing).subList(0, 10) + " and " + (missing.size() - 10) + " more"
                    : missing));
        }
    }

    /** A filter on what the collection's schema leaves unindexed is refused, as Chroma refuses it. */
    private void checkIndexed(Where where, WhereDocument whereDocument) {
        if (where == null && whereDocument == null) {
            return;
        }
        CollectionSchema schema = CollectionRuntime.schema(record());
        if (schema != null) {
            schema.checkFilters(where == null ? null : where.filter(), whereDocument != null);
        }
    }

    private CollectionRecord record() {
        return strata.record(id);
    }

    private CollectionRuntime runtime() {
        strata.record(id);
        return strata.runtime(id);
    }

    private Validator validator() {
        return strata.validator();
    }

    private static MetadataFilter where(Where where) {
        return where == null ? null : where.filter();
    }

    private static DocumentFilter whereDocument(WhereDocument whereDocument) {
        return whereDocument == null ? null : whereDocument.filter();
    }

    private static VersionView.Fields fields(Set<Include> include) {
        return new VersionView.Fields(include.contains(Include.EMBEDDINGS), include.contains(Include.DOCUMENTS),
                include.contains(Include.METADATAS), include.contains(Include.URIS));
    }

}
