package dev.strata.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One write as it is logged: an operation over a batch of ids, with parallel per-record fields.
 *
 * <p>A field list (or the embeddings array) is null when the batch does not carry that field at all;
 * an element is null when that one record does not carry it. For UPDATE and UPSERT an absent field
 * keeps the stored value, and a metadata entry whose value is null deletes that key. DELETE carries
 * ids only. The batch has been validated by the API layer before it gets here; this type only checks
 * the shape (parallel lengths) so that a malformed batch can never be logged.
 */
public record LogBatch(
        LogOperation operation,
        List<String> ids,
        float[][] embeddings,
        List<String> documents,
        List<Map<String, Object>> metadatas,
        List<String> uris) {

    public LogBatch {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(ids, "ids");
        for (String id : ids) {
            if (id == null) {
                throw new IllegalArgumentException("log batch ids must not contain null");
            }
        }
        ids = List.copyOf(ids);
        int n = ids.size();
        if (embeddings != null && embeddings.length != n) {
            throw lengthMismatch("embeddings", embeddings.length, n);
        }
        embeddings = embeddings == null ? null : embeddings.clone();
        documents = copyField("documents", documents, n);
        uris = copyField("uris", uris, n);
        if (metadatas != null) {
            if (metadatas.size() != n) {
                throw lengthMismatch("metadatas", metadatas.size(), n);
            }
            List<Map<String, Object>> copy = new ArrayList<>(n);
            for (Map<String, Object> m : metadatas) {
                // LinkedHashMap because null values (delete this key) are meaningful here.
                copy.add(m == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(m)));
            }
            metadatas = Collections.unmodifiableList(copy);
        }
        if (operation == LogOperation.DELETE && (embeddings != null || documents != null || metadatas != null || uris != null)) {
            throw new IllegalArgumentException("a DELETE log batch carries ids only");
        }
    }

    /** A DELETE batch of these ids. */
    public static LogBatch delete(List<String> ids) {
        return new LogBatch(LogOperation.DELETE, ids, null, null, null, null);
    }

    public int size() {
        return ids.size();
    }

    /** The embedding of record i, or null when absent. */
    public float[] embedding(int i) {
        return embeddings == null ? null : embeddings[i];
    }

    public String document(int i) {
        return documents == null ? null : documents.get(i);
    }

    public Map<String, Object> metadata(int i) {
        return metadatas == null ? null : metadatas.get(i);
    }

    public String uri(int i) {
        return uris == null ? null : uris.get(i);
    }

    private static <T> List<T> copyField(String name, List<T> values, int n) {
        if (values == null) {
            return null;
        }
        if (values.size() != n) {
            throw lengthMismatch(name, values.size(), n);
        }
        return Collections.unmodifiableList(new ArrayList<>(values));
    }

    private static IllegalArgumentException lengthMismatch(String field, int got, int ids) {
        return new IllegalArgumentException("log batch has " + got + " " + field + " for " + ids + " ids");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogBatch b
                && operation == b.operation
                && ids.equals(b.ids)
                && Arrays.deepEquals(embeddings, b.embeddings)
                && Objects.equals(documents, b.documents)
                && Objects.equals(metadatas, b.metadatas)
                && Objects.equals(uris, b.uris);
    }

    @Override
    public int hashCode() {
        return Objects.hash(operation, ids, Arrays.deepHashCode(embeddings), documents, metadatas, uris);
    }

    @Override
    public String toString() {
        return "LogBatch[" + operation + ", ids=" + ids + "]";
    }
}
