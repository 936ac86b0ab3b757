package dev.strata.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The records of an add, upsert or update: parallel lists, one element per id. A list is null when
 * the batch does not carry that field; for update/upsert an element may be null (keep the stored
 * value) and a metadata value may be null (delete that key). Nothing is checked here: the
 * {@link Validator} checks a set before it is logged.
 */
public record RecordSet(
        List<String> ids,
        List<float[]> embeddings,
        List<String> documents,
        List<Map<String, Object>> metadatas,
        List<String> uris) {

    public RecordSet {
        ids = copy(ids);
        embeddings = copy(embeddings);
        documents = copy(documents);
        metadatas = copy(metadatas);
        uris = copy(uris);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return ids == null ? 0 : ids.size();
    }

    // Lists may hold nulls (absent per record), so List.copyOf cannot be used.
    static <T> List<T> copy(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** Fluent construction: {@code RecordSet.builder().ids("a", "b").embeddings(e1, e2).build()}. */
    public static final class Builder {
        private List<String> ids;
        private List<float[]> embeddings;
        private List<String> documents;
        private List<Map<String, Object>> metadatas;
        private List<String> uris;

        public Builder ids(String... ids) {
            return ids(Arrays.asList(ids));
        }

        public Builder ids(List<String> ids) {
            this.ids = ids;
            return this;
        }

        public Builder embeddings(float[]... embeddings) {
            return embeddings(Arrays.asList(embeddings));
        }

        public Builder embeddings(List<float[]> embeddings) {
            this.embeddings = embeddings;
            return this;
        }

        public Builder documents(String... documents) {
            return documents(Arrays.asList(documents));
        }

        public Builder documents(List<String> documents) {
            this.documents = documents;
            return this;
        }

        @SafeVarargs
        public final Builder metadatas(Map<String, Object>... metadatas) {
            return metadatas(Arrays.asList(metadatas));
        }

        public Builder metadatas(List<Map<String, Object>> metadatas) {
            this.metadatas = metadatas;
            return this;
        }

        public Builder uris(String... uris) {
            return uris(Arrays.asList(uris));
        }

        public Builder uris(List<String> uris) {
            this.uris = uris;
            return this;
        }

        public RecordSet build() {
            return new RecordSet(ids, embeddings, documents, metadatas, uris);
        }
    }
}
