package dev.strata.segment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.FileFormat;
import dev.strata.storage.ObjectLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What one compacted version of a collection is made of: the blockfile roots of its segments, the
 * object keys of its vector index files, and the log position it includes. Written once to
 * {@code c/{collection}/v/{version}.json} before the catalog's current version is swung to it, so a
 * crash leaves either the old version or the new one current. GC reads these manifests to know
 * which objects a kept version still needs.
 *
 * <p>Encoded as JSON followed by a newline and the CRC32C of the JSON (8 hex digits), so a torn or
 * corrupted manifest is detected rather than half-read.
 *
 * @param roots      segment part name (e.g. {@code record.ids}, {@code metadata.strings}) → root key
 * @param indexFiles object keys of the vector index files of this version
 * @param vector     parameters of the vector index (space, dimension, M, ef, ...) as JSON values
 * @param openBlocks blocks every open of this version reads (index segment heads, the live set), by part:
 *                   a cold open reads them in the same wave as the roots instead of after them. A hint
 *                   only: absent in older manifests, and ignored by older readers.
 */
public record VersionManifest(
        @JsonProperty("format") int format,
        @JsonProperty("collection") UUID collection,
        @JsonProperty("version") long version,
        @JsonProperty("log_cursor") long logCursor,
        @JsonProperty("created_at_ms") long createdAtMs,
        @JsonProperty("dimension") Integer dimension,
        @JsonProperty("count") int count,
        @JsonProperty("next_offset") int nextOffset,
        @JsonProperty("roots") Map<String, String> roots,
        @JsonProperty("index_files") List<String> indexFiles,
        @JsonProperty("vector") Map<String, Object> vector,
        @JsonProperty("open_blocks") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<OpenBlock> openBlocks) {

    /** The first format whose trigram postings are kept per chunk of offsets ({@link SegmentParts#chunkPrefixOf}). */
    static final int CHUNKED_TRIGRAMS = 3;
    /** The first format whose metadata value postings are kept per chunk of offsets. */
    static final int CHUNKED_METADATA_INDEX = 4;
    /** The first format whose trigram postings of the chunk still filling are kept per sub-chunk ({@link TrigramLayout}). */
    static final int OPEN_TRIGRAM_CHUNK_BY_SUB_CHUNK = 4;

    /**
     * 4: metadata value postings per chunk of offsets (formats 1 to 3: one bitmap per value), and the trigram
     * postings of the chunk still filling per sub-chunk (format 3: per chunk); converted by the next compaction;
     * 3: trigram postings per chunk of offsets (format 2 and 1: one bitmap per trigram; converted by the next
     * compaction);
     * 2: vectors live in the clustered index's segments (roots {@code ivf.*}, ids under {@code vector.segments});
     * 1: vectors in {@code record.embeddings} and an HNSW index file per version (still read; converted by
     * the next compaction).
     */
    static final FileFormat FILE_FORMAT = new FileFormat("version manifest", new byte[0], 1, 4);
    public static final int FORMAT = FILE_FORMAT.newestReadable();

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A block of part {@code part} (its value type follows from the part) at {@code key}, with its checksum. */
    public record OpenBlock(@JsonProperty("part") String part, @JsonProperty("key") String key, @JsonProperty("crc") int crc) {}

    /** A manifest naming no blocks to read on open. */
    public VersionManifest(int format, UUID collection, long version, long logCursor, long createdAtMs, Integer dimension,
            int count, int nextOffset, Map<String, String> roots, List<String> indexFiles, Map<String, Object> vector) {
        this(format, collection, version, logCursor, createdAtMs, dimension, count, nextOffset, roots, indexFiles, vector, List.of());
    }

    @JsonCreator
    public VersionManifest {
        Objects.requireNonNull(collection, "collection");
        if (version < 1) {
            throw new IllegalArgumentException("a manifest describes a version >= 1, got " + version);
        }
        roots = roots == null ? Map.of() : new TreeMap<>(roots);
        indexFiles = indexFiles == null ? List.of() : List.copyOf(indexFiles);
        vector = vector == null ? Map.of() : new TreeMap<>(vector);
        openBlocks = openBlocks == null ? List.of() : List.copyOf(openBlocks);
    }

    /** The object key of this version ({@link ObjectLayout#versionManifest}). */
    public String objectKey() {
        return ObjectLayout.versionManifest(collection, version);
    }

    /** The ids of the clustered index's segments, oldest first (none for format 1 or no vectors). */
    public List<String> segmentIds() {
        Object ids = vector.get(VectorParams.SEGMENTS);
        if (ids == null) {
            return List.of();
        }
        if (!(ids instanceof List<?> list)) {
            throw new CorruptObjectException(objectKey(), "vector.segments is not a list");
        }
        return list.stream().map(String::valueOf).toList();
    }

    /** Every object key this manifest names directly (roots and index files; blocks are named by roots). */
    public List<String> namedObjects() {
        List<String> keys = new ArrayList<>(roots.values());
        keys.addAll(indexFiles);
        return keys;
    }

    /**
     * This version as the first version of a fork: the same objects (roots, index files, parameters), owned by
     * {@code fork}, at version 1 with an empty log behind it (the fork's log starts empty).
     */
    public VersionManifest forkedAs(UUID fork, long forkedAtMs) {
        return new VersionManifest(format, fork, 1, 0, forkedAtMs, dimension, count, nextOffset, roots, indexFiles, vector, openBlocks);
    }

    /** The same manifest as another version number (same objects). */
    public VersionManifest withVersion(long newVersion) {
        return new VersionManifest(format, collection, newVersion, logCursor, createdAtMs, dimension, count, nextOffset,
                roots, indexFiles, vector, openBlocks);
    }

    public byte[] encode() {
        try {
            byte[] json = JSON.writeValueAsBytes(this);
            String trailer = "\n" + FileFormat.crcHex(FileFormat.crc32c(json, 0, json.length));
            byte[] t = trailer.getBytes(StandardCharsets.US_ASCII);
            return ByteBuffer.allocate(json.length + t.length).put(json).put(t).array();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode version manifest", e);
        }
    }

    /** Decodes a manifest read from {@code key}; a bad checksum or malformed JSON is a CorruptObjectException. */
    public static VersionManifest decode(String key, byte[] bytes) {
        int nl = lastNewline(bytes);
        if (nl < 0 || bytes.length - nl - 1 != 8) {
            throw new CorruptObjectException(key, "version manifest has no checksum trailer");
        }
        byte[] json = Arrays.copyOfRange(bytes, 0, nl);
        String expected = new String(bytes, nl + 1, 8, StandardCharsets.US_ASCII);
        if (!FileFormat.crcHex(FileFormat.crc32c(json, 0, json.length)).equals(expected)) {
            throw new CorruptObjectException(key, "version manifest checksum mismatch");
        }
        try {
            VersionManifest m = JSON.readValue(json, VersionManifest.class);
            FILE_FORMAT.checkVersion(key, m.format());
            return m;
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new CorruptObjectException(key, "malformed version manifest: " + e.getMessage());
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
