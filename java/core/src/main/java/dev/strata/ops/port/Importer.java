package dev.strata.ops.port;

import dev.strata.api.AlreadyExistsException;
import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.Database;
import dev.strata.api.InvalidArgumentException;
import dev.strata.api.NotFoundException;
import dev.strata.api.Strata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies collections from a Chroma server into a Strata node: each collection is created with the same name,
 * metadata and HNSW configuration (space, ef_construction, ef_search, max_neighbors, resize_factor,
 * sync_threshold), then its records (ids, embeddings, documents, metadatas, uris) are read in pages and added in
 * batches. Re-running is safe: add ignores ids the collection already holds, so an interrupted import is finished
 * by running it again (records changed at the source since are not updated).
 */
public final class Importer {

    /** The keys of Chroma's "hnsw" configuration block Strata keeps; others (e.g. future ones) are dropped. */
    private static final Set<String> HNSW_KEYS = Set.of("space", "ef_construction", "ef_search", "max_neighbors",
            "resize_factor", "sync_threshold", "num_threads", "batch_size");

    private final ChromaHttpClient source;
    private final Strata target;
    private final PagedCopy pages;

    /** @param pageSize records per page read and per batch added (at most the node's max batch size) */
    public Importer(ChromaHttpClient source, Strata target, int pageSize, PortProgress progress) {
        this.source = source;
        this.target = target;
        this.pages = new PagedCopy(pageSize, progress);
    }

    /** Imports the named collections, or every collection of the source database when {@code names} is empty. */
    public List<CollectionCopy> run(List<String> names) {
        List<RemoteCollection> collections = names.isEmpty() ? source.listCollections()
                : names.stream().map(source::getCollection).toList();
        Database db = targetDatabase();
        List<CollectionCopy> copies = new ArrayList<>();
        for (RemoteCollection remote : collections) {
            copies.add(copy(remote, db));
        }
        return copies;
    }

    private CollectionCopy copy(RemoteCollection remote, Database db) {
        Collection local = db.getOrCreateCollection(remote.name(), metadata(remote.metadata()), configuration(remote));
        long before = local.count();
        long read = pages.run(remote.name(), source.count(remote.id()),
                offset -> source.get(remote.id(), pages.pageSize(), offset), local::add);
        return new CollectionCopy(remote.name(), read, before, local.count());
    }

    /** The node's database of the source's tenant and name, created when missing. */
    private Database targetDatabase() {
        try {
            target.getTenant(source.tenant());
        } catch (NotFoundException e) {
            createIgnoringRace(() -> target.createTenant(source.tenant()));
        }
        try {
            return target.getDatabase(source.tenant(), source.database());
        } catch (NotFoundException e) {
            createIgnoringRace(() -> target.createDatabase(source.tenant(), source.database()));
            return target.getDatabase(source.tenant(), source.database());
        }
    }

    private static void createIgnoringRace(Runnable create) {
        try {
            create.run();
        } catch (AlreadyExistsException e) {
            // created in between: what we wanted
        }
    }

    /** Chroma answers {} or null for a collection without metadata; Strata wants null then. */
    static Map<String, Object> metadata(Map<String, Object> metadata) {
        return metadata == null || metadata.isEmpty() ? null : metadata;
    }

    /**
     * The configuration Chroma reports in configuration_json.hnsw; without that block (a SPANN collection of
     * distributed Chroma) the legacy hnsw:* metadata keys or the defaults apply.
     */
    static CollectionConfiguration configuration(RemoteCollection remote) {
        if (!(remote.configuration().get("hnsw") instanceof Map<?, ?> hnsw)) {
            return CollectionConfiguration.resolve(null, remote.metadata());
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        hnsw.forEach((k, v) -> {
            if (v != null && HNSW_KEYS.contains(k.toString())) {
                kept.put(k.toString(), v);
            }
        });
        try {
            return CollectionConfiguration.fromMap(Map.of("hnsw", kept));
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("Collection " + remote.name() + " has a configuration Strata cannot take: "
                    + e.getMessage());
        }
    }
}
