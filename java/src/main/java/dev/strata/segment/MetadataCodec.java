package dev.strata.segment;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strata.storage.CorruptObjectException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored form of a record's metadata: a JSON object. Ints are written without a fraction and
 * floats always with one (Java's shortest round-trip form), so int/float types survive the round trip.
 */
final class MetadataCodec {

    // Every record a read returns decodes its metadata here: the fast (exact) double parser spares the
    // JDK's big-integer path for floats printed with 17 digits.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    static byte[] encode(Map<String, Object> metadata) {
        try {
            return JSON.writeValueAsBytes(metadata);
        } catch (IOException e) {
            throw new IllegalArgumentException("metadata cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** Decodes metadata read from {@code where} (an object key, for the error). */
    static Map<String, Object> decode(byte[] bytes, String where) {
        try {
            Map<String, Object> raw = JSON.readValue(bytes, MAP);
            Map<String, Object> out = new LinkedHashMap<>();
            raw.forEach((k, v) -> out.put(k, MetadataValues.value(v)));
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptObjectException(where, "malformed record metadata: " + e.getMessage());
        }
    }

    private MetadataCodec() {}
}
