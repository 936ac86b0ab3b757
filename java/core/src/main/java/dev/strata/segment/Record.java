package dev.strata.segment;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One record as it stands in a collection. Any field but the id may be null (a record added without
 * a document has none). Metadata never holds null values and is null rather than empty.
 */
public record Record(String id, float[] embedding, String document, Map<String, Object> metadata, String uri) {

    public Record {
        Objects.requireNonNull(id, "id");
        metadata = metadata == null || metadata.isEmpty()
                ? null
                : Collections.unmodifiableMap(
                        metadata instanceof DecodedMetadata owned ? owned : new LinkedHashMap<>(metadata));
    }

    // Records compare by content: the embedding array is part of the value.
    @Override
    public boolean equals(Object o) {
        return o instanceof Record r
                && id.equals(r.id)
                && Arrays.equals(embedding, r.embedding)
                && Objects.equals(document, r.document)
                && Objects.equals(metadata, r.metadata)
                && Objects.equals(uri, r.uri);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(embedding), document, metadata, uri);
    }

    @Override
    public String toString() {
        return "Record[id=" + id + ", embedding=" + Arrays.toString(embedding) + ", document=" + document
                + ", metadata=" + metadata + ", uri=" + uri + "]";
    }
}
