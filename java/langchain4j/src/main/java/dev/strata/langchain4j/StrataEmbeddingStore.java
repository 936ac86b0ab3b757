package dev.strata.langchain4j;

import static dev.langchain4j.internal.ValidationUtils.ensureNotBlank;
import static dev.langchain4j.internal.ValidationUtils.ensureNotEmpty;
import static dev.langchain4j.internal.ValidationUtils.ensureNotNull;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.RelevanceScore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.Database;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A LangChain4j {@link EmbeddingStore} over one collection of an embedded Strata: in-process, no server.
 *
 * <p>A segment's text is the record's document and its metadata the record's metadata (a UUID is stored as its
 * string, Integer and Float as Strata's integer and float numbers). Adding an id that exists replaces its
 * embedding and text and merges its metadata key by key (Strata's upsert, as LangChain4j's Chroma store does).
 * The collection uses the cosine space and a match's score is
 * {@link RelevanceScore#fromCosineSimilarity}{@code (1 - distance)}, in [0, 1], as in LangChain4j's Chroma store;
 * {@code minScore} is applied to that score. Filters are translated by {@link FilterToWhere}.
 *
 * <p>Closing the store closes the Strata it opened ({@link Builder#path}); a Strata passed in
 * ({@link Builder#strata}) belongs to the caller.
 */
public final class StrataEmbeddingStore implements EmbeddingStore<TextSegment>, AutoCloseable {

    /** The collection a store uses unless told otherwise. */
    public static final String DEFAULT_COLLECTION = "langchain4j";

    private static final int DELETE_BATCH = 5000;

    private final Collection collection;
    private final Strata owned;

    private StrataEmbeddingStore(Collection collection, Strata owned) {
        this.collection = collection;
        this.owned = owned;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A store over this collection, which must use the cosine space (the score convention assumes it). */
    public static StrataEmbeddingStore of(Collection collection) {
        requireCosine(collection);
        return new StrataEmbeddingStore(collection, null);
    }

    /** The Strata collection behind the store. */
    public Collection collection() {
        return collection;
    }

    @Override
    public String add(Embedding embedding) {
        String id = UUID.randomUUID().toString();
        add(id, embedding);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        addAll(List.of(id), List.of(embedding), null);
    }

    @Override
    public String add(Embedding embedding, TextSegment segment) {
        String id = UUID.randomUUID().toString();
        addAll(List.of(id), List.of(embedding), segment == null ? null : List.of(segment));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = generateIds(embeddings.size());
        addAll(ids, embeddings, null);
        return ids;
    }

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
        ensureNotNull(ids, "ids");
        ensureNotNull(embeddings, "embeddings");
        if (ids.size() != embeddings.size() || (segments != null && segments.size() != ids.size())) {
            throw new IllegalArgumentException("ids, embeddings and segments must have the same size: "
                    + ids.size() + ", " + embeddings.size() + (segments == null ? "" : ", " + segments.size()));
        }
        if (ids.isEmpty()) {
            return;
        }
        RecordSet.Builder records = RecordSet.builder()
                .ids(ids)
                .embeddings(embeddings.stream().map(Embedding::vector).toList());
        if (segments != null) {
            List<String> documents = new ArrayList<>(segments.size());
            List<Map<String, Object>> metadatas = new ArrayList<>(segments.size());
            for (TextSegment segment : segments) {
                documents.add(segment == null ? null : segment.text());
                metadatas.add(segment == null ? null : toStrata(segment.metadata()));
            }
            records.documents(documents).metadatas(metadatas);
        }
        collection.upsert(records.build());
    }

    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        QueryResult result = collection.query(QueryRequest.builder()
                .queryEmbeddings(request.queryEmbedding().vector())
                .nResults(request.maxResults())
                .where(FilterToWhere.toWhere(request.filter()))
                .include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS, Include.DISTANCES)
                .build());
        List<String> ids = result.ids().getFirst();
        List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            double score = RelevanceScore.fromCosineSimilarity(1.0 - result.distances().getFirst().get(i));
            if (score < request.minScore()) {
                break;         // nearest first: every later match scores no higher
            }
            String text = result.documents().getFirst().get(i);
            TextSegment segment = text == null ? null
                    : TextSegment.from(text, fromStrata(result.metadatas().getFirst().get(i)));
            matches.add(new EmbeddingMatch<>(score, ids.get(i),
                    Embedding.from(result.embeddings().getFirst().get(i)), segment));
        }
        return new EmbeddingSearchResult<>(matches);
    }

    @Override
    public void remove(String id) {
        ensureNotBlank(id, "id");
        collection.delete(DeleteRequest.ofIds(id));
    }

    @Override
    public void removeAll(java.util.Collection<String> ids) {
        ensureNotEmpty(ids, "ids");
        collection.delete(new DeleteRequest(List.copyOf(ids), null, null));
    }

    @Override
    public void removeAll(Filter filter) {
        ensureNotNull(filter, "filter");
        collection.delete(DeleteRequest.of(FilterToWhere.toWhere(filter)));
    }

    /** Deletes every record of the collection (the collection itself stays, with its id and configuration). */
    @Override
    public void removeAll() {
        // A Strata delete needs ids or a filter: list the ids (no other column), then delete them in batches.
        List<String> ids = collection.get(GetRequest.builder().include().build()).ids();
        for (int from = 0; from < ids.size(); from += DELETE_BATCH) {
            collection.delete(new DeleteRequest(ids.subList(from, Math.min(ids.size(), from + DELETE_BATCH)), null, null));
        }
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }

    /** LangChain4j metadata as Strata stores it; null for none (Strata keeps no empty metadata). */
    static Map<String, Object> toStrata(Metadata metadata) {
        if (metadata == null || metadata.toMap().isEmpty()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        metadata.toMap().forEach((k, v) -> out.put(k, FilterToWhere.value(v)));
        return out;
    }

    /**
     * Strata metadata as LangChain4j metadata. Values LangChain4j cannot hold (a bool or an array written by
     * another client) become their string form, so that reading a record never fails.
     */
    static Metadata fromStrata(Map<String, Object> metadata) {
        Metadata out = new Metadata();
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                switch (v) {
                    case String s -> out.put(k, s);
                    case Long l -> out.put(k, l);
                    case Double d -> out.put(k, d);
                    case null -> { }
                    default -> out.put(k, v.toString());
                }
            });
        }
        return out;
    }

    private static void requireCosine(Collection collection) {
        Space space = collection.configuration().space();
        if (space != Space.COSINE) {
            throw new IllegalArgumentException("Collection " + collection.name() + " uses the " + space.wireName()
                    + " space; a LangChain4j store needs cosine (its relevance score is defined on cosine similarity)");
        }
    }

    /** Where the store's records live: a Strata (or a folder to open one in) and a collection name. */
    public static final class Builder {
        private Strata strata;
        private Path path;
        private Database database;
        private String collectionName = DEFAULT_COLLECTION;

        /** An open Strata the caller owns (and closes). */
        public Builder strata(Strata strata) {
            this.strata = strata;
            return this;
        }

        /** A folder the store opens a Strata in with default settings, and closes when the store closes. */
        public Builder path(Path path) {
            this.path = path;
            return this;
        }

        /** A database other than the Strata's default one. */
        public Builder database(Database database) {
            this.database = database;
            return this;
        }

        public Builder collectionName(String collectionName) {
            this.collectionName = Objects.requireNonNull(collectionName, "collectionName");
            return this;
        }

        /** Opens (creating it in the cosine space when missing) the collection. */
        public StrataEmbeddingStore build() {
            int given = (strata == null ? 0 : 1) + (path == null ? 0 : 1) + (database == null ? 0 : 1);
            if (given != 1) {
                throw new IllegalArgumentException("Give exactly one of strata, path or database");
            }
            Strata opened = database == null && strata == null ? Strata.open(path) : null;
            try {
                Database db = database != null ? database : (strata != null ? strata : opened).database();
                Collection collection = db.getOrCreateCollection(collectionName, null,
                        CollectionConfiguration.defaults().withSpace(Space.COSINE));
                requireCosine(collection);
                return new StrataEmbeddingStore(collection, opened);
            } catch (RuntimeException e) {
                if (opened != null) {
                    opened.close();
                }
                throw e;
            }
        }
    }
}
