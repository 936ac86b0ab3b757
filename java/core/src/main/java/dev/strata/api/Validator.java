package dev.strata.api;

import dev.strata.filter.MetadataValues;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogOperation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks every request before anything is logged, with Chroma's rules and messages, and turns record
 * sets into canonical {@link LogBatch}es. Every failure is an {@link InvalidArgumentException}.
 */
public final class Validator {

    /**
     * Chroma single-node's pre-flight max_batch_size: what the clients are told to split their writes by. As in
     * Chroma, a larger write is still taken, whole (one log record: all of it or nothing).
     */
    public static final int DEFAULT_MAX_BATCH_SIZE = 5461;

    /**
     * The most records one write may carry. A write is one log record, folded whole by one compaction step and
     * held whole in the tail: a million tiny records in one request (26 MB of JSON) took the compaction past a 1 GiB
     * heap. Far above max_batch_size, which clients split by, and above the 10,000 records LangChain4j and Spring AI
     * send in one call.
     */
    public static final int MAX_WRITE_RECORDS = 100_000;

    /**
     * The largest embedding dimension accepted: above every embedding model's (OpenAI's largest is 3,072). Nothing
     * else bounds it: a 38 MB request of one 19-million-dimension embedding made the node reserve 19 GB.
     */
    public static final int MAX_DIMENSION = 65_536;

    /**
     * The most records one query may answer (query embeddings times the n_results the collection can fill). Answers
     * are built whole in memory: 50 embeddings times n_results 2^31 over 47,000 records with documents ran the heap
     * out; this bound is refused before any work is done.
     */
    public static final int MAX_QUERY_RESULTS = 100_000;

    /** Refuses a query that would answer more than {@link #MAX_QUERY_RESULTS} records from {@code records} records. */
    public static void checkQueryResults(int queries, int nResults, long records) {
        long rows = (long) queries * Math.min(nResults, records);
        if (rows > MAX_QUERY_RESULTS) {
            throw new InvalidArgumentException("A query of " + queries + " embeddings with n_results " + nResults
                    + " over " + records + " records would answer " + rows + " records, more than the "
                    + MAX_QUERY_RESULTS + " one query may: ask for fewer results or send fewer embeddings at once");
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final int maxBatchSize;

    public Validator(int maxBatchSize) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be >= 1, got " + maxBatchSize);
        }
        this.maxBatchSize = maxBatchSize;
    }

    public Validator() {
        this(DEFAULT_MAX_BATCH_SIZE);
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Chroma's collection name rule: 3-512 of [a-zA-Z0-9._-], alnum ends, no "..", not an IP. */
    public static void validateCollectionName(String name) {
        validateResourceName("", name);
    }

    /**
     * Tenant names follow the collection name rule. Chroma itself only asks for 3 characters, but a tenant
     * name is a path segment of every route: with "/" it could never be read or deleted over HTTP, and NUL or
     * control characters have no business in a name. Database names likewise.
     */
    public static void validateTenantName(String name) {
        validateResourceName("tenant ", name);
    }

    /** Database names follow the collection name rule (see {@link #validateTenantName}). */
    public static void validateDatabaseName(String name) {
        validateResourceName("database ", name);
    }

    private static void validateResourceName(String kind, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidArgumentException("Expected a " + kind + "name containing 3-512 characters from "
                    + "[a-zA-Z0-9._-], starting and ending with a character in [a-zA-Z0-9]. Got: " + printable(name));
        }
        if (name.contains("..")) {
            throw new InvalidArgumentException("Expected a " + kind + "name that does not contains two consecutive "
                    + "periods (..). Got " + name);
        }
        if (isIpv4(name)) {
            throw new InvalidArgumentException("Expected a " + kind + "name that is not a valid ip address. Got " + name);
        }
    }

    /** A name as it can be shown in an error: control characters escaped, at most 100 characters. */
    private static String printable(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length() && out.length() < 100; i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return name.length() > 100 ? out + "... (" + name.length() + " characters)" : out.toString();
    }

    /** Collection metadata: null, or non-empty with valid keys and non-null values. Returns the canonical form. */
    public static Map<String, Object> validateCollectionMetadata(Map<String, ?> metadata) {
        if (metadata == null) {
            return null;
        }
        if (metadata.isEmpty()) {
            throw new InvalidArgumentException("Metadata cannot be empty");
        }
        try {
            return canonicalMetadata(metadata, false);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("Invalid collection metadata: " + e.getMessage());
        }
    }

    /**
     * Checks an add / upsert / update batch and returns it as a canonical log batch.
     *
     * @param collectionDimension the collection's dimension, empty while it has none
     */
    public LogBatch toLogBatch(LogOperation op, RecordSet records, OptionalInt collectionDimension) {
        if (op == LogOperation.DELETE) {
            throw new IllegalArgumentException("deletes are checked by validateDelete");
        }
        String verb = op.name().toLowerCase();
        List<String> ids = records.ids();
        validateIds(ids, true);
        if (ids.size() > MAX_WRITE_RECORDS) {
            throw new InvalidArgumentException("Cannot " + verb + " " + ids.size() + " records in one request: at most "
                    + MAX_WRITE_RECORDS + "; send them in batches of max_batch_size (" + maxBatchSize + ")");
        }
        checkLengths(records, verb);
        if (op != LogOperation.UPDATE && (records.embeddings() == null || records.embeddings().contains(null))) {
            throw new InvalidArgumentException("Embeddings are required for every record in " + verb);
        }
        float[][] embeddings = records.embeddings() == null ? null : records.embeddings().toArray(new float[0][]);
        if (embeddings != null) {
            checkEmbeddings(records.embeddings(), collectionDimension, "embedding");
        }
        List<Map<String, Object>> metadatas = null;
        if (records.metadatas() != null) {
            metadatas = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                Map<String, Object> m = records.metadatas().get(i);
                try {
                    metadatas.add(m == null ? null : canonicalMetadata(m, op != LogOperation.ADD));
                } catch (IllegalArgumentException e) {
                    throw new InvalidArgumentException("Invalid metadata at index " + i + ": " + e.getMessage());
                }
            }
        }
        return new LogBatch(op, ids, embeddings, records.documents(), metadatas, records.uris());
    }

    public void validateGet(GetRequest request) {
        if (request.ids() != null) {
            validateIds(request.ids(), false);
        }
        if (request.limit() != null && request.limit() < 0) {
            throw new InvalidArgumentException("Expected limit to be a non-negative integer, got " + request.limit());
        }
        if (request.offset() < 0) {
            throw new InvalidArgumentException("Expected offset to be a non-negative integer, got " + request.offset());
        }
        if (request.include().contains(Include.DISTANCES)) {
            throw new InvalidArgumentException("Include \"distances\" is only valid for query, not get");
        }
    }

    public void validateQuery(QueryRequest request, OptionalInt collectionDimension) {
        if (request.queryEmbeddings() == null || request.queryEmbeddings().isEmpty()) {
            throw new InvalidArgumentException("Expected query embeddings to be a non-empty list");
        }
        if (request.queryEmbeddings().contains(null)) {
            throw new InvalidArgumentException("Expected every query embedding to be present, got null");
        }
        if (request.queryEmbeddings().size() > maxBatchSize) {
            throw new InvalidArgumentException("Cannot submit more than " + maxBatchSize + " query embeddings at once, got "
                    + request.queryEmbeddings().size());
        }
        checkEmbeddings(request.queryEmbeddings(), collectionDimension, "query embedding");
        if (request.nResults() < 1) {
            throw new InvalidArgumentException("Expected n_results to be a positive integer, got " + request.nResults());
        }
        if (request.ids() != null) {
            validateIds(request.ids(), false);
        }
    }

    public void validateDelete(DeleteRequest request) {
        if (request.ids() == null && request.where() == null && request.whereDocument() == null) {
            throw new InvalidArgumentException("At least one of ids, where or where_document must be given to delete");
        }
        if (request.ids() != null) {
            validateIds(request.ids(), false);
        }
    }

    /** Ids: non-null, non-empty strings; for writes also a non-empty, duplicate-free list. */
    private static void validateIds(List<String> ids, boolean write) {
        if (ids == null || (write && ids.isEmpty())) {
            throw new InvalidArgumentException("Expected IDs to be a non-empty list, got " + (ids == null ? "none" : "0 IDs"));
        }
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null || id.isEmpty()) {
                throw new InvalidArgumentException("Expected each ID to be a non-empty string, got "
                        + (id == null ? "null" : "an empty string") + " at index " + i);
            }
            if (write && !seen.add(id)) {
                duplicates.add(id);
            }
        }
        if (!duplicates.isEmpty()) {
            throw new InvalidArgumentException("Expected IDs to be unique, found duplicates of: " + String.join(", ", duplicates));
        }
    }

    private static void checkLengths(RecordSet r, String verb) {
        int n = r.ids().size();
        Map<String, Integer> lengths = new LinkedHashMap<>();
        lengths.put("ids", n);
        if (r.embeddings() != null) {
            lengths.put("embeddings", r.embeddings().size());
        }
        if (r.documents() != null) {
            lengths.put("documents", r.documents().size());
        }
        if (r.metadatas() != null) {
            lengths.put("metadatas", r.metadatas().size());
        }
        if (r.uris() != null) {
            lengths.put("uris", r.uris().size());
        }
        if (lengths.values().stream().anyMatch(len -> len != n)) {
            StringBuilder sb = new StringBuilder("Unequal lengths for fields: ");
            lengths.forEach((k, v) -> sb.append(k).append(": ").append(v).append(", "));
            sb.setLength(sb.length() - 2);
            throw new InvalidArgumentException(sb.append(" in ").append(verb).append('.').toString());
        }
    }

    private static void checkEmbeddings(List<float[]> embeddings, OptionalInt collectionDimension, String what) {
        int first = -1;
        for (int i = 0; i < embeddings.size(); i++) {
            float[] e = embeddings.get(i);
            if (e == null) {
                continue;
            }
            if (e.length == 0) {
                throw new InvalidArgumentException("Expected each " + what + " to be non-empty, got an empty one at index " + i);
            }
            if (e.length > MAX_DIMENSION) {
                throw new InvalidArgumentException("Expected each " + what + " to have at most " + MAX_DIMENSION
                        + " dimensions, got " + e.length + " at index " + i);
            }
            if (collectionDimension.isPresent() && e.length != collectionDimension.getAsInt()) {
                throw new InvalidArgumentException("Collection expecting embedding with dimension of "
                        + collectionDimension.getAsInt() + ", got " + e.length);
            }
            if (first >= 0 && e.length != first) {
                throw new InvalidArgumentException("Expected every " + what + " to have the same dimension, got "
                        + first + " and " + e.length + " (at index " + i + ")");
            }
            first = e.length;
            for (float f : e) {
                if (!Float.isFinite(f)) {
                    throw new InvalidArgumentException("Expected " + what + " at index " + i
                            + " to hold finite numbers, got " + f);
                }
            }
        }
    }

    /** Canonical metadata; IllegalArgumentException (caller adds context) for a bad key or value. */
    private static Map<String, Object> canonicalMetadata(Map<String, ?> metadata, boolean allowNull) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : metadata.entrySet()) {
            String key = e.getKey();
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("Metadata key cannot be empty");
            }
            if (key.startsWith("#") || key.startsWith("$")) {
                throw new IllegalArgumentException("Metadata key cannot start with '#' or '$': " + key);
            }
            Object v = e.getValue();
            if (v == null) {
                if (!allowNull) {
                    throw new IllegalArgumentException("metadata value of key " + key
                            + " is null; null (delete the key) is only allowed in update and upsert");
                }
                out.put(key, null);
                continue;
            }
            try {
                out.put(key, MetadataValues.value(v));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("key " + key + ": " + ex.getMessage());
            }
        }
        return out;
    }

    private static boolean isIpv4(String name) {
        if (!IPV4.matcher(name).matches()) {
            return false;
        }
        for (String part : name.split("\\.")) {
            // Like Rust's Ipv4Addr (what Chroma uses): octets above 255 or with leading zeros are no address.
            if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
                return false;
            }
        }
        return true;
    }
}
