package dev.strata.springai;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.Database;
import dev.strata.api.DeleteRequest;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Space;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.DocumentMetadata;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.observation.conventions.VectorStoreSimilarityMetric;
import org.springframework.ai.vectorstore.AbstractVectorStoreBuilder;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.observation.AbstractObservationVectorStore;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * A Spring AI {@code VectorStore} over one collection of an embedded Strata: in-process, no server.
 *
 * <p>{@link #add} embeds the documents' text with the configured {@link EmbeddingModel} (in the batches of its
 * {@code BatchingStrategy}) and upserts them: a document's id is the record id, its text the record's document,
 * its metadata the record's metadata (strings, numbers, booleans, and lists of one of them). The collection uses
 * the cosine space; a result's score is the cosine similarity, {@code 1 - distance} (as Spring AI's Chroma and
 * simple stores), its metadata carries {@code distance}, and {@code similarityThreshold} is applied to the score
 * (Spring AI's accept-all threshold, 0, keeps every document, also those of negative similarity).
 * Filter expressions are translated by {@link ExpressionToWhere}.
 *
 * <p>The store does not own the Strata its collection lives in: whoever opened it closes it (the
 * auto-configuration's Strata bean is closed with the context).
 */
public final class StrataVectorStore extends AbstractObservationVectorStore {

    /** The collection a store uses unless told otherwise. */
    public static final String DEFAULT_COLLECTION = "spring-ai-documents";

    private final Collection collection;

    private StrataVectorStore(Builder builder) {
        super(builder);
        this.collection = builder.collection();
    }

    /** A builder of a store over the collection {@code collectionName} of this database, with this model. */
    public static Builder builder(Database database, EmbeddingModel embeddingModel) {
        return new Builder(database, embeddingModel);
    }

    /** The Strata collection behind the store. */
    public Collection collection() {
        return collection;
    }

    @Override
    public void doAdd(List<Document> documents) {
        if (documents.isEmpty()) {
            return;
        }
        List<float[]> embeddings = embeddingModel.embed(documents, EmbeddingOptions.builder().build(), batchingStrategy);
        List<String> ids = new ArrayList<>(documents.size());
        List<String> texts = new ArrayList<>(documents.size());
        List<Map<String, Object>> metadatas = new ArrayList<>(documents.size());
        for (Document document : documents) {
            ids.add(document.getId());
            texts.add(document.getText());
            metadatas.add(document.getMetadata().isEmpty() ? null : document.getMetadata());
        }
        collection.upsert(RecordSet.builder().ids(ids).embeddings(embeddings).documents(texts).metadatas(metadatas).build());
    }

    @Override
    public void doDelete(List<String> ids) {
        if (!ids.isEmpty()) {
            collection.delete(new DeleteRequest(ids, null, null));
        }
    }

    @Override
    protected void doDelete(Filter.Expression filterExpression) {
        collection.delete(DeleteRequest.of(ExpressionToWhere.toWhere(Objects.requireNonNull(filterExpression))));
    }

    @Override
    public List<Document> doSimilaritySearch(SearchRequest request) {
        QueryResult result = collection.query(QueryRequest.builder()
                .queryEmbeddings(embeddingModel.embed(request.getQuery()))
                .nResults(request.getTopK())
                .where(ExpressionToWhere.toWhere(request.getFilterExpression()))
                .include(Include.DOCUMENTS, Include.METADATAS, Include.DISTANCES)
                .build());
        List<String> ids = result.ids().getFirst();
        List<Document> documents = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            float distance = result.distances().getFirst().get(i);
            double score = 1.0 - distance;
            if (request.getSimilarityThreshold() > SearchRequest.SIMILARITY_THRESHOLD_ACCEPT_ALL
                    && score < request.getSimilarityThreshold()) {
                break;         // nearest first: every later document scores no higher
            }
            Map<String, Object> metadata = new HashMap<>();
            Map<String, Object> stored = result.metadatas().getFirst().get(i);
            if (stored != null) {
                metadata.putAll(stored);
            }
            metadata.put(DocumentMetadata.DISTANCE.value(), distance);
            documents.add(Document.builder()
                    .id(ids.get(i))
                    .text(result.documents().getFirst().get(i))
                    .metadata(metadata)
                    .score(score)
                    .build());
        }
        return documents;
    }

    @Override
    public VectorStoreObservationContext.Builder createObservationContextBuilder(String operationName) {
        return VectorStoreObservationContext.builder("strata", operationName)
                .collectionName(collection.name())
                .dimensions(collection.dimension().isPresent() ? collection.dimension().getAsInt() : null)
                .similarityMetric(VectorStoreSimilarityMetric.COSINE.value());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> getNativeClient() {
        return Optional.of((T) collection);
    }

    /** The database, the collection name and Spring AI's common settings (observation, batching). */
    public static final class Builder extends AbstractVectorStoreBuilder<Builder> {
        private final Database database;
        private String collectionName = DEFAULT_COLLECTION;

        private Builder(Database database, EmbeddingModel embeddingModel) {
            super(embeddingModel);
            this.database = Objects.requireNonNull(database, "database");
        }

        public Builder collectionName(String collectionName) {
            this.collectionName = Objects.requireNonNull(collectionName, "collectionName");
            return this;
        }

        /** Opens the collection, creating it in the cosine space when missing. */
        @Override
        public StrataVectorStore build() {
            return new StrataVectorStore(this);
        }

        private Collection collection() {
            Collection c = database.getOrCreateCollection(collectionName, null,
                    CollectionConfiguration.defaults().withSpace(Space.COSINE));
            if (c.configuration().space() != Space.COSINE) {
                throw new IllegalArgumentException("Collection " + collectionName + " uses the "
                        + c.configuration().space().wireName() + " space; the Spring AI store needs cosine"
                        + " (its score is the cosine similarity)");
            }
            return c;
        }
    }
}
