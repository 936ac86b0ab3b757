package dev.strata.ops.port;

import dev.strata.api.Collection;
import dev.strata.api.Database;
import dev.strata.api.GetRequest;
import dev.strata.api.Include;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies collections of a Strata database to a Chroma server (creating its tenant and database when missing): each
 * collection is created there with get_or_create (same name,
 * metadata and HNSW configuration), then its records are read in insertion order and added in batches of at most
 * the server's max_batch_size (pre-flight-checks), embeddings as base64 float32 when the server supports it.
 * Re-running is safe: the server ignores ids the collection already holds.
 */
public final class Exporter {

    private final Database source;
    private final ChromaHttpClient target;
    private final PagedCopy pages;

    /** @param pageSize records per page read and per batch sent (lowered to the server's max_batch_size) */
    public Exporter(Database source, ChromaHttpClient target, int pageSize, PortProgress progress) {
        this.source = source;
        this.target = target;
        this.pages = new PagedCopy(pageSize, progress);
    }

    /** Exports the named collections, or every collection of the source database when {@code names} is empty. */
    public List<CollectionCopy> run(List<String> names) {
        Preflight preflight = target.preflight();
        PagedCopy batches = pages.atMost(preflight.maxBatchSize());
        target.ensureDatabase();
        List<Collection> collections = names.isEmpty() ? source.listCollections(null, 0)
                : names.stream().map(source::getCollection).toList();
        List<CollectionCopy> copies = new ArrayList<>();
        for (Collection c : collections) {
            copies.add(copy(c, batches, preflight.supportsBase64Encoding()));
        }
        return copies;
    }

    private CollectionCopy copy(Collection local, PagedCopy pages, boolean base64) {
        RemoteCollection remote = target.getOrCreateCollection(local.name(), local.metadata(),
                local.configuration().toMap());
        long before = target.count(remote.id());
        long read = pages.run(local.name(), local.count(),
                offset -> local.get(GetRequest.builder().limit(pages.pageSize()).offset(offset)
                        .include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.URIS).build()),
                records -> target.add(remote.id(), records, base64));
        return new CollectionCopy(local.name(), read, before, target.count(remote.id()));
    }
}
